"""qtmail/heap.py: the collector's settings once start-up is over."""

from __future__ import annotations

import gc

from qtmail import heap


def test_settling_freezes_start_up_and_collects_young_objects_less_often() -> None:
    """Issue 18: young collections every YOUNG_THRESHOLD objects, not Python's 700;
    what an account's worker builds later is frozen too, and only in a settled
    process (a test process is not one: its cycles must still be collected)."""
    thresholds = gc.get_threshold()
    heap.keep_long_lived()
    assert gc.get_freeze_count() == 0
    try:
        heap.hold_during_startup()
        assert not gc.isenabled()
        heap.settle_after_startup()
        assert gc.isenabled()
        assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, *thresholds[1:])
        frozen = gc.get_freeze_count()
        assert frozen > 0
        built = [[n] for n in range(100)]  # containers made after start-up
        heap.keep_long_lived()
        assert gc.get_freeze_count() >= frozen + len(built)
    finally:
        heap.unsettle()
        gc.enable()
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0
