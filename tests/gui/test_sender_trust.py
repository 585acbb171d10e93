"""The list and the view show who really sent a message (issue 17, family 1)."""

from __future__ import annotations

import pytest
from helpers.cache import FilledCache
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from qtmail.imap.summary import build_summary
from qtmail.mime.parse import parse_message
from qtmail.qt.models.messages import Column, MessageListModel
from qtmail.qt.widgets.message_view import MessageView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

HOSTILE = [
    b'"ceo@yourco.example" <x@evil.example>',
    b"=?utf-8?q?ceo=40yourco.example=3E?= <x@evil.example>",
    b"x@p\xd0\xb0ypal.com",
]


@pytest.fixture
def view(qtbot: QtBot) -> MessageView:
    widget = MessageView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def test_message_list_never_shows_only_a_name_that_looks_like_an_address(
        cache: FilledCache) -> None:
    blocks = [b"From: " + h + b"\r\nSubject: s\r\n\r\n" for h in HOSTILE]
    cache.writer.add_summaries("INBOX", [build_summary(uid, frozenset(), 1_700_000_000 + uid,
                                                       10, block)
                                         for uid, block in enumerate(blocks, 1)])
    model = MessageListModel()
    model.set_folder(cache.reader, "work", "INBOX")
    shown = [model.data(model.index(row, Column.SENDER)) for row in range(model.rowCount())]
    # Newest first: uid 3, 2, 1.
    assert shown[2] == "\u26a0 ceo@yourco.example <x@evil.example>"
    assert shown[1].startswith("\u26a0") and shown[1].endswith("<x@evil.example>")
    assert shown[0] == "\u26a0 x@xn--pypal-4ve.com"


def test_view_shows_punycode_and_warns_for_a_lookalike_domain(view: MessageView) -> None:
    view.show_message(parse_message(b"From: PayPal <service@p\xd0\xb0ypal.com>\r\n"
                                    b"Subject: s\r\n\r\nx\r\n"))
    assert "xn--pypal-4ve.com" in view.header.from_label.text()
    assert view.header.warnings_label.isVisible()
    assert "imitate" in view.header.warnings_label.text()


def test_view_warns_when_the_name_names_another_domain(view: MessageView) -> None:
    view.show_message(parse_message(b'From: "paypal.com" <x@evil.example>\r\n'
                                    b"Subject: s\r\n\r\nx\r\n"))
    warning = view.header.warnings_label.text()
    assert view.header.warnings_label.isVisible()
    assert "paypal.com" in warning and "x@evil.example" in warning


def test_link_whose_text_names_another_site_is_flagged_before_opening(view: MessageView,
                                                                       qtbot: QtBot) -> None:
    asked: list[str] = []
    view.confirm_link = lambda _parent, _title, text: asked.append(text) is None
    view.open_url = lambda _url: True
    view.show_message(parse_message(
        b"From: a@example.org\r\nSubject: links\r\nContent-Type: text/html\r\n\r\n"
        b'<p><a href="https://evil.example/login">https://yourbank.example/login</a> '
        b'<a href="https://example.org/page">example.org</a></p>\r\n'))
    view.activate_link(QUrl("https://evil.example/login"))
    view.activate_link(QUrl("https://example.org/page"))
    assert "yourbank.example" in asked[0] and "Warning" in asked[0]
    assert "Warning" not in asked[1]
