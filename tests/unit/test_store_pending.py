"""Store: the pending operations table, its durability, the v1 -> v2 migration, rescue."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qtmail.core.errors import StorageError
from qtmail.core.types import DELETED, SEEN, Address, FolderCounts, FolderInfo, MessageSummary
from qtmail.store import PendingRow, Store, pending, schema


def msg(uid: int, *flags: str) -> MessageSummary:
    return MessageSummary(uid=uid, flags=frozenset(flags), internaldate=uid, size=1, date=None,
                          subject=f"s{uid}", sender=Address("A", "a@example.org"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite") as opened:
        opened.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        opened.add_summaries("INBOX", [msg(uid) for uid in range(1, 6)])
        yield opened


def test_pending_round_trip_and_order(store: Store) -> None:
    before = time.time()
    first = store.add_pending("move", {"src": "INBOX", "uids": (1, 2), "ü": None})
    second = store.add_pending("append", {"dest": "INBOX"}, data=b"From: x\r\n\r\nbody")
    assert second > first
    [row, appended] = store.pending()
    assert row == PendingRow(id=first, kind="move", payload={"src": "INBOX", "uids": [1, 2],
                                                             "ü": None},
                             data=None, state="queued", attempts=0, last_error="",
                             created=row.created)
    assert before <= row.created <= time.time()
    assert appended.data == b"From: x\r\n\r\nbody"

    store.update_pending(first, state="failed", attempts=3, last_error="NO [OVERQUOTA]")
    store.update_pending(second, payload={"dest": "INBOX", "done": 1})
    assert [r.id for r in store.pending()] == [second]
    assert store.pending()[0].payload == {"dest": "INBOX", "done": 1}
    [failed] = store.pending(states=["failed"])
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 3, "NO [OVERQUOTA]")
    assert [r.id for r in store.pending(states={"queued", "failed"})] == [first, second]
    store.update_pending(first)  # nothing to change, but it exists
    with pytest.raises(KeyError):
        store.update_pending(999, state="done")
    with pytest.raises(ValueError):
        store.update_pending(first, state="bogus")
    with pytest.raises(ValueError):
        store.pending(states=["bogus"])
    with pytest.raises(TypeError):
        store.add_pending("move", {"raw": b"bytes are not JSON"})
    assert len(store.pending(states=pending.STATES)) == 2  # the failed add left nothing

    store.remove_pending(first)
    store.remove_pending(first)  # idempotent
    third = store.add_pending("flag", {})
    assert third > second  # AUTOINCREMENT: ids are never reused, even the newest's
    store.remove_pending(third)
    assert store.add_pending("flag", {}) > third


def test_prune_done_keeps_the_newest(store: Store) -> None:
    ids = [store.add_pending("flag", {"n": n}) for n in range(10)]
    for op_id in ids[:8]:
        store.update_pending(op_id, state="done")
    store.prune_done(keep=3)
    assert [r.id for r in store.pending(states=["done"])] == ids[5:8]
    assert [r.id for r in store.pending()] == ids[8:]
    store.prune_done(keep=0)
    assert store.pending(states=["done"]) == []


def synchronous(store: Store) -> int:
    return int(store._conn.execute("PRAGMA synchronous").fetchone()[0])


def test_pending_writes_are_durable_and_atomic_with_the_local_effect(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    levels: list[int] = []
    real_add = pending.add

    def spy(*args: object, **kwargs: object) -> int:
        levels.append(synchronous(store))
        return real_add(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pending, "add", spy)
    store.add_pending("flag", {})
    with store.transaction(durable=True):
        store.hide_messages("INBOX", [1])
        store.add_pending("move", {"uids": [1]})
    assert levels == [2, 2]  # FULL
    assert synchronous(store) == 1

    # The operation fails after its local effect: neither is kept.
    with pytest.raises(RuntimeError), store.transaction(durable=True):
        store.hide_messages("INBOX", [2])
        store.add_pending("move", {"uids": [2]})
        raise RuntimeError("crash before commit")
    assert store.hidden_uids("INBOX") == [1]
    assert [r.payload for r in store.pending()] == [{}, {"uids": [1]}]
    # Queue rows cannot ride on a non-durable commit.
    with pytest.raises(RuntimeError), store.transaction():
        store.add_pending("move", {})
    assert len(store.pending()) == 2


def test_reader_sees_pending_rows(tmp_path: Path, store: Store) -> None:
    op_id = store.add_pending("move", {"uids": [1]})
    with Store.open(store.path, readonly=True) as reader:
        assert [r.id for r in reader.pending()] == [op_id]
        with pytest.raises(RuntimeError):
            reader.add_pending("move", {})


def test_migration_from_version_1(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in schema.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO folders (id, name, wire, attributes, role, subscribed, total,"
                 " unread) VALUES (1, 'INBOX', x'', '', '', 1, 99, 99)")
    json_deleted = '\x1d["\\\\Deleted", "odd flag"]'
    for uid, flags, seen in [(1, "", 0), (2, "\\Seen", 1), (3, "\\Deleted", 0),
                             (4, "\\Deleted \\Seen", 1), (5, json_deleted, 0),
                             (6, "\\Deletedx $Deleted", 0), (7, "\\deleted", 0)]:
        conn.execute("INSERT INTO messages (folder_id, uid, internaldate, flags, seen, size,"
                     " subject, sender, to_addrs, cc_addrs, message_id, in_reply_to, refs,"
                     " has_attachment) VALUES (1, ?, ?, ?, ?, 1, '', '', '', '', '', '', '', 0)",
                     (uid, uid, flags, seen))
    conn.close()
    with Store.open(path) as store:
        assert store.flags_map("INBOX")[5] == frozenset({DELETED, "odd flag"})
        assert store.cached_count("INBOX") == 7
        # \deleted in another case is not ours to hide: Python's `in` is case-sensitive.
        assert [s.uid for s in store.summaries("INBOX", newest_first=False)] == [1, 2, 6, 7]
        assert store.counts("INBOX") == FolderCounts(4, 3)
        assert store.pending() == []


def test_pending_rows_are_rescued_from_a_cache_marked_damaged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        store.add_summaries("INBOX", [msg(1), msg(2, SEEN)])
        first = store.add_pending("move", {"uids": [1]}, data=b"\x00blob")
        second = store.add_pending("flag", {"uids": [2]})
        store.update_pending(first, state="conflict", attempts=2, last_error="UIDVALIDITY")
        expected = store.pending(states=pending.STATES)
    Path(f"{path}.damaged").touch()
    with Store.open(path) as store:
        assert store.uids("INBOX") == []  # the cache itself is rebuilt from the server
        assert store.pending(states=pending.STATES) == expected
        assert store.add_pending("later", {}) > second
    assert "Rescued 2 pending operations" in caplog.text
    [aside] = tmp_path.glob("cache.sqlite.corrupt-*")
    assert not Path(f"{aside}-shm").exists() and not Path(f"{aside}-wal").exists()


def test_pending_rows_survive_damaged_message_pages(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_folders([FolderInfo("INBOX", b"INBOX", "/")])
        store.add_summaries("INBOX", [msg(uid) for uid in range(1, 3000)])
        ids = [store.add_pending("move", {"uids": [n]}) for n in range(5)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    # dbstat: which pages hold the messages table and its indexes.
    damaged = [page for (page,) in conn.execute(
        "SELECT pageno FROM dbstat WHERE name LIKE 'messages%'"
        " OR name LIKE 'sqlite_autoindex_messages%'")]
    kept = {page for (page,) in conn.execute(
        "SELECT pageno FROM dbstat"
        " WHERE name IN ('pending', 'sqlite_sequence', 'sqlite_schema')")}
    conn.close()
    assert len(damaged) > 20 and not kept.intersection(damaged)
    with path.open("r+b") as file:
        for page in damaged:
            file.seek((page - 1) * page_size)
            file.write(b"\xff\x00" * (page_size // 2))
    with Store.open(path) as store:
        assert store.folders() == []
        assert [r.id for r in store.pending()] == ids
        assert store.pending()[4].payload == {"uids": [4]}
        ok = store._conn.execute("PRAGMA integrity_check").fetchall()
        assert ok == [("ok",)]
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1


def test_rescue_reads_around_a_damaged_pending_page(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        # Big rows: the table spans many pages, so one damaged page loses a few rows.
        ids = [store.add_pending("append", {"n": n}, data=bytes(1500)) for n in range(40)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [page for (page,) in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'pending' AND pagetype = 'leaf'"
        " ORDER BY pageno")]
    conn.close()
    assert len(leaves) > 5
    with path.open("r+b") as file:
        file.seek((leaves[len(leaves) // 2] - 1) * page_size)
        file.write(b"\xff\x00" * (page_size // 2))
    with Store.open(path) as store:
        rescued = [r.id for r in store.pending()]
    assert 0 < len(rescued) < len(ids)
    assert set(rescued) < set(ids)
    assert rescued[-1] == ids[-1]  # rows past the damaged page were reached by id


def test_a_failed_rescue_is_tried_again_at_the_next_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        op_id = store.add_pending("move", {"uids": [1]})
    Path(f"{path}.damaged").touch()

    def disk_full(*_args: object) -> int:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13
        raise error

    monkeypatch.setattr(pending, "rescue", disk_full)
    with pytest.raises(StorageError, match="disk may be full"):
        Store.open(path)
    # The damaged file is back in place and marked, not stranded beside a sound empty one.
    assert list(tmp_path.glob("cache.sqlite.corrupt-*")) == []
    assert Path(f"{path}.damaged").exists()
    monkeypatch.undo()
    with Store.open(path) as store:
        assert [r.id for r in store.pending()] == [op_id]
    assert len(list(tmp_path.glob("cache.sqlite.corrupt-*"))) == 1


def test_nothing_to_rescue_from_garbage(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"not a database at all " * 500)
    with Store.open(path) as store:
        assert store.pending(states=pending.STATES) == []
