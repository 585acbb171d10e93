"""Re-keying cached messages after the server moved or copied them (RFC 4315 COPYUID)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from qtmail.core.types import DELETED
from qtmail.store.codec import decode_flags, encode_flags
from qtmail.store.headers import RowState, bump_counts, tally

# Every column of a message row but its id, folder, uid, flags and hidden state.
_KEPT = ("internaldate, seen, size, date, subject, sender, to_addrs, cc_addrs, message_id,"
         " in_reply_to, refs, has_attachment, modseq")


def _pairs(uid_map: Mapping[int, int]) -> dict[int, int]:
    return {int(old): int(new) for old, new in uid_map.items()}


def _sources(conn: sqlite3.Connection, src_id: int, pairs: dict[int, int]
             ) -> list[tuple[int, int, str, int, int, int]]:
    """(row id, uid, flags, seen, deleted, hidden) of the cached ones of pairs' keys."""
    return conn.execute(
        "SELECT id, uid, flags, seen, deleted, hidden FROM messages WHERE folder_id = ?"
        " AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid",
        (src_id, json.dumps(list(pairs)))).fetchall()


def _present(conn: sqlite3.Connection, dest_id: int, uids: list[int]) -> dict[int, int]:
    """uid -> row id of those of `uids` already cached in the destination."""
    rows = conn.execute(
        "SELECT uid, id FROM messages WHERE folder_id = ?"
        " AND uid IN (SELECT value FROM json_each(?))", (dest_id, json.dumps(uids)))
    return dict(rows.fetchall())


def _undeleted(flags: str) -> str:
    # The user only ever moves or copies visible messages, which had no \Deleted; one
    # seen on the source since then is our own COPY + \Deleted fallback (no MOVE), and
    # must not follow the message to where it now lives.
    decoded = decode_flags(flags)
    return encode_flags(decoded - {DELETED}) if DELETED in decoded else flags


def move_rows(conn: sqlite3.Connection, src_id: int, dest_id: int,
              uid_map: Mapping[int, int]) -> list[int]:
    """Give the source rows named in `uid_map` their new folder and uid, shown; return the
    source uids moved. The row ids stay, so their cached bodies follow by themselves."""
    if src_id == dest_id:
        raise ValueError("a move needs two different folders")
    pairs = _pairs(uid_map)
    sources = _sources(conn, src_id, pairs)
    present = _present(conn, dest_id, [pairs[row[1]] for row in sources])
    rekeyed, merged = [], []
    arrived: list[RowState] = []
    for row_id, uid, flags, seen, _deleted, _hidden in sources:
        target = present.get(pairs[uid])
        if target is None:
            rekeyed.append((dest_id, pairs[uid], _undeleted(flags), row_id))
            arrived.append((seen, 0, 0))
        else:
            # A sync of the destination cached the server's copy first: keep that row
            # (its flags are the server's), hand it our body if it has none.
            merged.append((target, row_id))
    conn.executemany("UPDATE OR IGNORE bodies SET message = ? WHERE message = ?", merged)
    conn.executemany("DELETE FROM messages WHERE id = ?", [(row_id,) for _t, row_id in merged])
    conn.executemany("UPDATE messages SET folder_id = ?, uid = ?, flags = ?, deleted = 0,"
                     " hidden = 0 WHERE id = ?", rekeyed)
    bump_counts(conn, src_id, (0, 0, 0), tally(row[3:] for row in sources))
    bump_counts(conn, dest_id, tally(arrived))
    return [row[1] for row in sources]


def copy_rows(conn: sqlite3.Connection, src_id: int, dest_id: int,
              uid_map: Mapping[int, int], *, with_bodies: bool) -> list[int]:
    """Duplicate the source rows named in `uid_map` into the destination under their new
    uids, shown; return the source uids copied. Rows the destination holds already (a
    sync came first) are left as they are."""
    pairs = _pairs(uid_map)
    sources = _sources(conn, src_id, pairs)
    present = _present(conn, dest_id, [pairs[row[1]] for row in sources])
    arrived: list[RowState] = []
    copied = []
    for row_id, uid, flags, seen, _deleted, _hidden in sources:
        if pairs[uid] in present:
            continue
        cursor = conn.execute(
            f"INSERT INTO messages (folder_id, uid, flags, deleted, hidden, {_KEPT})"
            f" SELECT ?, ?, ?, 0, 0, {_KEPT} FROM messages WHERE id = ?",
            (dest_id, pairs[uid], _undeleted(flags), row_id))
        if with_bodies:
            conn.execute(
                "INSERT INTO bodies (message, raw, size, last_opened)"
                " SELECT ?, raw, size, last_opened FROM bodies WHERE message = ?",
                (cursor.lastrowid, row_id))
        arrived.append((seen, 0, 0))
        copied.append(uid)
    bump_counts(conn, dest_id, tally(arrived))
    return copied
