"""The main window on a test mailbox, as the application builds it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu
from pytestqt.qtbot import QtBot

from helpers.accounts import account_for
from helpers.dovecot import MailUser
from qtmail.accounts.settings import AccountSettings
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

POPUPS_SHOWN = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    # The offscreen platform, for menus and windows opened as popups.
    "This plugin does not support grabbing the keyboard",
    r"This plugin does not support raise\(\)")
"""The pytest mark of window tests that open menus or other windows offscreen."""


def open_window(user: MailUser, qtbot: QtBot, home: Path, *, port: int | None = None,
                mark_read_ms: int | None = None,
                account: AccountSettings | None = None) -> MainWindow:
    """A shown window with ``user``'s account ("work"), its cache and settings in
    ``home``; ``port`` reaches the server through a proxy (IMAP timeout 5 s then)."""
    settings = WindowSettings(home / "qtmail.ini")
    if mark_read_ms is not None:
        settings.set_mark_read_delay_ms(mark_read_ms)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    account = account or account_for(user)
    if port is not None:
        account = replace(account, imap=replace(account.imap, port=port, timeout=5))
    client = EngineClient(account, home / "cache.sqlite3", lambda: user.password, window)
    window.add_account(client)
    window.show()
    return window


def list_subjects(window: MainWindow) -> list[str]:
    """The message list's subjects, top to bottom, as shown."""
    proxy = window.message_list.proxy
    return [proxy.index(row, 1).data() for row in range(proxy.rowCount())]


def highlighted_subjects(window: MainWindow) -> list[str]:
    """The subjects of the highlighted (selected) rows, sorted."""
    view = window.message_list
    return sorted(index.siblingAtColumn(1).data()
                  for index in view.selectionModel().selectedRows())


def right_click(view: QAbstractItemView, qtbot: QtBot, index: QModelIndex,
                menu: QMenu) -> None:
    """A right click on ``index`` of ``view``, until ``menu`` (its context menu) shows.
    What the platform makes of a right click: the press, then a context menu event."""
    point = view.visualRect(index).center()
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton, pos=point)
    QApplication.sendEvent(view.viewport(), QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, view.viewport().mapToGlobal(point)))
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.RightButton, pos=point)
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
