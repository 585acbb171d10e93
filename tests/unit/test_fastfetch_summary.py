"""summary.py fast paths agree with the general parsers in qtmail.mime.headers."""

from __future__ import annotations

import calendar
import random
import re

import pytest

from qtmail.core.types import Address
from qtmail.imap import summary
from qtmail.mime import headers

ADDRESS_VALUES = [
    "a@b.c",
    "Jane Doe <jane@example.org>",
    '"Doe, Jane" <jane@example.org>',
    "  Jane  <jane@example.org>  ",
    "a@b.c, Jane Doe <jane@example.org>, \"X, Y\" <x@y.z>",
    "=?utf-8?q?J=C3=B6rg?= <j@x.org>",
    '"=?utf-8?b?SsO2cmc=?=" <j@x.org>',
    "jane@example.org (Jane Doe)",
    "undisclosed-recipients:;",
    "Team: a@b.c, d@e.f;",
    '"Esc \\" aped" <e@x.org>',
    "a@b.c,",
    "<bare@angle.org>",
]


@pytest.mark.parametrize("value", ADDRESS_VALUES)
def test_address_fast_path_matches_headers(value: str) -> None:
    assert summary.parse_address_list(value.encode()) == headers.parse_addresses(value)


def test_address_non_ascii_raw_and_mailsploit() -> None:
    assert summary.parse_address_list("Jörg <j@x.org>".encode()) == (Address("Jörg", "j@x.org"),)
    evil = (b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
            b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com")
    parsed = summary.parse_address_list(evil)
    assert all(a.addr != "potus@whitehouse.gov" for a in parsed)


DATES = [
    "Tue, 17 Jul 1996 02:44:25 -0700",
    "17 Jul 1996 02:44:25 +0000",
    "Tue,  7 Jul 1996 02:44 +0530",
    "Tue, 17 Jul 1996 02:44:25 GMT",
    "Tue, 17 Jul 1996 02:44:25 -0700 (PDT)",
    "Tue, 17 Jul 96 02:44:25 -0700",
    "Tue, 31 Feb 2020 02:44:25 -0700",
    "Tue, 17 Jul 1996 02:44:25 EST",
    "2020-01-02T03:04:05Z",
    "garbage",
    "",
]


@pytest.mark.parametrize("value", DATES)
def test_date_fast_path_matches_headers(value: str) -> None:
    assert summary.parse_date_header(value) == headers.parse_date(value)


RAW_DATES = [
    *DATES,
    "Wed, 6 Dec 2023 21:03:29 +0000",
    "Wed, 6 Dec 2023 21:03:29 -0000",
    "Wed, 6 Dec 2023 21:03:29 +1400",
    "Wed, 6 Dec 2023 21:03:29 -1200",
    "Wed, 6 Dec 2023 21:03:29 +0530 (IST)",
    "Wed, 6 Dec 2023 23:59:59 -0930",
    "Wed, 6  Dec   2023 1:03 UT",
    "Wed, 6 Dec 2023 21:03:29 UTC",
    "Wed, 6 Dec 2023 21:03:29 Z",
    "wed, 06 dec 2023 21:03:29 +0100",
    "6 DEC 2023 00:00:00 +0000",
    "  Thu, 1 Jan 1970 00:00:00 +0000  ",
    "Fri, 29 Feb 2023 10:00:00 +0000",
    "Fri, 29 Feb 2024 10:00:00 +0000",
    "Fri, 32 Jan 2024 10:00:00 +0000",
    "Fri, 1 Foo 2024 10:00:00 +0000",
    "Fri, 1 Jan 2024 10:00:00 +00",
    "Fri, 1 Jan 2024 10:00:00 +0000 trailing",
]


def test_raw_date_fast_path_matches_headers() -> None:
    # Twice, in another order the second time: the cached midnight of a (day, zone)
    # must give what a first parse gives, for every time and zone of that day.
    summary._raw_midnights.clear()
    for value in [*RAW_DATES, *reversed(RAW_DATES)]:
        assert summary.date_from_raw(value.encode()) == headers.parse_date(value), value


def _reference_fields(block: bytes) -> dict[bytes, bytes]:
    """The header split as first written (backtracking pattern, one field at a time)."""
    plain = re.compile(rb"^([^:\s]+)[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)", re.MULTILINE)
    fields: dict[bytes, bytes] = {}
    for name, value in plain.findall(block):
        key = name.lower()
        if key not in fields:
            lines = value.strip().split(b"\n")
            fields[key] = b"".join(line.rstrip(b"\r") for line in lines)
    return fields


@pytest.mark.parametrize("block", [
    b"",
    b"\r\n",
    b"Subject: a\r\n\r\n",
    b"Subject:a\nFrom:b\n",
    b"Subject \t : spaced name\r\n",
    b"Bad Name: no\r\nSubject: yes\r\n",
    b"no colon here\r\n continued\r\nSubject: after\r\n",
    b" leading: space\r\nSubject: s\r\n",
    b"Subject: lone\rcr inside\r\n",
    b"Subject: folded\r\n\tonce\r\n  and twice  \r\nTo: t\r\n",
    b"Subject: trailing ws \x0b\x0c\r\n",
    b"Subject\x0b: vertical tab before the colon\r\n",
    b"SUBJECT: upper\r\nsubject: lower\r\n",
    b"Subject: \r\n\r\n",
    b"Subject:\r\n continued only\r\n",
    b"X-\xff\xfe: 8-bit name\r\nSubject: \xe4\xf6\r\n",
    b"Subject: no final newline",
    b":empty name\r\nSubject: s\r\n",
    b"Subject: a:b:c\r\n",
])
def test_header_fields_match_the_plain_split(block: bytes) -> None:
    assert summary.header_slots(block) == _reference_slots(block)
    assert summary._header_fields_general(block) == _reference_fields(block)


def _reference_slots(block: bytes) -> list[bytes | None]:
    """What header_values takes from the reference split, in SUMMARY_FIELDS order."""
    fields = _reference_fields(block)
    return [fields.get(name.lower().encode()) for name in summary.SUMMARY_FIELDS]


def test_header_slots_keep_the_first_of_each_field_in_summary_fields_order() -> None:
    block = (b"Subject: first\r\nFROM: a@b\r\nsubject: second\r\nCC: c@d\r\n"
             b"Message-Id: <m@x>\r\nX-Other: o\r\n\r\n")
    assert summary.header_slots(block) == [
        None, b"a@b", None, b"c@d", b"first", b"<m@x>", None, None, None]
    assert summary.header_slots(block.replace(b"X-Other: o\r\n", b"")) == [
        None, b"a@b", None, b"c@d", b"first", b"<m@x>", None, None, None]


_PIECES = [b"Subject", b"SUBJECT", b"subject", b"Message-ID", b"Message-Id", b"CC", b"Cc",
           b"From", b"X-Other", b"Bad Name", b"To", b":", b": ", b" : ", b"\t", b" ", b"\r",
           b"\n", b"\r\n", b"\r\n ", b"\r\n\t", b"\n ", b"\r\r\n", b"\x0b", b"\x0c",
           b"value", b"<id@x>", b"a:b", b"\xe4", b"=?utf-8?q?x?="]


def test_header_fields_quick_split_matches_the_pattern_on_random_blocks() -> None:
    """The line-by-line split takes only blocks it reads as the pattern does: thousands
    of blocks made of the pieces that make header splitting go wrong."""
    rng = random.Random(18)
    for _ in range(20_000):
        block = b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.5:
            block = b"Subject: s\r\n" + block + b"\r\n\r\n"
        assert summary.header_slots(block) == _reference_slots(block), block


@pytest.mark.parametrize("value", [
    b"17-Jul-1996 02:44:25 -0700", b" 7-Jan-2024 00:00:00 +0000", b"29-Feb-2024 23:59:59 +1400",
    b"01-Jan-1970 00:00:00 +0000", b"31-Dec-1969 23:59:59 -0000", b"30-Feb-2024 09:08:07 +0000"])
def test_internaldate_from_parts_is_the_reference_parse(value: bytes) -> None:
    date, clock, zone = value.rsplit(b" ", 2) if value[:1] != b" " else (
        value[:11], value[12:20], value[21:])
    hh, mm, ss = clock.split(b":")
    assert summary.internaldate_from_parts(date, hh, mm, ss, zone) == \
        summary.parse_internaldate(value.decode())


def test_unfold_matches_the_pattern_on_random_blocks() -> None:
    """The bytes.replace() unfolding takes only blocks it unfolds as the pattern does:
    line ends of every kind (CRLF, bare LF, CR runs, lone CR) before spaces and tabs."""
    pieces = [b"a", b":", b" ", b"\t", b"\r", b"\n", b"\r\n", b"\r\r\n", b"\n ", b"\r\n ",
              b"\r\n\t", b"\r\n \t", b"\r\n\r\n "]
    rng = random.Random(2822)
    for _ in range(20_000):
        block = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert summary._unfold(block) == summary._UNFOLD.sub(b"", block), block


@pytest.mark.parametrize("value", [
    "17-Jul-1996 02:44:25 -0700", " 7-Jan-2024 00:00:00 +0000", "7-Jan-2024 00:00:00 +0000",
    "29-Feb-2024 23:59:59 +1400", "01-dec-1970 00:00:00 -0000"])
def test_internaldate(value: str) -> None:
    import email.utils

    parts = email.utils.parsedate_tz(value.strip().replace("-", " ", 2))
    assert parts is not None
    expected = calendar.timegm((*parts[:6], 0, 1, -1)) - (parts[9] or 0)
    assert summary.parse_internaldate(value) == expected


def test_internaldate_nonsense_is_zero() -> None:
    assert summary.parse_internaldate("yesterday") == 0
    assert summary.parse_internaldate("31-Foo-2020 00:00:00 +0000") == 0


def test_header_block_unfold_first_wins_and_control_characters() -> None:
    block = (b"Subject: first\r\n\tcontinued\r\nSubject: second\r\nX-Other: no\r\n"
             b"From: A <a@b.c>\r\nFrom: Evil <evil@x.org>\r\n"
             b"To: =?utf-8?q?Bad=0ACR=1B?= <t@x.org>\r\n"
             b"Message-ID: <id1@x>\r\nIn-Reply-To: <p1@x> <p2@x>\r\n"
             b"References: <r1@x>\r\n <r2@x> <r1@x>\r\nContent-Type: text/plain\r\n\r\n")
    s = summary.build_summary(5, frozenset({"\\Seen"}), 100, 10, block, 3)
    assert s.subject == "first\tcontinued".replace("\t", " ")
    assert s.sender == Address("A", "a@b.c")
    assert s.to == (Address("BadCR", "t@x.org"),)
    assert s.message_id == "id1@x"
    assert s.in_reply_to == "p1@x"
    assert s.references == ("r1@x", "r2@x")
    assert not s.has_attachment
    assert (s.uid, s.internaldate, s.size, s.modseq) == (5, 100, 10, 3)


def test_subject_decoding_and_raw_8bit() -> None:
    block = b"Subject: =?UTF-8?B?w5xuw69jb2RlIOKckw==?= ok\r\n\r\n"
    assert summary.build_summary(1, frozenset(), 0, 0, block).subject == "Ünïcode ✓ ok"
    raw = "Subject: Grüße\x00\r\n\r\n".encode()
    assert summary.build_summary(1, frozenset(), 0, 0, raw).subject == "Grüße"
    latin = "Subject: Grüße\r\n\r\n".encode("latin-1")
    assert summary.build_summary(1, frozenset(), 0, 0, latin).subject == "Grüße"


@pytest.mark.parametrize(("content_type", "expected"), [
    (b"multipart/mixed; boundary=x", True),
    (b"Multipart/Mixed", True),
    (b"application/pdf; name=a.pdf", True),
    (b"image/png", True),
    (b"multipart/alternative; boundary=x", False),
    (b"multipart/related; boundary=x", False),
    (b"multipart/signed; protocol=x", False),
    (b"text/plain; charset=utf-8", False),
])
def test_has_attachment_heuristic(content_type: bytes, expected: bool) -> None:
    block = b"Content-Type: " + content_type + b"\r\n\r\n"
    assert summary.build_summary(1, frozenset(), 0, 0, block).has_attachment is expected


def test_empty_block() -> None:
    s = summary.build_summary(1, frozenset(), 0, 0, None)
    assert (s.subject, s.sender, s.date, s.to, s.references) == ("", Address("", ""), None,
                                                                 (), ())


@pytest.mark.parametrize("code", range(128))
def test_ascii_controls_take_the_cleaning_path(code: int) -> None:
    # _text and _message_ids test printability with str.isprintable(): for ASCII, the
    # same characters as the C0/DEL class that headers.clean_text strips.
    raw = b" a" + bytes([code]) + b"b "
    text = raw.decode("ascii")
    cleaned = headers.clean_text(text) if summary._CONTROLS.search(text) else text.strip()
    assert summary.header_text(raw) == cleaned
    ids = b"<a" + bytes([code]) + b"b@x>"
    value = ids.decode("ascii")
    expected = (headers.parse_message_ids(value) if summary._CONTROLS.search(value)
                or len(summary._IDS.findall(value)) != value.count("<")
                else tuple(summary._IDS.findall(value)))
    assert summary.message_ids(ids) == expected
