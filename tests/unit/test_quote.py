"""Reply and forward drafts: subjects, threading headers, recipients, quotes."""

from __future__ import annotations

from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest

from qtmail.core.types import Address
from qtmail.mime.parse import parse_message
from qtmail.mime.quote import Wording, forward, forward_subject, reply, reply_subject
from qtmail.smtp.compose import build_message

ME = Address("Me", "me@example.org")
ALIAS = Address("Me at work", "ME@work.example")

ORIGINAL = (
    b"From: Bob Sender <bob@example.net>\r\n"
    b"To: Me <me@example.org>, Carol <carol@example.net>, me@work.example\r\n"
    b"Cc: Dave <dave@example.net>, bob@example.net, CAROL@example.net\r\n"
    b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
    b"Date: Tue, 03 Mar 2026 10:15:00 +0000\r\n"
    b"Message-ID: <m3@example.net>\r\n"
    b"In-Reply-To: <m2@example.net>\r\n"
    b"References: <m1@example.net> <m2@example.net>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hello,\r\n> earlier\r\n\r\nBob\r\n"
    b"--b\r\nContent-Type: application/pdf\r\n"
    b"Content-Disposition: attachment; filename*=utf-8''%C3%BCbersicht.pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b--\r\n")


@pytest.mark.parametrize("subject, expected", [
    ("Hello", "Re: Hello"),
    ("Re: Hello", "Re: Hello"),
    ("Re: Re: RE: Hello", "Re: Hello"),
    ("AW: Sv: Re[2]: Hello", "Re: Hello"),
    ("re:Hello", "Re: Hello"),
    ("Regarding: Hello", "Re: Regarding: Hello"),
    ("", "Re: "),
    ("Line\r\nBreak", "Re: Line Break"),
])
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


@pytest.mark.parametrize("subject, expected", [
    ("Hello", "Fwd: Hello"), ("Fwd: Hello", "Fwd: Hello"), ("FW: WG: Hello", "Fwd: Hello"),
])
def test_forward_subject(subject: str, expected: str) -> None:
    assert forward_subject(subject) == expected


def test_reply_threading_and_quote() -> None:
    draft = reply(parse_message(ORIGINAL), own_addresses=[ME, ALIAS], reply_all=False)
    assert draft.subject == "Re: Grüße"
    assert draft.to == (Address("Bob Sender", "bob@example.net"),)
    assert draft.cc == ()
    assert draft.from_address == ME
    assert draft.in_reply_to == "m3@example.net"
    assert draft.references == ("m1@example.net", "m2@example.net", "m3@example.net")
    assert draft.body_text.startswith("\n\nOn ")
    assert ", Bob Sender wrote:\n> Hello,\n>> earlier\n>\n> Bob\n" in draft.body_text
    assert draft.attachments == ()


def test_reply_all_recipients() -> None:
    draft = reply(parse_message(ORIGINAL), own_addresses=[ME, ALIAS], reply_all=True)
    assert [a.addr for a in draft.to] == ["bob@example.net", "carol@example.net"]
    assert [a.addr for a in draft.cc] == ["dave@example.net"]


def test_reply_to_is_respected() -> None:
    raw = ORIGINAL.replace(b"Subject:", b"Reply-To: List <list@example.net>\r\nSubject:")
    draft = reply(parse_message(raw), own_addresses=[ME], reply_all=False)
    assert draft.to == (Address("List", "list@example.net"),)
    everyone = reply(parse_message(raw), own_addresses=[ME], reply_all=True)
    assert [a.addr for a in everyone.to] == ["list@example.net", "carol@example.net",
                                             "me@work.example"]


def test_reply_to_own_message_goes_to_its_recipients() -> None:
    raw = ORIGINAL.replace(b"From: Bob Sender <bob@example.net>", b"From: Me <me@example.org>")
    draft = reply(parse_message(raw), own_addresses=[ME, ALIAS], reply_all=False)
    assert [a.addr for a in draft.to] == ["carol@example.net"]


def test_references_without_references_header() -> None:
    raw = ORIGINAL.replace(b"References: <m1@example.net> <m2@example.net>\r\n", b"")
    draft = reply(parse_message(raw), own_addresses=[ME], reply_all=False)
    assert draft.references == ("m2@example.net", "m3@example.net")


def test_reply_to_html_only_original() -> None:
    raw = (b"From: bob@example.net\r\nTo: me@example.org\r\nSubject: Hi\r\n"
           b"Message-ID: <h@example.net>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           b"<p>Hello <b>there</b></p><p>Second paragraph</p>")
    draft = reply(parse_message(raw), own_addresses=[ME], reply_all=False)
    assert draft.body_text.startswith("\n\nbob@example.net wrote:\n")  # no Date header
    assert "> Hello there" in draft.body_text
    assert "> Second paragraph" in draft.body_text
    assert "<p>" not in draft.body_text


def test_reply_builds_and_threads() -> None:
    draft = reply(parse_message(ORIGINAL), own_addresses=[ME], reply_all=True)
    raw = build_message(draft, message_id_domain="example.org").as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert msg["In-Reply-To"] == "<m3@example.net>"
    assert msg["References"] == "<m1@example.net> <m2@example.net> <m3@example.net>"
    assert msg["Subject"] == "Re: Grüße"


def test_forward_inline_keeps_attachments() -> None:
    draft = forward(parse_message(ORIGINAL), inline=True, raw=ORIGINAL, from_address=ME)
    assert draft.subject == "Fwd: Grüße"
    assert draft.to == () and draft.in_reply_to == ""
    assert "-------- Forwarded Message --------\nSubject: Grüße\n" in draft.body_text
    assert "From: Bob Sender <bob@example.net>\n" in draft.body_text
    assert "Hello,\n> earlier" in draft.body_text
    assert [(a.filename, a.content_type, a.data) for a in draft.attachments] == [
        ("übersicht.pdf", "application/pdf", b"\0\1\2\3\4")]


def test_forward_as_attachment() -> None:
    draft = forward(parse_message(ORIGINAL), inline=False, raw=ORIGINAL, from_address=ME)
    (attachment,) = draft.attachments
    assert attachment.content_type == "message/rfc822"
    assert attachment.filename == "Grüße.eml"
    draft = replace(draft, to=(Address("", "x@example.org"),))
    raw = build_message(draft, message_id_domain="example.org").as_bytes()
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    (part,) = list(msg.iter_attachments())
    assert part.get_content_type() == "message/rfc822"
    inner = part.get_content()
    assert inner["Message-ID"] == "<m3@example.net>"
    assert inner["Subject"] == "Grüße"
    assert [p.get_content() for p in inner.iter_attachments()] == [b"\0\1\2\3\4"]


def test_the_words_come_from_the_caller() -> None:
    """The window passes the words in the user's language; a name holding "%1" or "%2"
    is written as it is, not filled in again."""
    words = Wording(wrote_on="[%2 @ %1]", wrote="[%1]", forwarded="== fwd ==",
                    subject="S=%1", date="D=%1", sender="F=%1", to="T=%1", cc="C=%1",
                    format_date=lambda stamp: f"day{stamp}")
    parsed = parse_message(ORIGINAL.replace(b"Bob Sender", b"Bob %2 %1"))
    draft = reply(parsed, own_addresses=[ME], reply_all=False, words=words)
    assert draft.body_text.startswith(f"\n\n[Bob %2 %1 @ day{parsed.date}]\n> Hello,")
    undated = replace(parsed, date=None)
    assert reply(undated, own_addresses=[ME], reply_all=False,
                 words=words).body_text.startswith("\n\n[Bob %2 %1]\n")
    body = forward(parsed, inline=True, raw=ORIGINAL, words=words).body_text
    assert body.startswith(f"\n\n== fwd ==\nS=Grüße\nD=day{parsed.date}\nF=")
    assert "\nT=Me <me@example.org>, " in body and "\nC=Dave <dave@example.net>" in body
