"""How late this machine wakes a thread that asks for nothing but the CPU: the floor
under bench_gaps' event-loop gaps, measured in the same run.

A separate process (no GIL shared with the window) sleeps 1 ms at a time, at real-time
priority (SCHED_FIFO) where it may take it, and notes every wake-up more than
``LATE_MS`` late. A real-time thread is run ahead of every normal one the moment the
kernel can, so its lateness is what the machine itself adds: a kernel built without
preemption (PREEMPT_NONE: a task in a system call keeps its core until it returns),
interrupts, or a virtual machine's host not running the core at all (7 Dec 2026 on
these 2-core VMs: 18.7 ms in a sync whose longest GUI gap was 32.6 ms). The window's
GUI thread, at normal priority, cannot be woken sooner than that.

    floor = WakeFloor()
    floor.start()
    ...
    floor.stop()
    floor.worst(start, end)  # ms, the latest wake-up between two time.monotonic()s

Run as a script it is the sleeping process: it prints "<monotonic> <ms late>" lines
when SIGTERM ends it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

LATE_MS = 2.0
"""Wake-ups later than this are noted (sleeping itself overshoots 0.05-0.1 ms)."""

SLEEP_S = 0.001


class WakeFloor:
    """The sleeping process, from start() to stop(); ``late`` then holds
    (monotonic time it went to sleep, ms late) for every wake-up over LATE_MS late."""

    def __init__(self) -> None:
        self.late: list[tuple[float, float]] = []
        self.policy = "not measured"
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE,
                                         text=True)

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        out, _ = self._process.communicate(timeout=30)
        lines = [line for line in out.splitlines() if line]
        if lines:
            self.policy = lines[0]
            self.late = [(float(when), float(ms))
                         for when, ms in (line.split() for line in lines[1:])]

    def worst(self, start: float, end: float) -> float:
        """The latest wake-up (ms) of the sleeps that overlap ``start`` to ``end``."""
        return max(self._within(start, end), default=0.0)

    def count(self, start: float, end: float) -> int:
        """How many wake-ups over LATE_MS late overlap ``start`` to ``end``."""
        return len(self._within(start, end))

    def _within(self, start: float, end: float) -> list[float]:
        return [ms for went, ms in self.late
                if went <= end and went + SLEEP_S + ms / 1000.0 >= start]


def _sleep_and_note() -> None:
    policy = "nice 0"
    if hasattr(os, "SCHED_FIFO"):
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
            policy = "real-time (SCHED_FIFO)"
        except OSError:
            pass  # not permitted (no CAP_SYS_NICE): the normal policy, said in the report
    stopping = False

    def stop(_signal: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    late: list[str] = []
    while not stopping:
        went = time.monotonic()
        time.sleep(SLEEP_S)
        over = (time.monotonic() - went - SLEEP_S) * 1000.0
        if over > LATE_MS:
            late.append(f"{went:.6f} {over:.3f}")
    print(policy)
    print("\n".join(late))


if __name__ == "__main__":
    _sleep_and_note()
