"""The account scheduler without Qt and without a server (issue 12): a fake clock and a
fake engine drive priorities, reconnect backoff, the index grace, the Undo-send delay,
push wake-ups and stopping. Each test runs in milliseconds."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from qtmail.core.commands import (
    FetchBody,
    FetchPreviews,
    OpenFolder,
    SetFlags,
    Stop,
    SyncAll,
    SyncFolder,
)
from qtmail.core.errors import ConnectionLost, KnownError, ServerError
from qtmail.core.events import BodyReady, Event, PreviewsReady, StatusChanged, SyncProgress
from qtmail.core.types import FolderInfo, FolderRole
from qtmail.sync import scheduler as scheduler_module
from qtmail.sync.folder_sync import FolderSyncReport
from qtmail.sync.jobs import INDEX_GRACE
from qtmail.sync.scheduler import RETRY_BACKOFF_S, AccountScheduler, Parts


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def folder(name: str) -> FolderInfo:
    role = FolderRole.INBOX if name == "INBOX" else FolderRole.NONE
    return FolderInfo(name=name, wire=name.encode(), delimiter="/", attributes=frozenset(),
                      role=role)


@dataclass
class FakeStore:
    folders_known: dict[str, FolderInfo] = field(
        default_factory=lambda: {name: folder(name) for name in ("INBOX", "Archive")})
    """As a cache from an earlier session holds them (a folder list sync says it again)."""
    bodies: set[tuple[str, int]] = field(default_factory=set)
    unindexed: int = 0
    closed: bool = False

    def folder(self, name: str) -> FolderInfo | None:
        return self.folders_known.get(name)

    def folders(self) -> list[FolderInfo]:
        return list(self.folders_known.values())

    def has_body(self, name: str, uid: int) -> bool:
        return (name, uid) in self.bodies

    def folder_state(self, name: str) -> None:
        return None


    def index_pending(self, limit: int, seconds: float | None = None) -> int:
        done = min(limit, self.unindexed, 100 if seconds else limit)  # as a turn's time allows
        self.unindexed -= done
        return done

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeSettings:
    def policy_for(self, name: str) -> Any:
        return type("Policy", (), {"offline_bodies": False})()


class FakeEngine:
    """Records what the scheduler asks, in order; ``fail`` makes syncs lose the line."""

    name = "work"

    def __init__(self, store: FakeStore, emit: Any) -> None:
        self.store = store
        self.settings = FakeSettings()
        self.calls: list[str] = []
        self.fail = 0
        self.failure: KnownError = ConnectionLost("The connection to the server was lost.")
        self.progress_before_failing = False
        self.emit = emit
        self.connected = True  # the account's connection
        self.chunks = 0
        self.parts = 1
        self.between_parts: Any = lambda: None  # the scheduler's, once attached
        self.closed = False

    def sync_folder(self, name: str) -> FolderSyncReport:
        self.calls.append(f"sync {name}")
        if self.fail:
            self.fail -= 1
            if self.progress_before_failing:  # a chunk stored, then the line dropped
                self.emit(SyncProgress("work", name, 1, 10))
            raise self.failure
        for done in range(1, self.chunks + 1):  # a long first sync, in chunks
            for _ in range(self.parts):
                self.between_parts()
            self.emit(SyncProgress("work", name, done, self.chunks + 1))
        return FolderSyncReport(name)

    def sync_folder_list(self) -> list[FolderInfo]:
        self.calls.append("list")
        for name in ("INBOX", "Archive"):
            self.store.folders_known[name] = folder(name)
        return self.store.folders()

    def refresh_quota(self) -> None:
        self.calls.append("quota")

    def replay(self) -> None:
        self.calls.append("replay")

    def apply(self, command: Any) -> list[int]:
        self.calls.append(f"apply {type(command).__name__}")
        return [1]

    def previews(self, name: str, uids: tuple[int, ...], side: Any = None) -> list[int]:
        self.calls.append(f"previews {name}/{','.join(map(str, uids))}")
        if self.fail:
            raise ConnectionLost("The connection to the server was lost.")
        return sorted(uids)

    def body(self, name: str, uid: int, side: Any = None) -> bytes:
        self.calls.append(f"body {name}/{uid}")
        return b"Subject: hi\r\n\r\nhello\r\n"

    def close(self) -> None:
        self.closed = True


class FakePush:
    def __init__(self) -> None:
        self.watched: list[list[str]] = []
        self.stopped = False

    def watch(self, folders: list[FolderInfo]) -> None:
        self.watched.append([f.name for f in folders])

    def stop_all(self) -> None:
        self.stopped = True


class FakeOutgoing:
    """The Outbox's timing as the scheduler sees it: a message due at ``due`` (clock)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.due: float | None = None
        self.sent = 0
        self.wants_drafts = False

    def start(self) -> None:
        pass

    def now(self) -> None:
        pass

    def seconds_until_due(self) -> float | None:
        return None if self.due is None else max(0.0, self.due - self.clock())

    @property
    def wants_send(self) -> bool:
        return self.seconds_until_due() == 0.0

    def send(self) -> bool:
        if not self.wants_send:
            return False
        self.sent += 1
        self.due = None
        return True

    def reconnected(self) -> None:
        pass

    def close(self) -> None:
        pass


class Harness:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.events: list[Event] = []
        self.pauses = 0
        self.takes = 0
        self.scheduler = AccountScheduler("work", self.events.append, clock=self.clock,
                                          pause=self._pause, take=self._take)
        self.store = FakeStore()
        self.engine = FakeEngine(self.store, self.scheduler.engine_event)
        self.push = FakePush()
        self.outgoing = FakeOutgoing(self.clock)
        self.on_pause: list[Any] = []
        """Called once, at the next chunk boundary."""
        self.every_pause: list[Any] = []
        """Called at every chunk boundary."""
        self.on_take: list[Any] = []
        self.scheduler.attach(Parts(cast(Any, self.engine), cast(Any, self.store),
                                    push=self.push, outgoing=cast(Any, self.outgoing)))

    def _pause(self) -> None:
        self.pauses += 1
        for call in self.every_pause:
            call()
        while self.on_pause:
            self.on_pause.pop(0)()

    def _take(self) -> None:
        self.takes += 1
        while self.on_take:
            self.on_take.pop(0)()

    def run(self, limit: int = 100) -> float | None:
        """Step until the scheduler waits (returns how long it wants to wait)."""
        for _ in range(limit):
            wait = self.scheduler.step()
            if wait is None or wait > 0:
                return wait
        raise AssertionError("the scheduler never came to rest")


@pytest.fixture
def h() -> Harness:
    return Harness()


def test_sync_all_lists_then_syncs_each_folder_then_quota_and_watches_push(h: Harness) -> None:
    h.scheduler.submit(SyncAll())
    assert h.run() is None
    assert h.engine.calls == ["list", "sync INBOX", "sync Archive", "quota"]
    assert h.push.watched[-1] == ["INBOX"]


def test_push_waits_until_the_first_folder_sync_has_shown_a_chunk(h: Harness) -> None:
    """Issue 18: the push connection's login and SELECT would compete with a new
    profile's way to its first rows."""
    h.engine.chunks = 2
    watched_at_pause: list[int] = []
    h.every_pause.append(lambda: watched_at_pause.append(len(h.push.watched)))
    h.scheduler.submit(SyncAll())
    h.run()
    assert watched_at_pause[0] == 0  # the first chunk is shown before push starts
    assert watched_at_pause[1] >= 1
    assert h.push.watched[0] == ["INBOX"]


def test_push_starts_when_the_first_folder_sync_ends_or_fails(h: Harness) -> None:
    h.engine.fail = 1
    h.scheduler.submit(SyncAll())
    assert h.run() == RETRY_BACKOFF_S[0]
    assert h.engine.calls == ["list", "sync INBOX"]
    assert h.push.watched == [["INBOX"]]


def test_an_opened_message_overtakes_background_work(h: Harness) -> None:
    h.scheduler.submit(SyncFolder("Archive"))
    h.scheduler.submit(FetchBody("INBOX", 7, request_id=1))
    h.run()
    assert h.engine.calls[:2] == ["body INBOX/7", "sync Archive"]
    assert any(isinstance(e, BodyReady) for e in h.events)


def test_a_sync_queued_for_a_folder_that_has_left_the_cache_is_dropped(h: Harness) -> None:
    """The folder open in the window was dragged elsewhere before its sync's turn: no
    sync under the old name, and no failure to report."""
    h.scheduler.submit(SyncFolder("Old"))
    h.scheduler.submit(SyncFolder("Archive"))
    h.run()
    assert h.engine.calls == ["sync Archive"] and h.scheduler.errors == []


def test_a_change_is_applied_at_once_and_replayed_before_a_sync(h: Harness) -> None:
    h.scheduler.submit(SyncFolder("Archive"))
    h.scheduler.submit(SetFlags("INBOX", (3,), add=frozenset({"\\Flagged"})))
    assert h.engine.calls == ["apply SetFlags"]  # the local phase needs no step
    h.run()
    assert h.engine.calls == ["apply SetFlags", "replay", "sync Archive"]


def test_a_lost_connection_backs_off_from_seconds_to_minutes(h: Harness) -> None:
    h.engine.fail = 3
    h.scheduler.submit(SyncFolder("INBOX"))
    waits = []
    for _ in range(3):
        wait = h.run()
        assert wait is not None
        waits.append(wait)
        assert h.scheduler.step() == wait  # nothing runs before the backoff is over
        h.clock.now += wait
    assert waits == list(RETRY_BACKOFF_S[:3])
    assert h.run() is None
    assert h.engine.calls == ["sync INBOX"] * 4


def backoffs(h: Harness, count: int) -> list[float]:
    """The waits of ``count`` failed attempts in a row, the clock moved past each."""
    waits = []
    for _ in range(count):
        wait = h.run()
        assert wait is not None
        waits.append(wait)
        h.clock.now += wait
    return waits


def test_a_throttling_server_is_waited_for_not_given_up_on(h: Harness) -> None:
    # Microsoft 365 under load: "NO [UNAVAILABLE] Server busy" (RFC 5530 3).
    h.engine.fail = 2
    h.engine.failure = ServerError("The server cannot do this right now.",
                                   server_text="[UNAVAILABLE] Server busy", code="UNAVAILABLE")
    h.scheduler.submit(SyncFolder("INBOX"))
    assert backoffs(h, 2) == list(RETRY_BACKOFF_S[:2])
    assert h.run() is None and h.engine.calls == ["sync INBOX"] * 3
    # A refusal that will stand (no transient code) is not retried.
    h.engine.fail = 1
    h.engine.failure = ServerError("No.", server_text="[NOPERM] no", code="NOPERM")
    h.scheduler.submit(SyncFolder("Archive"))
    assert h.run() is None and h.engine.calls[-1] == "sync Archive"
    assert h.engine.calls.count("sync Archive") == 1


def test_a_sync_cut_after_progress_is_retried_soon_every_time(h: Harness) -> None:
    # Issue 17: a line that drops every few thousand messages; each attempt stores
    # chunks, so the backoff does not grow towards minutes.
    h.engine.fail = 4
    h.engine.progress_before_failing = True
    h.scheduler.submit(SyncFolder("INBOX"))
    assert backoffs(h, 4) == [RETRY_BACKOFF_S[0]] * 4
    assert h.run() is None


def test_get_messages_cuts_a_backoff_short(h: Harness) -> None:
    h.engine.fail = 1
    h.scheduler.submit(SyncFolder("INBOX"))
    assert h.run() == RETRY_BACKOFF_S[0]
    h.scheduler.submit(SyncAll())  # the user asked: no more waiting
    assert h.run() is None
    assert h.engine.calls[:3] == ["sync INBOX", "sync INBOX", "list"]


def test_index_catch_up_waits_while_the_user_reads(h: Harness) -> None:
    h.store.unindexed = 600
    h.scheduler.submit(FetchBody("INBOX", 1, request_id=1))
    wait = h.run()
    assert wait == pytest.approx(INDEX_GRACE)
    assert h.store.unindexed == 600  # not while the user reads
    h.clock.now += INDEX_GRACE
    assert h.run() is None
    assert h.store.unindexed == 0  # in turns, nothing else waiting


def test_a_sent_message_waits_for_its_undo_delay(h: Harness) -> None:
    h.outgoing.due = h.clock.now + 5.0
    assert h.run() == pytest.approx(5.0)
    assert h.outgoing.sent == 0
    h.clock.now += 5.0
    h.run()
    assert h.outgoing.sent == 1
    assert h.engine.calls == ["replay"]  # the Sent copy and \\Answered go to the server


def test_push_news_syncs_the_folder(h: Harness) -> None:
    h.scheduler.submit(OpenFolder("Archive"))
    h.run()
    h.store.folders_known["Archive"] = folder("Archive")
    h.store.folders_known["INBOX"] = folder("INBOX")
    h.scheduler.submit(OpenFolder("Archive"))
    h.run()
    assert h.push.watched[-1] == ["INBOX", "Archive"]
    h.engine.calls.clear()
    h.scheduler.folder_changed("INBOX")
    h.scheduler.folder_changed("INBOX")  # a burst: one sync
    assert h.run() is None
    assert h.engine.calls == ["sync INBOX"]


def test_requests_between_chunks_are_answered_from_the_cache(h: Harness) -> None:
    h.engine.chunks = 3
    h.store.bodies.add(("INBOX", 9))
    h.on_pause.append(lambda: h.scheduler.submit(FetchBody("INBOX", 9, request_id=2)))
    h.scheduler.submit(SyncFolder("Archive"))
    h.run()
    assert h.pauses == 3
    answers = [e for e in h.events if isinstance(e, BodyReady)]
    assert [a.request_id for a in answers] == [2]
    # Answered mid-sync (a cached body), not after the folder.
    first_answer = h.events.index(answers[0])
    assert any(isinstance(e, SyncProgress) for e in h.events[first_answer:])


def test_requests_between_two_parts_of_a_chunk_are_answered_before_its_end(h: Harness
                                                                          ) -> None:
    """Issue 18 goal 3: a click waits for a part of a chunk, not for the whole chunk."""
    h.engine.chunks, h.engine.parts = 2, 4
    h.store.bodies.add(("INBOX", 9))
    h.on_take.append(lambda: h.scheduler.submit(FetchBody("INBOX", 9, request_id=2)))
    h.scheduler.submit(SyncFolder("Archive"))
    h.run()
    assert (h.takes, h.pauses) == (8, 2)  # the window waited for chunks only
    (answer,) = [e for e in h.events if isinstance(e, BodyReady)]
    progress = [e for e in h.events if isinstance(e, SyncProgress)]
    assert h.events.index(answer) < h.events.index(progress[0])


def test_stop_between_parts_ends_the_sync(h: Harness) -> None:
    h.engine.chunks, h.engine.parts = 3, 2
    h.on_take.append(lambda: h.scheduler.submit(Stop()))
    h.scheduler.submit(SyncFolder("INBOX"))
    assert h.scheduler.step() is None
    assert h.scheduler.stopped and (h.takes, h.pauses) == (1, 0)
    assert h.engine.closed and h.store.closed


def test_stop_between_chunks_ends_the_sync_and_closes_everything(h: Harness) -> None:
    h.engine.chunks = 5
    h.on_pause.append(lambda: h.scheduler.submit(Stop()))
    h.scheduler.submit(SyncFolder("INBOX"))
    assert h.scheduler.step() is None
    assert h.scheduler.stopped
    assert h.pauses == 1  # stopped at the first chunk boundary
    assert h.engine.closed and h.store.closed and h.push.stopped
    h.scheduler.submit(SyncFolder("INBOX"))  # after the end: ignored
    assert h.scheduler.step() is None


def test_preview_lines_overtake_background_work_and_come_back_as_an_event(h: Harness) -> None:
    h.scheduler.submit(SyncFolder("Archive"))
    h.scheduler.submit(FetchPreviews("INBOX", (4, 5)))
    h.run()
    assert h.engine.calls[:2] == ["previews INBOX/4,5", "sync Archive"]
    assert [e for e in h.events if isinstance(e, PreviewsReady)] \
        == [PreviewsReady("work", "INBOX", (4, 5))]


def test_a_failed_preview_is_never_an_error_the_user_sees(h: Harness) -> None:
    h.engine.fail = 1
    h.scheduler.submit(FetchPreviews("INBOX", (4,)))
    # No retry loop and no reconnect backoff for a cosmetic request: the only wait left
    # is the index catch-up's, held back while the user looks at the list.
    assert h.run() == pytest.approx(INDEX_GRACE)
    assert not [e for e in h.events if isinstance(e, PreviewsReady | StatusChanged)]


class FakeSide:
    """The side connection as the scheduler sees it: where it was asked to get ready."""

    def __init__(self) -> None:
        self.prepared: list[str] = []
        self.open: str | None = None

    @property
    def connected(self) -> bool:
        return self.open is not None

    def prepare(self, engine: Any, folder: str) -> None:
        if self.open != folder:  # (as SideBodies: nothing to do where it is open)
            self.prepared.append(folder)
            self.open = folder

    @property
    def open_folder(self) -> str | None:
        return self.open

    def has_open(self, folder: str) -> bool:
        return self.open == folder

    def answer(self, engine: Any, request: Any) -> None:
        return None

    def previews(self, engine: Any, request: Any) -> None:
        return None

    def seconds_until_idle_close(self) -> None:
        return None

    def close_if_idle(self) -> None:
        pass

    def stop(self) -> None:
        self.open = None


def _with_side(h: Harness) -> FakeSide:
    side = FakeSide()
    h.scheduler.attach(Parts(cast(Any, h.engine), cast(Any, h.store), cast(Any, side)))
    return side


def test_a_first_sync_gets_the_side_connection_ready_before_a_click(h: Harness) -> None:
    """Issue 18 goal 3: connecting and opening the folder were added to the first click
    of a sync; the side connection is made ready (beside the worker) when it starts."""
    side = _with_side(h)
    h.engine.chunks = 2
    h.scheduler.submit(SyncAll())
    h.run()
    assert side.prepared == ["INBOX"]  # once: then it is open there


def test_the_side_connection_stays_in_the_folder_the_user_reads(h: Harness) -> None:
    side = _with_side(h)
    h.engine.chunks = 2
    side.open = "INBOX"  # a click in INBOX opened it
    h.scheduler.submit(SyncFolder("Archive"))
    h.run()
    assert side.prepared == []  # not moved to the folder being synced
    h.scheduler.submit(OpenFolder("Sent"))  # the window shows Sent: ready there
    h.scheduler.submit(SyncFolder("Archive"))
    h.run()
    assert side.prepared == ["Sent"]


def test_a_long_stretch_without_a_turn_for_the_user_is_logged_with_its_job(
        h: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    ticks = iter(range(10_000))
    monkeypatch.setattr(scheduler_module.time, "perf_counter", lambda: next(ticks) * 0.03)
    h.engine.chunks, h.engine.parts = 1, 1  # a turn after the part: 30 ms stretches
    h.scheduler.submit(SyncFolder("INBOX"))
    with caplog.at_level(logging.DEBUG, logger="qtmail.sync.scheduler"):
        h.run()
    assert not caplog.records
    monkeypatch.setattr(scheduler_module.time, "perf_counter", lambda: next(ticks) * 0.06)
    h.scheduler.submit(SyncFolder("INBOX"))
    with caplog.at_level(logging.DEBUG, logger="qtmail.sync.scheduler"):
        h.run()
    assert "ms without a turn for the user's requests (SyncFolder(folder='INBOX'))" \
        in caplog.text


def test_no_side_connection_before_the_account_s_own_is_up(h: Harness) -> None:
    """A server refusing the account's connection (a wrong password) is not asked
    twice: the side connection is made ready once that one is up."""
    side = _with_side(h)
    h.engine.chunks = 2
    h.engine.connected = False
    h.scheduler.submit(SyncFolder("INBOX"))
    h.run()
    assert side.prepared == []
