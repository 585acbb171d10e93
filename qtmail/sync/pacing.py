"""How an account worker makes room for the GUI thread while it syncs (issue 4).

The window must never stall over 100 ms during a first sync (tests/gui/
test_window_latency.py). The worker parses in pure Python, holding the GIL the GUI
needs for every callback of a paint; so after each chunk it waits until the GUI has
shown it. It also runs at a lower scheduling priority than the GUI thread
(qt/worker.py run_behind_the_gui, issue 18).
"""

from __future__ import annotations

import threading

CHUNK_PAUSE = 0.25
"""Seconds a worker waits at most, after announcing a sync chunk, for the GUI to have
shown it (see ShownSignal): the GUI inserts and paints it without competing for the
GIL. A fixed short sleep is shorter than a busy machine's paint (issue 4,
tests/gui/test_window_latency.py); the bound keeps a hidden window from slowing a
sync down more than that."""


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
