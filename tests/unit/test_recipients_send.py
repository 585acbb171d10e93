"""Send time refuses what the composer would mark (issue 17, family 2), whatever path
the recipients came by: a mailto: link (also `qtmail mailto:...` on the command line),
a reopened draft, a reply to a message with a misleading name."""

from __future__ import annotations

import pytest

from qtmail.core.mailto import parse_mailto
from qtmail.core.outgoing import Draft
from qtmail.core.types import Address
from qtmail.mime.parse import parse_message
from qtmail.mime.quote import reply
from qtmail.smtp.compose import build_message, envelope_recipients, parse_recipients
from qtmail.smtp.errors import InvalidDraft

ANN = Address("Ann", "ann@example.org")


@pytest.mark.parametrize("recipient", [
    Address("ceo@yourco.example", "x@evil.example"),
    Address("=?utf-8?q?boss=40corp.example?=", "x@evil.example"),
    Address("", "a(b)@example.org"),
    Address("", "a@b@example.org"),
])
def test_build_refuses_a_recipient_that_is_not_what_it_shows(recipient: Address) -> None:
    with pytest.raises(InvalidDraft) as refused:
        build_message(Draft(ANN, to=(recipient,), subject="s"), message_id_domain="x.example")
    assert refused.value.user_message  # a sentence for the user, not a traceback


@pytest.mark.parametrize("url", [
    "mailto:alice@example.org%20%3Cbob@evil.example%3E",
    "mailto:?to=%22ceo@yourco.example%22%20%3Cx@evil.example%3E",
    "mailto:bob(c)@example.org",
    "mailto:a@b@example.org",
])
def test_hostile_mailto_recipients_are_refused(url: str) -> None:
    link = parse_mailto(url)
    valid, invalid = parse_recipients(", ".join(link.to))
    assert valid == [] and len(invalid) == 1


def test_envelope_is_exactly_the_parsed_addresses() -> None:
    valid, invalid = parse_recipients('"Doe, Jane" <jane@example.org>; bob@example.org\n'
                                      "mailto:carol@example.org")
    assert invalid == []
    draft = Draft(ANN, to=tuple(valid), subject="s")
    assert envelope_recipients(draft) == ["jane@example.org", "bob@example.org",
                                          "carol@example.org"]
    message = build_message(draft, message_id_domain="x.example")
    assert str(message["To"]) == '"Doe, Jane" <jane@example.org>, bob@example.org, ' \
                                 "carol@example.org"


def test_reply_drops_a_name_that_claims_another_address() -> None:
    parsed = parse_message(b'From: "ceo@yourco.example" <x@evil.example>\r\n'
                           b"Subject: s\r\nMessage-ID: <1@x>\r\n\r\nx\r\n")
    draft = reply(parsed, own_addresses=[ANN], reply_all=False)
    assert draft.to == (Address("", "x@evil.example"),)
    build_message(draft, message_id_domain="x.example")  # sendable as shown
