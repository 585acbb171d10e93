"""The messages table: cached summaries (headers and flags) per folder, by UID."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from qtmail.core.types import SEEN, Flags, MessageSummary
from qtmail.store.codec import (
    INSERT_COLUMNS,
    SUMMARY_COLUMNS,
    decode_flags,
    encode_flags,
    summary_from_row,
    summary_rows,
)

# A header refresh must keep the row (and so its id, which the bodies table points at),
# hence an upsert rather than INSERT OR REPLACE (a delete plus an insert).
_UPSERT = f"""
INSERT INTO messages ({INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (folder_id, uid) DO UPDATE SET
    internaldate = excluded.internaldate, flags = excluded.flags, seen = excluded.seen,
    size = excluded.size, date = excluded.date, subject = excluded.subject,
    sender = excluded.sender, to_addrs = excluded.to_addrs, cc_addrs = excluded.cc_addrs,
    message_id = excluded.message_id, in_reply_to = excluded.in_reply_to,
    refs = excluded.refs, has_attachment = excluded.has_attachment, modseq = excluded.modseq
"""

# Scalar subquery: one index probe, and no stale folder-id cache in the reader when the
# writer deletes and re-adds a folder.
_FOLDER = "(SELECT id FROM folders WHERE name = ?)"

# UID lists travel as one JSON array parameter: no limit on the number of SQL variables,
# one prepared statement whatever the size.
_IN_UIDS = "uid IN (SELECT value FROM json_each(?))"


def _uid_array(uids: Iterable[int]) -> str:
    return json.dumps([int(uid) for uid in uids])


def _bump_counts(conn: sqlite3.Connection, folder_id: int, total: int, unread: int) -> None:
    if total or unread:
        conn.execute("UPDATE folders SET total = total + ?, unread = unread + ? WHERE id = ?",
                     (total, unread, folder_id))


def add(conn: sqlite3.Connection, folder_id: int, summaries: Sequence[MessageSummary]) -> None:
    rows = summary_rows(folder_id, summaries)
    if not rows:
        return
    final_seen = {row[1]: row[4] for row in rows}  # the last of duplicate uids wins
    replaced = conn.execute(
        f"SELECT uid, seen FROM messages WHERE folder_id = ? AND {_IN_UIDS}",
        (folder_id, json.dumps(list(final_seen)))).fetchall()
    conn.executemany(_UPSERT, rows)
    unread = sum(1 for seen in final_seen.values() if not seen)
    unread -= sum(1 for _uid, seen in replaced if not seen)
    _bump_counts(conn, folder_id, len(final_seen) - len(replaced), unread)


def set_flags(conn: sqlite3.Connection, folder_id: int, changes: Mapping[int, Flags]
              ) -> list[int]:
    """Store new flags; return the UIDs whose flags differed (ascending)."""
    if not changes:
        return []
    wanted = {int(uid): encode_flags(flags) for uid, flags in changes.items()}
    stored = conn.execute(
        f"SELECT uid, flags, seen FROM messages WHERE folder_id = ? AND {_IN_UIDS}",
        (folder_id, _uid_array(wanted)))
    # Encodings are canonical (sorted), so comparing text compares the sets.
    updates = []
    unread = 0
    for uid, text, was_seen in stored:
        new_text = wanted[uid]
        if new_text != text:
            seen = 1 if SEEN in decode_flags(new_text) else 0  # an int binds faster
            unread += was_seen - seen
            updates.append((new_text, seen, folder_id, uid))
    conn.executemany("UPDATE messages SET flags = ?, seen = ? WHERE folder_id = ? AND uid = ?",
                     updates)
    _bump_counts(conn, folder_id, 0, unread)
    return sorted(update[3] for update in updates)


def remove(conn: sqlite3.Connection, folder_id: int, uids: Iterable[int]) -> list[int]:
    """Delete messages (their bodies cascade); return the UIDs that were there."""
    params = (folder_id, _uid_array(uids))
    present = conn.execute(
        f"SELECT uid, seen FROM messages WHERE folder_id = ? AND {_IN_UIDS} ORDER BY uid",
        params).fetchall()
    if present:
        conn.execute(f"DELETE FROM messages WHERE folder_id = ? AND {_IN_UIDS}", params)
        _bump_counts(conn, folder_id, -len(present),
                     -sum(1 for _uid, seen in present if not seen))
    return [uid for uid, _seen in present]


def uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    # Walks the (folder_id, uid) unique index only; one JSON string instead of 100,000
    # row tuples halves the time on big folders.
    row = conn.execute(
        f"SELECT json_group_array(uid) FROM"
        f" (SELECT uid FROM messages WHERE folder_id = {_FOLDER} ORDER BY uid)",
        (folder,)).fetchone()
    result: list[int] = json.loads(row[0])
    return result


def flags_map(conn: sqlite3.Connection, folder: str) -> dict[int, Flags]:
    rows = conn.execute(f"SELECT uid, flags FROM messages WHERE folder_id = {_FOLDER}",
                        (folder,))
    return {uid: decode_flags(text) for uid, text in rows}


def count(conn: sqlite3.Connection, folder: str) -> int:
    row = conn.execute("SELECT total FROM folders WHERE name = ?", (folder,)).fetchone()
    return 0 if row is None else int(row[0])


def window(conn: sqlite3.Connection, folder: str, *, offset: int, limit: int,
           newest_first: bool) -> list[MessageSummary]:
    order = "DESC" if newest_first else "ASC"
    # Served by messages_by_date in either direction; OFFSET skips index entries only.
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM messages WHERE folder_id = {_FOLDER}"
        f" ORDER BY internaldate {order}, uid {order} LIMIT ? OFFSET ?",
        (folder, max(0, limit), max(0, offset)))
    return [summary_from_row(row) for row in rows]


def one(conn: sqlite3.Connection, folder: str, uid: int) -> MessageSummary | None:
    row = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM messages WHERE folder_id = {_FOLDER} AND uid = ?",
        (folder, uid)).fetchone()
    return None if row is None else summary_from_row(row)
