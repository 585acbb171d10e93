"""The messages table: cached summaries (headers and flags) per folder, by UID."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from operator import itemgetter

from qtmail.core.types import DELETED, SEEN, Flags, MessageSummary
from qtmail.store import search
from qtmail.store.codec import (
    INSERT_COLUMNS,
    PREVIEW_COLUMN,
    ROW_DATE,
    ROW_DELETED,
    ROW_SEEN,
    ROW_UID,
    SUMMARY_COLUMNS,
    HeaderRow,
    decode_flags,
    decode_words,
    encode_flags,
    header_rows,
    summary_from_row,
)

# A header refresh must keep the row (and so its id, which the bodies table points at),
# hence an upsert rather than INSERT OR REPLACE (a delete plus an insert).
# The folder id is written into the statement (an int, formatted with :d): the rows are
# HeaderRows, and prefixing each with it would copy 100,000 tuples in a first sync.
_ROW_VALUES = "({folder_id:d}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_UPSERT = f"""
INSERT INTO messages ({INSERT_COLUMNS})
VALUES {{values}}
ON CONFLICT (folder_id, uid) DO UPDATE SET
    internaldate = excluded.internaldate, flags = excluded.flags, seen = excluded.seen,
    deleted = excluded.deleted,
    size = excluded.size, date = excluded.date, subject = excluded.subject,
    sender = excluded.sender, to_addrs = excluded.to_addrs, cc_addrs = excluded.cc_addrs,
    message_id = excluded.message_id, in_reply_to = excluded.in_reply_to,
    refs = excluded.refs, has_attachment = excluded.has_attachment, modseq = excluded.modseq
"""

ROWS_PER_STATEMENT = 64
"""Rows one INSERT of ``add_rows`` carries (1,024 parameters, far below SQLite's limit
of 32,766): each statement run costs sqlite3 a reset, a step and their mutexes, and
Python a GIL release, so a first sync spends ~14% less in the store than with a
statement per row. SQLite inserts a multi-row VALUES list row by row, in order, each
through the upsert as if alone: the same rows and ids as one statement a row."""


def _upsert(folder_id: int, rows: int) -> str:
    return _UPSERT.format(values=", ".join([_ROW_VALUES] * rows)).format(folder_id=folder_id)


# Scalar subquery: one index probe, and no stale folder-id cache in the reader when the
# writer deletes and re-adds a folder.
FOLDER_ID = "(SELECT id FROM folders WHERE name = ?)"

# UID lists travel as one JSON array parameter: no limit on the number of SQL variables,
# one prepared statement whatever the size.
IN_UIDS = "uid IN (SELECT value FROM json_each(?))"
# The condition of a shown message; also the WHERE of the index messages_visible_by_date.
VISIBLE = "hidden = 0 AND deleted = 0"


def uid_array(uids: Iterable[int]) -> str:
    return json.dumps([int(uid) for uid in uids])


# A row's (seen, deleted, hidden) state decides what it adds to its folder's counters.
RowState = tuple[int, int, int]


def tally(states: Iterable[RowState]) -> tuple[int, int, int]:
    """What rows in these states add to (cached, total, unread): total and unread count
    visible rows only (neither \\Deleted nor hidden)."""
    cached = total = unread = 0
    for seen, deleted, hidden in states:
        cached += 1
        if not (deleted or hidden):
            total += 1
            if not seen:
                unread += 1
    return cached, total, unread


def _tally_visible(pairs: Counter[tuple[int, int]]) -> tuple[int, int, int]:
    """``tally`` of rows none of which is hidden, given as counts of (seen, deleted)."""
    cached = total = unread = 0
    for (seen, deleted), count in pairs.items():
        cached += count
        if not deleted:
            total += count
            if not seen:
                unread += count
    return cached, total, unread


def bump_counts(conn: sqlite3.Connection, folder_id: int, after: tuple[int, int, int],
                before: tuple[int, int, int] = (0, 0, 0)) -> None:
    """Add `after - before` to the folder's counters, in the caller's transaction."""
    cached, total, unread = (a - b for a, b in zip(after, before, strict=True))
    if cached or total or unread:
        conn.execute("UPDATE folders SET cached = cached + ?, total = total + ?,"
                     " unread = unread + ? WHERE id = ?", (cached, total, unread, folder_id))


def _states(conn: sqlite3.Connection, folder_id: int, uids: str, extra: str = ""
            ) -> list[tuple[int, int, int, int]]:
    """(uid, seen, deleted, hidden) of the cached ones of `uids` (uid_array()), ascending."""
    return conn.execute(
        f"SELECT uid, seen, deleted, hidden FROM messages WHERE folder_id = ? AND {IN_UIDS}"
        f"{extra} ORDER BY uid", (folder_id, uids)).fetchall()


def _any_between(conn: sqlite3.Connection, folder_id: int, low: int, high: int) -> bool:
    """Whether any message is cached with a UID from ``low`` to ``high``: one probe of
    the (folder_id, uid) key. A first sync's chunks come newest first, each below what
    is stored, so their rows replace nothing: the lookup of each of their UIDs (2% of a
    first sync of 100,000) is skipped."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM messages WHERE folder_id = ?"
                             " AND uid BETWEEN ? AND ?)", (folder_id, low, high)).fetchone()[0])


def add(conn: sqlite3.Connection, folder_id: int, summaries: Sequence[MessageSummary]) -> None:
    add_rows(conn, folder_id, header_rows(summaries))


_ROW_UID = itemgetter(ROW_UID)
_SEEN_DELETED = itemgetter(ROW_SEEN, ROW_DELETED)


def add_rows(conn: sqlite3.Connection, folder_id: int, rows: Sequence[HeaderRow]
             ) -> list[tuple[int, int]]:
    """Insert or refresh ``rows``; returns (uid, internaldate) of those a list shows
    (neither \\Deleted nor hidden), for the event that announces them."""
    if not rows:
        return []
    final = dict(zip(map(_ROW_UID, rows), rows, strict=True))  # the last duplicate wins
    replaced = _states(conn, folder_id, json.dumps(list(final))) \
        if _any_between(conn, folder_id, min(final), max(final)) else []
    whole = len(rows) - len(rows) % ROWS_PER_STATEMENT
    if whole:
        conn.executemany(_upsert(folder_id, ROWS_PER_STATEMENT), [
            list(chain.from_iterable(rows[start:start + ROWS_PER_STATEMENT]))
            for start in range(0, whole, ROWS_PER_STATEMENT)])
    if whole < len(rows):
        conn.executemany(_upsert(folder_id, 1), rows[whole:])
    # The upsert leaves `hidden` alone: a header refresh must not show a message whose
    # move is still queued.
    hidden = {uid for uid, _seen, _deleted, was_hidden in replaced if was_hidden}
    if hidden:
        after = tally((row[ROW_SEEN], row[ROW_DELETED], row[ROW_UID] in hidden)
                      for row in final.values())
    else:  # a first sync's chunk: the (seen, deleted) pairs counted in C, then tallied
        after = _tally_visible(Counter(map(_SEEN_DELETED, final.values())))
    bump_counts(conn, folder_id, after, tally(state[1:] for state in replaced))
    # New rows are indexed later, by search.catch_up (schema 9: ids above
    # search_state.upto); a refreshed row is indexed again.
    if replaced:
        search.mark_refreshed(conn, folder_id, json.dumps([state[0] for state in replaced]))
    return [(uid, row[ROW_DATE]) for uid, row in final.items()
            if not row[ROW_DELETED] and uid not in hidden]


def set_flags(conn: sqlite3.Connection, folder_id: int, changes: Mapping[int, Flags]
              ) -> list[int]:
    """Store new flags; return the UIDs whose flags differed (ascending)."""
    if not changes:
        return []
    wanted = {int(uid): encode_flags(flags) for uid, flags in changes.items()}
    stored = conn.execute(
        f"SELECT uid, flags, seen, deleted, hidden FROM messages"
        f" WHERE folder_id = ? AND {IN_UIDS}", (folder_id, uid_array(wanted)))
    # Encodings are canonical (sorted), so comparing text compares the sets.
    updates = []
    before: list[RowState] = []
    after: list[RowState] = []
    for uid, text, was_seen, was_deleted, hidden in stored:
        new_text = wanted[uid]
        if new_text != text:
            flags = decode_flags(new_text)
            seen = 1 if SEEN in flags else 0  # an int binds faster
            deleted = 1 if DELETED in flags else 0
            before.append((was_seen, was_deleted, hidden))
            after.append((seen, deleted, hidden))
            updates.append((new_text, seen, deleted, folder_id, uid))
    conn.executemany("UPDATE messages SET flags = ?, seen = ?, deleted = ?"
                     " WHERE folder_id = ? AND uid = ?", updates)
    bump_counts(conn, folder_id, tally(after), tally(before))
    return sorted(update[4] for update in updates)


def remove(conn: sqlite3.Connection, folder_id: int, uids: Iterable[int]) -> list[int]:
    """Delete messages (their bodies cascade); return the UIDs that were there."""
    wanted = uid_array(uids)
    present = _states(conn, folder_id, wanted)
    if present:
        conn.execute(f"DELETE FROM messages WHERE folder_id = ? AND {IN_UIDS}",
                     (folder_id, wanted))
        bump_counts(conn, folder_id, (0, 0, 0), tally(state[1:] for state in present))
    return [state[0] for state in present]


def set_hidden(conn: sqlite3.Connection, folder_id: int, uids: Iterable[int], hidden: bool
               ) -> list[int]:
    """Hide or show messages; return the UIDs whose state changed (ascending)."""
    new = 1 if hidden else 0
    wanted = uid_array(uids)
    changing = _states(conn, folder_id, wanted, f" AND hidden = {1 - new:d}")
    if changing:
        conn.execute(f"UPDATE messages SET hidden = ? WHERE folder_id = ? AND {IN_UIDS}"
                     " AND hidden = ?", (new, folder_id, wanted, 1 - new))
        after = tally((seen, deleted, new) for _uid, seen, deleted, _hidden in changing)
        bump_counts(conn, folder_id, after, tally(state[1:] for state in changing))
    return [state[0] for state in changing]


def hidden_uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    # Served by the small partial index messages_hidden.
    rows = conn.execute(f"SELECT uid FROM messages WHERE folder_id = {FOLDER_ID} AND hidden = 1"
                        " ORDER BY uid", (folder,))
    return [uid for (uid,) in rows]


def shown_uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    """The UIDs of the messages the folder lists, ascending: not those hidden while a
    move away is pending, nor those marked \\Deleted (left so by a server without
    UIDPLUS, or by another client)."""
    return _uid_list(conn, folder, "AND hidden = 0 AND deleted = 0")


def unread_uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    """The visible unread messages' UIDs, ascending."""
    return _uid_list(conn, folder, "AND seen = 0 AND hidden = 0 AND deleted = 0")


def uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    """Every cached UID of the folder, ascending."""
    return _uid_list(conn, folder, "")


def _uid_list(conn: sqlite3.Connection, folder: str, condition: str) -> list[int]:
    # Walks the (folder_id, uid) unique index; one JSON string instead of 100,000 row
    # tuples halves the time on big folders. ``condition``: a constant of this module.
    row = conn.execute(
        f"SELECT json_group_array(uid) FROM (SELECT uid FROM messages"
        f" WHERE folder_id = {FOLDER_ID} {condition} ORDER BY uid)", (folder,)).fetchone()
    result: list[int] = json.loads(row[0])
    return result


def flags_map(conn: sqlite3.Connection, folder: str) -> dict[int, Flags]:
    rows = conn.execute(f"SELECT uid, flags FROM messages WHERE folder_id = {FOLDER_ID}",
                        (folder,))
    return {uid: decode_flags(text) for uid, text in rows}


def count(conn: sqlite3.Connection, folder: str, *, cached: bool = False) -> int:
    """Visible messages, or every cached row with `cached` (both O(1): counters)."""
    column = "cached" if cached else "total"
    row = conn.execute(f"SELECT {column} FROM folders WHERE name = ?", (folder,)).fetchone()
    return 0 if row is None else int(row[0])


def window(conn: sqlite3.Connection, folder: str, *, offset: int, limit: int,
           newest_first: bool, total: int | None = None) -> list[MessageSummary]:
    """Visible rows ``offset`` to ``offset + limit`` in date order. With ``total`` (the
    visible count, read in the same transaction) a window past the middle is read from
    the other end of the index: OFFSET steps over index entries one at a time, so a
    page near the end of 1,000,000 messages took 60-150 ms from the front."""
    if total is not None and offset < total < 2 * offset:
        end = min(total, offset + max(0, limit))
        found = window(conn, folder, offset=total - end, limit=end - offset,
                       newest_first=not newest_first)
        found.reverse()
        return found
    order = "DESC" if newest_first else "ASC"
    # Served by the partial index messages_visible_by_date in either direction (the WHERE
    # terms must match its own); OFFSET skips index entries only.
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS}, {PREVIEW_COLUMN} FROM messages WHERE folder_id ="
        f" {FOLDER_ID} AND {VISIBLE} ORDER BY internaldate {order}, uid {order} LIMIT ?"
        " OFFSET ?",
        (folder, max(0, limit), max(0, offset)))
    return [summary_from_row(row) for row in rows]


def uid_window(conn: sqlite3.Connection, folder: str, *, offset: int, limit: int,
               total: int | None = None) -> list[int]:
    """The UIDs of ``window``'s rows (newest first), nothing decoded: where rows are.
    From the covering index alone; ``total`` as for ``window``."""
    if total is not None and offset < total < 2 * offset:
        end = min(total, offset + max(0, limit))
        found = _uids_in_order(conn, folder, offset=total - end, limit=end - offset,
                               order="ASC")
        found.reverse()
        return found
    return _uids_in_order(conn, folder, offset=offset, limit=limit, order="DESC")


def _uids_in_order(conn: sqlite3.Connection, folder: str, *, offset: int, limit: int,
                   order: str) -> list[int]:
    rows = conn.execute(
        f"SELECT uid FROM messages WHERE folder_id = {FOLDER_ID} AND {VISIBLE}"
        f" ORDER BY internaldate {order}, uid {order} LIMIT ? OFFSET ?",
        (folder, max(0, limit), max(0, offset)))
    return [uid for (uid,) in rows]


def one(conn: sqlite3.Connection, folder: str, uid: int) -> MessageSummary | None:
    row = conn.execute(
        f"SELECT {SUMMARY_COLUMNS}, {PREVIEW_COLUMN} FROM messages WHERE folder_id ="
        f" {FOLDER_ID} AND uid = ?",
        (folder, uid)).fetchone()
    return None if row is None else summary_from_row(row)


def order_keys(conn: sqlite3.Connection, folder: str) -> list[tuple[int, int]]:
    """(internaldate, uid) of every visible message, newest first: the list order,
    without decoding summaries (the unified inbox merges these)."""
    return conn.execute(
        f"SELECT internaldate, uid FROM messages WHERE folder_id = {FOLDER_ID}"
        f" AND {VISIBLE} ORDER BY internaldate DESC, uid DESC", (folder,)).fetchall()


def order_keys_of(conn: sqlite3.Connection, folder: str, uids: Iterable[int]
                  ) -> list[tuple[int, int]]:
    """(internaldate, uid) of the visible ones of ``uids``, in no particular order (the
    caller merges them into its sorted list): where new messages go, without decoding
    their summaries.

    One JSON row instead of a row per message: the GUI thread asks this while account
    workers parse, and sqlite3 gives the GIL away around every row it steps to, so each
    row waited for a worker's switch interval (2,000 rows took 12-19 ms, issue 18)."""
    (text,) = conn.execute(
        f"SELECT json_group_array(json_array(internaldate, uid)) FROM messages"
        f" WHERE folder_id = {FOLDER_ID} AND {IN_UIDS} AND {VISIBLE}",
        (folder, uid_array(uids))).fetchone()
    return [(int(date), int(uid)) for date, uid in json.loads(text)]


def thread_keys(conn: sqlite3.Connection, folder: str
                ) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(uid, message_id, in_reply_to, references) of every visible message, newest
    first (the list order): what threading needs, nothing decoded beyond it."""
    rows = conn.execute(
        f"SELECT uid, message_id, in_reply_to, refs FROM messages WHERE folder_id ="
        f" {FOLDER_ID} AND {VISIBLE} ORDER BY internaldate DESC, uid DESC", (folder,))
    return [(uid, mid or "", irt or "", decode_words(refs or ""))
            for uid, mid, irt, refs in rows]


def by_uids(conn: sqlite3.Connection, folder: str, uids: Iterable[int]
            ) -> list[MessageSummary]:
    """The cached summaries of ``uids`` (any order in, ascending UID out)."""
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS}, {PREVIEW_COLUMN} FROM messages WHERE folder_id ="
        f" {FOLDER_ID} AND {IN_UIDS} ORDER BY uid", (folder, uid_array(uids)))
    return [summary_from_row(row) for row in rows]


def message_ids(conn: sqlite3.Connection, folder: str, uids: Iterable[int]) -> dict[int, str]:
    """UID -> Message-ID of the cached ones of ``uids`` (ascending UID)."""
    rows = conn.execute(
        f"SELECT uid, message_id FROM messages WHERE folder_id = {FOLDER_ID}"
        f" AND {IN_UIDS} ORDER BY uid", (folder, uid_array(uids)))
    return {uid: mid or "" for uid, mid in rows}
