"""The folders table: the server's folder list, each folder's sync state and counters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from qtmail.core.types import FolderCounts, FolderInfo, FolderRole, FolderSyncState
from qtmail.store.codec import decode_words, encode_words


class FolderNotFound(KeyError):
    """A write named a folder the store does not hold (save_folders() first)."""


class FolderExists(ValueError):
    """A rename would give a folder the name of another folder the store holds."""


_FOLDER_COLUMNS = "name, wire, delimiter, attributes, role, subscribed"

_UPSERT = f"""
INSERT INTO folders ({_FOLDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET
    wire = excluded.wire, delimiter = excluded.delimiter,
    attributes = excluded.attributes, role = excluded.role,
    subscribed = excluded.subscribed
"""


def folder_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def require_folder_id(conn: sqlite3.Connection, name: str) -> int:
    found = folder_id(conn, name)
    if found is None:
        raise FolderNotFound(name)
    return found


def _to_row(folder: FolderInfo) -> tuple[Any, ...]:
    return (folder.name, bytes(folder.wire), folder.delimiter,
            encode_words(sorted(folder.attributes)), folder.role.value, int(folder.subscribed))


def _from_row(row: Sequence[Any]) -> FolderInfo:
    name, wire, delimiter, attributes, role, subscribed = row
    try:
        folder_role = FolderRole(role)
    except ValueError:
        # Written by a newer qtmail that knows more roles: degrade, do not fail.
        folder_role = FolderRole.NONE
    return FolderInfo(name=name, wire=bytes(wire), delimiter=delimiter,
                      attributes=frozenset(decode_words(attributes)), role=folder_role,
                      subscribed=bool(subscribed))


def save(conn: sqlite3.Connection, folders: Sequence[FolderInfo]) -> tuple[list[str], list[str]]:
    """Upsert `folders`, delete the others (cascading); return (added, removed) names."""
    existing = {name for (name,) in conn.execute("SELECT name FROM folders")}
    given = {folder.name: folder for folder in folders}  # the last of duplicates wins
    conn.executemany(_UPSERT, [_to_row(folder) for folder in given.values()])
    removed = sorted(existing.difference(given))
    # ON DELETE CASCADE takes the messages and, through them, the bodies.
    conn.executemany("DELETE FROM folders WHERE name = ?", [(name,) for name in removed])
    added = [name for name in given if name not in existing]
    return added, removed


def rename(conn: sqlite3.Connection, old: str, new: FolderInfo) -> bool:
    """Give the folder `old` the identity `new`, keeping its messages, bodies and state."""
    cursor = conn.execute(
        "UPDATE folders SET name = ?, wire = ?, delimiter = ?, attributes = ?, role = ?,"
        " subscribed = ? WHERE name = ?", (*_to_row(new), old))
    return cursor.rowcount > 0


def rename_tree(conn: sqlite3.Connection, old: str, new: str, delimiter: str,
                wire_for: Callable[[str], bytes]) -> list[tuple[str, str]]:
    """Rename `old` and every folder below it, keeping their cache; (old, new) by old name.

    Raises ValueError for a move into its own subtree and FolderExists when a new name is
    taken by a folder outside the tree, before changing anything.
    """
    if old == new:
        return []
    # An empty delimiter: a flat namespace, where a folder has no children.
    prefix = old + delimiter if delimiter else None
    if prefix is not None and new.startswith(prefix):
        raise ValueError(f"cannot move {old!r} into its own subtree {new!r}")
    rows = conn.execute(
        "SELECT id, name FROM folders WHERE name = ? OR (? IS NOT NULL"
        " AND substr(name, 1, length(?)) = ?) ORDER BY name",
        (old, prefix, prefix, prefix)).fetchall()
    renames = [(fid, name, new + name[len(old):]) for fid, name in rows]
    moving = [fid for fid, _old, _new in renames]
    taken = conn.execute(
        "SELECT name FROM folders WHERE name IN (SELECT value FROM json_each(?))"
        " AND id NOT IN (SELECT value FROM json_each(?))",
        (json.dumps([target for _fid, _old, target in renames]), json.dumps(moving))).fetchall()
    if taken:
        raise FolderExists(taken[0][0])
    # Two steps: a new name inside the tree may still be another member's old name
    # (renaming a/b to a when a itself is not cached), and UNIQUE is checked per row.
    conn.executemany("UPDATE folders SET name = ? WHERE id = ?",
                     [(f"\x00renaming\x00{fid:d}", fid) for fid in moving])
    conn.executemany("UPDATE folders SET name = ?, wire = ? WHERE id = ?",
                     [(target, bytes(wire_for(target)), fid) for fid, _old, target in renames])
    return [(name, target) for _fid, name, target in renames]


def all_folders(conn: sqlite3.Connection) -> list[FolderInfo]:
    rows = conn.execute(f"SELECT {_FOLDER_COLUMNS} FROM folders ORDER BY name")
    return [_from_row(row) for row in rows]


def one_folder(conn: sqlite3.Connection, name: str) -> FolderInfo | None:
    row = conn.execute(f"SELECT {_FOLDER_COLUMNS} FROM folders WHERE name = ?",
                       (name,)).fetchone()
    return None if row is None else _from_row(row)


def state(conn: sqlite3.Connection, name: str) -> FolderSyncState | None:
    row = conn.execute(
        "SELECT uidvalidity, uidnext, highestmodseq, synced_since FROM folders WHERE name = ?",
        (name,)).fetchone()
    if row is None or row[0] is None:
        return None
    return FolderSyncState(uidvalidity=row[0], uidnext=row[1], highestmodseq=row[2],
                           synced_since=row[3])


def any_synced(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM folders WHERE uidnext > 0 LIMIT 1").fetchone() is not None


def set_state(conn: sqlite3.Connection, name: str, new: FolderSyncState | None) -> None:
    if new is None:
        values: tuple[Any, ...] = (None, 0, None, None)
    else:
        values = (new.uidvalidity, new.uidnext, new.highestmodseq, new.synced_since)
    cursor = conn.execute(
        "UPDATE folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ?, synced_since = ?"
        " WHERE name = ?", (*values, name))
    if cursor.rowcount == 0:
        raise FolderNotFound(name)


def reset(conn: sqlite3.Connection, name: str, uidvalidity: int) -> int:
    """RFC 3501 2.3.1.1: a new UIDVALIDITY voids every cached UID of the folder."""
    fid = require_folder_id(conn, name)
    dropped = conn.execute("DELETE FROM messages WHERE folder_id = ?", (fid,)).rowcount
    conn.execute("UPDATE folders SET cached = 0, total = 0, unread = 0 WHERE id = ?", (fid,))
    set_state(conn, name, FolderSyncState(uidvalidity))
    return int(dropped)


def counts(conn: sqlite3.Connection, name: str) -> FolderCounts:
    row = conn.execute("SELECT total, unread FROM folders WHERE name = ?", (name,)).fetchone()
    return FolderCounts(0, 0) if row is None else FolderCounts(row[0], row[1])


def all_counts(conn: sqlite3.Connection) -> dict[str, FolderCounts]:
    rows = conn.execute("SELECT name, total, unread FROM folders")
    return {name: FolderCounts(total, unread) for name, total, unread in rows}
