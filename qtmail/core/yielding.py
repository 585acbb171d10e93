"""Cooperative GIL yielding: a long pure-Python loop on a worker thread lets the GUI in.

Issue 4: while the account worker parses a first sync's FETCH answers it holds the GIL
almost all the time, and every Python callback the GUI thread makes while painting
(one per cell) waits for it (up to the 5 ms switch interval each): a 30-row paint took
100-300 ms. The GUI thread marks its painting ``busy()``; the worker calls ``pause()``
every few dozen messages, which gives the GIL away (``time.sleep``) while the GUI
paints, bounded so a stuck flag can only slow a sync, never stop it, and otherwise
once every RELEASE_EVERY (issue 18: each release costs wall time).

Issue 18 (goal 3): the work an account worker hands to its lanes (sync/lane.py: a
message built, sent) competes the same way with the worker answering the user: every
socket read and SQL statement of the answer gives the GIL away, and getting it back
from a lane's loop took up to the 5 ms switch interval, 40 ms over an answer. The
worker marks such an answer ``answering()``; a lane's loop calls ``pause_lane()``
between its slices, which holds it back meanwhile (and while the GUI paints).
Qt-free (the imap layer calls ``pause``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_WAIT = 0.2
"""Seconds one ``pause`` waits at most for the GUI."""
RELEASE_EVERY = 0.002
"""Seconds of work between two GIL releases while the GUI is not painting. Each release
(``time.sleep(0)``) costs ~80 us of wall time on Linux (the timer slack of a zero
sleep), and the parser calls ``pause`` every ~0.5 ms: releasing at every call cost a
first sync of 100,000 messages 0.25 s. A GUI thread that wants the GIL in between
waits at most this long instead of the 5 ms switch interval."""

_busy = 0  # GUI-thread nesting depth; read without a lock (a stale read costs one slice)
_answering = 0  # workers' answers in progress (nesting counted); read without the lock
_answers_lock = threading.Lock()  # several workers (accounts) change it
_lanes: set[int] = set()  # ids of the lanes' threads (lane())
_released = 0.0  # monotonic time of the last release by any worker (a race costs a slice)


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
    """From a worker's loop: release the GIL once if RELEASE_EVERY has passed since the
    last release, and while the GUI is busy keep it released (1 ms sleeps, at most
    MAX_WAIT)."""
    global _released
    now = time.monotonic()
    if not _busy:
        if now - _released >= RELEASE_EVERY:
            _released = now
            time.sleep(0)
        return
    deadline = now + MAX_WAIT
    while _busy and time.monotonic() < deadline:
        time.sleep(0.001)
    _released = time.monotonic()


@contextmanager
def answering() -> Iterator[None]:
    """Mark a worker's answer to the user (a message opened): lanes hold back meanwhile."""
    global _answering
    with _answers_lock:
        _answering += 1
    try:
        yield
    finally:
        with _answers_lock:
            _answering -= 1


@contextmanager
def lane() -> Iterator[None]:
    """Mark the calling thread as a lane's (sync/lane.py) while inside: there, and only
    there, ``pause_lane()`` holds it back (the same code runs on a worker when it pushes
    a draft, and on the GUI thread for the composer's checks: never held back there)."""
    thread = threading.get_ident()
    _lanes.add(thread)
    try:
        yield
    finally:
        _lanes.discard(thread)


def pause_lane() -> None:
    """From a loop that may run on a lane, between two slices of its work: on a lane,
    ``pause()``, and while a worker (of any account: they share the GIL) answers the
    user, keep the GIL released as well (1 ms sleeps, at most MAX_WAIT); elsewhere,
    nothing."""
    if threading.get_ident() not in _lanes:
        return
    if not _answering:
        pause()
        return
    global _released
    deadline = time.monotonic() + MAX_WAIT
    while (_busy or _answering) and time.monotonic() < deadline:
        time.sleep(0.001)
    _released = time.monotonic()
