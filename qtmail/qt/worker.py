"""AccountWorker: the Qt adapter of one account's scheduler (sync/scheduler.py), living
in the account's own QThread (ARCHITECTURE.md, "Threads and messages").

Commands arrive over one queued signal and go to ``AccountScheduler.submit``; a
single-shot QTimer calls ``step()`` after the delay it returns; the scheduler's events
leave over the ``event`` signal. Everything bound to the thread (the store's write
connection, the IMAP sessions, the push relay) is made in ``start``, once the thread
runs. The GUI side is qtmail.qt.bridge.EngineClient.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QThread,
    QTimer,
    Signal,
    Slot,
)

from qtmail import heap
from qtmail.accounts.settings import AccountSettings
from qtmail.core import turns
from qtmail.core.commands import Command
from qtmail.core.errors import KnownError, ServiceStatus
from qtmail.core.events import Event, StatusChanged
from qtmail.net.sasl import Secret
from qtmail.qt.push import PushWatch
from qtmail.store import Store
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.engine import AccountEngine, Connector, connect_session
from qtmail.sync.local_rules import LocalRules
from qtmail.sync.outgoing_work import OutgoingWork
from qtmail.sync.pacing import CHUNK_PAUSE, ShownSignal
from qtmail.sync.peers import PeerEngines, PeerLookup
from qtmail.sync.push import Watcher, connect_watcher
from qtmail.sync.scheduler import RETRY_BACKOFF_S, AccountScheduler, Parts
from qtmail.sync.search_lane import SearchLane
from qtmail.sync.side_bodies import SideBodies

if TYPE_CHECKING:
    from qtmail.sieve.jobs import RulesCommand

log = logging.getLogger(__name__)

GUI_SWITCH_INTERVAL = 0.001
"""sys.setswitchinterval once a worker runs: each Python callback of the GUI thread
(one per painted cell) waits for the GIL up to this long, not the default 5 ms,
while a worker parses a sync (issue 4)."""

WORKER_NICENESS = 10
"""How much nicer than the GUI thread an account worker runs (issue 18). On two cores
five workers, their IMAP servers' processes and the disk's kernel threads left the GUI
thread runnable but waiting for a CPU for most of its longest gaps (/proc schedstat:
20-55 ms of run-queue wait per gap over 50 ms); behind the GUI the workers yield the CPU
whenever it has something to do, which is seldom. Under systemd each application is
its own control group, so this weighs the workers against the window, not against
other programs."""

AFTER_A_BUG_S = 30.0
"""A step that a bug ended (it goes on to sys.excepthook: the problem dialog) is followed
by the next one after this long: the job it ran is dropped, and what waits behind it
(the user's queued changes, mail to send) goes on without waiting for a command."""

WatcherFactory = Callable[[AccountSettings, Secret], Watcher]


def run_behind_the_gui() -> None:
    """Lower the calling thread's scheduling priority below the GUI thread's (called
    on a worker's thread as it starts). Linux: setpriority(2) on a thread id changes
    that thread alone (unlike POSIX) and the threads it starts inherit it (the
    worker's lanes and push watchers); lowering needs no privilege. QThread.setPriority
    has no effect under Linux's default policy but does on Windows and macOS."""
    if not sys.platform.startswith("linux"):
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid,
                       min(19, os.getpriority(os.PRIO_PROCESS, tid) + WORKER_NICENESS))
    except OSError as error:  # a sandbox may refuse: the worker then runs as before
        log.debug("worker priority unchanged: %s", error)


def run_rules(command: RulesCommand, settings: AccountSettings, password: Callable[[], Secret],
              connector: Connector, store: Store | None, emit: Callable[[Event], None],
              engine: AccountEngine | None = None, local: LocalRules | None = None) -> bool:
    """sync.rules_work.run_rules, imported with the first rules command: ManageSieve and
    the Sieve parser stay off the way to the first rows (issue 18)."""
    from qtmail.sync.rules_work import run_rules as run

    return run(command, settings, password, connector, store, emit, engine, local)


class AccountWorker(QObject):
    """Runs one account's scheduler on the thread it was moved to.

    Signals: ``event(Event)`` for every engine event and every answer; ``ready()`` once
    the store's write connection is open (the GUI may then open its reader).
    """

    # Shadows QObject.event(QEvent) as an attribute (the architecture's name); Qt's
    # C++ event dispatch is unaffected, only Python callers of obj.event(e) would be.
    event = Signal(object)  # type: ignore[assignment]
    ready = Signal()

    def __init__(self, settings: AccountSettings, cache_path: Path,
                 password: Callable[[], Secret], *, connector: Connector = connect_session,
                 watcher: WatcherFactory = connect_watcher,
                 shown: ShownSignal | None = None,
                 smtp_password: Callable[[], Secret] | None = None) -> None:
        super().__init__()
        self._shown = shown or ShownSignal()
        self._settings = settings
        self._cache_path = cache_path
        self._password = password
        self._smtp_password = smtp_password or password
        """The outgoing server's password (often the same as the incoming one's)."""
        self._connector = connector
        self._watcher_factory = watcher
        self._timer: QTimer | None = None
        self._stepping = False
        self._thread_id: int | None = None
        """The worker thread's ``threading.get_ident()``, once it runs."""
        self.scheduler = AccountScheduler(settings.name, self.event.emit, pause=self._pause,
                                          before_pause=self._shown.expect, take=self._take)
        self.peer_lookup: PeerLookup | None = None
        """Other accounts, for transfers; set before the thread starts."""

    @property
    def account(self) -> str:
        return self._settings.name

    @Slot()
    def start(self) -> None:
        """Connected to QThread.started: everything thread-bound is made here."""
        run_behind_the_gui()
        self._thread_id = threading.get_ident()
        turns.enrol()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)
        try:
            store = Store.open(self._cache_path)
        except KnownError as error:
            log.warning("%s: cache not opened: %s", self.account, error.detail or error)
            self.event.emit(StatusChanged(self.account, ServiceStatus.ERROR,
                                          error.user_message))
            return
        scheduler = self.scheduler
        peers = PeerEngines(self.peer_lookup)
        engine = AccountEngine(self._settings, store, self._password, scheduler.engine_event,
                               connector=self._connector, peers=peers.get)
        poll = self._settings.sync.check_minutes
        push = PushWatch(self, self._connect_watcher, self._on_push,
                         poll_seconds=None if poll is None else poll * 60.0)
        outgoing = OutgoingWork(engine, self._smtp_password, scheduler.engine_event,
                                tuple(int(s * 1000) for s in RETRY_BACKOFF_S))
        local = LocalRules(self._cache_path)  # issue 15: rules on this device
        rules = partial(run_rules, settings=self._settings, password=self._password,
                        connector=self._connector, store=store, emit=self.event.emit,
                        engine=engine, local=local)
        scheduler.attach(Parts(engine, store, SideBodies(self._settings, self._password,
                                                         self._connector),
                               push, outgoing, peers, rules,
                               local_rules=partial(local.after_inbox_sync, engine),
                               searcher=SearchLane(self._settings, self._password,
                                                   self._connector),
                               appends=AppendLane(self._settings, self._password,
                                                  self._connector)))
        heap.keep_long_lived()
        self.ready.emit()
        self._wake(0.0)

    def _connect_watcher(self) -> Watcher:
        # Runs on the push monitor's thread: the password lookup may block there.
        return self._watcher_factory(self._settings, self._password())

    @Slot(object)
    def handle(self, command: Command) -> None:
        """Queued from the GUI thread; may also run between two chunks of a long sync."""
        self.scheduler.submit(command)
        self._wake(0.0)

    @Slot(str)
    def _on_push(self, folder: str) -> None:
        """A push monitor saw a change (queued from its thread into this one)."""
        self.scheduler.folder_changed(folder)
        self._wake(0.0)

    def _wake(self, seconds: float | None) -> None:
        """Step after ``seconds`` (None: when a command comes). Inside a step (a command
        taken between two chunks) the step itself says when it wants to run next."""
        if self._timer is None or self.scheduler.busy or self._stepping:
            return
        if self.scheduler.stopping and not self.scheduler.stopped:
            seconds = 0.0
        if seconds is None:
            self._timer.stop()
        else:
            self._timer.start(0 if seconds <= 0 else int(seconds * 1000) + 1)

    @Slot()
    def _step(self) -> None:
        self._stepping = True  # commands taken while waiting for the turn: no new timer
        wait: float | None = AFTER_A_BUG_S  # unless the step returns
        try:
            self._wait_for_turn()
            wait = self.scheduler.step()
        finally:
            self._stepping = False
            turns.give()
            self._stepped(wait)

    def _stepped(self, wait: float | None) -> None:
        if self.scheduler.stopped:
            if self._timer is not None:
                self._timer.stop()
            turns.leave()
            self.thread().quit()
            return
        self._wake(wait)

    def _pause(self) -> None:
        """Between two sync chunks: let queued commands in, then leave the GIL to the
        GUI while it shows the chunk just announced (issue 4, sync/pacing.py), and the
        turn to the other accounts' workers."""
        turns.give()
        self._take()
        if not self.scheduler.stopping:
            self._shown.wait(CHUNK_PAUSE)
        self._wait_for_turn()

    def _wait_for_turn(self) -> None:
        """Take the account workers' turn (qtmail.core.turns) before computing. The user
        waits for none of it: with a request of theirs waiting the worker goes on
        without the turn, and a command from the window (``hurry``) ends the wait (the
        worker then takes it in and goes on as well)."""
        if not turns.take(0.0 if self.scheduler.answers_waiting else None):
            self._take()

    def hurry(self) -> None:
        """From the GUI thread, as a command is sent: stop waiting for the turn, and
        wait no more until the command is taken in (qtmail.core.turns.hurry)."""
        if self._thread_id is not None:
            turns.hurry(self._thread_id)

    @staticmethod
    def _take() -> None:
        """Let queued commands in (between two parts of a sync's chunk, too)."""
        turns.heard()  # a command sent from now on hurries the worker again
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
