"""The layout does not jump (issue 13 item 7): showing a message, its remote-content bar
included, never changes the width of the message list the user set."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.window import open_window
from PySide6.QtWidgets import QScrollBar
from pytestqt.qtbot import QtBot

from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

NEWSLETTER = (
    b"From: News <news@example.org>\r\nTo: bob@example.org\r\nSubject: Newsletter\r\n"
    b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <n1@example.org>\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b'<html><body><table width="600" align="center"><tr><td>'
    b'<img src="http://192.0.2.7/banner.png" width="600" height="200">'
    b"<h1>Monthly news</h1><p>" + b"Read on, there is a lot to read this month. " * 20
    + b"</p></td></tr></table></body></html>\r\n")


def test_the_list_keeps_its_width_when_a_newsletter_shows(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    mail_user.save(NEWSLETTER)
    window = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    window.resize(1280, 760)
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=10_000)
    # The divider as the user dragged it: a wide list, a narrower reading pane.
    total = sum(window.inner.sizes())
    window.inner.setSizes([total - 300, 300])
    qtbot.waitUntil(lambda: window.inner.sizes()[1] == 300, timeout=2_000)
    before = window.inner.sizes()
    with qtbot.waitSignal(window.reading.shown, timeout=10_000):
        window.message_list.select_row(0)
    view = window.message_view
    assert isinstance(view, MessageView)
    qtbot.waitUntil(view.remote_bar.isVisible, timeout=5_000)
    assert window.inner.sizes() == before
    # Also after the next relayout (the window resized a little): the splitter then
    # honours the pane's minimum width, which a bar of buttons must not widen.
    window.resize(window.width() + 10, window.height())
    qtbot.waitUntil(lambda: sum(window.inner.sizes()) > sum(before), timeout=2_000)
    assert window.inner.sizes()[0] >= before[0]
    # A 600 px newsletter in a 300 px pane: scaled to fit, no horizontal scroll bar.
    bar = view.browser.horizontalScrollBar()
    assert isinstance(bar, QScrollBar)
    assert bar.maximum() == 0 or not bar.isVisible()
    window.close()
