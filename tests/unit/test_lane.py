"""qtmail.sync.lane: work beside the worker, results handed over on the worker's turns."""

from __future__ import annotations

import threading

import pytest

from qtmail.sync.lane import Lane, Result


def test_results_come_back_in_order_on_the_collecting_thread() -> None:
    lane = Lane("test")
    gate = threading.Event()
    seen: list[tuple[int, str]] = []

    def done(n: int) -> object:
        def record(result: Result[int]) -> None:
            seen.append((result(), threading.current_thread().name))
        return record

    lane.start(lambda: (gate.wait(10), 1)[1], done(1))
    lane.start(lambda: 2, done(2))
    assert lane.busy
    assert lane.collect() == 0  # nothing finished: the first one waits for the gate
    gate.set()
    assert lane.wait(10)
    assert lane.collect() == 2
    assert seen == [(1, threading.current_thread().name), (2, threading.current_thread().name)]
    assert not lane.busy
    lane.close()


def test_an_error_is_raised_where_the_result_is_taken() -> None:
    lane = Lane("test")
    taken: list[Result[int]] = []

    def fails() -> int:
        raise ValueError("no")

    lane.start(fails, taken.append)
    assert lane.wait(10)
    lane.collect()
    with pytest.raises(ValueError, match="no"):
        taken[0]()
    lane.close()


def test_wait_gives_up_after_its_timeout() -> None:
    lane = Lane("test")
    gate = threading.Event()
    lane.start(lambda: gate.wait(10), lambda result: None)
    assert not lane.wait(0.01)
    assert lane.busy
    gate.set()
    assert lane.wait(10)
    lane.close()

