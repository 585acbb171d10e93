"""Newsletters that render (issue 14), in the real window from a real Dovecot: what
the sender hid stays hidden, the layout fits the reading pane, the tracking pixel is
removed and said so, and a button looks like one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.newsletters import MOBILE_ONLY, PREHEADER, SHOP, newsletter_message
from helpers.window import open_window
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from qtmail.mime import newsletter
from qtmail.qt.widgets.message_view import MessageView

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_a_shop_newsletter_shows_as_its_sender_meant_it(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path) -> None:
    mail_user.save(newsletter_message(SHOP, "Autumn sale", "Shop <news@shop.example>"))
    window = open_window(mail_user, qtbot, tmp_path, mark_read_ms=-1)
    window.resize(1280, 760)
    qtbot.waitUntil(lambda: window.message_list.proxy.rowCount() == 1, timeout=10_000)
    total = sum(window.inner.sizes())
    window.inner.setSizes([total - 560, 560])  # a reading pane narrower than 600 px
    with qtbot.waitSignal(window.reading.shown, timeout=10_000):
        window.message_list.select_row(0)
    view = window.message_view
    assert isinstance(view, MessageView)
    text = view.browser.toPlainText()
    assert "Autumn sale: 30% off" in text and "Shop the sale" in text
    assert PREHEADER not in text and MOBILE_ONLY not in text
    qtbot.waitUntil(view.remote_bar.isVisible, timeout=5_000)
    assert "1 tracking image" in view.remote_label.text()
    assert newsletter.BUTTON_OPEN in view._shown_html  # drawn with a border
    bar = view.browser.horizontalScrollBar()
    assert bar.maximum() == 0 or not bar.isVisible()  # fits: no sideways scrolling

    # Open in Browser: the sanitised copy, in a private folder, fetching nothing.
    opened: list[QUrl] = []
    view.open_url = opened.append
    assert view.browser_button.isVisible()
    qtbot.mouseClick(view.browser_button, Qt.MouseButton.LeftButton)
    [url] = opened
    copy = Path(url.toLocalFile())
    assert copy.stat().st_mode & 0o777 == 0o600 and copy.parent.stat().st_mode & 0o777 == 0o700
    page = copy.read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Shop the sale" in page and PREHEADER not in page
    assert "shop.example/hero" not in page and "track.shop.example" not in page
    window.close()
