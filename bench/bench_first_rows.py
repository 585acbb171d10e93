"""Start to the newest rows painted, on a new profile (issue 18 goal 6), not a test.

    .venv/bin/python bench/bench_first_rows.py [--messages 100000] [--runs 5]
                                               [--round-trip MS]

A private Dovecot on 127.0.0.1 with an Inbox of N messages. Each run starts qtmail in a
fresh profile that has the account but no cache yet (as after the account setup, or on
a new computer) and stops the clock when the message list has painted its first rows:
start-up, login, LIST, SELECT, the newest chunk's FETCH, the store and the paint. The
process is the app's own start (``run_gui``); the launcher only adds the watch on the
list, and the password comes from a keyring backend that reads it from the environment
(bench_keyring.py), loaded by keyring itself in the worker, as a desktop keyring is.

Beside each time it prints the server's own share of it: the running time Dovecot
reports in its tagged replies ("(0.063 + 0.000 secs)", the first figure: how long the
command ran in the server, imap-client.c) for what the account's connection asked before
its first FETCH (LOGIN, ENABLE, LIST, SELECT), which qtmail can only wait for. The
FETCH's own time is left out: its rows are parsed while they arrive.

``--round-trip MS`` puts a proxy between qtmail and Dovecot that adds that much to every
round trip (bench/delay_proxy.py), as a server across a network would: each command
that waits for the one before it costs that much more.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from delay_proxy import DelayProxy
from helpers.accounts import account_for

from qtmail.accounts.settings import AccountsFile
from qtmail.profile import Profile

ROOT = Path(__file__).resolve().parents[1]

LAUNCHER = """
import sys
from qtmail import heap
from server_time import watch_server_time
server_time = watch_server_time()
heap.hold_during_startup()  # as the command line starts the window (qtmail.cli)
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication
from qtmail.app import run_gui
from qtmail.profile import Profile

class RowsPainted(QObject):
    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.done = False

    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Paint and not self.done
                and self.view.model() is not None and self.view.model().rowCount() > 0):
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print("rows painted", self.view.model().rowCount(), flush=True)
        print(f"server's own time {server_time():.1f} ms", flush=True)
        QApplication.instance().exit(0)

def watch(gui):
    view = gui.window.findChild(QAbstractItemView, "messageList")
    view.viewport().installEventFilter(RowsPainted(view))

from pathlib import Path
sys.exit(run_gui(Profile.at(Path(sys.argv[1])), after_show=watch))
"""


def time_to_rows(user: common.MailUser, port: int | None = None) -> tuple[float, float]:
    """Seconds from spawn to the first painted rows of the Inbox, on a new profile, and
    the server's own share of them (module docstring), in seconds; ``port``: where
    qtmail finds the server, if not at the user's own port."""
    with tempfile.TemporaryDirectory(prefix="qtmail-bench-rows-") as home:
        profile_home = Path(home) / "profile"
        profile = Profile.at(profile_home).ensure()
        account = account_for(user)
        if port is not None:
            account = replace(account, imap=replace(account.imap, port=port))
        AccountsFile(profile.accounts_file).add(account)
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
               "LANG": "C.UTF-8",
               "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
               "PYTHON_KEYRING_BACKEND": "bench_keyring.EnvironmentKeyring",
               "QTMAIL_BENCH_PASSWORDS": json.dumps({"work:imap": user.password})}
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(profile_home)],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=env, cwd=home, text=True)
        assert process.stdout is not None
        painted = server = None
        for line in process.stdout:
            if painted is None and line.startswith("rows painted"):
                painted = time.perf_counter() - started
            elif line.startswith("server's own time "):
                server = float(line.split()[3]) / 1000
        if process.wait(timeout=60) != 0 or painted is None or server is None:
            raise SystemExit(f"bench_first_rows: the window showed no rows "
                             f"(exit {process.returncode})")
        return painted, server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--round-trip", type=float, default=0.0, metavar="MS",
                        help="added to every round trip to the server (default: none)")
    args = parser.parse_args()
    with common.dovecot() as server:
        user = server.new_user()
        filled = common.populate(server, user, args.messages)
        print(f"populated {args.messages:,} messages in {filled:.1f} s")
        proxy = DelayProxy((user.host, user.port), args.round_trip / 2000) \
            if args.round_trip else None
        runs = [time_to_rows(user, proxy.port if proxy else None) for _ in range(args.runs)]
        times = [total for total, _ in runs]
        own = [total - server for total, server in runs]
        print(f"runs: {', '.join(f'{t * 1000:.0f}' for t in times)} ms")
        print(f"the server's own time in them: "
              f"{', '.join(f'{server * 1000:.0f}' for _, server in runs)} ms")
        where = f", {args.round_trip:g} ms added to each round trip" if proxy else ""
        print(f"start to newest rows painted, new profile, {args.messages:,} messages"
              f"{where}: median {statistics.median(times) * 1000:.0f} ms"
              f"{'' if proxy else ' (goal: under 500 ms)'}")
        print(f"... less the server's own time in each run: median "
              f"{statistics.median(own) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
