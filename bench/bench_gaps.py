"""The window's longest event-loop gap while several accounts sync at once (issue 18
goal 5), not a test.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gaps.py \
        [--accounts 5] [--messages 100000]

A private Dovecot with ``--accounts`` users of ``--messages`` Inbox messages each; a
window, once painted, gets all of them added at once (new caches: every account's first
sync), as tests/gui/test_window_latency.py does for one account of 10,000. A 10 ms QTimer on the
GUI thread records every gap until every Inbox is complete in the window's stores.
Prints the longest gaps and exits with status 1 (loudly) when one is over the goal.

Also what the GUI thread did during the longest gaps (ran, waited for a core, waited
for the rest: the GIL) and the CPU the sync took, qtmail's and everything else's: the
private Dovecot shares this machine's cores, which a real server does not.

Before the windows start, each Inbox's headers are read once off a raw socket, with
the command qtmail's first sync sends (unparsed, as bench_fetch.py's raw read), so
Dovecot has built its index cache of those fields: otherwise the first window would
sync against a cold server and the second against a warm one (Dovecot used 15.7 s of
CPU during the first, 4.7 s during the second, 6 Dec 2026). ``--cold-server`` leaves
that out: the first window then meets a cold server.

Two windows sync in turn, each with new caches. In the first, Dovecot runs beside the
window, at its priority: its five IMAP processes use more CPU than qtmail (13.5-14.1 s
against 11.8-12.6 s in a 15-16 s sync on 2 cores, 6 Dec 2026), so on two cores the GUI
thread waits for one, and the account workers, ten nicer than the GUI (qt/worker.py),
can be kept off the CPU while they hold the GIL the GUI thread needs. A user's server
runs on its own machine and takes no CPU from the window, so the goal is measured in
the second: Dovecot's new IMAP processes at nice 19, running on what the window leaves
idle. Both figures are printed; ``--server`` measures one of them alone.

Figures of 6 Dec 2026 (5 x 100,000, 2 cores, Dovecot's cache built first; the largest
gap of each run): Dovecot beside the window 27.4, 35.1, 36.0, 38.5, 41.1, 42.0, 46.5,
58.3 ms; behind it 24.8, 24.9, 26.6, 27.7, 30.0, 36.0, 38.9, 51.9 ms. Before
folder_sync's _after_newest stopped walking the whole folder's UIDs (10-14 ms holding
the GIL per account): beside 28.7-113.1 ms (5 of 8 runs over 50), behind 26.4-92.6 ms (2
of 8), the longest mostly the GUI thread waiting for the GIL 0.5-0.9 s into the sync.
Now the longest are in the first 0.4 s (the accounts' first rows, the folder tree, the
first paint of All Inboxes), mostly waiting for a core: qtmail's own threads use about
one core's worth all through the sync.

A later day on the same machine, noisier (qtmail 13.4-16.2 s of CPU a sync instead of
11.6-12.1 s; kernel threads ~12 s, mostly writeback): behind the window 29.3, 41.1,
50.1, 53.2, 70.7 ms; the code of the day before 56.9, 67.7, 114.9 ms. The long ones
were the GUI thread waiting 40-65 ms for the GIL 0.15-1.3 s into the sync. One account
worker stepping at a time (a semaphore handed on between chunks) gave 31.4-42.9 ms in
4 runs of 4, the same sync time, but a step blocked on a silent server would then stop
every account; with the wait for a turn bounded (0.25 s) the gain was gone. A turn
handed back while a worker waits on its socket is what remains to try.

That turn is qtmail.core.turns (imap/waiting.py gives it on while a read waits), in
place of folder_sync's lock around each part's parsing, which an account whose server
went silent mid-FETCH held for every other account until its connection timed out.
Alternating runs with the code before it, 6 Dec 2026: on a noisy stretch (17-23 s a
sync) 79.6, 61.4, 52.5 ms against 85.1, 69.2, 52.2; on a quiet one (14-15 s) 59.0,
37.1, 36.8 against 35.8, 42.8, 56.2 ms, the 99th percentile 21.8-24.2 against
21.6-22.9 ms and the sync 13.7-15.1 s against 14.8-15.0 s: no better and no worse.
The longest gaps left come in the first half second (the accounts' first rows and the
first paint of All Inboxes), the GUI thread running 20-35 ms of its own painting and
event handling in them.

7 Dec 2026, what held the window in those first seconds, and what was done:
- A watchdog thread sleeping 2 ms at a time, noting every thread's frames whenever it
  woke over 8 ms late: each worker's ESEARCH answer, ``ALL 1:100000``, expanded by one
  ``list.extend(range(...))`` that held the GIL 13-15 ms while its ints took fresh
  memory (a first touch of new memory costs 3-12 us a page on this VM). parse_uid_set
  now expands in slices; the late wake-ups of the first second went from 6 to 1.
- A cProfile per repaint: the folder tree's took 20.7 and 61.3 ms, 44 ms of it inside
  Qt, in the GIL waits of about ten role calls a cell; the tree now paints from its
  nodes (FolderTreeModel.look) and asks for no role.
- perf sched timehist: a nice-19 IMAP process ran 18.9 ms on the core the GUI thread
  had been woken on, so Dovecot now runs behind the window at SCHED_IDLE.
- Tried and left: the account workers at SCHED_IDLE (the GUI thread then waited up
  to 60 ms for the GIL held by a starved worker), a 0.2 ms switch interval (no change).
Runs after these (behind the window): 39.7, 54.8, 59.9, 99.6 ms, the 99th percentile
20.5-29.2 ms. The long ones are mostly the GUI thread runnable but not running,
27-44 ms in the first second. In one (perf sched, 45.8 ms at 0.42 s) it waited 30.9 ms
on a core where a Dovecot IMAP process at SCHED_IDLE ran on and the core logged no
switch at all: this VM's kernel is built PREEMPT_NONE (a task in a system call keeps
its core until it returns) and its vCPUs are scheduled by the host. The other, 54.8
ms at 0.00 s, is the bench's own start: five add_account calls at once and the first
paint of the window's main page (48.9 ms run), which a user's start-up does before
its first paint.

Since 7 Dec 2026 each sync also measures the machine's own floor (wake_floor.py): a
process of its own (no GIL shared) sleeping 1 ms at a time at real-time priority, which
the kernel runs ahead of every normal thread as soon as it can; how late it wakes is
what the machine adds to any thread's wake-up, the GUI thread's included. Printed for
the whole sync and for each of the longest gaps. First runs (behind the window): largest
gaps 32.6, 38.8, 31.9, 40.7 ms with the probe woken up to 18.7, 20.9, 17.6, 8.2 ms late;
the longest gaps were the first paint of the accounts' rows (22-31 ms of the GUI
thread's own CPU: perf at 4 kHz put a quarter of it in Python, 14% in first touches of
new memory, 11% in futex wake-ups as the GIL changed hands, 8% in FreeType). Later runs
the same day: 33.1, 26.6, 39.9 ms alone (probe 21.6, 7.6, 10.9 ms), and in bench/run_all
52.4 and 65.4 ms after its 1,000,000-message benchmarks but 30.3 ms before them (probe
7.9-8.3 ms). In the two over 50 ms the GUI thread waited 24-29 ms for a core while the
probe woke on time: not the machine's floor but the sharing of its two cores.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import wake_floor
from bench_sync import first_sync
from helpers.accounts import account_for
from helpers.dovecot import DovecotServer, MailUser
from helpers.paints import GapProbe
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from qtmail import heap
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

GOAL_MS = 50.0


def synced(window: MainWindow, names: list[str], messages: int) -> bool:
    for name in names:
        reader = window.directory.reader(name)
        if reader is None or reader.message_count("INBOX") < messages:
            return False
    return True


def machine_busy() -> float | None:
    """CPU seconds every core of the machine has been busy so far (/proc/stat: all but
    idle and iowait), or None where the kernel does not say."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cores() -> int:
    return len(os.sched_getaffinity(0))


@dataclass
class Pass:
    """One window's first sync of every account, with new caches."""
    ticks: list[tuple[float, float, float | None]]
    began: float
    """time.monotonic() as the probe started: ticks[i] ended at began + the gaps to i."""
    floor: wake_floor.WakeFloor
    took: float
    ours: float
    others: float | None
    done: bool

    @property
    def gaps(self) -> list[float]:
        return [tick[0] for tick in self.ticks]


def window_sync(app: QApplication, users: list[MailUser], cache_dir: Path,
                messages: int) -> Pass:
    cache_dir.mkdir()
    window = MainWindow(WindowSettings(cache_dir / "qtmail.ini"))
    painted = QEventLoop()
    window.first_painted.connect(painted.quit)
    QTimer.singleShot(5000, painted.quit)
    window.show()
    painted.exec()  # the empty window's first paint is start-up's (bench_start.py)
    heap.settle_after_startup()  # as run_gui does once its window is painted
    probe = GapProbe(window)
    waking = wake_floor.WakeFloor()
    waking.start()
    probe.start()
    began = time.monotonic()
    names = [f"account{i + 1}" for i in range(len(users))]
    started = time.perf_counter()
    cpu_before = time.process_time(), machine_busy()  # every thread's
    for name, user in zip(names, users, strict=True):
        window.add_account(EngineClient(
            account_for(user, name=name), cache_dir / f"{name}.sqlite3",
            lambda password=user.password: password, window))
    loop = QEventLoop()
    check = QTimer(window)
    check.setInterval(20)
    check.timeout.connect(lambda: loop.quit() if synced(window, names, messages) else None)
    check.start()
    QTimer.singleShot(600_000, loop.quit)
    loop.exec()
    took = time.perf_counter() - started
    ours = time.process_time() - cpu_before[0]
    busy = machine_busy()
    others = None if busy is None or cpu_before[1] is None else busy - cpu_before[1] - ours
    probe.stop()
    waking.stop()
    check.stop()
    done = synced(window, names, messages)
    window.close()
    app.processEvents()
    return Pass(probe.ticks, began, waking, took, ours, others, done)


def report(result: Pass, accounts: int, messages: int) -> None:
    gaps = result.gaps
    print(f"{accounts} accounts x {messages:,} messages "
          f"{'synced' if result.done else 'NOT synced (10 min limit)'} in {result.took:.1f} s "
          f"through the window; {len(gaps):,} ticks of 10 ms")
    print(f"event-loop gaps: median {statistics.median(gaps):.1f} ms, "
          f"99th percentile {statistics.quantiles(gaps, n=100)[98]:.1f} ms, "
          f"longest {[round(g, 1) for g in sorted(gaps)[-5:]]} ms")
    ended = list(itertools.accumulate(tick[0] / 1000 for tick in result.ticks))
    longest = sorted(range(len(result.ticks)), key=lambda i: result.ticks[i][0])[-3:]
    for i in reversed(longest):
        gap, ran, queued = result.ticks[i]
        waits = "" if queued is None else (
            f", waited {queued:.1f} ms for a core, and {gap - ran - queued:.1f} ms idle (the"
            " 10 ms interval) or waiting for the GIL")
        start = result.began + ended[i] - gap / 1000
        woke = result.floor.worst(start, start + gap / 1000)
        print(f"  a gap of {gap:.1f} ms, {ended[i] - gap / 1000:.2f} s into the sync: the GUI"
              f" thread ran {ran:.1f} ms{waits}; the {result.floor.policy} process woke"
              f" {'on time' if not woke else f'up to {woke:.1f} ms late'} meanwhile")
    end = result.began + ended[-1]
    print(f"the machine's own latency (wake_floor.py: a {result.floor.policy} process "
          f"sleeping 1 ms at a time, in the same sync): woke up to "
          f"{result.floor.worst(result.began, end):.1f} ms late, "
          f"{result.floor.count(result.began, end)} times over {wake_floor.LATE_MS:.0f} ms")
    shares = "" if result.others is None \
        else f", everything else (the local Dovecot) {result.others:.1f} s"
    print(f"CPU during the sync: qtmail {result.ours:.1f} s{shares}, of "
          f"{result.took * cores():.1f} s on {cores()} cores")


def put_server_behind(server: DovecotServer) -> bool:
    """Dovecot's master at the lowest priority: the IMAP processes it starts for the
    next logins inherit it, so they run only on what the window leaves idle, as a real
    server's processes, on their own machine, take nothing from it. SCHED_IDLE where
    the kernel has it (Linux): at nice 19 alone an IMAP process still ran 18.9 ms on
    a core while the GUI thread, woken on it, waited (perf sched timehist, 7 Dec
    2026); the kernel preempts an idle-policy task for any other at once."""
    try:
        master = int((server.dir / "run" / "master.pid").read_text().strip())
        os.setpriority(os.PRIO_PROCESS, master, 19)
    except (OSError, ValueError) as error:
        print(f"could not lower Dovecot's priority ({error})")
        return False
    if hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(master, os.SCHED_IDLE, os.sched_param(0))
        except OSError as error:
            print(f"Dovecot stays at nice 19, not idle priority ({error})")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=5)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--versus-engine", action="store_true",
                        help="also the first account's first sync by the engine alone (best "
                             "of 2, before the window's), and the window's (best of 2 as "
                             "well) against it")
    parser.add_argument("--cold-server", action="store_true",
                        help="do not read the headers once before the syncs: Dovecot parses "
                             "every message file during the first, on this machine's cores")
    parser.add_argument("--server", choices=("both", "beside", "behind"), default="both",
                        help="the syncs to measure: Dovecot at the window's priority "
                             "(beside), at the lowest (behind: the goal's figure), or both "
                             "one after the other, each with new caches")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with common.dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        users = [server.new_user() for _ in range(args.accounts)]
        for user in users:
            filled = common.populate(server, user, args.messages)
            print(f"populated {args.messages:,} messages for {user.name} in {filled:.1f} s",
                  flush=True)
        if not args.cold_server:
            floors = [common.raw_floor(user, common.SUMMARY_FETCH)[0] for user in users]
            print(f"qtmail's fetch read raw, cold (Dovecot builds its cache of the fields): "
                  f"{' '.join(f'{floor:.2f}' for floor in floors)} s", flush=True)
        engine_s = None
        if args.versus_engine:  # the same mailbox, a new cache each time
            engine_s = min(first_sync(users[0], Path(tmp) / f"engine{run}.sqlite3")[0]
                           for run in range(2))
        beside = behind = None
        window_s: list[float] = []
        if args.server in ("both", "beside"):
            beside = window_sync(app, users, Path(tmp) / "beside", args.messages)
            window_s.append(beside.took)
            if engine_s is not None:
                # Best of 2, as the engine's: one run against the best of two leaned
                # against the window by the machine's noise (the same code gave 1.00x
                # to 1.40x in six runs).
                window_s.append(window_sync(app, users, Path(tmp) / "beside-again",
                                            args.messages).took)
        if args.server in ("both", "behind") and put_server_behind(server):
            behind = window_sync(app, users, Path(tmp) / "behind", args.messages)
    if beside is not None:
        print("== Dovecot beside the window (the same priority, on the same cores):")
        report(beside, args.accounts, args.messages)
        if engine_s is not None:
            runs = ", ".join(f"{took:.2f}" for took in window_s)
            print(f"first sync through the window: {min(window_s):.2f} s = "
                  f"{min(window_s) / engine_s:.2f}x the engine alone ({engine_s:.2f} s; "
                  f"each the best of 2, the window's {runs} s) (goal: within 1.2x)")
    if behind is not None:
        print("== Dovecot behind the window (nice 19: its CPU no longer the window's):")
        report(behind, args.accounts, args.messages)
    if beside is not None:
        print(f"largest GUI gap with Dovecot beside the window: {max(beside.gaps):.1f} ms")
    goal = behind or beside
    if goal is None:
        return 1
    longest = max(goal.gaps)
    print(f"largest GUI gap: {longest:.1f} ms (goal: under {GOAL_MS:.0f} ms)"
          + ("" if longest < GOAL_MS else "  <-- OVER THE GOAL"))
    machine = goal.floor.worst(goal.began, goal.began + goal.took)
    print(f"the machine's own wake-up latency in that sync: {machine:.1f} ms "
          f"({goal.floor.policy})")
    return 0 if goal.done and longest < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
