"""The system asks qtmail to end: SIGTERM (the desktop session logging out, the computer
shutting down, ``kill``), SIGHUP (its terminal closed) or SIGINT (Ctrl+C in it).

Python's default for SIGTERM and SIGHUP ends the process on the spot: the composer's
typing since its last autosave and the window's layout were lost. And Python runs a
handler only between two bytecodes of the main thread, while Qt's event loop waits in
C++, so a handler alone would run at the next event, maybe never. ``set_wakeup_fd``
makes the C-level handler write the signal's number to a socket that the event loop
watches (QSocketNotifier): the loop wakes at once and ``requested`` tells the window,
which then ends as Quit does (MainWindow.end_session). Unix only.
"""

from __future__ import annotations

import signal
import socket
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def _noted(signum: int, frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do here, the wakeup socket says it all."""


class SessionEndWatch(QObject):
    """Emits ``requested(signal number)`` on the GUI thread for each signal in SIGNALS.
    ``close`` puts the previous handlers back (tests; the end of run_gui)."""

    requested = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(),
                                                 warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _noted) for number in SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read,
                                         self)
        self._notifier.activated.connect(self._woken)

    @Slot()
    def _woken(self) -> None:
        try:
            numbers = self._reader.recv(64)
        except BlockingIOError:
            return
        for number in numbers:
            if number in SIGNALS:
                self.requested.emit(number)

    def close(self) -> None:
        if self._reader.fileno() < 0:
            return
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
