"""PushWatch: the worker's push monitors (sync/push.py), their news queued into the
worker's thread through a signal."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from qtmail.core.errors import KnownError
from qtmail.core.types import FolderInfo
from qtmail.sync.push import PushMonitors, Watcher

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the worker's thread; emitted from monitor threads (queued delivery).

    Signals: ``changed(folder_name)``.
    """

    changed = Signal(str)


class PushWatch:
    """PushMonitors whose ``on_change`` reaches the owner's thread.

    ``on_change`` must be a slot of a QObject living in the owner's thread: it is
    connected with a queued connection, so it runs there, never on a monitor thread.
    """

    def __init__(self, owner: QObject, connect: Callable[[], Watcher],
                 on_change: Callable[[str], None], *,
                 poll_seconds: float | None = None) -> None:
        self._relay = _Relay(owner)
        self._relay.changed.connect(on_change, Qt.ConnectionType.QueuedConnection)
        self._monitors = PushMonitors(connect, self._relay.changed.emit,
                                      poll_seconds=poll_seconds, on_error=self._on_error)

    @property
    def watched(self) -> list[str]:
        return self._monitors.watched

    def watch(self, folders: list[FolderInfo]) -> None:
        self._monitors.watch(folders)

    def stop_all(self) -> None:
        self._monitors.stop_all()

    @staticmethod
    def _on_error(error: KnownError) -> None:
        # Monitor thread. PushMonitor retries with its own backoff; the engine's
        # connection reports the account's status, so this is for the log only.
        log.info("push: %s", error.user_message)
