"""Print what preview lines (issue 14) cost a first sync, and how soon they show (not a test).

Run: PYTHONPATH=. .venv/bin/python bench/bench_previews.py [--messages N] [--rounds R]
(offscreen by default)

Against a private Dovecot with ``--messages`` in INBOX, through the real window:
- the first sync with View > Preview Lines off and on, alternated ``--rounds`` times on
  fresh caches (time to the folder's CountsChanged), and the ratio on/off (goal: under
  1.10, issue 14);
- with the lines on, the time from the first rows shown to every row on screen having
  its line, during that first sync (goal: within 300 ms);
- once synced, the time from a jump to rows never shown (End) to their lines, against
  one raw first ``UID FETCH <as many uids> (PREVIEW)`` read off a socket in the same
  run (and the partial fetch qtmail uses where PREVIEW is not offered).
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
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QAbstractItemView, QApplication

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core.events import CountsChanged
from qtmail.qt.bridge import EngineClient
from qtmail.qt.controllers.previews import visible_indexes
from qtmail.qt.models.roles import Role
from qtmail.qt.refcount_guard import immortalize_singletons
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow


def wait_until(app: QApplication, condition: object, timeout_s: float) -> float:
    """Process events until ``condition()``; the time it became true."""
    deadline = time.perf_counter() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise TimeoutError
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return time.perf_counter()


def lines_shown(window: MainWindow) -> bool:
    rows = visible_indexes(window.lists.active())
    return bool(rows) and all(index.data(Role.PREVIEW) is not None for index in rows)


def one_sync(app: QApplication, user: common.MailUser, home: Path, previews: bool
             ) -> tuple[float, float | None, MainWindow]:
    """(first sync seconds, first rows to their lines on screen or None, the window)."""
    settings = WindowSettings(home / "qtmail.ini")
    settings.set_mark_read_delay_ms(-1)
    settings.set_preview_lines(previews)
    window = MainWindow(settings)
    window.resize(1200, 760)
    window.show()
    account = AccountSettings(name="bench", email="bench@example.org",
                              imap=ServerSettings(user.host, user.port, Security.NONE,
                                                  username=user.name))
    client = EngineClient(account, home / "cache.sqlite3", lambda: user.password, window)
    synced: list[float] = []
    client.event.connect(lambda e: isinstance(e, CountsChanged) and e.folder == "INBOX"
                         and synced.append(time.perf_counter()))
    started = time.perf_counter()
    window.add_account(client)
    first_rows = wait_until(app, lambda: window.message_list.proxy.rowCount() > 0, 120.0)
    to_lines = None
    if previews:
        to_lines = wait_until(app, lambda: lines_shown(window), 120.0) - first_rows
    wait_until(app, lambda: bool(synced), 1200.0)
    return synced[0] - started, to_lines, window


def jump_to_end(app: QApplication, window: MainWindow, user: common.MailUser
                ) -> tuple[float, float, float]:
    """Medians over JUMPS jumps to rows never shown (End, then places in between): the
    time to their lines; one raw UID FETCH (PREVIEW), and one raw partial fetch like
    qtmail's fallback, each of as many rows nobody asked for before (the server makes a
    preview on first request, so a cached one would not be the floor)."""
    view = window.lists.active()
    proxy = view.model()
    took: list[float] = []
    floors: list[float] = []
    partials: list[float] = []
    for jump in range(JUMPS):
        started = time.perf_counter()
        if jump == 0:
            view.scrollToBottom()
        else:
            view.scrollTo(proxy.index(proxy.rowCount() * jump // (JUMPS + 1), 0),
                          QAbstractItemView.ScrollHint.PositionAtTop)
        took.append(wait_until(app, lambda: lines_shown(window), 60.0) - started)
        uids = [index.data(Role.UID) for index in visible_indexes(view)]
        floors.append(raw_round_trip(user, [u + 1_000 + jump for u in uids], b"(PREVIEW)"))
        partials.append(raw_round_trip(user, [u + 2_000 + jump for u in uids], PARTIAL))
    return statistics.median(took), statistics.median(floors), statistics.median(partials)


JUMPS = 5


PARTIAL = (b"(BODY.PEEK[HEADER.FIELDS (MIME-VERSION CONTENT-TYPE CONTENT-TRANSFER-ENCODING)]"
           b" BODY.PEEK[TEXT]<0.2048>)")


def raw_round_trip(user: common.MailUser, uids: list[int], items: bytes) -> float:
    """One ``UID FETCH uids items`` read off a socket unparsed (the first time these
    rows are asked), on a connection already warmed by the same kind of command on
    another row, as qtmail's own connection is."""
    sock = common.raw_connection(user)
    try:
        common._command(sock, b"W1", b"UID FETCH %d " % (min(uids) - 500) + items)
        command = b"UID FETCH " + b",".join(b"%d" % u for u in uids) + b" " + items
        started = time.perf_counter()
        common._command(sock, b"P1", command)
        return time.perf_counter() - started
    finally:
        sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    immortalize_singletons()
    off: list[float] = []
    on: list[float] = []
    to_lines: list[float] = []
    jump = floor = partial = 0.0
    with common.dovecot() as server:
        user = server.new_user("bench")
        common.populate(server, user, args.messages)
        for round_number in range(args.rounds):
            for previews in (False, True):
                with tempfile.TemporaryDirectory() as tmp:
                    took, lines, window = one_sync(app, user, Path(tmp), previews)
                    (on if previews else off).append(took)
                    if lines is not None:
                        to_lines.append(lines)
                    if previews and round_number == args.rounds - 1:
                        jump, floor, partial = jump_to_end(app, window, user)
                    window.close()
                    window.deleteLater()
                    app.processEvents()
    name = f"first sync of {args.messages:,} through the window"
    print(f"{name + ', preview lines off':<58} {statistics.median(off):7.2f} s median"
          f"  {[round(t, 2) for t in off]}")
    print(f"{name + ', preview lines on':<58} {statistics.median(on):7.2f} s median"
          f"  {[round(t, 2) for t in on]}")
    print(f"{'  ratio on/off (goal under 1.10)':<58} "
          f"{statistics.median(on) / statistics.median(off):7.3f}")
    print(f"{'first rows to their lines, mid-sync (goal 300 ms)':<58} "
          f"{statistics.median(to_lines) * 1000:7.0f} ms median"
          f"  {[round(t * 1000) for t in to_lines]}")
    print(f"{'a jump to rows never shown to their lines, synced':<58} {jump * 1000:7.0f} ms"
          f" median   {jump / floor:.2f}x one raw first UID FETCH (PREVIEW) of as many"
          f" rows ({floor * 1000:.1f} ms; the partial fetch: {partial * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
