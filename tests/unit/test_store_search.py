"""Store.search: the FTS5 trigram index kept by the header and body writes (issue 7)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from qtmail.core.types import FLAGGED, SEEN, Address, FolderInfo, MessageSummary
from qtmail.store import Store


def folder(name: str) -> FolderInfo:
    return FolderInfo(name, name.encode(), "/")


ALICE = Address("Alice", "alice@example.org")


def msg(uid: int, subject: str, *, sender: Address = ALICE,
        to: tuple[Address, ...] = (), flags: frozenset[str] = frozenset(),
        day: int = 0, size: int = 1000, attachment: bool = False) -> MessageSummary:
    return MessageSummary(uid=uid, flags=flags, internaldate=1_735_689_600 + day * 86400 + uid,
                          size=size, date=None, subject=subject, sender=sender, to=to,
                          has_attachment=attachment)


BODY = (b"From: a@example.org\r\nSubject: body\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"\r\nDie Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln, zebrafish inside.\r\n")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite") as opened:
        opened.save_folders([folder("INBOX"), folder("Archive")])
        opened.add_summaries("INBOX", [
            msg(1, "Café meeting", sender=Address("Jürgen Müller", "jm@example.de")),
            msg(2, "Straßenbahn Fahrplan", to=(Address("Bob", "bob@example.org"),),
                flags=frozenset({SEEN}), day=10),
            msg(3, "東京駅で会いましょう", flags=frozenset({FLAGGED}), day=20, size=3_000_000),
            msg(4, "Invoice attached", attachment=True, day=30),
        ])
        opened.add_summaries("Archive", [msg(1, "Old cafe notes", day=-100)])
        yield opened


def uids(results: list[tuple[str, MessageSummary]]) -> list[tuple[str, int]]:
    return [(name, s.uid) for name, s in results]


def test_accents_and_case_are_ignored(store: Store) -> None:
    assert uids(store.search("CAFE")) == [("INBOX", 1), ("Archive", 1)]
    assert uids(store.search("café")) == [("INBOX", 1), ("Archive", 1)]
    assert uids(store.search("muller")) == [("INBOX", 1)]
    assert uids(store.search("MÜLLER")) == [("INBOX", 1)]


def test_german_sharp_s_and_compounds(store: Store) -> None:
    assert uids(store.search("strasse")) == [("INBOX", 2)]
    assert uids(store.search("Straße")) == [("INBOX", 2)]
    assert uids(store.search("bahn")) == [("INBOX", 2)]  # inside a compound


def test_japanese_substrings(store: Store) -> None:
    assert uids(store.search("東京")) == [("INBOX", 3)]
    assert uids(store.search("会いましょう")) == [("INBOX", 3)]
    assert uids(store.search("駅")) == [("INBOX", 3)]  # one character: LIKE fallback


def test_operators(store: Store) -> None:
    assert uids(store.search("is:unread", folders=["INBOX"])) == [
        ("INBOX", 4), ("INBOX", 3), ("INBOX", 1)]
    assert uids(store.search("is:read")) == [("INBOX", 2)]
    assert uids(store.search("is:flagged")) == [("INBOX", 3)]
    assert uids(store.search("has:attachment")) == [("INBOX", 4)]
    assert uids(store.search("larger:1M")) == [("INBOX", 3)]
    assert uids(store.search("from:jm@example")) == [("INBOX", 1)]
    assert uids(store.search("to:bob")) == [("INBOX", 2)]
    assert uids(store.search("subject:invoice")) == [("INBOX", 4)]
    assert uids(store.search("before:2025-01-05 folder:inbox")) == [("INBOX", 1)]
    assert uids(store.search("after:2025-01-25")) == [("INBOX", 4)]
    assert uids(store.search("from:invoice")) == []


def test_negation_phrase_and_scope(store: Store) -> None:
    assert uids(store.search("cafe -folder:Archive")) == [("INBOX", 1)]
    assert uids(store.search("cafe -meeting")) == [("Archive", 1)]
    assert uids(store.search('"cafe notes"')) == [("Archive", 1)]
    assert uids(store.search('"notes cafe"')) == []
    assert uids(store.search("cafe", folders=["Archive"])) == [("Archive", 1)]
    assert uids(store.search("cafe", limit=1)) == [("INBOX", 1)]


def test_bad_input_never_raises(store: Store) -> None:
    for text in ('"', 'subject:"caf', "-", '""', "is:", "x:y:z", "%_\\", "a\"b'c", "   "):
        store.search(text)
    assert uids(store.search('subject:"caf')) == [("INBOX", 1), ("Archive", 1)]
    assert store.search("") == []


def test_hidden_and_deleted_rows_are_excluded(store: Store) -> None:
    store.hide_messages("INBOX", [1])
    assert uids(store.search("cafe")) == [("Archive", 1)]
    store.set_flags("Archive", {1: frozenset({"\\Deleted"})})
    assert store.search("cafe") == []


def test_body_text_is_indexed_and_follows_removal(store: Store) -> None:
    store.put_body("INBOX", 4, BODY)
    assert uids(store.search("zebrafish")) == [("INBOX", 4)]
    assert uids(store.search("body:grusse koln")) == [("INBOX", 4)]
    assert uids(store.search("subject:zebrafish")) == []
    store.add_summaries("INBOX", [msg(4, "Invoice again", day=30)])  # refresh keeps body
    assert uids(store.search("zebrafish again")) == [("INBOX", 4)]
    store.remove_messages("INBOX", [4])
    assert store.search("zebrafish") == []
    assert store.search("invoice") == []


def test_header_refresh_replaces_the_entry(store: Store) -> None:
    store.add_summaries("INBOX", [msg(2, "Renamed subject", day=10)])
    assert store.search("fahrplan") == []
    assert uids(store.search("renamed")) == [("INBOX", 2)]


def behind_its_back(path: Path, *statements: str) -> None:
    """Change a closed cache as another program (or a damaged disk) would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_index_rebuilt_when_missing(store: Store, tmp_path: Path) -> None:
    store.put_body("INBOX", 4, BODY)
    behind_its_back(tmp_path / "cache.sqlite", "DROP TABLE search_headers",
                    "DROP TABLE search_state")
    with Store.open(tmp_path / "cache.sqlite") as again:
        assert uids(again.search("zebrafish")) == [("INBOX", 4)]
        assert uids(again.search("müller")) == [("INBOX", 1)]
        assert again.search_index_bytes() > 0


def test_reader_sees_the_writers_index(store: Store, tmp_path: Path) -> None:
    """Headers are indexed after they are written (schema 4, 9): a reader, which cannot
    catch up itself, still finds rows not indexed yet by their raw text (SQLite's LIKE:
    ASCII case only), and finds them folded once the writer has indexed them."""
    store.index_pending()
    with Store.open(tmp_path / "cache.sqlite", readonly=True) as reader:
        assert uids(reader.search("strasse")) == [("INBOX", 2)]
    store.add_summaries("INBOX", [msg(9, "Brückenstraße"),
                                  msg(10, "会議 notes", sender=Address("Zoë", "zo@x.org"))])
    with Store.open(tmp_path / "cache.sqlite", readonly=True) as reader:
        assert reader.unindexed_count() == 2
        assert uids(reader.search("brückenSTRAßE")) == [("INBOX", 9)]
        assert uids(reader.search("subject:brücken")) == [("INBOX", 9)]
        assert uids(reader.search("from:brücken")) == []
        assert uids(reader.search("bruckenstrasse")) == []  # folded: after the catch-up
        assert uids(reader.search("会議")) == [("INBOX", 10)]
        assert uids(reader.search("from:ZO@X")) == [("INBOX", 10)]
        assert uids(reader.search("-brückenstraße folder:INBOX")) == [
            ("INBOX", 4), ("INBOX", 3), ("INBOX", 2), ("INBOX", 10), ("INBOX", 1)]
        assert store.index_pending() == 2
        assert reader.unindexed_count() == 0
        assert uids(reader.search("bruckenstrasse")) == [("INBOX", 9)]
        assert uids(reader.search("会議")) == [("INBOX", 10)]
        assert uids(reader.search("from:zoe")) == [("INBOX", 10)]
        assert reader.search_keys("from:zoe") == [("INBOX", 1_735_689_610, 10)]
        # Only the messages just added (the results list's live update).
        assert reader.search_keys("notes", folders=["INBOX"], uids=[10, 9]) == [
            ("INBOX", 1_735_689_610, 10)]
        assert reader.search_keys("notes", folders=["INBOX"], uids=[9]) == []


def test_short_terms_scan_the_folded_text(store: Store) -> None:
    """Under 3 characters there is no trigram: the index's folded text is scanned."""
    assert uids(store.search("東京")) == [("INBOX", 3)]
    assert uids(store.search("to:bo")) == [("INBOX", 2)]
    assert uids(store.search("jm")) == [("INBOX", 1)]
    assert uids(store.search("-jm folder:INBOX")) == [("INBOX", 4), ("INBOX", 3), ("INBOX", 2)]
    assert uids(store.search("qz")) == []


def test_removed_rows_never_match_and_a_reused_id_is_indexed(store: Store) -> None:
    """Schema 9: entries of removed rows stay in the index (it keeps no text to delete
    them by); every hit is confirmed against the row, and SQLite's reuse of the highest
    id for the next message gets that message indexed all the same."""
    store.add_summaries("INBOX", [msg(5, "Zeppelin tickets")])
    store.index_pending()
    assert uids(store.search("zeppelin")) == [("INBOX", 5)]
    store.remove_messages("INBOX", [5])
    assert store.search("zeppelin") == []
    store.add_summaries("INBOX", [msg(6, "Quarterly figures")])  # the id of 5 again
    store.index_pending()
    assert store.search("zeppelin") == []
    assert uids(store.search("quarterly")) == [("INBOX", 6)]
    assert uids(store.search("figures")) == [("INBOX", 6)]


def test_stale_entries_are_dropped_once_they_outnumber_the_rows(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from qtmail.store import search
    monkeypatch.setattr(search, "STALE_REBUILD_MIN", 2)
    store.index_pending()
    store.remove_messages("INBOX", [1, 2, 3, 4])
    before = store.search_index_bytes()
    assert store.index_pending() == 1  # emptied, then the one row left indexed again
    assert uids(store.search("cafe")) == [("Archive", 1)]
    assert store.search("fahrplan") == []
    assert store.search_index_bytes() <= before


@pytest.mark.parametrize("trigrams_max", [64, 1])  # through the index; the walk alone
def test_a_common_letter_is_found_newest_first(store: Store, trigrams_max: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from qtmail.store import search
    monkeypatch.setattr(search, "SHORT_TRIGRAMS_MAX", trigrams_max)
    store.index_pending()
    assert uids(store.search("e", limit=2)) == [("INBOX", 4), ("INBOX", 3)]  # example.org
    assert uids(store.search("subject:e", limit=2)) == [("INBOX", 4), ("INBOX", 2)]
    assert uids(store.search("駅")) == [("INBOX", 3)]  # a rare one, through the index


def test_a_schema_8_cache_is_indexed_again(store: Store, tmp_path: Path) -> None:
    """The positional index of schema 8 is dropped on opening; its rows are indexed
    again (the writer catches up before searching) and the body index is kept."""
    store.put_body("INBOX", 4, BODY)
    store.close()
    conn = sqlite3.connect(tmp_path / "cache.sqlite")
    conn.executescript("""
        DROP TRIGGER messages_unindex; DROP TABLE search_trigrams; DROP TABLE search_headers;
        DROP TABLE search_redo; DROP TABLE search_state;
        CREATE VIRTUAL TABLE search_headers USING
            fts5(sender, recipients, cc, subject, tokenize='trigram');
        CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1),
                                   built INTEGER NOT NULL);
        INSERT INTO search_state VALUES (1, 1);
        CREATE TRIGGER messages_unindex AFTER DELETE ON messages BEGIN
            DELETE FROM search_headers WHERE rowid = old.id;
            DELETE FROM search_bodies WHERE rowid = old.id;
        END;
        CREATE INDEX messages_unindexed ON messages (id) WHERE indexed = 0;
        ALTER TABLE outbox DROP COLUMN spool;
        PRAGMA user_version = 8;
    """)
    conn.close()
    with Store.open(tmp_path / "cache.sqlite") as again:
        assert again.unindexed_count() == 5
        assert uids(again.search("müller")) == [("INBOX", 1)]
        assert uids(again.search("zebrafish")) == [("INBOX", 4)]  # the body index kept
        again.remove_messages("INBOX", [1])  # the new trigger
        assert again.search("müller") == []


def test_a_schema_10_cache_is_indexed_again_by_words(store: Store, tmp_path: Path) -> None:
    """Schema 10 indexed each message's trigrams: that index is dropped on opening and
    every row indexed again; searches meanwhile match the raw columns."""
    store.index_pending()
    store.close()
    behind_its_back(tmp_path / "cache.sqlite", "DROP TABLE search_trigrams",
                    "DROP TABLE search_headers", "DROP TABLE search_words",
                    "ALTER TABLE search_state DROP COLUMN turn",
                    "CREATE VIRTUAL TABLE search_headers USING fts5(text,"
                    " tokenize='trigram', detail=none, content='')",
                    "CREATE VIRTUAL TABLE search_trigrams USING"
                    " fts5vocab(search_headers, 'row')",
                    "INSERT INTO search_headers (rowid, text) VALUES (1, 'stale words')",
                    "PRAGMA user_version = 10")
    with Store.open(tmp_path / "cache.sqlite") as again, \
            Store.open(tmp_path / "cache.sqlite", readonly=True) as reader:
        assert reader.unindexed_count() == 5
        assert uids(reader.search("muller")) == []  # LIKE folds ASCII only
        assert uids(reader.search("müller")) == [("INBOX", 1)]
        assert again.index_pending() == 5
        assert uids(again.search("muller")) == [("INBOX", 1)]
        assert again.search("stale") == []


@pytest.mark.parametrize("rare", [2000, 0])  # the ids the index names; the newest-first walk
def test_both_plans_find_the_same(store: Store, rare: int,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from qtmail.store import search
    monkeypatch.setattr(search, "RARE_CANDIDATES", rare)
    store.index_pending()
    assert uids(store.search("cafe")) == [("INBOX", 1), ("Archive", 1)]
    assert uids(store.search('"cafe notes"')) == [("Archive", 1)]
    assert uids(store.search("from:muller")) == [("INBOX", 1)]
    assert uids(store.search("cafe -meeting")) == [("Archive", 1)]
    assert uids(store.search("cafe", limit=1)) == [("INBOX", 1)]
    assert store.search("qqqzzz") == []


@pytest.mark.parametrize("rare", [2000, 0])  # the ids looked up first; the walk
def test_rows_not_indexed_yet_are_found_alike_by_both_plans(
        store: Store, tmp_path: Path, rare: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader matches rows above the index (and refreshed ones) on their raw columns:
    by a list of their ids when few hold the term, else on each row of the newest-first
    walk. Both give the same rows, in the same order, up to the limit."""
    from qtmail.store import search
    monkeypatch.setattr(search, "RARE_CANDIDATES", rare)
    store.index_pending()
    store.add_summaries("INBOX", [msg(2, "Fahrplan neu", day=10)])  # refreshed: redo list
    store.add_summaries("INBOX", [
        msg(9, "Brückenstraße", day=40),
        msg(10, "会議 notes", sender=Address("Zoë", "zo@x.org"), day=41),
        msg(11, "50%_off notes", to=(Address("Bob", "bob@example.org"),), day=42)])
    with Store.open(tmp_path / "cache.sqlite", readonly=True) as reader:
        assert reader.unindexed_count() == 4
        assert uids(reader.search("brückenSTRAßE")) == [("INBOX", 9)]
        assert uids(reader.search("bruckenstrasse")) == []  # folded: after the catch-up
        assert uids(reader.search("notes")) == [("INBOX", 11), ("INBOX", 10), ("Archive", 1)]
        assert uids(reader.search("notes", limit=1)) == [("INBOX", 11)]
        assert uids(reader.search("notes -会議")) == [("INBOX", 11), ("Archive", 1)]
        assert uids(reader.search('"會議 notes"')) == []
        assert uids(reader.search('"会議 NOTES"')) == [("INBOX", 10)]
        assert uids(reader.search("会")) == [("INBOX", 10), ("INBOX", 3)]
        assert uids(reader.search("50%_")) == [("INBOX", 11)]  # no wildcard in LIKE
        assert uids(reader.search("to:bob")) == [("INBOX", 11)]  # 2's old entry confirmed
        assert uids(reader.search("fahrplan neu")) == [("INBOX", 2)]
        assert uids(reader.search("from:ZO@X is:unread folder:inbox")) == [("INBOX", 10)]
        assert uids(reader.search("subject:brücken")) == [("INBOX", 9)]
        assert uids(reader.search("from:brücken")) == []
        assert reader.search_keys("notes", folders=["INBOX"]) == [
            ("INBOX", 1_735_689_600 + 42 * 86400 + 11, 11),
            ("INBOX", 1_735_689_600 + 41 * 86400 + 10, 10)]


def test_words_met_in_an_earlier_turn_are_found(store: Store) -> None:
    """Schema 11: a message is indexed by its words' tokens, each word once in the word
    index. Idle turns add only words no earlier turn added; a word in two messages of
    different turns finds both, and words of two messages never match together."""
    assert store.index_pending(2) == 2
    assert store.index_pending(2) == 2
    store.add_summaries("INBOX", [msg(5, "Zeppelin meeting tickets", day=40),
                                  msg(6, "Invoice for the café", day=41)])
    assert store.index_pending() == 3
    assert store.unindexed_count() == 0  # every answer below comes from the index
    assert uids(store.search("cafe")) == [("INBOX", 6), ("INBOX", 1), ("Archive", 1)]
    assert uids(store.search("meeting")) == [("INBOX", 5), ("INBOX", 1)]
    assert uids(store.search("invoice")) == [("INBOX", 6), ("INBOX", 4)]
    assert uids(store.search("from:jm@example.de")) == [("INBOX", 1)]
    assert store.search("zeppelin invoice") == []  # the words of two messages
    assert store.search('"meeting fahrplan"') == []
    assert uids(store.search('"zeppelin meeting"')) == [("INBOX", 5)]
    assert uids(store.search('"n meet"')) == [("INBOX", 5)]  # a word's end, the next's start
    assert uids(store.search('"alice alice@example"', folders=["INBOX"])) == [
        ("INBOX", 6), ("INBOX", 5), ("INBOX", 4), ("INBOX", 3), ("INBOX", 2)]


def test_a_turn_failing_after_adding_words_leaves_no_word_out(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The words went in, then the messages' insert failed (a full disk): the turn is
    rolled back, and the next must add those words again."""
    from qtmail.store import search
    original = search._insert

    def disk_full(conn: sqlite3.Connection, known: search.KnownWords,
                  entries: list[tuple[int, str]]) -> None:
        known.add_new(conn)
        raise sqlite3.OperationalError("database or disk is full")

    assert store.index_pending(1) == 1  # a turn that went well
    monkeypatch.setattr(search, "_insert", disk_full)
    with pytest.raises(Exception, match="full"):
        store.index_pending()
    monkeypatch.setattr(search, "_insert", original)
    assert store.unindexed_count() == 4
    assert store.index_pending() == 4
    assert uids(store.search("fahrplan")) == [("INBOX", 2)]


def test_turns_bounded_by_time_leave_no_row_out(tmp_path: Path) -> None:
    """A turn whose time is up indexes what it has folded so far, at least YIELD_EVERY
    rows, and the next turn goes on from there."""
    from qtmail.store import search
    with Store.open(tmp_path / "cache.sqlite") as store:
        store.save_folders([folder("INBOX")])
        store.add_summaries("INBOX", [msg(uid, f"Topic{uid} report") for uid in range(1, 121)])
        turns = []
        while (done := store.index_pending(search.TURN_STEP, seconds=0)) > 0:
            turns.append(done)
        assert turns == [search.YIELD_EVERY, search.YIELD_EVERY, 20]
        assert store.unindexed_count() == 0
        assert all(uids(store.search(f'"topic{uid} report"')) == [("INBOX", uid)]
                   for uid in range(1, 121))


def test_a_turn_rolled_back_leaves_no_word_out(store: Store) -> None:
    """The words a turn added are remembered between turns; a turn undone (a disk
    error) must not leave them remembered but missing from the index."""
    with pytest.raises(RuntimeError), store.transaction():
        assert store.index_pending() == 5
        raise RuntimeError("the disk is full")
    assert store.unindexed_count() == 5
    assert store.index_pending() == 5
    assert uids(store.search("fahrplan")) == [("INBOX", 2)]
    assert uids(store.search("muller")) == [("INBOX", 1)]


TRICKY_SUBJECTS = ("ﬁle ﬂow", "x\u00a0y", "e\u0301te", "a\u00a8b", "ﾊﾟﾝ ﾃﾞｰﾀ",
                   "Σίσυφος ΣΊΣΥΦΟΣ", "İstanbul", "全角\u3000スペース", "Ｆｕｌｌ ｗｉｄｔｈ",
                   "tab\there", "Grüße\u2028aus Köln", "\u0301leading mark")


def test_a_subject_is_indexed_by_the_words_of_its_folded_text() -> None:
    """The catch-up folds each word as written alone (and remembers its tokens); a query
    folds a term. Both must give the words of the subject folded whole."""
    from qtmail.search.query import fold
    from qtmail.store import search
    for subject in TRICKY_SUBJECTS:
        tokens = search.KnownWords().entries([(0, subject, "", "", "")])[0][1].split()
        assert tokens == [search.word_token(word) for word in fold(subject).split()], subject


def test_tricky_subjects_are_found_by_their_words(tmp_path: Path) -> None:
    with Store.open(tmp_path / "cache.sqlite") as store:
        store.save_folders([folder("INBOX")])
        store.add_summaries("INBOX", [msg(uid, subject) for uid, subject
                                      in enumerate(TRICKY_SUBJECTS, 1)])
        store.index_pending()
        for uid, subject in enumerate(TRICKY_SUBJECTS, 1):
            for word in subject.split():
                assert ("INBOX", uid) in uids(store.search(f'"{word}"')), word
        assert uids(store.search("file")) == [("INBOX", 1)]
        assert uids(store.search("istanbul")) == [("INBOX", 7)]
        assert uids(store.search("パン")) == [("INBOX", 5)]


def test_the_header_index_merges_8_segments_at_a_time(store: Store, tmp_path: Path) -> None:
    """search.tune: set on opening the writer (a cache from before has FTS5's default)
    and on a rebuild; a cache whose index went missing still opens, and is rebuilt."""
    def automerge() -> object:
        conn = sqlite3.connect(tmp_path / "cache.sqlite")
        try:
            row = conn.execute("SELECT v FROM search_headers_config WHERE k = 'automerge'"
                               ).fetchone()
        finally:
            conn.close()
        return None if row is None else row[0]

    assert automerge() == 8
    store.close()
    behind_its_back(tmp_path / "cache.sqlite",
                    "DELETE FROM search_headers_config WHERE k = 'automerge'")
    with Store.open(tmp_path / "cache.sqlite") as again:
        assert automerge() == 8
        again.rebuild_search_index()
        assert automerge() == 8
    behind_its_back(tmp_path / "cache.sqlite", "DROP TABLE search_trigrams",
                    "DROP TABLE search_headers")
    with Store.open(tmp_path / "cache.sqlite") as again:
        assert uids(again.search("muller")) == [("INBOX", 1)]
        assert automerge() == 8


def test_a_readers_look_up_and_query_see_one_snapshot(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ids of unindexed rows looked up first are read by the query after it: a
    commit in between (the row removed, its id reused by SQLite for a new message) must
    not make the search name the new message."""
    from qtmail.store import search
    store.index_pending()
    store.add_summaries("INBOX", [msg(20, "Zeppelin tickets", day=50)])
    look_up = search._unindexed

    def then_commit(*args: object, **kwargs: object) -> str:
        condition = look_up(*args, **kwargs)  # type: ignore[arg-type]
        store.remove_messages("INBOX", [20])
        store.add_summaries("INBOX", [msg(21, "Quarterly figures", day=51)])  # id of 20
        return condition

    monkeypatch.setattr(search, "_unindexed", then_commit)
    with Store.open(tmp_path / "cache.sqlite", readonly=True) as reader:
        assert uids(reader.search("zeppelin")) == [("INBOX", 20)]  # as it was
        monkeypatch.setattr(search, "_unindexed", look_up)
        assert reader.search("zeppelin") == []
        assert uids(reader.search("quarterly")) == [("INBOX", 21)]
