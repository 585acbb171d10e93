"""Light and dark (issue 14): View > Appearance > Dark turns the whole window dark at
once and is remembered; HTML mail keeps its light page, plain text goes dark; Follow
System gives the platform's colours back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.newsletters import DIGEST, newsletter_message
from helpers.window import POPUPS_SHOWN, open_window
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from qtmail.qt.appearance import Appearance, apply, is_dark
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    POPUPS_SHOWN,
]


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    mail_user.save(message("Plain one", body="Just text.\n"))
    mail_user.save(newsletter_message(DIGEST, "Digest", "News <news@digest.example>"))
    made = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    qtbot.waitUntil(lambda: made.message_list.proxy.rowCount() == 2, timeout=15_000)
    yield made
    made.close()
    apply(Appearance.SYSTEM)  # the next tests get the platform's palette back


def click_item(qtbot: QtBot, menu: QMenu, name: str) -> None:
    action = next(a for a in menu.actions() if a.objectName() == name
                  or (a.menu() is not None and a.menu().objectName() == name))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def choose_appearance(window: MainWindow, qtbot: QtBot, name: str) -> None:
    view_menu: QMenu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    view_menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(view_menu.isVisible)
    click_item(qtbot, view_menu, "appearanceMenu")
    submenu = window.findChild(QMenu, "appearanceMenu")
    assert submenu is not None
    qtbot.waitUntil(submenu.isVisible)
    click_item(qtbot, submenu, name)
    qtbot.waitUntil(lambda: not view_menu.isVisible())


def base_of(widget: object) -> int:
    assert hasattr(widget, "palette")
    return int(widget.palette().color(QPalette.ColorRole.Base).lightness())


def open_row(window: MainWindow, qtbot: QtBot, subject: str) -> MessageView:
    proxy = window.message_list.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 1).data() == subject)
    with qtbot.waitSignal(window.reading.shown, timeout=10_000):
        window.message_list.select_row(row)
    view = window.message_view
    assert isinstance(view, MessageView)
    return view


def test_dark_mode_turns_the_window_dark_and_keeps_html_mail_on_a_light_page(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    assert not is_dark()
    choose_appearance(window, qtbot, "appearance_darkAction")
    assert is_dark()
    qtbot.waitUntil(lambda: base_of(window.message_list) < 80, timeout=2_000)  # repainted
    assert base_of(window.folder_view) < 80
    assert WindowSettings(tmp_path / "qtmail.ini").appearance() is Appearance.DARK

    view = open_row(window, qtbot, "Digest")
    assert base_of(view.browser) > 200  # the newsletter's own white page
    view = open_row(window, qtbot, "Plain one")
    assert base_of(view.browser) < 80  # plain text follows the window

    choose_appearance(window, qtbot, "appearance_systemAction")
    assert not is_dark()
    qtbot.waitUntil(lambda: base_of(window.message_list) > 200, timeout=2_000)
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
