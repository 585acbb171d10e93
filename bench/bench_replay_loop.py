"""Offline changes replayed when the server returns, in a loop through the real window:
the scenario of issue 13 item 1 (stop the server, archive one message and star another,
start the server again), run many times, each batch in its own process so that a crash
(a process ended by a signal) is counted rather than ending the loop.

    .venv/bin/python bench/bench_replay_loop.py [--runs 300] [--batch 25] [--xcb]

Prints runs, crashes (processes ended by a signal), lost changes (a run whose move or
star did not reach the server, or whose queue did not drain) and the mean time per run.
The scenario itself is tests/gui/test_replay_resume.py (QTMAIL_REPLAY_RUNS repeats it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/gui/test_replay_resume.py"


def run_batch(count: int, xcb: bool) -> tuple[int, int, bool, float]:
    """(passed, failed, crashed, seconds) of one pytest process repeating the scenario."""
    env = {**os.environ, "QTMAIL_REPLAY_RUNS": str(count), "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "xcb" if xcb else "offscreen"}
    command = [sys.executable, "-X", "faulthandler", "-m", "pytest", "-q",
               "-p", "no:cacheprovider", TEST]
    if xcb:
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            sys.exit("xvfb-run is needed for --xcb (apt-get install xvfb xauth)")
        command = [xvfb, "-a", "-s", "-screen 0 1400x900x24", *command]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    tail = done.stdout[-2000:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", tail)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", tail)) else 0
    # pytest exits 0-5; anything else (negative under subprocess, or 128+N from a
    # wrapper) is a process ended by a signal: a crash.
    crashed = done.returncode < 0 or done.returncode > 5 or "Fatal Python error" in done.stderr
    if crashed or failed:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
    return passed, failed, crashed, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--xcb", action="store_true", help="a real X window under Xvfb")
    args = parser.parse_args()
    runs = crashes = lost = 0
    seconds = 0.0
    while runs < args.runs:
        count = min(args.batch, args.runs - runs)
        passed, failed, crashed, took = run_batch(count, args.xcb)
        runs += count
        crashes += int(crashed)
        lost += failed + (count - passed - failed if crashed else 0)
        seconds += took
        print(f"{runs:5d} runs  crashes {crashes}  lost changes {lost}  "
              f"{seconds / runs:.2f} s per run", flush=True)
    print(f"runs {runs}, crashes {crashes}, lost changes {lost}, "
          f"mean {seconds / runs:.2f} s per run ({'xcb' if args.xcb else 'offscreen'})")


if __name__ == "__main__":
    main()
