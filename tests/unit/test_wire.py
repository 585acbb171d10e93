"""qtmail.imap.wire against canned server bytes: literals (RFC 3501 4.3, RFC 7888),
early refusals, capped reading and IDLE (RFC 2177), without a server."""

from __future__ import annotations

import imaplib
import io

import pytest

from qtmail.core.errors import ConnectionLost, ProtocolError
from qtmail.imap import wire
from qtmail.imap.wire import Literal, LiteralMode


class FakeImap:
    """The parts of imaplib.IMAP4 the wire uses, answering from canned bytes."""

    def __init__(self, response: bytes) -> None:
        self.file = io.BufferedReader(io.BytesIO(response))
        self.sent: list[bytes] = []
        self.tagged_commands: dict[bytes, object] = {}
        self.closed = False

    def _new_tag(self) -> bytes:
        self.tagged_commands[b"A1"] = None
        return b"A1"

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def readline(self) -> bytes:
        line = self.file.readline(imaplib._MAXLINE + 1)  # type: ignore[attr-defined]
        if len(line) > imaplib._MAXLINE:  # type: ignore[attr-defined]
            raise imaplib.IMAP4.error("got more than 1000000 bytes")
        return line

    def read(self, size: int) -> bytes:
        return self.file.read(size)

    def shutdown(self) -> None:
        self.closed = True


APPEND = [b"APPEND", b'"INBOX"', b"()"]


def test_synchronizing_literal_waits_for_the_continuation() -> None:
    imap = FakeImap(b"+ go ahead\r\nA1 OK [APPENDUID 7 9] done\r\n")
    done = wire.run(imap, [*APPEND, Literal(b"hello")], LiteralMode.SYNC)
    assert imap.sent == [b'A1 APPEND "INBOX" () {5}\r\n', b"hello", b"\r\n"]
    assert (done.status, done.text) == ("OK", b"[APPENDUID 7 9] done")
    assert imap.tagged_commands == {}  # the tag is retired


def test_refusal_before_the_literal_sends_nothing_more() -> None:
    # RFC 3501 7.5: the server may answer the command instead of "+".
    imap = FakeImap(b"A1 NO [TRYCREATE] no such mailbox\r\n")
    done = wire.run(imap, [*APPEND, Literal(b"hello")], LiteralMode.SYNC)
    assert imap.sent == [b'A1 APPEND "INBOX" () {5}\r\n']
    assert (done.status, done.text) == ("NO", b"[TRYCREATE] no such mailbox")
    assert not imap.closed


@pytest.mark.parametrize(("mode", "size", "waits"), [
    (LiteralMode.PLUS, 5000, False), (LiteralMode.MINUS, 4096, False),
    (LiteralMode.MINUS, 4097, True), (LiteralMode.SYNC, 1, True)])
def test_literal_forms(mode: LiteralMode, size: int, waits: bool) -> None:
    data = b"x" * size
    imap = FakeImap((b"+ go\r\n" if waits else b"") + b"A1 OK done\r\n")
    wire.run(imap, [*APPEND, Literal(data)], mode)
    marker = b"{%d}\r\n" % size if waits else b"{%d+}\r\n" % size
    assert b"".join(imap.sent) == b'A1 APPEND "INBOX" () ' + marker + data + b"\r\n"


def test_literal_mode_from_capabilities() -> None:
    assert LiteralMode.offered(frozenset({"LITERAL+", "LITERAL-"})) is LiteralMode.PLUS
    assert LiteralMode.offered(frozenset({"LITERAL-"})) is LiteralMode.MINUS
    assert LiteralMode.offered(frozenset()) is LiteralMode.SYNC


def test_untagged_responses_are_collected_with_their_literals() -> None:
    imap = FakeImap(b"* 3 EXPUNGE\r\n* 1 FETCH (BODY[] {3}\r\nabc)\r\n"
                    b"* OK [COPYUID 7 1 5] moved\r\nA1 OK done\r\n")
    done = wire.run(imap, [b"UID MOVE", b"1", b'"Archive"'], LiteralMode.PLUS)
    assert done.untagged == [[b"* 3 EXPUNGE\r\n"],
                             [b"* 1 FETCH (BODY[] {3}\r\n", b"abc", b")\r\n"],
                             [b"* OK [COPYUID 7 1 5] moved\r\n"]]


@pytest.mark.parametrize("response", [
    b"* BYE shutting down\r\n",  # the server leaves (RFC 3501 7.1.5)
    b"* 1 FETCH (BODY[] {100}\r\nonly part",  # gone mid-literal
    b"* 1 EXISTS\r\n",  # gone mid-response
])
def test_lost_connection_closes_the_socket(response: bytes) -> None:
    imap = FakeImap(response)
    with pytest.raises(ConnectionLost) as info:
        wire.run(imap, [b"NOOP"], LiteralMode.PLUS)
    assert imap.closed
    if b"BYE" in response:
        assert "shutting down" in str(info.value)


@pytest.mark.parametrize("response", [
    b"* OK " + b"x" * 1_100_000 + b"\r\nA1 OK done\r\n",  # RELIABILITY A.2: line cap
    b"* 1 FETCH (BODY[] {2000000}\r\n",  # literal cap, refused before buffering
    b"+ nobody asked\r\n",  # a continuation no literal asked for
])
def test_unacceptable_responses_are_protocol_errors(response: bytes) -> None:
    imap = FakeImap(response)
    with pytest.raises(ProtocolError):
        wire.run(imap, [b"NOOP"], LiteralMode.PLUS)
    assert imap.tagged_commands == {}


def test_idle_exchange() -> None:
    imap = FakeImap(b"+ idling\r\n* 4 EXISTS\r\n* 2 EXPUNGE\r\nA1 OK IDLE done\r\n")
    tag, refused = wire.idle_begin(imap)
    assert (tag, refused, imap.sent) == (b"A1", None, [b"A1 IDLE\r\n"])
    assert wire.idle_read(imap, tag) == ([b"* 4 EXISTS\r\n"], None)
    lines, done = wire.idle_done(imap, tag)
    assert imap.sent[-1] == b"DONE\r\n"
    assert (lines, done.status) == ([b"* 2 EXPUNGE\r\n"], "OK")
    assert imap.tagged_commands == {}


def test_idle_refused_and_ended_by_the_server() -> None:
    imap = FakeImap(b"A1 NO not now\r\n")
    _tag, refused = wire.idle_begin(imap)
    assert refused is not None and refused.status == "NO"
    imap = FakeImap(b"+ idling\r\nA1 OK timed out\r\n")
    tag, _ = wire.idle_begin(imap)
    lines, done = wire.idle_read(imap, tag)
    assert lines == [] and done is not None and done.status == "OK"
