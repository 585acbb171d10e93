"""Store: hidden and \\Deleted rows, exact counters, moves, copies and folder-tree renames."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qtmail.core.types import (
    DELETED,
    FLAGGED,
    SEEN,
    Address,
    FolderCounts,
    FolderInfo,
    FolderSyncState,
    MessageSummary,
)
from qtmail.store import FolderExists, FolderNotFound, Store


def folder(name: str) -> FolderInfo:
    return FolderInfo(name, name.encode(), "/")


def msg(uid: int, *flags: str, internaldate: int | None = None) -> MessageSummary:
    return MessageSummary(
        uid=uid, flags=frozenset(flags), internaldate=uid if internaldate is None
        else internaldate, size=uid, date=None, subject=f"Message {uid}",
        sender=Address("Alice", "alice@example.org"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite") as opened:
        opened.save_folders([folder("INBOX"), folder("Archive"), folder("Trash")])
        yield opened


def shown(store: Store, name: str) -> list[int]:
    return sorted(s.uid for s in store.summaries(name, limit=10_000))


def test_hidden_and_deleted_rows_are_not_shown(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2, SEEN), msg(3, DELETED), msg(4)])
    assert shown(store, "INBOX") == [1, 2, 4]
    assert store.counts("INBOX") == FolderCounts(3, 2)
    assert store.hide_messages("INBOX", [4, 3, 99]) == [3, 4]
    assert store.hide_messages("INBOX", [4]) == []
    assert store.hidden_uids("INBOX") == [3, 4]
    assert shown(store, "INBOX") == [1, 2]
    assert store.counts("INBOX") == FolderCounts(2, 1)
    assert store.message_count("INBOX") == 2
    assert store.all_counts()["INBOX"] == FolderCounts(2, 1)
    # Sync's view: every cached row.
    assert store.cached_count("INBOX") == 4
    assert store.uids("INBOX") == [1, 2, 3, 4]
    assert set(store.flags_map("INBOX")) == {1, 2, 3, 4}
    # Backing out a move needs the hidden row.
    assert store.summary("INBOX", 4) == msg(4)
    # A header refresh (sync) keeps the hidden row hidden.
    store.add_summaries("INBOX", [msg(4, SEEN)])
    assert store.hidden_uids("INBOX") == [3, 4]
    assert store.counts("INBOX") == FolderCounts(2, 1)
    assert store.unhide_messages("INBOX", [4, 1]) == [4]
    assert shown(store, "INBOX") == [1, 2, 4]
    assert store.counts("INBOX") == FolderCounts(3, 1)
    # \Deleted coming and going with flag changes.
    store.set_flags("INBOX", {1: frozenset({DELETED}), 3: frozenset()})
    assert shown(store, "INBOX") == [2, 4]
    assert store.unhide_messages("INBOX", [3]) == [3]
    assert shown(store, "INBOX") == [2, 3, 4]
    assert store.counts("INBOX") == FolderCounts(3, 1)
    assert store.hide_messages("Unknown", [1]) == []
    assert store.unhide_messages("Unknown", [1]) == []
    assert store.hidden_uids("Unknown") == []
    assert store.cached_count("Unknown") == 0


def test_window_pages_over_visible_rows_only(store: Store) -> None:
    store.add_summaries("INBOX", [msg(uid) for uid in range(1, 21)])
    store.hide_messages("INBOX", range(1, 21, 2))
    assert [s.uid for s in store.summaries("INBOX", offset=2, limit=3)] == [16, 14, 12]
    assert [s.uid for s in store.summaries("INBOX", newest_first=False, limit=2)] == [2, 4]


def test_move_rekeys_rows_with_their_bodies(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1), msg(2, SEEN), msg(3), msg(4)])
    store.put_body("INBOX", 1, b"one")
    store.put_body("INBOX", 2, b"two")
    store.hide_messages("INBOX", [1, 2, 3])
    # The server's copy of 2 (as 201) was synced into Archive before the queue got
    # COPYUID: that row stays and takes our body; 3 moved without a known new uid.
    store.add_summaries("Archive", [msg(201, SEEN, FLAGGED)])
    store.set_flags("INBOX", {1: frozenset({DELETED})})  # our COPY + \Deleted fallback
    store.move_message_rows("INBOX", "Archive", {1: 101, 2: 201, 7: 107}, uids=[3])
    assert store.uids("INBOX") == [4]
    assert store.cached_count("INBOX") == 1
    assert store.counts("INBOX") == FolderCounts(1, 1)
    assert store.uids("Archive") == [101, 201]
    assert store.summary("Archive", 101) == replace(msg(1), uid=101)  # shown, without \Deleted
    assert store.summary("Archive", 201) == msg(201, SEEN, FLAGGED)
    assert store.hidden_uids("Archive") == []
    assert store.body("Archive", 101) == b"one"
    assert store.body("Archive", 201) == b"two"
    assert store.body_bytes() == 6
    assert store.counts("Archive") == FolderCounts(2, 1)
    assert store.cached_count("Archive") == 2
    with pytest.raises(FolderNotFound):
        store.move_message_rows("INBOX", "Unknown", {4: 1})
    with pytest.raises(ValueError):
        store.move_message_rows("INBOX", "INBOX", {4: 5})
    assert store.uids("INBOX") == [4]


def test_copy_duplicates_rows(store: Store) -> None:
    store.add_summaries("INBOX", [msg(1, SEEN), msg(2), msg(3)])
    store.put_body("INBOX", 1, b"one")
    store.add_summaries("Archive", [msg(30, FLAGGED)])
    store.copy_message_rows("INBOX", "Archive", {1: 10, 3: 30, 8: 80})
    assert store.uids("INBOX") == [1, 2, 3]
    assert store.uids("Archive") == [10, 30]
    assert store.summary("Archive", 10) == replace(msg(1, SEEN), uid=10)
    assert store.summary("Archive", 30) == msg(30, FLAGGED)  # the synced row is kept
    assert not store.has_body("Archive", 10)
    store.copy_message_rows("INBOX", "Trash", {1: 5, 2: 6}, with_bodies=True)
    assert store.body("Trash", 5) == b"one"
    assert store.counts("Trash") == FolderCounts(2, 1)
    assert store.counts("Archive") == FolderCounts(2, 1)
    assert store.cached_count("Archive") == 2
    with pytest.raises(FolderNotFound):
        store.copy_message_rows("Unknown", "Trash", {1: 1})


def test_rename_folder_tree(store: Store) -> None:
    store.save_folders([folder(name) for name in
                        ("INBOX", "Work", "Work/2024", "Work/2024/Q1", "Workshop", "Other")])
    store.add_summaries("Work/2024/Q1", [msg(1), msg(2, SEEN)])
    store.put_body("Work/2024/Q1", 1, b"q1")
    store.set_folder_state("Work/2024", FolderSyncState(7, 9))
    store.hide_messages("Work/2024/Q1", [2])
    renamed = store.rename_folder_tree("Work", "Other/Jobs", "/",
                                       lambda name: b"w:" + name.encode())
    assert renamed == [("Work", "Other/Jobs"), ("Work/2024", "Other/Jobs/2024"),
                       ("Work/2024/Q1", "Other/Jobs/2024/Q1")]
    assert sorted(f.name for f in store.folders()) == [
        "INBOX", "Other", "Other/Jobs", "Other/Jobs/2024", "Other/Jobs/2024/Q1", "Workshop"]
    assert store.folder("Other/Jobs/2024/Q1") == FolderInfo(
        "Other/Jobs/2024/Q1", b"w:Other/Jobs/2024/Q1", "/")
    assert store.uids("Other/Jobs/2024/Q1") == [1, 2]
    assert store.hidden_uids("Other/Jobs/2024/Q1") == [2]
    assert store.counts("Other/Jobs/2024/Q1") == FolderCounts(1, 1)
    assert store.body("Other/Jobs/2024/Q1", 1) == b"q1"
    assert store.folder_state("Other/Jobs/2024") == FolderSyncState(7, 9)
    # Refusals change nothing.
    with pytest.raises(FolderExists):
        store.rename_folder_tree("Other/Jobs", "Workshop", "/", str.encode)
    with pytest.raises(ValueError):
        store.rename_folder_tree("Other", "Other/Jobs/Other", "/", str.encode)
    assert store.rename_folder_tree("Nope", "Never", "/", str.encode) == []
    assert store.rename_folder_tree("INBOX", "INBOX", "/", str.encode) == []
    # Back out: the same call the other way round.
    store.rename_folder_tree("Other/Jobs", "Work", "/", str.encode)
    assert store.uids("Work/2024/Q1") == [1, 2]


def test_rename_tree_where_new_names_overlap_old_ones(store: Store) -> None:
    # a/b -> a, with a itself not cached: a/b/b/y becomes a/b/y, another member's old name.
    store.save_folders([folder(name) for name in ("a/b", "a/b/y", "a/b/b/y")])
    store.add_summaries("a/b/y", [msg(1)])
    store.add_summaries("a/b/b/y", [msg(2)])
    assert store.rename_folder_tree("a/b", "a", "/", str.encode) == [
        ("a/b", "a"), ("a/b/b/y", "a/b/y"), ("a/b/y", "a/y")]
    assert store.uids("a/y") == [1]
    assert store.uids("a/b/y") == [2]
    # A flat namespace (no delimiter) has no children.
    store.save_folders([folder("x"), folder("xy")])
    assert store.rename_folder_tree("x", "z", "", str.encode) == [("x", "z")]


# -- model-based: random operations against a dict ---------------------------------------


class Model:
    """What the store should hold: folder -> uid -> (flags, hidden)."""

    def __init__(self, names: list[str]) -> None:
        self.rows: dict[str, dict[int, tuple[frozenset[str], bool]]] = {n: {} for n in names}

    def check(self, store: Store) -> None:
        for name, rows in self.rows.items():
            visible = {uid: flags for uid, (flags, hidden) in rows.items()
                       if not hidden and DELETED not in flags}
            counts = FolderCounts(len(visible), sum(SEEN not in f for f in visible.values()))
            assert store.counts(name) == counts
            assert store.all_counts()[name] == counts
            assert store.message_count(name) == counts.total
            assert store.cached_count(name) == len(rows)
            assert store.uids(name) == sorted(rows)
            assert store.flags_map(name) == {uid: flags for uid, (flags, _h) in rows.items()}
            assert store.hidden_uids(name) == sorted(u for u, (_f, h) in rows.items() if h)
            assert shown(store, name) == sorted(visible)


FLAG_CHOICES = [frozenset(), frozenset({SEEN}), frozenset({DELETED}),
                frozenset({SEEN, DELETED}), frozenset({FLAGGED})]


@pytest.mark.parametrize("seed", range(12))
def test_counters_stay_exact_under_random_operations(store: Store, seed: int) -> None:
    rnd = random.Random(seed)
    names = ["INBOX", "Archive", "Trash"]
    model = Model(names)

    def some_uids(count: int = 6) -> list[int]:
        return [rnd.randint(1, 30) for _ in range(rnd.randint(0, count))]

    for _step in range(150):
        name = rnd.choice(names)
        rows = model.rows[name]
        action = rnd.randrange(8)
        if action == 0:
            batch = [(uid, rnd.choice(FLAG_CHOICES)) for uid in some_uids(10)]
            store.add_summaries(name, [msg(uid, *flags) for uid, flags in batch])
            for uid, flags in batch:
                rows[uid] = (flags, rows.get(uid, (flags, False))[1])
        elif action == 1:
            changes = {uid: rnd.choice(FLAG_CHOICES) for uid in some_uids()}
            store.set_flags(name, changes)
            for uid, flags in changes.items():
                if uid in rows:
                    rows[uid] = (flags, rows[uid][1])
        elif action == 2:
            uids = some_uids()
            assert store.remove_messages(name, uids) == sorted(set(uids) & set(rows))
            for uid in uids:
                rows.pop(uid, None)
        elif action in (3, 4):
            hide = action == 3
            uids = some_uids()
            method = store.hide_messages if hide else store.unhide_messages
            expected = sorted(u for u in set(uids) if u in rows and rows[u][1] != hide)
            assert method(name, uids) == expected
            for uid in expected:
                rows[uid] = (rows[uid][0], hide)
        elif action == 5 and rnd.random() < 0.2:
            store.reset_folder(name, rnd.randint(1, 9))
            rows.clear()
        elif action in (6, 7):
            dest = rnd.choice([n for n in names if n != name])
            uid_map = {uid: rnd.randint(1, 30) for uid in some_uids()}
            uid_map = {old: new for new, old in {v: k for k, v in uid_map.items()}.items()}
            target = model.rows[dest]
            for old, new in uid_map.items():
                if old not in rows:
                    continue
                flags = rows[old][0] - {DELETED}
                if new not in target:
                    target[new] = (flags, False)
                if action == 6:
                    del rows[old]
            if action == 6:
                store.move_message_rows(name, dest, uid_map)
            else:
                store.copy_message_rows(name, dest, uid_map)
        model.check(store)
