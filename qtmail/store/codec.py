"""Compact column encodings for flags, word lists and addresses, and summary rows.

Plain form: words joined by a space; an address is name US addr, a list of them joined
by RS (ASCII unit/record separators, which never occur in real headers). Anything that
would not split back exactly (a separator inside a value, an empty word alone) is
stored as GS + JSON instead, so every value round-trips exactly. The plain form is
5-10x faster to build than JSON, which matters for 100,000-row syncs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from qtmail.core.types import SEEN, Address, Flags, MessageSummary

_US = "\x1f"  # between name and address
_RS = "\x1e"  # between addresses
_GS = "\x1d"  # prefix of the JSON fallback

# Column order shared by every summary SELECT and summary_from_row().
SUMMARY_COLUMNS = (
    "uid, flags, internaldate, size, date, subject, sender, to_addrs, cc_addrs,"
    " message_id, in_reply_to, refs, has_attachment, modseq"
)
# Column order of summary_row(), for the INSERT.
INSERT_COLUMNS = (
    "folder_id, uid, internaldate, flags, seen, size, date, subject, sender, to_addrs,"
    " cc_addrs, message_id, in_reply_to, refs, has_attachment, modseq"
)


def encode_words(words: Sequence[str]) -> str:
    """Space-joined words, or the JSON fallback when that would not split back."""
    text = " ".join(words)
    if text.count(" ") == len(words) - 1 and _GS not in text and (text or not words):
        return text
    return _GS + json.dumps(list(words), ensure_ascii=False)


def decode_words(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    if text[0] == _GS:
        return tuple(json.loads(text[1:]))
    return tuple(text.split(" "))


def encode_flags(flags: Iterable[str]) -> str:
    """Canonical (sorted) form: equal flag sets give equal text, so text compares."""
    return encode_words(sorted(flags))


@lru_cache(maxsize=4096)
def decode_flags(text: str) -> Flags:
    # Cached: a folder has few distinct flag combinations, and frozensets are immutable.
    return frozenset(decode_words(text))


def encode_address(address: Address) -> str:
    text = address.name + _US + address.addr
    if text.count(_US) == 1 and _RS not in text and _GS not in text:
        return text
    return _GS + json.dumps([address.name, address.addr], ensure_ascii=False)


def decode_address(text: str) -> Address:
    if text[:1] == _GS:
        name, addr = json.loads(text[1:])
        return Address(name, addr)
    name, _, addr = text.partition(_US)
    return Address(name, addr)


def encode_addresses(addresses: Sequence[Address]) -> str:
    if not addresses:
        return ""
    text = _RS.join([a.name + _US + a.addr for a in addresses])
    if (text.count(_US) == len(addresses) and text.count(_RS) == len(addresses) - 1
            and _GS not in text):
        return text
    return _GS + json.dumps([[a.name, a.addr] for a in addresses], ensure_ascii=False)


def decode_addresses(text: str) -> tuple[Address, ...]:
    if not text:
        return ()
    if text[0] == _GS:
        return tuple(Address(name, addr) for name, addr in json.loads(text[1:]))
    result = []
    for item in text.split(_RS):
        name, _, addr = item.partition(_US)
        result.append(Address(name, addr))
    return tuple(result)


def summary_row(folder_id: int, s: MessageSummary) -> tuple[Any, ...]:
    """One INSERT parameter tuple, in INSERT_COLUMNS order."""
    flags = s.flags
    return (
        folder_id, s.uid, s.internaldate, encode_flags(flags), SEEN in flags, s.size,
        s.date, s.subject, encode_address(s.sender), encode_addresses(s.to),
        encode_addresses(s.cc), s.message_id, s.in_reply_to, encode_words(s.references),
        s.has_attachment, s.modseq,
    )


def summary_from_row(row: Sequence[Any]) -> MessageSummary:
    """The inverse of summary_row(), from a row in SUMMARY_COLUMNS order."""
    (uid, flags, internaldate, size, date, subject, sender, to, cc, message_id,
     in_reply_to, refs, has_attachment, modseq) = row
    return MessageSummary(
        uid=uid, flags=decode_flags(flags), internaldate=internaldate, size=size, date=date,
        subject=subject, sender=decode_address(sender), to=decode_addresses(to),
        cc=decode_addresses(cc), message_id=message_id, in_reply_to=in_reply_to,
        references=decode_words(refs), has_attachment=bool(has_attachment), modseq=modseq,
    )
