"""Cooperative GIL yielding: a long pure-Python loop on a worker thread lets the GUI in.

Issue 4: while the account worker parses a first sync's FETCH answers it holds the GIL
almost all the time, and every Python callback the GUI thread makes while painting
(one per cell) waits for it (up to the 5 ms switch interval each): a 30-row paint took
100-300 ms. The GUI thread marks its painting ``busy()``; the worker calls ``pause()``
every few dozen messages, which gives the GIL away (``time.sleep``) while the GUI
paints, bounded so a stuck flag can only slow a sync, never stop it.
Qt-free (the imap layer calls ``pause``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_WAIT = 0.2
"""Seconds one ``pause`` waits at most for the GUI."""

_busy = 0  # GUI-thread nesting depth; read without a lock (a stale read costs one slice)


@contextmanager
def busy() -> Iterator[None]:
    """Mark a stretch of GUI work (a paint) that worker threads should not compete with."""
    global _busy
    _busy += 1
    try:
        yield
    finally:
        _busy -= 1


def pause() -> None:
    """From a worker's loop: release the GIL once, and while the GUI is busy keep it
    released (1 ms sleeps, at most MAX_WAIT)."""
    time.sleep(0)
    if not _busy:
        return
    deadline = time.monotonic() + MAX_WAIT
    while _busy and time.monotonic() < deadline:
        time.sleep(0.001)
