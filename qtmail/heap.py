"""Keep the cyclic garbage collector's full passes short, so they never stall the window.

A full (generation 2) collection walks every object the collector tracks, holding the
GIL from start to end, whichever thread set it off. In the middle of a first sync on a
2-core machine one such pass took 130 ms (CI, stop 20: a 170,000-object heap), past the
100 ms the window may be blocked. Most of those objects are there from start-up on and
live as long as the process: modules, classes, the window's widgets and their wrappers
(about 60,000 once the window is shown). Walking them again finds nothing, so once
start-up is over they are moved out of the collector's sight with ``gc.freeze``
(Python's gc documentation), and later full passes walk only what was made since.
Qt-free.
"""

from __future__ import annotations

import gc


def hold_during_startup() -> None:
    """No collections until ``settle_after_startup``: start-up's imports and widgets
    are tens of thousands of objects that all live on, and the young-generation passes
    that creating them sets off (about 120 of them, 20 ms) find nothing to free. Call
    first thing on the window's way; settle_after_startup turns collection back on."""
    gc.disable()


_settled = False
"""settle_after_startup has run: the process is a window's, past its start-up."""
_thresholds: list[int] = []
"""The collector's thresholds before settle_after_startup (for unsettle)."""

YOUNG_THRESHOLD = 20_000
"""Net new container objects (allocations less deallocations) between two collections
of the youngest generation; Python's own is 700. A first sync makes and drops several
tuples per message on its worker threads, so at 700 a young collection ran every
50 ms or so (600 in five first syncs of 100,000), on whichever thread crossed the
count: on the GUI thread, 10-14 ms walks of a worker's chunk of rows in the middle of
a turn (issue 18, bench_gaps). Objects that die young are never walked, so fewer
collections walk less in all; each walks what is young and alive, a chunk or two."""


def settle_after_startup() -> None:
    """Collect start-up's garbage once, then freeze what is left, and collect as usual
    from now on, the young generation every YOUNG_THRESHOLD objects (call once the
    window has painted, or with an account its first rows; calling it again freezes
    whatever has become long-lived since)."""
    global _settled
    gc.collect()
    gc.freeze()
    if not _settled:
        _thresholds[:] = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, *_thresholds[1:])
    _settled = True
    gc.enable()


def unsettle() -> None:
    """Undo settle_after_startup (a test that timed the window, before the next): the
    frozen objects back in sight, Python's thresholds, no more freezing."""
    global _settled
    gc.unfreeze()
    if _settled:
        gc.set_threshold(*_thresholds)
    _settled = False


def keep_long_lived() -> None:
    """Move what the collector tracks now to the permanent generation, without a
    collection (``gc.freeze`` splices lists: no walk), once start-up is over. Called
    when an account's worker side is built: its modules, classes and engine, tens of
    thousands of objects that live as long as the account, which the next young
    collection would otherwise walk (20-90 ms holding the GIL, issue 18: five
    accounts added to a running window). Frozen objects are still freed by reference
    counting; only a reference cycle among them would now be kept."""
    if _settled:
        gc.freeze()
