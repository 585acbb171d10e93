"""Modified UTF-7 (RFC 3501 5.1.3) and the command log: pure functions, no server."""

from __future__ import annotations

import pytest

from qtmail.imap import utf7
from qtmail.imap.commandlog import describe
from qtmail.imap.idle import is_change


@pytest.mark.parametrize(("text", "wire"), [
    ("INBOX", b"INBOX"), ("Entwürfe", b"Entw&APw-rfe"), ("日本語", b"&ZeVnLIqe-"),
    ("A&B", b"A&-B"), ("~peter/mail/台北/日本語", b"~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
    ("😀", b"&2D3eAA-")])
def test_round_trip(text: str, wire: bytes) -> None:
    assert utf7.encode(text) == wire
    assert utf7.decode(wire) == text


@pytest.mark.parametrize("wire", [b"&Jjo", b"&AGEAYgBj-", b"&2D3-", b"a\xffb", b"&A-",
                                  b"&Jjo!-", b"tab\there"])
def test_invalid_names_raise(wire: bytes) -> None:
    with pytest.raises(utf7.Utf7Error):
        utf7.decode(wire)


def test_decode_name_falls_back() -> None:
    assert utf7.decode_name(b"Entw&APw-rfe") == ("Entwürfe", True)
    assert utf7.decode_name("Entwürfe".encode()) == ("Entwürfe", False)
    assert utf7.decode_name(b"X\xff\\Y") == ("X\\xff\\x5cY", False)


@pytest.mark.parametrize(("line", "expected"), [
    (b"A1 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 5 VANISHED)\r\n",
     "UID FETCH (CHANGEDSINCE VANISHED)"),
    (b"A2 UID FETCH 1:9 (UID FLAGS)\r\n", "UID FETCH"),
    (b"A3 UID SEARCH RETURN (ALL) SINCE 1-Jan-2024\r\n", "UID SEARCH RETURN"),
    (b'A4 LOGIN alice "secret"\r\n', "LOGIN"),
    (b'A5 SELECT "Private (2024)" (CONDSTORE)\r\n', "SELECT")])
def test_command_log_never_records_arguments(line: bytes, expected: str) -> None:
    assert describe(line) == expected


@pytest.mark.parametrize(("line", "changed"), [
    (b"* 4 EXISTS", True), (b"* 2 EXPUNGE", True), (b"* 3 FETCH (FLAGS (\\Seen))", True),
    (b"* VANISHED 5:7", True), (b"* OK Still here", False), (b"* 1 RECENT", False),
    (b"A3 OK done", False)])
def test_idle_change_lines(line: bytes, changed: bool) -> None:
    assert is_change(line) is changed
