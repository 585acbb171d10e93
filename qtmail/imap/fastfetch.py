"""Bulk FETCH/SEARCH on a raw imaplib connection, bypassing imapclient's slow parser.

imapclient parses a 100,000-message FETCH at ~14x the cost of reading it off the socket
(shared/recipes/dovecot.md). These functions send the command through ``qtmail.imap.wire``
on the ``imaplib.IMAP4`` object that ``ImapSession`` wraps (logged in, mailbox selected),
read the response with the connection's buffered reader and parse it: a compiled regex
for the layout Dovecot (and most servers) send, and ``qtmail.imap.fetchparse`` for
everything else.

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
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConnectionLost, ProtocolError, ServerError
from qtmail.core.types import Flags, MessageSummary, SummaryFields
from qtmail.core.yielding import pause
from qtmail.imap import wire
from qtmail.imap.fetchparse import (
    FLAG_CACHE,
    Unparsable,
    note_fetch,
    note_other,
    parse_fetch,
    parse_flags,
    unreadable_uid,
)
from qtmail.imap.fetchparse import FlagUpdate as FlagUpdate
from qtmail.imap.fetchparse import Unsolicited as Unsolicited
from qtmail.imap.summary import (
    SUMMARY_FIELDS,
    build_summary,
    header_values,
    internaldate_from_parts,
)
from qtmail.imap.uidset import parse_uid_set
from qtmail.imap.wire import LOST, MAX_HEADER_LITERAL, MAX_LINE, OVERSIZED
from qtmail.imap.wire import RawImap as RawImap

log = logging.getLogger(__name__)

PAUSE_EVERY = 32
"""Response lines parsed between two ``pause()`` calls (qtmail.core.yielding)."""

_TOO_LARGE = QT_TRANSLATE_NOOP("Errors", "The message is larger than the download limit.")
_UNREADABLE = QT_TRANSLATE_NOOP(
    "Errors", "The server sent this message in a form qtmail cannot read. Try again later, "
    "or open it with another mail program.")


RowBuilder = Callable[[int, bytes, int, int, "int | None", bytes], Any]
"""Makes what a caller keeps of one response in the common layout, from (UID, the FLAGS
list as sent, INTERNALDATE in epoch seconds, RFC822.SIZE, MODSEQ or None, the header
block): SummaryFields (``summary_fields``), or a first sync's rows for the store
(sync/fetch_rows.py) with no object in between (issue 18). It may raise what
header_values raises: that response is then skipped as unreadable."""


def summary_fields(uid: int, flags: bytes, internaldate: int, size: int,
                   modseq: int | None, block: bytes) -> SummaryFields:
    """The RowBuilder of a MessageSummary's fields, without building the object."""
    parsed = FLAG_CACHE.get(flags)
    return (uid, parse_flags(flags) if parsed is None else parsed, internaldate, size,
            *header_values(block), modseq)


@dataclass(slots=True)
class FetchResult:
    summaries: list[MessageSummary]
    unsolicited: Unsolicited
    rows: list[Any] = field(default_factory=list)
    """With a RowBuilder: what it made of the responses in the common layout (no
    MessageSummary built; the others are in ``summaries``)."""


@dataclass(slots=True)
class FlagsResult:
    flags: dict[int, tuple[Flags, int | None]]
    """uid -> (flags, modseq); modseq is None without CONDSTORE."""
    vanished: list[int]
    """From ``* VANISHED (EARLIER)``: UIDs expunged since CHANGEDSINCE (RFC 7162 3.2.6)."""
    unsolicited: Unsolicited


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


def _summaries_command(uids: str, condstore: bool, *, by_uid: bool = True) -> bytes:
    items = b"UID FLAGS INTERNALDATE RFC822.SIZE " + (b"MODSEQ " if condstore else b"")
    return (b"UID FETCH " if by_uid else b"FETCH ") + uids.encode("ascii") + b" (" \
        + items + _HEADER_ITEM + b")"


def fetch_summaries(imap: RawImap, uids: str, *, condstore: bool) -> FetchResult:
    """UID FETCH the list columns of ``uids`` (a sequence set) in one command.

    RFC 3501 6.4.8 / 6.4.5: BODY.PEEK never sets \\Seen. With ``condstore`` the MODSEQ
    of each message comes along (RFC 7162 3.1.4.1). Messages come back in the server's
    order (ascending); UIDs that no longer exist are silently absent.
    """
    tag = wire.send(imap, _summaries_command(uids, condstore))
    news = Unsolicited()
    summaries: list[MessageSummary] = []
    with wire.drop_on_loss(imap):
        _read_summaries(imap, tag, summaries, news)
    return FetchResult(summaries, news)


def fetch_newest(imap: RawImap, first: int, last: int, *, condstore: bool,
                 build: RowBuilder = summary_fields) -> FetchResult:
    """FETCH (not UID FETCH) the list columns of messages ``first`` to ``last`` by their
    sequence numbers, the common layout made by ``build`` (``FetchResult.rows``).

    For the newest messages right after SELECT, whose EXISTS gives their numbers: no
    UID SEARCH first (issue 18). The numbers are those SELECT counted: no EXPUNGE
    response may come while no command runs, nor during a FETCH by sequence number
    (RFC 3501 7.4.1). The UID of each comes along (asked for first, RFC 3501 6.4.8).
    """
    if not 0 < first <= last:
        raise ValueError(f"not a range of message numbers: {first}:{last}")
    tag = wire.send(imap, _summaries_command(f"{first}:{last}", condstore, by_uid=False))
    news = Unsolicited()
    summaries: list[MessageSummary] = []
    rows: list[Any] = []
    with wire.drop_on_loss(imap):
        _read_summaries(imap, tag, summaries, news, rows, build)
    return FetchResult(summaries, news, rows)


def fetch_summaries_pipelined(imap: RawImap, uid_sets: Iterable[str], *, condstore: bool,
                              build: RowBuilder | None = None
                              ) -> Generator[FetchResult, None, None]:
    """``fetch_summaries`` of each set in turn, the next command sent before this answer
    is read (RFC 3501 5.5), so the server produces it while this one is parsed.

    UID FETCH results do not depend on message numbers, so pipelining them is safe. The
    server may run pipelined FETCHes concurrently (Dovecot does): untagged FETCH
    responses carry no tag, so each is credited to the command whose set holds its UID.
    Each result is yielded only once its command completed: a lost connection raises
    ConnectionLost before anything of that command is handed out. A ServerError (or
    the caller closing the iterator early) first reads off the answers still in flight,
    so the connection stays usable; wrap the iterator in ``contextlib.closing`` when
    leaving it early. With ``build`` the common layout comes as what it makes
    (``FetchResult.rows``; issue 18: a first sync's rows for the store).
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
            in_flight.append((wire.send(imap, _summaries_command(uids, condstore)), members))

    usable = True
    early: list[MessageSummary] = []  # answers to commands still in flight
    early_rows: list[Any] = []
    try:
        send_next()
        send_next()
        while in_flight:
            tag, members = in_flight.popleft()
            news = Unsolicited()
            arrived = early
            try:
                with wire.drop_on_loss(imap):
                    _read_summaries(imap, tag, arrived, news, early_rows, build)
            except (ConnectionLost, ProtocolError):
                usable = False  # the socket is already shut down
                raise
            summaries, early = _credit(arrived, members, in_flight, _SUMMARY_UID)
            rows, early_rows = _credit(early_rows, members, in_flight, _ROW_UID)
            send_next()
            yield FetchResult(summaries, news, rows)
    finally:
        _drain(imap, deque(tag for tag, _members in in_flight), usable)


MAX_DRAINED_HEADER = 64 * 1024 * 1024
"""A header block over MAX_HEADER_LITERAL (100,000 recipients) is read off and cut, up to
this size; beyond it the server is not sending mail headers (RELIABILITY A.2)."""


def _read_capped(read: Callable[[int], bytes], count: int) -> bytes:
    """A ``count``-byte header block cut to MAX_HEADER_LITERAL: its start and its end
    (a huge To must not hide the Subject after it), the middle read and dropped in small
    pieces. The stream stays in step, memory stays bounded, and the message gets a row
    like any other (issue 17). The end starts at a header field, not mid-line."""
    half = MAX_HEADER_LITERAL // 2
    head = read(half)
    tail = b""
    left = count - len(head)
    while left > 0:
        piece = read(min(left, 1 << 16))
        if not piece:
            raise ConnectionLost(LOST, detail="connection closed mid-literal")
        left -= len(piece)
        tail = (tail + piece)[-half:]
    field = _FIELD_START.search(tail)
    # The field cut at the head's end keeps its start (a huge Subject stays readable).
    joint = b"" if head.endswith(b"\r\n") else b"\r\n"  # never a blank line: the end
    kept = head + joint + (tail[field.end():] if field else b"")
    return kept[:MAX_HEADER_LITERAL]


_FIELD_START = re.compile(rb"\r\n(?=[^ \t\r\n])")


def _skip(news: Unsolicited, uid: int, line: bytes) -> None:
    log.warning("skipping an unreadable FETCH response (UID %d): %r", uid, line[:120])
    news.unreadable.append(uid)


_SEQUENCE_SET = re.compile(r"(?:\d+|\*)(?::(?:\d+|\*))?(?:,(?:\d+|\*)(?::(?:\d+|\*))?)*")
"""RFC 3501 9 sequence-set."""


_Arrived = TypeVar("_Arrived")
_SUMMARY_UID: Callable[[Any], int] = attrgetter("uid")
_ROW_UID: Callable[[Any], int] = itemgetter(0)
"""Every RowBuilder's result starts with the UID (SummaryFields and the store's rows)."""


def _credit(arrived: list[_Arrived], members: frozenset[int] | None,
            later: deque[tuple[bytes, frozenset[int] | None]], uid_of: Callable[[Any], int]
            ) -> tuple[list[_Arrived], list[_Arrived]]:
    """Split what arrived before a command completed into its own summaries (or
    rows: ``uid_of`` reads the UID) and those of the commands after it (in
    arrival order, which is the server's order)."""
    if members is None or not later:
        return arrived, []
    uids = list(map(uid_of, arrived))
    if len(members.intersection(uids)) == len(uids):
        return arrived, []  # the usual case: each its own, once (checked in C)
    own: list[_Arrived] = []
    rest: list[_Arrived] = []
    seen: set[int] = set()
    for summary in arrived:
        uid = uid_of(summary)
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
            wire.finish(imap, tag)
            continue
        try:
            with wire.drop_on_loss(imap):
                for _parts in wire.responses(imap, tag):
                    pass
        except ServerError:
            continue
        except (ConnectionLost, ProtocolError):
            log.debug("connection lost while draining pipelined commands", exc_info=True)
            usable = False


def _read_summaries(imap: RawImap, tag: bytes, summaries: list[MessageSummary],
                    news: Unsolicited, rows: list[Any] | None = None,
                    build: RowBuilder | None = None) -> None:
    """Read one UID FETCH answer: the common layout inline (made by ``build`` into
    ``rows`` when given, without MessageSummary objects), anything else the general way.

    Runs once per message of a first sync: one regex per response line, and the line
    reader of the buffered socket file itself when ``imap`` is a plain imaplib object.
    """
    add_row = rows.append if rows is not None and build is not None else None
    make = build or summary_fields
    readline, read = wire.fast_io(imap)
    tagged = tag + b" "
    append = summaries.append
    fast = _FAST_SUMMARY.match
    flag_cache = FLAG_CACHE
    slice_left = PAUSE_EVERY
    with wire.reading(imap, tag):
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
                    if count > MAX_DRAINED_HEADER:
                        raise ProtocolError(OVERSIZED, detail=f"literal of {count} bytes")
                    block = read(count) if count <= MAX_HEADER_LITERAL \
                        else _read_capped(read, count)
                    if len(block) != count and count <= MAX_HEADER_LITERAL:
                        raise ConnectionLost(LOST, detail="connection closed mid-literal")
                    end = readline()
                    if end == b")\r\n":
                        try:
                            if add_row is not None:
                                add_row(make(
                                    int(uid), flags,
                                    internaldate_from_parts(date, hh, mm, ss, zone), int(size),
                                    int(modseq) if modseq else None, block))
                            else:
                                parsed = flag_cache.get(flags)
                                append(build_summary(
                                    int(uid), parse_flags(flags) if parsed is None else parsed,
                                    internaldate_from_parts(date, hh, mm, ss, zone), int(size),
                                    block, int(modseq) if modseq else None))
                        except (ValueError, ProtocolError, Unparsable):
                            _skip(news, int(uid), line)
                        continue
                    parts = [line, block]
                    parts += wire.with_literals(wire.check_line(end, MAX_LINE), readline, read,
                                                MAX_HEADER_LITERAL, OVERSIZED, MAX_LINE)
                elif wire.check_line(line, MAX_LINE).startswith(b"* "):
                    parts = wire.with_literals(line, readline, read, MAX_HEADER_LITERAL,
                                               OVERSIZED, MAX_LINE)
                else:
                    wire.end_of_command(line, tagged)
                    return
                try:
                    fetch = parse_fetch(parts)
                    if fetch is None:
                        note_other(parts, news)
                    elif fetch.uid is None or not fetch.has_header:
                        note_fetch(fetch, news)
                    else:
                        append(build_summary(fetch.uid, fetch.flags or frozenset(),
                                             fetch.internaldate or 0, fetch.size or 0,
                                             fetch.header, fetch.modseq))
                except (ValueError, ProtocolError, Unparsable):
                    # Framing was intact (the literals were read): only this response
                    # is lost, the stream is still in step (issue 17).
                    if not parts[0].startswith(b"* ") or b" FETCH " not in parts[0].upper():
                        raise
                    _skip(news, unreadable_uid(parts), parts[0])
        except imaplib.IMAP4.error as exc:  # imaplib's own _MAXLINE guard
            raise ProtocolError(OVERSIZED, detail=str(exc)) from exc




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
    tag = wire.send(imap, command)
    news = Unsolicited()
    result: dict[int, tuple[Flags, int | None]] = {}
    earlier: list[int] = []
    fast = _FAST_FLAGS.match
    with wire.drop_on_loss(imap):
        for parts in wire.responses(imap, tag):
            if len(parts) == 1:
                match = fast(parts[0])
                if match is not None:
                    _seq, uid, flags, modseq = match.groups()
                    result[int(uid)] = (parse_flags(flags), int(modseq) if modseq else None)
                    continue
            fetch = parse_fetch(parts)
            if fetch is None:
                note_other(parts, news, earlier)
            elif fetch.uid is None or fetch.flags is None:
                note_fetch(fetch, news)
            else:
                result[fetch.uid] = (fetch.flags, fetch.modseq)
    return FlagsResult(result, earlier, news)


def fetch_body(imap: RawImap, uid: int, *, max_size: int) -> bytes | None:
    """The whole message (RFC 3501 6.4.5 BODY.PEEK[]: \\Seen stays as it was).

    None when the UID does not exist (any more). A literal over ``max_size`` closes the
    connection and raises ProtocolError before anything is buffered (RELIABILITY A.1);
    a connection lost mid-literal raises ConnectionLost and returns nothing (A.3).
    """
    tag = wire.send(imap, b"UID FETCH " + str(uid).encode() + b" (UID BODY.PEEK[])")
    news = Unsolicited()
    body: bytes | None = None
    with wire.drop_on_loss(imap):
        for parts in wire.responses(imap, tag, literal_limit=max_size, literal_error=_TOO_LARGE):
            try:
                fetch = parse_fetch(parts)
            except ProtocolError:
                # Well framed but unreadable (issue 17): the rest is read off, the
                # connection stays in step, and the user gets a sentence below.
                _skip(news, unreadable_uid(parts), parts[0])
                continue
            if fetch is None:
                note_other(parts, news)
            elif fetch.has_body and fetch.uid in (uid, None):  # RFC 3501 6.4.8: UID is sent
                body = fetch.body
    if body is None and news.unreadable:
        raise ServerError(_UNREADABLE, code="UNREADABLE")
    return body


def search_uids(imap: RawImap, criteria: str = "ALL", *, esearch: bool = False) -> list[int]:
    """UID SEARCH ``criteria``; sorted UIDs.

    With ``esearch`` (RFC 4731 ESEARCH advertised) the answer is one compact sequence
    set (``* ESEARCH (TAG "x") UID ALL 1:5,9``), which stays small for any folder. The
    plain ``* SEARCH`` line (RFC 3501 7.2.5) grows ~7 bytes a message, so it is allowed
    up to 16 MB (2 million messages) instead of the usual line cap.
    """
    command = "UID SEARCH " + ("RETURN (ALL) " if esearch else "") + criteria
    tag = wire.send(imap, command.encode("utf-8"))
    news = Unsolicited()
    found: list[int] = []
    with wire.drop_on_loss(imap):
        for parts in wire.responses(imap, tag, max_line=16 * MAX_LINE):
            line = parts[0]
            head = line[:10].upper()
            try:
                if head.startswith(b"* SEARCH"):
                    numbers = line[8:].split()
                    readable = [int(n) for n in numbers if n.isdigit()]
                    if len(readable) != len(numbers):
                        # One bad token must not lose every result (issue 17).
                        log.warning("SEARCH result with %d unreadable item(s)",
                                    len(numbers) - len(readable))
                    found.extend(readable)
                elif head.startswith(b"* ESEARCH"):
                    match = _ESEARCH_ALL.search(line)
                    if match is not None:
                        found.extend(parse_uid_set(match.group(1)))
                else:
                    note_other(parts, news)
            except ValueError as exc:
                raise ProtocolError(QT_TRANSLATE_NOOP(
                    "Errors", "The server sent an unexpected response."),
                                    detail=f"bad SEARCH result: {exc}") from exc
    found.sort()
    return found


_ESEARCH_ALL = re.compile(rb" ALL ([0-9:,]+)", re.IGNORECASE)
