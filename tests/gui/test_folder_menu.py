"""The folder tree's menu in the real window against Dovecot: Mark Folder Read (every
unread message of that folder becomes read, here and on the server, and Ctrl+Z makes
exactly those unread again), Empty Trash and Empty Junk after asking, the server's
own folders (Inbox, Trash, ...) offered neither Rename nor Delete, and Rename typing
over the folder's own name."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN, open_window, right_click
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox
from pytestqt.exceptions import TimeoutError as WaitedInVain
from pytestqt.qtbot import QtBot

from qtmail.qt.models.roles import Role
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [pytest.mark.dovecot, POPUPS_SHOWN]

WAIT = 15_000
UNREAD = ("One", "Two", "Three")
READ = ("Old news", "Seen already")


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    imap = mail_user.imap()
    try:
        imap.multiappend("INBOX", [message(subject) for subject in UNREAD])
        imap.multiappend("INBOX", [{"msg": message(subject), "flags": [b"\\Seen"]}
                                   for subject in READ])
        imap.create_folder("Lists")
        imap.multiappend("Lists", [message("Elsewhere")])
    finally:
        imap.logout()
    shown = open_window(mail_user, qtbot, tmp_path)
    qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == 5, timeout=WAIT)
    qtbot.waitUntil(lambda: shown.status.state_text("work") == "Connected", timeout=WAIT)
    yield shown
    shown.close()


def unseen_on_server(user: MailUser, folder: str = "INBOX") -> set[str]:
    """The subjects of the folder's unread messages, as the server has them."""
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(["UNSEEN"])
        fetched = imap.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
        return {data[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                for data in fetched.values()}
    finally:
        imap.logout()


def right_click_folder(window: MainWindow, qtbot: QtBot, index: QModelIndex) -> None:
    right_click(window.folder_view, qtbot, index, window.folder_view.context_menu)


def test_mark_folder_read_from_the_folder_menu_then_undo(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot) -> None:
    inbox = window.tree.folder_index("work", "INBOX")
    qtbot.waitUntil(lambda: inbox.data(Role.UNREAD_COUNT) == 3, timeout=WAIT)
    lists = window.tree.folder_index("work", "Lists")
    qtbot.waitUntil(lambda: lists.data(Role.UNREAD_COUNT) == 1, timeout=WAIT)

    right_click_folder(window, qtbot, inbox)
    menu = window.folder_view.context_menu
    action = next(a for a in menu.actions() if a.text() == "Mark &Folder Read")
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    proxy = window.message_list.proxy
    qtbot.waitUntil(lambda: inbox.data(Role.UNREAD_COUNT) == 0, timeout=WAIT)
    assert not any(proxy.index(row, 0).data(Role.UNREAD) for row in range(proxy.rowCount()))
    qtbot.waitUntil(lambda: not unseen_on_server(mail_user), timeout=WAIT)
    assert unseen_on_server(mail_user, "Lists") == {"Elsewhere"}  # another folder
    assert lists.data(Role.UNREAD_COUNT) == 1

    window.activateWindow()  # the popup menu had it (offscreen does not give it back)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.message_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: inbox.data(Role.UNREAD_COUNT) == 3, timeout=WAIT)
    qtbot.waitUntil(lambda: unseen_on_server(mail_user) == set(UNREAD), timeout=WAIT)


def test_mark_folder_read_needs_a_folder_highlighted(window: MainWindow, qtbot: QtBot) -> None:
    assert window.action_set.mark_folder_read.isEnabled()  # the Inbox is highlighted
    window.folder_view.setCurrentIndex(window.tree.account_index("work"))
    qtbot.waitUntil(lambda: not window.action_set.mark_folder_read.isEnabled(), timeout=WAIT)


def menu_texts(window: MainWindow, qtbot: QtBot, folder: str) -> dict[str, bool]:
    """The folder menu's visible entries on ``folder`` -> enabled."""
    right_click_folder(window, qtbot, window.tree.folder_index("work", folder))
    menu = window.folder_view.context_menu
    texts = {a.text(): a.isEnabled() for a in menu.actions()
             if a.isVisible() and not a.isSeparator()}
    menu.close()
    return texts


def answer_empty_trash(window: MainWindow, qtbot: QtBot, key: Qt.Key | None) -> str:
    """Empty Trash from the folder menu; answer its question with ``key``, or with a
    click on the button named after what it does. Returns the question."""
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        if key is not None:
            qtbot.keyClick(box, key)
            return
        (ahead,) = [b for b in box.buttons() if b.text() == "Empty “Trash”"]
        qtbot.mouseClick(ahead, Qt.MouseButton.LeftButton)

    right_click_folder(window, qtbot, window.tree.folder_index("work", "Trash"))
    menu = window.folder_view.context_menu
    action = next(a for a in menu.actions() if a.text() == "&Empty Trash…")
    QTimer.singleShot(0, lambda: qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=WAIT)
        or answer())
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert asked, "no question was asked"
    return asked[0]


def test_empty_trash_after_asking_and_the_servers_folders_stay(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    imap = mail_user.imap()
    try:
        for name in ("Trash", "Junk", "Lists"):
            imap.create_folder(name)
        imap.multiappend("Trash", [message(f"Old {n}") for n in range(3)])
        imap.multiappend("Junk", [message("Spam")])
        imap.multiappend("INBOX", [message("Keep me")])
    finally:
        imap.logout()
    window = open_window(mail_user, qtbot, tmp_path)
    try:
        qtbot.waitUntil(lambda: window.tree.folder_index("work", "Lists").isValid(),
                        timeout=WAIT)
        lists = menu_texts(window, qtbot, "Lists")
        assert lists["&Rename Folder…"] and lists["Delete &Folder…"]
        assert not any(text.startswith("&Empty") for text in lists)
        assert menu_texts(window, qtbot, "INBOX")["Delete &Folder…"] is False
        assert menu_texts(window, qtbot, "Junk")["&Empty Junk…"] is True
        trash = menu_texts(window, qtbot, "Trash")
        assert trash["&Empty Trash…"] and not trash["Delete &Folder…"]
        assert not trash["&Rename Folder…"]

        qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 3, timeout=WAIT)
        # The question names the count; Enter (a hasty one) is Cancel: nothing goes.
        asked = answer_empty_trash(window, qtbot, Qt.Key.Key_Return)
        assert asked == "Delete the 3 message(s) in “Trash” for good? This cannot be undone."
        assert unseen_on_server(mail_user, "Trash") == {"Old 0", "Old 1", "Old 2"}
        assert window.message_list.proxy.rowCount() == 3
        answer_empty_trash(window, qtbot, None)  # the button that says what it does
        qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 0, timeout=WAIT)
        qtbot.waitUntil(lambda: not unseen_on_server(mail_user, "Trash"), timeout=WAIT)
        assert unseen_on_server(mail_user) == {"Keep me"}
        assert unseen_on_server(mail_user, "Junk") == {"Spam"}
    finally:
        window.close()


def test_rename_the_open_folder_types_over_its_own_name_and_keeps_it_open(
        mail_user: MailUser, window: MainWindow, qtbot: QtBot) -> None:
    """F2 on a subfolder: the dialog shows its path with only its own name selected, so
    typing renames it where it is (typing over the whole path moved it to the top
    level); once renamed it is still the folder shown."""
    imap = mail_user.imap()
    try:
        imap.create_folder("Lists/Old")
        imap.multiappend("Lists/Old", [message("Stays in view")])
    finally:
        imap.logout()
    client = window.client("work")
    assert client is not None
    client.sync_all()
    view = window.folder_view
    view.expand(window.tree.folder_index("work", "Lists"))
    qtbot.waitUntil(lambda: window.tree.folder_index("work", "Lists/Old").isValid(),
                    timeout=WAIT)
    old = window.tree.folder_index("work", "Lists/Old")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(old).center())
    qtbot.waitUntil(lambda: window.current_folder() == ("work", "Lists/Old")
                    and window.message_list.proxy.rowCount() == 1, timeout=WAIT)
    selected: list[str] = []

    def type_new_name() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        line = dialog.findChild(QLineEdit)
        with contextlib.suppress(WaitedInVain):  # the whole path stays selected: typed over
            qtbot.waitUntil(lambda: line.selectedText() not in ("", "Lists/Old"),
                            timeout=1_000)
        selected.append(line.selectedText())
        qtbot.keyClicks(line, "Older")
        qtbot.keyClick(line, Qt.Key.Key_Return)

    QTimer.singleShot(0, lambda: qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget(), QInputDialog), timeout=WAIT)
        or type_new_name())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)

    assert selected == ["Old"]
    qtbot.waitUntil(lambda: window.current_folder() == ("work", "Lists/Older")
                    and view.current_folder() == ("work", "Lists/Older"), timeout=WAIT)
    assert window.message_list.proxy.rowCount() == 1
    qtbot.waitUntil(lambda: "Lists/Older" in mail_user.folder_names(), timeout=WAIT)
