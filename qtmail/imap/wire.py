"""The one owner of an IMAP connection's bytes: tags, literals and capped reading.

Every command qtmail writes itself -- the bulk FETCH/SEARCH of ``qtmail.imap.fastfetch``,
the write commands of ``qtmail.imap.writecmd`` and IDLE -- goes through here, on the
``imaplib.IMAP4`` object that ``ImapSession`` wraps. Tags come from imaplib's own
counter (``new_tag``), so commands imapclient still sends (LOGIN, SELECT, ...) never
collide with ours; ``finish`` retires a tag once we have read its completion.

Reading is capped (RELIABILITY A.1-A.3): a response line over ``MAX_LINE`` bytes or a
literal over its cap is refused with ``ProtocolError``; a dropped or silent connection is
``ConnectionLost``. In both cases the socket is shut down first, since the stream
position is unknown afterwards. Literals we send follow RFC 3501 4.3 (synchronizing:
wait for ``+``) or RFC 7888 (LITERAL+ for any size, LITERAL- up to 4096 bytes: no wait).
"""

from __future__ import annotations

import imaplib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import Protocol

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost, ProtocolError, ServerError
from qtmail.imap.errors import response_code, said

log = logging.getLogger(__name__)

MAX_LINE = 1_000_000
"""RELIABILITY A.2: a longer response line is refused."""
MAX_HEADER_LITERAL = 1_000_000
"""Cap on any literal other than a body (a header block): like a line, A.2's bound."""

OVERSIZED = QT_TRANSLATE_NOOP("Errors", "The server sent an oversized response.")
LOST = QT_TRANSLATE_NOOP("Errors", "The connection to the server was lost.")
UNEXPECTED = QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response.")
CLOSED = QT_TRANSLATE_NOOP("Errors", "The server closed the connection.")

LITERAL_MINUS_MAX = 4096
"""RFC 7888 5: with LITERAL- only literals up to 4096 bytes may be non-synchronizing."""


class RawImap(Protocol):
    """What this module uses of ``imaplib.IMAP4`` (tests pass a fake)."""

    def send(self, data: bytes) -> None: ...
    def readline(self) -> bytes: ...
    def read(self, size: int) -> bytes: ...
    def shutdown(self) -> None: ...


def abandon(imap: RawImap) -> None:
    """Close the socket: after a partial read the stream cannot be resynchronised."""
    try:
        imap.shutdown()
    except (OSError, ValueError):
        log.debug("shutdown after a broken response failed", exc_info=True)


def new_tag(imap: RawImap) -> bytes:
    """The next tag of imaplib's counter, registered in its ``tagged_commands``."""
    tag: bytes = getattr(imap, "_new_tag")()  # noqa: B009 - private in typeshed
    return tag


def send(imap: RawImap, command: bytes) -> bytes:
    """Send one tagged command line without literals; its tag."""
    tag = new_tag(imap)
    try:
        imap.send(tag + b" " + command + b"\r\n")
    except (OSError, ValueError) as exc:
        abandon(imap)
        raise ConnectionLost(LOST, detail=f"send failed: {exc}") from exc
    return tag


def finish(imap: RawImap, tag: bytes) -> None:
    # imaplib registered the tag in new_tag(); its own reader never sees our completion.
    commands = getattr(imap, "tagged_commands", None)
    if isinstance(commands, dict):
        commands.pop(tag, None)


def responses(imap: RawImap, tag: bytes, *, literal_limit: int = MAX_HEADER_LITERAL,
              literal_error: str = OVERSIZED,
              max_line: int = MAX_LINE) -> Iterator[list[bytes]]:
    """Yield each untagged response as [text, literal, text, literal, ..., text].

    Ends at the tagged completion: OK returns, NO/BAD raise ServerError (RFC 3501 7.1).
    Each text part keeps its CRLF; a text part that ends in ``{n}\\r\\n`` is followed
    by the n-byte literal (RFC 3501 4.3).
    """
    readline = imap.readline
    read = imap.read
    tagged = tag + b" "
    with reading(imap, tag):
        while True:
            line = checked_line(readline, max_line)
            if line.startswith(b"* "):
                if not line.endswith(b"}\r\n"):
                    yield [line]
                    continue
                yield with_literals(line, readline, read, literal_limit, literal_error,
                                    max_line)
            else:
                end_of_command(line, tagged)
                return


@contextmanager
def reading(imap: RawImap, tag: bytes | None) -> Iterator[None]:
    """Read errors as ConnectionLost (the socket closed first); the tag (if any) retired
    after."""
    try:
        yield
    except (ConnectionLost, ServerError):
        raise
    except TimeoutError as exc:
        abandon(imap)
        raise ConnectionLost(QT_TRANSLATE_NOOP(
            "Errors", "The server stopped answering."), detail=str(exc)) from exc
    except (OSError, ValueError) as exc:  # ValueError: read on a closed file
        abandon(imap)
        raise ConnectionLost(LOST, detail=str(exc)) from exc
    finally:
        if tag is not None:
            finish(imap, tag)


def read_line(readline: Callable[[], bytes]) -> bytes:
    try:
        return readline()
    except imaplib.IMAP4.error as exc:  # imaplib's own _MAXLINE guard
        raise ProtocolError(OVERSIZED, detail=str(exc)) from exc


def checked_line(readline: Callable[[], bytes], max_line: int) -> bytes:
    return check_line(read_line(readline), max_line)


def check_line(line: bytes, max_line: int) -> bytes:
    if len(line) > max_line:
        raise ProtocolError(OVERSIZED, detail=f"line of {len(line)} bytes")
    if not line.endswith(b"\n"):
        raise ConnectionLost(LOST, detail="connection closed mid-response")
    return line


def with_literals(line: bytes, readline: Callable[[], bytes], read: Callable[[int], bytes],
                  literal_limit: int, literal_error: str, max_line: int) -> list[bytes]:
    """The rest of a response whose first line ``line`` announces a literal."""
    parts = [line]
    while line.endswith(b"}\r\n"):
        size = literal_size(line)
        if size is None:
            break
        if size > literal_limit:
            raise ProtocolError(literal_error, detail=f"literal of {size} bytes")
        data = read(size) if size else b""
        if len(data) != size:
            raise ConnectionLost(LOST, detail="connection closed mid-literal")
        line = checked_line(readline, max_line)
        parts.append(data)
        parts.append(line)
    return parts


def end_of_command(line: bytes, tagged: bytes) -> None:
    """A line that is not an untagged response: our tagged completion, or an error."""
    if line.startswith(tagged):
        check_tagged(line[len(tagged):])
    elif line.startswith(b"+"):
        # No command here sends a literal or IDLE: a continuation is nonsense.
        raise ProtocolError(UNEXPECTED, detail=f"continuation: {line[:200]!r}")
    else:
        raise ProtocolError(UNEXPECTED, detail=f"{line[:200]!r}")


@contextmanager
def drop_on_loss(imap: RawImap) -> Iterator[None]:
    """A ConnectionLost/ProtocolError mid-response leaves the stream unusable: close it."""
    try:
        yield
    except ConnectionLost:
        abandon(imap)
        raise


_LITERAL_AT_END = re.compile(rb"\{(\d{1,12})\+?\}\r\n\Z")


def literal_size(line: bytes) -> int | None:
    match = _LITERAL_AT_END.search(line, max(0, len(line) - 20))
    return int(match.group(1)) if match else None


def check_tagged(rest: bytes) -> None:
    """A tagged completion's text after the tag: OK returns, NO/BAD raise ServerError."""
    status = rest[:3].upper()
    if status == b"OK " or rest.rstrip().upper() == b"OK":
        return
    text = rest.decode("utf-8", errors="replace").strip()
    if status in (b"NO ", b"BAD"):
        server = text.split(None, 1)[1] if " " in text else ""
        raise ServerError(QT_TRANSLATE_NOOP("Errors", "The server refused the request.")
                          + said(server), server_text=server, code=response_code(server),
                          detail=text)
    raise ProtocolError(UNEXPECTED, detail=text)


def fast_io(imap: RawImap) -> tuple[Callable[[], bytes], Callable[[int], bytes]]:
    """imaplib's readline and read without their Python frames: the buffered socket
    file's own, with the same line cap (a longer line is then refused by the MAX_LINE
    check)."""
    file = getattr(imap, "file", None)
    if isinstance(imap, imaplib.IMAP4) and file is not None \
            and type(imap).readline is imaplib.IMAP4.readline \
            and type(imap).read is imaplib.IMAP4.read:
        return partial(file.readline, MAX_LINE + 1), file.read
    return imap.readline, imap.read


def closed_by_server(line: bytes) -> ConnectionLost:
    """The error for an untagged ``* BYE text`` (RFC 3501 7.1.5): the server is leaving."""
    text = line[5:].decode("utf-8", errors="replace").strip()
    return ConnectionLost(CLOSED + said(text), detail=text)


# --- commands with literals (the write commands) ------------------------------------------


class Literal(bytes):
    """An argument sent as a literal ``{n}`` (RFC 3501 4.3), e.g. a message for APPEND."""


class LiteralMode(Enum):
    """How literals go out: RFC 3501 4.3 synchronizing, or RFC 7888 non-synchronizing."""

    SYNC = "sync"
    """Send ``{n}``, wait for the server's ``+``, then the bytes."""
    PLUS = "LITERAL+"
    """``{n+}`` and the bytes at once, any size."""
    MINUS = "LITERAL-"
    """``{n+}`` up to LITERAL_MINUS_MAX bytes, synchronizing above."""

    @classmethod
    def offered(cls, capabilities: frozenset[str]) -> LiteralMode:
        if "LITERAL+" in capabilities:
            return cls.PLUS
        return cls.MINUS if "LITERAL-" in capabilities else cls.SYNC

    def waits(self, size: int) -> bool:
        """Whether a literal of ``size`` bytes waits for the continuation."""
        return self is LiteralMode.SYNC or (self is LiteralMode.MINUS
                                            and size > LITERAL_MINUS_MAX)


@dataclass(frozen=True)
class Completion:
    """What one command brought back: its tagged status and every untagged response."""

    status: str
    """OK, NO or BAD (upper case)."""
    text: bytes
    """The tagged line after the status, CRLF removed (``[CODE ...] human text``)."""
    untagged: list[list[bytes]] = field(default_factory=list)
    """Untagged responses in arrival order, each as [text, literal, ..., text]."""


def run(imap: RawImap, args: Sequence[bytes], literals: LiteralMode) -> Completion:
    """Send ``args`` (space-separated; a ``Literal`` as a literal) as one tagged command
    and read to its completion. A NO/BAD is returned, not raised (the caller knows what
    it means); a refusal before a synchronizing literal (RFC 3501 7.5, e.g. TRYCREATE)
    ends the command there. A ``* BYE``, a lost or silent connection is ConnectionLost
    and an oversized response ProtocolError, the socket shut down first."""
    tag = new_tag(imap)
    untagged: list[list[bytes]] = []
    with drop_on_loss(imap), reading(imap, tag):
        line = tag
        for arg in args:
            if not isinstance(arg, Literal):
                line += b" " + arg
                continue
            if not literals.waits(len(arg)):
                imap.send(line + b" {%d+}\r\n" % len(arg) + arg)
            else:
                imap.send(line + b" {%d}\r\n" % len(arg))
                early = _read_until(imap, tag, untagged, continuation=True)
                if early is not None:
                    return early
                imap.send(bytes(arg))
            line = b""
        imap.send(line + b"\r\n")
        done = _read_until(imap, tag, untagged, continuation=False)
        assert done is not None
        return done


def _read_until(imap: RawImap, tag: bytes, untagged: list[list[bytes]], *,
                continuation: bool) -> Completion | None:
    """Collect untagged responses up to the tagged completion (returned) or, when
    ``continuation``, up to a ``+`` (None: go on, e.g. send the literal now)."""
    while True:
        done = _read_one(imap, tag, untagged, continuation=continuation)
        if done is _GO_ON:
            return None
        if done is not None:
            return done


# --- IDLE (RFC 2177): a command that stays open until DONE -----------------------------------


def idle_begin(imap: RawImap) -> tuple[bytes, Completion | None]:
    """Send ``IDLE``; (tag, None) once the server's ``+`` says it idles, (tag, the
    completion) when it answered with a tagged response instead (a refusal)."""
    tag = new_tag(imap)
    with drop_on_loss(imap), reading(imap, None):
        imap.send(tag + b" IDLE\r\n")
        done = _read_until(imap, tag, [], continuation=True)
    if done is not None:
        finish(imap, tag)
    return tag, done


def idle_read(imap: RawImap, tag: bytes) -> tuple[list[bytes], Completion | None]:
    """One response while idling: ([its first line], None), or ([], the completion) when
    the server ended IDLE by itself. Call only when data is waiting: this blocks (up to
    the socket timeout) for a whole response. ``* BYE`` raises ConnectionLost."""
    untagged: list[list[bytes]] = []
    with drop_on_loss(imap), reading(imap, None):
        done = _read_one(imap, tag, untagged)
    if done is not None:
        finish(imap, tag)
        return [parts[0] for parts in untagged], done
    return [parts[0] for parts in untagged], None


def idle_done(imap: RawImap, tag: bytes) -> tuple[list[bytes], Completion]:
    """Send ``DONE`` and read to IDLE's completion; the first lines of the untagged
    responses that arrived meanwhile, and the completion."""
    untagged: list[list[bytes]] = []
    with drop_on_loss(imap), reading(imap, tag):
        imap.send(b"DONE\r\n")
        done = _read_until(imap, tag, untagged, continuation=False)
    assert done is not None
    return [parts[0] for parts in untagged], done


_GO_ON = Completion("+", b"")
"""What ``_read_one`` returns for a continuation request (RFC 3501 7.5)."""


def _read_one(imap: RawImap, tag: bytes, untagged: list[list[bytes]], *,
              continuation: bool = False) -> Completion | None:
    """Read one response: an untagged one is appended (None), the tagged completion
    returned, a ``+`` returned as _GO_ON when ``continuation`` (else it is an error)."""
    readline, read = imap.readline, imap.read
    line = checked_line(readline, MAX_LINE)
    if line.startswith(b"* "):
        if line[2:5].upper() == b"BYE":
            raise closed_by_server(line)
        untagged.append(with_literals(line, readline, read, MAX_HEADER_LITERAL, OVERSIZED,
                                      MAX_LINE) if line.endswith(b"}\r\n") else [line])
        return None
    if line.startswith(tag + b" "):
        status, _, text = line[len(tag) + 1:].rstrip(b"\r\n").partition(b" ")
        return Completion(status.upper().decode("ascii", "replace"), text, untagged)
    if continuation and line.startswith(b"+"):
        return _GO_ON
    raise ProtocolError(UNEXPECTED, detail=f"{line[:200]!r}")
