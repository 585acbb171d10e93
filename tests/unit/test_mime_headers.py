"""Header decoding: RFC 2047 words, charsets, control characters, addresses, dates, ids."""

from __future__ import annotations

import pytest

from qtmail.core.types import Address
from qtmail.mime.headers import (
    decode_header,
    parse_addresses,
    parse_date,
    parse_message_ids,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?UTF-8?B?SsO2cmcgU2Now7Zu?=", "Jörg Schön"),
        ("=?utf-8?q?J=C3=B6rg_Sch=C3=B6n?=", "Jörg Schön"),
        ("=?ISO-8859-1?Q?Caf=E9?= au lait", "Café au lait"),
        ("=?windows-1252?Q?=93quoted=94?=", "\u201cquoted\u201d"),
        ("=?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=", "てすと"),
        ("=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=", "안녕하세요"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        # RFC 2047 6.2: whitespace between adjacent encoded words disappears.
        ("=?utf-8?q?a?= \r\n =?utf-8?q?b?=", "ab"),
        # A multi-byte character split across two words still decodes.
        ("=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=", "éé"),
        ("=?UTF-8?B?4pyU?==?UTF-8?B?IG9r?=", "✔ ok"),
        ("Hello\r\n world", "Hello world"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_decode_header_variants(raw: str, expected: str) -> None:
    assert decode_header(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "=?bad-charset?Q?caf=E9?=",
        "=?NONE?B?abc",
        "=?x-unknown?B?////?=",
        "=?utf-8?B?not base64!!?=",
        "=?rot13?Q?uryyb?=",
        "=?",
        "",
    ],
)
def test_decode_header_never_raises_on_bad_charsets(raw: str) -> None:
    result = decode_header(raw)
    assert isinstance(result, str)


def test_unknown_charset_keeps_readable_text() -> None:
    assert decode_header("=?bad-charset?Q?caf=C3=A9?=") == "café"


def test_raw_8bit_bytes_decode_as_utf8_or_cp1252() -> None:
    assert decode_header("Jörg".encode()) == "Jörg"
    assert decode_header(b"Caf\xe9 \x93x\x94") == "Café \u201cx\u201d"
    # Surrogate-escaped 8-bit text as the stdlib parser hands it over.
    assert decode_header("caf\udcc3\udca9") == "café"


@pytest.mark.parametrize(
    "raw",
    [
        "Subject\x00with NUL",
        "evil\x1b[2J",
        "=?utf-8?q?line=0D=0ABcc:_victim@example.com?=",
        "=?utf-8?q?nul=00here?=",
    ],
)
def test_control_characters_are_stripped(raw: str) -> None:
    result = decode_header(raw)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in result)


def test_parse_addresses_decodes_names_only() -> None:
    assert parse_addresses("=?utf-8?q?J=C3=B6rg?= <j@example.de>, b@example.org") == (
        Address("Jörg", "j@example.de"),
        Address("", "b@example.org"),
    )
    assert parse_addresses('"Doe, Jane" <jane@example.com>') == (
        Address("Doe, Jane", "jane@example.com"),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('"', ()),
        ("a@example.com,", (Address("", "a@example.com"),)),
        (", a@example.com", (Address("", "a@example.com"),)),
        ("undisclosed recipients: ;", ()),
        (
            "Team: a@example.com, b@example.com;",
            (Address("", "a@example.com"), Address("", "b@example.com")),
        ),
        ('"unterminated <a@example.com>', (Address("unterminated", "a@example.com"),)),
        ("just a name", (Address("just a name", ""),)),
        ("", ()),
    ],
)
def test_parse_addresses_edge_cases(raw: str, expected: tuple[Address, ...]) -> None:
    assert parse_addresses(raw) == expected


def test_mailsploit_address_is_never_decoded() -> None:
    raw = (
        "=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
        "=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com"
    )
    (address,) = parse_addresses(raw)
    assert "potus@whitehouse.gov" not in address.addr
    assert "potus@whitehouse.gov" not in address.name


def test_parse_date() -> None:
    assert parse_date("Mon, 1 Jan 2024 10:00:00 +0100") == 1704099600
    assert parse_date("1 Jan 2024 09:00:00 GMT") == 1704099600
    # No zone: read as UTC so the result does not depend on the machine.
    assert parse_date("Mon, 1 Jan 2024 09:00:00") == 1704099600
    for bad in ("", "garbage", "Thu, 31 Dec 99999 23:59:59 +0000", "Mon, 99 Foo 2024"):
        assert parse_date(bad) is None


def test_parse_message_ids() -> None:
    assert parse_message_ids("<a@x> <b@y>\r\n <c@z>") == ("a@x", "b@y", "c@z")
    assert parse_message_ids("<a@x> comment <a@x>") == ("a@x",)
    assert parse_message_ids("bare@id.example") == ("bare@id.example",)
    assert parse_message_ids("") == ()
