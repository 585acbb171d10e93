"""The search query language: parsing, SQL generation, IMAP SEARCH keys (issue 7)."""

from __future__ import annotations

import sqlite3

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
    # Once anything decomposes, every combining mark goes but the kana ones; a text
    # with nothing to decompose keeps the marks typed as separate characters.
    assert fold("Ça\u0301") == "ca"
    assert fold("\u01c4\u0303\u00e9m") == "dzem"
    assert fold("\u30ac\u0301") == "\u30ac"
    assert fold("Cafe\u0301") == "cafe\u0301"


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


def test_sql_shape() -> None:
    sql, params = to_sql(parse('from:alice -"x y" ab is:unread'), None, 20)
    assert "search_headers MATCH ?" in sql and "NOT (" in sql
    assert "instr(qtmail_who(m.sender), ?)" in sql  # the index's candidates confirmed
    assert "search_redo" in sql  # rows not indexed yet
    assert "m.seen = 0" in sql and "m.hidden = 0 AND m.deleted = 0" in sql
    # All the trigrams of a term, each its own token (detail=none has no phrases).
    assert params[:3] == ['"ali" AND "ice" AND "lic"', "alice", "%alice%"]
    assert '"x y"' in params and "ab" in params and params[-1] == 20
    _sql, quoted = to_sql(parse('subject:a"bc'), None, 1)
    assert quoted[0] == '"""bc" AND "a""b"'  # FTS5 string quoting


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
