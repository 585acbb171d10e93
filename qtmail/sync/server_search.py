"""Server search (issue 7): the user's query as UID SEARCH, one folder per worker turn.

The local search answers from the cache at once; this completes it. For each folder
in scope the same parsed query goes out as UID SEARCH (CHARSET UTF-8 for non-ASCII
keys, ESEARCH's RETURN (ALL) where offered: ImapSession.search_query), and the UIDs the
server matched are compared with what the cache matches for the same query. The
difference (bodies never downloaded, old mail outside the synced range) is what the
user would otherwise miss: headers not cached yet are fetched (newest first, up to
FETCH_LIMIT per folder), stored, announced (MessagesAdded), then reported as
SearchHits. The worker runs ``step()`` as a front job and returns to its event loop
between two folders, where a newer search or a cancel drops this one.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence

from qtmail.core.commands import SearchServer
from qtmail.core.events import Event, SearchDone, SearchHits
from qtmail.core.types import DELETED, FolderInfo
from qtmail.search.imap_keys import SearchKey, to_imap_search
from qtmail.search.query import Query, parse
from qtmail.sync.engine import AccountEngine

log = logging.getLogger(__name__)

FETCH_LIMIT = 500
"""Headers fetched per folder and search: the newest server-only hits. A common word
on a 100,000-message folder must not turn a search into a full download."""
CANDIDATE_LIMIT = 2_000
"""Server-only hits considered per folder (the newest UIDs): the results list shows
the newest matches, and each one costs a summary read here."""
LOCAL_LIMIT = 1_000_000
"""No limit, in effect, on the cache's matches compared with the server's."""


def folders_in_scope(query: Query, folders: Sequence[FolderInfo],
                     wanted: Sequence[str] | None) -> list[str]:
    """The selectable folders to search: ``wanted`` (None: all), narrowed by folder:
    terms (compared without case, as the local search does), INBOX first."""
    names = [f.name for f in folders if f.selectable]
    if wanted is not None:
        chosen = set(wanted)
        names = [name for name in names if name in chosen]
    only = {value.casefold() for value in query.folders}
    if only:
        names = [name for name in names if name.casefold() in only]
    return sorted(names, key=lambda name: name != "INBOX")


class ServerSearch:
    """One account's share of one search; ``step()`` searches the next folder."""

    def __init__(self, command: SearchServer, folders: Sequence[FolderInfo]) -> None:
        self.search_id = command.search_id
        self.query = parse(command.query)
        self._keys = to_imap_search(self.query)
        self._pending = deque(folders_in_scope(self.query, folders, command.folders))
        self.found = 0

    @property
    def done(self) -> bool:
        return not self._pending

    @property
    def keys(self) -> list[SearchKey]:
        return self._keys

    def next_folder(self) -> str | None:
        """The folder to search next (taken off the list), None when done."""
        return self._pending.popleft() if self._pending else None

    def step(self, engine: AccountEngine, emit: Callable[[Event], None]) -> None:
        """Search one folder on the account's own connection; emit SearchHits when it
        adds to the local results."""
        name = self.next_folder()
        if name is None:
            return
        uidvalidity, uids = engine.search_folder(name, self._keys)
        self.settle(engine, emit, name, uidvalidity, uids)

    def settle(self, engine: AccountEngine, emit: Callable[[Event], None], name: str,
               uidvalidity: int | None, uids: list[int], *,
               turn: Callable[[], None] = lambda: None) -> None:
        """What the server found in ``name``, compared with the cache (worker thread);
        ``turn`` runs between the two reads of the cache."""
        state = engine.store.folder_state(name)
        if state is None or uidvalidity is None or state.uidvalidity != uidvalidity:
            # RFC 3501 2.3.1.1: these UIDs may name other messages than the cached ones;
            # the folder's next sync resets it, and its hits are local from then on.
            log.info("%s/%s: not synced with this UIDVALIDITY; search skipped",
                     engine.name, name)
            return
        extra = self._beyond_local(engine, name, uids, turn)
        if extra:
            self.found += len(extra)
            emit(SearchHits(engine.name, self.search_id, name, tuple(extra)))

    def _beyond_local(self, engine: AccountEngine, name: str, uids: list[int],
                      turn: Callable[[], None]) -> list[int]:
        """The server's hits the cache does not match, cached now, newest first."""
        store = engine.store
        local = {uid for _f, _d, uid in store.search_keys(
            self.query, folders=[name], limit=LOCAL_LIMIT, catch_up=False)}
        candidates = sorted((uid for uid in uids if uid not in local),
                            reverse=True)[:CANDIDATE_LIMIT]
        if not candidates:
            return []
        turn()
        if engine.left(name):
            return []  # renamed or deleted during the turn: its hits went along
        # A move or delete waiting for the queue has hidden these here already.
        hidden = set(store.hidden_uids(name))
        cached = {s.uid: s for s in store.summaries_for(name, candidates)}
        missing = [uid for uid in candidates if uid not in cached]
        for summary in engine.fetch_headers(name, missing[:FETCH_LIMIT]):
            cached[summary.uid] = summary
        wanted = self._attachment_wanted()
        return sorted((uid for uid, summary in cached.items()
                       if uid not in hidden and DELETED not in summary.flags
                       and (wanted is None or summary.has_attachment == wanted)),
                      reverse=True)

    def _attachment_wanted(self) -> bool | None:
        """has:attachment has no SEARCH key (imap_keys): checked on the summaries."""
        for term in self.query.terms:
            if term.field == "has":
                return not term.negated
        return None

    def finish(self, engine: AccountEngine, emit: Callable[[Event], None],
               failed: str = "") -> None:
        self._pending.clear()
        emit(SearchDone(engine.name, self.search_id, self.found, failed))
