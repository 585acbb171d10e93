"""ManageSieve response syntax (RFC 5804 4) over a socket pair: strings, literals,
response codes, caps on what a server may make us read."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from qtmail.core.errors import ConnectionLost, ProtocolError
from qtmail.sieve import wire
from qtmail.sieve.errors import ScriptProblem, problems_of
from qtmail.sieve.wire import Atom, Wire


@pytest.fixture
def pair() -> Iterator[tuple[Wire, socket.socket]]:
    ours, theirs = socket.socketpair()
    ours.settimeout(2)
    reader = Wire(ours, "server.example")
    yield reader, theirs
    reader.close()
    theirs.close()


def test_capabilities_literal_and_codes(pair: tuple[Wire, socket.socket]) -> None:
    reader, server = pair
    server.sendall(b'"SIEVE" "fileinto vacation"\r\n"STARTTLS"\r\n{12}\r\nline1\r\nline2 "x"\r\n'
                   b'NO (QUOTA/MAXSIZE) "too \\"big\\" \\\\ here"\r\n')
    response = reader.read_response()
    assert response.lines == [["SIEVE", "fileinto vacation"], ["STARTTLS"],
                              ["line1\r\nline2", "x"]]
    assert (response.status, response.code, response.text) == (
        "NO", "QUOTA/MAXSIZE", 'too "big" \\ here')


def test_listscripts_active_marker_and_utf8(pair: tuple[Wire, socket.socket]) -> None:
    reader, server = pair
    server.sendall('"Regeln für Post" ACTIVE\r\n"other"\r\nOK\r\n'.encode())
    response = reader.read_response()
    assert response.lines == [["Regeln für Post", Atom("ACTIVE")], ["other"]]
    assert response.ok


def test_sasl_code_with_argument(pair: tuple[Wire, socket.socket]) -> None:
    reader, server = pair
    server.sendall(b'OK (SASL "dGVzdA==") "Logged in."\r\n')
    response = reader.read_response()
    assert (response.code, response.code_args, response.text) == ("SASL", ("dGVzdA==",),
                                                                  "Logged in.")


def test_oversized_literal_is_refused_without_reading_it(
        pair: tuple[Wire, socket.socket]) -> None:
    reader, server = pair
    server.sendall(b"{%d}\r\n" % (wire.MAX_LITERAL + 1))
    with pytest.raises(ProtocolError):
        reader.read_response()


def test_endless_line_is_refused(pair: tuple[Wire, socket.socket],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    reader, server = pair
    monkeypatch.setattr(wire, "MAX_LINE", 100)
    server.sendall(b'"' + b"a" * 200 + b'"\r\n')
    with pytest.raises(ProtocolError):
        reader.read_response()


def test_silence_is_a_lost_connection(pair: tuple[Wire, socket.socket]) -> None:
    reader, _server = pair
    reader.sock.settimeout(0.2)
    with pytest.raises(ConnectionLost):
        reader.read_response()


def test_quote_uses_a_literal_for_line_ends() -> None:
    assert wire.quote('a "b"') == b'"a \\"b\\""'
    assert wire.quote("a\r\nb") == b"{4+}\r\na\r\nb"


def test_pigeonhole_errors_by_line() -> None:
    text = ("line 2: error: unknown command 'fileinot'.\r\n"
            "line 5: error: expected end of command ';'.\r\nerror: validation failed.")
    assert problems_of(text) == (ScriptProblem(2, "unknown command 'fileinot'."),
                                 ScriptProblem(5, "expected end of command ';'."))
