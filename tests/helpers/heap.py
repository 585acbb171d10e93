"""The heap settled as qtmail's start-up settles it, for the tests that time the window.

qtmail freezes what start-up leaves behind (qtmail/heap.py); a test's process holds
far more (every earlier test's leftovers), and a full collection over it stalled the
window on CI. Unfrozen afterwards, and the collector's thresholds put back, so later
tests' garbage cycles are collected as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qtmail.heap import settle_after_startup, unsettle


@contextmanager
def settled_heap() -> Iterator[None]:
    settle_after_startup()
    try:
        yield
    finally:
        unsettle()
