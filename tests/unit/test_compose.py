"""Draft -> message bytes: MIME, RFC 2231 names, flowed text, injection refused (RELIABILITY I)."""

from __future__ import annotations

import random
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.smtp import bulk, compose
from qtmail.smtp.compose import (
    build_message,
    envelope_recipients,
    flowed,
    mentions_attachment,
    message_bytes,
    parse_recipients,
)
from qtmail.smtp.errors import InvalidDraft

ME = Address("Me", "me@example.org")


def _draft(**changes: Any) -> Draft:
    fields: dict[str, Any] = dict(from_address=ME, to=(Address("You", "you@example.org"),),
                                  subject="Hello", body_text="Hi.\n")
    fields.update(changes)
    return Draft(**fields)


def _reparse(draft: Draft) -> tuple[bytes, EmailMessage]:
    raw = build_message(draft, message_id_domain="example.org").as_bytes()
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return raw, parsed


def _unflow(text: str) -> str:
    """RFC 3676 4.2 decoding, DelSp=No: soft breaks joined, space-stuffing removed."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if line.endswith(" ") and line != "-- ":
            pending += line
        else:
            out.append(pending + line)
            pending = ""
    return "\n".join(out)


def test_headers_and_crlf() -> None:
    raw, msg = _reparse(_draft(in_reply_to="orig@example.net",
                               references=("root@example.net", "orig@example.net")))
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert msg["From"] == "Me <me@example.org>"
    assert msg["To"] == "You <you@example.org>"
    assert msg["MIME-Version"] == "1.0"
    assert msg["Message-ID"].endswith("@example.org>")
    assert msg["Date"].datetime is not None
    assert msg["In-Reply-To"] == "<orig@example.net>"
    assert msg["References"] == "<root@example.net> <orig@example.net>"


def test_bcc_only_in_the_envelope() -> None:
    draft = _draft(cc=(Address("", "cc@example.org"),),
                   bcc=(Address("Secret", "hidden@example.org"),
                        Address("", "YOU@example.org")))
    raw, msg = _reparse(draft)
    assert "Bcc" not in msg
    assert b"hidden" not in raw
    assert envelope_recipients(draft) == ["you@example.org", "cc@example.org",
                                          "hidden@example.org"]


def test_non_ascii_subject_names_and_attachments_round_trip() -> None:
    data = bytes(range(256)) * 10
    attachments = (Attachment("Übersicht – 2026.pdf", "application/pdf", data),
                   Attachment("写真.jpg", "image/jpeg", b"\xff\xd8\xff" + data),
                   Attachment("notes.txt", "text/plain", b"line\r\n.\r\nlast\n"),
                   Attachment("weird", "not a type", b"x"))
    draft = _draft(from_address=Address("Jürgen Doe, Jr.", "j@example.org"),
                   subject="Grüße, 添付ファイル " * 8, attachments=attachments)
    raw, msg = _reparse(draft)
    assert raw.isascii()
    assert b"filename*=utf-8''" in raw  # RFC 2231
    assert msg["Subject"] == draft.subject
    assert msg["From"].addresses[0].display_name == "Jürgen Doe, Jr."
    got = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
           for p in msg.iter_attachments()]
    assert got == [("Übersicht – 2026.pdf", "application/pdf", attachments[0].data),
                   ("写真.jpg", "image/jpeg", attachments[1].data),
                   ("notes.txt", "text/plain", attachments[2].data),
                   ("weird", "application/octet-stream", b"x")]


def test_html_makes_multipart_alternative() -> None:
    _, msg = _reparse(_draft(body_text="plain *bold*", body_html="<p><b>bold</b></p>",
                             attachments=(Attachment("a.bin", "application/octet-stream",
                                                     b"\0"),)))
    assert msg.get_content_type() == "multipart/mixed"
    alternative = msg.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/html"]


def test_plain_text_is_flowed_at_72() -> None:
    text = ("word " * 40).strip() + "\nFrom here\n>not a quote?\n trailing space   \n-- \nsig"
    _, msg = _reparse(_draft(body_text=text))
    body = msg.get_body(("plain",))
    assert body is not None
    assert body["Content-Type"].params["format"] == "flowed"
    content = body.get_content().replace("\r\n", "\n")
    lines = content.split("\n")
    assert all(len(line) <= 73 for line in lines)
    assert " From here" in lines  # space-stuffed, RFC 3676 4.4
    assert _unflow(content).rstrip("\n") == text.replace(" trailing space   ",
                                                           " trailing space")


def test_flowed_keeps_unbreakable_words_and_quotes() -> None:
    url = "https://example.org/" + "x" * 100
    assert flowed(url) == url
    assert flowed("> " + "q " * 60) == "> " + ("q " * 60).rstrip()


@pytest.mark.parametrize("changes, sentence", [
    ({"subject": "Hi\r\nBcc: victim@example.org"}, "The subject cannot contain line breaks."),
    ({"subject": "Hi\nX-Evil: 1"}, "The subject cannot contain line breaks."),
    ({"subject": "Hi\u2028there"}, "The subject cannot contain line breaks."),
    ({"subject": "nul\x00"}, "The subject cannot contain control characters."),
    ({"to": (Address("Eve\r\nBcc: x@evil.org", "eve@example.org"),)},
     "The name of the recipient 'eve@example.org' cannot contain line breaks."),
    ({"from_address": Address("Me\nX: y", "me@example.org")},
     "The name of the sender cannot contain line breaks."),
    ({"attachments": (Attachment("a\r\nContent-Type: text/html", "text/plain", b""),)},
     "An attachment name cannot contain line breaks."),
    ({"bcc": (Address("", "x@evil.org\r\nSubject: x"),)},
     "The address of the recipient 'x@evil.org\\r\\nSubject: x' cannot contain line breaks."),
    ({"to": (Address("", "not an address"),)}, "“not an address” is not a valid email address."),
    ({"in_reply_to": "a@b>\r\nX: y"},
     "The message being replied to has an unusable Message-ID."),
])
def test_header_injection_refused(changes: dict[str, Any], sentence: str) -> None:
    with pytest.raises(InvalidDraft) as info:
        build_message(_draft(**changes), message_id_domain="example.org")
    assert str(info.value) == sentence


@pytest.mark.parametrize("changes", [
    {"subject": "=?utf-8?q?Hi=0D=0ABcc=3A_x=40evil.org?="},
    {"to": (Address("=?utf-8?b?RQ0KQmNjOiB4QGV2aWwub3Jn?=", "a@example.org"),)},
    {"attachments": (Attachment("=?utf-8?q?a=0ABcc=3A_x=40evil.org?=", "text/plain", b""),)},
])
def test_encoded_words_hiding_line_breaks_refused(changes: dict[str, Any]) -> None:
    # The email package decodes RFC 2047 words it is given and writes the text back
    # unencoded: "Subject: Hi\r\nBcc: x@evil.org" on the wire if we let it through.
    with pytest.raises(InvalidDraft, match="cannot contain line breaks"):
        build_message(_draft(**changes), message_id_domain="example.org")


def test_last_line_of_defence_reparses_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qtmail.smtp.compose.has_encoded_controls", lambda value: False)
    with pytest.raises(InvalidDraft, match="would add headers"):
        build_message(_draft(subject="=?utf-8?q?Hi=0D=0ABcc=3A_x=40evil.org?="),
                      message_id_domain="example.org")


def test_harmless_encoded_word_lookalike_is_kept() -> None:
    _, msg = _reparse(_draft(subject="=?utf-8?q?Gr=C3=BC=C3=9Fe?="))
    assert list(msg.keys()).count("Subject") == 1


def test_parse_recipients() -> None:
    valid, invalid = parse_recipients(
        '"Doe, John" <john@example.org>, jane@example.org; '
        '"Carol \\"CJ\\" Smith" <carol@example.org>\n'
        "a@example.org b@example.org\r\n"
        "Plain Name <plain@example.org>, JOHN@example.org, mailto:m@example.org, "
        "bad, x@, @y.org, a@b@c.org, <>, "
        "two <t@example.org> <u@example.org>, ü@example.org, Jürgen <j@bücher.de>, "
        '"unterminated <q@example.org>, z@example.org')
    assert valid == [Address("Doe, John", "john@example.org"),
                     Address("", "jane@example.org"),
                     Address('Carol "CJ" Smith', "carol@example.org"),
                     Address("", "a@example.org"),
                     Address("", "b@example.org"),
                     Address("Plain Name", "plain@example.org"),
                     Address("", "m@example.org"),
                     Address("Jürgen", "j@bücher.de")]
    assert invalid == ["bad", "x@", "@y.org", "a@b@c.org", "<>",
                       "two <t@example.org> <u@example.org>", "ü@example.org",
                       '"unterminated <q@example.org>, z@example.org']


def test_parse_recipients_empty() -> None:
    assert parse_recipients("") == ([], [])
    assert parse_recipients(" , ;\n") == ([], [])


def test_idn_domain_is_sent() -> None:
    _, msg = _reparse(_draft(to=(Address("", "j@bücher.de"),)))
    assert msg["To"].addresses[0].domain in ("bücher.de", "xn--bcher-kva.de")


@pytest.mark.parametrize("subject, body, expected", [
    ("Report", "Please find the report attached.", True),
    ("Bericht", "Anbei der Bericht.", True),
    ("報告", "報告書を添付します。", True),
    ("Hi", "No files today.", False),
    ("Hi", "> see the attached file\nThanks!", False),
])
def test_mentions_attachment(subject: str, body: str, expected: bool) -> None:
    assert mentions_attachment(_draft(subject=subject, body_text=body)) is expected
    with_file = _draft(subject=subject, body_text=body,
                       attachments=(Attachment("a.pdf", "application/pdf", b""),))
    assert not mentions_attachment(with_file)


def test_message_bytes_are_crlf() -> None:
    data = message_bytes(build_message(_draft(body_text="a\nb\n"),
                                       message_id_domain="example.org"))
    assert b"\r\n\r\na\r\nb\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


@pytest.mark.parametrize("size", [bulk.BULK, bulk.BULK + 1, bulk.BULK + 56,
                                  3 * bulk.BULK + 1000])
def test_big_attachments_are_spliced_as_the_email_package_writes_them(
        monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Issue 18: big attachments are base64-encoded a slice at a time, outside the email
    package; the bytes are the same as its own, line for line."""
    monkeypatch.setattr(compose.email.utils, "make_msgid", lambda domain: f"<x@{domain}>")
    data = random.Random(size).randbytes(size)
    draft = _draft(attachments=(Attachment("a.bin", "application/octet-stream", data),
                                Attachment("small.txt", "text/plain", b"small\n"),
                                Attachment("b.pdf", "application/pdf", data[::-1])),
                   body_html="<p>Hi.</p>")

    def build(threshold: int) -> bytes:
        monkeypatch.setattr(bulk, "BULK", threshold)
        random.seed(7)  # the same MIME boundaries
        return compose.build_message_bytes(draft, message_id_domain="example.org")[1]

    spliced = build(bulk.BULK)
    whole = build(1 << 60)  # every attachment by the email package
    assert spliced == _same_date(whole, spliced)
    assert len(spliced) > 2 * size
    parsed = BytesParser(policy=policy.default).parsebytes(spliced)
    assert isinstance(parsed, EmailMessage)
    contents = [part.get_content() for part in parsed.iter_attachments()]
    assert contents == [data, "small\n", data[::-1]]


def _same_date(raw: bytes, like: bytes) -> bytes:
    """``raw`` with the Date header of ``like`` (both were built within a second or two)."""
    def date(data: bytes) -> bytes:
        start = data.index(b"\r\nDate: ") + 2
        return data[start:data.index(b"\r\n", start)]
    return raw.replace(date(raw), date(like), 1)


def test_a_drafts_copy_of_a_big_attachment_gets_its_headers_after_the_check() -> None:
    data = random.Random(1).randbytes(bulk.BULK * 2)
    message, raw = compose.build_message_bytes(
        _draft(attachments=(Attachment("a.bin", "application/octet-stream", data),)),
        message_id_domain="example.org", headers=[("Bcc", "hidden@example.org")])
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed["Bcc"] == "hidden@example.org"
    assert next(parsed.iter_attachments()).get_content() == data
    assert message["Message-ID"] == parsed["Message-ID"]
