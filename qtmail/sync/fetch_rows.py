"""A first sync's store rows straight from the FETCH answer (issue 18, goal 1).

The bulk FETCH parser (imap/fastfetch.py) hands each response in the common layout to
a RowBuilder; ``header_row`` makes the store's HeaderRow (store/codec.py's column order
and encodings) from it in one step. The general path makes the same row in three:
imap.summary.header_values (a tuple of Address objects and strings), a SummaryFields
tuple around it, then codec.encode_rows (a tuple again, with the addresses' encodings
looked up by object). Here a sender or recipient list is looked up once, by the raw
header value, straight to its encoded column; and the FLAGS list as sent to its three
columns. A first sync of 100,000 messages spent 1.0 s parsing and encoding that way,
0.86 s this way (/work/logs/prof/replay.py and /tmp/fused.py of 6 Dec 2026).

The rules are header_values' (the same helpers and limits); test_fetch_rows.py holds
the two paths equal on the corpus and on hostile headers.
"""

from __future__ import annotations

from typing import TypeVar

from qtmail.core.types import DELETED, SEEN, Address
from qtmail.imap.fetchparse import parse_flags
from qtmail.imap.summary import (
    MAX_ID_CHARS,
    MAX_SUBJECT_BYTES,
    date_from_raw,
    first_id,
    has_attachment,
    header_slots,
    header_text,
    listed,
    message_ids,
    parse_address_list,
    sender_of,
    trimmed_references,
)
from qtmail.store.codec import (
    HeaderRow,
    encode_address,
    encode_addresses,
    encode_flags,
    encode_words,
)

CACHE_MAX = 20_000
"""Entries of each cache below before it is emptied: a folder's senders and recipient
lists repeat (a few thousand distinct ones in 100,000 messages), a hostile folder's
need not, so memory stays bounded."""

_NO_SENDER = encode_address(sender_of(()))
_NONE: list[bytes | None] = [None] * 9  # header_slots' answer for no block

# Raw header value -> its encoded column; raw FLAGS list -> (flags, seen, deleted).
_senders: dict[bytes, str] = {}
_lists: dict[bytes, str] = {}
_flag_columns: dict[bytes, tuple[str, int, int]] = {}


def header_row(uid: int, flags: bytes, internaldate: int, size: int, modseq: int | None,
               block: bytes) -> HeaderRow:
    """The HeaderRow (codec.INSERT_COLUMNS after folder_id) of one FETCH response; a
    fastfetch.RowBuilder. Raises what header_values raises (the response is skipped)."""
    columns = _flag_columns.get(flags)
    if columns is None:
        columns = _flag_columns_of(flags)
    (raw_date, raw_from, raw_to, raw_cc, raw_subject, raw_id, raw_reply, raw_refs,
     raw_type) = header_slots(block) if block else _NONE
    if raw_from:
        sender = _senders.get(raw_from)
        if sender is None:
            sender = _sender_text(raw_from)
    else:
        sender = _NO_SENDER
    to = cc = ""
    if raw_to:
        found = _lists.get(raw_to)
        to = found if found is not None else _list_text(raw_to)
    if raw_cc:
        found = _lists.get(raw_cc)
        cc = found if found is not None else _list_text(raw_cc)
    return (
        uid, internaldate, columns[0], columns[1], size,
        date_from_raw(raw_date) if raw_date else None,
        header_text(raw_subject[:MAX_SUBJECT_BYTES]) if raw_subject else "",
        sender, to, cc,
        first_id(raw_id)[:MAX_ID_CHARS] if raw_id else "",
        first_id(raw_reply)[:MAX_ID_CHARS] if raw_reply else "",
        encode_words(trimmed_references(message_ids(raw_refs))) if raw_refs else "",
        1 if raw_type and has_attachment(raw_type) else 0,
        modseq, columns[2],
    )



def _flag_columns_of(raw: bytes) -> tuple[str, int, int]:
    flags = parse_flags(raw)
    # Booleans go in as 0/1 (see codec.encode_rows: sqlite3 binds an int directly).
    columns = (encode_flags(flags), 1 if SEEN in flags else 0, 1 if DELETED in flags else 0)
    _remember(_flag_columns, raw, columns)
    return columns


def _sender_text(raw: bytes) -> str:
    text = encode_address(sender_of(parse_address_list(raw)))
    _remember(_senders, raw, text)
    return text


def _list_text(raw: bytes) -> str:
    addresses: tuple[Address, ...] = listed(parse_address_list(raw))
    text = encode_addresses(addresses)
    _remember(_lists, raw, text)
    return text


_Value = TypeVar("_Value")


def _remember(cache: dict[bytes, _Value], raw: bytes, value: _Value) -> None:
    if len(cache) >= CACHE_MAX:
        cache.clear()
    cache[raw] = value
