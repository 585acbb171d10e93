"""Store files: permissions, WAL reader, migrations, corruption recovery, storage errors."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from qtmail.core.errors import StorageError
from qtmail.core.types import SEEN, Address, FolderInfo, FolderSyncState, MessageSummary
from qtmail.store import SCHEMA_VERSION, Store, checkpoints, headers
from qtmail.store.db import as_storage_error

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def summary(uid: int) -> MessageSummary:
    return MessageSummary(uid=uid, flags=frozenset(), internaldate=uid, size=1, date=None,
                          subject=f"s{uid}", sender=Address("A", "a@example.org"))


def fill(path: Path, uids: range = range(1, 4)) -> None:
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        store.add_summaries("INBOX", [summary(uid) for uid in uids])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    previous = os.umask(0o022)
    try:
        with Store.open(path) as store:
            store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
            wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
            assert wal.exists() and shm.exists()
            assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        os.umask(previous)
    assert os.umask(previous) == previous  # our umask change did not leak


@posix_only
def test_existing_wide_files_are_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.touch()
        os.chmod(name, 0o644)
    with Store.open(path) as store:
        assert store.uids("INBOX") == [1, 2, 3]
        assert mode(path) == 0o600
        assert mode(Path(f"{path}-wal")) == 0o600
        assert mode(Path(f"{path}-shm")) == 0o600


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        conn.close()


def test_reader_sees_writer_commits(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as writer:
        writer.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        with Store.open(path, readonly=True) as reader:
            assert reader.readonly
            assert reader.uids("INBOX") == []
            writer.add_summaries("INBOX", [summary(1)])
            writer.put_body("INBOX", 1, b"raw")
            assert reader.uids("INBOX") == [1]
            assert reader.counts("INBOX").total == 1
            # A reader's view inside its transaction is a stable snapshot.
            with reader.transaction():
                writer.add_summaries("INBOX", [summary(2)])
                assert reader.uids("INBOX") == [1]
            assert reader.uids("INBOX") == [1, 2]
            # Readers never write: not even the LRU touch of body().
            assert reader.body("INBOX", 1) == b"raw"
            with pytest.raises(RuntimeError):
                reader.add_summaries("INBOX", [summary(3)])
            writer.set_flags("INBOX", {1: frozenset({SEEN})})
            assert reader.flags_map("INBOX")[1] == frozenset({SEEN})


def test_reader_of_missing_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        Store.open(tmp_path / "missing.sqlite", readonly=True)
    assert not (tmp_path / "missing.sqlite").exists()


def test_missing_folder_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="could not be opened"):
        Store.open(tmp_path / "no" / "such" / "dir" / "cache.sqlite")


def test_migrations_are_idempotent_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)
    for _ in range(3):
        with Store.open(path) as store:
            assert store.uids("INBOX") == [1, 2, 3]
            store.set_folder_state("INBOX", FolderSyncState(3))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"folders", "messages", "bodies", "quota", "pending"} <= tables
    finally:
        conn.close()


def test_newer_schema_is_refused_not_destroyed(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer version"):
        Store.open(path)
    with pytest.raises(StorageError, match="newer version"):
        Store.open(path, readonly=True)
    assert path.exists()
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_not_a_database_is_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture
                                       ) -> None:
    path = tmp_path / "cache.sqlite"
    garbage = b"this is not a database, just some bytes " * 200
    path.write_bytes(garbage)
    with caplog.at_level(logging.WARNING, logger="qtmail.store"), Store.open(path) as store:
        assert store.folders() == []
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
    [aside] = tmp_path.glob("cache.sqlite.corrupt-*")
    assert aside.read_bytes() == garbage
    assert "damaged" in caplog.text
    with Store.open(path) as store:
        assert [f.name for f in store.folders()] == ["INBOX"]


def test_damaged_pages_are_detected_and_replaced(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path, range(1, 2000))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert path.stat().st_size > 10 * page_size
    # Scribble over the middle of the file (b-tree pages), keeping the header intact.
    with path.open("r+b") as file:
        for page in range(2, path.stat().st_size // page_size - 1):
            file.seek(page * page_size)
            file.write(b"\xff\x00" * 50)
    with Store.open(path) as store:
        assert store.folders() == []
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1


def test_environmental_errors_have_a_user_sentence() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13
    full.sqlite_errorname = "SQLITE_FULL"
    error = as_storage_error(full)
    assert error is not None
    assert str(error) == "The local mail cache could not be written: the disk may be full."
    assert not error.transient
    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5
    busy_error = as_storage_error(busy)
    assert busy_error is not None and busy_error.transient
    io = sqlite3.OperationalError("disk I/O error")
    io.sqlite_errorcode = 778  # SQLITE_IOERR_WRITE: the primary code is in the low byte
    assert as_storage_error(io) is not None
    # A bad statement is a bug, not something to tell the user.
    bug = sqlite3.OperationalError("no such table: x")
    bug.sqlite_errorcode = 1
    assert as_storage_error(bug) is None
    assert as_storage_error(sqlite3.ProgrammingError("closed")) is None


def sqlite_error(code: int, name: str, message: str) -> sqlite3.Error:
    error = sqlite3.DatabaseError(message)
    error.sqlite_errorcode = code
    error.sqlite_errorname = name
    return error


def test_damage_seen_mid_session_rebuilds_at_next_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)

    def malformed(*_args: object) -> list[int]:
        raise sqlite_error(11, "SQLITE_CORRUPT", "database disk image is malformed")

    with Store.open(path) as store:
        monkeypatch.setattr(headers, "uids", malformed)
        with pytest.raises(StorageError, match="rebuild it at the next start"):
            store.uids("INBOX")
        monkeypatch.undo()
    with Store.open(path) as store:
        assert store.folders() == []
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1
    assert not Path(f"{path}.damaged").exists()
    with Store.open(path) as store:
        assert store.folders() == []
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1


def test_disk_full_is_a_storage_error_and_bugs_stay_bugs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    fill(path)

    def full(*_args: object) -> None:
        raise sqlite_error(13, "SQLITE_FULL", "database or disk is full")

    def bad_sql(*_args: object) -> None:
        raise sqlite_error(1, "SQLITE_ERROR", "no such column: x")

    with Store.open(path) as store:
        monkeypatch.setattr(headers, "add", full)
        with pytest.raises(StorageError, match="the disk may be full") as caught:
            store.add_summaries("INBOX", [summary(9)])
        assert "SQLITE_FULL" in caught.value.detail
        monkeypatch.setattr(headers, "add", bad_sql)
        with pytest.raises(sqlite3.DatabaseError, match="no such column"):
            store.add_summaries("INBOX", [summary(9)])
        monkeypatch.undo()
        # Nothing was left half-done, and the store still works.
        store.add_summaries("INBOX", [summary(9)])
        assert store.uids("INBOX") == [1, 2, 3, 9]
    assert not Path(f"{path}.damaged").exists()


def test_stale_damage_mark_without_a_file_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    Path(f"{path}.damaged").touch()
    with Store.open(path) as store:
        assert store.folders() == []
    assert not Path(f"{path}.damaged").exists()
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_commits_are_checkpointed_beside_the_writer(tmp_path: Path) -> None:
    """Issue 18: the pages a commit appends to the WAL are copied into the database by
    another connection on its own thread, not inside a later commit of the account's
    worker (85-100 ms once or twice in a first sync of 100,000). 2,000 headers stay far
    below the writer's own autocheckpoint, so only that thread grows the file."""
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        before = path.stat().st_size
        store.add_summaries("INBOX", [summary(uid) for uid in range(1, 2001)])
        deadline = time.monotonic() + 10
        while path.stat().st_size <= before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert path.stat().st_size > before
        assert len(store.uids("INBOX")) == 2000


def test_the_checkpoint_thread_ends_when_idle_and_comes_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An idle account (or a Store never closed) keeps no extra connection or thread;
    the next commit starts them again."""
    monkeypatch.setattr(checkpoints, "IDLE_S", 0.05)
    path = tmp_path / "cache.sqlite"

    def running() -> bool:
        return any(t.name == f"checkpoints-{path.name}" for t in threading.enumerate())

    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        assert running()
        deadline = time.monotonic() + 10
        while running() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not running()
        store.add_summaries("INBOX", [summary(1)])
        assert running()
    assert not running()  # closing ended it
