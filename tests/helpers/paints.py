"""Watching the GUI thread: paint events a widget receives, gaps in the event loop."""

from __future__ import annotations

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
    its ticks in ms: a gap far over 10 ms is a time the event loop was held up."""

    def __init__(self, parent: QObject) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(parent)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000.0)
        self._last = now
