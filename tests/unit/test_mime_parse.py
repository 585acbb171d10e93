"""parse_message: body choice, attachments, sender warnings, broken MIME."""

from __future__ import annotations

import base64

from qtmail.core.types import Address
from qtmail.mime.parse import MAX_NESTING, parse_message

MAILSPLOIT_FROM = (
    b"From: =?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
    b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com\r\n"
)


def message(headers: bytes, body: bytes = b"body\r\n") -> bytes:
    return headers + b"\r\n" + body


def test_simple_headers_and_body() -> None:
    parsed = parse_message(message(
        b"From: =?utf-8?q?J=C3=B6rg?= <j@example.de>\r\nTo: a@example.com, b@example.com\r\n"
        b"Cc: c@example.com\r\nReply-To: r@example.com\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
        b"Date: Mon, 1 Jan 2024 10:00:00 +0100\r\nMessage-ID: <m1@example.de>\r\n"
        b"In-Reply-To: <m0@example.de>\r\nReferences: <r1@x> <m0@example.de>\r\n",
        b"Hallo\r\n",
    ))
    assert parsed.sender == Address("Jörg", "j@example.de")
    assert [a.addr for a in parsed.to] == ["a@example.com", "b@example.com"]
    assert parsed.cc == (Address("", "c@example.com"),)
    assert parsed.reply_to == (Address("", "r@example.com"),)
    assert parsed.subject == "Grüße"
    assert parsed.date == 1704099600
    assert (parsed.message_id, parsed.in_reply_to) == ("m1@example.de", "m0@example.de")
    assert parsed.references == ("r1@x", "m0@example.de")
    assert parsed.text_body == "Hallo\r\n"
    assert parsed.warnings == ()


def test_mailsploit_sender_is_flagged_and_not_shown_as_spoofed_address() -> None:
    parsed = parse_message(message(MAILSPLOIT_FROM + b"Subject: hi\r\n"))
    assert any("invalid sender" in w.lower() for w in parsed.warnings)
    assert "potus@whitehouse.gov" not in parsed.sender.display()
    assert "mailsploit.com" in parsed.sender.display()


def test_encoded_nul_in_display_name_is_flagged() -> None:
    parsed = parse_message(message(
        b"From: =?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3YA?= <attacker@evil.example>\r\n"
    ))
    assert any("invalid sender" in w.lower() for w in parsed.warnings)
    assert "attacker@evil.example" in parsed.sender.display()


def test_display_name_with_other_address_is_flagged() -> None:
    parsed = parse_message(message(b'From: "ceo@bank.example" <phish@evil.example>\r\n'))
    assert parsed.sender.addr == "phish@evil.example"
    assert any("ceo@bank.example" in w and "phish@evil.example" in w for w in parsed.warnings)


def test_same_address_in_name_is_not_flagged() -> None:
    parsed = parse_message(message(b'From: "a@example.com" <a@example.com>\r\n'))
    assert parsed.warnings == ()


def test_duplicate_headers_use_first_and_warn() -> None:
    parsed = parse_message(message(
        b"From: first@example.com\r\nFrom: second@example.com\r\nSubject: one\r\n"
        b"Subject: two\r\nMessage-ID: <a@x>\r\nMessage-ID: <b@x>\r\n"
    ))
    assert parsed.sender.addr == "first@example.com"
    assert parsed.subject == "one"
    assert parsed.message_id == "a@x"
    conflicts = [w for w in parsed.warnings if "conflicting headers" in w.lower()]
    assert len(conflicts) == 3


def test_alternative_with_related_image_and_attachment() -> None:
    png = b"\x89PNG\r\n\x1a\nfakepng"
    raw = message(
        b"From: a@example.com\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="M"\r\n',
        b"--M\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n"
        b"--A\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n"
        b"--A\r\nContent-Type: multipart/related; boundary=\"R\"\r\n\r\n"
        b"--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo@x\">\r\n"
        b"--R\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(png) + b"\r\n"
        b"--R--\r\n--A--\r\n"
        b"--M\r\nContent-Type: application/pdf; name=\"../../etc/report.pdf\"\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Freport.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"%PDF-1.4") + b"\r\n"
        b"--M--\r\n",
    )
    parsed = parse_message(raw)
    assert parsed.text_body is not None and parsed.text_body.strip() == "Café"
    assert parsed.html_body is not None and "cid:logo@x" in parsed.html_body
    assert parsed.cid_map() == {"logo@x": png}
    pdf = [a for a in parsed.attachments if a.content_type == "application/pdf"]
    assert len(pdf) == 1
    assert pdf[0].filename == "report.pdf"
    assert pdf[0].part_id == "2"
    assert parsed.attachment_bytes(pdf[0].part_id) == b"%PDF-1.4"
    image = next(a for a in parsed.attachments if a.content_id == "logo@x")
    assert image.inline and image.part_id == "1.2.2" and image.size == len(png)


def test_unknown_and_wrong_charsets_still_give_text() -> None:
    for charset in (b"bad-charset", b"ks_c_5601-1987", b"utf8", b"x-unknown"):
        parsed = parse_message(message(
            b"Content-Type: text/plain; charset=" + charset + b"\r\n",
            "caf\u00e9".encode() if charset != b"ks_c_5601-1987" else "한국".encode("cp949"),
        ))
        assert parsed.text_body in ("café", "한국")


def test_utf8_declared_on_cp1252_bytes_falls_back() -> None:
    parsed = parse_message(message(b"Content-Type: text/plain; charset=utf-8\r\n", b"caf\xe9"))
    assert parsed.text_body == "café"


def test_multipart_without_boundary_recovers_parts() -> None:
    parsed = parse_message(message(
        b"Content-Type: multipart/alternative;\r\n",
        b"preamble\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XYZ--\r\n",
    ))
    assert parsed.text_body is not None and "hello" in parsed.text_body


def test_deep_rfc822_nesting_becomes_attachment() -> None:
    inner = b"Subject: innermost\r\n\r\ndeep\r\n"
    for _ in range(MAX_NESTING + 5):
        inner = b"Subject: level\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    parsed = parse_message(
        b'From: a@example.com\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\ntop\r\n"
        b"--B\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--B--\r\n"
    )
    assert parsed.text_body is not None and parsed.text_body.strip() == "top"
    (forwarded,) = parsed.attachments
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.filename == "level.eml"
    assert b"innermost" in (parsed.attachment_bytes(forwarded.part_id) or b"")


def test_deep_multipart_nesting_is_bounded() -> None:
    depth = 300
    body = b"".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
                    for i in range(depth))
    parsed = parse_message(b"From: a@example.com\r\n" + body + b"Content-Type: text/plain\r\n\r\nx")
    assert not any("could not be read" in w for w in parsed.warnings)


def test_garbage_never_raises() -> None:
    for raw in (b"", b"\x00\xff" * 100, b"Content-Type: multipart/mixed; boundary=\"\r\n\r\n--",
                b"From: \"\r\nTo: ,,,\r\nDate: 31 Feb 99999\r\n\r\n", b"\r\n\r\n\r\n"):
        parsed = parse_message(raw)
        assert isinstance(parsed.subject, str)
