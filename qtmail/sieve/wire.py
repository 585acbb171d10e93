"""ManageSieve's response syntax (RFC 5804 section 4): lines, strings and literals.

Every read is capped (RELIABILITY: a hostile or broken server cannot make us buffer
without end): a line at ``MAX_LINE`` bytes, a literal at ``MAX_LITERAL``.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from typing import BinaryIO

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost, ProtocolError, Sentence

MAX_LINE = 64 * 1024
MAX_LITERAL = 4 * 1024 * 1024
"""Scripts are small (Dovecot's default quota is 1 MB); anything bigger is refused."""

_LITERAL_END = re.compile(rb"\{(\d{1,10})\+?\}\r?\n$")
_ATOM = re.compile(rb"[A-Za-z0-9\-/.+_;:=]+")


@dataclass(frozen=True, slots=True)
class Atom:
    """An unquoted word: OK, NO, BYE, ACTIVE, a response code's name."""

    value: str


Token = Atom | str | tuple["Token", ...]
"""An atom, a string (quoted or literal, decoded as UTF-8), or a parenthesised group."""


@dataclass(slots=True)
class Response:
    """The data lines of a reply and its final OK/NO/BYE line."""

    status: str
    code: str = ""
    """The response code's name, upper-case (QUOTA/MAXSIZE, NONEXISTENT, SASL...)."""
    code_args: tuple[str, ...] = ()
    text: str = ""
    lines: list[list[Token]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "OK"


def quote(value: str) -> bytes:
    """A string argument: quoted when short and plain, else a non-synchronising literal.

    RFC 5804 4: quoted strings may not hold CR, LF or NUL; literals carry anything.
    ``{n+}`` is always allowed from client to server (no continuation wait).
    """
    raw = value.encode("utf-8")
    if len(raw) < 1024 and not any(b in raw for b in b"\r\n\0"):
        return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    return b"{%d+}\r\n" % len(raw) + raw


def _lost(host: str, exc: BaseException | None = None) -> ConnectionLost:
    return ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The connection to the filter server {host} was lost."), host=host),
                          detail=repr(exc) if exc else "connection closed")


def _garbled(host: str, detail: str) -> ProtocolError:
    return ProtocolError(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The filter server {host} sent a reply qtmail cannot read."), host=host),
                         detail=detail[:300])


class Wire:
    """Reads tokens from, and writes commands to, one socket. Not thread-safe."""

    def __init__(self, sock: socket.socket, host: str) -> None:
        self.sock = sock
        self.host = host
        self._file: BinaryIO = sock.makefile("rb")

    def rebind(self, sock: socket.socket) -> None:
        """After STARTTLS: read from the TLS socket; nothing buffered before it survives."""
        self._file.close()
        self.sock = sock
        self._file = sock.makefile("rb")

    def close(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass  # closing a TLS file over a dead socket may complain; it is gone either way
        finally:
            self.sock.close()

    def _lost(self, exc: BaseException | None = None) -> ConnectionLost:
        """A dead connection is closed at once: nothing more can be read from it."""
        self.close()
        return _lost(self.host, exc)

    def send(self, *parts: bytes) -> None:
        try:
            self.sock.sendall(b" ".join(parts) + b"\r\n")
        except OSError as exc:
            raise self._lost(exc) from exc

    # -- reading -------------------------------------------------------------------
    def _readline(self) -> bytes:
        try:
            line = self._file.readline(MAX_LINE + 1)
        except OSError as exc:  # timeouts included (socket.timeout is an OSError)
            raise self._lost(exc) from exc
        if not line:
            raise self._lost()
        if len(line) > MAX_LINE or not line.endswith(b"\n"):
            raise _garbled(self.host, f"line over {MAX_LINE} bytes")
        return line

    def _read_exact(self, size: int) -> bytes:
        if size > MAX_LITERAL:
            raise _garbled(self.host, f"literal of {size} bytes")
        try:
            data = self._file.read(size)
        except OSError as exc:
            raise self._lost(exc) from exc
        if len(data) < size:
            raise self._lost()
        return data

    def read_line(self) -> list[Token]:
        """One logical line: literals are read in place and the line continues after them."""
        buffer = b""
        literals: list[bytes] = []
        while True:
            line = self._readline()
            if b"\0" in line:  # RFC 5804 4: no NUL outside literals; we use it as a marker
                raise _garbled(self.host, "NUL in a line")
            match = _LITERAL_END.search(line)
            if not match:
                buffer += line
                break
            literals.append(self._read_exact(int(match.group(1))))
            # A marker the tokenizer swaps for the literal's bytes.
            buffer += line[:match.start()] + b"\0%d\0" % (len(literals) - 1)
        return self._tokens(buffer.rstrip(b"\r\n"), literals)

    def _tokens(self, data: bytes, literals: list[bytes]) -> list[Token]:
        stack: list[list[Token]] = [[]]
        i = 0
        while i < len(data):
            ch = data[i:i + 1]
            if ch == b" ":
                i += 1
            elif ch == b"(":
                stack.append([])
                i += 1
            elif ch == b")":
                if len(stack) == 1:
                    raise _garbled(self.host, repr(data))
                group = tuple(stack.pop())
                stack[-1].append(group)
                i += 1
            elif ch == b'"':
                i, text = self._quoted(data, i + 1)
                stack[-1].append(text)
            elif ch == b"\0":
                end = data.index(b"\0", i + 1)
                stack[-1].append(literals[int(data[i + 1:end])].decode("utf-8", "replace"))
                i = end + 1
            else:
                match = _ATOM.match(data, i)
                if not match:
                    raise _garbled(self.host, repr(data))
                stack[-1].append(Atom(match.group().decode("ascii")))
                i = match.end()
        if len(stack) != 1:
            raise _garbled(self.host, repr(data))
        return stack[0]

    def _quoted(self, data: bytes, i: int) -> tuple[int, str]:
        out = bytearray()
        while i < len(data):
            byte = data[i]
            if byte == 0x5C and i + 1 < len(data):  # backslash escapes \ and "
                out.append(data[i + 1])
                i += 2
            elif byte == 0x22:
                return i + 1, out.decode("utf-8", "replace")
            else:
                out.append(byte)
                i += 1
        raise _garbled(self.host, "unterminated string")

    def read_response(self) -> Response:
        """Data lines up to and including the OK/NO/BYE line (RFC 5804 4)."""
        lines: list[list[Token]] = []
        while True:
            tokens = self.read_line()
            if tokens and isinstance(tokens[0], Atom) and tokens[0].value.upper() in (
                    "OK", "NO", "BYE"):
                return status_of(tokens, lines)
            lines.append(tokens)


def status_of(tokens: list[Token], lines: list[list[Token]]) -> Response:
    """Split ``OK/NO/BYE [(CODE args)] ["text"]`` into its parts."""
    assert isinstance(tokens[0], Atom)
    response = Response(status=tokens[0].value.upper(), lines=lines)
    for token in tokens[1:]:
        if isinstance(token, tuple) and token:
            head = token[0]
            response.code = (head.value if isinstance(head, Atom) else str(head)).upper()
            response.code_args = tuple(
                t.value if isinstance(t, Atom) else str(t) for t in token[1:])
        elif isinstance(token, str):
            response.text = token
    return response
