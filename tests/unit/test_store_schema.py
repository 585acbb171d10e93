"""A new cache is made at the newest schema at once (issue 18); it must be the very schema
the migrations give an old cache: tables, columns in order, constraints, indexes,
triggers, the search index's tables and its state row."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from qtmail.core.types import FolderInfo
from qtmail.store import Store, schema


def _migrated_step_by_step(path: Path) -> sqlite3.Connection:
    """A cache brought from nothing through every migration step, as an old one was."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number in range(1, schema.SCHEMA_VERSION + 1):
        schema._apply(conn, number)
    return conn


def _made_new(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn)
    return conn


def _canonical(sql: str) -> str:
    """The statement without comments, with whitespace only where it separates words:
    ALTER TABLE ADD COLUMN appends ", column" to the stored CREATE TABLE text."""
    text = re.sub(r"--[^\n]*", "", sql)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?([(),]) ?", r"\1", text).strip()


def _description(conn: sqlite3.Connection) -> dict[str, object]:
    objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                           " ORDER BY type, name").fetchall()
    tables = [name for kind, name, _table, _sql in objects if kind == "table"]
    return {
        "version": conn.execute("PRAGMA user_version").fetchone(),
        "objects": [(kind, name, table, _canonical(sql) if sql else None)
                    for kind, name, table, sql in objects],
        "columns": {t: conn.execute(f"PRAGMA table_xinfo('{t}')").fetchall() for t in tables},
        "keys": {t: conn.execute(f"PRAGMA foreign_key_list('{t}')").fetchall()
                 for t in tables},
        "indexes": {t: [(row[1:], conn.execute(f"PRAGMA index_xinfo('{row[1]}')").fetchall())
                        for row in conn.execute(f"PRAGMA index_list('{t}')")]
                    for t in tables},
        "search_state": conn.execute("SELECT * FROM search_state").fetchall(),
        "sequences": conn.execute("SELECT * FROM sqlite_sequence").fetchall(),
    }


def test_a_new_cache_has_the_schema_of_a_migrated_one(tmp_path: Path) -> None:
    migrated = _migrated_step_by_step(tmp_path / "old.sqlite")
    new = _made_new(tmp_path / "new.sqlite")
    try:
        assert new.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        assert _description(new) == _description(migrated)
        assert new.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        migrated.close()
        new.close()


def test_a_new_cache_is_made_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    commits: list[str] = []
    conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    schema.migrate(conn)
    conn.close()
    assert commits == ["COMMIT"] * (1 + schema.SCHEMA_VERSION - schema.NEW_CACHE_VERSION)


def test_later_steps_run_on_a_new_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    step = ("CREATE TABLE later (id INTEGER PRIMARY KEY)",)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        assert conn.execute("SELECT count(*) FROM later").fetchone() == (0,)
    finally:
        conn.close()


def test_a_file_with_tables_is_never_taken_for_a_new_one(tmp_path: Path) -> None:
    """user_version 0 with tables in it (made by hand): the migrations decide, as before
    (here the first step meets its own table and fails, leaving the file as it was)."""
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE folders (id INTEGER PRIMARY KEY)")
    with pytest.raises(sqlite3.OperationalError):
        schema.migrate(conn)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("folders",)]
    assert conn.execute("PRAGMA user_version").fetchone() == (0,)
    conn.close()
