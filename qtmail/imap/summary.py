"""Turn one fetched header block (plus UID, FLAGS, INTERNALDATE, size) into a MessageSummary.

Runs once per message of a first sync (100,000 times for a big folder), so the common
shapes (ASCII values, ``Name <addr>``, RFC 5322 dates with a numeric zone) are parsed
here by compiled regexes; anything else goes to ``qtmail.mime.headers``, which handles
every oddity and never raises.
"""

from __future__ import annotations

import datetime
import re

from qtmail.core.types import Address, Flags, MessageSummary
from qtmail.mime import headers

# The header fields fetch_summaries asks for (BODY.PEEK[HEADER.FIELDS (...)]).
SUMMARY_FIELDS = ("DATE", "FROM", "TO", "CC", "SUBJECT", "MESSAGE-ID", "IN-REPLY-TO",
                  "REFERENCES", "CONTENT-TYPE")

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    start=1)}
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()
# "17-Jul-1996" / " 7-Jul-1996" / "17 Jul 1996" -> days since the epoch. A folder's
# dates repeat (a few thousand distinct days for 100,000 messages): cache them, bounded.
_day_cache: dict[object, int] = {}
_DAY_CACHE_MAX = 50_000

_NO_EMPTY = Address("", "")


def _days(year: int, month: int, day: int) -> int:
    key = (year, month, day)
    days = _day_cache.get(key)
    if days is None:
        days = datetime.date(year, month, day).toordinal() - _EPOCH_ORDINAL
        if len(_day_cache) >= _DAY_CACHE_MAX:
            _day_cache.clear()
        _day_cache[key] = days
    return days


# RFC 3501 section 9: date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP
# time SP zone DQUOTE, e.g. "17-Jul-1996 02:44:25 -0700" (quotes already removed).
_INTERNALDATE = re.compile(
    r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\s*")


def parse_internaldate(value: str) -> int:
    """INTERNALDATE as epoch seconds (UTC); 0 when the server sent nonsense."""
    if len(value) == 26 and value[2] == "-" and value[6] == "-":
        # The fixed layout every server uses: slicing beats a regex by ~3x.
        try:
            days = _days(int(value[7:11]), _MONTHS[value[3:6].lower()], int(value[0:2]))
            offset = int(value[22:24]) * 3600 + int(value[24:26]) * 60
            if value[21] == "-":
                offset = -offset
            return (days * 86400 + int(value[12:14]) * 3600 + int(value[15:17]) * 60
                    + int(value[18:20]) - offset)
        except (KeyError, ValueError):
            pass
    match = _INTERNALDATE.fullmatch(value)
    if match is None:
        return 0
    day, mon, year, hh, mm, ss, sign, zh, zm = match.groups()
    try:
        days = _days(int(year), _MONTHS[mon.lower()], int(day))
    except (KeyError, ValueError):
        return 0
    offset = int(zh) * 3600 + int(zm) * 60
    if sign == "-":
        offset = -offset
    return days * 86400 + int(hh) * 3600 + int(mm) * 60 + int(ss) - offset


# The value of each ASCII number of one or two digits, as sent (b"7", b"07", b"59"): what
# the date patterns capture as hours, minutes and seconds. A lookup is ~5x cheaper than
# int() of bytes, and a first sync converts six of them a message.
_NUMBER = {b"%d" % n: n for n in range(10)} | {b"%02d" % n: n for n in range(100)}


# (b"29-Nov-2023", b"+0000") -> the epoch seconds of that day's midnight in that zone.
_internal_base: dict[tuple[bytes, bytes], int] = {}


def internaldate_from_parts(date: bytes, hh: bytes, mm: bytes, ss: bytes, zone: bytes) -> int:
    """``parse_internaldate`` of ``b'%s %s:%s:%s %s' % (date, hh, mm, ss, zone)``, where
    date is ``dd-Mon-yyyy`` (or `` d-Mon-yyyy``), hh, mm and ss two ASCII digits each,
    zone ``+hhmm`` or ``-hhmm``."""
    key = (date, zone)
    base = _internal_base.get(key)
    if base is None:
        # The day and zone of a valid value, through the reference parser.
        value = b"%s 00:00:00 %s" % (date, zone)
        base = parse_internaldate(value.decode("ascii"))
        if base == 0 and value != b"01-Jan-1970 00:00:00 +0000":  # not a date
            return parse_internaldate(
                (b"%s %s:%s:%s %s" % (date, hh, mm, ss, zone)).decode("ascii"))
        if len(_internal_base) >= _DAY_CACHE_MAX:
            _internal_base.clear()
        _internal_base[key] = base
    number = _NUMBER
    return base + number[hh] * 3600 + number[mm] * 60 + number[ss]


# RFC 5322 section 3.3 in its common form; two-digit years, obsolete zone names and
# other oddities go to headers.parse_date (email.utils), which is ~10x slower.
_DATE = re.compile(
    r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d\d)"
    r"(?::(\d\d))?\s+(?:([+-])(\d\d)(\d\d)|GMT|UTC?|Z)(?:\s*\([^()]*\))?\s*")


def parse_date_header(value: str) -> int | None:
    """The Date header as epoch seconds (UTC), same results as headers.parse_date."""
    match = _DATE.fullmatch(value)
    if match is None:
        return headers.parse_date(value)
    day, mon, year, hh, mm, ss, sign, zh, zm = match.groups()
    month = _MONTHS.get(mon.lower())
    if month is None:
        return headers.parse_date(value)
    try:
        days = _days(int(year), month, int(day))
    except ValueError:  # 31 Feb: let the general parser decide.
        return headers.parse_date(value)
    offset = 0
    if sign is not None:
        offset = int(zh) * 3600 + int(zm) * 60
        if sign == "-":
            offset = -offset
    return days * 86400 + int(hh) * 3600 + int(mm) * 60 + int(ss or 0) - offset


# The same pattern on the raw bytes: ASCII classes only, so whatever it matches the
# str pattern matches alike; anything else takes the str path above.
_DATE_RAW = re.compile(
    rb"\s*(?:[A-Za-z]{3},\s*)?((\d{1,2})\s+([A-Za-z]{3})\s+(\d{4}))\s+(\d{1,2}):(\d\d)"
    rb"(?::(\d\d))?\s+(?:([+-]\d\d\d\d)|GMT|UTC?|Z)(?:\s*\([^()]*\))?\s*")
# (day month year, zone) as sent -> the epoch seconds of that day's midnight in that
# zone; a folder's dates share a few thousand of them. Bounded like _day_cache.
_raw_midnights: dict[tuple[bytes, bytes | None], int] = {}


def date_from_raw(raw: bytes) -> int | None:
    """``parse_date_header(raw.decode("ascii", errors="replace"))``, faster."""
    match = _DATE_RAW.fullmatch(raw)
    if match is None:
        return parse_date_header(raw.decode("ascii", errors="replace"))
    day_month_year, day, mon, year, hh, mm, ss, zone = match.groups()
    key = (day_month_year, zone)
    midnight = _raw_midnights.get(key)
    if midnight is None:
        month = _MONTHS.get(mon.decode("ascii").lower())
        if month is None:
            return parse_date_header(raw.decode("ascii", errors="replace"))
        try:
            midnight = _days(int(year), month, int(day)) * 86400
        except ValueError:
            return parse_date_header(raw.decode("ascii", errors="replace"))
        if zone is not None:  # GMT, UT, UTC and Z are +0000
            offset = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
            midnight += offset if zone[:1] == b"-" else -offset
        if len(_raw_midnights) >= _DAY_CACHE_MAX:
            _raw_midnights.clear()
        _raw_midnights[key] = midnight
    number = _NUMBER  # the pattern's \d is ASCII only: one or two digits each
    return midnight + number[hh] * 3600 + number[mm] * 60 + (number[ss] if ss else 0)



# One field of a header block: its name (no white space or colon; white space before
# the colon allowed), and its value up to the end of its last continuation line (a
# line that starts with a space or tab, RFC 5322 2.2.3). Lines are split on LF only;
# CRs are removed below, as the line-by-line definition does.
# Possessive: a field never needs to give anything back, and sre then keeps no
# backtracking state (this scan is most of the per-message cost of a first sync).
_FIELD = re.compile(rb"^([^:\s]++)[ \t]*+:(.*+(?:\n[ \t].*+)*+)", re.MULTILINE)


# The spellings of the fields we ask for that the quick split below takes; any other
# name (or white space before a colon, or a line without one) goes to the pattern.
_KNOWN_NAMES = {spelling.encode(): field.lower().encode()
                for field in SUMMARY_FIELDS
                for spelling in (field, field.lower(), field.title(), field.capitalize())}
_KNOWN_NAMES.update({b"Message-ID": b"message-id", b"CC": b"cc"})
_FOLDED = re.compile(rb"\n[ \t]")
_UNFOLD = re.compile(rb"\r*\n(?=[ \t])")


def _unfold(block: bytes) -> bytes:
    """``_UNFOLD.sub(b"", block)``: each line end before a space or tab removed, with the
    CRs just before its LF (RFC 5322 2.2.3).

    When every line ends in exactly one CR (each LF follows a CR, and there are as many
    CRs as LFs), the line ends it removes are exactly the CRLFs before a space or a tab,
    which two bytes.replace() find 2-3x faster: the pattern may start with CRs, so sre
    tries it at every position of the block (a quarter of the blocks of a first sync
    are folded). Removing a CRLF before a space leaves that space after whatever was
    before it, so it never makes a CRLF before a tab for the second replace to find."""
    line_ends = block.count(b"\n")
    if block.count(b"\r\n") == line_ends and block.count(b"\r") == line_ends:
        return block.replace(b"\r\n ", b" ").replace(b"\r\n\t", b"\t")
    return _UNFOLD.sub(b"", block)


# header_values' raw values in SUMMARY_FIELDS order: field name (lower-case) -> position.
_FIELD_NAMES = tuple(field.lower().encode() for field in SUMMARY_FIELDS)
_SLOTS = {spelling: _FIELD_NAMES.index(name) for spelling, name in _KNOWN_NAMES.items()}
_NO_SLOTS: list[bytes | None] = [None] * len(SUMMARY_FIELDS)


def header_slots(block: bytes) -> list[bytes | None]:
    """The raw value of each field we ask for, in SUMMARY_FIELDS order (None: absent):
    ``[fields.get(name) for name in _FIELD_NAMES]`` of ``_header_fields_general``, whose
    dict of every field (first occurrence wins, RELIABILITY D.40) is not built.

    RFC 5322 2.2.3: a line starting with white space continues the previous field
    (unfolding removes the CRLF only). Lines without a colon are ignored, and so are
    continuation lines that follow them.

    The header blocks of a bulk FETCH hold only the fields asked for, spelled a few
    ways: line by line with bytes methods is ~15% quicker than the pattern, which takes
    over at the first line that is anything else (same result: test_fastfetch_summary),
    and each value goes straight to its slot (no dict, nine lookups fewer a message).
    """
    # Unfolding first removes the line ends (and the CRs before them) that unfolding
    # each value would; a continuation of a line that is not a field makes a name with
    # white space in it, which sends the block to the pattern.
    # The closing blank line goes first: two lines fewer in the loop. Only CRs and LFs
    # at the very end go, which strip() would remove from the last value anyway.
    text = _unfold(block) if _FOLDED.search(block) else block
    lines = text.rstrip(b"\r\n").split(b"\n")
    slots = _NO_SLOTS.copy()
    slot = _SLOTS.get
    for line in lines:
        name, colon, value = line.partition(b":")
        index = slot(name)
        if index is not None and colon:
            if slots[index] is None:
                slots[index] = value.strip()
        elif line.strip():  # not blank: another name, or no colon
            return list(map(_header_fields_general(block).get, _FIELD_NAMES))
    return slots


def _header_fields_general(block: bytes) -> dict[bytes, bytes]:
    """Field name (lower-case) -> raw value of any block, the first occurrence winning."""
    # Reversed, so that the first occurrence of a name is the one that stays. Stripping
    # before unfolding gives the same value: only its ends are touched.
    fields = {name.lower(): value.strip()
              for name, value in reversed(_FIELD.findall(block))}
    if b"\n " in block or b"\n\t" in block:
        for name, value in fields.items():
            if b"\n" in value:
                fields[name] = b"".join([line.rstrip(b"\r") for line in value.split(b"\n")])
    return fields


# C0 controls, DEL and C1 controls (RELIABILITY D.39), as headers.clean_text strips them.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


# Results of the slow paths, keyed by the raw value: senders and thread subjects repeat
# across a folder (a few thousand distinct From values in 100,000 messages). Bounded:
# cleared when full, so a hostile folder cannot grow them without limit.
_CACHE_MAX = 20_000
_decoded: dict[bytes, str] = {}
_addresses: dict[bytes, tuple[Address, ...]] = {}


def header_text(raw: bytes) -> str:
    """A header value as display text: the ASCII fast path skips RFC 2047 decoding."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return _decode_slow(raw)
    if "=?" in text:
        return _decode_slow(raw)
    # In ASCII text the unprintable characters are exactly _CONTROLS' C0 and DEL; the
    # C loop of isprintable() is several times faster than the regex search.
    if not text.isprintable():
        return headers.clean_text(text)
    return text.strip()


def _decode_slow(raw: bytes) -> str:
    text = _decoded.get(raw)
    if text is None:
        text = headers.decode_header(raw)
        if len(_decoded) >= _CACHE_MAX:
            _decoded.clear()
        _decoded[raw] = text
    return text


# One address of an address list: `"Quoted Name" <a@b>`, `Plain Name <a@b>`, `a@b`.
# Comments, groups, escapes and route addresses are left to headers.parse_addresses.
_ADDR_CHARS = r"[^<>\s\",;:()\\@\[\]]+@[^<>\s\",;:()\\@\[\]]+"
_ADDRESS = re.compile(
    r"[ \t]*(?:\"([^\"\\]*)\"[ \t]*<(" + _ADDR_CHARS + r")>"
    r"|([^\"<>,;:()\\@\[\]]*?)[ \t]*<(" + _ADDR_CHARS + r")>"
    r"|(" + _ADDR_CHARS + r"))[ \t]*")


def _name(name: str) -> str:
    if "=?" in name:
        return headers.decode_header(name)
    if _CONTROLS.search(name) is not None:
        return headers.clean_text(name)
    return name.strip()


def parse_address_list(raw: bytes) -> tuple[Address, ...]:
    """Addresses of a raw To/From/Cc value; encoded words are decoded in names only."""
    found = _addresses.get(raw)
    if found is None:
        found = _parse_address_list(raw)
        if len(_addresses) >= _CACHE_MAX:
            _addresses.clear()
        _addresses[raw] = found
    return found


def _parse_address_list(raw: bytes) -> tuple[Address, ...]:
    try:
        value = raw.decode("ascii")
    except UnicodeDecodeError:
        return headers.parse_addresses(raw.decode("utf-8", errors="surrogateescape"))
    result: list[Address] = []
    pos = 0
    end = len(value)
    match_at = _ADDRESS.match
    while True:
        match = match_at(value, pos)
        if match is None:
            return headers.parse_addresses(value)
        quoted, addr1, plain, addr2, bare = match.groups()
        if bare is not None:
            if "=?" in bare:  # Mailsploit-like: the general parser flags it.
                return headers.parse_addresses(value)
            result.append(Address("", bare))
        elif addr1 is not None:
            result.append(Address(_name(quoted), addr1))
        else:
            if "=?" in addr2:
                return headers.parse_addresses(value)
            result.append(Address(_name(plain), addr2))
        pos = match.end()
        if pos >= end:
            return tuple(result)
        if value[pos] != ",":
            return headers.parse_addresses(value)
        pos += 1
        if pos >= end or not value[pos:].strip():  # a trailing comma
            return tuple(result)


_ONE_ID = re.compile(r"[ \t]*<([^<>\s]+)>[ \t]*")
_IDS = re.compile(r"<([^<>\s]+)>")


def message_ids(raw: bytes) -> tuple[str, ...]:
    try:
        value = raw.decode("ascii")
    except UnicodeDecodeError:
        return headers.parse_message_ids(raw.decode("utf-8", errors="replace"))
    ids = _IDS.findall(value)
    if not ids or len(ids) != value.count("<") or not value.isprintable():  # see header_text
        return headers.parse_message_ids(value)
    return tuple(dict.fromkeys(ids))


# The common case on the raw bytes: printable ASCII only, so no check is needed.
_ONE_ID_RAW = re.compile(rb"[ \t]*<([!-;=?-~]+)>[ \t]*")


def first_id(raw: bytes) -> str:
    match = _ONE_ID_RAW.fullmatch(raw)
    if match is not None:
        return match.group(1).decode("ascii")
    return _first_id_slow(raw)


def _first_id_slow(raw: bytes) -> str:
    match = _ONE_ID.fullmatch(raw.decode("ascii", errors="replace"))
    if match is not None and _CONTROLS.search(match.group(1)) is None:
        return match.group(1)
    ids = headers.parse_message_ids(raw.decode("utf-8", errors="replace"))
    return ids[0] if ids else ""


def has_attachment(raw: bytes | None) -> bool:
    """Guess from the top-level Content-Type alone (no BODYSTRUCTURE in a bulk fetch).

    multipart/mixed is how mailers attach files; a single non-text part (a scanner's
    application/pdf, an image) is itself an attachment. multipart/alternative and
    /related are one document; multipart/signed and /encrypted hide what they wrap,
    and multipart/report (bounces) carries a copy of mail rather than a file: all
    False here, the body parse can tell the truth later.
    """
    if not raw:
        return False
    found = _attachment.get(raw)
    if found is None:
        main = raw.split(b";", 1)[0].strip().lower()
        found = main == b"multipart/mixed" or main.startswith(
            (b"application/", b"image/", b"audio/", b"video/"))
        if len(_attachment) >= _CACHE_MAX:
            _attachment.clear()
        _attachment[raw] = found
    return found


_attachment: dict[bytes, bool] = {}


MAX_SUBJECT_BYTES = 4096
"""Of a Subject header (encoded); more is never shown in a list row."""
MAX_LISTED_ADDRESSES = 100
"""To and Cc addresses kept per message in the cache (the view shows them all)."""
MAX_REFERENCES = 50
MAX_ID_CHARS = 1000
MAX_NAME_CHARS = 1000
"""Of the sender's name and address as cached."""


HeaderValues = tuple[int | None, str, Address, tuple[Address, ...], tuple[Address, ...],
                     str, str, tuple[str, ...], bool]
"""(date, subject, sender, to, cc, message_id, in_reply_to, references, has_attachment):
a MessageSummary's fields that come from the header block, in their order."""


def build_summary(uid: int, flags: Flags, internaldate: int, size: int,
                  block: bytes | None, modseq: int | None = None) -> MessageSummary:
    """A MessageSummary from the fetched items; ``block`` is the HEADER.FIELDS literal."""
    return MessageSummary(uid, flags, internaldate, size, *header_values(block), modseq)


def header_values(block: bytes | None) -> HeaderValues:
    """What a summary takes from its header block (``build_summary``, or the bulk FETCH
    parser's SummaryFields, which skip building the object). sync/fetch_rows.py makes a
    first sync's store rows by the same rules (and a test holds them equal)."""
    (raw_date, raw_from, raw_to, raw_cc, raw_subject, raw_id, raw_reply, raw_refs,
     raw) = header_slots(block) if block else _NO_SLOTS
    # The caches are consulted inline: this runs once per message of a first sync.
    addresses = _addresses.get
    senders = (addresses(raw_from) or parse_address_list(raw_from)) if raw_from else ()
    to = (addresses(raw_to) or parse_address_list(raw_to)) if raw_to else ()
    cc = (addresses(raw_cc) or parse_address_list(raw_cc)) if raw_cc else ()
    date = date_from_raw(raw_date) if raw_date else None
    subject = header_text(raw_subject[:MAX_SUBJECT_BYTES]) if raw_subject else ""
    message_id = first_id(raw_id)[:MAX_ID_CHARS] if raw_id else ""
    in_reply_to = first_id(raw_reply)[:MAX_ID_CHARS] if raw_reply else ""
    references = message_ids(raw_refs) if raw_refs else ()
    if len(to) > MAX_LISTED_ADDRESSES:
        to = listed(to)
    if len(cc) > MAX_LISTED_ADDRESSES:
        cc = listed(cc)
    if len(references) > MAX_REFERENCES:
        references = trimmed_references(references)
    attachment = _attachment.get(raw) if raw else False  # raw: the Content-Type
    return (date, subject, sender_of(senders), to, cc, message_id, in_reply_to, references,
            has_attachment(raw) if attachment is None else attachment)


# Bounded display strings (issue 17): a pathological header never makes the cache, the
# list or the search index grow by megabytes; the whole header is still there when the
# message is opened (fetched whole then).
def listed(addresses: tuple[Address, ...]) -> tuple[Address, ...]:
    """The To or Cc addresses a summary keeps."""
    return addresses[:MAX_LISTED_ADDRESSES]


def trimmed_references(references: tuple[str, ...]) -> tuple[str, ...]:
    """The first (the thread's root) and the most recent ones: what threading uses
    (RFC 5322 3.6.4 lets a client trim References the same way)."""
    if len(references) <= MAX_REFERENCES:
        return references
    return (references[0], *references[-(MAX_REFERENCES - 1):])


def sender_of(senders: tuple[Address, ...]) -> Address:
    """The From field's first address, cut to MAX_NAME_CHARS; an empty one if none."""
    sender = senders[0] if senders else _NO_EMPTY
    if len(sender.name) > MAX_NAME_CHARS or len(sender.addr) > MAX_NAME_CHARS:
        sender = Address(sender.name[:MAX_NAME_CHARS], sender.addr[:MAX_NAME_CHARS])
    return sender
