"""Bulk FETCH/SEARCH on a raw imaplib connection, bypassing imapclient's slow parser.

imapclient parses a 100,000-message FETCH at ~14x the cost of reading it off the socket
(shared/recipes/dovecot.md). These functions send the command themselves on the
``imaplib.IMAP4`` object that ``ImapSession`` wraps (logged in, mailbox selected), read
the response with the connection's buffered reader and parse it: a compiled regex for
the layout Dovecot (and most servers) send, and a general RFC 3501 tokenizer for
everything else (any item order, quoted strings, literals anywhere, NIL).

Errors: a tagged NO/BAD is a ``ServerError`` (the connection stays usable). A dropped
or silent connection is ``ConnectionLost``; a response we refuse to buffer (line over
1,000,000 bytes, literal over the cap) is ``ProtocolError``. In both of those cases the
socket is shut down first, since the stream position is unknown (RELIABILITY A.1-A.3).
"""

from __future__ import annotations

import imaplib
import logging
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost, ProtocolError, ServerError
from qtmail.core.types import Flags, MessageSummary
from qtmail.core.yielding import pause
from qtmail.imap.errors import response_code
from qtmail.imap.summary import (
    SUMMARY_FIELDS,
    build_summary,
    internaldate_from_parts,
    parse_internaldate,
)
from qtmail.imap.uidset import parse_uid_set

log = logging.getLogger(__name__)

MAX_LINE = 1_000_000
"""RELIABILITY A.2: a longer response line is refused."""
PAUSE_EVERY = 32
"""Response lines parsed between two ``pause()`` calls (qtmail.core.yielding)."""
MAX_HEADER_LITERAL = 1_000_000
"""Cap on any literal other than a body (a header block): like a line, A.2's bound."""

_OVERSIZED = QT_TRANSLATE_NOOP("Errors", "The server sent an oversized response.")
_TOO_LARGE = QT_TRANSLATE_NOOP("Errors", "The message is larger than the download limit.")
_LOST = QT_TRANSLATE_NOOP("Errors", "The connection to the server was lost.")


class RawImap(Protocol):
    """What these functions use of ``imaplib.IMAP4`` (tests pass a fake)."""

    def send(self, data: bytes) -> None: ...
    def readline(self) -> bytes: ...
    def read(self, size: int) -> bytes: ...
    def shutdown(self) -> None: ...


@dataclass(frozen=True, slots=True)
class FlagUpdate:
    """A FETCH the server sent on its own (RFC 3501 7.4.2), e.g. another client's change."""

    seq: int
    uid: int | None
    flags: Flags | None
    modseq: int | None = None


@dataclass(slots=True)
class Unsolicited:
    """Mailbox news that arrived during a command (RFC 3501 section 7, 7.4.1)."""

    exists: int | None = None
    """The last ``* n EXISTS``."""
    expunged: list[int] = field(default_factory=list)
    """``* n EXPUNGE`` sequence numbers in arrival order (each renumbers the rest)."""
    flag_updates: list[FlagUpdate] = field(default_factory=list)
    vanished: list[int] = field(default_factory=list)
    """UIDs of ``* VANISHED`` without EARLIER (RFC 7162 3.2.10: QRESYNC's EXPUNGE)."""
    alerts: list[str] = field(default_factory=list)
    """``[ALERT]`` texts (RFC 3501 7.1): server text, to show as such."""
    highestmodseq: int | None = None


@dataclass(slots=True)
class FetchResult:
    summaries: list[MessageSummary]
    unsolicited: Unsolicited


@dataclass(slots=True)
class FlagsResult:
    flags: dict[int, tuple[Flags, int | None]]
    """uid -> (flags, modseq); modseq is None without CONDSTORE."""
    vanished: list[int]
    """From ``* VANISHED (EARLIER)``: UIDs expunged since CHANGEDSINCE (RFC 7162 3.2.6)."""
    unsolicited: Unsolicited


# --- reading ----------------------------------------------------------------------------


def _abandon(imap: RawImap) -> None:
    """Close the socket: after a partial read the stream cannot be resynchronised."""
    try:
        imap.shutdown()
    except (OSError, ValueError):
        log.debug("shutdown after a broken response failed", exc_info=True)


def _new_tag(imap: RawImap) -> bytes:
    tag: bytes = getattr(imap, "_new_tag")()  # noqa: B009 - private in typeshed
    return tag


def _send(imap: RawImap, command: bytes) -> bytes:
    tag = _new_tag(imap)
    try:
        imap.send(tag + b" " + command + b"\r\n")
    except (OSError, ValueError) as exc:
        _abandon(imap)
        raise ConnectionLost(_LOST, detail=f"send failed: {exc}") from exc
    return tag


def _finish(imap: RawImap, tag: bytes) -> None:
    # imaplib registered the tag in _new_tag(); its own reader never sees our completion.
    commands = getattr(imap, "tagged_commands", None)
    if isinstance(commands, dict):
        commands.pop(tag, None)


def _responses(imap: RawImap, tag: bytes, *, literal_limit: int = MAX_HEADER_LITERAL,
               literal_error: str = _OVERSIZED,
               max_line: int = MAX_LINE) -> Iterator[list[bytes]]:
    """Yield each untagged response as [text, literal, text, literal, ..., text].

    Ends at the tagged completion: OK returns, NO/BAD raise ServerError (RFC 3501 7.1).
    Each text part keeps its CRLF; a text part that ends in ``{n}\\r\\n`` is followed
    by the n-byte literal (RFC 3501 4.3).
    """
    readline = imap.readline
    read = imap.read
    tagged = tag + b" "
    with _reading(imap, tag):
        while True:
            line = _checked_line(readline, max_line)
            if line.startswith(b"* "):
                if not line.endswith(b"}\r\n"):
                    yield [line]
                    continue
                yield _with_literals(line, readline, read, literal_limit, literal_error,
                                     max_line)
            else:
                _end_of_command(line, tagged)
                return


@contextmanager
def _reading(imap: RawImap, tag: bytes) -> Iterator[None]:
    """Read errors as ConnectionLost (the socket closed first); the tag retired after."""
    try:
        yield
    except (ConnectionLost, ServerError):
        raise
    except TimeoutError as exc:
        _abandon(imap)
        raise ConnectionLost(QT_TRANSLATE_NOOP(
            "Errors", "The server stopped answering."), detail=str(exc)) from exc
    except (OSError, ValueError) as exc:  # ValueError: read on a closed file
        _abandon(imap)
        raise ConnectionLost(_LOST, detail=str(exc)) from exc
    finally:
        _finish(imap, tag)


def _read_line(readline: Callable[[], bytes]) -> bytes:
    try:
        return readline()
    except imaplib.IMAP4.error as exc:  # imaplib's own _MAXLINE guard
        raise ProtocolError(_OVERSIZED, detail=str(exc)) from exc


def _checked_line(readline: Callable[[], bytes], max_line: int) -> bytes:
    return _check_line(_read_line(readline), max_line)


def _check_line(line: bytes, max_line: int) -> bytes:
    if len(line) > max_line:
        raise ProtocolError(_OVERSIZED, detail=f"line of {len(line)} bytes")
    if not line.endswith(b"\n"):
        raise ConnectionLost(_LOST, detail="connection closed mid-response")
    return line


def _with_literals(line: bytes, readline: Callable[[], bytes], read: Callable[[int], bytes],
                   literal_limit: int, literal_error: str, max_line: int) -> list[bytes]:
    """The rest of a response whose first line ``line`` announces a literal."""
    parts = [line]
    while line.endswith(b"}\r\n"):
        size = _literal_size(line)
        if size is None:
            break
        if size > literal_limit:
            raise ProtocolError(literal_error, detail=f"literal of {size} bytes")
        data = read(size) if size else b""
        if len(data) != size:
            raise ConnectionLost(_LOST, detail="connection closed mid-literal")
        line = _checked_line(readline, max_line)
        parts.append(data)
        parts.append(line)
    return parts


def _end_of_command(line: bytes, tagged: bytes) -> None:
    """A line that is not an untagged response: our tagged completion, or an error."""
    if line.startswith(tagged):
        _check_tagged(line[len(tagged):])
    elif line.startswith(b"+"):
        # No command here sends a literal or IDLE: a continuation is nonsense.
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"continuation: {line[:200]!r}")
    else:
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"{line[:200]!r}")


@contextmanager
def _drop_on_loss(imap: RawImap) -> Iterator[None]:
    """A ConnectionLost/ProtocolError mid-response leaves the stream unusable: close it."""
    try:
        yield
    except ConnectionLost:
        _abandon(imap)
        raise


_LITERAL_AT_END = re.compile(rb"\{(\d{1,12})\+?\}\r\n\Z")


def _literal_size(line: bytes) -> int | None:
    match = _LITERAL_AT_END.search(line, max(0, len(line) - 20))
    return int(match.group(1)) if match else None


def _check_tagged(rest: bytes) -> None:
    status = rest[:3].upper()
    if status == b"OK " or rest.rstrip().upper() == b"OK":
        return
    text = rest.decode("utf-8", errors="replace").strip()
    if status in (b"NO ", b"BAD"):
        said = text.split(None, 1)[1] if " " in text else ""
        raise ServerError(f"The server refused the request: {said}", server_text=said,
                          code=response_code(said), detail=text)
    raise ProtocolError(QT_TRANSLATE_NOOP(
        "Errors", "The server sent an unexpected response."), detail=text)


# --- general tokenizer (RFC 3501 section 9 grammar, the parts responses use) -------------

Token = bytes | int | None | list["Token"]
"""An atom (bytes), a string (bytes, quotes removed), NIL (None) or a parenthesised list.

Literals are strings too. Numbers stay bytes: the caller knows which items are numbers.
"""

_TOKEN = re.compile(
    rb"[ ]*(?:(\()|(\))|\"((?:[^\"\\\r\n]|\\.)*)\"|\{(\d{1,12})\+?\}\r\n\Z"
    rb"|([^ ()\"{\r\n\[\]]*\[[^\]\r\n]*\](?:<[0-9.]+>)?|[^ ()\"{\r\n]+))")
_QUOTED_ESCAPE = re.compile(rb"\\(.)")


class _Unparsable(Exception):
    pass


def tokenize(parts: list[bytes], start: int = 0) -> list[Token]:
    """Tokens of one response from byte ``start`` of its first line; lists nested."""
    stack: list[list[Token]] = [[]]
    index = 0
    pos = start
    while index < len(parts):
        text = parts[index].rstrip(b"\r\n") if index + 1 == len(parts) else parts[index]
        end = len(text)
        literal_taken = False
        while pos < end:
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                if text[pos:].strip() == b"":
                    break
                raise _Unparsable(text[pos:pos + 80])
            pos = match.end()
            opened, closed, quoted, literal, atom = match.groups()
            top = stack[-1]
            if opened:
                new: list[Token] = []
                top.append(new)
                stack.append(new)
            elif closed:
                if len(stack) == 1:
                    raise _Unparsable(b"unbalanced )")
                stack.pop()
            elif quoted is not None:
                top.append(_QUOTED_ESCAPE.sub(rb"\1", quoted) if b"\\" in quoted else quoted)
            elif literal is not None:
                if index + 1 >= len(parts):
                    raise _Unparsable(b"literal without data")
                top.append(parts[index + 1])
                literal_taken = True
                break
            elif atom is not None:
                top.append(None if atom.upper() == b"NIL" else atom)
        index += 2 if literal_taken else 1
        pos = 0
    if len(stack) != 1:
        raise _Unparsable(b"unbalanced (")
    return stack[0]


# --- FETCH items ---------------------------------------------------------------------------

_flag_cache: dict[bytes, Flags] = {}
_SYSTEM_FLAGS = {f.lower(): f for f in (
    "\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft")}


def parse_flags(raw: bytes) -> Flags:
    """``\\Seen $Label1`` -> frozenset; system flags in canonical case (RFC 3501 2.3.2).

    ``\\Recent`` is dropped: it is per session, never something to cache or compare.
    """
    flags = _flag_cache.get(raw)
    if flags is None:
        names: list[str] = []
        for word in raw.split():
            name = word.decode("utf-8", errors="replace")
            if name.startswith("\\"):
                lowered = name.lower()
                if lowered == "\\recent":
                    continue
                name = _SYSTEM_FLAGS.get(lowered, name)
            names.append(name)
        flags = frozenset(names)
        if len(_flag_cache) > 4096:  # keywords are unbounded; combinations usually few
            _flag_cache.clear()
        _flag_cache[raw] = flags
    return flags


def _flags_from_token(value: Token) -> Flags:
    if not isinstance(value, list):
        raise _Unparsable(b"FLAGS is not a list")
    return parse_flags(b" ".join(v for v in value if isinstance(v, bytes)))


def _int(value: Token) -> int:
    if isinstance(value, list) and len(value) == 1:  # MODSEQ (n), RFC 7162 3.1.4.1
        value = value[0]
    if not isinstance(value, bytes) or not value.isdigit():
        raise _Unparsable(b"not a number")
    return int(value)


@dataclass(slots=True)
class _Fetch:
    seq: int
    uid: int | None = None
    flags: Flags | None = None
    internaldate: int | None = None
    size: int | None = None
    modseq: int | None = None
    header: bytes | None = None
    has_header: bool = False
    body: bytes | None = None
    has_body: bool = False


def parse_fetch(parts: list[bytes]) -> _Fetch | None:
    """General parser for ``* n FETCH (...)``; None when the response is something else."""
    first = parts[0]
    match = _FETCH_HEAD.match(first)
    if match is None:
        return None
    try:
        tokens = tokenize(parts, match.end())
    except _Unparsable as exc:
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"unparsable FETCH: {exc}") from exc
    if len(tokens) != 1 or not isinstance(tokens[0], list):
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"FETCH without item list: {first[:200]!r}")
    items = tokens[0]
    result = _Fetch(int(match.group(1)))
    try:
        for i in range(0, len(items) - 1, 2):
            name, value = items[i], items[i + 1]
            if not isinstance(name, bytes):
                raise _Unparsable(b"item name is not an atom")
            key = name.upper()
            if key == b"UID":
                result.uid = _int(value)
            elif key == b"FLAGS":
                result.flags = _flags_from_token(value)
            elif key == b"INTERNALDATE":
                if isinstance(value, bytes):
                    result.internaldate = parse_internaldate(value.decode("ascii", "replace"))
            elif key == b"RFC822.SIZE":
                result.size = _int(value)
            elif key == b"MODSEQ":
                result.modseq = _int(value)
            elif key.startswith(b"BODY[HEADER.FIELDS"):
                result.has_header = True
                result.header = value if isinstance(value, bytes) else None
            elif key == b"BODY[]":
                result.has_body = True
                result.body = value if isinstance(value, bytes) else None
    except _Unparsable as exc:
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"bad FETCH item: {exc}") from exc
    return result


_FETCH_HEAD = re.compile(rb"\* (\d{1,10}) FETCH ", re.IGNORECASE)


# --- untagged responses other than the ones a command asked for -------------------------

_EXISTS = re.compile(rb"\* (\d{1,10}) (EXISTS|EXPUNGE|RECENT)\r\n", re.IGNORECASE)
_ALERT = re.compile(rb"\* (?:OK|NO|BAD) \[ALERT\] ?(.*)\r\n", re.IGNORECASE)
_HIGHESTMODSEQ = re.compile(rb"\* OK \[HIGHESTMODSEQ (\d{1,20})\]", re.IGNORECASE)
_VANISHED = re.compile(rb"\* VANISHED (\(EARLIER\) )?([0-9:,]+)\r\n", re.IGNORECASE)
_BYE = re.compile(rb"\* BYE\b ?(.*)", re.IGNORECASE | re.DOTALL)


def _vanished_uids(raw: bytes) -> list[int]:
    try:
        return parse_uid_set(raw)
    except ValueError as exc:
        raise ProtocolError(QT_TRANSLATE_NOOP("Errors", "The server sent an unexpected response."),
                            detail=f"bad VANISHED set: {exc}") from exc


def _note_other(parts: list[bytes], news: Unsolicited,
                earlier: list[int] | None = None) -> None:
    """Record an untagged response that is not a FETCH for this command."""
    line = parts[0]
    match = _EXISTS.match(line)
    if match is not None:
        kind = match.group(2).upper()
        if kind == b"EXISTS":
            news.exists = int(match.group(1))
        elif kind == b"EXPUNGE":
            news.expunged.append(int(match.group(1)))
        return
    match = _VANISHED.match(line)
    if match is not None:
        uids = _vanished_uids(match.group(2))
        if match.group(1) and earlier is not None:
            earlier.extend(uids)
        else:
            news.vanished.extend(uids)
        return
    match = _ALERT.match(line)
    if match is not None:
        news.alerts.append(match.group(1).decode("utf-8", errors="replace").strip())
        return
    match = _HIGHESTMODSEQ.match(line)
    if match is not None:
        news.highestmodseq = int(match.group(1))
        return
    match = _BYE.match(line)
    if match is not None:
        text = match.group(1).decode("utf-8", errors="replace").strip()
        raise ConnectionLost(f"The server closed the connection: {text}", detail=text)
    log.debug("ignored untagged response %r", line[:200])


def _note_fetch(fetch: _Fetch, news: Unsolicited) -> None:
    news.flag_updates.append(FlagUpdate(fetch.seq, fetch.uid, fetch.flags, fetch.modseq))


# --- the commands ---------------------------------------------------------------------------

_HEADER_ITEM = b"BODY.PEEK[HEADER.FIELDS (" + " ".join(SUMMARY_FIELDS).encode() + b")]"
# Dovecot's layout, one line before the header literal (RFC 3501 7.4.2 allows any order),
# with INTERNALDATE in its fixed form (RFC 3501 9 date-time) split into its parts.
# Anything else goes through parse_fetch().
_FAST_SUMMARY = re.compile(
    rb"\* \d{1,10} FETCH \(UID (\d{1,10}) FLAGS \(([^()\"{}]*)\) "
    rb"INTERNALDATE \"([ \d]\d-[A-Za-z]{3}-\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4})\" "
    rb"RFC822\.SIZE (\d{1,12})(?: MODSEQ \((\d{1,20})\))? "
    rb"BODY\[HEADER\.FIELDS \([^\]]*\)\] \{(\d{1,12})\}\r\n")


def _summaries_command(uids: str, condstore: bool) -> bytes:
    items = b"UID FLAGS INTERNALDATE RFC822.SIZE " + (b"MODSEQ " if condstore else b"")
    return b"UID FETCH " + uids.encode("ascii") + b" (" + items + _HEADER_ITEM + b")"


def fetch_summaries(imap: RawImap, uids: str, *, condstore: bool) -> FetchResult:
    """UID FETCH the list columns of ``uids`` (a sequence set) in one command.

    RFC 3501 6.4.8 / 6.4.5: BODY.PEEK never sets \\Seen. With ``condstore`` the MODSEQ
    of each message comes along (RFC 7162 3.1.4.1). Messages come back in the server's
    order (ascending); UIDs that no longer exist are silently absent.
    """
    tag = _send(imap, _summaries_command(uids, condstore))
    news = Unsolicited()
    summaries: list[MessageSummary] = []
    with _drop_on_loss(imap):
        _read_summaries(imap, tag, summaries, news)
    return FetchResult(summaries, news)


def fetch_summaries_pipelined(imap: RawImap, uid_sets: Iterable[str], *,
                              condstore: bool) -> Generator[FetchResult, None, None]:
    """``fetch_summaries`` of each set in turn, the next command sent before this answer
    is read (RFC 3501 5.5), so the server produces it while this one is parsed.

    UID FETCH results do not depend on message numbers, so pipelining them is safe. The
    server may run pipelined FETCHes concurrently (Dovecot does): untagged FETCH
    responses carry no tag, so each is credited to the command whose set holds its UID.
    Each result is yielded only once its command completed: a lost connection raises
    ConnectionLost before anything of that command is handed out. A ServerError (or
    the caller closing the iterator early) first reads off the answers still in flight,
    so the connection stays usable; wrap the iterator in ``contextlib.closing`` when
    leaving it early.
    """
    sets = iter(uid_sets)
    in_flight: deque[tuple[bytes, frozenset[int] | None]] = deque()

    def send_next() -> None:
        uids = next(sets, None)
        if uids is not None:
            if not _SEQUENCE_SET.fullmatch(uids):
                # A set the server cannot parse is answered at once, ahead of the
                # commands still in flight (RFC 3501 5.5): never send one.
                raise ValueError(f"not an IMAP sequence set: {uids!r}")
            try:
                members: frozenset[int] | None = frozenset(parse_uid_set(uids))
            except ValueError:  # e.g. "*": take whatever arrives while it runs
                members = None
            in_flight.append((_send(imap, _summaries_command(uids, condstore)), members))

    usable = True
    early: list[MessageSummary] = []  # answers to commands still in flight
    try:
        send_next()
        send_next()
        while in_flight:
            tag, members = in_flight.popleft()
            news = Unsolicited()
            arrived = early
            try:
                with _drop_on_loss(imap):
                    _read_summaries(imap, tag, arrived, news)
            except (ConnectionLost, ProtocolError):
                usable = False  # the socket is already shut down
                raise
            summaries, early = _credit(arrived, members, in_flight)
            send_next()
            yield FetchResult(summaries, news)
    finally:
        _drain(imap, deque(tag for tag, _members in in_flight), usable)


_SEQUENCE_SET = re.compile(r"(?:\d+|\*)(?::(?:\d+|\*))?(?:,(?:\d+|\*)(?::(?:\d+|\*))?)*")
"""RFC 3501 9 sequence-set."""


def _credit(arrived: list[MessageSummary], members: frozenset[int] | None,
            later: deque[tuple[bytes, frozenset[int] | None]]
            ) -> tuple[list[MessageSummary], list[MessageSummary]]:
    """Split what arrived before a command completed into its own summaries and those
    of the commands after it (in arrival order, which is the server's order)."""
    if members is None or not later:
        return arrived, []
    own: list[MessageSummary] = []
    rest: list[MessageSummary] = []
    seen: set[int] = set()
    for summary in arrived:
        uid = summary.uid
        if uid in members and uid not in seen:
            seen.add(uid)
            own.append(summary)
        elif any(m is None or uid in m for _tag, m in later):
            rest.append(summary)
        else:
            own.append(summary)  # nobody asked for it: as fetch_summaries keeps it
    return own, rest


def _drain(imap: RawImap, tags: deque[bytes], usable: bool) -> None:
    """Read and drop the answers to commands still in flight (retire their tags)."""
    while tags:
        tag = tags.popleft()
        if not usable:
            _finish(imap, tag)
            continue
        try:
            with _drop_on_loss(imap):
                for _parts in _responses(imap, tag):
                    pass
        except ServerError:
            continue
        except (ConnectionLost, ProtocolError):
            log.debug("connection lost while draining pipelined commands", exc_info=True)
            usable = False


def _read_summaries(imap: RawImap, tag: bytes, summaries: list[MessageSummary],
                    news: Unsolicited) -> None:
    """Read one UID FETCH answer: the common layout inline, anything else the general way.

    Runs once per message of a first sync: one regex per response line, and the line
    reader of the buffered socket file itself when ``imap`` is a plain imaplib object.
    """
    readline, read = _fast_io(imap)
    tagged = tag + b" "
    append = summaries.append
    fast = _FAST_SUMMARY.match
    flag_cache = _flag_cache
    slice_left = PAUSE_EVERY
    with _reading(imap, tag):
        try:
            while True:
                slice_left -= 1
                if not slice_left:
                    slice_left = PAUSE_EVERY
                    pause()  # let the GUI thread in (issue 4)
                line = readline()
                match = fast(line)
                # A match ends in CRLF, so only the length is left to check.
                if match is not None and len(line) <= MAX_LINE:
                    uid, flags, date, hh, mm, ss, zone, size, modseq, length = match.groups()
                    count = int(length)
                    if count > MAX_HEADER_LITERAL:
                        raise ProtocolError(_OVERSIZED, detail=f"literal of {count} bytes")
                    block = read(count) if count else b""
                    if len(block) != count:
                        raise ConnectionLost(_LOST, detail="connection closed mid-literal")
                    end = readline()
                    if end == b")\r\n":
                        parsed = flag_cache.get(flags)
                        append(build_summary(
                            int(uid), parse_flags(flags) if parsed is None else parsed,
                            internaldate_from_parts(date, hh, mm, ss, zone), int(size), block,
                            int(modseq) if modseq else None))
                        continue
                    parts = [line, block]
                    parts += _with_literals(_check_line(end, MAX_LINE), readline, read,
                                            MAX_HEADER_LITERAL, _OVERSIZED, MAX_LINE)
                elif _check_line(line, MAX_LINE).startswith(b"* "):
                    parts = _with_literals(line, readline, read, MAX_HEADER_LITERAL, _OVERSIZED,
                                           MAX_LINE)
                else:
                    _end_of_command(line, tagged)
                    return
                fetch = parse_fetch(parts)
                if fetch is None:
                    _note_other(parts, news)
                elif fetch.uid is None or not fetch.has_header:
                    _note_fetch(fetch, news)
                else:
                    append(build_summary(fetch.uid, fetch.flags or frozenset(),
                                         fetch.internaldate or 0, fetch.size or 0, fetch.header,
                                         fetch.modseq))
        except imaplib.IMAP4.error as exc:  # imaplib's own _MAXLINE guard
            raise ProtocolError(_OVERSIZED, detail=str(exc)) from exc


def _fast_io(imap: RawImap) -> tuple[Callable[[], bytes], Callable[[int], bytes]]:
    """imaplib's readline and read without their Python frames: the buffered socket
    file's own, with the same line cap (a longer line is then refused by the MAX_LINE
    check)."""
    file = getattr(imap, "file", None)
    if isinstance(imap, imaplib.IMAP4) and file is not None \
            and type(imap).readline is imaplib.IMAP4.readline \
            and type(imap).read is imaplib.IMAP4.read:
        return partial(file.readline, MAX_LINE + 1), file.read
    return imap.readline, imap.read


_FAST_FLAGS = re.compile(
    rb"\* (\d{1,10}) FETCH \(UID (\d{1,10}) FLAGS \(([^()\"{}]*)\)"
    rb"(?: MODSEQ \((\d{1,20})\))?\)\r\n")


def fetch_flags(imap: RawImap, uids: str, *, changedsince: int | None = None,
                vanished: bool = False) -> FlagsResult:
    """UID FETCH FLAGS (and MODSEQ) of ``uids``; only changes when ``changedsince``.

    RFC 7162 3.1.4: CHANGEDSINCE returns messages whose MODSEQ is greater, with MODSEQ.
    RFC 7162 3.2.6: VANISHED adds ``* VANISHED (EARLIER)`` for UIDs expunged since;
    it needs ENABLE QRESYNC first (the caller's job) and requires CHANGEDSINCE.
    """
    command = b"UID FETCH " + uids.encode("ascii") + b" (UID FLAGS"
    if changedsince is not None:
        command += b" MODSEQ) (CHANGEDSINCE " + str(changedsince).encode()
        command += b" VANISHED)" if vanished else b")"
    elif vanished:
        raise ValueError("VANISHED needs CHANGEDSINCE (RFC 7162 3.2.6)")
    else:
        command += b")"
    tag = _send(imap, command)
    news = Unsolicited()
    result: dict[int, tuple[Flags, int | None]] = {}
    earlier: list[int] = []
    fast = _FAST_FLAGS.match
    with _drop_on_loss(imap):
        for parts in _responses(imap, tag):
            if len(parts) == 1:
                match = fast(parts[0])
                if match is not None:
                    _seq, uid, flags, modseq = match.groups()
                    result[int(uid)] = (parse_flags(flags), int(modseq) if modseq else None)
                    continue
            fetch = parse_fetch(parts)
            if fetch is None:
                _note_other(parts, news, earlier)
            elif fetch.uid is None or fetch.flags is None:
                _note_fetch(fetch, news)
            else:
                result[fetch.uid] = (fetch.flags, fetch.modseq)
    return FlagsResult(result, earlier, news)


def fetch_body(imap: RawImap, uid: int, *, max_size: int) -> bytes | None:
    """The whole message (RFC 3501 6.4.5 BODY.PEEK[]: \\Seen stays as it was).

    None when the UID does not exist (any more). A literal over ``max_size`` closes the
    connection and raises ProtocolError before anything is buffered (RELIABILITY A.1);
    a connection lost mid-literal raises ConnectionLost and returns nothing (A.3).
    """
    tag = _send(imap, b"UID FETCH " + str(uid).encode() + b" (UID BODY.PEEK[])")
    news = Unsolicited()
    body: bytes | None = None
    with _drop_on_loss(imap):
        for parts in _responses(imap, tag, literal_limit=max_size, literal_error=_TOO_LARGE):
            fetch = parse_fetch(parts)
            if fetch is None:
                _note_other(parts, news)
            elif fetch.has_body and fetch.uid in (uid, None):  # RFC 3501 6.4.8: UID is sent
                body = fetch.body
    return body


def search_uids(imap: RawImap, criteria: str = "ALL", *, esearch: bool = False) -> list[int]:
    """UID SEARCH ``criteria``; sorted UIDs.

    With ``esearch`` (RFC 4731 ESEARCH advertised) the answer is one compact sequence
    set (``* ESEARCH (TAG "x") UID ALL 1:5,9``), which stays small for any folder. The
    plain ``* SEARCH`` line (RFC 3501 7.2.5) grows ~7 bytes a message, so it is allowed
    up to 16 MB (2 million messages) instead of the usual line cap.
    """
    command = "UID SEARCH " + ("RETURN (ALL) " if esearch else "") + criteria
    tag = _send(imap, command.encode("utf-8"))
    news = Unsolicited()
    found: list[int] = []
    with _drop_on_loss(imap):
        for parts in _responses(imap, tag, max_line=16 * MAX_LINE):
            line = parts[0]
            head = line[:10].upper()
            try:
                if head.startswith(b"* SEARCH"):
                    found.extend(map(int, line[8:].split()))
                elif head.startswith(b"* ESEARCH"):
                    match = _ESEARCH_ALL.search(line)
                    if match is not None:
                        found.extend(parse_uid_set(match.group(1)))
                else:
                    _note_other(parts, news)
            except ValueError as exc:
                raise ProtocolError(QT_TRANSLATE_NOOP(
                    "Errors", "The server sent an unexpected response."),
                                    detail=f"bad SEARCH result: {exc}") from exc
    found.sort()
    return found


_ESEARCH_ALL = re.compile(rb" ALL ([0-9:,]+)", re.IGNORECASE)
