"""How an account worker makes room for the GUI thread while it syncs (issue 4).

The window must never stall over 100 ms during a first sync (tests/gui/
test_window_latency.py). The worker parses in pure Python, holding the GIL the GUI
needs for every callback of a paint; so after each chunk it waits until the GUI has
shown it, and it runs at a lower scheduling priority than the GUI thread.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

CHUNK_PAUSE = 0.25
"""Seconds a worker waits at most, after announcing a sync chunk, for the GUI to have
shown it (see ShownSignal): the GUI inserts and paints it without competing for the
GIL. A fixed 40 ms sleep was shorter than a busy machine's paint (issue 4: gaps of
100-170 ms in the window latency probe); the bound keeps a hidden window from
slowing a sync down more than that."""

WORKER_NICENESS = 5
"""How much nicer than the GUI thread an account worker runs (Linux: per thread). On a
busy machine the scheduler then gives the GUI thread the CPU first, at a cost of
roughly a third of the worker's share while both are runnable (issue 4)."""


def lower_thread_priority() -> None:
    """Make the calling thread nicer than the rest of the process, where possible.

    QThread.setPriority has no effect under Linux's default scheduling policy, but
    setpriority(2) on a thread id changes that thread alone (Linux, unlike POSIX);
    raising niceness needs no privilege. Elsewhere this does nothing.
    """
    if sys.platform != "linux":
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid,
                       os.getpriority(os.PRIO_PROCESS, tid) + WORKER_NICENESS)
    except OSError as error:
        log.debug("thread priority unchanged: %s", error)


class ShownSignal:
    """Set by the GUI once the event loop got past a chunk's announcement (inserted,
    laid out, painted); waited for by the worker (threading.Event: no GIL held)."""

    HOPS = 2
    """Zero timers in a row on the GUI side: the first fires after the posted paint
    request, the views' delayed layout (a zero timer too) may post another."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._event.set()

    def expect(self) -> None:
        self._event.clear()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)

    def set(self) -> None:
        self._event.set()
