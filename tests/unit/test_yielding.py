"""core/yielding.py: how often a worker's pause() gives the GIL away."""

from __future__ import annotations

import threading

import pytest

from qtmail.core import yielding


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(yielding.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(yielding.time, "sleep", fake.sleep)
    monkeypatch.setattr(yielding, "_released", 0.0)
    return fake


def test_pause_releases_the_gil_at_most_once_per_interval(clock: FakeClock) -> None:
    yielding.pause()
    yielding.pause()
    clock.now += yielding.RELEASE_EVERY / 2
    yielding.pause()
    assert clock.sleeps == [0]
    clock.now += yielding.RELEASE_EVERY
    yielding.pause()
    assert clock.sleeps == [0, 0]


def test_pause_waits_while_the_gui_is_busy(clock: FakeClock) -> None:
    with yielding.busy():
        yielding.pause()
    # 1 ms steps up to MAX_WAIT: the flag stays set in this thread.
    assert clock.sleeps and set(clock.sleeps) == {0.001}
    assert sum(clock.sleeps) == pytest.approx(yielding.MAX_WAIT, abs=0.002)
    # The GIL was just given away: the next pause does not release it again.
    yielding.pause()
    assert set(clock.sleeps) == {0.001}


def test_a_lane_holds_back_while_a_worker_answers_the_user(clock: FakeClock) -> None:
    answering, answered = threading.Event(), threading.Event()

    def worker() -> None:
        with yielding.answering():
            answering.set()
            answered.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    answering.wait()
    try:
        yielding.pause_lane()  # not a lane's thread: nothing
        assert clock.sleeps == []
        with yielding.lane():
            yielding.pause_lane()
    finally:
        answered.set()
        thread.join()
    assert set(clock.sleeps) == {0.001}
    assert sum(clock.sleeps) == pytest.approx(yielding.MAX_WAIT, abs=0.002)
    with yielding.lane():
        yielding.pause_lane()  # the answer is over: as pause(), the GIL was just given away
    assert set(clock.sleeps) == {0.001}
    assert not yielding._lanes and not yielding._answering


def test_a_lane_gives_the_gil_away_as_a_worker_does(clock: FakeClock) -> None:
    with yielding.lane():
        yielding.pause_lane()
        clock.now += 2 * yielding.RELEASE_EVERY
        yielding.pause_lane()
    assert clock.sleeps == [0, 0]
