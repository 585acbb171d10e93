"""What the user reads as the sender leads to the real address (issue 17, family 1)."""

from __future__ import annotations

import pytest

from qtmail.core.types import Address
from qtmail.imap.summary import build_summary
from qtmail.mime.links import anchor_texts, claimed_target
from qtmail.mime.parse import parse_message
from qtmail.mime.sender import FLAG, Concern, concerns, display_address, list_text


def listed(from_header: bytes) -> str:
    """The sender cell for a message, parsed by the IMAP summary parser as in a sync."""
    block = b"From: " + from_header + b"\r\nSubject: s\r\n\r\n"
    return list_text(build_summary(1, frozenset(), 0, 10, block).sender)


@pytest.mark.parametrize(("header", "must_show"), [
    (b'"ceo@yourco.example" <x@evil.example>', "x@evil.example"),
    (b"ceo@yourco.example <x@evil.example>", "x@evil.example"),
    (b'"Support (paypal.com)" <x@evil.example>', "x@evil.example"),
    (b"=?utf-8?q?ceo=40yourco.example?= <x@evil.example>", "x@evil.example"),
    (b"=?utf-8?q?Bob=0D=0AFrom:_boss@corp.example?= <x@evil.example>", "x@evil.example"),
    (b"x@p\xd0\xb0ypal.com", "x@xn--pypal-4ve.com"),          # Cyrillic "a"
    (b"PayPal <x@\xd0\xb0\xd1\x80\xd1\x80\xd3\x8f\xd0\xb5.com>", "xn--"),  # all-Cyrillic
    (b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
     b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com", "@mailsploit.com"),
])
def test_list_flags_and_shows_the_real_address(header: bytes, must_show: str) -> None:
    text = listed(header)
    assert text.startswith(FLAG)
    assert must_show in text
    assert "potus@whitehouse.gov" not in text


@pytest.mark.parametrize(("header", "shown"), [
    (b"Alice Example <alice@example.org>", "Alice Example"),
    (b"alice@example.org", "alice@example.org"),
    (b'"alice@example.org" <alice@example.org>', "alice@example.org"),
    (b"PayPal <service@paypal.com>", "PayPal"),
    (b"Mail paypal.com <x@mail.paypal.com>", "Mail paypal.com"),
    ("山田 <yamada@日本語.jp>".encode(), "山田"),
    ("Jörg <jörg@bücher.example>".encode(), "Jörg"),
])
def test_honest_senders_are_not_flagged(header: bytes, shown: str) -> None:
    assert listed(header) == shown


def test_lookalike_domain_is_punycode_and_a_plain_idn_is_not() -> None:
    assert display_address("a@bücher.example") == "a@bücher.example"
    assert display_address("a@p\u0430ypal.com") == "a@xn--pypal-4ve.com"
    assert Concern.LOOKALIKE_DOMAIN in concerns(Address("", "a@p\u0430ypal.com"))


@pytest.mark.parametrize("header", ["From", "Sender", "Reply-To"])
def test_mailsploit_in_any_sender_header_is_flagged(header: str) -> None:
    raw = (f"From: Alice <alice@example.org>\r\n{header}: "
           "=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
           "=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com\r\n"
           "Subject: s\r\n\r\nx\r\n").encode()
    if header == "From":
        raw = raw.replace(b"From: Alice <alice@example.org>\r\n", b"", 1)
    parsed = parse_message(raw)
    assert any("nvalid" in w for w in parsed.warnings), parsed.warnings
    everyone = [parsed.sender, *parsed.reply_to]
    assert all("potus@whitehouse.gov" not in a.addr + a.name for a in everyone)
    # A reply never goes to an address assembled from encoded words.
    assert all("=?" not in a.addr for a in parsed.reply_to)


@pytest.mark.parametrize(("text", "href", "claimed"), [
    ("https://yourbank.example/login", "https://evil.example/x", "yourbank.example"),
    ("yourbank.example", "https://evil.example/", "yourbank.example"),
    ("www.paypal.com", "https://paypal.com.evil.example/", "paypal.com"),
    ("boss@corp.example", "mailto:eve@evil.example", "boss@corp.example"),
    ("https://example.org/a", "https://example.org/b", ""),
    ("example.org", "https://www.example.org/", ""),
    ("paypal.com", "https://click.paypal.com/t", ""),
    ("Click here", "https://evil.example/", ""),
])
def test_link_text_naming_another_place_is_caught(text: str, href: str, claimed: str) -> None:
    assert claimed_target(text, href) == claimed


def test_anchor_texts_are_collected_with_entities_decoded() -> None:
    found = anchor_texts('<p><a href="https://e.example/?a=1&amp;b=2">'
                         '<b>bank</b>.example</a> <a href="x">y</a>')
    assert found == {"https://e.example/?a=1&b=2": ["bank.example"], "x": ["y"]}
