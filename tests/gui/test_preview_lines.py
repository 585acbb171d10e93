"""View > Preview Lines (issue 14) in the real window against Dovecot: two-line rows,
the first words of each message on screen under its subject, fetched for the rows on
screen only, nothing marked read, and the choice kept for the next start."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN, open_window
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from qtmail.qt.controllers.previews import visible_indexes
from qtmail.qt.models.columns import Column
from qtmail.qt.models.roles import Role
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [
    pytest.mark.dovecot,
    POPUPS_SHOWN,
]

MESSAGES = 60
WAIT = 15_000


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    imap = mail_user.imap()
    try:
        imap.multiappend("INBOX", [
            message(f"Mail {n}", body=f"Body of mail {n}, with its first words.\n",
                    date=dt.datetime(2024, 1, 1, 10, 0, tzinfo=dt.UTC) + dt.timedelta(hours=n))
            for n in range(MESSAGES)])
    finally:
        imap.logout()
    shown = open_window(mail_user, qtbot, tmp_path)
    shown.resize(1000, 600)
    qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == MESSAGES, timeout=WAIT)
    qtbot.waitUntil(lambda: shown.status.state_text("work") == "Connected", timeout=WAIT)
    yield shown
    shown.close()


def click_view_menu_item(window: MainWindow, qtbot: QtBot, text: str) -> None:
    menu: QMenu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                     pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())


def second_line(window: MainWindow, row: int) -> QImage:
    """The lower half of a row's subject cell, as painted."""
    view = window.message_list
    cell: QRect = view.visualRect(view.proxy.index(row, Column.SUBJECT))
    lower = QRect(cell.left(), cell.center().y() + 2, cell.width(), cell.height() // 2 - 2)
    return view.viewport().grab(lower).toImage()


def unseen_on_server(user: MailUser) -> int:
    imap = user.imap()
    try:
        imap.select_folder("INBOX", readonly=True)
        return len(imap.search(["UNSEEN"]))
    finally:
        imap.logout()


def test_preview_lines_show_the_first_words_of_the_rows_on_screen(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    view = window.message_list
    one_line = view.rowHeight(0)
    blank = second_line(window, 0)

    click_view_menu_item(window, qtbot, "&Preview Lines")

    assert view.rowHeight(0) > 1.6 * one_line  # two lines of text
    on_screen = visible_indexes(view)
    assert 5 <= len(on_screen) < MESSAGES // 2

    def all_shown() -> bool:
        return all(index.data(Role.PREVIEW) for index in visible_indexes(view))

    qtbot.waitUntil(all_shown, timeout=WAIT)
    for index in visible_indexes(view):
        subject = index.siblingAtColumn(Column.SUBJECT).data()
        number = subject.removeprefix("Mail ")
        assert index.data(Role.PREVIEW) == f"Body of mail {number}, with its first words."
    qtbot.waitUntil(lambda: second_line(window, 0) != blank, timeout=WAIT)  # painted
    # Only what is on screen was asked for: the oldest rows, far below, have none.
    store = window.directory.reader("work")
    assert store is not None
    oldest = store.summaries("INBOX", offset=MESSAGES - 5, limit=5)
    assert [s.preview for s in oldest] == [None] * 5
    assert unseen_on_server(mail_user) == MESSAGES  # nothing was marked read

    # Scrolling to the end fills the rows that come into view.
    view.scrollToBottom()
    qtbot.waitUntil(all_shown, timeout=WAIT)
    assert WindowSettings(tmp_path / "qtmail.ini").preview_lines()


def test_turning_preview_lines_off_gives_one_line_rows_back(
        window: MainWindow, qtbot: QtBot) -> None:
    view = window.message_list
    one_line = view.rowHeight(0)
    click_view_menu_item(window, qtbot, "&Preview Lines")
    qtbot.waitUntil(lambda: view.rowHeight(0) > one_line)
    click_view_menu_item(window, qtbot, "&Preview Lines")
    assert view.rowHeight(0) == one_line
    assert not window.action_set.preview_lines.isChecked()
