"""Store column encodings round-trip exactly; the migration runner applies each step once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qtmail.core.types import Address, FolderInfo
from qtmail.store import Store, codec, schema

WORD_CASES = [
    (),
    ("",),
    ("", ""),
    ("a",),
    ("<a@x>", "<b@y>"),
    ("has space",),
    ("\x1dstarts with GS",),
    ("trailing ", "x"),
    ("ünïcode", "日本"),
]


@pytest.mark.parametrize("words", WORD_CASES)
def test_words_round_trip(words: tuple[str, ...]) -> None:
    assert codec.decode_words(codec.encode_words(words)) == words


@pytest.mark.parametrize("flags", [frozenset(), frozenset({""}), frozenset({"\\Seen"}),
                                   frozenset({"\\Seen", "\\Answered", "$Label 1", "\x1d"})])
def test_flags_round_trip_and_are_canonical(flags: frozenset[str]) -> None:
    text = codec.encode_flags(flags)
    assert codec.decode_flags(text) == flags
    assert codec.encode_flags(list(reversed(sorted(flags)))) == text


ADDRESS_CASES = [
    Address("", ""),
    Address("Alice", "alice@example.org"),
    Address("Name \x1f with US", "x@y"),
    Address("", "\x1e@y"),
    Address("\x1d", ""),
    Address('"Quoted, Name"', "q@example.org"),
]


@pytest.mark.parametrize("address", ADDRESS_CASES)
def test_address_round_trip(address: Address) -> None:
    assert codec.decode_address(codec.encode_address(address)) == address
    assert codec.decode_addresses(codec.encode_addresses((address,))) == (address,)


@pytest.mark.parametrize("count", [0, 2, 3])
def test_address_lists_round_trip(count: int) -> None:
    for special in ADDRESS_CASES:
        addresses = tuple([Address("A", "a@x")] * (count - 1) + [special] * min(count, 1))
        assert codec.decode_addresses(codec.encode_addresses(addresses)) == addresses


def test_plain_encodings_stay_compact() -> None:
    assert codec.encode_flags({"\\Seen", "\\Answered"}) == "\\Answered \\Seen"
    assert codec.encode_address(Address("Al", "al@x")) == "Al\x1fal@x"
    assert codec.encode_addresses([Address("A", "a"), Address("B", "b")]) == "A\x1fa\x1eB\x1fb"


def test_a_new_migration_is_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
    step = ("CREATE TABLE later (id INTEGER PRIMARY KEY, op TEXT NOT NULL)",
            "INSERT INTO later (op) VALUES ('first')")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    for _ in range(2):
        with Store.open(path) as store:
            assert [f.name for f in store.folders()] == ["INBOX"]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        assert conn.execute("SELECT op FROM later").fetchall() == [("first",)]
    finally:
        conn.close()


def test_a_failing_migration_leaves_the_old_version(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    Store.open(path).close()
    version = schema.SCHEMA_VERSION
    broken = ("CREATE TABLE half (x)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(sqlite3.OperationalError):
        Store.open(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (version,)
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []
    finally:
        conn.close()
