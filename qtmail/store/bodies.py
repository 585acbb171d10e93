"""Raw message bodies (capped, least recently opened out first) and the server's quota: space."""

from __future__ import annotations

import sqlite3

from qtmail.core.types import Quota
from qtmail.store import search

_MESSAGE = ("(SELECT m.id FROM messages AS m JOIN folders AS f ON f.id = m.folder_id"
            " WHERE f.name = ? AND m.uid = ?)")
# A logical clock: one more than the newest open (an index probe on bodies_lru).
_NEXT_TICK = "(SELECT coalesce(max(last_opened), 0) + 1 FROM bodies)"


def get(conn: sqlite3.Connection, folder: str, uid: int, *, touch: bool) -> bytes | None:
    row = conn.execute(f"SELECT message, raw FROM bodies WHERE message = {_MESSAGE}",
                       (folder, uid)).fetchone()
    if row is None:
        return None
    if touch:
        conn.execute(f"UPDATE bodies SET last_opened = {_NEXT_TICK} WHERE message = ?",
                     (row[0],))
    return bytes(row[1])


def put(conn: sqlite3.Connection, folder: str, uid: int, raw: bytes) -> bool:
    """Store a body as just opened; False when the message is not (or no longer) cached."""
    row = conn.execute(f"SELECT {_MESSAGE}", (folder, uid)).fetchone()
    if row is None or row[0] is None:
        return False
    data = bytes(raw)
    conn.execute(
        f"INSERT INTO bodies (message, raw, size, last_opened) VALUES (?, ?, ?, {_NEXT_TICK})"
        " ON CONFLICT (message) DO UPDATE SET raw = excluded.raw, size = excluded.size,"
        " last_opened = excluded.last_opened",
        (row[0], data, len(data)))
    search.index_body(conn, row[0], data)  # same transaction (issue 7)
    return True


def has(conn: sqlite3.Connection, folder: str, uid: int) -> bool:
    row = conn.execute(f"SELECT 1 FROM bodies WHERE message = {_MESSAGE}",
                       (folder, uid)).fetchone()
    return row is not None


def total_bytes(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT coalesce(sum(size), 0) FROM bodies").fetchone()
    return int(row[0])


def evict(conn: sqlite3.Connection, cap_bytes: int) -> int:
    """Delete least recently opened bodies until their total is at most `cap_bytes`."""
    excess = total_bytes(conn) - max(0, cap_bytes)
    if excess <= 0:
        return 0
    victims: list[int] = []
    # Walks bodies_lru (covering: no blob is read) and stops as soon as enough is freed.
    for message, size in conn.execute(
            "SELECT message, size FROM bodies ORDER BY last_opened"):
        victims.append(message)
        excess -= size
        if excess <= 0:
            break
    conn.executemany("DELETE FROM bodies WHERE message = ?", [(m,) for m in victims])
    return len(victims)


def set_quota(conn: sqlite3.Connection, quota: Quota | None) -> None:
    if quota is None:
        conn.execute("DELETE FROM quota")
        return
    conn.execute(
        "INSERT INTO quota (id, used, quota_limit) VALUES (1, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET used = excluded.used, quota_limit = excluded.quota_limit",
        (quota.used, quota.limit))


def get_quota(conn: sqlite3.Connection) -> Quota | None:
    row = conn.execute("SELECT used, quota_limit FROM quota").fetchone()
    return None if row is None else Quota(used=row[0], limit=row[1])
