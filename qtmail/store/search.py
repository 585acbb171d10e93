"""The full-text index (SQLite FTS5, trigram) and the local half of search (issue 7).

Why trigram: it indexes every 3-character substring, so Japanese (no spaces between
words) and German compounds match inside words, with no ICU tokenizer to ship. SQLite
here may predate trigram's remove_diacritics (3.45), so text is folded in Python
(qtmail.search.query.fold) before it is indexed and before it is searched.

Rows are keyed by messages.id. Deviation from issue 7's "kept current in the same
transactions": bodies are indexed by bodies.put in the body's own transaction, but
header indexing is deferred (schema 4, `indexed = 0`) because the trigram insert would
add ~50% to a first sync. Results stay complete three ways: the account worker indexes
pending rows in idle time (sync/jobs.py `IndexCatchUp`, a last-in-line job), the writer
catches up before it searches (Store.search), and the GUI's read-only connection, which
cannot write, matches rows still unindexed on their raw columns (see _unindexed). The
messages_unindex trigger drops both entries when a row goes (cascades included).

Terms under 3 characters (a 2-kanji word like 会議 is common) have no trigram: they
probe the FTS5 content shadow tables (search_headers_content: id, c0..c3 per column,
a plain table) by id with instr() over text already folded: one call per row instead
of four LIKEs through the FTS5 virtual table. Short words match headers (and bodies
for body:), not cached bodies, which the server search covers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from enum import Enum

from qtmail.core import yielding
from qtmail.core.types import Address, MessageSummary
from qtmail.search.query import Query, Term, fold
from qtmail.store.codec import SUMMARY_COLUMNS, decode_address, decode_addresses, summary_from_row

_HEADER_COLUMNS = {"from": "sender", "to": "recipients", "cc": "cc", "subject": "subject"}
_VISIBLE = "m.hidden = 0 AND m.deleted = 0"
YIELD_EVERY = 50
"""Rows folded between two GIL hand-overs to the GUI (qtmail.core.yielding)."""
_ROW_COLUMNS = ", ".join(f"m.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))


def _who(addresses: Iterable[Address]) -> str:
    # fold() caches per name and address, which repeat far more than their pairs.
    return " ".join(f"{fold(a.name)} {fold(a.addr)}" for a in addresses)


def catch_up(conn: sqlite3.Connection, limit: int | None = None) -> int:
    """Index the rows written since (indexed = 0), in the caller's transaction."""
    done = 0
    while limit is None or done < limit:
        step = 5000 if limit is None else min(5000, limit - done)
        rows = conn.execute("SELECT id, subject, sender, to_addrs, cc_addrs FROM messages"
                            " WHERE indexed = 0 LIMIT ?", (step,)).fetchall()
        if not rows:
            break
        batch = []
        for n, (row_id, subject, sender, to, cc) in enumerate(rows):
            if n % YIELD_EVERY == 0:
                yielding.pause()  # the GUI paints meanwhile (a worker's idle job)
            batch.append((row_id, _who((decode_address(sender),)), _who(decode_addresses(to)),
                          _who(decode_addresses(cc)), fold(subject)))
        conn.executemany(
            "INSERT INTO search_headers (rowid, sender, recipients, cc, subject)"
            " VALUES (?, ?, ?, ?, ?)", batch)
        conn.executemany("UPDATE messages SET indexed = 1 WHERE id = ?",
                         [(row[0],) for row in rows])
        done += len(rows)
    return done


def unindexed_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM messages WHERE indexed = 0").fetchone()
    return int(row[0])


def index_body(conn: sqlite3.Connection, message_id: int, raw: bytes) -> None:
    conn.execute("DELETE FROM search_bodies WHERE rowid = ?", (message_id,))
    conn.execute("INSERT INTO search_bodies (rowid, body) VALUES (?, ?)",
                 (message_id, fold(body_text(raw))))


def body_text(raw: bytes) -> str:
    """The readable text of a message: its text part, else its HTML part stripped."""
    from qtmail.mime.html import strip_tags
    from qtmail.mime.parse import parse_message
    parsed = parse_message(raw)
    if parsed.text_body:
        return parsed.text_body
    return strip_tags(parsed.html_body) if parsed.html_body else ""


def is_built(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT built FROM search_state").fetchone()
    except sqlite3.OperationalError:
        return False  # the tables are missing (dropped or damaged)
    return row is not None and bool(row[0])


def rebuild(conn: sqlite3.Connection) -> int:
    """Recreate the index from the cached rows, in the caller's transaction; return how
    many rows were indexed. Bodies are re-read from the bodies table."""
    for table in ("search_headers", "search_bodies"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("CREATE VIRTUAL TABLE search_headers USING"
                 " fts5(sender, recipients, cc, subject, tokenize='trigram')")
    conn.execute("CREATE VIRTUAL TABLE search_bodies USING fts5(body, tokenize='trigram')")
    conn.execute("CREATE TABLE IF NOT EXISTS search_state"
                 " (id INTEGER PRIMARY KEY CHECK (id = 1), built INTEGER NOT NULL)")
    rows = conn.execute("SELECT id, subject, sender, to_addrs, cc_addrs FROM messages")
    batch = [(row_id, _who((decode_address(sender),)), _who(decode_addresses(to)),
              _who(decode_addresses(cc)), fold(subject))
             for row_id, subject, sender, to, cc in rows]
    conn.executemany("INSERT INTO search_headers (rowid, sender, recipients, cc, subject)"
                     " VALUES (?, ?, ?, ?, ?)", batch)
    for message, raw in conn.execute("SELECT message, raw FROM bodies").fetchall():
        index_body(conn, message, bytes(raw))
    conn.execute("INSERT INTO search_state (id, built) VALUES (1, 1)"
                 " ON CONFLICT (id) DO UPDATE SET built = 1")
    conn.execute("UPDATE messages SET indexed = 1 WHERE indexed = 0")
    return len(batch)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_CONTENT_COLUMNS = {"from": "c0", "to": "c1", "cc": "c2", "subject": "c3"}
_RAW_COLUMNS = {"from": "sender", "to": "to_addrs", "cc": "cc_addrs", "subject": "subject"}
# Between columns when they are searched as one text: never in folded header text.
_JOIN = " || char(31) || "


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _unindexed(term: Term, value: str, params: list[object]) -> str:
    """Rows written since the last catch-up (indexed = 0; the messages_unindexed partial
    index lists them). Their raw columns are matched with SQLite's own LIKE, for the
    text as typed and as folded: a Python fold per row cost 1-3 s on 100,000 rows not
    indexed yet (bench_search.py), LIKE 50-120 ms. LIKE ignores ASCII case only, so
    "muller" may miss an unindexed "Müller" until the idle catch-up indexes it (a few
    seconds after a sync)."""
    columns = [_RAW_COLUMNS[term.field]] if term.field in _RAW_COLUMNS \
        else list(_RAW_COLUMNS.values())
    patterns = list(dict.fromkeys((_like(term.value.strip()), _like(value))))
    likes = []
    for column in columns:
        for pattern in patterns:
            params.append(pattern)
            likes.append(f"{column} LIKE ? ESCAPE '\\'")
    return f"m.id IN (SELECT id FROM messages WHERE indexed = 0 AND ({' OR '.join(likes)}))"


def _text_condition(term: Term, params: list[object]) -> str | None:
    value = fold(term.value)
    if not value.strip():
        return None
    if len(value) >= 3:
        # One trigram MATCH per table; each IN subquery is built once per statement.
        if term.field == "body":
            params.append(_fts_phrase(value))
            return "m.id IN (SELECT rowid FROM search_bodies WHERE search_bodies MATCH ?)"
        column = _HEADER_COLUMNS.get(term.field)
        match = _fts_phrase(value) if column is None else f"{column} : {_fts_phrase(value)}"
        params.append(match)
        sql = "m.id IN (SELECT rowid FROM search_headers WHERE search_headers MATCH ?)"
        if term.field == "any":
            params.append(_fts_phrase(value))
            sql += " OR m.id IN (SELECT rowid FROM search_bodies WHERE search_bodies MATCH ?)"
        return f"{sql} OR {_unindexed(term, value, params)}"
    # No trigram to look up: the row's entry in the index's own folded text, probed by
    # id while the newest-first walk goes, so a common short term stops after `limit`.
    if term.field == "body":
        params.append(value)
        return ("EXISTS (SELECT 1 FROM search_bodies_content AS b WHERE b.id = m.id"
                " AND instr(b.c0, ?) > 0)")
    columns = [_CONTENT_COLUMNS[term.field]] if term.field in _CONTENT_COLUMNS \
        else list(_CONTENT_COLUMNS.values())
    params.append(value)
    text = _JOIN.join(f"h.{column}" for column in columns)
    sql = (f"EXISTS (SELECT 1 FROM search_headers_content AS h WHERE h.id = m.id"
           f" AND instr({text}, ?) > 0)")
    return f"{sql} OR {_unindexed(term, value, params)}"


# is:flagged: flags are space-joined or GS + JSON (qtmail.store.codec).
_FLAGGED = ("(instr(' ' || m.flags || ' ', ' \\Flagged ') > 0"
            " OR instr(m.flags, '\"\\\\Flagged\"') > 0)")


def term_condition(term: Term, params: list[object]) -> str | None:
    """The SQL condition of one term (over messages m, folders f), or None for none."""
    if term.field in ("any", "body", *_HEADER_COLUMNS):
        return _text_condition(term, params)
    if term.field == "is":
        return {"unread": "m.seen = 0", "read": "m.seen = 1", "flagged": _FLAGGED}[term.value]
    if term.field == "has":
        return "m.has_attachment = 1"
    if term.field in ("before", "after"):
        params.append(term.epoch)
        return "m.internaldate < ?" if term.field == "before" else "m.internaldate >= ?"
    if term.field == "larger":
        params.append(int(term.value))
        return "m.size > ?"
    params.append(term.value)  # folder:
    return "f.name = ? COLLATE NOCASE"


def _where(query: Query, folders: Sequence[str] | None, params: list[object]) -> str:
    where = [_VISIBLE]
    for term in query.terms:
        condition = term_condition(term, params)
        if condition is not None:
            where.append(f"NOT ({condition})" if term.negated else f"({condition})")
    if folders is not None:
        params.append(json.dumps(list(folders)))
        where.append("f.name IN (SELECT value FROM json_each(?))")
    return " AND ".join(where)


def to_sql(query: Query, folders: Sequence[str] | None, limit: int
           ) -> tuple[str, list[object]]:
    """The SELECT of (folder name, summary columns...) for the query, newest first."""
    params: list[object] = []
    where = _where(query, folders, params)
    params.append(max(0, limit))
    # Ordering and limiting ids first keeps whole rows out of the sort: a common word
    # matches tens of thousands (about half the time of the query otherwise).
    sql = (f"SELECT f.name, {_ROW_COLUMNS} FROM messages AS m JOIN folders AS f"
           " ON f.id = m.folder_id WHERE m.id IN (SELECT m.id FROM messages AS m"
           f" JOIN folders AS f ON f.id = m.folder_id WHERE {where}"
           " ORDER BY m.internaldate DESC, m.uid DESC LIMIT ?)"
           " ORDER BY m.internaldate DESC, m.uid DESC")
    return sql, params


def search(conn: sqlite3.Connection, query: Query, folders: Sequence[str] | None,
           limit: int) -> list[tuple[str, MessageSummary]]:
    if query.empty:
        return []
    sql, params = to_sql(query, folders, limit)
    return [(row[0], summary_from_row(row[1:])) for row in conn.execute(sql, params)]


class Copies(Enum):
    SEARCHED = "searched"
    """``copies_in`` of search_keys: other copies count within the folders searched."""

# A copy of a Gmail message (several labels, issue 16) is left out when another copy in
# the scope is preferred: one outside All Mail (\\All) over one inside, then the older
# row. Copies share headers and body, so they match alike; other servers have no ids.
_ONE_COPY = (
    " AND NOT EXISTS (SELECT 1 FROM gmail_ids AS g JOIN gmail_ids AS g2"
    " ON g2.gm_msgid = g.gm_msgid AND g2.message != g.message"
    " JOIN messages AS m2 ON m2.id = g2.message JOIN folders AS f2 ON f2.id = m2.folder_id"
    " WHERE g.message = m.id AND m2.hidden = 0 AND m2.deleted = 0{scope}"
    " AND ((f2.role = 'all') < (f.role = 'all')"
    " OR ((f2.role = 'all') = (f.role = 'all') AND m2.id < m.id)))")


def search_keys(conn: sqlite3.Connection, query: Query, folders: Sequence[str] | None,
                limit: int, uids: Sequence[int] | None = None,
                copies_in: Sequence[str] | Copies | None = Copies.SEARCHED
                ) -> list[tuple[str, int, int]]:
    """(folder, internaldate, uid) of the matches, newest first: what a results list
    needs to order and page its rows, with no summary decoded. ``uids`` limits the
    rows tested (messages just added to the one folder of ``folders``). A Gmail
    message in several of the folders ``copies_in`` (None: all; SEARCHED: ``folders``)
    comes once."""
    if query.empty:
        return []
    params: list[object] = []
    where = _where(query, folders, params)
    if uids is not None:
        params.append(json.dumps([int(uid) for uid in uids]))
        where += " AND m.uid IN (SELECT value FROM json_each(?))"
    scope = folders if copies_in is Copies.SEARCHED else copies_in
    if scope is None:
        where += _ONE_COPY.format(scope="")
    elif len(scope) > 1:
        params.append(json.dumps(list(scope)))
        where += _ONE_COPY.format(scope=" AND f2.name IN (SELECT value FROM json_each(?))")
    params.append(max(0, limit))
    sql = (f"SELECT f.name, m.internaldate, m.uid FROM messages AS m JOIN folders AS f"
           f" ON f.id = m.folder_id WHERE {where}"
           " ORDER BY m.internaldate DESC, m.uid DESC LIMIT ?")
    return [(name, int(date), int(uid)) for name, date, uid in conn.execute(sql, params)]


def index_bytes(conn: sqlite3.Connection) -> int:
    """Pages used by the index's shadow tables (dbstat), in bytes; 0 without dbstat."""
    try:
        row = conn.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat"
                           " WHERE name LIKE 'search_%'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0])
