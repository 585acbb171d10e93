"""AccountScheduler: what one account does next, and when (Qt-free, issue 12).

The front end hands it commands (``submit``) and calls ``step()`` whenever the
returned delay has passed; it never blocks for longer than one unit of work. The
window's worker (qt/worker.py) drives it from a QTimer in the account's QThread; the
command line drives it in a loop (``run_until_idle``). Time comes from an injected
clock, so the unit tests drive priorities, backoff, the index grace, the Undo-send
delay and push with a fake clock, a fake engine, and no Qt and no server.

One step, in this order:
1. every waiting interactive request (open this message): the user waits for those;
2. the Outbox, when a message is due (its Undo delay over, no SMTP backoff);
3. one background job from the queue (a folder to sync, the replay of queued changes,
   a search step, ...), unless a reconnect backoff holds the queue; the index
   catch-up goes last and waits while the user reads (INDEX_GRACE).
Between two chunks of a long sync the engine announces SyncProgress: the scheduler then
lets the front end breathe (``pause``: the window takes queued commands and paints) and
answers waiting body requests from the cache or over the side connection. Between two
parts of a chunk (nothing announced) it only takes the queued commands (``take``) and
answers the same way.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from qtmail.core import yielding
from qtmail.core.commands import (
    CancelSearch,
    Command,
    FetchBody,
    FetchOlder,
    FetchPreviews,
    OpenFolder,
    OpenMessage,
    Operation,
    Replay,
    SearchServer,
    Stop,
    SyncAll,
    SyncFolder,
)
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, ServiceStatus, StorageError
from qtmail.core.events import (
    Event,
    OperationFailed,
    PreviewsReady,
    SearchDone,
    StatusChanged,
    SyncProgress,
)
from qtmail.core.types import FolderInfo
from qtmail.sieve.jobs import RulesCommand
from qtmail.store import Store
from qtmail.sync.answers import Request, answer_body
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.engine import AccountEngine, sync_order
from qtmail.sync.folder_sync import FolderSyncReport
from qtmail.sync.jobs import (
    INDEX_BATCH,
    INDEX_GRACE,
    PREFETCH_BATCH,
    IndexCatchUp,
    Job,
    Prefetch,
    PushDrafts,
    RefreshQuota,
    ReplayJob,
    SearchStep,
    SyncFolderList,
)
from qtmail.sync.lane import POLL_S, Result
from qtmail.sync.outgoing_work import OUTGOING_COMMANDS, OutgoingWork
from qtmail.sync.peers import PeerEngines
from qtmail.sync.search_lane import Found, SearchLane
from qtmail.sync.server_search import ServerSearch
from qtmail.sync.side_bodies import SideBodies

log = logging.getLogger(__name__)

RETRY_BACKOFF_S = (2.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
"""Reconnect delays after a transient failure: seconds growing to minutes."""

LONG_TURN_S = 0.05
"""Issue 18 goal 3: the worker never keeps the user's requests waiting longer than this
(a step, or the stretch between two turns for them inside one); a longer stretch is
logged (debug) with the job that took it, for the problem reports' recent log."""


class PushControl(Protocol):
    """Push monitors (their own connections and threads): the window's relays their
    news into the worker's thread (qt/push.py); the command line uses a queue."""

    def watch(self, folders: list[FolderInfo]) -> None: ...

    def stop_all(self) -> None: ...


class Stopped(Exception):
    """Raised between two sync chunks to unwind the engine when Stop arrived."""


@dataclass
class Parts:
    """What the scheduler drives, made on the account's thread (store and sessions are
    bound to the thread that opened them)."""

    engine: AccountEngine
    store: Store
    side: SideBodies | None = None
    push: PushControl | None = None
    outgoing: OutgoingWork | None = None
    peers: PeerEngines | None = None
    rules: Callable[[RulesCommand], bool] | None = None
    """Runs a rules command (sync/rules_work.py); True when mail moved on the server."""
    on_report: Callable[[FolderSyncReport], None] | None = None
    """Told what each folder sync did (the command line prints a line per folder)."""
    local_rules: Callable[[], int] | None = None
    """Runs the account's local rules on new INBOX mail (issue 15, servers without
    ManageSieve); returns how many messages they changed (queued operations)."""
    searcher: SearchLane | None = None
    """Server searches on their own connection and thread; without it they run on the
    account's connection, a folder per turn."""
    appends: AppendLane | None = None
    """The Outbox's Sent copies appended on their own connection and thread; without
    it on the account's connection, in the replay."""


class AccountScheduler:
    """Priorities, backoff, index grace, send timing and push for one account."""

    def __init__(self, account: str, emit: Callable[[Event], None], *,
                 clock: Callable[[], float] = time.monotonic,
                 pause: Callable[[], None] = lambda: None,
                 before_pause: Callable[[], None] = lambda: None,
                 take: Callable[[], None] | None = None) -> None:
        """``pause`` runs between two chunks of a sync, after their SyncProgress went
        out (the window paints them then); ``before_pause`` just before it is emitted.
        ``take`` runs between two parts of a chunk: the front end hands over its queued
        commands, waiting for nothing (``pause`` when not given)."""
        self.account = account
        self._emit_out = emit
        self._clock = clock
        self._pause = pause
        self._before_pause = before_pause
        self._take = take or pause
        self._parts: Parts | None = None
        self._background: deque[Job] = deque()
        self._interactive: deque[Request] = deque()
        self._previews: deque[FetchPreviews] = deque()
        self.busy = False
        self.stopping = False
        self.stopped = False
        self._open_folder: str | None = None
        self._search: ServerSearch | None = None
        self._failures = 0
        self._progressed = False
        """A chunk was stored during the job running now."""
        self._push_held = True
        """Push waits until the first folder sync has shown a chunk, or ended: its own
        connection's login and SELECT would compete with a new profile's way to the
        first rows, for the server and for the GIL (issue 18). Nothing is missed: a
        monitor's first news, once it watches, is a resync (sync/push.py)."""
        self._retry_at: float | None = None
        self._last_request = float("-inf")
        """clock() of the user's latest body request (INDEX_GRACE)."""
        self._last_status: ServiceStatus | None = None
        self._turn_at = 0.0
        """time.perf_counter() of the last turn for the user's requests (LONG_TURN_S)."""
        self._job: Job | None = None
        """The background job running now."""
        self.errors: list[KnownError] = []
        """Every failure of a background job, in order (the command line reports them)."""

    # -- setting up ---------------------------------------------------------------------------
    def engine_event(self, event: Event) -> None:
        """The engine's emit callback; SyncProgress marks the gap between two chunks."""
        if isinstance(event, SyncProgress):
            self._progressed = True  # a chunk is stored: a later failure made headway
        if not (isinstance(event, SyncProgress) and self.busy and event.done < event.total):
            self._emit_out(event)
            if isinstance(event, StatusChanged):
                self._status_seen(event.status)
            return
        self._before_pause()
        self._emit_out(event)
        self._between_chunks(event.folder)

    def attach(self, parts: Parts) -> None:
        """Start: the Outbox recovers, rows a previous session left unindexed are due."""
        self._parts = parts
        parts.engine.appends = parts.appends
        parts.engine.between_parts = self._between_parts
        if parts.outgoing is not None:
            parts.outgoing.start()
        self._enqueue(IndexCatchUp())

    @property
    def engine(self) -> AccountEngine | None:
        return self._parts.engine if self._parts is not None else None

    # -- commands ------------------------------------------------------------------------------
    def submit(self, command: Command) -> None:
        """A command from the front end; the work it asks for runs in ``step()``."""
        if self.stopped:
            return
        if isinstance(command, Stop):
            self.stopping = True
            return
        if isinstance(command, FetchBody | OpenMessage):
            self._interactive.append(command)
            self._last_request = self._clock()
        elif isinstance(command, FetchPreviews):
            self._previews.append(command)
            self._last_request = self._clock()  # the user is looking: indexing waits
        elif isinstance(command, Operation):
            self._apply(command)
        elif isinstance(command, OUTGOING_COMMANDS):
            self._handle_outgoing(command)
        elif isinstance(command, Replay):
            self.now()
            self._enqueue(ReplayJob(), front=True)
        elif isinstance(command, SyncAll):
            self.now()
            self._enqueue(SyncFolderList())
        elif isinstance(command, SyncFolder):
            self._enqueue(command)
        elif isinstance(command, OpenFolder):
            self._open_folder = command.folder
            self._enqueue(SyncFolder(command.folder), front=True)
            self._update_push()
        elif isinstance(command, FetchOlder):
            self._enqueue(command, front=True)
        elif isinstance(command, SearchServer | CancelSearch):
            self._search_command(command)
        elif isinstance(command, RulesCommand):  # issue 15: short exchanges of their own
            rules = self._parts.rules if self._parts is not None else None
            if rules is not None and rules(command):
                self._enqueue(SyncFolderList())  # the rules moved mail (maybe new folders)
                self._enqueue(ReplayJob(), front=True)  # or queued changes (local rules)
        else:
            raise TypeError(f"unknown command {command!r}")

    def sync_one(self, folder: str) -> None:
        """The folder list, then only ``folder`` (which may be new), then quota."""
        self.now()
        self._enqueue(SyncFolderList(only=folder))

    def folder_changed(self, folder: str) -> None:
        """A push monitor saw a change in ``folder`` (told on the account's thread)."""
        if not self.stopped:
            self._enqueue(SyncFolder(folder))

    def now(self) -> None:
        """The user asked (Get Messages, Retry): skip the rest of a reconnect backoff."""
        if self._retry_at is not None:
            self._retry_at = None
            self._failures = 0
        if self._parts is not None and self._parts.outgoing is not None:
            self._parts.outgoing.now()

    def _apply(self, command: Operation) -> None:
        """Local phase now (the window updates at once), the server in the queue."""
        if self._parts is None:
            self._emit_out(OperationFailed(self.account, 0, QT_TRANSLATE_NOOP(
                "Errors", "The account's cache is not open.")))
            return
        try:
            self._parts.engine.apply(command)
        except KnownError as error:
            self._emit_out(OperationFailed(self.account, 0, error.user_message))
            return
        self._enqueue(ReplayJob(), front=True)

    def _handle_outgoing(self, command: Command) -> None:
        """Writing mail (issue 6): durable in the store at once, the network later."""
        outgoing = self._parts.outgoing if self._parts is not None else None
        if outgoing is None:
            self._emit_out(OperationFailed(self.account, 0, QT_TRANSLATE_NOOP(
                "Errors", "The account's cache is not open.")))
            return
        try:
            outgoing.handle(command)
        except KnownError as error:
            self._emit_out(OperationFailed(self.account, 0, error.user_message))

    def _enqueue(self, job: Job, *, front: bool = False) -> None:
        if job in self._background:
            if not front:
                return
            self._background.remove(job)
        if front:
            self._background.appendleft(job)
        else:
            self._background.append(job)

    # -- stepping ------------------------------------------------------------------------------
    def step(self) -> float | None:
        """One unit of work; the seconds until ``step()`` wants to run again (0: at once),
        or None when it waits for a command (or has stopped)."""
        if self.stopped:
            return None
        if self.busy:
            return None  # a step already runs further up this thread's stack
        parts = self._parts
        if parts is None:
            if self.stopping:
                self.close()
            return None
        self.busy = True
        self._turn_at = time.perf_counter()
        self._job = None
        try:
            if self._interactive:
                with yielding.answering():  # the lanes hold back (a message being built)
                    while self._interactive and not self.stopping:
                        self._emit_out(self._answer(parts, self._interactive.popleft()))
            self._answer_previews(parts, between_chunks=False)
            if parts.searcher is not None:
                parts.searcher.collect()
            if parts.appends is not None and parts.appends.finished:
                # A Sent copy is appended (or failed): the replay takes it and goes on.
                self._enqueue(ReplayJob(), front=True)
            self._outgoing_step(parts)
            if not self.stopping and self._background and not self._held():
                self._run_front_job(parts)
            if parts.side is not None:
                parts.side.close_if_idle()
        except Stopped:
            pass
        finally:
            self.busy = False
            self._turned()
        if self.stopping:
            self.close()
            return None
        return self._next_wake(parts)

    @staticmethod
    def _answer(parts: Parts, request: Request) -> Event:
        """A body from the store or the main connection; or over the side connection
        when a sync left it open on the request's folder while the main one moved on to
        another folder: no SELECT then (Dovecot took 90 ms for a 20,000-message INBOX
        here, after a first sync, while the user clicked)."""
        side = parts.side
        if side is not None and side.has_open(request.folder) \
                and not parts.engine.has_open(request.folder) \
                and not parts.store.has_body(request.folder, request.uid):
            answer = side.answer(parts.engine, request)
            if answer is not None:
                return answer
        return answer_body(parts.engine, request)

    def _held(self) -> bool:
        """Whether a reconnect backoff holds the background queue now."""
        if self._retry_at is None:
            return False
        if self._clock() >= self._retry_at:
            self._retry_at = None
            return False
        return True

    def _next_wake(self, parts: Parts) -> float | None:
        if self._interactive or self._previews:
            return 0.0
        waits: list[float] = []
        if self._background:
            if self._retry_at is not None:
                waits.append(max(0.0, self._retry_at - self._clock()))
            elif self._background[0] == IndexCatchUp() and len(self._background) == 1:
                waits.append(self._reading_pause())
            else:
                waits.append(0.0)
        if parts.outgoing is not None:
            if parts.outgoing.wants_drafts:
                waits.append(0.0)
            due = parts.outgoing.seconds_until_due()
            if due is not None:
                waits.append(due)
        if parts.searcher is not None and parts.searcher.busy:
            waits.append(POLL_S)
        if parts.appends is not None and parts.appends.busy:
            waits.append(POLL_S)
        if parts.side is not None:
            idle = parts.side.seconds_until_idle_close()
            if idle is not None:
                waits.append(idle)
        return min(waits) if waits else None

    def _reading_pause(self) -> float:
        """Seconds the index catch-up still waits because the user opened a message
        less than INDEX_GRACE seconds ago."""
        return max(0.0, self._last_request + INDEX_GRACE - self._clock())

    def _outgoing_step(self, parts: Parts) -> None:
        """Sending goes before background sync and has its own backoff (SMTP is another
        server: an IMAP backoff does not hold it up)."""
        outgoing = parts.outgoing
        if outgoing is None or self.stopping:
            return
        if outgoing.wants_drafts:
            outgoing.wants_drafts = False
            self._enqueue(PushDrafts(), front=True)
        if outgoing.send():
            # The Sent copy and \\Answered are queued operations: replay them soon.
            self._enqueue(ReplayJob(), front=True)

    def _run_front_job(self, parts: Parts) -> None:
        job = self._background.popleft()
        if isinstance(job, IndexCatchUp):
            if self._background:
                self._background.append(job)  # last in line: anything else goes first
                job = self._background.popleft()
            elif self._reading_pause() > 0:
                self._background.append(job)  # after the user's pause
                return
        self._job = job
        self._progressed = False
        try:
            self._run(parts, job)
        except KnownError as error:
            self.errors.append(error)
            if error.transient and self._progressed:
                # Cut after some chunks were stored (issue 17: a connection that drops
                # every few thousand messages): each attempt gets further, so retry soon
                # rather than backing off towards minutes.
                self._failures = 0
            if error.transient:
                # The engine emitted StatusChanged(UNREACHABLE); try again later.
                delay = RETRY_BACKOFF_S[min(self._failures, len(RETRY_BACKOFF_S) - 1)]
                self._failures += 1
                log.info("%s: %s failed (%s; %s); retrying in %d s", self.account, job,
                         error.user_message, error.detail, delay)
                self._enqueue(job, front=True)
                self._retry_at = self._clock() + delay
                return
            log.warning("%s: %s failed: %s (%s)", self.account, job, error.user_message,
                        error.detail)
            if isinstance(error, StorageError):
                # Not reported by the engine (only connection failures are).
                self._emit_out(StatusChanged(self.account, ServiceStatus.ERROR,
                                             error.user_message))
        else:
            self._failures = 0

    def _run(self, parts: Parts, job: Job) -> None:
        engine = parts.engine
        if isinstance(job, SyncFolder):
            state = parts.store.folder_state(job.folder)
            if state is None or not state.uidnext:
                # A first sync fetches the whole folder, chunk after chunk: the side
                # connection is made ready meanwhile for the clicks between two chunks.
                self._prepare_side(parts, job.folder)
            try:
                report = engine.sync_folder(job.folder)
            finally:
                self._release_push()
            if parts.on_report is not None:
                parts.on_report(report)
            if parts.local_rules is not None and job.folder == "INBOX" and report.added \
                    and parts.local_rules():
                self._enqueue(ReplayJob(), front=True)  # what the rules queued
            if engine.settings.policy_for(job.folder).offline_bodies:
                self._enqueue(Prefetch(job.folder))
            self._enqueue(IndexCatchUp())
        elif isinstance(job, SearchStep):
            if parts.searcher is not None:
                self._search_beside(parts.searcher, engine, job)
            else:
                self._search_step(engine, job)
        elif isinstance(job, IndexCatchUp):
            if engine.store.index_pending(INDEX_BATCH) == INDEX_BATCH:
                self._enqueue(IndexCatchUp())
        elif isinstance(job, Prefetch):
            if engine.prefetch_bodies(job.folder, PREFETCH_BATCH) == PREFETCH_BATCH:
                self._enqueue(Prefetch(job.folder))  # more to come, after other work
        elif isinstance(job, FetchOlder):
            engine.fetch_older(job.folder, job.count)
        elif isinstance(job, SyncFolderList):
            folders = engine.sync_folder_list()
            # One job per folder: the front end's loop runs between two folders.
            targets = [f.name for f in sync_order(folders)] if job.only is None \
                else [engine.folder(job.only).name]
            for name in targets:
                self._enqueue(SyncFolder(name))
            self._enqueue(RefreshQuota())
            self._update_push()
        elif isinstance(job, ReplayJob):
            engine.replay()
        elif isinstance(job, PushDrafts):
            assert parts.outgoing is not None
            drafts_folder = parts.outgoing.push_drafts()
            if drafts_folder is not None:
                self._enqueue(SyncFolder(drafts_folder), front=True)
        else:
            engine.refresh_quota()

    def _between_chunks(self, syncing: str) -> None:
        """Let the front end take queued commands and paint; answer the body requests
        waiting: a cached body from the store, another over the side connection (the
        main one is busy: the next chunk's UID FETCH is already in flight, pipelined).
        When the side connection cannot be used, the request waits until the folder is
        done. The side connection is made ready beside the worker for the next ones, on
        the folder open in the window, else on ``syncing`` (issue 18, goal 3)."""
        self._pause()
        self._answer_waiting(syncing)
        self._release_push()  # a chunk was shown (not after a part: nothing shown yet)

    def _between_parts(self) -> None:
        """After a part of a sync's chunk (sync/folder_sync.py PART; the engine's
        ``between_parts``): as between two chunks, but with nothing announced the front
        end only hands over its commands (a click waits for a part, not a chunk)."""
        if self.busy:  # (not when the engine is driven without the scheduler)
            self._take()
            self._answer_waiting(None)

    def _turned(self) -> None:
        """A turn for the user's requests: log the stretch since the last one if it was
        longer than LONG_TURN_S."""
        now = time.perf_counter()
        if now - self._turn_at > LONG_TURN_S:
            log.debug("%s: %.0f ms without a turn for the user's requests (%s)",
                      self.account, (now - self._turn_at) * 1000,
                      self._job if self._job is not None else "answers, sending")
        self._turn_at = now

    def _answer_waiting(self, syncing: str | None) -> None:
        self._turned()
        if self.stopping:
            raise Stopped
        parts = self._parts
        if parts is None:
            return
        if syncing is not None:
            self._prepare_side(parts, syncing)
        waiting: deque[Request] = deque()
        with yielding.answering():
            while self._interactive:
                request = self._interactive.popleft()
                if parts.store.has_body(request.folder, request.uid):
                    self._emit_out(answer_body(parts.engine, request))
                elif parts.side is not None \
                        and (answer := parts.side.answer(parts.engine, request)) is not None:
                    self._emit_out(answer)
                else:
                    waiting.append(request)
        self._interactive = waiting
        self._answer_previews(parts, between_chunks=True)

    def _prepare_side(self, parts: Parts, syncing: str) -> None:
        """Have the side connection made ready for the next click (issue 18, goal 3): on
        the folder open in the window; without one known, on ``syncing`` if it has none
        open (else it stays where it is: in a folder the user reads, where it saves the
        account's connection a SELECT, ``_answer``). Only once the account's connection
        is up: a server that refuses it (a wrong password) is not asked twice."""
        side = parts.side
        if side is None or not parts.engine.connected:
            return
        if self._open_folder is not None:
            side.prepare(parts.engine, self._open_folder)
        elif side.open_folder is None:
            side.prepare(parts.engine, syncing)

    def _answer_previews(self, parts: Parts, *, between_chunks: bool) -> None:
        """Preview lines (issue 14), cosmetic: a failure is logged, never shown. Over the
        side connection between chunks (the main one has the next FETCH in flight) or
        when it is still open on the folder (no SELECT on the main connection, which a
        sync left elsewhere); else over the main connection, except between chunks,
        where they wait. Offline they are dropped: the rows ask again when shown."""
        waiting: deque[FetchPreviews] = deque()
        while self._previews and not self.stopping:
            request = self._previews.popleft()
            side = parts.side
            if side is not None and (between_chunks or side.has_open(request.folder)):
                made = side.previews(parts.engine, request)
                if made is not None:
                    self._previews_made(request, made)
                    continue
            if between_chunks:
                waiting.append(request)
            elif self._retry_at is None:
                try:
                    self._previews_made(request, parts.engine.previews(request.folder,
                                                                       request.uids))
                except KnownError as error:
                    log.info("%s: no preview lines in %s: %s", self.account,
                             request.folder, error.detail or error)
        self._previews.extendleft(reversed(waiting))

    def _previews_made(self, request: FetchPreviews, uids: list[int]) -> None:
        if uids:
            self._emit_out(PreviewsReady(self.account, request.folder, tuple(uids)))

    def _status_seen(self, status: ServiceStatus) -> None:
        parts = self._parts
        if (status is ServiceStatus.CONNECTED and self._last_status is ServiceStatus.CONNECTING
                and parts is not None and parts.outgoing is not None):
            parts.outgoing.reconnected()  # a new session: the network is back
        self._last_status = status

    # -- server search (issue 7) -----------------------------------------------------------
    def _search_command(self, command: SearchServer | CancelSearch) -> None:
        """A new search replaces the one running (its next folder is never searched);
        a cancel of the running one stops it. Stale ids are ignored."""
        if isinstance(command, CancelSearch):
            if self._search is not None and self._search.search_id == command.search_id:
                self._search = None
            return
        if self._parts is None:
            return
        if self._retry_at is not None:
            # Offline, waiting to reconnect: say so now rather than search much later.
            self._emit_out(SearchDone(self.account, command.search_id, 0, QT_TRANSLATE_NOOP(
                "Errors", "The server cannot be reached: only mail on this computer was "
                "searched.")))
            return
        self._search = ServerSearch(command, self._parts.store.folders())
        self._enqueue(SearchStep(command.search_id), front=True)

    def _search_step(self, engine: AccountEngine, job: SearchStep) -> None:
        search = self._search
        if search is None or search.search_id != job.search_id:
            return  # cancelled or replaced since
        try:
            search.step(engine, self._emit_out)
        except KnownError as error:
            self._search_failed(engine, search, error)
            return
        self._search_next(engine, search, job)

    def _search_failed(self, engine: AccountEngine, search: ServerSearch,
                       error: KnownError) -> None:
        # Not retried: by then the user has typed something else. The status bar shows
        # a lost connection (the engine reported it); the results bar says so too.
        self._search = None
        search.finish(engine, self._emit_out, error.user_message)

    def _search_next(self, engine: AccountEngine, search: ServerSearch, job: SearchStep
                     ) -> None:
        if search.done:
            self._search = None
            search.finish(engine, self._emit_out)
            self._enqueue(IndexCatchUp())
        else:
            self._enqueue(job, front=True)

    def _search_beside(self, searcher: SearchLane, engine: AccountEngine,
                       job: SearchStep) -> None:
        """The next folder's UID SEARCH goes to the search lane; its answer is taken on
        a later turn (``_searched``), and the folder after it is asked for then."""
        search = self._search
        if search is None or search.search_id != job.search_id:
            return
        name = search.next_folder()
        if name is None:
            self._search_next(engine, search, job)
            return
        try:
            folder = engine.folder(name)
        except KnownError as error:
            self._search_failed(engine, search, error)
            return
        searcher.search(folder, search.keys,
                        partial(self._searched, engine, search, job, name))

    def _searched(self, engine: AccountEngine, search: ServerSearch, job: SearchStep,
                  name: str, found: Result[Found]) -> None:
        if self._search is not search:
            return  # cancelled or replaced meanwhile
        try:
            uidvalidity, uids = found()
            # Two store reads of up to 30 ms each on a 20,000-message folder: the user's
            # requests are taken and answered between them (issue 18, goal 3).
            search.settle(engine, self._emit_out, name, uidvalidity, uids,
                          turn=self._between_parts)
        except KnownError as error:
            if self._search is search:
                self._search_failed(engine, search, error)
            return
        if self._search is search:  # (not cancelled or replaced during the turn)
            self._search_next(engine, search, job)

    # -- push -------------------------------------------------------------------------------
    def _update_push(self) -> None:
        parts = self._parts
        if parts is None or parts.push is None or self._push_held:
            return
        wanted = ["INBOX"]
        if self._open_folder is not None:
            wanted.append(self._open_folder)
        folders = [f for f in (parts.store.folder(n) for n in wanted)
                   if f is not None and f.selectable]
        parts.push.watch(folders)

    def _release_push(self) -> None:
        """The first folder sync showed a chunk or ended: push may start (``_push_held``)."""
        if self._push_held and not self.stopping:
            self._push_held = False
            self._update_push()

    # -- the end ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop push, close connections and the store: the account's thread may end."""
        if self.stopped:
            return
        self.stopped = True
        parts, self._parts = self._parts, None
        if parts is None:
            return
        if parts.push is not None:
            parts.push.stop_all()
        if parts.outgoing is not None:
            parts.outgoing.close()  # a message being built is stored first
        if parts.searcher is not None:
            parts.searcher.close()
        if parts.appends is not None:
            parts.appends.close()
        if parts.peers is not None:
            parts.peers.close()
        if parts.side is not None:
            parts.side.stop()
        try:
            parts.engine.close()
        except KnownError as error:
            log.info("%s: logout failed: %s", self.account, error)
        parts.store.close()

    def run_until_idle(self, sleep: Callable[[float], None] = time.sleep,
                       limit: float | None = None) -> None:
        """The command line's loop: step until nothing waits (a wake-up later than
        ``limit`` seconds counts as nothing: a backoff ends the run)."""
        while not self.stopped:
            wait = self.step()
            if wait is None or (limit is not None and wait > limit):
                return
            if wait > 0:
                sleep(wait)
