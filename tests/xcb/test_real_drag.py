"""Real mouse drags in the real window under X (xcb), QDrag.exec running (issue 5):
two messages onto a folder, Ctrl-drag copying, a folder onto another; each checked
on the Dovecot server through an independent connection."""

from __future__ import annotations

import email
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings, SyncPolicy
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [pytest.mark.dovecot]
WAIT = 20_000
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def account_for(user: MailUser) -> AccountSettings:
    return AccountSettings(
        name="work", email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20), sync=SyncPolicy())


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    imap = mail_user.imap()
    try:
        for name in ("Projects", "Old"):
            imap.create_folder(name)
    finally:
        imap.logout()
    for n in range(3):
        mail_user.save(message(f"Drag {n}"))
    win = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(win)
    win.add_account(EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                                 lambda: mail_user.password, win))
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.message_list.proxy.rowCount() == 3, timeout=WAIT)
    qtbot.waitUntil(lambda: win.tree.folder_index("work", "Old").isValid(), timeout=WAIT)
    qtbot.waitUntil(lambda: win.status.state_text("work") == "Connected", timeout=WAIT)
    yield win
    win.close()


def server_subjects(user: MailUser, folder: str) -> list[str]:
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        data = imap.fetch(uids, ["ENVELOPE"]) if uids else {}
        return sorted(d[b"ENVELOPE"].subject.decode() for d in data.values())
    finally:
        imap.logout()


def real_drag(win: MainWindow, source: QWidget, start: QPoint, target: QWidget, end: QPoint,
              *, ctrl: bool = False, shot: str = "") -> list[str]:
    """Press at ``start`` in ``source``, move past the drag distance (QDrag.exec starts
    and runs its own loop), then timers inside that loop move to ``end`` and release."""
    handle = win.windowHandle()
    assert isinstance(handle, QWindow)
    mods = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    a = source.mapTo(win, start)
    b = target.mapTo(win, end)
    steps = 12
    log: list[str] = []

    def step(i: int) -> None:
        p = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        QTest.mouseEvent(QTest.MouseAction.MouseMove, handle, Qt.MouseButton.NoButton, mods, p)
        log.append(f"move {i}")

    def finish() -> None:
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            win.screen().grabWindow(0).save(str(SHOTS / shot))
        QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, mods, b)
        log.append("release")

    for i in range(1, steps + 1):
        QTimer.singleShot(100 + 40 * i, lambda i=i: step(i))
    # Hover a moment over the folder (what a user does), then let go.
    QTimer.singleShot(100 + 40 * steps + 300, finish)
    if ctrl:
        QTest.keyPress(handle, Qt.Key.Key_Control)
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, mods, a)
    # Beyond QApplication.startDragDistance(): the view's startDrag runs QDrag.exec here.
    QTest.mouseEvent(QTest.MouseAction.MouseMove, handle, Qt.MouseButton.NoButton, mods,
                     a + QPoint(0, 12))
    if ctrl:
        QTest.keyRelease(handle, Qt.Key.Key_Control)
    return log


def select_rows(win: MainWindow, rows: list[int]) -> None:
    view = win.message_list
    selection = view.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(view.proxy.index(row, 0), flags)


def folder_point(win: MainWindow, folder: str) -> QPoint:
    view = win.folder_view
    index = win.tree.folder_index("work", folder)
    view.scrollTo(index)
    return view.visualRect(index).center()


def row_point(win: MainWindow, row: int) -> QPoint:
    view = win.message_list
    return view.visualRect(view.proxy.index(row, 1)).center()


def test_real_drag_of_two_messages_moves_them(mail_user: MailUser, window: MainWindow,
                                              qtbot: QtBot) -> None:
    select_rows(window, [0, 1])
    log = real_drag(window, window.message_list.viewport(), row_point(window, 0),
                    window.folder_view.viewport(), folder_point(window, "Projects"),
                    shot="drag-messages.png")
    assert "release" in log
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: len(server_subjects(mail_user, "Projects")) == 2, timeout=WAIT)
    assert len(server_subjects(mail_user, "INBOX")) == 1


def test_real_ctrl_drag_copies(mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    select_rows(window, [0, 1])
    real_drag(window, window.message_list.viewport(), row_point(window, 0),
              window.folder_view.viewport(), folder_point(window, "Projects"), ctrl=True)
    qtbot.waitUntil(lambda: len(server_subjects(mail_user, "Projects")) == 2, timeout=WAIT)
    assert len(server_subjects(mail_user, "INBOX")) == 3
    assert window.message_list.proxy.rowCount() == 3


def test_real_drag_of_a_folder_onto_another(mail_user: MailUser, window: MainWindow,
                                            qtbot: QtBot) -> None:
    view = window.folder_view
    old = folder_point(window, "Old")
    real_drag(window, view.viewport(), old, view.viewport(), folder_point(window, "Projects"),
              shot="drag-folder.png")
    qtbot.waitUntil(lambda: "Projects/Old" in mail_user.folder_names(), timeout=WAIT)
    assert "Old" not in mail_user.folder_names()


def refresh_to(win: MainWindow, qtbot: QtBot, count: int) -> None:
    client = win.client("work")
    assert client is not None
    client.sync_all()
    qtbot.waitUntil(lambda: win.message_list.proxy.rowCount() == count, timeout=WAIT)


def test_real_drag_of_a_collapsed_thread_moves_the_conversation(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    root = message("Budget")
    root_id = email.message_from_bytes(root)["Message-ID"]
    mail_user.save(root)
    mail_user.save(message("Re: Budget", in_reply_to=root_id))
    refresh_to(window, qtbot, 5)
    window.lists.threaded_action.trigger()
    view = window.lists.threaded
    tree = view.proxy
    qtbot.waitUntil(lambda: tree.rowCount() == 4, timeout=WAIT)
    budget = next(tree.index(r, 0) for r in range(4) if tree.index(r, 1).data() == "Budget")
    view.collapse(budget)
    view.select_index(budget)
    start = view.visualRect(budget.siblingAtColumn(1)).center()
    real_drag(window, view.viewport(), start, window.folder_view.viewport(),
              folder_point(window, "Projects"), shot="drag-thread.png")
    qtbot.waitUntil(lambda: server_subjects(mail_user, "Projects") == ["Budget", "Re: Budget"],
                    timeout=WAIT)
    assert len(server_subjects(mail_user, "INBOX")) == 3


class FileDropTarget(QLabel):
    """Stands in for a file manager: takes text/uri-list, copies what the files hold."""

    def __init__(self) -> None:
        super().__init__("Drop files here")
        self.setAcceptDrops(True)
        self.received: dict[str, bytes] = {}

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            self.received[path.name] = path.read_bytes()
        event.acceptProposedAction()


def test_real_drag_of_an_attachment_onto_another_program(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    payload = bytes(range(256)) * 40
    mail_user.save(message("With file", attachment=payload))
    refresh_to(window, qtbot, 4)
    row = next(r for r in range(4)
               if window.message_list.proxy.index(r, 1).data() == "With file")
    window.message_list.select_row(row)
    items = window.message_view.attachments.list  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: items.isVisible() and items.count() == 1, timeout=WAIT)
    target = FileDropTarget()
    qtbot.addWidget(target)
    target.setGeometry(window.geometry().right() - 300, window.geometry().bottom() - 200,
                       250, 150)
    target.show()
    qtbot.waitExposed(target)
    target.raise_()
    start = items.visualItemRect(items.item(0)).center()
    end = window.mapFromGlobal(target.mapToGlobal(target.rect().center()))
    real_drag(window, items.viewport(), start, window, end, shot="drag-attachment.png")
    qtbot.waitUntil(lambda: bool(target.received), timeout=WAIT)
    assert target.received == {"data.bin": payload}
    assert items.count() == 1  # copied out, never removed from the list
