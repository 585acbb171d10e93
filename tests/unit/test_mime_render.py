"""render_text: what ``qtmail show`` prints."""

from __future__ import annotations

from qtmail.mime.parse import parse_message
from qtmail.mime.render import NO_BODY, escape_display, human_size, render_text


def test_render_plain_message_with_attachment() -> None:
    raw = (
        b'From: "Jane Doe" <jane@example.com>\r\nTo: bob@example.com\r\nSubject: Report\r\n'
        b'Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nContent-Type: multipart/mixed; boundary="B"\r\n'
        b"\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--B\r\n"
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
        b'filename="invoice\xe2\x80\xaegpj.exe"\r\n\r\n' + b"x" * 2048 + b"\r\n--B--\r\n"
    )
    text = render_text(parse_message(raw))
    header, body = text.split("\n\n", 1)
    assert '"Jane Doe" <jane@example.com>' in header
    assert "To: <bob@example.com>" in header
    assert "Subject: Report" in header
    assert "2024" in header
    assert body.startswith("See attached.")
    assert "invoicegpj.exe  (2.0 KB, application/pdf)" in body
    assert "\u202e" not in text


def test_render_html_only_and_empty_bodies() -> None:
    html = render_text(parse_message(
        b"From: a@example.com\r\nContent-Type: text/html\r\n\r\n"
        b"<p>Hello <b>there</b></p><script>evil()</script>"
    ))
    assert "Hello there" in html and "evil" not in html
    empty = render_text(parse_message(b"From: a@example.com\r\nSubject: x\r\n\r\n"))
    assert NO_BODY in empty


def test_bidi_and_controls_in_headers_are_visible_not_active() -> None:
    text = render_text(parse_message(
        b"From: =?utf-8?q?Bob_=E2=80=AEmoc.knab?= <bob@example.com>\r\n"
        b"Subject: =?utf-8?q?pay=1B[2Jnow?=\r\n\r\nbody\x1b]0;title\x07\r\n"
    ))
    assert "<U+202E>" in text and "\u202e" not in text
    assert "\x1b" not in text and "\x07" not in text


def test_warnings_are_printed() -> None:
    text = render_text(parse_message(
        b"From: a@example.com\r\nFrom: b@example.com\r\n\r\nhi\r\n"
    ))
    assert "Warning: Conflicting headers" in text
    assert "<a@example.com>" in text and "b@example.com" not in text


def test_helpers() -> None:
    assert escape_display("a\u2066b\x00c") == "a<U+2066>b c"
    assert [human_size(n) for n in (0, 1023, 1536, 5 * 1024 * 1024)] == [
        "0 B", "1023 B", "1.5 KB", "5.0 MB"]
