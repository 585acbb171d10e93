"""Print how fast the real main window opens a cached 100,000-message folder (not a test).

Run: PYTHONPATH=. .venv/bin/python bench/bench_window.py [--messages N] [--no-server|--no-cached]
(offscreen by default)

Figures: time from selecting the folder to its first rows painted, the memory that
added (RSS), a scroll from top to bottom in page steps (each painted), and the time
from selecting a cached message to its parsed body on screen (request through the
account's worker thread and back). No server: the store is filled directly, and the
account's connector fails, as when offline.

Then, against a private Dovecot (``--messages`` in INBOX, not cached): click to body
shown for messages not cached, during the folder's first sync (answered over the side
connection at a chunk boundary) and once it is idle, as ratios to one raw
``UID FETCH n BODY.PEEK[]`` round trip on a socket, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from bench_list import fill, rss_mb
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core.errors import ServerUnreachable
from qtmail.core.events import CountsChanged
from qtmail.qt.bridge import EngineClient
from qtmail.qt.refcount_guard import immortalize_singletons
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.store import Store

BODIES = 30
BODY = (b"From: Alice Example <alice@example.org>\r\nTo: bob@example.org\r\n"
        b"Subject: Re: quarterly report\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        b"Message-ID: <b@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + b"The quarterly numbers are attached; see the summary below.\r\n" * 80)


def offline(*args: object) -> object:
    raise ServerUnreachable("The bench has no server.")


def wait_until(condition: object, timeout_s: float = 10.0) -> None:
    """Run the event loop as the application does, looking at ``condition`` every
    millisecond. (A loop of processEvents() calls instead spins, and holds the GIL the
    account worker needs: it made a first sync through the window look 30% slower.)"""
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    tick = QTimer()
    tick.setSingleShot(True)
    tick.timeout.connect(loop.quit)
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError
        tick.start(1)
        loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--no-server", action="store_true")
    parser.add_argument("--no-cached", action="store_true")
    args = parser.parse_args()
    immortalize_singletons()
    app = QApplication.instance() or QApplication(sys.argv)
    if not args.no_cached:
        cached(app)
    if not args.no_server:
        uncached(app, args.messages)


def cached(app: QApplication) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.sqlite3"
        fill(cache)
        with Store.open(cache) as store:
            for summary in store.summaries("INBOX", offset=0, limit=BODIES):
                store.put_body("INBOX", summary.uid, BODY)
        account = AccountSettings(name="bench", email="bench@example.org",
                                  imap=ServerSettings("127.0.0.1", 1, Security.NONE))
        settings = WindowSettings(Path(tmp) / "qtmail.ini")
        settings.set_mark_read_delay_ms(-1)
        before = rss_mb()
        window = MainWindow(settings)
        window.resize(1200, 760)
        window.show()
        client = EngineClient(account, cache, lambda: "x", window,
                              connector=offline, watcher=offline)  # type: ignore[arg-type]
        window.add_account(client)
        wait_until(lambda: window.reader("bench") is not None)
        app.processEvents()
        # The window selects the last-used folder or INBOX itself; measure a fresh open.
        window.show_folder("bench", "Archive-none")
        app.processEvents()
        started = time.perf_counter()
        window.show_folder("bench", "INBOX")  # what a click on the folder does
        window.message_list.viewport().grab()
        first_rows = time.perf_counter() - started
        rows = window.message_list.proxy.rowCount()
        print(f"{'first rows painted (' + format(rows, ',') + ' rows)':<44} "
              f"{first_rows * 1000:8.1f} ms   (goal < 150 ms)")
        print(f"{'memory added (window + folder open, RSS)':<44} {rss_mb() - before:8.1f} MB"
              f"   (goal < 60 MB)")

        view = window.message_list
        wait_until(lambda: view.verticalScrollBar().maximum() > 0)
        bar = view.verticalScrollBar()
        steps, times = 0, []
        started = time.perf_counter()
        while bar.value() < bar.maximum() and steps < 2000:
            t = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().grab()
            times.append(time.perf_counter() - t)
            steps += 1
        total = time.perf_counter() - started
        print(f"{'scroll top to bottom (' + str(steps) + ' pages, painted)':<44} "
              f"{total * 1000:8.1f} ms   median {statistics.median(times) * 1000:.2f} ms/page"
              f"   max {max(times) * 1000:.1f} ms")
        bar.setValue(0)

        shown: list[object] = []
        window.reading.shown.connect(shown.append)
        latencies = []
        for row in range(1, BODIES - 1):
            shown.clear()
            t = time.perf_counter()
            view.select_row(row)
            wait_until(lambda: bool(shown))
            window.message_view.grab()
            latencies.append(time.perf_counter() - t)
        print(f"{'click to body shown (cached, parsed in worker)':<44} "
              f"{statistics.median(latencies) * 1000:8.1f} ms median   "
              f"max {max(latencies) * 1000:.1f} ms   (goal < 50 ms)")
        print(f"{'memory after all of it (RSS added)':<44} {rss_mb() - before:8.1f} MB")
        window.close()
        app.processEvents()


def raw_body_round_trip(user: common.MailUser, uids: list[int]) -> float:
    """Median seconds of one ``UID FETCH n BODY.PEEK[]`` read off a socket unparsed."""
    sock = common.raw_connection(user)
    try:
        times = []
        for n, uid in enumerate(uids):
            started = time.perf_counter()
            common._command(sock, b"B%d" % n, b"UID FETCH %d BODY.PEEK[]" % uid)
            times.append(time.perf_counter() - started)
    finally:
        sock.close()
    return statistics.median(times)


def click_to_body(window: MainWindow, row: int, shown: list[object]) -> float:
    shown.clear()
    started = time.perf_counter()
    window.message_list.select_row(row)
    wait_until(lambda: bool(shown), 60.0)
    window.message_view.grab()
    return time.perf_counter() - started


def uncached(app: QApplication, messages: int) -> None:
    with common.dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        user = server.new_user("bench")
        common.populate(server, user, messages)
        floor = raw_body_round_trip(user, list(range(messages, messages - 20, -1)))
        account = AccountSettings(name="bench", email="bench@example.org",
                                  imap=ServerSettings(user.host, user.port, Security.NONE,
                                                      username=user.name))
        settings = WindowSettings(Path(tmp) / "qtmail.ini")
        settings.set_mark_read_delay_ms(-1)
        window = MainWindow(settings)
        window.resize(1200, 760)
        window.show()
        client = EngineClient(account, Path(tmp) / "cache.sqlite3", lambda: user.password,
                              window)
        synced: list[float] = []
        client.event.connect(lambda e: isinstance(e, CountsChanged) and e.folder == "INBOX"
                             and synced.append(time.perf_counter()))
        shown: list[object] = []
        window.reading.shown.connect(shown.append)
        started = time.perf_counter()
        window.add_account(client)
        wait_until(lambda: window.message_list.proxy.rowCount() > 0, 60.0)
        during: list[float] = []
        row = 0
        while not synced and row < 500:
            latency = click_to_body(window, row, shown)
            if not synced:  # answered while the folder still synced
                during.append(latency)
            row += 1
        wait_until(lambda: bool(synced), 600.0)
        sync_s = synced[0] - started
        idle = [click_to_body(window, r, shown) for r in range(row + 1, row + 21)]
        window.close()
        app.processEvents()
    print(f"{'raw UID FETCH BODY.PEEK[] round trip':<44} {floor * 1000:8.2f} ms median")
    print(f"{'first sync of ' + format(messages, ',') + ' through the window':<44} "
          f"{sync_s:8.1f} s")
    if during:
        median = statistics.median(during)
        print(f"{'click to body, not cached, mid-sync':<44} {median * 1000:8.1f} ms median"
              f"   max {max(during) * 1000:.1f} ms   n={len(during)}"
              f"   {median / floor:.0f}x the raw round trip")
    else:
        print("click to body, not cached, mid-sync: the sync ended before the first answer")
    median = statistics.median(idle)
    print(f"{'click to body, not cached, idle':<44} {median * 1000:8.1f} ms median"
          f"   max {max(idle) * 1000:.1f} ms   n={len(idle)}"
          f"   {median / floor:.1f}x the raw round trip")


if __name__ == "__main__":
    main()
