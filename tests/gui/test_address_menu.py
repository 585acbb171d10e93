"""The address menu in the message view (issue 14): a right click on From, To or Cc
offers Copy Address, Write To… and Search Mail From This Address, for each address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN, open_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot

from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.message_lists import ListMode
from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    POPUPS_SHOWN,
]
ANNA = "anna@example.de"


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    mail_user.save(message("From Anna 1", sender=f"Anna Schmidt <{ANNA}>"))
    mail_user.save(message("From Bob", sender="Bob <bob@example.org>"))
    mail_user.save(message("From Anna 2", sender=f"Anna Schmidt <{ANNA}>",
                           to="Carol <carol@example.org>, Dave <dave@example.org>"))
    made = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    qtbot.waitUntil(lambda: made.message_list.proxy.rowCount() == 3, timeout=15_000)
    proxy = made.message_list.proxy
    row = next(r for r in range(3) if proxy.index(r, 1).data() == "From Anna 2")
    with qtbot.waitSignal(made.reading.shown, timeout=10_000):
        made.message_list.select_row(row)
    yield made
    made.close()


def open_menu(window: MainWindow, qtbot: QtBot, label_name: str) -> QMenu:
    view = window.message_view
    assert isinstance(view, MessageView)
    label = view.header.findChild(QLabel, label_name)
    assert label is not None
    point = QPoint(10, label.height() // 2)
    QApplication.sendEvent(label, QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, label.mapToGlobal(point)))
    shown = [m for m in view.header.findChildren(QMenu, "addressMenu") if m.isVisible()]
    assert len(shown) == 1
    return shown[0]


def click(qtbot: QtBot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_copy_write_to_and_search_from_the_sender(window: MainWindow, qtbot: QtBot) -> None:
    menu = open_menu(window, qtbot, "headerFrom")
    click(qtbot, menu, "&Copy Address")
    assert QGuiApplication.clipboard().text() == ANNA

    click(qtbot, open_menu(window, qtbot, "headerFrom"), "&Write To…")
    composers = list(window.compose.composers)
    assert len(composers) == 1 and composers[0].to_edit.text() == ANNA
    composers[0]._finish()  # closed without the keep-or-discard question
    composers[0].close()

    click(qtbot, open_menu(window, qtbot, "headerFrom"), "&Search Mail From This Address")
    qtbot.waitUntil(lambda: window.lists.mode is ListMode.SEARCH, timeout=5_000)
    results = window.lists.results.proxy
    qtbot.waitUntil(lambda: results.rowCount() == 2, timeout=5_000)
    assert {results.index(r, 1).data() for r in range(2)} == {"From Anna 1", "From Anna 2"}
    assert window.search_field.text() == f"from:{ANNA}"


def test_a_field_with_several_addresses_has_one_submenu_each(
        window: MainWindow, qtbot: QtBot) -> None:
    menu = open_menu(window, qtbot, "headerTo")
    subs = [a.menu() for a in menu.actions() if a.menu() is not None]
    assert len(subs) == 2
    copy = next(a for a in subs[1].actions() if a.text() == "&Copy Address")
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "dave@example.org"
    menu.close()
