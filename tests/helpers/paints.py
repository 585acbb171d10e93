"""Watching the GUI thread: paint events a widget receives, gaps in the event loop."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer


class PaintCounter(QObject):
    """Counts the paint events of the widgets it is installed on as an event filter."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


class GapProbe:
    """A 10 ms QTimer on the GUI thread; ``gaps`` holds every interval between two of
    its ticks in ms: a gap far over 10 ms is a time the event loop was held up.

    ``ticks`` holds, for every gap, what the GUI thread did meanwhile: (gap, ms it ran
    on a core, ms it waited for one), the last from the kernel's schedstat (Linux;
    None elsewhere). The rest of a gap it waited for something else: the GIL, the disk.
    """

    def __init__(self, parent: QObject) -> None:
        self.gaps: list[float] = []
        self.ticks: list[tuple[float, float, float | None]] = []
        self._last = time.perf_counter()
        self._ran = time.thread_time()
        self._schedstat: int | None = None
        self._queued: float | None = None
        self._timer = QTimer(parent)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._ran = time.thread_time()
        self._schedstat = _open_schedstat()
        self._queued = self._run_queue_ms()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._schedstat is not None:
            os.close(self._schedstat)
            self._schedstat = None

    def _tick(self) -> None:
        now, ran, queued = time.perf_counter(), time.thread_time(), self._run_queue_ms()
        gap = (now - self._last) * 1000.0
        self.gaps.append(gap)
        self.ticks.append((gap, (ran - self._ran) * 1000.0,
                           None if queued is None or self._queued is None
                           else queued - self._queued))
        self._last, self._ran, self._queued = now, ran, queued

    def _run_queue_ms(self) -> float | None:
        """Milliseconds the GUI thread has waited for a core so far (schedstat's second
        field, in ns), or None where the kernel does not say."""
        if self._schedstat is None:
            return None
        try:
            return int(os.pread(self._schedstat, 128, 0).split()[1]) / 1e6
        except (OSError, IndexError, ValueError):
            return None


def _open_schedstat() -> int | None:
    """The calling thread's /proc schedstat, kept open (Linux), or None."""
    try:
        return os.open("/proc/thread-self/schedstat", os.O_RDONLY)
    except OSError:
        return None
