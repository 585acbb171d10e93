"""The jobs an account's scheduler (sync/scheduler.py) queues for itself: background
work between the user's commands, each run in one step."""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.commands import FetchBody, FetchOlder, OpenMessage, SyncFolder


@dataclass(frozen=True, slots=True)
class SyncFolderList:
    """Background job: LIST, then one SyncFolder per folder (or only ``only``), then
    quota."""

    only: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshQuota:
    pass


@dataclass(frozen=True, slots=True)
class ReplayJob:
    """Background job: send the queued operations to the server."""


@dataclass(frozen=True, slots=True)
class PushDrafts:
    """Background job: saved and discarded drafts to the Drafts folder (issue 6)."""


@dataclass(frozen=True, slots=True)
class Prefetch:
    """Background job, last in line: offline reading downloads a few bodies per turn,
    so whatever the user asks for meanwhile goes first (issue 2)."""

    folder: str


PREFETCH_BATCH = 20
"""Bodies downloaded per turn of offline reading."""


@dataclass(frozen=True, slots=True)
class SearchStep:
    """Front job: the next folder of server search ``search_id`` (issue 7)."""

    search_id: int


@dataclass(frozen=True, slots=True)
class IndexCatchUp:
    """Background job, always last: index headers for INDEX_TURN (issue 7). Header
    indexing is deferred out of the sync's transactions (qtmail.store.search says why);
    idle turns catch up, so searches rarely meet unindexed rows."""


INDEX_TURN = 0.01
"""Seconds of an idle turn of indexing: a request that arrives meanwhile waits for the
turn to end. A turn is bounded by time, not rows: 500 rows once took 600-700 ms a
turn while the window painted (the index yields the GIL to paints, core/yielding.py),
so a preview line asked for then waited that long (bench/bench_previews.py, the End
key after a 100,000-message sync: 398 ms). Few rows a turn cost CPU instead: each
turn writes FTS5 a segment (qtmail.store.search._insert), and 100-row turns took 0.69 s
of CPU per 100,000 rows where 10 ms turns (~3,000 rows) take 0.49 s (issue 18,
bench_search.py). A turn ends with its insert: 13-26 ms a turn (100,000 rows)."""
INDEX_BATCH = 20_000
"""At most this many headers per idle turn, however fast."""

INDEX_GRACE = 2.0
"""Seconds after the user last opened a message before indexing resumes: while they
read, each click is answered at once instead of after an index turn
(bench/bench_window.py, "not cached, idle")."""

Job = (SyncFolder | FetchOlder | SyncFolderList | RefreshQuota | ReplayJob | Prefetch
        | SearchStep | IndexCatchUp | PushDrafts)
Request = FetchBody | OpenMessage
