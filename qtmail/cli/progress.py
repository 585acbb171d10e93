"""Sync progress on standard error: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from qtmail.core.events import Event, StatusChanged, SyncProgress


class ProgressPrinter:
    """An ``emit`` callback for the engine that reports progress to the user."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._width = width
        self._last = 0.0
        self._line_open = False

    def __call__(self, event: Event) -> None:
        if isinstance(event, SyncProgress):
            self._progress(event)
        elif isinstance(event, StatusChanged) and event.message:
            self._finish_line()
            print(f"{event.account}: {event.message}", file=self._stream)

    def _progress(self, event: SyncProgress) -> None:
        finished = event.done >= event.total
        now = time.monotonic()
        if not finished and now - self._last < (0.1 if self._tty else 2.0):
            return
        self._last = now
        label = f"{event.account} {event.folder}"
        counts = f"{event.done:,}/{event.total:,}"
        if self._tty:
            filled = self._width * event.done // max(event.total, 1)
            bar = "#" * filled + "-" * (self._width - filled)
            self._stream.write(f"\r{label} [{bar}] {counts}\x1b[K")
            self._line_open = True
            if finished:
                self._finish_line()
        else:
            print(f"{label}: {counts} headers", file=self._stream)
        self._stream.flush()

    def _finish_line(self) -> None:
        if self._line_open:
            self._stream.write("\n")
            self._line_open = False
