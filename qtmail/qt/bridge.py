"""The thread boundary: AccountWorker (one QThread per account) and EngineClient (GUI side).

ARCHITECTURE.md, "Threads and messages": commands go UI -> worker through one queued
signal, frozen events come back through one ``event`` signal. The worker opens the
store's write connection and the IMAP session only once its thread runs.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import (
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import (
    Command,
    FetchBody,
    FetchOlder,
    FetchPreviews,
    OpenFolder,
    OpenMessage,
    Stop,
    SyncAll,
    SyncFolder,
)
from qtmail.core.events import Event, SyncProgress
from qtmail.net.sasl import Secret
from qtmail.qt.worker import GUI_SWITCH_INTERVAL, AccountWorker, WatcherFactory
from qtmail.sync.engine import Connector, connect_session
from qtmail.sync.pacing import ShownSignal
from qtmail.sync.peers import PeerLookup, PeerSpec
from qtmail.sync.push import connect_watcher


class EngineClient(QObject):
    """The GUI side of one account: owns the worker's QThread and forwards commands.

    Signals: ``event(Event)`` re-emitted on the GUI thread; ``ready()`` once the cache
    exists (open the read-only Store for the models then).
    """

    event = Signal(object)  # type: ignore[assignment]  # see AccountWorker.event
    ready = Signal()
    _command = Signal(object)

    def __init__(self, settings: AccountSettings, cache_path: Path,
                 password: Callable[[], Secret], parent: QObject | None = None, *,
                 connector: Connector = connect_session,
                 watcher: WatcherFactory = connect_watcher,
                 smtp_password: Callable[[], Secret] | None = None) -> None:
        super().__init__(parent)
        self.account = settings.name
        self.cache_path = cache_path
        self.peer_spec = PeerSpec(settings, cache_path, password, connector)
        """How another account's worker reaches this account (transfers)."""
        self._ids = itertools.count(1)
        self._shown = ShownSignal()
        self._shown_hops = 0
        self._shown_timer = QTimer(self)
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(0)
        self._shown_timer.timeout.connect(self._gui_caught_up)
        self._thread: QThread | None = QThread()
        self._thread.setObjectName(f"account-{settings.name}")
        self._worker: AccountWorker | None = AccountWorker(
            settings, cache_path, password, connector=connector, watcher=watcher,
            shown=self._shown, smtp_password=smtp_password)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.start)
        self._thread.finished.connect(self._worker.deleteLater)
        self._command.connect(self._worker.handle, Qt.ConnectionType.QueuedConnection)
        self._worker.event.connect(self._forward, Qt.ConnectionType.QueuedConnection)
        self._worker.ready.connect(self.ready, Qt.ConnectionType.QueuedConnection)
        self._started = False

    def start(self) -> None:
        if self._thread is not None and not self._started:
            self._started = True
            if sys.getswitchinterval() > GUI_SWITCH_INTERVAL:
                sys.setswitchinterval(GUI_SWITCH_INTERVAL)
            self._thread.start()

    def set_peers(self, lookup: PeerLookup) -> None:
        """How this account's worker finds the others (before ``start``)."""
        if self._worker is not None and not self._started:
            self._worker.peer_lookup = lookup

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def send(self, command: Command) -> None:
        if self._worker is None:
            raise RuntimeError(f"the client of {self.account} is closed")
        self._command.emit(command)
        self._worker.hurry()  # not held up behind the other accounts' turns

    def sync_all(self) -> None:
        self.send(SyncAll())

    def sync_folder(self, folder: str) -> None:
        self.send(SyncFolder(folder))

    def open_folder(self, folder: str) -> None:
        self.send(OpenFolder(folder))

    def fetch_older(self, folder: str, count: int = 500) -> None:
        self.send(FetchOlder(folder, count))

    def fetch_body(self, folder: str, uid: int) -> int:
        """Ask for a body; the answer is a BodyReady/BodyFailed with the returned id."""
        request_id = next(self._ids)
        self.send(FetchBody(folder, uid, request_id))
        return request_id

    def fetch_previews(self, folder: str, uids: Iterable[int]) -> None:
        """Ask for preview lines of rows on screen; PreviewsReady says which are stored."""
        self.send(FetchPreviews(folder, tuple(sorted(uids))))

    def open_message(self, folder: str, uid: int) -> int:
        """Ask for a parsed message: a MessageParsed/BodyFailed with the returned id."""
        request_id = next(self._ids)
        self.send(OpenMessage(folder, uid, request_id))
        return request_id

    @Slot(object)
    def _forward(self, event: Event) -> None:
        self.event.emit(event)
        if isinstance(event, SyncProgress):
            self._shown_hops = ShownSignal.HOPS
            self._shown_timer.start()

    @Slot()
    def _gui_caught_up(self) -> None:
        self._shown_hops -= 1
        if self._shown_hops > 0:
            self._shown_timer.start()
        else:
            self._shown.set()

    def close(self) -> None:
        """Stop push, log out, end the thread and wait for it: safe to call twice."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        if thread.isRunning():
            self._command.emit(Stop())
            self._shown.set()  # a worker waiting for the GUI: no more to wait for
            # The worker quits its thread after logging out; a sync in progress stops
            # at its next chunk. Waiting without a limit is what keeps the QThread
            # from being destroyed while running (socket timeouts bound the wait).
            thread.wait()
        self._thread = self._worker = None
        thread.deleteLater()
