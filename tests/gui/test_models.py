"""FolderTreeModel and MessageListModel on a cache filled directly (no server)."""

from __future__ import annotations

import random
from dataclasses import replace as changed
from typing import Any

import pytest
from helpers.cache import FilledCache, folder, summary
from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from qtmail.core import yielding
from qtmail.core.events import (
    CountsChanged,
    FlagsChanged,
    FolderReset,
    FoldersChanged,
    MessagesAdded,
    MessagesRemoved,
    RemovalReason,
)
from qtmail.core.types import (
    SEEN,
    Address,
    FolderRole,
    FolderSyncState,
    MessageRef,
    MessageSummary,
)
from qtmail.qt.models.columns import Column
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.folders import FolderTreeModel
from qtmail.qt.models.merge import merge_at, moved_row, places_of
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.pages import PAGE_SIZE
from qtmail.qt.models.roles import NodeKind, Role
from qtmail.qt.models.unified import KEYS_PER_TURN, UnifiedInboxModel
from qtmail.qt.widgets.folder_view import FolderView
from qtmail.qt.widgets.message_list import MessageListView
from qtmail.qt.widgets.successor import Successor
from qtmail.store import Store

ACCOUNT = "work"


def message_model(cache: FilledCache) -> MessageListModel:
    model = MessageListModel()
    model.set_folder(cache.reader, ACCOUNT, "INBOX")
    return model


def uids_shown(model: MessageListModel) -> list[int]:
    return [model.data(model.index(row, 0), Role.UID) for row in range(model.rowCount())]


def test_message_model_reads_newest_first_by_window(cache: FilledCache, qtmodeltester) -> None:
    cache.add(range(1, 1001))
    model = message_model(cache)
    qtmodeltester.check(model)
    assert model.rowCount() == 1000
    assert model.columnCount() == len(Column)
    first = model.index(0, Column.SUBJECT)
    assert model.data(first) == "Subject 1000"
    assert model.data(first, Role.UID) == 1000
    assert model.data(first, Role.MESSAGE_REF) == MessageRef(ACCOUNT, "INBOX", 7, 1000)
    assert model.data(first, Role.HAS_ATTACHMENT) is True
    assert model.data(first, Role.UNREAD) is True
    assert model.data(model.index(999, Column.SENDER)) == "Sender 1"
    assert model.headerData(Column.DATE, Qt.Orientation.Horizontal) == "Date"
    # Only the pages touched are held, never the folder.
    assert len(model._pages.numbers()) <= 16


def test_added_on_top_and_at_the_end_insert_rows(cache: FilledCache, qtbot: QtBot,
                                                 qtmodeltester) -> None:
    cache.add(range(500, 700))
    model = message_model(cache)
    qtmodeltester.check(model)
    # New mail: newer than everything shown.
    cache.add([800, 801])
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.apply(MessagesAdded(ACCOUNT, "INBOX", (800, 801)))
    assert blocker.args[1:] == [0, 1]
    # A first sync's next chunk: older than everything shown.
    cache.add(range(100, 500))
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(range(100, 500))))
    assert blocker.args[1:] == [202, 601]
    assert model.rowCount() == 602
    assert uids_shown(model)[:3] == [801, 800, 699]
    # A big chunk is checked at its ends and neighbours only.
    cache.add(range(-2000, 100))
    with qtbot.waitSignal(model.rowsInserted) as blocker:
        model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(range(-2000, 100))))
    assert blocker.args[1:] == [602, 2701]
    assert uids_shown(model)[-1] == -2000


def test_added_in_the_middle_are_placed_one_by_one(cache: FilledCache, qtbot: QtBot,
                                                   qtmodeltester) -> None:
    cache.add(range(0, 1000, 10))
    model = message_model(cache)
    qtmodeltester.check(model)
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _parent, first, _last: inserted.append(first))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    cache.add([505, 15])
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (505, 15)))
    assert not resets
    assert sorted(inserted) == [49, 99]
    assert uids_shown(model) == sorted([*range(0, 1000, 10), 505, 15], reverse=True)


def test_opening_mid_sync_does_not_count_twice(cache: FilledCache, qtmodeltester) -> None:
    cache.add(range(1, 201))
    model = message_model(cache)  # the event of these 200 is still queued
    qtmodeltester.check(model)
    model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(range(1, 201))))
    assert model.rowCount() == 200
    model.apply(CountsChanged(ACCOUNT, "INBOX", 200, 200))
    assert model.rowCount() == 200


def test_a_reset_keeps_the_highlighted_message_highlighted(cache: FilledCache,
                                                          qtbot: QtBot) -> None:
    """A reset (here: the store holds rows no event brought, CountsChanged) clears Qt's
    selection without a signal. Seen in the demo after three Undos: the reading pane
    still showed the message, no row was highlighted, Delete stayed enabled. The
    highlighted messages are taken back; one that left is no longer shown."""
    cache.add(range(1, 51))
    model = MessageListModel()
    view = MessageListView(model)
    qtbot.addWidget(view)
    Successor(view)
    model.set_folder(cache.reader, ACCOUNT, "INBOX")
    view.show()
    view.selectRow(3)
    view.selectionModel().select(view.proxy.index(5, 0), QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
    assert view.followed is not None and view.followed.uid == 47
    shown: list[object] = []
    view.current_message.connect(shown.append)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    cache.add([60, 61, 62])  # newer, without their event
    model.apply(CountsChanged(ACCOUNT, "INBOX", 53, 53))
    assert resets
    assert view.proxy.index(6, 0).data(Role.UID) == 47
    assert sorted(i.data(Role.UID) for i in view.selectionModel().selectedRows()) == [45, 47]
    assert view.currentIndex().data(Role.UID) == 47 and view.followed.uid == 47
    assert shown == []  # the same message: the reading pane has nothing to do

    cache.writer.remove_messages("INBOX", [47])  # gone meanwhile (another device)
    model.apply(CountsChanged(ACCOUNT, "INBOX", 52, 52))
    assert view.selectionModel().selectedRows() == []
    assert view.followed is None and shown == [None]


def test_removed_rows_on_screen_are_removed(cache: FilledCache, qtbot: QtBot,
                                            qtmodeltester) -> None:
    cache.add(range(1, 301))
    model = message_model(cache)
    qtmodeltester.check(model)
    model.data(model.index(0, 0))  # on screen: page 0 read
    cache.writer.remove_messages("INBOX", [300, 299, 290])
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    model.apply(MessagesRemoved(ACCOUNT, "INBOX", (300, 299, 290), RemovalReason.EXPUNGED))
    assert removed == [(10, 10), (0, 1)]
    assert model.rowCount() == 297
    assert uids_shown(model)[:3] == [298, 297, 296]


def test_removed_rows_never_read_reset_the_model(cache: FilledCache, qtbot: QtBot,
                                                 qtmodeltester) -> None:
    cache.add(range(1, 1001))
    model = message_model(cache)
    qtmodeltester.check(model)
    model.data(model.index(0, 0))
    cache.writer.remove_messages("INBOX", [5])
    with qtbot.waitSignal(model.modelReset):
        model.apply(MessagesRemoved(ACCOUNT, "INBOX", (5,), RemovalReason.EXPUNGED))
    assert model.rowCount() == 999


def test_flags_change_only_the_changed_rows_and_roles(cache: FilledCache, qtbot: QtBot,
                                                      qtmodeltester) -> None:
    cache.add(range(1, 2 * PAGE_SIZE + 1))
    model = message_model(cache)
    qtmodeltester.check(model)
    model.data(model.index(0, 0))
    cache.writer.set_flags("INBOX", {400: frozenset({SEEN}), 398: frozenset({SEEN}),
                                     10: frozenset({SEEN})})
    changes: list[tuple[int, int, list[int]]] = []
    model.dataChanged.connect(
        lambda top, bottom, roles: changes.append((top.row(), bottom.row(), list(roles))))
    model.apply(FlagsChanged(ACCOUNT, "INBOX", (400, 398, 10)))
    # uid 10 is on a page never read: nobody shows it, nothing to announce.
    assert [(top, bottom) for top, bottom, _ in changes] == [(0, 0), (2, 2)]
    assert Role.UNREAD in changes[0][2]
    assert Qt.ItemDataRole.DisplayRole.value not in changes[0][2]
    assert model.data(model.index(0, 0), Role.UNREAD) is False
    assert model.data(model.index(1, 0), Role.UNREAD) is True


def test_folder_reset_empties_then_refills(cache: FilledCache, qtbot: QtBot,
                                           qtmodeltester) -> None:
    cache.add(range(1, 50))
    model = message_model(cache)
    qtmodeltester.check(model)
    cache.writer.reset_folder("INBOX", 8)
    with qtbot.waitSignal(model.modelReset):
        model.apply(FolderReset(ACCOUNT, "INBOX", 8))
    assert model.rowCount() == 0
    cache.add([3, 4])
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (3, 4)))
    assert model.data(model.index(0, 0), Role.MESSAGE_REF) == MessageRef(ACCOUNT, "INBOX", 8, 4)


def test_events_for_other_folders_are_ignored(cache: FilledCache, qtmodeltester) -> None:
    cache.add(range(1, 10))
    model = message_model(cache)
    qtmodeltester.check(model)
    model.apply(MessagesAdded(ACCOUNT, "Archive", (1,)))
    model.apply(MessagesAdded("other", "INBOX", (1,)))
    assert model.rowCount() == 9


# -- folder tree ---------------------------------------------------------------------------

FOLDERS = [
    folder("Trash", FolderRole.TRASH), folder("INBOX", FolderRole.INBOX),
    folder("Projects/2024"), folder("Projects"), folder("Sent", FolderRole.SENT),
    folder("archive-old"), folder("INBOX/Receipts"), folder("Junk", FolderRole.JUNK),
    folder("Drafts", FolderRole.DRAFTS), folder("Archive", FolderRole.ARCHIVE),
    folder("Lists/qt/dev"),
]


def labels(model: FolderTreeModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    return [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]


@pytest.fixture
def tree_cache(cache: FilledCache) -> FilledCache:
    cache.writer.save_folders(FOLDERS)
    cache.writer.add_summaries("INBOX", [])
    cache.add([1, 2, 3])
    cache.add([4], seen=True)
    return cache


def tree_model(store: Store) -> FolderTreeModel:
    model = FolderTreeModel()
    model.add_account(ACCOUNT, store)
    return model


def test_folder_tree_orders_special_folders_then_nests(tree_cache: FilledCache,
                                                       qtmodeltester) -> None:
    model = tree_model(tree_cache.reader)
    qtmodeltester.check(model)
    account = model.account_index(ACCOUNT)
    assert account.data() == ACCOUNT
    assert account.data(Role.NODE_KIND) == NodeKind.ACCOUNT
    assert labels(model, account) == ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash",
                                      "archive-old", "Lists", "Projects"]
    inbox = model.folder_index(ACCOUNT, "INBOX")
    assert labels(model, inbox) == ["Receipts"]
    assert inbox.data(Role.UNREAD_COUNT) == 3
    assert inbox.data(Role.TOTAL_COUNT) == 4
    assert inbox.data(Role.FOLDER_ROLE) == FolderRole.INBOX
    lists = model.folder_index(ACCOUNT, "Lists")
    assert lists.data(Role.NODE_KIND) == NodeKind.PLACEHOLDER
    assert not lists.data(Role.SELECTABLE)
    dev = model.folder_index(ACCOUNT, "Lists/qt/dev")
    assert dev.parent().parent() == lists
    assert dev.data(Role.FOLDER) == "Lists/qt/dev"


def test_folder_tree_updates_incrementally(tree_cache: FilledCache, qtbot: QtBot,
                                           qtmodeltester) -> None:
    model = tree_model(tree_cache.reader)
    qtmodeltester.check(model)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    inbox = model.folder_index(ACCOUNT, "INBOX")
    persistent = QPersistentModelIndex(inbox)
    changed = [f for f in FOLDERS if f.name not in ("Projects/2024", "archive-old")]
    changed.append(folder("Bills"))
    tree_cache.writer.save_folders(changed)
    with qtbot.waitSignals([model.rowsRemoved, model.rowsInserted]):
        model.apply(FoldersChanged(ACCOUNT))
    assert not resets
    account = model.account_index(ACCOUNT)
    assert labels(model, account)[6:] == ["Bills", "Lists", "Projects"]
    assert labels(model, model.folder_index(ACCOUNT, "Projects")) == []
    assert persistent.isValid() and persistent.row() == 0


def test_counts_changed_touches_one_row(tree_cache: FilledCache, qtbot: QtBot,
                                        qtmodeltester) -> None:
    model = tree_model(tree_cache.reader)
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.apply(CountsChanged(ACCOUNT, "Sent", 10, 2))
    top, bottom, roles = blocker.args
    assert top == bottom == model.folder_index(ACCOUNT, "Sent")
    assert set(roles) == {Role.UNREAD_COUNT, Role.TOTAL_COUNT}
    assert top.data(Role.UNREAD_COUNT) == 2


def test_two_accounts(tree_cache: FilledCache, qtmodeltester) -> None:
    model = tree_model(tree_cache.reader)
    qtmodeltester.check(model)
    model.add_account("home", None)
    # "All Inboxes" on top as soon as there are two accounts (issue 4).
    assert labels(model) == ["All Inboxes", ACCOUNT, "home"]
    assert model.unified_index().data(Role.NODE_KIND) == NodeKind.UNIFIED
    model.set_store("home", tree_cache.reader)
    assert model.rowCount(model.account_index("home")) == 9
    qtmodeltester.check(model)


# -- removals in a sorted list with a selection (issue 5: a drag of many rows) ---------------
def sorted_view(cache: FilledCache, qtbot: QtBot) -> tuple[MessageListModel, MessageListView]:
    model = message_model(cache)
    view = MessageListView(model)
    qtbot.addWidget(view)
    view.sort_by(Column.SUBJECT, Qt.SortOrder.AscendingOrder)  # "Subject 1", "Subject 10"...
    for row in range(model.rowCount()):
        model.summary(row)  # every row read (on screen, or read by the drag)
    return model, view


def subjects(view: MessageListView) -> list[str]:
    return [view.proxy.index(row, Column.SUBJECT).data() for row in range(view.proxy.rowCount())]


def remove(cache: FilledCache, model: MessageListModel, uids: list[int]) -> None:
    cache.writer.hide_messages("INBOX", uids)  # the worker's local phase of a move
    model.apply(MessagesRemoved(ACCOUNT, "INBOX", tuple(uids), RemovalReason.MOVED))


def test_sorted_list_removes_a_block_in_one_pair(cache: FilledCache, qtbot: QtBot,
                                                 qtmodeltester) -> None:
    cache.add(range(1, 301))
    model, view = sorted_view(cache, qtbot)
    qtmodeltester.check(view.proxy)
    removed: list[tuple[int, int]] = []
    view.proxy.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    block = list(range(100, 110))  # adjacent by date and by subject
    first = subjects(view).index("Subject 100")
    remove(cache, model, block)
    assert removed == [(first, first + 9)]  # one pair, not ten
    assert subjects(view) == sorted(f"Subject {uid}" for uid in range(1, 301)
                                    if uid not in block)


def test_leaving_rows_leave_the_selection_first(cache: FilledCache, qtbot: QtBot,
                                                qtmodeltester) -> None:
    cache.add(range(1, 301))
    model, view = sorted_view(cache, qtbot)
    qtmodeltester.check(view.proxy)
    selection = view.selectionModel()
    rows = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    shown = subjects(view)
    # A block of the sorted list: scattered in the store's (date) order.
    leaving = [int(subject.split()[1]) for subject in shown[:100]]
    staying = shown[150]
    selection.select(QItemSelection(view.proxy.index(0, 0), view.proxy.index(99, 0)), rows)
    selection.select(view.proxy.index(150, 0), rows)
    changes: list[int] = []  # rows deselected by each change
    selection.selectionChanged.connect(
        lambda _selected, deselected: changes.append(len({i.row() for i in deselected.indexes()})))
    remove(cache, model, leaving)
    assert subjects(view) == [s for s in shown if int(s.split()[1]) not in leaving]
    assert [view.proxy.index(index.row(), Column.SUBJECT).data()
            for index in selection.selectedRows()] == [staying]
    assert changes[0] == 100  # all deselected in one step, before the first removal
    # Everything selected leaves (the usual drag): the selection is simply emptied.
    remove(cache, model, [int(staying.split()[1])])
    assert not selection.hasSelection()
    selection.select(QItemSelection(view.proxy.index(0, 0), view.proxy.index(9, 0)), rows)
    remove(cache, model, [int(s.split()[1]) for s in subjects(view)[:10]])
    assert not selection.hasSelection() and view.proxy.rowCount() == 189


def test_all_inboxes_follow_new_and_removed_mail_without_rereading_every_key(
        cache: FilledCache, qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """Issue 12: after the first merge, new mail is placed by its date and removed mail
    leaves, from the events and a read by UID; every key is read only once."""
    cache.add(range(1, 1001, 2))  # odd UIDs: dates interleave with what comes later
    model = UnifiedInboxModel()
    reads: list[str] = []
    real = cache.reader.order_keys

    def counted(folder: str) -> list[tuple[int, int]]:
        reads.append(folder)
        return real(folder)

    cache.reader.order_keys = counted  # type: ignore[method-assign]
    model.set_store(ACCOUNT, cache.reader)
    model.set_active(True)
    assert model.rowCount() == 500 and reads == ["INBOX"]
    qtmodeltester.check(model)
    cache.add([500, 998, 1200])  # between rows, near the end, newest
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (500, 998, 1200)))
    cache.writer.remove_messages("INBOX", [1, 501])
    model.apply(MessagesRemoved(ACCOUNT, "INBOX", (1, 501), RemovalReason.EXPUNGED))
    qtbot.waitUntil(lambda: model.rowCount() == 501, timeout=2_000)
    uids = [model.index(row, 0).data(Role.UID) for row in range(model.rowCount())]
    # Each UID arrived at BASE_DATE + UID: newest first is descending UID.
    assert uids == sorted({*range(3, 1001, 2), 500, 998, 1200} - {501}, reverse=True)
    assert reads == ["INBOX"]  # followed, never re-read


def test_all_inboxes_place_a_sync_chunk_by_the_dates_its_event_brings(
        cache: FilledCache, qtbot: QtBot) -> None:
    """Issue 18: a sync's MessagesAdded carries (uid, INTERNALDATE) of the rows a list
    shows: they are placed without a read of the store; UIDs it leaves out (\\Deleted
    or hidden) and events without dates are read as before."""
    cache.add(range(1, 101, 2))
    model = UnifiedInboxModel()
    reads: list[list[int]] = []
    real = cache.reader.order_keys_of

    def counted(folder: str, uids: list[int]) -> list[tuple[int, int]]:
        reads.append(sorted(uids))
        return real(folder, uids)

    cache.reader.order_keys_of = counted  # type: ignore[method-assign]
    model.set_store(ACCOUNT, cache.reader)
    model.set_active(True)
    cache.add(range(2, 101, 2))
    dated = tuple((uid, summary(uid).internaldate) for uid in range(2, 101, 2) if uid != 50)
    model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(range(2, 101, 2)), dated))
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=2_000)
    assert reads == [[50]]  # the one the event did not date
    cache.add([101])
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (101,)))
    qtbot.waitUntil(lambda: model.rowCount() == 101, timeout=2_000)
    assert reads == [[50], [101]]
    uids = [model.index(row, 0).data(Role.UID) for row in range(model.rowCount())]
    assert uids == list(range(101, 0, -1))


def test_all_inboxes_read_only_the_new_rows_of_a_page_they_moved(
        cache: FilledCache, qtbot: QtBot) -> None:
    """Issue 18: new rows above a page held move its rows; the page read again takes
    the summaries it held and reads only the new rows (a first sync's chunks landing
    on screen read 200 summaries per account at every paint). A flag change still
    reads its row afresh."""
    cache.add(range(1, 301, 2))
    model, _view = shown_unified(cache, qtbot)
    qtbot.waitUntil(lambda: model.rowCount() == 150, timeout=2_000)
    assert model.index(0, 0).data(Role.UID) == 299  # page 0 held
    asked: list[int] = []
    real = cache.reader.summaries_for

    def counted(folder: str, uids: list[int]) -> list[MessageSummary]:
        asked.extend(uids)
        return real(folder, uids)

    cache.reader.summaries_for = counted  # type: ignore[method-assign]
    cache.add([300, 298])
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (298, 300)))
    qtbot.waitUntil(lambda: model.rowCount() == 152, timeout=2_000)
    uids = [model.index(row, 0).data(Role.UID) for row in range(152)]
    assert uids[:4] == [300, 299, 298, 297] and uids[-1] == 1
    assert sorted(asked) == [298, 300]
    asked.clear()
    cache.writer.set_flags("INBOX", {297: frozenset({SEEN})})
    model.apply(FlagsChanged(ACCOUNT, "INBOX", (297,)))
    assert model.index(3, 0).data(Role.UID) == 297 and 297 in asked


def test_all_inboxes_hold_workers_back_while_they_take_new_rows(
        cache: FilledCache, qtbot: QtBot) -> None:
    """Issue 18: All Inboxes' refresh is GUI work the workers yield to (core/yielding.py),
    as paints and the models' event handling are."""
    cache.add(range(1, 101, 2))
    model, _view = shown_unified(cache, qtbot)
    qtbot.waitUntil(lambda: model.rowCount() == 50, timeout=2_000)
    seen: list[int] = []
    model.layoutChanged.connect(lambda *_: seen.append(yielding._busy))
    cache.add(range(2, 101, 2))
    model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(range(2, 101, 2))))
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=2_000)
    assert seen and all(depth > 0 for depth in seen)
    assert yielding._busy == 0


def test_all_inboxes_wait_for_the_events_of_rows_stored_ahead_of_them(
        cache: FilledCache, qtbot: QtBot) -> None:
    """Issue 18: a worker commits a chunk before its event reaches the window, so a
    store often counts rows no event has brought yet (with five accounts syncing, at
    every refresh). The list waits for those events instead of reading every key."""
    cache.add(range(1, 101))
    model = UnifiedInboxModel()
    reads: list[str] = []
    real = cache.reader.order_keys
    cache.reader.order_keys = lambda folder: reads.append(folder) or real(folder)  # type: ignore[method-assign,func-returns-value]
    model.set_store(ACCOUNT, cache.reader)
    model.set_active(True)
    cache.add([200, 201])  # stored; their event is still on its way
    cache.add([300])
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (300,)))
    qtbot.waitUntil(lambda: model.rowCount() == 101, timeout=2_000)
    model.apply(MessagesAdded(ACCOUNT, "INBOX", (200, 201)))
    qtbot.waitUntil(lambda: model.rowCount() == 103, timeout=2_000)
    assert model.index(0, 0).data(Role.UID) == 300
    assert reads == ["INBOX"]


@pytest.mark.parametrize("min_gap", [3, 1024])
def test_new_keys_go_where_they_belong(monkeypatch: pytest.MonkeyPatch, min_gap: int) -> None:
    """merge.py (All Inboxes, issue 18): keys already there are left out, the others
    go in order, stretch by stretch (MIN_GAP 3: many stretches on small lists), and
    every old key is where moved_row says."""
    monkeypatch.setattr("qtmail.qt.models.merge.MIN_GAP", min_gap)
    rng = random.Random(18)
    for _trial in range(500):
        pool = rng.sample(range(2000), 400)
        keys = sorted(pool[:rng.randrange(0, 300)])
        fresh = sorted(set(pool[300:300 + rng.randrange(1, 100)])
                       | set(rng.sample(keys, min(len(keys), rng.randrange(0, 4)))))
        old = list(keys)
        absent, places = places_of(keys, fresh)
        assert absent == sorted(set(fresh) - set(old))
        moved = [moved_row(old, absent, row) for row in range(len(old))]
        merge_at(keys, absent, places)
        assert keys == sorted(set(old) | set(fresh))
        assert [keys[row] for row in moved] == old


def shown_unified(cache: FilledCache, qtbot: QtBot) -> tuple[UnifiedInboxModel,
                                                             MessageListView]:
    """All Inboxes over ``cache``'s account, shown in a list."""
    model = UnifiedInboxModel()
    view = MessageListView(model)
    qtbot.addWidget(view)
    model.set_store(ACCOUNT, cache.reader)
    model.set_active(True)
    view.show()
    return model, view


def test_all_inboxes_insert_scattered_mail_keeping_the_selection(
        cache: FilledCache, qtbot: QtBot) -> None:
    """Many places for new rows at once (two accounts' chunks interleaved by date) go
    in by one layout change (issue 18: an insert per place kept the window busy for
    most of a first sync): no reset loses the selection or the current row, and the
    order is the merged one."""
    cache.add(range(1, 1001, 2))
    model, view = shown_unified(cache, qtbot)
    view.selectRow(10)
    chosen = view.proxy.index(10, 0).data(Role.UID)
    changes: list[str] = []
    model.modelReset.connect(lambda: changes.append("reset"))
    model.rowsInserted.connect(lambda *_: changes.append("insert"))
    model.layoutChanged.connect(lambda *_: changes.append("layout"))
    evens = list(range(2, 1001, 2))  # 500 places, one between every two rows
    cache.add(evens)
    model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(evens)))
    qtbot.waitUntil(lambda: model.rowCount() == 1000, timeout=5_000)
    assert changes == ["layout"]
    uids = [model.index(row, 0).data(Role.UID) for row in range(model.rowCount())]
    assert uids == list(range(1000, 0, -1))
    assert [view.proxy.index(row, 0).data(Role.UID) for row in range(view.proxy.rowCount())
            ] == uids
    [selected] = view.selectionModel().selectedRows()
    assert selected.data(Role.UID) == chosen == view.currentIndex().data(Role.UID)
    assert selected.row() == uids.index(chosen) == 21  # a new row above each old one


def test_all_inboxes_take_a_big_burst_over_several_turns_keeping_the_selection(
        cache: FilledCache, qtbot: QtBot) -> None:
    """More new rows than one turn looks up (KEYS_PER_TURN: five accounts' chunks at
    once) go in over several turns, all of them, in order, by inserts (no reset loses
    the selection)."""
    cache.add(range(1, 101))
    model, view = shown_unified(cache, qtbot)
    qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=2_000)
    view.selectRow(5)
    chosen = view.proxy.index(5, 0).data(Role.UID)
    resets: list[bool] = []
    inserted: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append(last - first + 1))
    burst = list(range(101, 101 + 3 * KEYS_PER_TURN))
    cache.add(burst)
    model.apply(MessagesAdded(ACCOUNT, "INBOX", tuple(burst)))
    qtbot.waitUntil(lambda: model.rowCount() == 100 + len(burst), timeout=10_000)
    assert not resets
    assert len(inserted) >= 3 and max(inserted) <= KEYS_PER_TURN
    uids = [model.index(row, 0).data(Role.UID) for row in range(model.rowCount())]
    assert uids == list(range(100 + len(burst), 0, -1))
    [selected] = view.selectionModel().selectedRows()
    assert selected.data(Role.UID) == chosen


def test_a_collapsed_parent_shows_its_subfolders_unread(tree_cache: FilledCache,
                                                        qtbot: QtBot) -> None:
    model = tree_model(tree_cache.reader)
    view = FolderView(model, set())
    qtbot.addWidget(view)
    view.show()
    lists = model.folder_index(ACCOUNT, "Lists")
    with qtbot.waitSignal(model.dataChanged):
        model.apply(CountsChanged(ACCOUNT, "Lists/qt/dev", 10, 3))
    assert lists.data(Role.SUBFOLDER_UNREAD) == 3

    view.collapse(lists)
    assert painted(view, lists).text == "Lists (3)"
    view.expand(lists)
    assert painted(view, lists).text == "Lists"
    assert painted(view, model.folder_index(ACCOUNT, "Lists/qt/dev")).text == "dev (3)"


def painted(view: FolderView, index: QModelIndex) -> QStyleOptionViewItem:
    """The cell the tree's delegate paints for ``index``."""
    option = QStyleOptionViewItem()
    option.widget = view
    view.itemDelegate().initStyleOption(option, index)
    return option


def test_the_tree_paints_its_folders_without_asking_for_roles(tree_cache: FilledCache,
                                                              qtbot: QtBot) -> None:
    """Issue 18: every role a cell asks the model for is a call back into Python that
    waits for the GIL while the accounts sync; the tree's cells come from its nodes.
    What the user sees stays: the account in bold, unread counts in bold."""
    asked: list[int] = []

    class Watched(DropFolderTreeModel):
        def data(self, index: QModelIndex | QPersistentModelIndex,
                 role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            asked.append(role)
            return super().data(index, role)

    model = Watched()
    model.add_account(ACCOUNT, tree_cache.reader)
    view = FolderView(model, None)
    qtbot.addWidget(view)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    inbox = model.folder_index(ACCOUNT, "INBOX")
    with qtbot.waitSignal(model.dataChanged):
        model.apply(CountsChanged(ACCOUNT, "INBOX", 10, 3))
    asked.clear()
    view.grab()  # paints every row (a repaint() on the offscreen platform does not)
    assert asked == []

    cells = [painted(view, index) for index in (model.account_index(ACCOUNT), inbox,
                                                  model.folder_index(ACCOUNT, "Sent"))]
    assert [(cell.text, cell.font.bold()) for cell in cells] == [
        (ACCOUNT, True), ("Inbox (3)", True), ("Sent", False)]


def test_sent_and_drafts_show_who_the_mail_went_to(cache: FilledCache) -> None:
    cache.writer.save_folders([folder("INBOX", FolderRole.INBOX),
                               folder("Sent", FolderRole.SENT, attributes=["\\\\Sent"])])
    cache.writer.add_summaries("Sent", [changed(
        summary(1), sender=Address("Me", "me@example.org"),
        to=(Address("Bob Builder", "bob@example.org"),),
        cc=(Address("", "carol@example.org"),))])
    cache.add([2])
    model = MessageListModel()
    view = MessageListView(model)
    model.set_folder(cache.reader, ACCOUNT, "Sent")
    assert view.proxy.headerData(Column.SENDER, Qt.Orientation.Horizontal) == "To"
    assert view.proxy.index(0, Column.SENDER).data() == "Bob Builder, carol@example.org"
    model.set_folder(cache.reader, ACCOUNT, "INBOX")
    assert view.proxy.headerData(Column.SENDER, Qt.Orientation.Horizontal) == "From"
    assert view.proxy.index(0, Column.SENDER).data() == "Sender 2"


def test_a_collapsed_gmail_parent_does_not_count_all_mail_and_starred_again(
        cache: FilledCache, qtmodeltester) -> None:
    # RFC 6154 \All and \Flagged hold copies: Gmail's All Mail and Starred (issue 16).
    cache.writer.save_folders([folder("INBOX", FolderRole.INBOX),
                               folder("[Gmail]/All Mail", FolderRole.ALL),
                               folder("[Gmail]/Starred", FolderRole.FLAGGED),
                               folder("[Gmail]/Important")])
    for name in ("[Gmail]/All Mail", "[Gmail]/Starred", "[Gmail]/Important"):
        cache.writer.set_folder_state(name, FolderSyncState(uidvalidity=7, uidnext=1))
    cache.add([1, 2])  # two unread in INBOX...
    cache.writer.add_summaries("[Gmail]/All Mail", [summary(1), summary(2)])  # ...copies
    cache.writer.add_summaries("[Gmail]/Starred", [summary(1)])
    cache.writer.add_summaries("[Gmail]/Important", [summary(3)])  # one of its own
    model = tree_model(cache.reader)
    qtmodeltester.check(model)
    gmail = model.folder_index(ACCOUNT, "[Gmail]")
    assert gmail.data(Role.NODE_KIND) == NodeKind.PLACEHOLDER
    assert gmail.data(Role.SUBFOLDER_UNREAD) == 1
    assert model.folder_index(ACCOUNT, "[Gmail]/All Mail").data(Role.UNREAD_COUNT) == 2
