"""LiveSync: keep folders in sync continuously, driven by push (or polling).

A Qt-free loop for the command line (`qtmail watch`) and tests; the window's worker
does the same with queued signals instead of a queue.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from qtmail.core.errors import KnownError
from qtmail.imap.idle import IdleWatcher
from qtmail.net.sasl import Secret
from qtmail.sync.engine import AccountEngine
from qtmail.sync.folder_sync import FolderSyncReport
from qtmail.sync.push import PushMonitor, Watcher

log = logging.getLogger(__name__)

_STOP = "\x00stop"


class LiveSync:
    """Runs an engine on its own thread; resyncs a folder whenever push says it changed."""

    def __init__(self, engine: AccountEngine, folders: list[str], *,
                 password: Callable[[], Secret],
                 on_report: Callable[[FolderSyncReport], None] | None = None) -> None:
        self._engine = engine
        self._folders = folders
        self._password = password
        self._on_report = on_report
        self._queue: queue.Queue[str] = queue.Queue()
        self._monitors: list[PushMonitor] = []
        self._thread = threading.Thread(target=self._run, name=f"live-{engine.name}",
                                        daemon=True)
        self.errors: list[KnownError] = []
        self._started = threading.Event()

    def start(self) -> None:
        for name in self._folders:
            self._queue.put(name)
        self._thread.start()

    def wait_until_watching(self, timeout: float) -> bool:
        """Block until every folder is watched by push or polling (for tests and CLI)."""
        if not self._started.wait(timeout):
            return False
        return all(monitor.watching.wait(timeout) for monitor in self._monitors)

    def stop(self) -> None:
        for monitor in self._monitors:
            monitor.stop()
        self._queue.put(_STOP)
        self._thread.join(30)

    def _watcher(self) -> Watcher:
        settings = self._engine.settings
        return IdleWatcher.connect(settings.imap, settings.imap_username, self._password())

    def _run(self) -> None:
        started = False
        while True:
            name = self._queue.get()
            if name == _STOP:
                break
            # Coalesce a burst of notifications into one resync per folder.
            pending = {name}
            while not self._queue.empty():
                more = self._queue.get()
                if more == _STOP:
                    return
                pending.add(more)
            for folder in sorted(pending):
                self._sync(folder)
            if not started:
                started = True
                self._start_monitors()
                self._started.set()

    def _sync(self, folder: str) -> None:
        try:
            if self._engine.store.folder(folder) is None:
                self._engine.sync_folder_list()
            report = self._engine.sync_folder(folder)
        except KnownError as error:
            log.info("live sync of %s failed: %s", folder, error.user_message)
            self.errors.append(error)
            return
        if self._on_report is not None:
            self._on_report(report)

    def _start_monitors(self) -> None:
        policy = self._engine.settings.sync
        poll = None if policy.check_minutes is None else policy.check_minutes * 60.0
        for name in self._folders:
            folder = self._engine.store.folder(name)
            if folder is None:
                continue
            monitor = PushMonitor(self._watcher, folder, self._queue.put, poll_seconds=poll)
            monitor.start()
            self._monitors.append(monitor)
