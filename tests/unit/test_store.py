"""Store: folders, summaries, flags, removal, counters, bodies and quota."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qtmail.core.types import (
    ANSWERED,
    DELETED,
    FLAGGED,
    SEEN,
    Address,
    FolderCounts,
    FolderInfo,
    FolderRole,
    FolderSyncState,
    MessageSummary,
    Quota,
)
from qtmail.store import FolderNotFound, Store
from qtmail.store.codec import header_rows


def folder(name: str, **kwargs: object) -> FolderInfo:
    return FolderInfo(name, name.encode(), "/", **kwargs)  # type: ignore[arg-type]


def msg(uid: int, *, flags: frozenset[str] = frozenset(), internaldate: int | None = None,
        subject: str = "") -> MessageSummary:
    return MessageSummary(
        uid=uid, flags=flags, internaldate=1_700_000_000 + uid if internaldate is None
        else internaldate, size=100 + uid, date=None, subject=subject or f"Message {uid}",
        sender=Address("Alice", "alice@example.org"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite") as opened:
        opened.save_folders([folder("INBOX", role=FolderRole.INBOX), folder("Archive")])
        yield opened


ODD = MessageSummary(
    uid=4_294_967_295,
    flags=frozenset({SEEN, FLAGGED, "$Forwarded", "Junk", "odd flag", ""}),
    internaldate=-1,
    size=0,
    date=1_700_000_000,
    subject="Zürich \x00 \x1d\x1e\x1f 日本語 \u202e bidi",
    sender=Address("Bob \x1f \"The Builder\"", "bob@example.org"),
    to=(Address("", ""), Address("Carol, Esq.", "carol@example.org"),
        Address("x\x1ey", "z\x1d")),
    cc=(Address("Dan", "dan@example.org"),),
    message_id="<id@example.org>",
    in_reply_to="<parent@example.org>",
    references=("<a@example.org>", "", "<b c@example.org>"),
    has_attachment=True,
    modseq=2**63 - 1,
)

PLAIN = MessageSummary(
    uid=7, flags=frozenset(), internaldate=1_600_000_000, size=12, date=None, subject="",
    sender=Address("", ""), to=(), cc=(), references=(), modseq=None)


@pytest.mark.parametrize("summary", [ODD, PLAIN, msg(3, flags=frozenset({SEEN}))])
def test_summary_round_trips_exactly(store: Store, summary: MessageSummary) -> None:
    store.add_summaries("INBOX", [summary])
    assert store.summary("INBOX", summary.uid) == summary
    assert store.summaries("INBOX") == [summary]
    assert store.flags_map("INBOX") == {summary.uid: summary.flags}


def test_single_empty_strings_round_trip(store: Store) -> None:
    summary = MessageSummary(uid=1, flags=frozenset({""}), internaldate=0, size=0, date=None,
                             subject="", sender=Address("", ""), references=("",))
    store.add_summaries("INBOX", [summary])
    assert store.summary("INBOX", 1) == summary


def test_folders_round_trip_and_removal_cascade(store: Store) -> None:
    sent = FolderInfo("Sent \x1f", b"Sent &AB8-", ".", frozenset({"\\sent", "\\hasnochildren"}),
                      FolderRole.SENT, subscribed=False)
    added, removed = store.save_folders([folder("INBOX", role=FolderRole.INBOX), sent])
    assert (added, removed) == (["Sent \x1f"], ["Archive"])
    assert store.folder("Sent \x1f") == sent
    assert [f.name for f in store.folders()] == ["INBOX", "Sent \x1f"]

    store.add_summaries("Sent \x1f", [msg(1), msg(2)])
    store.put_body("Sent \x1f", 1, b"body")
    store.set_folder_state("Sent \x1f", FolderSyncState(5, 3, 9, None))
    assert store.save_folders([folder("INBOX")]) == ([], ["Sent \x1f"])
    assert store.folder("Sent \x1f") is None
    assert store.uids("Sent \x1f") == []
    assert store.folder_state("Sent \x1f") is None
    assert store.body_bytes() == 0
    assert "Sent \x1f" not in store.all_counts()
    # Re-adding a removed folder starts empty.
    store.save_folders([folder("INBOX"), sent])
    assert store.uids("Sent \x1f") == []
    assert store.counts("Sent \x1f") == FolderCounts(0, 0)


def test_rename_keeps_messages_and_state(store: Store) -> None:
    store.add_summaries("Archive", [msg(1)])
    store.set_folder_state("Archive", FolderSyncState(11, 2))
    assert store.rename_folder("Archive", folder("Old"))
    assert store.uids("Old") == [1]
    assert store.folder_state("Old") == FolderSyncState(11, 2)
    assert not store.rename_folder("Nope", folder("Other"))


def test_folder_state(store: Store) -> None:
    assert store.folder_state("INBOX") is None
    state = FolderSyncState(uidvalidity=42, uidnext=100, highestmodseq=2**40,
                            synced_since=1_600_000_000)
    store.set_folder_state("INBOX", state)
    assert store.folder_state("INBOX") == state
    assert store.folder_state("Unknown") is None
    with pytest.raises(FolderNotFound):
        store.set_folder_state("Unknown", state)


def test_add_replaces_by_uid_and_keeps_body(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2)])
    store.put_body("INBOX", 1, b"raw")
    store.add_summaries("INBOX", [msg(1, flags=frozenset({SEEN}), subject="new")])
    assert store.summary("INBOX", 1) == msg(1, flags=frozenset({SEEN}), subject="new")
    assert store.message_count("INBOX") == 2
    assert store.body("INBOX", 1) == b"raw"
    with pytest.raises(FolderNotFound):
        store.add_summaries("Unknown", [msg(1)])


def test_added_rows_say_which_a_list_shows(store: Store) -> None:
    """Issue 18: add_rows answers (uid, internaldate) of the rows a list shows, so the
    event announcing a sync's chunk carries their places: \\Deleted ones and ones
    hidden (a move still queued) are left out, a refreshed row keeps being hidden."""
    store.add_summaries("INBOX", [msg(1), msg(2)])
    store.hide_messages("INBOX", [2])
    shown = store.add_rows("INBOX", header_rows([
        msg(1, internaldate=10), msg(2), msg(3, flags=frozenset({DELETED})),
        msg(4, internaldate=40)]))
    assert sorted(shown) == [(1, 10), (4, 40)]
    assert store.message_count("INBOX") == 2


def test_window_order_and_paging(store: Store) -> None:
    # Same internaldate for 2 and 3: uid breaks the tie.
    store.add_summaries("INBOX", [msg(1, internaldate=50), msg(2, internaldate=10),
                                  msg(3, internaldate=10), msg(4, internaldate=70)])
    newest = [s.uid for s in store.summaries("INBOX")]
    assert newest == [4, 1, 3, 2]
    assert [s.uid for s in store.summaries("INBOX", newest_first=False)] == [2, 3, 1, 4]
    assert [s.uid for s in store.summaries("INBOX", offset=1, limit=2)] == [1, 3]
    assert store.summaries("INBOX", offset=10) == []
    assert store.summaries("Archive") == []
    assert store.uids("INBOX") == [1, 2, 3, 4]


def test_windows_past_the_middle_are_the_same_rows(store: Store) -> None:
    """Those are read from the other end of the index (issue 18: a page deep in a big
    folder); ties of internaldate, hidden rows and the last, short page included."""
    store.add_summaries("INBOX", [msg(uid, internaldate=1_000 + uid // 3)
                                  for uid in range(1, 101)])
    store.hide_messages("INBOX", [50, 51, 90])
    every = [s.uid for s in store.summaries("INBOX", limit=1000)]
    assert len(every) == 97
    for offset in (0, 1, 48, 49, 50, 60, 90, 96, 97, 120):
        for limit in (1, 7, 30):
            assert [s.uid for s in store.summaries("INBOX", offset=offset, limit=limit)] \
                == every[offset:offset + limit]
            assert [s.uid for s in store.summaries("INBOX", offset=offset, limit=limit,
                                                   newest_first=False)] \
                == every[::-1][offset:offset + limit]
            assert store.uid_window("INBOX", offset=offset, limit=limit) \
                == every[offset:offset + limit]


def test_set_flags_reports_real_changes(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2, flags=frozenset({SEEN})), msg(3)])
    changed = store.set_flags("INBOX", {
        1: frozenset({SEEN}),            # changed
        2: frozenset({SEEN}),            # same
        3: frozenset(),                  # same
        99: frozenset({SEEN}),           # unknown: ignored
    })
    assert changed == [1]
    assert store.set_flags("INBOX", {2: frozenset({ANSWERED, SEEN}), 3: frozenset()}) == [2]
    assert store.flags_map("INBOX") == {1: frozenset({SEEN}), 2: frozenset({ANSWERED, SEEN}),
                                        3: frozenset()}
    assert store.set_flags("INBOX", {}) == []
    assert store.set_flags("Unknown", {1: frozenset()}) == []


def test_counts_follow_every_change(store: Store) -> None:
    def check() -> None:
        flags = store.flags_map("INBOX")
        expected = FolderCounts(len(flags), sum(SEEN not in f for f in flags.values()))
        assert store.counts("INBOX") == expected
        assert store.message_count("INBOX") == expected.total
        assert store.all_counts()["INBOX"] == expected

    store.add_summaries("INBOX", [msg(uid, flags=frozenset({SEEN}) if uid % 2 else frozenset())
                                  for uid in range(1, 11)])
    assert store.counts("INBOX") == FolderCounts(10, 5)
    check()
    # Replacing rows (also within one batch, twice the same uid) must not double count.
    store.add_summaries("INBOX", [msg(1), msg(2, flags=frozenset({SEEN})), msg(11), msg(11)])
    check()
    store.set_flags("INBOX", {3: frozenset(), 4: frozenset({SEEN, FLAGGED})})
    check()
    store.remove_messages("INBOX", [1, 2, 3, 50])
    check()
    store.reset_folder("INBOX", 2)
    assert store.counts("INBOX") == FolderCounts(0, 0)
    assert store.all_counts() == {"INBOX": FolderCounts(0, 0), "Archive": FolderCounts(0, 0)}
    assert store.counts("Unknown") == FolderCounts(0, 0)


def test_remove_messages(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2), msg(3)])
    store.add_summaries("Archive", [msg(2)])
    store.put_body("INBOX", 2, b"two")
    store.put_body("Archive", 2, b"archived")
    assert store.remove_messages("INBOX", iter([3, 2, 7])) == [2, 3]
    assert store.uids("INBOX") == [1]
    assert not store.has_body("INBOX", 2)
    assert store.body("Archive", 2) == b"archived"
    assert store.body_bytes() == len(b"archived")
    assert store.remove_messages("INBOX", []) == []
    assert store.remove_messages("Unknown", [1]) == []


def test_reset_folder_drops_messages_and_bodies(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2)])
    store.add_summaries("Archive", [msg(1)])
    store.put_body("INBOX", 1, b"x" * 10)
    store.set_folder_state("INBOX", FolderSyncState(1, 3, 77, None))
    assert store.reset_folder("INBOX", 2) == 2
    assert store.uids("INBOX") == []
    assert store.body_bytes() == 0
    assert store.folder_state("INBOX") == FolderSyncState(2)
    assert store.uids("Archive") == [1]
    with pytest.raises(FolderNotFound):
        store.reset_folder("Unknown", 1)


def test_bodies_lru_eviction(store: Store) -> None:
    store.add_summaries("INBOX", [msg(uid) for uid in range(1, 6)])
    for uid in range(1, 6):
        store.put_body("INBOX", uid, bytes([uid]) * 100)
    assert store.body_bytes() == 500
    # Opening 1 and 2 makes 3 the least recently opened, then 4, then 5.
    assert store.body("INBOX", 1) == b"\x01" * 100
    assert store.body("INBOX", 2) == b"\x02" * 100
    assert store.evict_bodies(500) == 0
    assert store.evict_bodies(250) == 3
    assert [uid for uid in range(1, 6) if store.has_body("INBOX", uid)] == [1, 2]
    assert store.body_bytes() == 200
    store.put_body("INBOX", 3, b"new")  # newest now
    assert store.evict_bodies(3) == 2
    assert store.has_body("INBOX", 3)
    assert store.evict_bodies(0) == 1
    assert store.body_bytes() == 0
    assert store.body("INBOX", 3) is None


def test_body_for_unknown_message_is_ignored(store: Store) -> None:
    store.put_body("INBOX", 404, b"nobody")
    store.put_body("Unknown", 1, b"nobody")
    assert store.body_bytes() == 0
    assert store.body("INBOX", 404) is None
    assert not store.has_body("INBOX", 404)


def test_quota(store: Store) -> None:
    assert store.quota() is None
    store.set_quota(Quota(used=10, limit=100))
    store.set_quota(Quota(used=20, limit=100))
    assert store.quota() == Quota(used=20, limit=100)
    store.set_quota(None)
    assert store.quota() is None


def test_transaction_groups_and_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_summaries("INBOX", [msg(1)])
        store.set_folder_state("INBOX", FolderSyncState(9))
        raise RuntimeError("boom")
    assert store.uids("INBOX") == []
    assert store.folder_state("INBOX") is None

    with store.transaction():
        store.add_summaries("INBOX", [msg(1)])
        # A failing nested write is undone alone; the outer work commits.
        with pytest.raises(FolderNotFound):
            store.add_summaries("Unknown", [msg(2)])
        with pytest.raises(ValueError), store.transaction():
            store.add_summaries("INBOX", [msg(3)])
            raise ValueError
    assert store.uids("INBOX") == [1]


def synchronous(store: Store) -> int:
    return int(store._conn.execute("PRAGMA synchronous").fetchone()[0])


def test_durable_transaction(store: Store) -> None:
    assert synchronous(store) == 1  # NORMAL: the cache can be refetched
    with store.transaction(durable=True):
        assert synchronous(store) == 2  # FULL: this commit is fsynced
        store.add_summaries("INBOX", [msg(1)])
        with store.transaction(durable=True):
            store.add_summaries("INBOX", [msg(2)])
    assert store.uids("INBOX") == [1, 2]
    assert synchronous(store) == 1
    with pytest.raises(RuntimeError), store.transaction(), store.transaction(durable=True):
        pass
    assert synchronous(store) == 1


def test_use_after_close_is_a_bug(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "cache.sqlite")
    store.close()
    store.close()
    with pytest.raises(Exception, match="closed"):
        store.folders()


def test_a_batch_across_several_insert_statements_keeps_the_last_duplicate(
        store: Store) -> None:
    """add_summaries writes 64 rows per INSERT: duplicates within and across those
    statements, and a row already cached, end as one statement a row would leave them."""
    store.add_summaries("INBOX", [msg(5, subject="cached")])
    batch = [msg(uid, flags=frozenset({SEEN}) if uid % 3 else frozenset())
             for uid in range(1, 151)]
    batch += [msg(5, subject="second"), msg(70, subject="dup"), msg(149, subject="last")]
    store.add_summaries("INBOX", batch)
    assert store.uids("INBOX") == list(range(1, 151))
    assert [store.summary("INBOX", uid) for uid in (5, 70, 149, 71)] == [
        msg(5, subject="second"), msg(70, subject="dup"), msg(149, subject="last"),
        msg(71, flags=frozenset({SEEN}))]
    assert store.counts("INBOX") == FolderCounts(150, 53)  # 3, 6, ... 150 and the three
