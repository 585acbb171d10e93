"""The pending table: local-first operations waiting for the server, and their rescue."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Persisted as text: never rename a state.
QUEUED, CONFLICT, FAILED, DONE = "queued", "conflict", "failed", "done"
STATES = frozenset({QUEUED, CONFLICT, FAILED, DONE})

_COLUMNS = "id, kind, payload, data, state, attempts, last_error, created"
# A damaged table is read id by id below its sequence number; a bound on the probes
# keeps a garbage sequence number from turning start-up into a long loop.
_MAX_PROBES = 100_000


@dataclass(frozen=True, slots=True)
class PendingRow:
    """One queued operation as stored: `payload` is its JSON object, `data` an optional
    blob (an .eml to append). `state` is one of queued, conflict, failed, done."""

    id: int
    kind: str
    payload: dict[str, Any]
    data: bytes | None
    state: str
    attempts: int
    last_error: str
    created: float


def _check_state(state: str) -> str:
    if state not in STATES:
        raise ValueError(f"unknown pending state {state!r}")
    return state


def _payload_text(payload: Mapping[str, Any]) -> str:
    # allow_nan=False: NaN is not JSON, and a newer reader must be able to parse this.
    # A payload that is not JSON (bytes, a dataclass) raises TypeError: a bug.
    return json.dumps(dict(payload), ensure_ascii=False, allow_nan=False, sort_keys=True)


def _from_row(row: tuple[Any, ...]) -> PendingRow:
    op_id, kind, payload, data, state, attempts, last_error, created = row
    decoded = json.loads(payload)
    if not isinstance(decoded, dict):
        raise ValueError(f"pending payload of {op_id} is not a JSON object")
    if not isinstance(kind, str) or state not in STATES:
        raise ValueError(f"pending row {op_id} has kind {kind!r}, state {state!r}")
    return PendingRow(id=int(op_id), kind=kind, payload=decoded,
                      data=None if data is None else bytes(data), state=state,
                      attempts=int(attempts), last_error=str(last_error),
                      created=float(created))


def add(conn: sqlite3.Connection, kind: str, payload: Mapping[str, Any], data: bytes | None
        ) -> int:
    cursor = conn.execute(
        "INSERT INTO pending (kind, payload, data, state, attempts, last_error, created)"
        " VALUES (?, ?, ?, ?, 0, '', ?)",
        (kind, _payload_text(payload), None if data is None else bytes(data), QUEUED,
         time.time()))
    assert cursor.lastrowid is not None  # an INSERT into a rowid table always sets it
    return cursor.lastrowid


def select(conn: sqlite3.Connection, states: Collection[str]) -> list[PendingRow]:
    wanted = sorted(_check_state(state) for state in set(states))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM pending WHERE state IN (SELECT value FROM json_each(?))"
        " ORDER BY id", (json.dumps(wanted),))
    return [_from_row(row) for row in rows]


def get(conn: sqlite3.Connection, op_id: int) -> PendingRow | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM pending WHERE id = ?", (op_id,)).fetchone()
    return None if row is None else _from_row(row)


def update(conn: sqlite3.Connection, op_id: int, *, payload: Mapping[str, Any] | None,
           state: str | None, attempts: int | None, last_error: str | None) -> None:
    """Change the given fields; KeyError for an unknown id (removed already: a bug)."""
    changes: dict[str, Any] = {}
    if payload is not None:
        changes["payload"] = _payload_text(payload)
    if state is not None:
        changes["state"] = _check_state(state)
    if attempts is not None:
        changes["attempts"] = int(attempts)
    if last_error is not None:
        changes["last_error"] = str(last_error)
    # Column names come from the fixed keys above, never from the caller.
    assignments = ", ".join(f"{column} = ?" for column in changes) or "id = id"
    cursor = conn.execute(f"UPDATE pending SET {assignments} WHERE id = ?",
                          (*changes.values(), op_id))
    if cursor.rowcount == 0:
        raise KeyError(op_id)


def remove(conn: sqlite3.Connection, op_id: int) -> None:
    conn.execute("DELETE FROM pending WHERE id = ?", (op_id,))


def prune_done(conn: sqlite3.Connection, keep: int) -> int:
    """Forget all but the newest `keep` done operations; return how many went."""
    cursor = conn.execute(
        "DELETE FROM pending WHERE state = ? AND id NOT IN"
        " (SELECT id FROM pending WHERE state = ? ORDER BY id DESC LIMIT ?)",
        (DONE, DONE, max(0, keep)))
    return cursor.rowcount


# -- rescue from a damaged cache (RELIABILITY.md H.62) ----------------------------------


def insert_rescued(conn: sqlite3.Connection,
                   tables: Mapping[str, tuple[str, list[tuple[Any, ...]]]]) -> None:
    """Insert rows rescued from a damaged cache into the fresh one ``conn`` (autocommit
    mode), {table: (columns, rows)}, in one transaction committed with
    synchronous=FULL, like add_pending(): these rows exist nowhere else now."""
    conn.execute("PRAGMA synchronous = FULL")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, (columns, rows) in tables.items():
                marks = ", ".join("?" for _ in columns.split(","))
                conn.executemany(
                    f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", rows)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA synchronous = NORMAL")


def rescue(damaged: Path, conn: sqlite3.Connection) -> int:
    """Copy the readable pending rows of the damaged cache file `damaged` into `conn`
    (a fresh cache, in autocommit mode), keeping their ids; return how many.

    Best effort: whatever cannot be read is logged and skipped, never raised, since the
    alternative is a cache that cannot open at all. Only the write into `conn` may raise.
    """
    rows = _readable_rows(damaged)
    if not rows:
        return 0
    insert_rescued(conn, {"pending": (_COLUMNS, [
        (row.id, row.kind, _payload_text(row.payload), row.data, row.state, row.attempts,
         row.last_error, row.created) for row in rows])})
    log.warning("Rescued %d pending operations from the damaged mail cache %s",
                len(rows), damaged)
    return len(rows)


def _readable_rows(damaged: Path) -> list[PendingRow]:
    # mode=ro: the file stays as it was found, for inspection; its WAL (moved along with
    # it) is read, not checkpointed into it.
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        log.warning("Could not open the damaged mail cache %s", damaged, exc_info=True)
        return []
    try:
        found = _scan(source, damaged)
    finally:
        source.close()
    return [found[op_id] for op_id in sorted(found)]


def _scan(source: sqlite3.Connection, damaged: Path) -> dict[int, PendingRow]:
    found: dict[int, PendingRow] = {}
    try:
        for row in source.execute(f"SELECT {_COLUMNS} FROM pending ORDER BY id"):
            _keep(found, row)
        return found
    except sqlite3.Error as error:
        if "no such table" in str(error):
            return found  # an older schema, or a schema page lost: nothing to rescue
        log.warning("Reading the pending operations of %s failed after %d rows (%s);"
                    " reading the rest one by one", damaged, len(found), error)
    # A damaged page loses the rows on it; a lookup by id can still reach the others.
    try:
        top = source.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'pending'").fetchone()
        last = int(top[0]) if top is not None else max(found, default=0)
    except (sqlite3.Error, TypeError, ValueError):
        last = max(found, default=0)
    for op_id in range(max(1, last - _MAX_PROBES), last + 1):
        if op_id in found:
            continue
        try:
            row = source.execute(f"SELECT {_COLUMNS} FROM pending WHERE id = ?",
                                 (op_id,)).fetchone()
        except sqlite3.Error:
            continue
        if row is not None:
            _keep(found, row)
    return found


def _keep(found: dict[int, PendingRow], row: tuple[Any, ...]) -> None:
    try:
        pending_row = _from_row(row)
    except (ValueError, TypeError) as error:  # JSONDecodeError is a ValueError
        log.warning("Skipped an unreadable pending operation: %s", error)
        return
    found[pending_row.id] = pending_row
