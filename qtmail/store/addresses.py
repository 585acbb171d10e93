"""Addresses seen in the cache, most frequent first: the composer's recipient completion.

Read-only and windowed (ARCHITECTURE.md boundary 4: the GUI may read its own read-only
connection in small queries): only the newest ``RECENT_ROWS`` cached messages are
counted, by row id (the order they reached the cache, newest last), so the query walks
the primary key backwards and never sorts the whole table.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

from qtmail.core.types import Address
from qtmail.store.base import StoreBase
from qtmail.store.codec import decode_address, decode_addresses

RECENT_ROWS = 2000
"""Messages looked at, once per opened composer on the GUI thread: enough to rank the
people written to, small enough to stay unnoticed (bench/bench_compose.py)."""

_QUERY = "SELECT sender, to_addrs, cc_addrs FROM messages ORDER BY id DESC LIMIT ?"


@dataclass(frozen=True, slots=True)
class KnownAddress:
    address: Address
    """The most recent non-empty display name seen with the address."""
    count: int
    """How often it appeared as sender or recipient among the rows looked at."""


def count_addresses(rows: list[tuple[str, str, str]]) -> list[KnownAddress]:
    """``rows`` newest first; addresses compared case-insensitively, ties by recency."""
    counts: Counter[str] = Counter()
    names: dict[str, Address] = {}
    for sender, to_addrs, cc_addrs in rows:
        found = [decode_address(sender)] if sender else []
        found += decode_addresses(to_addrs)
        found += decode_addresses(cc_addrs)
        for address in found:
            addr = address.addr.strip()
            if "@" not in addr:
                continue  # groups and broken headers: nothing to complete
            key = addr.lower()
            counts[key] += 1
            known = names.get(key)
            if known is None or (not known.name and address.name):
                names[key] = Address(address.name.strip(), addr)
    # Counter.most_common keeps first-insertion order among equal counts: newest first.
    return [KnownAddress(names[key], count) for key, count in counts.most_common()]


def known_addresses(store: StoreBase, limit_rows: int = RECENT_ROWS) -> list[KnownAddress]:
    """Senders and recipients of the newest ``limit_rows`` cached messages, most
    frequent first. Raises StorageError when the cache cannot be read."""
    try:
        rows = store._conn.execute(_QUERY, (limit_rows,)).fetchall()
    except sqlite3.Error as error:
        mapped = store._storage_error(error)
        if mapped is None:
            raise
        raise mapped from error
    return count_addresses(rows)
