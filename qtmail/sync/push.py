"""Push: a second connection that IDLEs (RFC 2177) and says "folder X changed".

IDLE blocks its connection, so it cannot share the engine's; it runs on a thread of
its own and only reports. Whoever owns the engine (the Qt worker, or the command line
loop) then runs the cheap resync. Servers without IDLE are polled instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import KnownError
from qtmail.core.types import FolderInfo
from qtmail.imap.idle import IdleWatcher
from qtmail.net.sasl import Secret

log = logging.getLogger(__name__)

IDLE_WAIT = 60.0
"""How long one wait lasts before the watcher checks whether it should stop."""
BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)


class Watcher(Protocol):
    supported: bool

    def start(self, folder: FolderInfo) -> None: ...

    def wait(self, timeout: float) -> bool: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class PushMonitor:
    """Watches one folder on its own thread and calls ``on_change(folder_name)``.

    ``on_change`` runs on the monitor's thread: hand it to the engine's owner through
    a thread-safe channel (a queue, or a queued Qt signal). ``poll_seconds`` is used
    when the server lacks IDLE or the user chose "check every N minutes".
    """

    def __init__(self, connect: Callable[[], Watcher], folder: FolderInfo,
                 on_change: Callable[[str], None], *, poll_seconds: float | None = None,
                 on_error: Callable[[KnownError], None] | None = None) -> None:
        self._connect = connect
        self._folder = folder
        self._on_change = on_change
        self._on_error = on_error
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self.watching = threading.Event()
        """Set while the server is being watched (IDLE running, or polling)."""
        self._watcher: Watcher | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"push-{folder.name}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        with self._lock:
            watcher = self._watcher
        if watcher is not None:
            watcher.stop()
        self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            if self._poll_seconds is not None:
                self.watching.set()
                if not self._stopping.wait(self._poll_seconds):
                    self._on_change(self._folder.name)
                continue
            try:
                self._watch()
                failures = 0
            except KnownError as error:
                log.info("push for %s failed: %s", self._folder.name, error.user_message)
                if self._on_error is not None:
                    self._on_error(error)
                if not error.transient:
                    # A refusal only this idle connection has seen yet (a withdrawn
                    # sign-in, a changed password): the account's own connection must
                    # meet it too, so that the window says so and offers the fix.
                    self._on_change(self._folder.name)
                delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                if self._stopping.wait(delay):
                    break

    def _watch(self) -> None:
        watcher = self._connect()
        with self._lock:
            self._watcher = watcher
        try:
            if not watcher.supported:
                log.info("server has no IDLE; polling %s every 2 minutes", self._folder.name)
                self._poll_seconds = 120.0
                return
            watcher.start(self._folder)
            self.watching.set()
            # Whatever changed before IDLE began (or while reconnecting) was not pushed.
            self._on_change(self._folder.name)
            try:
                while not self._stopping.is_set():
                    if watcher.wait(IDLE_WAIT):
                        self._on_change(self._folder.name)
            except KnownError:
                # A working watch was cut (the server shut down, a reset, a silence):
                # the account's own connection, idle meanwhile, is likely cut too, but
                # nobody reads its BYE, and the window would say "Connected" until its
                # next command. A resync now meets the loss at once (or finds nothing
                # changed when only this connection was cut).
                if not self._stopping.is_set():
                    self._on_change(self._folder.name)
                raise
        finally:
            self.watching.clear()
            with self._lock:
                self._watcher = None
            watcher.close()


class PushMonitors:
    """One PushMonitor per watched folder (the scheduler's PushControl). ``on_change``
    runs on a monitor's thread: the window relays it through a queued signal
    (qt/push.py), the command line through a queue."""

    def __init__(self, connect: Callable[[], Watcher], on_change: Callable[[str], None],
                 *, poll_seconds: float | None = None,
                 on_error: Callable[[KnownError], None] | None = None) -> None:
        self._connect = connect
        self._on_change = on_change
        self._poll_seconds = poll_seconds
        self._on_error = on_error
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
                monitor = PushMonitor(self._connect, folder, self._on_change,
                                      poll_seconds=self._poll_seconds,
                                      on_error=self._on_error)
                monitor.start()
                self._monitors[name] = monitor

    def stop_all(self) -> None:
        """Stop every monitor and join its thread (each returns within a second)."""
        for monitor in self._monitors.values():
            monitor.stop()
        self._monitors.clear()


def connect_watcher(settings: AccountSettings, password: Secret) -> Watcher:
    """The push connection of an account (IMAP IDLE, RFC 2177)."""
    return IdleWatcher.connect(settings.imap, settings.imap_username, password)
