"""Account workers take turns at running Python (issue 18, goal 5). Qt-free.

With five accounts on their first sync, five worker threads want the GIL at once, and
the window's GUI thread waits for it behind all of them (40-65 ms in the longest
event-loop gaps of bench/bench_gaps.py). With one turn among the workers the GUI thread
competes with one worker at a time, and the sync takes as long, since the GIL ran one
thread at a time anyway. It replaces a lock around each chunk's parsing that was held
across socket reads: an account whose server went silent mid-FETCH held every other
account's sync until its connection timed out. Against that lock bench_gaps measured
no better and no worse (6 Dec 2026: the figures are in its docstring).

A worker holds the turn only while it computes: it gives it on between two chunks of a
sync (qt/worker.py) and whenever it would wait for something else -- the server's answer
on its socket (imap/waiting.py), a connection being made, the keyring (``away``). The
turn goes to the worker that has waited longest (first come, first served), so every
account's sync moves on at the same pace.

Nothing may hang on it. A worker waits at most ``WAIT`` for the turn, and not at all
while the holder has held it for longer than ``STUCK`` (a wait this module was not told
about: a disk stall, a send to a full socket), nor after a command was sent to it
(``hurry``) until it has taken its commands in (``heard``): the user may be waiting for
its account. It then runs without the turn, as every worker did before this module.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

WAIT = 0.25
"""Seconds a worker waits for the turn at most, then runs without it. Five accounts'
workers hold it for one stretch of work each (under 50 ms, LONG_TURN_S) before the
longest waiting one gets it back."""
STUCK = 0.25
"""A holder that has held the turn this long is waiting for something (not computing):
the others run without the turn instead of waiting for it."""


class _Waiter:
    """A thread waiting for the turn: woken alone when it is handed the turn or hurried
    (no herd of waiters woken at every hand-over, each wanting the GIL)."""

    def __init__(self, thread: int) -> None:
        self.thread = thread
        self.handed = False
        self.wake = threading.Lock()
        self.wake.acquire()


class _Turn:
    """One turn handed on first come, first served; ``take`` may give up."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held_since: float | None = None
        self._queue: deque[_Waiter] = deque()
        """Threads waiting for the turn, the longest waiting first."""
        self._hurried: set[int] = set()
        """Threads hurried since they last took their commands in: they do not wait."""
        self._workers: set[int] = set()
        """Threads that ``hurry`` applies to (enrolled; a thread's id is reused after it
        ends, so a hurry must not outlive its worker)."""

    def take(self, me: int, timeout: float) -> bool:
        """Whether thread ``me`` now holds the turn (False: given up or hurried)."""
        deadline = time.monotonic() + timeout
        with self._mutex:
            if self._held_since is None:
                self._held_since = time.monotonic()
                return True
            if me in self._hurried:
                return False
            waiter = _Waiter(me)
            self._queue.append(waiter)
        while True:
            with self._mutex:
                now = time.monotonic()
                if waiter.handed:
                    return True
                until = deadline if self._held_since is None \
                    else min(deadline, self._held_since + STUCK)
                if waiter not in self._queue or now >= until:  # hurried, or given up
                    if waiter in self._queue:
                        self._queue.remove(waiter)
                    return False
            waiter.wake.acquire(timeout=until - now)

    def give(self) -> None:
        """Hand the turn to the longest waiting thread, or leave it free."""
        with self._mutex:
            if self._queue:
                waiter = self._queue.popleft()
                waiter.handed = True
                self._held_since = time.monotonic()
                waiter.wake.release()
            else:
                self._held_since = None

    def hurry(self, thread: int) -> None:
        """Thread ``thread`` stops waiting for the turn, and waits no more until it has
        taken its commands in (``heard``)."""
        with self._mutex:
            if thread not in self._workers:
                return
            self._hurried.add(thread)
            for waiter in self._queue:
                if waiter.thread == thread:
                    self._queue.remove(waiter)
                    waiter.wake.release()
                    return

    def heard(self, thread: int) -> None:
        with self._mutex:
            self._hurried.discard(thread)

    def hurried(self, thread: int) -> bool:
        with self._mutex:
            return thread in self._hurried

    def enrol(self, thread: int, enrolled: bool) -> None:
        with self._mutex:
            self._hurried.discard(thread)
            if enrolled:
                self._workers.add(thread)
            else:
                self._workers.discard(thread)

    @property
    def waiting(self) -> int:
        with self._mutex:
            return len(self._queue)


_turn = _Turn()
_local = threading.local()


def holding() -> bool:
    """Whether the calling thread holds the turn."""
    return bool(getattr(_local, "held", False))


def take(timeout: float | None = None) -> bool:
    """Take the turn for the calling thread (waiting at most ``timeout``, by default
    WAIT); whether it holds it now. Taking a turn already held is a no-op."""
    if holding():
        return True
    held = _turn.take(threading.get_ident(), WAIT if timeout is None else timeout)
    _local.held = held
    return held


def give() -> None:
    """Give the calling thread's turn on (no-op when it holds none)."""
    if holding():
        _local.held = False
        _turn.give()


def hurry(thread: int) -> None:
    """From any thread, as a command is sent to the worker on thread ``thread``
    (``threading.get_ident``): it stops waiting for the turn and waits no more until it
    has taken its commands in (``heard``): the user may be waiting for it."""
    _turn.hurry(thread)


def enrol() -> None:
    """The calling thread is an account worker's, which ``hurry`` may name (call
    ``leave`` before the thread ends)."""
    _turn.enrol(threading.get_ident(), True)


def leave() -> None:
    """The calling worker thread ends: its turn (if held) goes on, ``hurry`` forgets it."""
    give()
    _turn.enrol(threading.get_ident(), False)


def heard() -> None:
    """The calling worker is about to take its queued commands in: from now on it waits
    for the turn again (until the next ``hurry``)."""
    _turn.heard(threading.get_ident())


def hurried() -> bool:
    """Whether a command was sent to the calling worker (``hurry``) that it has not
    taken in yet (``heard``)."""
    return _turn.hurried(threading.get_ident())


@contextmanager
def away() -> Iterator[None]:
    """Around a wait for something other than the CPU: the turn goes to another worker
    meanwhile and is taken back after (when it was held)."""
    if not holding():
        yield
        return
    give()
    try:
        yield
    finally:
        take()
