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

The scheduler owns its helpers and hands each what it needs: the background queue and
its backoff (scheduler_queue.py), what each job does (scheduler_jobs.py), the user's
waiting requests (scheduler_answers.py), the server search (scheduler_search.py); its
parts and the push folders are in scheduler_parts.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from qtmail.core import turns
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
from qtmail.core.events import Event, OperationFailed, StatusChanged, SyncProgress
from qtmail.sieve.jobs import RulesCommand
from qtmail.sync.engine import AccountEngine
from qtmail.sync.jobs import IndexCatchUp, Job, PushDrafts, ReplayJob, SyncFolderList
from qtmail.sync.lane import POLL_S
from qtmail.sync.outgoing_work import OUTGOING_COMMANDS
from qtmail.sync.scheduler_answers import UserRequests, prepare_side
from qtmail.sync.scheduler_jobs import JobRunner
from qtmail.sync.scheduler_parts import Parts as Parts  # re-exported: the front ends' import
from qtmail.sync.scheduler_parts import PushControl as PushControl
from qtmail.sync.scheduler_parts import PushWatch, Stopped
from qtmail.sync.scheduler_queue import RETRY_BACKOFF_S as RETRY_BACKOFF_S
from qtmail.sync.scheduler_queue import JobQueue
from qtmail.sync.scheduler_search import SearchRunner

log = logging.getLogger(__name__)

LONG_TURN_S = 0.05
"""Issue 18 goal 3: the worker never keeps the user's requests waiting longer than this
(a step, or the stretch between two turns for them inside one); a longer stretch is
logged (debug) with the job that took it, for the problem reports' recent log."""


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
        self._requests = UserRequests(account, emit, clock=clock,
                                      stopping=lambda: self.stopping,
                                      offline=lambda: self._background.offline)
        self._background = JobQueue(clock, self._requests.reading_pause)
        self.busy = False
        self.stopping = False
        self.stopped = False
        self._open_folder: str | None = None
        self._progressed = False
        """A chunk was stored during the job running now."""
        self._push = PushWatch()
        self._last_status: ServiceStatus | None = None
        self._turn_at = 0.0
        """time.perf_counter() of the last turn for the user's requests (LONG_TURN_S)."""
        self._job: Job | None = None
        """The background job running now."""
        self._mid_answer = False
        """Commands are being taken while the account's connection is in the middle of a
        server's answer (``_while_waiting``)."""
        self._held: list[Operation] = []
        """The user's changes taken then: applied at the next turn between two parts or
        chunks, or once the job ends (``_apply_held``)."""
        self.errors: list[KnownError] = []
        """Every failure of a background job, in order (the command line reports them)."""
        self._searches = SearchRunner(account, emit, self._background.add,
                                      self._between_parts)
        self._runner = JobRunner(self._background, self._searches,
                                 release_push=self._release_push,
                                 update_push=self._update_push)

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
        parts.engine.while_waiting = self._while_waiting
        if parts.outgoing is not None:
            parts.outgoing.start()
        self._background.add(IndexCatchUp())

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
        if isinstance(command, FetchBody | OpenMessage | FetchPreviews):
            self._requests.add(command)
        elif isinstance(command, Operation):
            if self._mid_answer:
                self._held.append(command)
            else:
                self._apply(command)
        elif isinstance(command, OUTGOING_COMMANDS):
            self._handle_outgoing(command)
        elif isinstance(command, Replay):
            self.now()
            self._background.add(ReplayJob(), front=True)
        elif isinstance(command, SyncAll):
            self.now()
            self._background.add(SyncFolderList())
        elif isinstance(command, SyncFolder):
            self._background.add(command)
        elif isinstance(command, OpenFolder):
            self._open_folder = command.folder
            self._background.add(SyncFolder(command.folder), front=True)
            self._update_push()
        elif isinstance(command, FetchOlder):
            self._background.add(command, front=True)
        elif isinstance(command, SearchServer | CancelSearch):
            self._searches.command(command,
                                   self._parts.store if self._parts is not None else None,
                                   offline=self._background.offline)
        elif isinstance(command, RulesCommand):  # issue 15: short exchanges of their own
            rules = self._parts.rules if self._parts is not None else None
            if rules is not None and rules(command):
                self._background.add(SyncFolderList())  # the rules moved mail (maybe new folders)
                self._background.add(ReplayJob(), front=True)  # or queued changes (local rules)
        else:
            raise TypeError(f"unknown command {command!r}")

    def sync_one(self, folder: str) -> None:
        """The folder list, then only ``folder`` (which may be new), then quota."""
        self.now()
        self._background.add(SyncFolderList(only=folder))

    def folder_changed(self, folder: str) -> None:
        """A push monitor saw a change in ``folder`` (told on the account's thread)."""
        if not self.stopped:
            self._background.add(SyncFolder(folder))

    def now(self) -> None:
        """The user asked (Get Messages, Retry): skip the rest of a reconnect backoff."""
        self._background.retry_now()
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
        self._background.add(ReplayJob(), front=True)

    def _apply_held(self) -> None:
        """The changes taken while the sync was in the middle of an answer, in order. Not
        applied there: the sync writes what that answer holds once it is read, and it
        would overwrite them (the flags of a full refresh, RFC 3501 6.4.5, or of a
        message changed on another device too) or no longer find their folder."""
        while self._held:  # one at a time: a bug in one leaves the others held
            self._apply(self._held.pop(0))

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

    @property
    def answers_waiting(self) -> bool:
        """Whether a request of the user's waits for this account (a message opened, a
        list's preview lines)."""
        return self._requests.waiting

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
            self._requests.answer(parts)
            if parts.searcher is not None:
                parts.searcher.collect()
            if parts.appends is not None and parts.appends.finished:
                # A Sent copy is appended (or failed): the replay takes it and goes on.
                self._background.add(ReplayJob(), front=True)
            self._outgoing_step(parts)
            if not self.stopping and self._background and not self._background.held():
                self._run_front_job(parts)
            if parts.side is not None:
                parts.side.close_if_idle()
        except Stopped:
            pass
        finally:
            self.busy = False
            self._turned()
        self._apply_held()
        if self.stopping:
            self.close()
            return None
        return self._next_wake(parts)

    def _next_wake(self, parts: Parts) -> float | None:
        if self._requests.waiting:
            return 0.0
        waits: list[float] = []
        queued = self._background.wait()
        if queued is not None:
            waits.append(queued)
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

    def _outgoing_step(self, parts: Parts) -> None:
        """Sending goes before background sync and has its own backoff (SMTP is another
        server: an IMAP backoff does not hold it up)."""
        outgoing = parts.outgoing
        if outgoing is None or self.stopping:
            return
        if outgoing.wants_drafts:
            outgoing.wants_drafts = False
            self._background.add(PushDrafts(), front=True)
        if outgoing.send():
            # The Sent copy and \\Answered are queued operations: replay them soon.
            self._background.add(ReplayJob(), front=True)

    def _run_front_job(self, parts: Parts) -> None:
        job = self._background.next_job()
        if job is None:
            return
        self._job = job
        self._progressed = False
        try:
            self._runner.run(parts, job, self._open_folder)
        except KnownError as error:
            self.errors.append(error)
            if error.transient:
                # The engine emitted StatusChanged(UNREACHABLE); try again later.
                delay = self._background.retry(job, progressed=self._progressed)
                log.info("%s: %s failed (%s; %s); retrying in %d s", self.account, job,
                         error.user_message, error.detail, delay)
                return
            log.warning("%s: %s failed: %s (%s)", self.account, job, error.user_message,
                        error.detail)
            if isinstance(error, StorageError):
                # Not reported by the engine (only connection failures are).
                self._emit_out(StatusChanged(self.account, ServiceStatus.ERROR,
                                             error.user_message))
        else:
            self._background.succeeded()

    def _between_chunks(self, syncing: str) -> None:
        """Let the front end take queued commands and paint; answer the body requests
        waiting: a cached body from the store, another over the side connection (the
        main one is busy: the next chunk's UID FETCH is already in flight, pipelined).
        When the side connection cannot be used, the request waits until the folder is
        done. The side connection is made ready beside the worker for the next ones, on
        the folder open in the window, else on ``syncing`` (issue 18, goal 3)."""
        self._apply_held()
        self._pause()
        self._answer_waiting(syncing)
        self._release_push()  # a chunk was shown (not after a part: nothing shown yet)

    def _between_parts(self) -> None:
        """After a part of a sync's chunk (sync/folder_sync.py PART; the engine's
        ``between_parts``): as between two chunks, but with nothing announced the front
        end only hands over its commands (a click waits for a part, not a chunk)."""
        if self.busy:  # (not when the engine is driven without the scheduler)
            self._apply_held()
            self._take()
            self._answer_waiting(None)

    def _while_waiting(self) -> None:
        """While the account's connection waits for the server in a folder's sync (the
        engine's ``while_waiting``: a large folder's SELECT, the first part of a chunk):
        as between two parts, the user's requests are taken and answered over the other
        connections; the user's changes wait for the sync's next turn between two parts
        or its end (``_apply_held``). Only when the window sent a command (turns.hurry,
        as the bridge does with each) or a request waits: run every 10 ms on each
        account's worker for nothing, this work kept the window from the GIL (bench_gaps,
        5 accounts with Dovecot beside the window: the largest gap 78 and 84 ms in 2 of 4
        runs, 27-41 ms without it). A stop is not raised here, in the middle of an
        answer: the next turn between parts or chunks raises it."""
        if not self.busy or self.stopping or self._parts is None:
            return
        if not turns.hurried() and not self.answers_waiting:
            return
        self._mid_answer = True
        try:
            self._take()
        finally:
            self._mid_answer = False
        if not self.stopping:
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
            prepare_side(parts, self._open_folder, syncing)
        self._requests.answer_between(parts)

    def _status_seen(self, status: ServiceStatus) -> None:
        parts = self._parts
        if (status is ServiceStatus.CONNECTED and self._last_status is ServiceStatus.CONNECTING
                and parts is not None and parts.outgoing is not None):
            parts.outgoing.reconnected()  # a new session: the network is back
        self._last_status = status

    # -- push -------------------------------------------------------------------------------
    def _update_push(self) -> None:
        self._push.update(self._parts, self._open_folder)

    def _release_push(self) -> None:
        """The first folder sync showed a chunk or ended: push may start."""
        if not self.stopping:
            self._push.release(self._parts, self._open_folder)

    # -- the end ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop push, close connections and the store: the account's thread may end."""
        if self.stopped:
            return
        self.stopped = True
        parts, self._parts = self._parts, None
        if parts is None:
            return
        parts.close(self.account)

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
