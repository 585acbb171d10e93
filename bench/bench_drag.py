"""Dragging 1,000 selected messages onto a folder: how fast the rows leave the list (the
local phase, issue 5 wants < 100 ms) and how long the server move takes, on a private
Dovecot, compared with a raw ``UID MOVE`` of the same 1,000 messages (imapclient, no
cache). Twice: the whole folder by date, and a block of a list sorted by subject.

    .venv/bin/python bench/bench_drag.py [count] [runs]

Waiting is event-driven (a QEventLoop that the model's own signals end), so the GUI
thread sleeps as it would in the application instead of spinning processEvents() and
competing with the account worker for the GIL.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import dovecot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers.mailgen import message
from PySide6.QtCore import (
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    SignalInstance,
)
from PySide6.QtWidgets import QApplication

from qtmail.accounts.settings import (
    AccountSettings,
    Security,
    ServerSettings,
    SyncPolicy,
)
from qtmail.core.events import Event, PendingChanged
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow


def wait(condition: Callable[[], bool], signals: list[SignalInstance],
         timeout: float) -> float:
    """Seconds until ``condition`` holds, checked whenever one of ``signals`` fires."""
    start = time.perf_counter()
    if condition():
        return 0.0
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if condition():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout * 1000))
    # A slow poll as well, for conditions no signal announces (e.g. the window's tree).
    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    loop.exec()
    for signal in signals:
        signal.disconnect(check)
    if not condition():
        raise TimeoutError("condition not met")
    return time.perf_counter() - start


def one_run(count: int, total: int = 0, by_subject: bool = False
            ) -> tuple[float, float, float, float]:
    """(drag data built, drop -> rows gone, drop -> server done, raw UID MOVE), seconds.

    ``total`` messages in the folder (default ``count``: all of them are dragged);
    ``by_subject``: the list sorted by subject, the first ``count`` rows dragged (a block
    on screen, scattered in the store's date order: one removal per row)."""
    total = total or count
    with dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        user = server.new_user()
        imap = user.imap()
        imap.create_folder("Projects")
        imap.multiappend("INBOX", [message(f"Bulk {(n * 7919) % total}")
                                   for n in range(total)])
        settings = AccountSettings(
            name="work", email="u@example.org", sync=SyncPolicy(),
            imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                                username=user.name, timeout=20))
        window = MainWindow(WindowSettings(Path(tmp) / "qtmail.ini"))
        client = EngineClient(settings, Path(tmp) / "cache.sqlite3",
                              lambda: user.password, window)
        window.add_account(client)
        window.show()
        view = window.message_list
        proxy = view.proxy
        changed = [proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset]
        wait(lambda: proxy.rowCount() == total, changed, 120)
        wait(lambda: window.tree.folder_index("work", "Projects").isValid(), [], 30)
        queued: list[int] = []

        def on_event(event: Event) -> None:
            if isinstance(event, PendingChanged):
                queued.append(event.queued)

        client.event.connect(on_event)
        settle = QEventLoop()  # the first sync of the other folders ends meanwhile
        QTimer.singleShot(2000, settle.quit)
        settle.exec()
        if by_subject:
            view.sort_by(1, Qt.SortOrder.AscendingOrder)
        view.selectionModel().select(
            QItemSelection(proxy.index(0, 0), proxy.index(count - 1, 3)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect)
        settle = QEventLoop()  # the user selects, then drags: the repaint comes first
        QTimer.singleShot(300, settle.quit)
        settle.exec()
        start = time.perf_counter()
        mime = view.drag_mime()  # what the view's startDrag builds
        assert mime is not None
        built = time.perf_counter() - start
        target = window.tree.folder_index("work", "Projects")
        queued.clear()
        dropped = time.perf_counter()
        window.tree.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
        wait(lambda: proxy.rowCount() == total - count, changed, 30)
        local = time.perf_counter() - dropped
        wait(lambda: bool(queued) and queued[-1] == 0, [client.event], 120)
        on_server = time.perf_counter() - dropped
        window.close()
        # The floor: the same messages moved back by a bare client, in one command.
        imap.select_folder("Projects")
        uids = imap.search("ALL")
        assert len(uids) == count, f"{len(uids)} of {count} on the server"
        raw_start = time.perf_counter()
        imap.move(uids, "INBOX")
        raw = time.perf_counter() - raw_start
        imap.logout()
        return built, local, on_server, raw


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    app = QApplication.instance() or QApplication(sys.argv)
    for title, total, by_subject in (
            (f"all {count} of the folder, by date", count, False),
            (f"{count} of {3 * count}, list sorted by subject", 3 * count, True)):
        results = [one_run(count, total, by_subject) for _ in range(runs)]
        print(f"-- {title}")
        for built, local, on_server, raw in results:
            print(f"drag data {built * 1000:.1f} ms, drop -> rows gone {local * 1000:.1f} ms "
                  f"(target < 100 ms), drop -> server done {on_server * 1000:.0f} ms, "
                  f"raw UID MOVE {raw * 1000:.0f} ms (ratio {on_server / raw:.1f})")
        print(f"median of {runs}: drop -> rows gone "
              f"{statistics.median(r[1] for r in results) * 1000:.1f} ms, server/raw ratio "
              f"{statistics.median(r[2] / r[3] for r in results):.1f}")
    del app


if __name__ == "__main__":
    main()
