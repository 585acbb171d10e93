"""Dragging 1,000 selected messages onto a folder: how fast the list empties (the local
phase, issue 5 wants < 100 ms) and how long the server move takes, on a private Dovecot.

    .venv/bin/python bench/bench_drag.py [count]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import dovecot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from integration.mailgen import message
from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication

from qtmail.accounts.settings import (
    AccountSettings,
    Security,
    ServerSettings,
    SyncPolicy,
)
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow


def wait(condition: object, timeout: float) -> float:
    start = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - start > timeout:
            raise TimeoutError("condition not met")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = QApplication.instance() or QApplication(sys.argv)
    with dovecot() as server, tempfile.TemporaryDirectory() as tmp:
        user = server.new_user()
        imap = user.imap()
        imap.create_folder("Projects")
        for n in range(count):
            imap.append("INBOX", message(f"Bulk {n}"))
        settings = AccountSettings(
            name="work", email="u@example.org", sync=SyncPolicy(),
            imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                                username=user.name, timeout=20))
        window = MainWindow(WindowSettings(Path(tmp) / "qtmail.ini"))
        window.add_account(EngineClient(settings, Path(tmp) / "cache.sqlite3",
                                        lambda: user.password, window))
        window.show()
        view = window.message_list
        wait(lambda: view.proxy.rowCount() == count, 120)
        wait(lambda: window.tree.folder_index("work", "Projects").isValid(), 30)
        view.selectAll()
        start = time.perf_counter()
        mime = view.proxy.mimeData(view.selectionModel().selectedRows())
        built = time.perf_counter() - start
        target = window.tree.folder_index("work", "Projects")
        window.tree.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
        wait(lambda: view.proxy.rowCount() == 0, 10)
        local = time.perf_counter() - start
        imap.select_folder("Projects", readonly=True)
        server_start = time.perf_counter()
        while len(imap.search("ALL")) < count:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            imap.noop()
        on_server = time.perf_counter() - server_start + local
        imap.logout()
        print(f"drag of {count} messages: drag data built in {built * 1000:.1f} ms, "
              f"list empty after {local * 1000:.1f} ms (target < 100 ms), "
              f"all on the server after {on_server:.2f} s")
        window.close()
    del app


if __name__ == "__main__":
    main()
