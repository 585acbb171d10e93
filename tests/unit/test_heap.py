"""qtmail/heap.py: the collector's settings once start-up is over."""

from __future__ import annotations

import gc

from qtmail.heap import YOUNG_THRESHOLD, hold_during_startup, settle_after_startup


def test_settling_freezes_start_up_and_collects_young_objects_less_often() -> None:
    """Issue 18: young collections every YOUNG_THRESHOLD objects, not Python's 700."""
    thresholds = gc.get_threshold()
    try:
        hold_during_startup()
        assert not gc.isenabled()
        settle_after_startup()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
        gc.enable()
