"""The full-text index (SQLite FTS5) and the local half of search (issue 7).

Text is folded in Python (qtmail.search.query.fold) before it is indexed and before it
is searched: SQLite here may predate trigram's remove_diacritics (3.45).

Headers (schema 11, issue 18) are indexed by words, in two FTS5 tables:
- ``search_words``: each folded word once (of subjects and of address columns), by
  trigram, its rowid the word's number (word_number: a CRC-32). Trigrams find a term
  inside words, so Japanese (no spaces between words) and German compounds match
  ("bahn" in "Straßenbahn") with no ICU tokenizer to ship.
- ``search_headers``: each message's words as tokens (the numbers in base 36), by
  FTS5's ascii tokenizer, contentless, ``detail=none``: which messages hold a word.
A term's words are looked up in search_words (a word under 3 characters in its
vocabulary, ``search_trigrams``: every trigram it starts, since each entry ends with
padding), and the messages holding, for each word, any of the words found are the
candidates. A candidate is confirmed by folding its cached columns again
(``qtmail_row_text``, a Python function registered on every connection): exact
substring and phrase matches, per-field terms (from:, to:, ...), stale entries
ignored. Queries walk the messages newest first and stop at ``limit``, so only the
rows shown are confirmed; a word found in too many indexed words (a common letter)
leaves the narrowing to the term's other words, or to the walk alone.

Why words: a message has ~12 of them but ~110 trigrams, and FTS5's cost is per token.
The catch-up of 100,000 messages takes 0.42 s of CPU instead of 1.05 s (bench_search.py),
39-42% of the protocol floor, and the index is 1.5 MB instead of 9.8 MB (the positional
index of schema 3 with its own copy of the text: 52.5 MB).

Rows are indexed after they are written, not in the sync's transactions:
``search_state.upto`` is the highest message id indexed, ``search_redo`` lists
refreshed rows. The account worker catches up in idle turns (sync/jobs.py
``IndexCatchUp``), the writer before it searches (Store.search), and the GUI's
read-only connection matches rows not indexed yet on their raw columns (_unindexed).
A contentless table cannot delete an entry without its exact text, so removed and
refreshed rows leave stale entries behind, counted in ``search_state.stale``; when
they outnumber the live rows the index is emptied and built again in idle turns.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache

from qtmail.core import yielding
from qtmail.core.types import Address, MessageSummary
from qtmail.search.query import Query, Term, fold, fold_uncached
from qtmail.store.codec import SUMMARY_COLUMNS, decode_addresses, summary_from_row
from qtmail.store.schema import (
    HEADERS_TABLE,
    SEARCH_STATE_TABLE,
    TRIGRAMS_TABLE,
    UNINDEX_TRIGGER,
    WORDS_TABLE,
)

_VISIBLE = "m.hidden = 0 AND m.deleted = 0"
YIELD_EVERY = 50
"""Rows folded between two GIL hand-overs to the GUI (qtmail.core.yielding)."""
_ROW_COLUMNS = ", ".join(f"m.{c.strip()}" for c in SUMMARY_COLUMNS.split(","))

SEPARATOR = "\x1f"
"""Between the fields of a row's folded text, and after a word in the word index:
never in folded header text or a term (str.split() cuts there)."""

SHORT_TRIGRAMS_MAX = 64
"""A term under 3 characters contained in more trigrams than this is common: the
newest-first walk finds enough matches sooner than the index would list them."""
RARE_CANDIDATES = 2000
"""At most this many messages named by the index: read them by id rather than walk."""
TURN_STEP = 500
"""Rows read at a time in a turn bounded by time."""
FLUSH_ROWS = 20_000
"""Rows whose entries are held in memory before they are inserted."""
WORDS_MAX = 300
"""A word of a term contained in more indexed words than this is common: the term's
other words narrow the messages, or the newest-first walk finds them."""
STALE_REBUILD_MIN = 5000
"""Stale entries tolerated whatever the number of live rows."""
AUTOMERGE = 8
"""Segments of one level the header index merges into one (FTS5's own default: 4)."""


def _who(addresses: Iterable[Address]) -> str:
    # fold() caches per name and address, which repeat far more than their pairs.
    return " ".join(f"{fold(a.name)} {fold(a.addr)}" for a in addresses)


@lru_cache(maxsize=16384)
def who_text(encoded: str) -> str:
    """The folded text of a cached address column (one sender or a list). Cached by
    the column's text: a mailbox's senders and recipient lists recur, and decoding
    them into addresses was a fifth of the index catch-up's CPU (bench_search.py)."""
    return _who(decode_addresses(encoded)) if encoded else ""


def row_text(subject: str, sender: str, to: str, cc: str) -> str:
    """The folded text of a message's searchable columns, which a match is confirmed
    in: a term is found in one field (it never holds the separator)."""
    return SEPARATOR.join((who_text(sender), who_text(to), who_text(cc), fold(subject)))


def register(conn: sqlite3.Connection) -> None:
    """The folding functions the queries below call; every connection that searches."""
    conn.create_function("qtmail_row_text", 4, row_text, deterministic=True)
    conn.create_function("qtmail_who", 1, who_text, deterministic=True)
    conn.create_function("qtmail_fold", 1, fold, deterministic=True)


def tune(conn: sqlite3.Connection) -> None:
    """The writer's settings of the header index, kept in its config table: segments
    merged AUTOMERGE at a time instead of FTS5's default 4, which took a sixth of the
    catch-up's CPU (bench_search.py: 1.46 -> 1.26 s per 100,000 rows; 1,000,000: 23.1
    -> 18.8 s) for a few more segments to read per search (a rare word 0.3 -> 0.6 ms;
    the slowest search on 1,000,000 indexed rows unchanged, 85 ms)."""
    try:
        row = conn.execute("SELECT v FROM search_headers_config WHERE k = 'automerge'"
                           ).fetchone()
    except sqlite3.OperationalError:
        return  # no index (dropped or damaged): rebuild() creates it, then tunes it
    if row is None or row[0] != AUTOMERGE:
        conn.execute("INSERT INTO search_headers (search_headers, rank)"
                     " VALUES ('automerge', ?)", (AUTOMERGE,))


def catch_up(conn: sqlite3.Connection, limit: int | None = None,
             known: KnownWords | None = None, seconds: float | None = None) -> int:
    """Index the rows written (and refreshed) since, in the caller's transaction: all,
    or up to ``limit``, or as many as ``seconds`` allow (YIELD_EVERY rows at least).
    ``known``: the words this cache's index has, kept by its Store between turns.
    Returns how many rows were indexed."""
    known = known if known is not None else KnownWords()
    try:
        return _catch_up(conn, limit, known, seconds)
    except BaseException:
        known.forget()  # what it added may be rolled back with the transaction
        raise


def _catch_up(conn: sqlite3.Connection, limit: int | None, known: KnownWords,
              seconds: float | None) -> int:
    _forget_if_stale(conn)
    known.check(conn)
    deadline = None if seconds is None else time.monotonic() + seconds
    entries: list[tuple[int, str]] = []
    done = 0
    while limit is None or done < limit:
        step = 5000 if limit is None else min(5000, limit - done)
        if deadline is not None:
            step = min(step, TURN_STEP)
        upto = _upto(conn)
        rows = conn.execute("SELECT id, subject, sender, to_addrs, cc_addrs FROM messages"
                            " WHERE id > ? ORDER BY id LIMIT ?", (upto, step)).fetchall()
        redo = conn.execute(
            "SELECT m.id, m.subject, m.sender, m.to_addrs, m.cc_addrs FROM search_redo AS r"
            " JOIN messages AS m ON m.id = r.id LIMIT ?", (step - len(rows),)
        ).fetchall() if len(rows) < step else []
        if not rows and not redo:
            conn.execute("DELETE FROM search_redo")  # ids of rows gone meanwhile
            break
        batch = rows + redo
        for start in range(0, len(batch), YIELD_EVERY):
            if start and deadline is not None and time.monotonic() >= deadline:
                batch = batch[:start]  # the turn is over: the rest waits for the next
                break
            yielding.pause()  # the GUI paints meanwhile (a worker's idle job)
            entries += known.entries(batch[start:start + YIELD_EVERY])
        rows, redo = batch[:len(rows)], batch[len(rows):]
        if rows:
            conn.execute("UPDATE search_state SET upto = ?", (rows[-1][0],))
        if redo:
            conn.execute("DELETE FROM search_redo WHERE id IN (SELECT value FROM json_each(?))",
                         (json.dumps([row[0] for row in redo]),))
        done += len(batch)
        if len(entries) >= FLUSH_ROWS:
            _insert(conn, known, entries)
            entries = []
        if deadline is not None and time.monotonic() >= deadline:
            break
    if entries:
        _insert(conn, known, entries)
    known.turn_done(conn)
    return done


def _insert(conn: sqlite3.Connection, known: KnownWords, entries: list[tuple[int, str]]
            ) -> None:
    """Each statement on an FTS5 table writes what it holds in memory out as a segment,
    to be merged later: a turn inserts its rows in one statement (four a turn cost 12%
    more CPU, bench_search.py)."""
    known.add_new(conn)
    conn.executemany("INSERT INTO search_headers (rowid, tokens) VALUES (?, ?)", entries)


def word_number(word: str) -> int:
    """A folded word's number: its CRC-32, its rowid in the word index. Two words of
    one number only make candidates that the rows' text then rules out."""
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def word_token(word: str) -> str:
    """A folded word's token in the header index: its number in base 36 (the ascii
    tokenizer takes letters and digits, and folds case)."""
    return _base36(word_number(word))


def _base36(number: int) -> str:
    digits = []
    while True:
        number, digit = divmod(number, 36)
        digits.append(_DIGITS[digit])
        if not number:
            return "".join(reversed(digits))


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class _Tokens(dict[str, str]):
    """A text -> the tokens of its folded words ("" when it folds to none); the words
    met for the first time wait in ``new`` for the word index."""

    def __init__(self, fold_text: Callable[[str], str]) -> None:
        super().__init__()
        self._fold = fold_text
        self.new: list[str] = []

    def __missing__(self, text: str) -> str:
        words = self._fold(text).split()
        self.new += words
        tokens = self[text] = " ".join(map(word_token, words))
        return tokens


class KnownWords:
    """The tokens of the words as written (subjects) and of the address columns whose
    folded words a cache's word index holds, so a turn of the catch-up indexes a
    message by dictionary look-ups, and adds to the word index only what it has not
    met. Words as written repeat (Re:, a list's tag, a thread's subject), and so do
    address columns; fold() is the same for a word alone and inside its subject
    (qtmail.search.query.fold_uncached), so the tokens are those of the subject folded
    whole.

    Valid while search_state.turn is the number the last turn left there: a turn
    rolled back, another writer's turn or an index emptied all change it, and the
    look-ups start afresh (a word indexed twice costs a little room until FTS5 merges
    the copies)."""

    def __init__(self) -> None:
        self._turn = -1
        self._subjects = _Tokens(fold_uncached)
        self._columns = _Tokens(who_text)

    def check(self, conn: sqlite3.Connection) -> None:
        if _turn(conn) != self._turn or len(self._subjects) > RAW_WORDS_MAX \
                or len(self._columns) > COLUMNS_MAX:
            self.forget()

    def forget(self) -> None:
        self._subjects = _Tokens(fold_uncached)
        self._columns = _Tokens(who_text)

    def entries(self, rows: Sequence[_Row]) -> list[tuple[int, str]]:
        """(id, entry) of rows (id, subject, sender, to, cc): the tokens of their
        folded words."""
        subject = self._subjects.__getitem__
        column = self._columns.__getitem__
        return [(row[0], " ".join((" ".join(map(subject, row[1].split())),
                                   column(row[2]), column(row[3]), column(row[4]))))
                for row in rows]

    def add_new(self, conn: sqlite3.Connection) -> None:
        """Put in the word index the words met since the last call."""
        words = set(self._subjects.new)
        words.update(self._columns.new)
        self._subjects.new, self._columns.new = [], []
        conn.executemany("INSERT INTO search_words (rowid, word) VALUES (?, ?)",
                         [(word_number(word), word + SEPARATOR + SEPARATOR)
                          for word in words])

    def turn_done(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("UPDATE search_state SET turn = turn + 1 RETURNING turn").fetchone()
        self._turn = int(row[0]) if row is not None else 0


RAW_WORDS_MAX = 50_000
"""Words as written a KnownWords remembers before starting afresh: ~8 MB."""
COLUMNS_MAX = 20_000
"""Address columns a KnownWords remembers before starting afresh."""
_Row = tuple[int, str, str, str, str]


def _turn(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT turn FROM search_state").fetchone()
    return int(row[0]) if row is not None else 0


def _upto(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT upto FROM search_state").fetchone()
    return int(row[0]) if row is not None else 0


def _forget_if_stale(conn: sqlite3.Connection) -> None:
    """More stale entries than live rows (and many): empty the index, which the idle
    turns then build again (searches meanwhile match the raw columns)."""
    stale = conn.execute("SELECT stale FROM search_state").fetchone()
    if stale is None or stale[0] < STALE_REBUILD_MIN:
        return
    live = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    if stale[0] > live:
        conn.execute("INSERT INTO search_headers (search_headers) VALUES ('delete-all')")
        conn.execute("INSERT INTO search_words (search_words) VALUES ('delete-all')")
        conn.execute("DELETE FROM search_redo")
        conn.execute("UPDATE search_state SET upto = 0, stale = 0, turn = turn + 1")


def mark_refreshed(conn: sqlite3.Connection, folder_id: int, uids: str) -> None:
    """Rows whose headers were written again (``uids`` a JSON array): indexed again,
    their old entries now stale."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO search_redo (id) SELECT id FROM messages WHERE folder_id = ?"
        " AND uid IN (SELECT value FROM json_each(?))"
        " AND id <= (SELECT upto FROM search_state)", (folder_id, uids))
    if cursor.rowcount > 0:
        conn.execute("UPDATE search_state SET stale = stale + ?", (cursor.rowcount,))


def unindexed_count(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT (SELECT count(*) FROM messages WHERE id >"
                       " (SELECT upto FROM search_state)) + (SELECT count(*) FROM search_redo)"
                       ).fetchone()
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
        conn.execute("SELECT 1 FROM search_trigrams LIMIT 0")
    except sqlite3.OperationalError:
        return False  # the tables are missing (dropped or damaged)
    return row is not None and bool(row[0])


def rebuild(conn: sqlite3.Connection, known: KnownWords | None = None) -> int:
    """Recreate the index from the cached rows, in the caller's transaction; return how
    many rows were indexed. Bodies are re-read from the bodies table."""
    try:
        turn = _turn(conn)
    except sqlite3.OperationalError:
        turn = 0  # no state table (dropped or damaged)
    for table in ("search_trigrams", "search_headers", "search_words", "search_bodies",
                  "search_redo", "search_state"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(HEADERS_TABLE)
    conn.execute(WORDS_TABLE)
    tune(conn)
    conn.execute(TRIGRAMS_TABLE)
    conn.execute("CREATE VIRTUAL TABLE search_bodies USING fts5(body, tokenize='trigram')")
    conn.execute("CREATE TABLE search_redo (id INTEGER PRIMARY KEY)")
    conn.execute(SEARCH_STATE_TABLE)
    # The turn goes on from where it was: a writer that remembers the words of the old
    # index (KnownWords) then forgets them.
    conn.execute("INSERT INTO search_state (id, built, turn) VALUES (1, 1, ?)", (turn + 1,))
    conn.execute("DROP TRIGGER IF EXISTS messages_unindex")
    conn.execute(UNINDEX_TRIGGER)
    count = catch_up(conn, known=known)
    for message, raw in conn.execute("SELECT message, raw FROM bodies").fetchall():
        index_body(conn, message, bytes(raw))
    return count


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


_RAW_COLUMNS = {"from": "sender", "to": "to_addrs", "cc": "cc_addrs", "subject": "subject"}
# The folded text a term must be found in, per field (its words are what the index holds).
_FOLDED = {"from": "qtmail_who(m.sender)", "to": "qtmail_who(m.to_addrs)",
           "cc": "qtmail_who(m.cc_addrs)", "subject": "qtmail_fold(m.subject)",
           "any": "qtmail_row_text(m.subject, m.sender, m.to_addrs, m.cc_addrs)"}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _raw_match(term: Term, value: str, row: str, walk: str = ""
               ) -> tuple[str, list[object]]:
    """The condition (and its parameters) that the message aliased ``row`` is not
    indexed yet and its raw columns hold the term, as typed or folded (SQLite's LIKE).
    ``walk="+"`` keeps SQLite from gathering such rows by id (a MULTI-INDEX OR of the
    id range and the redo list) where it should test each row of the newest-first walk
    instead."""
    columns = [_RAW_COLUMNS[term.field]] if term.field in _RAW_COLUMNS \
        else list(_RAW_COLUMNS.values())
    patterns = list(dict.fromkeys((_like(term.value.strip()), _like(value))))
    params: list[object] = [pattern for _column in columns for pattern in patterns]
    likes = " OR ".join(f"{row}.{column} LIKE ? ESCAPE '\\'"
                        for column in columns for _pattern in patterns)
    return (f"({walk}{row}.id > (SELECT upto FROM search_state)"
            f" OR {walk}{row}.id IN (SELECT id FROM search_redo)) AND ({likes})", params)


def _unindexed(term: Term, value: str, params: list[object],
               conn: sqlite3.Connection | None) -> str:
    """Rows written since the last catch-up (above search_state.upto, or refreshed).
    Their raw columns are matched with SQLite's own LIKE, for the text as typed and as
    folded: a Python fold per row cost 1-3 s on 100,000 rows not indexed yet
    (bench_search.py), LIKE 50-120 ms. LIKE ignores ASCII case only, so "muller" may
    miss an unindexed "Müller" until the idle catch-up indexes it (a few seconds after
    a sync).

    As with the index (_rare), the rows of a term found in few of them are looked up
    first and their ids handed in, so SQLite reads them by id instead of walking the
    folder; a common term is tested on each row of the newest-first walk, which stops
    at the limit. On 100,000 rows not indexed yet, the list of the 12,500 "müller" took
    130 ms to gather, read by id and sort; the walk takes 5 ms, the look-up 2-30 ms.
    The look-up and the query must see one snapshot (Store.search opens a transaction):
    an id listed, then removed and given to a new message by SQLite, would name it."""
    match, match_params = _raw_match(term, value, "u")
    if conn is None:
        # A list of ids, like the index's, made inside the statement.
        params.extend(match_params)
        return f"m.id IN (SELECT u.id FROM messages AS u WHERE {match})"
    ids = [row[0] for row in conn.execute(
        f"SELECT u.id FROM messages AS u WHERE {match} LIMIT ?",
        (*match_params, RARE_CANDIDATES + 1))]
    if len(ids) <= RARE_CANDIDATES:
        params.append(json.dumps(ids))
        return "m.id IN (SELECT value FROM json_each(?))"
    match, match_params = _raw_match(term, value, "m", walk="+")
    params.extend(match_params)
    return match


def _all_indexed(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT coalesce((SELECT max(id) FROM messages), 0)"
                       " <= (SELECT upto FROM search_state)"
                       " AND NOT EXISTS (SELECT 1 FROM search_redo)").fetchone()
    return bool(row[0])


def _word_match(word: str, conn: sqlite3.Connection) -> str | None:
    """The MATCH expression of the indexed words that may contain ``word``: all its
    trigrams, or for a word under 3 characters any trigram it starts, from the word
    index's vocabulary. "" when none can; None when too many do."""
    if len(word) >= 3:
        grams = sorted({word[i:i + 3] for i in range(len(word) - 2)})
        return " AND ".join(_fts_phrase(gram) for gram in grams)
    # A range of the vocabulary, which it seeks to (a scan of it took 130 ms).
    grams = [str(row[0]) for row in conn.execute(
        "SELECT term FROM search_trigrams WHERE term >= ? AND term < ? LIMIT ?",
        (word, word + "\U0010ffff", SHORT_TRIGRAMS_MAX + 1))]
    if len(grams) > SHORT_TRIGRAMS_MAX:
        return None
    return " OR ".join(_fts_phrase(gram) for gram in grams)


def _tokens_query(value: str, conn: sqlite3.Connection | None) -> str | None:
    """The MATCH expression of the messages that may hold ``value``: for each of its
    words, any token of an indexed word containing it (a phrase's first word may end
    a word of the message, its last begin one). "" when no message can hold it; None
    when every word is too common for the index to help, or with no connection to look
    the words up."""
    if conn is None:
        return None
    parts = []
    for word in dict.fromkeys(value.split()):
        match = _word_match(word, conn)
        if match == "":
            return ""
        if match is None:
            continue  # a common letter: the other words narrow, each row confirms
        numbers = {int(row[0]) for row in conn.execute(
            "SELECT rowid FROM search_words WHERE search_words MATCH ? LIMIT ?",
            (match, WORDS_MAX + 1))}
        if not numbers:
            return ""
        if len(numbers) <= WORDS_MAX:
            parts.append("(" + " OR ".join(sorted(map(_base36, numbers))) + ")")
    return " AND ".join(parts) if parts else None


def _rare(conn: sqlite3.Connection, match: str) -> bool:
    """Whether the index names at most RARE_CANDIDATES messages for ``match``."""
    row = conn.execute("SELECT count(*) FROM (SELECT rowid FROM search_headers"
                       " WHERE search_headers MATCH ? LIMIT ?)",
                       (match, RARE_CANDIDATES + 1)).fetchone()
    return int(row[0]) <= RARE_CANDIDATES


def _text_condition(term: Term, params: list[object],
                    conn: sqlite3.Connection | None) -> str | None:
    value = fold(term.value)
    if not value.strip():
        return None
    if term.field == "body":
        if len(value) >= 3:
            params.append(_fts_phrase(value))
            return "m.id IN (SELECT rowid FROM search_bodies WHERE search_bodies MATCH ?)"
        params.append(value)
        return ("EXISTS (SELECT 1 FROM search_bodies_content AS b WHERE b.id = m.id"
                " AND instr(b.c0, ?) > 0)")
    folded = _FOLDED[term.field]
    match = _tokens_query(value, conn)
    if match is None:
        # Found by confirming rows newest first, whether indexed or not: the walk
        # stops at the limit, which a common letter reaches within a few hundred rows.
        params.append(value)
        return f"instr({folded}, ?) > 0"
    conditions = []
    if match:
        # A common term: the unary + keeps SQLite walking the messages newest first (the
        # ORDER BY's index) and testing each against the index, so it stops at the
        # limit. A rare one: the few messages the index names are read by id and
        # sorted, instead of walking the whole folder past them (1,000,000 messages:
        # 180 ms for a word in 100 of them).
        walk = "+" if conn is None or not _rare(conn, match) else ""
        params.extend((match, value))
        conditions.append(f"({walk}m.id IN (SELECT rowid FROM search_headers"
                          f" WHERE search_headers MATCH ?) AND instr({folded}, ?) > 0)")
    if term.field == "any" and len(value) >= 3:
        params.append(_fts_phrase(value))
        conditions.append("m.id IN (SELECT rowid FROM search_bodies WHERE search_bodies"
                          " MATCH ?)")
    if conn is None or not _all_indexed(conn):
        conditions.append(_unindexed(term, value, params, conn))
    return " OR ".join(conditions) if conditions else "0"


# is:flagged: flags are space-joined or GS + JSON (qtmail.store.codec).
_FLAGGED = ("(instr(' ' || m.flags || ' ', ' \\Flagged ') > 0"
            " OR instr(m.flags, '\"\\\\Flagged\"') > 0)")


def term_condition(term: Term, params: list[object],
                   conn: sqlite3.Connection | None = None) -> str | None:
    """The SQL condition of one term (over messages m, folders f), or None for none."""
    if term.field in _FOLDED or term.field == "body":
        return _text_condition(term, params, conn)
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


def _where(query: Query, folders: Sequence[str] | None, params: list[object],
           conn: sqlite3.Connection | None) -> str:
    where = [_VISIBLE]
    for term in query.terms:
        condition = term_condition(term, params, conn)
        if condition is not None:
            where.append(f"NOT ({condition})" if term.negated else f"({condition})")
    if folders is not None:
        params.append(json.dumps(list(folders)))
        where.append("f.name IN (SELECT value FROM json_each(?))")
    return " AND ".join(where)


def to_sql(query: Query, folders: Sequence[str] | None, limit: int,
           conn: sqlite3.Connection | None = None) -> tuple[str, list[object]]:
    """The SELECT of (folder name, summary columns...) for the query, newest first;
    ``conn`` to look short terms up in the index."""
    params: list[object] = []
    where = _where(query, folders, params, conn)
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
    sql, params = to_sql(query, folders, limit, conn)
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
    where = _where(query, folders, params, conn)
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
