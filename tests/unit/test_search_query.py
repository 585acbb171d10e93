"""The search query language: parsing, SQL generation, IMAP SEARCH keys (issue 7)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qtmail.search import Term, fold, parse, to_imap_search
from qtmail.search.imap_keys import needs_utf8, search_command
from qtmail.store.search import register, to_sql


def terms(text: str) -> list[tuple[str, str, bool]]:
    return [(t.field, t.value, t.negated) for t in parse(text).terms]


def test_words_operators_and_negation() -> None:
    assert terms('hello -from:bob "big deal" is:UNREAD larger:1M before:2025-01-31') == [
        ("any", "hello", False), ("from", "bob", True), ("any", "big deal", False),
        ("is", "unread", False), ("larger", "1048576", False),
        ("before", "2025-01-31", False)]
    assert terms("to:x cc:y subject:z body:w after:2024-02-29 folder:Archive") == [
        ("to", "x", False), ("cc", "y", False), ("subject", "z", False),
        ("body", "w", False), ("after", "2024-02-29", False), ("folder", "Archive", False)]
    assert terms("has:attachment is:read is:flagged larger:10k larger:2G") == [
        ("has", "attachment", False), ("is", "read", False), ("is", "flagged", False),
        ("larger", "10240", False), ("larger", str(2 * 1024 ** 3), False)]
    assert parse("folder:INBOX -folder:Spam x").folders == ("INBOX",)


@pytest.mark.parametrize(("text", "expected"), [
    ("", []),
    ("   ", []),
    ('"', []),
    ('""', []),
    ('"unbalanced phrase', [("any", "unbalanced phrase", False)]),
    ('subject:"two words', [("subject", "two words", False)]),
    ('-"x y"', [("any", "x y", True)]),
    ("-", [("any", "-", False)]),
    ("foo:bar", [("any", "foo:bar", False)]),          # unknown operator: a word
    ("is:weird", [("any", "is:weird", False)]),
    ("has:pdf", [("any", "has:pdf", False)]),
    ("before:2025-13-01", [("any", "before:2025-13-01", False)]),
    ("larger:lots", [("any", "larger:lots", False)]),
    ("from:", [("any", "from:", False)]),
    ("http://example.org", [("any", "http://example.org", False)]),
    ("a-b", [("any", "a-b", False)]),
])
def test_bad_or_odd_input(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert terms(text) == expected


def test_fold_ignores_case_and_accents_but_keeps_kana_voicing() -> None:
    assert fold("Müller") == fold("MULLER") == "muller"
    assert fold("Straße") == "strasse"
    assert fold("ÉCOLE naïve") == "ecole naive"
    assert fold("ｶﾞ") == fold("ガ") != fold("カ")  # width folded, dakuten kept
    assert fold("東京") == "東京"
    # Every combining mark goes but the kana ones, typed apart or not, whatever else
    # the text holds: the index folds many subjects in one go, a query one term.
    assert fold("Ça\u0301") == "ca"
    assert fold("\u01c4\u0303\u00e9m") == "dzem"
    assert fold("\u30ac\u0301") == "\u30ac"
    assert fold("Cafe\u0301") == fold("Café") == "cafe"
    assert fold("e\u0301te ﬁ") == fold("e\u0301te") + " fi"


def test_date_epoch() -> None:
    assert Term("before", "1970-01-02").epoch == 86400


def run_sql(text: str) -> list[object]:
    """The generated SQL compiles against the real schema."""
    conn = sqlite3.connect(":memory:")
    from qtmail.store.schema import migrate
    migrate(conn)
    register(conn)
    sql, params = to_sql(parse(text), ["INBOX"], 10, conn)
    return conn.execute(sql, params).fetchall()


@pytest.mark.parametrize("text", [
    "word", "ab", "東", '"a phrase"', 'x"y', "-word", "from:al", "from:alice", "to:b",
    "cc:carol", "subject:hi", "subject:hello", "body:x", "body:zebra", "is:unread",
    "is:read", "is:flagged", "has:attachment", "before:2025-01-01", "after:2025-01-01",
    "larger:1M", "folder:inbox", "-is:flagged 50%_off \\",
])
def test_sql_compiles(text: str) -> None:
    assert run_sql(text) == []


def test_sql_shape(tmp_path: Path) -> None:
    from qtmail.core.types import Address, FolderInfo, MessageSummary
    from qtmail.store import Store, search
    store = Store.open(tmp_path / "cache.sqlite")
    store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
    store.add_summaries("INBOX", [MessageSummary(
        uid=1, flags=frozenset(), internaldate=0, size=1, date=None, subject="qj zw ab",
        sender=Address("Alice", "alice@example.org"))])
    store.index_pending()
    conn = store._conn
    sql, params = to_sql(parse('from:alice -"qj zw" ab is:unread'), None, 20, conn)
    assert "search_headers MATCH ?" in sql and "NOT (" in sql
    assert "instr(qtmail_who(m.sender), ?)" in sql  # the index's candidates confirmed
    assert "m.seen = 0" in sql and "m.hidden = 0 AND m.deleted = 0" in sql
    # The tokens of every indexed word that holds the term: the name and the address.
    assert params[:2] == [
        "(" + " OR ".join(sorted([search.word_token("alice"),
                                  search.word_token("alice@example.org")])) + ")", "alice"]
    # Each word of a phrase stands for the indexed words holding it, all of them needed.
    assert params[2] == f"({search.word_token('qj')}) AND ({search.word_token('zw')})"
    assert params[-1] == 20
    assert "search_redo" not in sql  # every row indexed: nothing matched on raw columns
    store.close()
    _sql, params = to_sql(parse("ab"), None, 20)
    assert params[:1] == ["ab"] and "search_headers" not in _sql  # no connection: walk


def test_imap_keys() -> None:
    assert to_imap_search(parse("")) == ["ALL"]
    assert to_imap_search(parse("has:attachment folder:x")) == ["ALL"]
    assert to_imap_search(parse("w")) == [
        "OR", "FROM", "w", "OR", "TO", "w", "OR", "CC", "w", "OR", "SUBJECT", "w", "BODY", "w"]
    assert to_imap_search(parse(
        "from:a to:b cc:c subject:d body:e is:unread is:read is:flagged larger:1K"
        " before:2025-01-31 after:2024-12-01")) == [
        "FROM", "a", "TO", "b", "CC", "c", "SUBJECT", "d", "BODY", "e", "UNSEEN", "SEEN",
        "FLAGGED", "LARGER", "1024", "BEFORE", "31-Jan-2025", "SINCE", "1-Dec-2024"]
    assert to_imap_search(parse("-is:unread -from:x")) == [
        "NOT", "UNSEEN", "NOT", "FROM", "x"]


def test_imap_command_text() -> None:
    keys: list[str | bytes] = ["SUBJECT", 'a \\"b', "FROM", "Grüße"]
    assert needs_utf8(keys) and not needs_utf8(["FROM", "x"])
    assert search_command(keys) == (
        'CHARSET UTF-8 SUBJECT "a \\\\\\"b" FROM {7+}\r\nGrüße')
    assert search_command(["FROM", "alice@example.org", "SUBJECT", ""]) == (
        'FROM alice@example.org SUBJECT ""')
