"""PushWatch: the worker's push monitors, their callbacks queued into the worker's thread."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from qtmail.core.errors import KnownError
from qtmail.core.types import FolderInfo
from qtmail.sync.push import PushMonitor, Watcher

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the worker's thread; emitted from monitor threads (queued delivery).

    Signals: ``changed(folder_name)``.
    """

    changed = Signal(str)


class PushWatch:
    """One PushMonitor (its own connection and thread) per watched folder.

    ``on_change`` must be a slot of a QObject living in the owner's thread: it is
    connected with a queued connection, so it runs there, never on a monitor thread.
    """

    def __init__(self, owner: QObject, connect: Callable[[], Watcher],
                 on_change: Callable[[str], None], *,
                 poll_seconds: float | None = None) -> None:
        self._connect = connect
        self._poll_seconds = poll_seconds
        self._relay = _Relay(owner)
        self._relay.changed.connect(on_change, Qt.ConnectionType.QueuedConnection)
        self._monitors: dict[str, PushMonitor] = {}

    @property
    def watched(self) -> list[str]:
        return sorted(self._monitors)

    def watch(self, folders: list[FolderInfo]) -> None:
        """Watch exactly ``folders``: stop the other monitors, start the missing ones."""
        wanted = {folder.name: folder for folder in folders}
        for name in [n for n in self._monitors if n not in wanted]:
            self._monitors.pop(name).stop()
        for name, folder in wanted.items():
            if name not in self._monitors:
                monitor = PushMonitor(self._connect, folder, self._relay.changed.emit,
                                      poll_seconds=self._poll_seconds,
                                      on_error=self._on_error)
                monitor.start()
                self._monitors[name] = monitor

    def stop_all(self) -> None:
        """Stop every monitor and join its thread (each returns within a second)."""
        for monitor in self._monitors.values():
            monitor.stop()
        self._monitors.clear()

    @staticmethod
    def _on_error(error: KnownError) -> None:
        # Monitor thread. PushMonitor retries with its own backoff; the engine's
        # connection reports the account's status, so this is for the log only.
        log.info("push: %s", error.user_message)
