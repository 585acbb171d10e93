"""HTML bodies are sanitised in the account worker, never on the GUI thread (issue 4):
a 2 MB newsletter must not freeze the window. The worker answers OpenMessage with both
variants (remote content blocked, and allowed), so "Load remote content" re-renders
without sanitising again."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from pytestqt.qtbot import QtBot

from qtmail.mime import prepared_html
from qtmail.mime.html import SafeHtml
from qtmail.mime.html import sanitize_html as real_sanitize
from qtmail.qt.bridge import EngineClient
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.main_window import MainWindow
from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

HTML = (b"From: News <news@example.org>\r\nTo: bob@example.org\r\nSubject: Newsletter\r\n"
        b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <n1@example.org>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><body><h1>Monthly news</h1>"
        b'<img src="http://192.0.2.7/banner.png"><p>Read on.</p></body></html>\r\n')


def test_html_is_sanitised_in_the_worker_both_ways(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []  # True: called on the GUI thread

    def recording(html: str, *, allow_remote_images: bool = False) -> SafeHtml:
        threads.append(threading.current_thread() is threading.main_thread())
        return real_sanitize(html, allow_remote_images=allow_remote_images)

    monkeypatch.setattr(prepared_html, "sanitize_html", recording)
    mail_user.save(HTML)
    settings = WindowSettings(tmp_path / "qtmail.ini")
    settings.set_mark_read_delay_ms(-1)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    client = EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                          lambda: mail_user.password, window)
    window.add_account(client)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=10_000)
        with qtbot.waitSignal(window.reading.shown, timeout=10_000):
            window.message_list.select_row(0)
        view = window.message_view
        assert isinstance(view, MessageView)
        assert "Monthly news" in view.browser.toPlainText()
        assert view.blocked_remote == 1 and view.load_once_button.isVisible()
        assert threads == [False, False]  # blocked and allowed, both in the worker
        view.load_once_button.click()
        qtbot.waitUntil(lambda: view.remote_answered == 1, timeout=10_000)
        assert list(view.remote_refs) == ["http://192.0.2.7/banner.png"]
        assert threads == [False, False]  # the click re-rendered what was prepared
    finally:
        window.close()
    assert not client.running
