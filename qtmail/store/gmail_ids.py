"""Gmail's X-GM-MSGID of cached messages (schema 8, issue 16): the copies of one message
in several labels share it."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from qtmail.store.headers import FOLDER_ID, IN_UIDS, uid_array


def missing(conn: sqlite3.Connection, folder: str, limit: int) -> list[int]:
    """UIDs of ``folder`` cached without their Gmail id, ascending, at most ``limit``."""
    rows = conn.execute(
        f"SELECT uid FROM messages WHERE folder_id = {FOLDER_ID}"
        " AND NOT EXISTS (SELECT 1 FROM gmail_ids WHERE gmail_ids.message = messages.id)"
        " ORDER BY uid LIMIT ?", (folder, limit))
    return [uid for (uid,) in rows]


def put(conn: sqlite3.Connection, folder: str, ids: Mapping[int, int]) -> int:
    rows = conn.execute(
        f"SELECT uid, id FROM messages WHERE folder_id = {FOLDER_ID} AND {IN_UIDS}",
        (folder, uid_array(ids)))
    params = [(message, ids[uid]) for uid, message in rows]
    conn.executemany("INSERT OR REPLACE INTO gmail_ids (message, gm_msgid) VALUES (?, ?)",
                     params)
    return len(params)

