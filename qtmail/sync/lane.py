"""A lane: slow work beside the account's worker, its results taken on the worker.

Issue 18 (goal 3): the account's worker answers the user (open this message) between
jobs, so no job may hold it for long. Building a message with a 10 MB attachment took
3.3 s there, and an SMTP server that does not answer holds a connection attempt for its
whole timeout (30 s). Such work touches neither the store nor the IMAP session (both
belong to the worker's thread): it runs on the lane's own thread, one item at a time
in order, and the worker takes each result on one of its own turns (``collect``), so
everything that writes the store or emits events still happens on the worker. Qt-free.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from qtmail.core import yielding

T = TypeVar("T")

Result = Callable[[], T]
"""Returns the work's value, or raises the exception the work raised."""

POLL_S = 0.05
"""How often the worker looks for results while the lane is busy."""


def _value(value: T) -> Result[T]:
    return lambda: value


def _raiser(error: BaseException) -> Result[Any]:
    def result() -> Any:
        raise error
    return result


class Lane:
    """One thread, started when first needed; daemonic, so a hung connection attempt
    never keeps the program from quitting."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._todo: queue.Queue[tuple[Callable[[], Any], Callable[[Result[Any]], None]] | None]
        self._todo = queue.Queue()
        self._done: deque[tuple[Callable[[Result[Any]], None], Result[Any]]] = deque()
        self._lock = threading.Lock()
        self._finished = threading.Condition(self._lock)
        self._pending = 0
        self._thread: threading.Thread | None = None

    def start(self, work: Callable[[], T], done: Callable[[Result[T]], None]) -> None:
        """Run ``work`` on the lane; ``done`` gets its result on a later ``collect()``."""
        with self._lock:
            self._pending += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=f"lane-{self._name}",
                                            daemon=True)
            self._thread.start()
        self._todo.put((work, done))

    @property
    def busy(self) -> bool:
        """Work started and not yet collected."""
        with self._lock:
            return self._pending > 0

    def collect(self) -> int:
        """Hand finished results to their ``done`` callbacks, in order, on the caller's
        thread; returns how many."""
        count = 0
        while True:
            with self._lock:
                if not self._done:
                    return count
                done, result = self._done.popleft()
                self._pending -= 1
            done(result)
            count += 1

    def wait(self, timeout: float | None) -> bool:
        """Block until every started item has finished (not collected), or ``timeout``
        seconds; True when all have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._finished:
            while len(self._done) < self._pending:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._finished.wait(left)
            return True

    def close(self, wait: float = 0.0) -> None:
        """No more work; the thread ends after the item it runs (if any), and this waits
        up to ``wait`` seconds for it to end."""
        if self._thread is not None:
            self._todo.put(None)
            if wait:
                self._thread.join(wait)

    # -- the lane's thread ----------------------------------------------------------------
    def _loop(self) -> None:
        with yielding.lane():  # long loops in its work hold back for the user's answers
            while True:
                item = self._todo.get()
                if item is None:
                    return
                work, done = item
                result = self._run(work)
                with self._finished:
                    self._done.append((done, result))
                    self._finished.notify_all()

    @staticmethod
    def _run(work: Callable[[], T]) -> Result[T]:
        try:
            return _value(work())
        except Exception as error:  # handed to the worker, which decides what it means
            return _raiser(error)
