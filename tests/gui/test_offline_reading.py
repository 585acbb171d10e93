"""Offline, a message never downloaded says so, with its cached headers, and shows itself
once the server can be reached again (issue 13 item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.proxy import SwitchableProxy
from helpers.window import open_window
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_an_uncached_message_offline_says_so_then_shows_when_back(
        mail_user: MailUser, proxy: SwitchableProxy, qtbot: QtBot, tmp_path: Path) -> None:
    mail_user.save(message("Never opened", sender="Ann Example <ann@example.org>",
                           body="The words of the never opened message.\n"))
    window = open_window(mail_user, qtbot, tmp_path, port=proxy.port)
    view = window.message_list
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: window.status.state_text("work") == "Connected", timeout=15_000)
    proxy.stop()
    qtbot.waitUntil(lambda: window.status.state_text("work") != "Connected", timeout=15_000)

    shown = window.message_view
    rect = view.visualRect(view.proxy.index(0, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: "not been downloaded yet" in shown.status_text(), timeout=15_000)
    text = shown.status_text()
    assert "No message selected" not in text
    assert "Subject: Never opened" in text
    assert "ann@example.org" in text

    proxy.start()
    qtbot.waitUntil(lambda: shown.parsed is not None, timeout=60_000)
    assert shown.parsed.subject == "Never opened"
    assert shown.status_text() == ""
    window.close()
