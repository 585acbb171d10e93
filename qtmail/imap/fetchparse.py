"""Parsing IMAP responses: the RFC 3501 section 9 tokenizer, FETCH items, and the
untagged news (EXISTS, EXPUNGE, VANISHED, ALERT, BYE) that arrives during a command.

``qtmail.imap.wire`` hands each response here as [text, literal, text, ...] parts;
``qtmail.imap.fastfetch`` uses this general parser for any layout its fast regexes
do not match (any item order, quoted strings, literals anywhere, NIL).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from qtmail.core.errors import ProtocolError
from qtmail.core.types import Flags
from qtmail.imap.summary import parse_internaldate
from qtmail.imap.uidset import parse_uid_set
from qtmail.imap.wire import UNEXPECTED, closed_by_server

log = logging.getLogger(__name__)


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
    unreadable: list[int] = field(default_factory=list)
    """UIDs whose FETCH response was well framed but could not be parsed (issue 17):
    skipped, so that one bad message does not stop the others; 0 when even the UID
    could not be read."""


_UID_IN_FETCH = re.compile(rb"\bUID (\d{1,10})\b", re.IGNORECASE)


def unreadable_uid(parts: list[bytes]) -> int:
    """The UID a broken ``* n FETCH`` response names, or 0."""
    match = _UID_IN_FETCH.search(parts[0])
    return int(match.group(1)) if match else 0


# --- general tokenizer (RFC 3501 section 9 grammar, the parts responses use) -------------

Token = bytes | int | None | list["Token"]
"""An atom (bytes), a string (bytes, quotes removed), NIL (None) or a parenthesised list.

Literals are strings too. Numbers stay bytes: the caller knows which items are numbers.
"""

_TOKEN = re.compile(
    rb"[ ]*(?:(\()|(\))|\"((?:[^\"\\\r\n]|\\.)*)\"|\{(\d{1,12})\+?\}\r\n\Z"
    rb"|([^ ()\"{\r\n\[\]]*\[[^\]\r\n]*\](?:<[0-9.]+>)?|[^ ()\"{\r\n]+))")
_QUOTED_ESCAPE = re.compile(rb"\\(.)")


class Unparsable(Exception):
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
                raise Unparsable(text[pos:pos + 80])
            pos = match.end()
            opened, closed, quoted, literal, atom = match.groups()
            top = stack[-1]
            if opened:
                new: list[Token] = []
                top.append(new)
                stack.append(new)
            elif closed:
                if len(stack) == 1:
                    raise Unparsable(b"unbalanced )")
                stack.pop()
            elif quoted is not None:
                top.append(_QUOTED_ESCAPE.sub(rb"\1", quoted) if b"\\" in quoted else quoted)
            elif literal is not None:
                if index + 1 >= len(parts):
                    raise Unparsable(b"literal without data")
                top.append(parts[index + 1])
                literal_taken = True
                break
            elif atom is not None:
                top.append(None if atom.upper() == b"NIL" else atom)
        index += 2 if literal_taken else 1
        pos = 0
    if len(stack) != 1:
        raise Unparsable(b"unbalanced (")
    return stack[0]


# --- FETCH items ---------------------------------------------------------------------------

FLAG_CACHE: dict[bytes, Flags] = {}
_SYSTEM_FLAGS = {f.lower(): f for f in (
    "\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft")}


def parse_flags(raw: bytes) -> Flags:
    """``\\Seen $Label1`` -> frozenset; system flags in canonical case (RFC 3501 2.3.2).

    ``\\Recent`` is dropped: it is per session, never something to cache or compare.
    """
    flags = FLAG_CACHE.get(raw)
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
        if len(FLAG_CACHE) > 4096:  # keywords are unbounded; combinations usually few
            FLAG_CACHE.clear()
        FLAG_CACHE[raw] = flags
    return flags


def _flags_from_token(value: Token) -> Flags:
    if not isinstance(value, list):
        raise Unparsable(b"FLAGS is not a list")
    return parse_flags(b" ".join(v for v in value if isinstance(v, bytes)))


def _int(value: Token) -> int:
    if isinstance(value, list) and len(value) == 1:  # MODSEQ (n), RFC 7162 3.1.4.1
        value = value[0]
    if not isinstance(value, bytes) or not value.isdigit():
        raise Unparsable(b"not a number")
    return int(value)


@dataclass(slots=True)
class Fetch:
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
    preview: bytes | None = None
    """RFC 8970 PREVIEW (NIL: the server has none, e.g. no text part)."""
    text_start: bytes | None = None
    """BODY[TEXT]<0>: the first bytes of the body after the header."""


def parse_fetch(parts: list[bytes]) -> Fetch | None:
    """General parser for ``* n FETCH (...)``; None when the response is something else."""
    first = parts[0]
    match = _FETCH_HEAD.match(first)
    if match is None:
        return None
    try:
        tokens = tokenize(parts, match.end())
    except Unparsable as exc:
        raise ProtocolError(UNEXPECTED,
                            detail=f"unparsable FETCH: {exc}") from exc
    if len(tokens) != 1 or not isinstance(tokens[0], list):
        raise ProtocolError(UNEXPECTED,
                            detail=f"FETCH without item list: {first[:200]!r}")
    items = tokens[0]
    result = Fetch(int(match.group(1)))
    try:
        for i in range(0, len(items) - 1, 2):
            name, value = items[i], items[i + 1]
            if not isinstance(name, bytes):
                raise Unparsable(b"item name is not an atom")
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
            elif key == b"PREVIEW":
                result.preview = value if isinstance(value, bytes) else b""
            elif key == b"BODY[TEXT]<0>":
                result.text_start = value if isinstance(value, bytes) else b""
    except Unparsable as exc:
        raise ProtocolError(UNEXPECTED,
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
        raise ProtocolError(UNEXPECTED,
                            detail=f"bad VANISHED set: {exc}") from exc


def note_other(parts: list[bytes], news: Unsolicited,
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
    if _BYE.match(line):
        raise closed_by_server(line)
    log.debug("ignored untagged response %r", line[:200])


def note_fetch(fetch: Fetch, news: Unsolicited) -> None:
    news.flag_updates.append(FlagUpdate(fetch.seq, fetch.uid, fetch.flags, fetch.modseq))
