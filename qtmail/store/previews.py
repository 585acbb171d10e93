"""Preview lines (issue 14): the first words of a message's body, for the list's second
line, keyed by the message's row id (schema 7)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping

from qtmail.store.headers import FOLDER_ID, IN_UIDS, uid_array


def missing(conn: sqlite3.Connection, folder: str, uids: Iterable[int]) -> list[int]:
    """Those of ``uids`` that are cached without a preview, ascending."""
    rows = conn.execute(
        f"SELECT uid FROM messages WHERE folder_id = {FOLDER_ID} AND {IN_UIDS}"
        " AND NOT EXISTS (SELECT 1 FROM previews WHERE previews.message = messages.id)"
        " ORDER BY uid", (folder, uid_array(uids)))
    return [uid for (uid,) in rows]


def put(conn: sqlite3.Connection, folder: str, texts: Mapping[int, str]) -> int:
    """Store ``texts`` (UID -> preview) for the cached ones; how many were stored."""
    rows = conn.execute(
        f"SELECT uid, id FROM messages WHERE folder_id = {FOLDER_ID} AND {IN_UIDS}",
        (folder, uid_array(texts)))
    params = [(message, texts[uid]) for uid, message in rows]
    conn.executemany(
        "INSERT INTO previews (message, text) VALUES (?, ?)"
        " ON CONFLICT (message) DO UPDATE SET text = excluded.text", params)
    return len(params)
