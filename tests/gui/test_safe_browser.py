"""SafeBrowser: nothing but this message's cid: parts is ever loaded (RELIABILITY C)."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qtmail.mime.parse import ParsedMessage, parse_message
from qtmail.mime.prepared_html import MAX_TABLE_DEPTH, html_too_complex
from qtmail.qt.safe_browser import SafeBrowser
from qtmail.qt.widgets.message_view import MessageView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def png(width: int, height: int, color: str = "red") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def related_message(html: str, images: dict[str, bytes]) -> bytes:
    """A multipart/related message: the HTML plus its images by Content-ID."""
    msg = EmailMessage()
    msg["From"] = "Alice <alice@example.org>"
    msg["To"] = "bob@example.org"
    msg["Subject"] = "Pictures"
    msg.set_content("text version")
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]  # type: ignore[index]
    for cid, data in images.items():
        html_part.add_related(data, maintype="image", subtype="png", cid=f"<{cid}>")
    return msg.as_bytes()


def render(view: MessageView, parsed: ParsedMessage) -> None:
    view.show_message(parsed)
    # Lay out and paint: images are requested both for their size and when drawn.
    view.browser.document().documentLayout().documentSize()
    view.grab()


def image_size(browser: SafeBrowser, url: str) -> tuple[int, int]:
    resource = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
    assert isinstance(resource, QImage)
    return resource.width(), resource.height()


@pytest.fixture
def view(qtbot: QtBot) -> MessageView:
    widget = MessageView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def test_every_corpus_html_part_loads_nothing_but_its_own_cids(
        view: MessageView, corpus_dir: Path) -> None:
    rendered = 0
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        parsed = parse_message(path.read_bytes())
        if not parsed.html_body:
            continue
        render(view, parsed)
        rendered += 1
        cids = parsed.cid_map()
        for request in view.browser.requests:
            if not request.answered:
                continue
            assert request.url.lower().startswith("cid:"), (path, request)
            assert request.url[4:].strip("<>") in cids, (path, request)
    assert rendered >= 50  # the corpus holds 63 HTML bodies today


@pytest.mark.parametrize("url", [
    "{file}", "file://{file}", "file:///{file}", "//{file}", "../../{file}", "relative.png",
    "\\\\server\\share\\x.png", "file://server/share/x.png", "http://example.com/x.png",
    "https://example.com/x.png", "data:image/png;base64,{b64}", "qrc:/qt-project.org/x.png",
    "cid:missing@example.org",
])
def test_unsanitised_references_are_never_read(qtbot: QtBot, tmp_path: Path, url: str) -> None:
    """Even HTML that skipped the sanitiser cannot make Qt read a file (C.24)."""
    import base64

    picture = png(40, 30)
    (tmp_path / "x.png").write_bytes(picture)
    target = url.format(file=tmp_path / "x.png", b64=base64.b64encode(picture).decode())
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.resize(400, 300)
    browser.show_html(f'<p>a<img src="{target}"></p>'
                      f'<link rel="stylesheet" href="{target}">', {})
    browser.document().documentLayout().documentSize()
    browser.grab()
    assert browser.requests, "the image was never asked for"
    assert not any(r.answered for r in browser.requests)
    # What the document holds for it is the 1x1 placeholder, never the 40x30 file.
    for request in browser.requests:
        if request.resource_type == QTextDocument.ResourceType.ImageResource:
            assert image_size(browser, request.url) == (1, 1)


def test_cid_images_of_this_message_show(view: MessageView) -> None:
    raw = related_message('<p>Logo: <img src="cid:logo@example.org"></p>',
                          {"logo@example.org": png(17, 11)})
    parsed = parse_message(raw)
    assert parsed.html_body and parsed.cid_map()
    render(view, parsed)
    assert {r.url for r in view.browser.requests if r.answered} == {"cid:logo@example.org"}
    assert image_size(view.browser, "cid:logo@example.org") == (17, 11)


def test_cid_of_another_message_does_not_resolve(view: MessageView) -> None:
    first = parse_message(related_message('<img src="cid:a@x">', {"a@x": png(9, 9)}))
    render(view, first)
    second = parse_message(related_message('<img src="cid:a@x">', {}))
    render(view, second)
    assert view.browser.requests and not any(r.answered for r in view.browser.requests)


def anchor_point(browser: SafeBrowser, text: str) -> QPoint:
    cursor = browser.document().find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    return browser.cursorRect(cursor).center()


def test_link_clicks_never_navigate(qtbot: QtBot, view: MessageView) -> None:
    asked: list[str] = []
    opened: list[QUrl] = []
    view.confirm_link = lambda _parent, _title, text: asked.append(text) is None
    view.open_url = lambda url: opened.append(url) is None
    parsed = parse_message(
        b"From: a@example.org\r\nSubject: links\r\nContent-Type: text/html\r\n\r\n"
        b'<p><a href="https://example.org/page">ExampleLink</a></p>\r\n')
    render(view, parsed)
    before = view.browser.toHtml()
    with qtbot.waitSignal(view.link_activated) as activated:
        qtbot.mouseClick(view.browser.viewport(), Qt.MouseButton.LeftButton,
                         pos=anchor_point(view.browser, "ExampleLink"))
    assert activated.args == [QUrl("https://example.org/page")]
    assert opened == [QUrl("https://example.org/page")]
    assert "https://example.org/page" in asked[0]
    assert view.browser.toHtml() == before
    assert view.browser.source().isEmpty()


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd",
                                  "data:text/html,<b>x</b>", "ftp://example.org/x",
                                  "relative/page.html"])
def test_unsafe_links_are_refused_with_a_sentence(qtbot: QtBot, view: MessageView,
                                                  href: str) -> None:
    told: list[str] = []
    view.inform = lambda _parent, _title, text: told.append(text)
    view.confirm_link = lambda *_args: pytest.fail("an unsafe link reached confirmation")
    view.open_url = lambda url: pytest.fail(f"opened {url}")
    # Straight into the browser, past the sanitiser, as if a link had slipped through.
    view.browser.show_html(f'<a href="{href}">BadLink</a>', {})
    view.browser.document().documentLayout().documentSize()
    before = view.browser.toHtml()
    qtbot.mouseClick(view.browser.viewport(), Qt.MouseButton.LeftButton,
                     pos=anchor_point(view.browser, "BadLink"))
    assert len(told) == 1 and "not opened" in told[0]
    assert view.browser.toHtml() == before


def test_confirmation_shows_punycode_and_unicode_host(view: MessageView) -> None:
    text = view.describe_link(QUrl("https://paypal.com@xn--pple-43d.com/login"))
    assert "xn--pple-43d.com" in text and "\u0430pple.com" in text
    assert "paypal.com" in text and "not the site" in text


def test_declined_link_is_not_opened(view: MessageView) -> None:
    view.confirm_link = lambda *_args: False
    view.open_url = lambda url: pytest.fail(f"opened {url}")
    assert view.activate_link(QUrl("https://example.org")) is False


def nested_tables(depth: int) -> str:
    return "<table><tr><td>" * depth + "deep" + "</td></tr></table>" * depth


def test_complexity_guard() -> None:
    assert not html_too_complex(nested_tables(MAX_TABLE_DEPTH))
    assert html_too_complex(nested_tables(MAX_TABLE_DEPTH + 1))
    assert html_too_complex("<div>" * 5000)
    # Sibling tables do not add up; unclosed <p> inside closed divs do not either.
    assert not html_too_complex(nested_tables(3) * 200)
    assert not html_too_complex("<div><p>x" * 50 + "</div>" * 50)


@pytest.mark.parametrize("body", [nested_tables(30), "<div>" * 20000 + "x",
                                  "<p>hello world</p>" * 60000])
def test_pathological_html_renders_quickly_as_text(view: MessageView, body: str) -> None:
    raw = ("From: a@example.org\r\nSubject: deep\r\nContent-Type: text/html\r\n\r\n"
           + body).encode()
    parsed = parse_message(raw)
    started = time.monotonic()
    render(view, parsed)
    assert time.monotonic() - started < 3.0
    assert view.shown_as_text and view.notice.isVisible()


def test_htmllargecallstack_renders_in_time(view: MessageView, corpus_dir: Path) -> None:
    parsed = parse_message((corpus_dir / "mailparser-js" / "htmllargecallstack.eml").read_bytes())
    started = time.monotonic()
    render(view, parsed)
    assert time.monotonic() - started < 3.0


def test_nothing_is_shown_of_scripts(view: MessageView) -> None:
    parsed = parse_message(
        b"From: a@example.org\r\nContent-Type: text/html\r\n\r\n"
        b"<script>secret()</script><form action='http://x'><input value=Go></form>Hi")
    render(view, parsed)
    assert "secret" not in view.browser.toPlainText()


def test_widget_is_a_qwidget_named_for_the_window(view: MessageView) -> None:
    assert isinstance(view, QWidget) and view.objectName() == "messageView"


def test_huge_html_goes_straight_to_text(view: MessageView) -> None:
    body = '<p>hi <img src="http://x.example/a.gif"></p>' * 60000  # about 2.7 MB
    parsed = parse_message(b"From: a@example.org\r\nContent-Type: text/html\r\n\r\n"
                           + body.encode())
    started = time.monotonic()
    render(view, parsed)
    assert time.monotonic() - started < 3.0
    assert view.shown_as_text and not view.browser.requests
