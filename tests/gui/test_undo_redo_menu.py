"""Edit > Undo and Edit > Redo name the change they act on, and walk several changes
back and forth (issue 13 item 3), against a real Dovecot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence
from qtmail.core.events import UndoChanged
from qtmail.qt.bridge import EngineClient
from qtmail.qt.controllers.undo_labels import UndoLabels
from qtmail.qt.i18n import install_translations, remove_translations
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    POPUPS_SHOWN,
]
WAIT = 10_000


def open_window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    made = MainWindow(WindowSettings(tmp_path / "qtmail.ini"))
    qtbot.addWidget(made)
    made.reading.delay_ms = 60_000  # nothing marked read behind the test's back
    made.add_account(EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                                  lambda: mail_user.password, made))
    made.show()
    return made


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    made = open_window(mail_user, qtbot, tmp_path)
    yield made
    made.close()


def edit_menu(window: MainWindow) -> QMenu:
    found: QMenu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return found


def labels(window: MainWindow) -> tuple[str, str, bool]:
    """Undo and Redo as the user sees them in the open Edit menu."""
    menu = edit_menu(window)
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    try:
        found = [a for a in menu.actions() if not a.isSeparator()]
        undo = next(a for a in found if a.text().startswith("&Undo"))
        redo = next(a for a in found if a.text().startswith("&Redo"))
        return undo.text(), redo.text(), redo.isEnabled()
    finally:
        menu.hide()
        window.activateWindow()  # the keys go to the window again
        window.message_list.setFocus()


def server(user: MailUser, folder: str, *criteria: str) -> int:
    imap = user.imap()
    try:
        imap.select_folder(folder, readonly=True)
        return len(imap.search(["NOT", "DELETED", *criteria]))
    finally:
        imap.logout()


def test_edit_menu_names_and_walks_the_changes(mail_user: MailUser, window: MainWindow,
                                               qtbot: QtBot, tmp_path: Path) -> None:
    for n in range(2):
        mail_user.save(message(f"Menu {n}"))
    view = window.message_list
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=WAIT)
    qtbot.waitUntil(lambda: window.status.state_text("work") == "Connected", timeout=WAIT)
    assert labels(window) == ("&Undo", "&Redo", False)
    view.setCurrentIndex(view.proxy.index(0, 1))
    view.setFocus()

    qtbot.keyClick(view, Qt.Key.Key_S)  # star
    qtbot.waitUntil(lambda: labels(window)[0] == "&Undo Star 1 message", timeout=WAIT)
    view.setCurrentIndex(view.proxy.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: labels(window) == ("&Undo Move 1 message to “Trash”", "&Redo",
                                               False), timeout=WAIT)
    qtbot.waitUntil(lambda: server(mail_user, "Trash") == 1, timeout=WAIT)

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: labels(window) == (
        "&Undo Star 1 message", "&Redo Move 1 message to “Trash”", True), timeout=WAIT)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The undone star is not a change of its own to undo: Undo has nothing left.
    qtbot.waitUntil(lambda: labels(window) == ("&Undo", "&Redo Star 1 message", True),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: server(mail_user, "INBOX") == 2
                    and server(mail_user, "INBOX", "FLAGGED") == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=WAIT)

    window.action_set.redo.trigger()
    qtbot.waitUntil(lambda: labels(window) == (
        "&Undo Star 1 message", "&Redo Move 1 message to “Trash”", True), timeout=WAIT)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: labels(window) == ("&Undo Move 1 message to “Trash”", "&Redo",
                                               False), timeout=WAIT)
    qtbot.waitUntil(lambda: server(mail_user, "Trash", "FLAGGED") == 1
                    and server(mail_user, "INBOX") == 1, timeout=WAIT)

    # The next start offers the same: the stacks are kept in the cache.
    window.close()
    again = open_window(mail_user, qtbot, tmp_path)
    try:
        qtbot.waitUntil(lambda: labels(again) == (
            "&Undo Move 1 message to “Trash”", "&Redo", False), timeout=WAIT)
    finally:
        again.close()


def test_the_labels_speak_japanese(qapp: QApplication) -> None:
    install_translations(qapp, "ja", environ={})
    try:
        owner = QObject()
        actions = MainActions(owner)
        labels = UndoLabels(actions, lambda: "work", owner)
        move = Sentence(QT_TRANSLATE_NOOP("Operations", "Move {count} messages to “{dest}”"),
                        count=2, dest="Archive")
        labels.changed(UndoChanged("work", move, ""))
        labels.refresh()  # as the Edit menu opens
        assert actions.undo.text() == "元に戻す: 2 件のメッセージを「Archive」に移動(&U)"
        assert actions.redo.text() == "やり直す(&R)" and not actions.redo.isEnabled()
    finally:
        remove_translations(qapp)

