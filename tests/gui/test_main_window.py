"""The main window against a real Dovecot: it fills, reads, marks read, follows other
devices, deletes, undoes, navigates by keyboard, and remembers its state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QStatusBar, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from qtmail.core.types import FolderRole
from qtmail.qt.bridge import EngineClient
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    # The offscreen platform plugin says this for any QMainWindow with a layout.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def make_window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path,
                qtmodeltester) -> Iterator[WindowFactory]:  # type: ignore[no-untyped-def]
    """Windows on ``mail_user`` sharing one settings file and cache; all shut down."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        settings = WindowSettings(tmp_path / "qtmail.ini")
        settings.set_mark_read_delay_ms(200)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        client = EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                              lambda: mail_user.password, window)
        window.add_account(client)
        window.show()
        qtbot.waitUntil(lambda: window.reader("work") is not None, timeout=10_000)
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        for name in window.accounts():
            client = window.client(name)
            assert client is not None and not client.running


def rows(window: MainWindow) -> int:
    return window.message_list.proxy.rowCount()


def subjects(window: MainWindow) -> list[str]:
    proxy = window.message_list.proxy
    return [proxy.index(row, 1).data() for row in range(proxy.rowCount())]


def click_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    view = window.message_list
    rect = view.visualRect(view.proxy.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def server_flags(user: MailUser, folder: str = "INBOX") -> dict[int, set[bytes]]:
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        uids = imap.search("ALL")
        if not uids:
            return {}
        return {uid: set(data[b"FLAGS"]) for uid, data in imap.fetch(uids, ["FLAGS"]).items()}
    finally:
        imap.logout()


def server_count(user: MailUser, folder: str) -> int:
    imap = user.imap()
    try:
        return int(imap.select_folder(folder, readonly=True)[b"EXISTS"])
    finally:
        imap.logout()


def server_unseen(user: MailUser, folder: str) -> int:
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        return len(imap.search(["UNSEEN"]))
    finally:
        imap.logout()


def test_window_fills_and_has_stable_names(mail_user: MailUser, make_window: WindowFactory,
                                           qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        mail_user.save(message(f"Hello {n}"))
    mail_user.save(message("Filed"), folder="Archive")
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=10_000)
    assert sorted(subjects(window)) == ["Hello 0", "Hello 1", "Hello 2"]
    for name, kind in (("folderTree", QTreeView), ("messageList", QAbstractItemView),
                       ("messageView", QWidget), ("statusBar", QStatusBar),
                       ("searchField", QLineEdit)):
        assert isinstance(window.findChild(kind, name), kind), name
    tree = window.tree
    account = tree.account_index("work")
    qtbot.waitUntil(lambda: tree.rowCount(account) >= 6, timeout=10_000)
    labels = [tree.index(r, 0, account).data() for r in range(6)]
    assert labels == ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"]
    assert tree.index(0, 0, account).data(Role.FOLDER_ROLE) == FolderRole.INBOX
    assert window.folder_view.isExpanded(account)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("(3) "), timeout=10_000)
    qtbot.waitUntil(lambda: window.status.state_text("work") == "Connected", timeout=10_000)
    for action in window.action_set.all():
        assert action.text().replace("&", ""), action.objectName()
        assert action.toolTip(), action.text()
    assert window.action_set.write.isEnabled()  # an account exists: Write opens a composer
    assert window.action_set.reply.isEnabled() is False  # no message chosen yet
    qtmodeltester.check(window.message_list.proxy)
    qtmodeltester.check(window.tree)


def test_click_shows_body_and_marks_read_on_server(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    mail_user.save(message("Read me", body="The very text of the message.\n"))
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=10_000)
    assert all(b"\\Seen" not in flags for flags in server_flags(mail_user).values())
    shown: list[object] = []
    window.reading.shown.connect(shown.append)
    click_row(qtbot, window, 0)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    view = window.findChild(QWidget, "messageView")
    text = view.toPlainText() if hasattr(view, "toPlainText") else ""
    if text:
        assert "The very text of the message." in text
    qtbot.waitUntil(lambda: all(b"\\Seen" in f for f in server_flags(mail_user).values()),
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.message_list.proxy.index(0, 0).data(Role.UNREAD) is False,
                    timeout=5_000)


def test_other_device_changes_show_up_by_themselves(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    for n in range(3):
        mail_user.save(message(f"Old {n}"))
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=10_000)
    other = mail_user.imap()
    try:
        other.select_folder("INBOX")
        uids = sorted(other.search("ALL"))
        # Push needs its IDLE connection up: retry the delivery check until it is.
        other.append("INBOX", message("Pushed"))
        qtbot.waitUntil(lambda: "Pushed" in subjects(window), timeout=15_000)
        other.add_flags([uids[0]], [b"\\Flagged"])
        proxy = window.message_list.proxy
        qtbot.waitUntil(lambda: any(proxy.index(r, 0).data(Role.FLAGGED)
                                    for r in range(rows(window))), timeout=10_000)
        other.delete_messages([uids[1]])
        other.expunge()
        qtbot.waitUntil(lambda: "Old 1" not in subjects(window), timeout=10_000)
        assert rows(window) == 3
    finally:
        other.logout()


def test_delete_key_moves_to_trash_and_undo_brings_it_back(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    for n in range(2):
        mail_user.save(message(f"Keep {n}"))
    window = make_window()
    # After the delete the next message is shown and marked read at once: that
    # automatic change must not be what Ctrl+Z undoes (Thunderbird's behaviour).
    window.reading.delay_ms = 0
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.status.state_text("work") == "Connected", timeout=10_000)
    click_row(qtbot, window, 0)
    doomed = subjects(window)[0]
    window.message_list.setFocus()
    qtbot.keyClick(window.message_list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=5_000)
    assert doomed not in subjects(window)
    qtbot.waitUntil(lambda: server_count(mail_user, "Trash") == 1, timeout=10_000)
    assert server_count(mail_user, "INBOX") == 1
    qtbot.waitUntil(lambda: server_unseen(mail_user, "INBOX") == 0, timeout=10_000)
    qtbot.keyClick(window.message_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: server_count(mail_user, "INBOX") == 2, timeout=10_000)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=10_000)
    assert server_count(mail_user, "Trash") == 0


def test_keyboard_navigation_star_and_archive(
        mail_user: MailUser, make_window: WindowFactory, qtbot: QtBot) -> None:
    for n in range(3):
        mail_user.save(message(f"Nav {n}"))
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=10_000)
    view = window.message_list
    click_row(qtbot, window, 0)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: view.proxy.index(1, 0).data(Role.FLAGGED) is True, timeout=5_000)
    qtbot.waitUntil(lambda: sum(b"\\Flagged" in f for f in server_flags(mail_user).values())
                    == 1, timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: rows(window) == 2, timeout=5_000)
    qtbot.waitUntil(lambda: server_count(mail_user, "Archive") == 1, timeout=10_000)


def test_permanent_delete_asks_first(mail_user: MailUser, make_window: WindowFactory,
                                     qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    mail_user.save(message("Gone for good"))
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=10_000)
    click_row(qtbot, window, 0)
    answers = [False, True]
    monkeypatch.setattr(window.commands, "confirm", lambda title, text: answers.pop(0))
    qtbot.keyClick(window.message_list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert rows(window) == 1
    qtbot.keyClick(window.message_list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: rows(window) == 0, timeout=5_000)
    qtbot.waitUntil(lambda: server_count(mail_user, "INBOX") == 0, timeout=10_000)
    assert server_count(mail_user, "Trash") == 0


def test_move_to_folder_picker(mail_user: MailUser, make_window: WindowFactory,
                               qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    mail_user.save(message("Move me"))
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=10_000)
    click_row(qtbot, window, 0)
    monkeypatch.setattr(window.commands, "pick_folder", lambda title, account, exclude: "Junk")
    window.action_set.move_to.trigger()
    qtbot.waitUntil(lambda: rows(window) == 0, timeout=5_000)
    qtbot.waitUntil(lambda: server_count(mail_user, "Junk") == 1, timeout=10_000)


def test_settings_persist_across_a_restart(mail_user: MailUser, make_window: WindowFactory,
                                           qtbot: QtBot) -> None:
    for n in range(3):
        mail_user.save(message(f"Sorted {n}", sender=f"Zed {n} <z{n}@example.org>"))
    mail_user.save(message("Filed"), folder="Archive")
    window = make_window()
    qtbot.waitUntil(lambda: rows(window) == 3, timeout=10_000)
    window.resize(760, 540)
    size = window.size()
    window.message_list.setColumnWidth(0, 230)
    window.message_list.sort_by(1, Qt.SortOrder.AscendingOrder)
    assert subjects(window) == ["Sorted 0", "Sorted 1", "Sorted 2"]
    window.action_set.layout_below.setChecked(True)
    qtbot.waitUntil(lambda: window.folder_view.select_folder("work", "Archive"),
                    timeout=10_000)
    qtbot.waitUntil(lambda: rows(window) == 1, timeout=10_000)
    window.close()

    again = make_window()
    assert again.size() == size
    assert again.message_list.columnWidth(0) == 230
    assert again.inner.orientation() == Qt.Orientation.Vertical
    assert again.action_set.layout_below.isChecked()
    assert (again.message_list.proxy.sort_column, again.message_list.proxy.sort_order) == \
        (1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: again.current_folder() == ("work", "Archive"), timeout=10_000)
