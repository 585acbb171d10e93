"""Strict address parsing: one answer on every Python (issue 17, families 1 and 2).

These vectors pin qtmail's own RFC 5322 section 3.4 parser. On Python 3.11 before
3.11.10, ``email.utils.getaddresses`` has no ``strict`` mode and the lenient one turned
several of these into a different address than the one written (``a@b@c`` -> ``@c``,
``alice@x <bob@y>`` -> two recipients, an encoded CRLF into a group label).
"""

from __future__ import annotations

import pytest

from qtmail.core.types import Address
from qtmail.imap.summary import parse_address_list as fast_parse
from qtmail.mime.addresses import AddressSyntaxError, is_addr_spec, parse_address_list
from qtmail.mime.headers import parse_addresses
from qtmail.mime.parse import parse_message

ACCEPTED = [
    ("a@example.org", (Address("", "a@example.org"),)),
    ("Alice <a@example.org>", (Address("Alice", "a@example.org"),)),
    ('"Doe, Jane" <jane@example.com>, b@x.org',
     (Address("Doe, Jane", "jane@example.com"), Address("", "b@x.org"))),
    ("John Q. Public <jqp@example.com>", (Address("John Q. Public", "jqp@example.com"),)),
    ("Team: a@x.org, B <b@x.org>;", (Address("", "a@x.org"), Address("B", "b@x.org"))),
    ("a@x.org,, ,b@x.org,", (Address("", "a@x.org"), Address("", "b@x.org"))),
    ('"john doe"@example.com', (Address("", '"john doe"@example.com'),)),
    ("Jörg <jörg@bücher.example>", (Address("Jörg", "jörg@bücher.example"),)),
    ("x <a@[192.0.2.1]>", (Address("x", "a@[192.0.2.1]"),)),
]

REFUSED = [
    "a@b@c.example",                       # stray "@"
    "alice@example.org <bob@evil.example>",  # two addresses hidden in one
    "A <a@x.org> B <b@x.org>",             # a missing comma
    '"a<b@c>"@x.org',                      # "<" and "@" in a quoted local part
    '"a(b)"@x.org',                        # "(" in a quoted local part
    "a(comment)@x.org",                    # comment inside the local part
    "a@x.org (Alice)",                     # comments are refused for recipients
    "<a@x.org",                            # unclosed angle
    '"unterminated <a@x.org>',
    "a@",
    "@x.org",
    "a..b@x.org",
    "a@x..org",
    "just a name",
]


@pytest.mark.parametrize(("value", "expected"), ACCEPTED)
def test_strict_parser_accepts(value: str, expected: tuple[Address, ...]) -> None:
    assert parse_address_list(value, comments=False) == expected


@pytest.mark.parametrize("value", REFUSED)
def test_strict_parser_refuses(value: str) -> None:
    with pytest.raises(AddressSyntaxError):
        parse_address_list(value, comments=False)


def test_comments_are_names_only_when_allowed() -> None:
    assert parse_address_list("a@x.org (Alice)") == (Address("Alice", "a@x.org"),)
    assert not is_addr_spec("a(b)@x.org") and is_addr_spec("a@x.org")


@pytest.mark.parametrize(("header", "name", "addr"), [
    # An encoded word decoding to quotes, brackets, commas, CR/LF or NUL stays in the
    # name it was written in: the address is the one in the angle brackets.
    ("=?utf-8?q?ceo=40yourco.example_=3Cceo=40yourco.example=3E?= <x@evil.example>",
     "ceo@yourco.example <ceo@yourco.example>", "x@evil.example"),
    ("=?utf-8?q?a=22=2C_b=40c.example=2C?= <x@evil.example>",
     'a", b@c.example,', "x@evil.example"),
    ("=?utf-8?q?Bob=0D=0AFrom:_boss@corp.example?= <x@evil.example>",
     "BobFrom: boss@corp.example", "x@evil.example"),
    ("=?utf-8?b?Qm9iAA==?= <x@evil.example>", "Bob", "x@evil.example"),
])
def test_encoded_words_never_change_the_address(header: str, name: str, addr: str) -> None:
    for parsed in (parse_addresses(header), fast_parse(header.encode())):
        assert parsed == (Address(name, addr),)


@pytest.mark.parametrize("header", [
    "a@b@c.example", "alice@example.org <bob@evil.example>", "A <a@x.org> B <b@x.org>",
])
def test_received_headers_never_assemble_an_address(header: str) -> None:
    # What the lenient stdlib made of these ("@c.example", two recipients, a hidden B)
    # is never offered as an address: either the one address in brackets with the rest
    # as its (flagged) name, or the header as written with no address.
    shown = parse_addresses(header)
    assert all(a.addr in ("", "bob@evil.example") for a in shown)
    assert "".join(a.name + a.addr for a in shown).replace(" ", "") \
        .startswith(header.split(" <")[0].replace(" ", ""))


def test_raw_utf8_headers_decode_to_the_right_address() -> None:
    # RFC 6532: UTF-8 straight in the header, no encoded words. Replies go there.
    parsed = parse_message("From: Jörg <jörg@bücher.example>\r\n"
                           "Reply-To: Zoë <zoë@bücher.example>\r\nSubject: ü\r\n\r\nx\r\n"
                           .encode())
    assert parsed.sender == Address("Jörg", "jörg@bücher.example")
    assert parsed.reply_to == (Address("Zoë", "zoë@bücher.example"),)
    assert "\ufffd" not in parsed.sender.addr + parsed.sender.name
