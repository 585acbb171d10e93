"""The message list's status gutter in the real window against Dovecot: a message
replied to or forwarded (here, from another device) shows its mark beside the star in
the default columns, and the cell's tooltip says what the mark means."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.window import POPUPS_SHOWN, open_window
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from qtmail.core.types import ANSWERED, FORWARDED
from qtmail.qt.models.columns import Column
from qtmail.qt.models.roles import Role
from qtmail.qt.widgets.main_window import MainWindow

pytestmark = [pytest.mark.dovecot, POPUPS_SHOWN]

WAIT = 15_000
SUBJECTS = ("Plain", "Replied", "Forwarded")


@pytest.fixture
def window(mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    imap = mail_user.imap()
    try:
        imap.multiappend("INBOX", [message(subject, sender="Same Sender <same@example.org>")
                                   for subject in SUBJECTS])
    finally:
        imap.logout()
    shown = open_window(mail_user, qtbot, tmp_path)
    shown.resize(1000, 600)
    qtbot.waitUntil(lambda: shown.message_list.proxy.rowCount() == len(SUBJECTS),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: shown.status.state_text("work") == "Connected", timeout=WAIT)
    yield shown
    shown.close()


def row_of(window: MainWindow, subject: str) -> int:
    proxy = window.message_list.proxy
    return next(row for row in range(proxy.rowCount())
                if proxy.index(row, Column.SUBJECT).data() == subject)


def mark_area(window: MainWindow, subject: str) -> QImage:
    """The second half of the correspondent cell's gutter (after the star), as painted."""
    view = window.message_list
    cell: QRect = view.visualRect(view.proxy.index(row_of(window, subject), Column.SENDER))
    side = view.iconSize().height() if view.iconSize().isValid() else cell.height()
    side = min(side, cell.height())
    return view.viewport().grab(QRect(cell.left() + side + 4, cell.top(), side,
                                      cell.height())).toImage()


def inked(image: QImage, background: QImage) -> int:
    """Pixels that differ from the same area painted earlier."""
    return sum(1 for x in range(min(image.width(), background.width()))
               for y in range(min(image.height(), background.height()))
               if image.pixel(x, y) != background.pixel(x, y))


def flag_elsewhere(user: MailUser, subject: str, flag: bytes) -> None:
    """What another device does after replying or forwarding (RFC 3501 2.3.2, RFC 5788)."""
    imap = user.imap()
    try:
        imap.select_folder("INBOX")
        imap.add_flags(imap.search(["SUBJECT", subject]), [flag])
    finally:
        imap.logout()


def test_replied_and_forwarded_messages_show_a_mark_beside_the_star(
        window: MainWindow, mail_user: MailUser, qtbot: QtBot) -> None:
    proxy = window.message_list.proxy
    before = {subject: mark_area(window, subject) for subject in SUBJECTS}
    assert proxy.index(row_of(window, "Replied"), Column.SENDER).data(
        Qt.ItemDataRole.ToolTipRole) is None

    flag_elsewhere(mail_user, "Replied", b"\\Answered")
    flag_elsewhere(mail_user, "Forwarded", b"$Forwarded")
    window.action_set.get_messages.trigger()
    qtbot.waitUntil(lambda: ANSWERED in proxy.index(row_of(window, "Replied"), 0).data(
        Role.FLAGS) and FORWARDED in proxy.index(row_of(window, "Forwarded"), 0).data(
        Role.FLAGS), timeout=WAIT)
    window.message_list.viewport().repaint()

    assert inked(mark_area(window, "Replied"), before["Replied"]) > 10
    assert inked(mark_area(window, "Forwarded"), before["Forwarded"]) > 10
    assert inked(mark_area(window, "Plain"), before["Plain"]) == 0
    assert proxy.index(row_of(window, "Replied"), Column.SENDER).data(
        Qt.ItemDataRole.ToolTipRole) == "You replied to this message."
    assert proxy.index(row_of(window, "Forwarded"), Column.SENDER).data(
        Qt.ItemDataRole.ToolTipRole) == "You forwarded this message."
