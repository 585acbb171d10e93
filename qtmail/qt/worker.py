"""AccountWorker: one per account, living in its own QThread (ARCHITECTURE.md,
"Threads and messages"). It owns the account's engine, store write connection, IMAP
sessions and Outbox; commands arrive over one queued signal, frozen events leave over
one ``event`` signal. The GUI side is qtmail.qt.bridge.EngineClient.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QTimer,
    Signal,
    Slot,
)

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import (
    CancelSearch,
    Command,
    FetchBody,
    FetchOlder,
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
from qtmail.core.events import Event, OperationFailed, SearchDone, StatusChanged, SyncProgress
from qtmail.imap.idle import IdleWatcher
from qtmail.qt.pacing import CHUNK_PAUSE, ShownSignal
from qtmail.qt.peers import PeerEngines, PeerLookup
from qtmail.qt.push import PushWatch
from qtmail.qt.side_bodies import SideBodies
from qtmail.qt.worker_jobs import (
    INDEX_BATCH,
    INDEX_GRACE,
    PREFETCH_BATCH,
    IndexCatchUp,
    Job,
    Prefetch,
    PushDrafts,
    RefreshQuota,
    ReplayJob,
    Request,
    SearchStep,
    SyncFolderList,
)
from qtmail.qt.worker_ops import answer_body
from qtmail.qt.worker_outgoing import OUTGOING_COMMANDS, OutgoingWork
from qtmail.qt.worker_rules import run_rules
from qtmail.sieve.jobs import RulesCommand
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, Connector, connect_session, sync_order
from qtmail.sync.push import Watcher
from qtmail.sync.server_search import ServerSearch

log = logging.getLogger(__name__)

RETRY_BACKOFF_MS = (2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000)
"""Reconnect delays after a transient failure: seconds growing to minutes."""

GUI_SWITCH_INTERVAL = 0.001
"""sys.setswitchinterval once a worker runs: each Python callback of the GUI thread
(one per painted cell) waits for the GIL up to this long, not the default 5 ms,
while a worker parses a sync (issue 4)."""

WatcherFactory = Callable[[AccountSettings, str], Watcher]


def connect_watcher(settings: AccountSettings, password: str) -> Watcher:
    return IdleWatcher.connect(settings.imap, settings.imap_username, password)


class _Stopped(Exception):
    """Raised between two sync chunks to unwind the engine when Stop arrived."""


class AccountWorker(QObject):
    """Runs one AccountEngine on the thread it was moved to.

    Signals: ``event(Event)`` for every engine event and every answer; ``ready()`` once
    the store's write connection is open (the GUI may then open its reader).
    """

    # Shadows QObject.event(QEvent) as an attribute (the architecture's name); Qt's
    # C++ event dispatch is unaffected, only Python callers of obj.event(e) would be.
    event = Signal(object)  # type: ignore[assignment]
    ready = Signal()

    def __init__(self, settings: AccountSettings, cache_path: Path,
                 password: Callable[[], str], *, connector: Connector = connect_session,
                 watcher: WatcherFactory = connect_watcher,
                 shown: ShownSignal | None = None) -> None:
        super().__init__()
        self._shown = shown or ShownSignal()
        self._settings = settings
        self._cache_path = cache_path
        self._password = password
        self._connector = connector
        self._watcher_factory = watcher
        self._store: Store | None = None
        self._engine: AccountEngine | None = None
        self._push: PushWatch | None = None
        self._side: SideBodies | None = None
        self._background: deque[Job] = deque()
        self._interactive: deque[Request] = deque()
        self._busy = False
        self._stopping = False
        self._stopped = False
        self._syncing: str | None = None
        self._open_folder: str | None = None
        self._search: ServerSearch | None = None
        self._failures = 0
        self._pump_timer: QTimer | None = None
        self._retry_timer: QTimer | None = None
        self._index_timer: QTimer | None = None
        self._last_request = float("-inf")
        """time.monotonic() of the user's latest body request (INDEX_GRACE)."""
        self.peer_lookup: PeerLookup | None = None
        """Other accounts, for transfers; set before the thread starts."""
        self._peers: PeerEngines | None = None
        self._outgoing: OutgoingWork | None = None
        self._last_status: ServiceStatus | None = None

    @property
    def account(self) -> str:
        return self._settings.name

    # -- lifecycle (worker thread) ------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Connected to QThread.started: everything thread-bound is made here."""
        self._pump_timer = QTimer(self)
        self._pump_timer.setSingleShot(True)
        self._pump_timer.setInterval(0)
        self._pump_timer.timeout.connect(self._pump)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._retry)
        self._index_timer = QTimer(self)
        self._index_timer.setSingleShot(True)
        self._index_timer.timeout.connect(self._index_later)
        try:
            self._store = Store.open(self._cache_path)
        except KnownError as error:
            log.warning("%s: cache not opened: %s", self.account, error.detail or error)
            self.event.emit(StatusChanged(self.account, ServiceStatus.ERROR,
                                          error.user_message))
            return
        self._peers = PeerEngines(self.peer_lookup)
        self._engine = AccountEngine(self._settings, self._store, self._password,
                                     self._emit, connector=self._connector,
                                     peers=self._peers.get)
        self._side = SideBodies(self._settings, self._password, self._connector, self)
        poll = self._settings.sync.check_minutes
        self._push = PushWatch(self, self._connect_watcher, self._on_push,
                               poll_seconds=None if poll is None else poll * 60.0)
        self._outgoing = OutgoingWork(self, self._engine, self._password, self._emit,
                                      self._schedule, RETRY_BACKOFF_MS)
        self.ready.emit()
        self._outgoing.start()
        self._enqueue(IndexCatchUp())  # rows a previous session left unindexed
        self._schedule()

    def _connect_watcher(self) -> Watcher:
        # Runs on the push monitor's thread: the password lookup may block there.
        return self._watcher_factory(self._settings, self._password())

    @Slot(object)
    def handle(self, command: Command) -> None:
        """Queued from the GUI thread; may also run between two chunks of a long sync."""
        if self._stopped:
            return
        if isinstance(command, Stop):
            self._stopping = True
            if not self._busy:
                self._shutdown()
            return
        if isinstance(command, FetchBody | OpenMessage):
            self._interactive.append(command)
            self._last_request = time.monotonic()
        elif isinstance(command, Operation):
            self._apply(command)
        elif isinstance(command, OUTGOING_COMMANDS):
            self._handle_outgoing(command)
        elif isinstance(command, Replay):
            self._now()
            self._enqueue(ReplayJob(), front=True)
        elif isinstance(command, SyncAll):
            self._now()
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
            if run_rules(command, self._settings, self._password, self._connector,
                         self._store, self.event.emit):
                self._enqueue(SyncFolderList())  # the rules moved mail (maybe new folders)
        else:
            raise TypeError(f"unknown command {command!r}")
        self._schedule()

    def _now(self) -> None:
        """The user asked (Get Messages, Retry): skip the rest of a reconnect backoff."""
        if self._retry_timer is not None and self._retry_timer.isActive():
            self._retry_timer.stop()
            self._failures = 0
        if self._outgoing is not None:
            self._outgoing.now()

    def _handle_outgoing(self, command: Command) -> None:
        """Writing mail (issue 6): durable in the store at once, the network later."""
        if self._outgoing is None:
            self.event.emit(OperationFailed(self.account, 0,
                                            "The account's cache is not open."))
            return
        try:
            self._outgoing.handle(command)
        except KnownError as error:
            self.event.emit(OperationFailed(self.account, 0, error.user_message))

    def _apply(self, command: Operation) -> None:
        """Local phase now (the window updates at once), the server in the queue."""
        if self._engine is None:
            self.event.emit(OperationFailed(self.account, 0,
                                            QT_TRANSLATE_NOOP(
                                                "Errors", "The account's cache is not open.")))
            return
        try:
            self._engine.apply(command)
        except KnownError as error:
            self.event.emit(OperationFailed(self.account, 0, error.user_message))
            return
        self._enqueue(ReplayJob(), front=True)

    def _shutdown(self) -> None:
        self._stopped = True
        for timer in (self._pump_timer, self._retry_timer, self._index_timer):
            if timer is not None:
                timer.stop()
        if self._outgoing is not None:
            self._outgoing.stop()
        if self._push is not None:
            self._push.stop_all()
        if self._peers is not None:
            self._peers.close()
        if self._side is not None:
            self._side.close()
        if self._engine is not None:
            try:
                self._engine.close()
            except KnownError as error:
                log.info("%s: logout failed: %s", self.account, error)
        if self._store is not None:
            self._store.close()
        self._engine = self._store = None
        thread = self.thread()
        thread.quit()

    # -- scheduling ---------------------------------------------------------------------
    def _enqueue(self, job: Job, *, front: bool = False) -> None:
        if job in self._background:
            if not front:
                return
            self._background.remove(job)
        if front:
            self._background.appendleft(job)
        else:
            self._background.append(job)

    def _schedule(self) -> None:
        """Run the next job from the event loop, so commands and timers come in between."""
        if self._pump_timer is not None and not self._busy and not self._stopped:
            self._pump_timer.start()

    @Slot()
    def _retry(self) -> None:
        self._schedule()

    @Slot()
    def _pump(self) -> None:
        """One step: every waiting interactive request, then one background job."""
        if self._busy or self._engine is None or self._stopped:
            return
        assert self._retry_timer is not None
        self._busy = True
        try:
            while self._interactive and not self._stopping:
                self._serve_body(self._interactive.popleft())
            self._outgoing_step()
            if self._background and not self._stopping and not self._retry_timer.isActive():
                self._run_front_job()
        except _Stopped:
            pass
        finally:
            self._busy = False
            self._syncing = None
        if self._stopping:
            self._shutdown()
        elif self._interactive or (self._background and not self._retry_timer.isActive()) \
                or (self._outgoing is not None and self._outgoing.wants_send):
            self._schedule()

    def _outgoing_step(self) -> None:
        """Sending goes before background sync and has its own backoff (SMTP is another
        server: an IMAP backoff does not hold it up)."""
        outgoing = self._outgoing
        if outgoing is None or self._stopping:
            return
        if outgoing.wants_drafts:
            outgoing.wants_drafts = False
            self._enqueue(PushDrafts(), front=True)
        if outgoing.wants_send and outgoing.send():
            # The Sent copy and \Answered are queued operations: replay them soon.
            self._enqueue(ReplayJob(), front=True)

    def _run_front_job(self) -> None:
        assert self._engine is not None and self._retry_timer is not None
        job = self._background.popleft()
        if isinstance(job, IndexCatchUp):
            if self._background:
                self._background.append(job)  # last in line: anything else goes first
                job = self._background.popleft()
            elif self._user_reading():
                return  # _index_later queues it again
        try:
            self._run(self._engine, job)
        except KnownError as error:
            if error.transient:
                # The engine emitted StatusChanged(UNREACHABLE); try again later.
                delay = RETRY_BACKOFF_MS[min(self._failures, len(RETRY_BACKOFF_MS) - 1)]
                self._failures += 1
                log.info("%s: %s failed (%s); retrying in %d s", self.account, job,
                         error.user_message, delay // 1000)
                self._enqueue(job, front=True)
                self._retry_timer.start(delay)
                return
            log.warning("%s: %s failed: %s", self.account, job, error.user_message)
            if isinstance(error, StorageError):
                # Not reported by the engine (only connection failures are).
                self.event.emit(StatusChanged(self.account, ServiceStatus.ERROR,
                                              error.user_message))
        else:
            self._failures = 0

    def _run(self, engine: AccountEngine, job: Job) -> None:
        if isinstance(job, SyncFolder):
            self._syncing = job.folder
            engine.sync_folder(job.folder)
            if engine.settings.policy_for(job.folder).offline_bodies:
                self._enqueue(Prefetch(job.folder))
            self._enqueue(IndexCatchUp())
        elif isinstance(job, SearchStep):
            self._search_step(engine, job)
        elif isinstance(job, IndexCatchUp):
            if engine.store.index_pending(INDEX_BATCH) == INDEX_BATCH:
                self._enqueue(IndexCatchUp())
        elif isinstance(job, Prefetch):
            if engine.prefetch_bodies(job.folder, PREFETCH_BATCH) == PREFETCH_BATCH:
                self._enqueue(Prefetch(job.folder))  # more to come, after other work
        elif isinstance(job, FetchOlder):
            self._syncing = job.folder
            engine.fetch_older(job.folder, job.count)
        elif isinstance(job, SyncFolderList):
            folders = engine.sync_folder_list()
            # One job per folder: the event loop runs between two folders.
            for folder in sync_order(folders):
                self._enqueue(SyncFolder(folder.name))
            self._enqueue(RefreshQuota())
            self._update_push()
        elif isinstance(job, ReplayJob):
            engine.replay()
        elif isinstance(job, PushDrafts):
            assert self._outgoing is not None
            drafts_folder = self._outgoing.push_drafts()
            if drafts_folder is not None:
                self._enqueue(SyncFolder(drafts_folder), front=True)
        else:
            engine.refresh_quota()

    # -- server search (issue 7) -----------------------------------------------------------
    def _search_command(self, command: SearchServer | CancelSearch) -> None:
        """A new search replaces the one running (its next folder is never searched);
        a cancel of the running one stops it. Stale ids are ignored."""
        if isinstance(command, CancelSearch):
            if self._search is not None and self._search.search_id == command.search_id:
                self._search = None
            return
        if self._store is None:
            return
        if self._retry_timer is not None and self._retry_timer.isActive():
            # Offline, waiting to reconnect: say so now rather than search much later.
            self.event.emit(SearchDone(self.account, command.search_id, 0,
                                       QCoreApplication.translate(
                                           "AccountWorker", "The server cannot be reached: "
                                           "only mail on this computer was searched.")))
            return
        self._search = ServerSearch(command, self._store.folders())
        self._enqueue(SearchStep(command.search_id), front=True)

    def _search_step(self, engine: AccountEngine, job: SearchStep) -> None:
        search = self._search
        if search is None or search.search_id != job.search_id:
            return  # cancelled or replaced since
        try:
            search.step(engine, self.event.emit)
        except KnownError as error:
            # Not retried: by then the user has typed something else. The status bar
            # shows a lost connection (the engine reported it); the bar says so too.
            self._search = None
            search.finish(engine, self.event.emit, error.user_message)
            return
        if search.done:
            self._search = None
            search.finish(engine, self.event.emit)
            self._enqueue(IndexCatchUp())
        else:
            self._enqueue(job, front=True)

    def _user_reading(self) -> bool:
        """True, with a timer set for the end of the pause, when the user opened a
        message less than INDEX_GRACE seconds ago."""
        wait = self._last_request + INDEX_GRACE - time.monotonic()
        if wait <= 0 or self._index_timer is None:
            return False
        self._index_timer.start(int(wait * 1000) + 1)
        return True

    @Slot()
    def _index_later(self) -> None:
        if not self._stopped:
            self._enqueue(IndexCatchUp())
            self._schedule()

    # -- interactive requests -------------------------------------------------------------
    def _serve_body(self, request: Request) -> None:
        assert self._engine is not None
        self.event.emit(answer_body(self._engine, request))

    def _emit(self, event: Event) -> None:
        """The engine's emit callback; SyncProgress marks the gap between two chunks."""
        if not (isinstance(event, SyncProgress) and self._busy and event.done < event.total):
            self.event.emit(event)
            if isinstance(event, StatusChanged):
                self._status_seen(event.status)
            return
        self._shown.expect()
        self.event.emit(event)
        self._between_chunks(event.folder)

    def _status_seen(self, status: ServiceStatus) -> None:
        if (status is ServiceStatus.CONNECTED and self._last_status is ServiceStatus.CONNECTING
                and self._outgoing is not None):
            self._outgoing.reconnected()  # a new session: the network is back
        self._last_status = status

    def _between_chunks(self, folder: str) -> None:
        """Let queued commands in, and answer the body requests waiting.

        A cached body comes from the store; another is downloaded over the side
        connection (side_bodies.py): the main one is busy, the next chunk's UID FETCH
        is already in flight (pipelined), so a command sent on it now would read that
        command's answers as its own. When the side connection cannot be used, the
        request waits until this folder is done.
        """
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        if self._stopping:
            raise _Stopped
        # The GIL free while the GUI shows the chunk just announced (issue 4).
        self._shown.wait(CHUNK_PAUSE)
        assert self._store is not None and self._engine is not None
        assert self._side is not None
        waiting: deque[Request] = deque()
        while self._interactive:
            request = self._interactive.popleft()
            if self._store.has_body(request.folder, request.uid):
                self._serve_body(request)
            elif (answer := self._side.answer(self._engine, request)) is not None:
                self.event.emit(answer)
            else:
                waiting.append(request)
        self._interactive = waiting

    # -- push ----------------------------------------------------------------------------
    def _update_push(self) -> None:
        if self._push is None or self._store is None:
            return
        wanted = ["INBOX"]
        if self._open_folder is not None:
            wanted.append(self._open_folder)
        folders = [f for f in (self._store.folder(n) for n in wanted)
                   if f is not None and f.selectable]
        self._push.watch(folders)

    @Slot(str)
    def _on_push(self, folder: str) -> None:
        """A push monitor saw a change (queued from its thread into this one)."""
        if self._stopped:
            return
        self._enqueue(SyncFolder(folder))
        self._schedule()
