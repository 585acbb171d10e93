"""MessageView: header identity warnings, bidi escaping, remote bar, text links, attachments."""

from __future__ import annotations

import os
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from qtmail.accounts.remote_policy import RemoteContentPolicy
from qtmail.core.types import Address, MessageRef
from qtmail.mime.parse import AttachmentInfo, ParsedMessage, parse_message
from qtmail.qt.widgets.message_view import MAX_TEXT_CHARS, MessageView, linkify

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

MAILSPLOIT = (b"From: =?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
              b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com\r\n")
REF = MessageRef("work", "INBOX", 7, 42)


def message(headers: bytes, body: bytes = b"Hello\r\n",
            content_type: bytes = b"text/plain") -> ParsedMessage:
    return parse_message(headers + b"Subject: s\r\nContent-Type: " + content_type
                         + b"; charset=utf-8\r\n\r\n" + body)


def with_attachments(files: dict[str, tuple[bytes, str]]) -> ParsedMessage:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["Subject"] = "files"
    msg.set_content("see attached")
    for name, (data, ctype) in files.items():
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return parse_message(msg.as_bytes())


@pytest.fixture
def view(qtbot: QtBot) -> MessageView:
    widget = MessageView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    return widget


def test_bidi_override_in_names_and_subject_is_escaped(view: MessageView) -> None:
    parsed = parse_message(
        "From: \"Invoice \u202egpj.exe\" <bob@example.org>\r\n"
        "To: \"Zero\u200bWidth\" <z@example.org>\r\nSubject: Pay \u202eNOW\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nx\r\n".encode())
    view.show_message(parsed)
    text = view.header.text()
    assert "\u202e" not in text and "\u200b" not in text
    assert "<U+202E>" in text and "<U+200B>" in text
    # Each untrusted field sits in its own isolate, and the real address is shown.
    assert "\u2068Invoice <U+202E>gpj.exe\u2069 <\u2068bob@example.org\u2069>" in text


def test_mailsploit_sender_is_flagged_and_never_shown_as_potus(view: MessageView) -> None:
    view.show_message(message(MAILSPLOIT), REF)
    assert view.header.warnings_label.isVisible()
    assert "Invalid sender" in view.header.warnings_label.text()
    shown = view.header.from_label.text()
    assert "potus@whitehouse.gov" not in shown.replace("\u2068", "").replace("\u2069", "")


def test_display_name_with_another_address_warns(view: MessageView) -> None:
    view.show_message(message(b'From: "ceo@bank.example" <evil@attacker.example>\r\n'))
    warning = view.header.warnings_label.text()
    assert view.header.warnings_label.isVisible()
    assert "ceo@bank.example" in warning and "evil@attacker.example" in warning
    assert "evil@attacker.example" in view.header.from_label.text()


def test_conflicting_headers_warning_is_visible(view: MessageView) -> None:
    view.show_message(message(b"From: a@example.org\r\nFrom: b@example.org\r\n"))
    assert "Conflicting headers" in view.header.warnings_label.text()


def test_plain_message_has_no_warning_and_a_locale_date(view: MessageView) -> None:
    view.show_message(message(b"From: Alice <a@example.org>\r\nCc: c@example.org\r\n"
                              b"Date: Mon, 06 Nov 2023 10:00:00 +0000\r\n"))
    assert not view.header.warnings_label.isVisible()
    assert view.header.cc_label.isVisible()
    assert "2023" in view.header.date_label.text()


def test_plain_text_links_are_clickable_for_safe_schemes_only() -> None:
    html = linkify("see https://example.org/a_(b). or mailto:x@example.org, "
                   "javascript:alert(1) file:///etc/passwd <b>")
    assert '<a href="https://example.org/a_(b)">' in html
    assert '<a href="mailto:x@example.org">' in html
    assert 'href="file' not in html and 'href="javascript' not in html
    assert "&lt;b&gt;" in html


def test_plain_text_body_is_shown_with_links(view: MessageView) -> None:
    view.show_message(message(b"From: a@example.org\r\n", b"Go to https://example.org now\r\n"))
    assert "Go to https://example.org now" in view.browser.toPlainText()
    assert 'href="https://example.org"' in view.browser.toHtml()


def test_very_long_text_is_cut_with_a_notice(view: MessageView) -> None:
    view.show_message(message(b"From: a@example.org\r\n", b"word " * (MAX_TEXT_CHARS // 4)))
    assert view.notice.isVisible()
    assert len(view.browser.toPlainText()) <= MAX_TEXT_CHARS + 1


def test_remote_content_bar(qtbot: QtBot, view: MessageView) -> None:
    saved: list[list[str]] = []
    view.remote_policy = RemoteContentPolicy(on_change=saved.append)
    parsed = message(b"From: News <news@example.org>\r\n",
                     b'<img src="http://t.example/p.gif"><img src="https://x.example/a.png">',
                     b"text/html")
    view.show_message(parsed, REF)
    assert view.remote_bar.isVisible()
    assert "2" in view.remote_label.text()
    with qtbot.waitSignal(view.load_remote_requested) as once:
        view.load_once_button.click()
    assert once.args == [REF, "news@example.org", False]
    with qtbot.waitSignal(view.load_remote_requested) as always:
        view.load_always_button.click()
    assert always.args == [REF, "news@example.org", True]
    assert saved == [["news@example.org"]]
    assert view.remote_policy.is_allowed("NEWS@example.org")


def test_no_remote_bar_without_remote_content(view: MessageView) -> None:
    view.show_message(message(b"From: a@example.org\r\n", b"<p>hi</p>", b"text/html"))
    assert not view.remote_bar.isVisible()


def test_always_is_disabled_for_a_malformed_sender(view: MessageView) -> None:
    view.show_message(message(MAILSPLOIT, b'<img src="http://t.example/p.gif">', b"text/html"))
    assert view.remote_bar.isVisible() and not view.load_always_button.isEnabled()
    policy = RemoteContentPolicy()
    assert not policy.allow("=?utf-8?b?x?=@mailsploit.com") and policy.addresses() == []


def test_states(view: MessageView) -> None:
    view.show_loading()
    assert "Loading" in view.status_text()
    view.show_error("Server said <b>no</b>\u202e")
    assert "<b>no</b><U+202E>" in view.status_text()
    view.show_message(message(b"From: a@example.org\r\n"))
    assert view.status_text() == ""
    view.clear()
    assert view.parsed is None and view.header.text() == ""


def test_attachment_is_saved_with_the_shown_name_and_exact_bytes(
        qtbot: QtBot, view: MessageView, tmp_path: Path) -> None:
    data = bytes(range(256)) * 3
    parsed = with_attachments({"../../report\u202eslx.pdf": (data, "application/pdf")})
    view.show_message(parsed)
    shown = parsed.attachments[0].filename
    assert view.attachments.names()[0].startswith(shown)
    view.attachments.choose_folder = lambda _parent: tmp_path
    with qtbot.waitSignal(view.attachment_saved) as saved:
        view.attachments.save_button.click()
    path = Path(saved.args[0])
    assert path.parent == tmp_path.resolve() and path.name == shown
    assert "\u202e" not in path.name and ".." not in path.name
    assert path.read_bytes() == data


def test_existing_file_is_not_overwritten_and_save_all(view: MessageView, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"mine")
    view.show_message(with_attachments({"a.txt": (b"one", "text/plain"),
                                        "b.bin": (b"two", "application/octet-stream")}))
    view.attachments.choose_folder = lambda _parent: tmp_path
    written = view.attachments.save_all()
    assert (tmp_path / "a.txt").read_bytes() == b"mine"
    assert [p.name for p in written] == ["a (2).txt", "b.bin"]
    assert [p.read_bytes() for p in written] == [b"one", b"two"]


def test_cancelled_folder_choice_saves_nothing(view: MessageView) -> None:
    view.show_message(with_attachments({"a.txt": (b"one", "text/plain")}))
    view.attachments.choose_folder = lambda _parent: None
    assert view.attachments.save_selected() == []


@pytest.mark.parametrize(("name", "ctype"), [
    ("setup.exe", "application/octet-stream"), ("run.sh", "application/x-shellscript"),
    ("invoice.pdf.js", "text/plain"), ("photo.jpg", "application/x-msdownload"),
])
def test_executables_warn_before_opening(view: MessageView, name: str, ctype: str) -> None:
    asked: list[str] = []
    view.show_message(with_attachments({name: (b"MZ...", ctype)}))
    view.attachments.confirm = lambda _parent, _title, text: asked.append(text) is None and False
    view.attachments.open_url = lambda url: pytest.fail(f"opened {url.toString()}")
    assert view.attachments.open_selected() is None
    assert len(asked) == 1 and "program" in asked[0]
    view.attachments.temp_dir.remove()


def test_open_writes_a_private_temp_file(view: MessageView) -> None:
    opened: list[QUrl] = []
    view.show_message(with_attachments({"notes.txt": (b"hello", "text/plain")}))
    view.attachments.confirm = lambda *_args: pytest.fail("a text file is not a program")
    view.attachments.open_url = lambda url: opened.append(url) is None
    path = view.attachments.open_selected()
    assert path is not None and path.read_bytes() == b"hello" and path.name == "notes.txt"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert opened == [QUrl.fromLocalFile(str(path))]
    view.attachments.temp_dir.remove()
    assert not path.parent.exists()


# -- dragging attachments out (issue 5) ------------------------------------------------------
def dragged_files(view: MessageView, rows: list[int]) -> list[Path]:
    """What a file manager gets when the attachments at ``rows`` are dropped on it."""
    items = view.attachments.list
    mime = items.mimeData([items.item(row) for row in rows])
    assert "text/uri-list" in mime.formats() and mime.hasUrls()
    raw = bytes(mime.data("text/uri-list").data()).decode()  # RFC 2483, as a program reads it
    lines = [line for line in raw.split("\r\n") if line]
    urls = mime.urls()
    assert [url.toString() for url in urls] == lines
    return [Path(url.toLocalFile()) for url in urls]


def test_attachment_dragged_out_is_written_on_demand_with_exact_bytes(
        view: MessageView) -> None:
    data = bytes(range(256)) * 5
    view.show_message(with_attachments({"report.pdf": (data, "application/pdf"),
                                        "notes.txt": (b"hello\r\n", "text/plain")}))
    items = view.attachments.list
    assert items.dragEnabled()
    # Copy only: a Move would let QListWidget delete the dragged item itself.
    assert items.supportedDropActions() == Qt.DropAction.CopyAction
    mime = items.mimeData([items.item(0)])
    base = view.attachments.drag_dir.path()
    assert list(base.iterdir()) == []  # nothing written before a drop target asks
    paths = [Path(url.toLocalFile()) for url in mime.urls()]
    assert [p.name for p in paths] == ["report.pdf"] and paths[0].read_bytes() == data
    assert mime.urls() == [QUrl.fromLocalFile(str(paths[0]))]  # asked twice: written once
    assert len(list(paths[0].parent.iterdir())) == 1
    for folder in (base, paths[0].parent):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(paths[0]).st_mode) == 0o600
    # Both at once, and the same file dragged again keeps its own name (its own folder).
    both = dragged_files(view, [0, 1])
    assert [p.name for p in both] == ["report.pdf", "notes.txt"]
    assert [p.read_bytes() for p in both] == [data, b"hello\r\n"]
    assert both[0].parent != paths[0].parent
    view.attachments.drag_dir.remove()
    assert not base.exists()


@pytest.mark.parametrize(("hostile", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..", "attachment"),
    ("a\x00b\r\nc\x1b.txt", "a b c .txt"),  # controls become spaces
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("/absolute/CON.txt", "_CON.txt"),
])
def test_dragged_attachment_names_stay_inside_the_private_folder(
        view: MessageView, hostile: str, expected: str) -> None:
    # Built by hand: the parser already cleans names, the drag must not rely on it.
    info = AttachmentInfo(part_id="2", filename=hostile, content_type="text/plain", size=4)
    view.show_message(ParsedMessage(subject="s", sender=Address("", "a@example.org"),
                                    attachments=(info,), payloads={"2": b"data"}))
    [path] = dragged_files(view, [0])
    base = view.attachments.drag_dir.path().resolve()
    assert path.name == expected
    assert path.resolve().parent.parent == base  # base / one folder per drag / file
    assert path.read_bytes() == b"data"
    view.attachments.drag_dir.remove()


def test_an_inline_image_the_html_shows_is_not_listed_as_an_attachment(
        view: MessageView) -> None:
    msg = EmailMessage()
    msg["From"] = "alice@example.org"
    msg["Subject"] = "logo"
    msg.set_content("plain version")
    msg.add_alternative('<p>Our logo: <img src="cid:logo@example.org"></p>', subtype="html")
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    msg.get_payload()[1].add_related(png, maintype="image", subtype="png",
                                     cid="<logo@example.org>")
    msg.add_attachment(b"%PDF-1.4 report", maintype="application", subtype="pdf",
                       filename="report.pdf")
    parsed = parse_message(msg.as_bytes())
    assert {a.content_type for a in parsed.attachments} == {"image/png", "application/pdf"}
    view.show_message(parsed, REF)
    names = [view.attachments.list.item(row).text()
             for row in range(view.attachments.list.count())]
    assert len(names) == 1 and names[0].startswith("report.pdf")
    current = view.attachments.current()  # the row shown is the file saved
    assert current is not None and current.filename == "report.pdf"


def test_a_links_menu_shows_where_it_really_goes_and_opens_through_the_check(
        view: MessageView, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication

    view.show_message(message(b"From: bank@example.org\r\n",
                              b'<p><a href="https://collector.example/x">'
                              b"https://bank.example/login</a></p>", b"text/html"), REF)
    browser = view.browser
    point = next((QPoint(x, y) for y in range(0, 200, 4) for x in range(0, 400, 4)
                  if browser.anchorAt(QPoint(x, y))), None)
    assert point is not None, "the link is shown"
    menu = browser.link_menu(point)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["Goes to: collector.example", "&Open Link…", "Copy &Link"]
    target = next(a for a in menu.actions() if a.objectName() == "linkTarget")
    assert not target.isEnabled()  # information only
    asked: list[str] = []
    view.confirm_link = lambda parent, title, text: asked.append(text) or False
    with qtbot.waitSignal(browser.link_clicked) as opened:
        next(a for a in menu.actions() if a.objectName() == "openLink").trigger()
    assert opened.args[0].toString() == "https://collector.example/x"
    assert asked and "collector.example" in asked[0]  # the same check as a click
    next(a for a in menu.actions() if a.objectName() == "copyLink").trigger()
    assert QGuiApplication.clipboard().text() == "https://collector.example/x"
    menu.deleteLater()


def test_a_from_line_wrapped_in_a_narrow_pane_is_shown_whole(qtbot: QtBot) -> None:
    """Seen under Xvfb: in a narrow reading pane the From line wrapped onto two lines but
    was given one line's height, its address cut off."""
    view = MessageView()
    qtbot.addWidget(view)
    view.resize(345, 600)
    view.show()
    view.show_message(parse_message(
        b"From: The Example Weekly <news@news.example.com>\r\n"
        b"To: Demo User <demo@example.org>\r\nDate: Sat, 05 Dec 2026 19:07:47 +0000\r\n"
        b"Subject: Weekly digest\r\nContent-Type: text/plain\r\n\r\nhi\r\n"), REF)
    label = view.header.from_label

    def whole() -> bool:
        return label.height() >= label.heightForWidth(label.width())

    qtbot.waitUntil(whole, timeout=2_000)
    assert label.heightForWidth(label.width()) > label.fontMetrics().height() * 1.5  # wrapped
    assert label.height() >= label.heightForWidth(label.width())
