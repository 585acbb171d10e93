"""The cache's schema as numbered migrations, applied in order and recorded in user_version;
a new cache made at the newest schema at once."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

# MIGRATIONS[n - 1] takes the schema from version n - 1 to version n; the version reached
# is stored in `PRAGMA user_version`, in the same transaction as the step.
# Never renumber, never edit a step that has shipped: append a new one.
# A step is a tuple of single statements (not a script): sqlite3's executescript() would
# commit the migration's transaction half-way, and a trigger body would hold semicolons.

_V1_FOLDERS = """
CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    wire BLOB NOT NULL,
    delimiter TEXT,
    attributes TEXT NOT NULL,
    role TEXT NOT NULL,
    subscribed INTEGER NOT NULL,
    -- Sync state; uidvalidity NULL means the folder was never synced.
    uidvalidity INTEGER,
    uidnext INTEGER NOT NULL DEFAULT 0,
    highestmodseq INTEGER,
    synced_since INTEGER,
    -- Kept up to date by qtmail.store.headers in the same transaction as each change,
    -- so counts never scan messages (per-row triggers cost a third of a 100,000-row sync).
    total INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0
)"""

# Addresses, references and flags are encoded by qtmail.store.codec. `seen` duplicates
# `"\Seen" in flags` so unread counting needs no string matching.
_V1_MESSAGES = """
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    uid INTEGER NOT NULL,
    internaldate INTEGER NOT NULL,
    flags TEXT NOT NULL,
    seen INTEGER NOT NULL,
    size INTEGER NOT NULL,
    date INTEGER,
    subject TEXT NOT NULL,
    sender TEXT NOT NULL,
    to_addrs TEXT NOT NULL,
    cc_addrs TEXT NOT NULL,
    message_id TEXT NOT NULL,
    in_reply_to TEXT NOT NULL,
    refs TEXT NOT NULL,
    has_attachment INTEGER NOT NULL,
    modseq INTEGER,
    UNIQUE (folder_id, uid)
)"""

# The message list's window query walks this index; (folder_id, uid) above serves uids().
_V1_BY_DATE = "CREATE INDEX messages_by_date ON messages (folder_id, internaldate, uid)"

# Keyed by the message's row id: a header refresh (upsert) keeps the row and its body,
# a removal cascades. last_opened is a counter, not a clock: ties and clock jumps
# cannot reorder the LRU.
_V1_BODIES = """
CREATE TABLE bodies (
    message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    raw BLOB NOT NULL,
    size INTEGER NOT NULL,
    last_opened INTEGER NOT NULL
)"""
# Covers both the eviction walk and sum(size).
_V1_BODIES_LRU = "CREATE INDEX bodies_lru ON bodies (last_opened, size)"

_V1_QUOTA = """
CREATE TABLE quota (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    used INTEGER NOT NULL,
    quota_limit INTEGER NOT NULL
)"""

# Version 2: local-first operations (ARCHITECTURE.md "Local-first operations").
# `hidden`: the local phase of a move or delete the server has not done yet.
# `deleted` duplicates `"\Deleted" in flags` (like `seen`): a server without UIDPLUS or
# MOVE leaves moved messages marked \Deleted, and those are not shown. A message is
# visible when both are 0; folders.total and .unread count visible messages only, and
# folders.cached counts every row (sync compares it with EXISTS).
_V2_HIDDEN = "ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0"
_V2_DELETED = "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0"
_V2_CACHED = "ALTER TABLE folders ADD COLUMN cached INTEGER NOT NULL DEFAULT 0"
# Flags are space-joined words, or GS (char 29) + a JSON array (qtmail.store.codec).
# GLOB, unlike LIKE, is case-sensitive, as `DELETED in flags` is in Python.
_V2_MARK_DELETED = r"""
UPDATE messages SET deleted = 1 WHERE
    CASE WHEN substr(flags, 1, 1) = char(29)
         THEN EXISTS (SELECT 1 FROM json_each(substr(flags, 2)) WHERE value = '\Deleted')
         ELSE ' ' || flags || ' ' GLOB '* \Deleted *' END"""
_V2_RECOUNT = """
UPDATE folders SET
    cached = (SELECT count(*) FROM messages WHERE folder_id = folders.id),
    total = (SELECT count(*) FROM messages WHERE folder_id = folders.id AND deleted = 0),
    unread = (SELECT count(*) FROM messages
              WHERE folder_id = folders.id AND deleted = 0 AND seen = 0)"""
# The message list shows visible rows only: a partial index holds exactly those, so the
# window query's OFFSET still skips index entries only, never table rows.
_V2_DROP_BY_DATE = "DROP INDEX messages_by_date"
_V2_VISIBLE_BY_DATE = """
CREATE INDEX messages_visible_by_date ON messages (folder_id, internaldate, uid)
    WHERE hidden = 0 AND deleted = 0"""
# hidden_uids() without a scan of the folder; hidden rows are few and short-lived.
_V2_HIDDEN_UIDS = "CREATE INDEX messages_hidden ON messages (folder_id, uid) WHERE hidden = 1"
# Operations waiting for the server, in order. AUTOINCREMENT: an id is never reused, so
# a stale reference to a removed operation can never hit a newer one. payload is JSON;
# data an optional blob (an .eml to append). state: queued | conflict | failed | done.
_V2_PENDING = """
CREATE TABLE pending (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    data BLOB,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL
)"""

# Version 3: the search index (issue 7; qtmail.store.search says why trigram). Its text
# is folded in Python, so rows present now are indexed by search.rebuild() at the first
# search (built = 0), not here; an empty cache starts built.
_V3_SEARCH_HEADERS = ("CREATE VIRTUAL TABLE search_headers USING"
                      " fts5(sender, recipients, cc, subject, tokenize='trigram')")
_V3_SEARCH_BODIES = "CREATE VIRTUAL TABLE search_bodies USING fts5(body, tokenize='trigram')"
_V3_SEARCH_STATE = """
CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), built INTEGER NOT NULL)"""
_V3_SEARCH_BUILT = ("INSERT INTO search_state (id, built)"
                    " SELECT 1, NOT EXISTS (SELECT 1 FROM messages)")
# A delete trigger (not an insert one: those would cost the sync) so removals, folder
# drops and cascades all leave the index.
_V3_UNINDEX = """
CREATE TRIGGER messages_unindex AFTER DELETE ON messages BEGIN
    DELETE FROM search_headers WHERE rowid = old.id;
    DELETE FROM search_bodies WHERE rowid = old.id;
END"""

# Search results come newest first across folders: walking this index stops after
# `limit` hits instead of sorting every match (operator queries: 170 -> 50 ms).
_V3_VISIBLE_BY_TIME = """
CREATE INDEX messages_visible_by_time ON messages (internaldate, uid)
    WHERE hidden = 0 AND deleted = 0"""

# Version 4: headers are indexed after they are written, not in the sync's transaction:
# trigram indexing costs ~2 s per 100,000 rows, half again a first sync (issue 2 wants
# it within 4x the protocol floor). `indexed = 0` marks a row still to index; searches
# catch up first (search.catch_up), and idle time can do it in small chunks.
_V4_INDEXED = "ALTER TABLE messages ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0"
_V4_MARK_INDEXED = "UPDATE messages SET indexed = (SELECT built FROM search_state)"
_V4_UNINDEXED = "CREATE INDEX messages_unindexed ON messages (id) WHERE indexed = 0"

# Version 5: writing mail (issue 6). What the user wrote exists nowhere else until the
# server has it: these rows are written with synchronous=FULL (qtmail.store.outgoing).
# outbox: one row per message to send; `raw` the bytes built once (the Message-ID and
# Date stay the same across retries), `draft` the Draft as JSON (Undo send reopens it),
# `recipients` the RCPT TO list as JSON (Bcc included, RFC 5321 3.3), `replied` and
# `forwarded` a MessageRef as JSON or NULL. state: waiting | sending | failed |
# maybe_sent (qtmail.core.events.OutgoingState values).
_V5_OUTBOX = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft TEXT NOT NULL,
    draft_id TEXT NOT NULL,
    raw BLOB NOT NULL,
    message_id TEXT NOT NULL,
    envelope_from TEXT NOT NULL,
    recipients TEXT NOT NULL,
    replied TEXT,
    forwarded TEXT,
    state TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    send_after REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
)"""
# drafts: the newest text of each open composer. state: save (the server lacks this
# version) | saved (in Drafts as `uid` under `uidvalidity`) | discard (to be removed
# from Drafts, then forgotten). `replaces`: JSON list of MessageRefs of Drafts copies
# to remove once this version is there (a reopened draft's original).
_V5_DRAFTS = """
CREATE TABLE drafts (
    draft_id TEXT PRIMARY KEY,
    draft TEXT,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    uid INTEGER NOT NULL DEFAULT 0,
    uidvalidity INTEGER NOT NULL DEFAULT 0,
    replaces TEXT NOT NULL DEFAULT '[]',
    updated REAL NOT NULL
)"""

# Version 6: the labelled undo and redo stacks (qtmail.store.undo_steps). label: JSON
# {"template", "parts"}; ops: JSON list of pending ids; again: JSON list of
# [kind, payload] of operations withdrawn by an undo, for its redo. AUTOINCREMENT: the
# newest step is the one with the highest id, and sqlite_sequence says whether any
# step was ever recorded. IF NOT EXISTS: a cache taken back to an older version by
# hand (tests do) keeps the table it had.
_V6_UNDO_STEPS = """
CREATE TABLE IF NOT EXISTS undo_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stack TEXT NOT NULL,
    label TEXT NOT NULL,
    ops TEXT NOT NULL,
    again TEXT NOT NULL DEFAULT '[]'
)"""

# Version 7: preview lines (issue 14), the first words of a body for the list's second
# line. Keyed by the message's row id like bodies: a header refresh keeps it, a removal
# cascades. A table of its own, so the first sync's INSERT into messages is unchanged.
_V7_PREVIEWS = """
CREATE TABLE IF NOT EXISTS previews (
    message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    text TEXT NOT NULL
)"""

# Version 8: Gmail's X-GM-MSGID (issue 16), one id for the copies of a message that has
# several labels (folders), so searches list it once and unread counts count it once.
# A table of its own, filled after a sync only on Gmail: other servers pay nothing.
_V8_GMAIL_IDS = """
CREATE TABLE IF NOT EXISTS gmail_ids (
    message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    gm_msgid INTEGER NOT NULL
)"""
_V8_GMAIL_BY_ID = "CREATE INDEX IF NOT EXISTS gmail_ids_by_id ON gmail_ids (gm_msgid)"

# Version 9: the header index without positions or its own copy of the text (issue
# 18; qtmail.store.search says how it is searched). Rows are indexed up to
# search_state.upto (message ids only grow, but SQLite reuses the highest id when that
# row goes: the trigger then lowers upto), refreshed ones are listed in search_redo;
# the `indexed` column and its index are no longer used. Every row is indexed again
# by the idle catch-up.
_V9_HEADERS = ("CREATE VIRTUAL TABLE search_headers USING fts5(text, tokenize='trigram',"
               " detail=none, content='')")
_V9_TRIGRAMS = "CREATE VIRTUAL TABLE search_trigrams USING fts5vocab(search_headers, 'row')"
_V9_DROP_UNINDEX = "DROP TRIGGER IF EXISTS messages_unindex"
_V9_DROP_HEADERS = "DROP TABLE IF EXISTS search_headers"
_V9_DROP_UNINDEXED = "DROP INDEX IF EXISTS messages_unindexed"
_V9_DROP_TRIGRAMS = "DROP TABLE IF EXISTS search_trigrams"
# search_state gains upto and stale; built as it was (the body index is kept).
_V9_SEARCH_STATE = """
CREATE TABLE search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    built INTEGER NOT NULL,
    upto INTEGER NOT NULL DEFAULT 0,
    stale INTEGER NOT NULL DEFAULT 0
)"""
_V9_STATE_KEPT = "CREATE TEMP TABLE search_state_kept AS SELECT built FROM search_state"
_V9_STATE_DROP = "DROP TABLE search_state"
_V9_STATE_FILL = ("INSERT INTO search_state (id, built)"
                  " SELECT 1, coalesce((SELECT built FROM search_state_kept), 1)")
_V9_STATE_KEPT_DROP = "DROP TABLE search_state_kept"
_V9_REDO = "CREATE TABLE IF NOT EXISTS search_redo (id INTEGER PRIMARY KEY)"
UNINDEX_TRIGGER = """
CREATE TRIGGER messages_unindex AFTER DELETE ON messages BEGIN
    DELETE FROM search_bodies WHERE rowid = old.id;
    DELETE FROM search_redo WHERE id = old.id;
    UPDATE search_state SET stale = stale + (old.id <= upto),
        upto = CASE WHEN upto >= old.id
                     AND old.id > coalesce((SELECT max(id) FROM messages), 0)
                    THEN old.id - 1 ELSE upto END;
END"""

# Version 10: the Outbox's big pieces in files (issue 18; qtmail.store.spool says why).
# spool: the token of a row's files, '' when its message and draft are in the row.
_V10_OUTBOX_SPOOL = "ALTER TABLE outbox ADD COLUMN spool TEXT NOT NULL DEFAULT ''"

# Version 11: the header index by words (issue 18; qtmail.store.search says how it is
# searched). search_headers: each message's words as tokens (a number per folded word,
# qtmail.store.search.word_token), tokenized by FTS5's ascii tokenizer, which costs a
# fraction of trigrams; search_words: each folded word once, by trigram, rowid its
# number; search_trigrams: that index's vocabulary. search_state.turn counts the
# catch-up's turns (qtmail.store.search.KnownWords). Every row is indexed again by the
# idle catch-up; searches meanwhile match the raw columns.
HEADERS_TABLE = ("CREATE VIRTUAL TABLE search_headers USING fts5(tokens, tokenize='ascii',"
                 " detail=none, content='', columnsize=0)")
WORDS_TABLE = ("CREATE VIRTUAL TABLE search_words USING fts5(word,"
               " tokenize='trigram case_sensitive 1', detail=none, content='', columnsize=0)")
TRIGRAMS_TABLE = "CREATE VIRTUAL TABLE search_trigrams USING fts5vocab(search_words, 'row')"
_V11_DROP_WORDS = "DROP TABLE IF EXISTS search_words"
_V11_TURN = "ALTER TABLE search_state ADD COLUMN turn INTEGER NOT NULL DEFAULT 0"
_V11_RESTART = "UPDATE search_state SET upto = 0, stale = 0"
SEARCH_STATE_TABLE = _V9_SEARCH_STATE.replace(
    "    stale INTEGER NOT NULL DEFAULT 0\n",
    "    stale INTEGER NOT NULL DEFAULT 0,\n    turn INTEGER NOT NULL DEFAULT 0\n")
_V11_REDO = "DELETE FROM search_redo"

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: folders (with sync state and counters), messages, bodies, quota.
    (_V1_FOLDERS, _V1_MESSAGES, _V1_BY_DATE, _V1_BODIES, _V1_BODIES_LRU, _V1_QUOTA),
    # 2: hidden and deleted messages, the cached counter, the pending operations.
    (_V2_HIDDEN, _V2_DELETED, _V2_CACHED, _V2_MARK_DELETED, _V2_RECOUNT, _V2_DROP_BY_DATE,
     _V2_VISIBLE_BY_DATE, _V2_HIDDEN_UIDS, _V2_PENDING),
    # 3: the full-text search index (never renumber).
    (_V3_SEARCH_HEADERS, _V3_SEARCH_BODIES, _V3_SEARCH_STATE, _V3_SEARCH_BUILT, _V3_UNINDEX,
     _V3_VISIBLE_BY_TIME),
    # 4: header indexing deferred (never renumber).
    (_V4_INDEXED, _V4_MARK_INDEXED, _V4_UNINDEXED),
    # 5: the Outbox and drafts in progress (never renumber).
    (_V5_OUTBOX, _V5_DRAFTS),
    # 6: the undo and redo stacks (never renumber).
    (_V6_UNDO_STEPS,),
    # 7: preview lines (never renumber).
    (_V7_PREVIEWS,),
    # 8: Gmail's message ids (never renumber).
    (_V8_GMAIL_IDS, _V8_GMAIL_BY_ID),
    # 9: the header index without positions (never renumber).
    (_V9_DROP_UNINDEX, _V9_DROP_TRIGRAMS, _V9_DROP_HEADERS, _V9_DROP_UNINDEXED,
     _V9_HEADERS, _V9_TRIGRAMS, _V9_STATE_KEPT, _V9_STATE_DROP, _V9_SEARCH_STATE,
     _V9_STATE_FILL, _V9_STATE_KEPT_DROP, _V9_REDO, UNINDEX_TRIGGER),
    # 10: the Outbox's spool (never renumber).
    (_V10_OUTBOX_SPOOL,),
    # 11: the header index by words (never renumber).
    (_V9_DROP_TRIGRAMS, _V9_DROP_HEADERS, _V11_DROP_WORDS, HEADERS_TABLE, WORDS_TABLE,
     TRIGRAMS_TABLE, _V11_TURN, _V11_RESTART, _V11_REDO),
)

SCHEMA_VERSION = len(MIGRATIONS)

# A new (empty) cache is made at NEW_CACHE_VERSION at once, in one transaction, rather
# than by a step and a commit per version (issue 18: a new profile's first rows).
# The same tables, columns (in the same order: ALTER TABLE appends), indexes and
# triggers as the migrations make; tests/unit/test_store_schema.py compares the two.
# Migrations after NEW_CACHE_VERSION run on a new cache as on any other, so a new step
# need not touch these (bring them up to date when convenient, with NEW_CACHE_VERSION).
NEW_CACHE_VERSION = 11
_NEW_FOLDERS = _V1_FOLDERS.replace(
    "    unread INTEGER NOT NULL DEFAULT 0\n",
    "    unread INTEGER NOT NULL DEFAULT 0,\n    cached INTEGER NOT NULL DEFAULT 0\n")
# `indexed` (version 4) is no longer used (version 9), but migrated caches have it.
_NEW_MESSAGES = _V1_MESSAGES.replace("    modseq INTEGER,\n", """    modseq INTEGER,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,
""")
_NEW_OUTBOX = _V5_OUTBOX.replace("    created REAL NOT NULL\n", """    created REAL NOT NULL,
    spool TEXT NOT NULL DEFAULT ''
""")
# An empty cache has nothing to index: built (as version 3's _V3_SEARCH_BUILT says).
_NEW_SEARCH_STATE = "INSERT INTO search_state (id, built) VALUES (1, 1)"
NEW_CACHE: tuple[str, ...] = (
    _NEW_FOLDERS, _NEW_MESSAGES, _V1_BODIES, _V1_BODIES_LRU, _V1_QUOTA,
    _V2_VISIBLE_BY_DATE, _V2_HIDDEN_UIDS, _V2_PENDING,
    _V3_SEARCH_BODIES, _V3_VISIBLE_BY_TIME,
    _NEW_OUTBOX, _V5_DRAFTS, _V6_UNDO_STEPS, _V7_PREVIEWS, _V8_GMAIL_IDS, _V8_GMAIL_BY_ID,
    HEADERS_TABLE, WORDS_TABLE, TRIGRAMS_TABLE, SEARCH_STATE_TABLE, _NEW_SEARCH_STATE,
    _V9_REDO,
    UNINDEX_TRIGGER,
)


class NewerSchemaError(Exception):
    """The file was written by a newer qtmail; this one must not touch it."""


def user_version(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION; a no-op when it is there already."""
    version = user_version(conn)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(f"schema {version} is newer than {SCHEMA_VERSION}")
    if version == 0 and NEW_CACHE_VERSION <= SCHEMA_VERSION and _create(conn):
        version = NEW_CACHE_VERSION
    for number in range(version + 1, SCHEMA_VERSION + 1):
        _apply(conn, number)


def _create(conn: sqlite3.Connection) -> bool:
    """Make an empty file a cache of NEW_CACHE_VERSION; False when it is not empty (any
    more: another writer may have been first)."""
    def empty() -> bool:
        return user_version(conn) == 0 and conn.execute(
            "SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is None

    if not _step(conn, NEW_CACHE, NEW_CACHE_VERSION, needed=empty):
        return False
    log.info("Mail cache created at schema version %d", NEW_CACHE_VERSION)
    return True


def _apply(conn: sqlite3.Connection, number: int) -> None:
    # Re-read under the write lock: another writer may have migrated meanwhile.
    if _step(conn, MIGRATIONS[number - 1], number,
             needed=lambda: user_version(conn) < number):
        log.info("Mail cache schema migrated to version %d", number)


def _step(conn: sqlite3.Connection, statements: Sequence[str], version: int, *,
          needed: Callable[[], bool]) -> bool:
    """``statements`` and user_version ``version`` in one transaction, if ``needed()``
    still holds under the write lock; whether they were."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not needed():
            conn.execute("ROLLBACK")
            return False
        for statement in statements:
            conn.execute(statement)
        # PRAGMA takes no parameters; version is our own int.
        conn.execute(f"PRAGMA user_version = {version:d}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True
