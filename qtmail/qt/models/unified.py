"""UnifiedInboxModel: the INBOXes of several accounts as one list, newest first.

Each account's read-only Store gives its INBOX order as (internaldate, uid) keys, no
summaries decoded; the model merges them when shown and reads summaries by page, one
``summaries_for`` query per account and page. Engine events are coalesced
(UPDATE_DELAY_MS) and applied as inserts (new rows at many places: one layout change)
and removals against the previous merge, or one reset when both happened. After the
first merge the keys follow the events (issue 12): added UIDs are read by UID (one
small query), removed ones leave the list, and the store's O(1) counts say whether
that kept up; only a folder reset, a new store or counts that disagree read every key
again.
"""

from __future__ import annotations

import logging
import time
from itertools import chain
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Slot,
)

from qtmail.core import yielding
from qtmail.core.events import (
    CountsChanged,
    Event,
    FlagsChanged,
    FolderReset,
    MessagesAdded,
    MessagesRemoved,
    PreviewsReady,
)
from qtmail.core.types import MessageRef, MessageSummary
from qtmail.qt.models.columns import (
    FLAG_ROLES,
    PLACE_COLUMNS,
    PREVIEW_ROLES,
    SERVED_ROLES,
    Column,
    header,
    place_data,
    summary_data,
)
from qtmail.qt.models.layout_hint import ROWS_ONLY, hinted
from qtmail.qt.models.merge import merge_at, moved_row, places_of
from qtmail.qt.models.pages import MAX_PAGES, PAGE_SIZE, Page, SummaryPages
from qtmail.qt.models.roles import ROLE_NAMES, Role

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
INBOX = "INBOX"
UPDATE_DELAY_MS = 50
"""A first sync sends a chunk event every few ms: merge once per burst."""
CATCH_UP_S = 2.0
"""Stores ahead of the events this long: read every key again."""
SPARE_MAX = 2 * MAX_PAGES * PAGE_SIZE
"""Moved pages' summaries kept for the pages read again (twice what pages hold)."""
KEYS_PER_TURN = 2_000
"""New rows looked up in one refresh (one sync chunk); more wait for the next turn.
Five accounts' chunks arriving in one UPDATE_DELAY_MS are 10,000 rows, whose lookup
(their dates from the stores, their places in the list) held the loop 30-40 ms."""

_UID_MAX = 0xFFFF_FFFF  # RFC 3501 2.3.1.1: a UID is a 32-bit number
_Key = int
"""A row's place as one int: -internaldate, then -uid, then the account number, in
bit fields (see _key), so that ascending is the list's order, newest first. One int
compares in a step where a tuple (-date, -uid, account) took one per field: bisect,
sort and merge of 500,000 rows (five accounts of 100,000) are several times faster."""


def _key(date: int, uid: int, which: int) -> _Key:
    """``which``: the account's number (< 65,536). Any date keeps the order: it is the
    int's high part (a negative one too: Python's shifts are arithmetic)."""
    return (-date << 48) | ((_UID_MAX - uid) << 16) | which


def _uid(key: _Key) -> int:
    return _UID_MAX - ((key >> 16) & _UID_MAX)


def _which(key: _Key) -> int:
    return key & 0xFFFF


class UnifiedInboxModel(QAbstractTableModel):
    """Rows of every account's INBOX. Same columns and roles as MessageListModel."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: list[str] = []
        self._stores: dict[str, Store] = {}
        self._uidvalidity: dict[str, int] = {}
        self._keys: list[_Key] = []
        self._counts: dict[int, int] = {}
        """Rows per account number in ``_keys``, kept with it."""
        self._behind_since: float | None = None
        """Since when the stores hold rows no event has brought (monotonic seconds)."""
        self._added: dict[str, dict[int, int | None]] = {}
        """UID -> INTERNALDATE (None: to be read) per account, of the rows that events
        added since the last refresh."""
        self._removed: dict[str, set[int]] = {}
        """UIDs per account that events removed since the last refresh."""
        self._stale = True
        """Every key must be read again (no merge yet, a reset, a store changed)."""
        self._pages = SummaryPages(self._read_page)
        self._spare: dict[_Key, MessageSummary] = {}
        """Summaries of pages that new rows moved (dropped), by key: a page read again
        takes them from here and reads only the new rows (issue 18)."""
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._more = QTimer(self)  # the next turn of a long burst, after paints
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        self._more.timeout.connect(self.refresh)

    @property
    def account(self) -> str:
        return ""

    @property
    def folder(self) -> str:
        return INBOX

    def set_store(self, account: str, store: Store | None) -> None:
        if account not in self._accounts:
            self._accounts.append(account)
        if store is None:
            self._stores.pop(account, None)
        else:
            self._stores[account] = store
        self._stale = True
        self._schedule()

    def set_active(self, active: bool) -> None:
        """Read the stores only while the list is shown; hidden, it holds nothing."""
        self._active = active
        if active:
            self.refresh()
        else:
            self._timer.stop()
            self._more.stop()
            self._stale = True
            self.beginResetModel()
            self._keys = []
            self._counts = {}
            self._pages.clear()
            self._spare = {}
            self.endResetModel()

    # -- rows ----------------------------------------------------------------------------
    def summary(self, row: int) -> MessageSummary | None:
        if not 0 <= row < len(self._keys):
            return None
        return self._pages.summary(row)

    def _read_page(self, number: int) -> Page:
        keys = self._keys[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        spare = self._spare
        wanted: dict[int, list[int]] = {}
        for key in keys:
            if key not in spare:
                wanted.setdefault(_which(key), []).append(_uid(key))
        found: dict[tuple[int, int], MessageSummary] = {}
        for which, uids in wanted.items():
            store = self._stores.get(self._accounts[which])
            if store is None:
                continue
            for summary in store.summaries_for(INBOX, uids):
                found[(which, summary.uid)] = summary
        return [spare[key] if key in spare else found.get((_which(key), _uid(key)))
                for key in keys]

    def _spare_pages(self, first: int) -> None:
        """Rows from ``first`` on are about to move (``_keys`` still as before): the
        summaries their pages hold go to ``_spare``, for the pages read after the move
        (a first sync's chunks land all over the list, and each paint after one read
        200 summaries per account again)."""
        if len(self._spare) > SPARE_MAX:
            self._spare.clear()
        keys = self._keys
        for number, page in list(self._pages.items()):
            if number >= first // PAGE_SIZE:
                base = number * PAGE_SIZE
                self._spare.update((keys[base + offset], summary)
                                   for offset, summary in enumerate(page) if summary)

    def ref(self, row: int) -> MessageRef | None:
        if not 0 <= row < len(self._keys):
            return None
        key = self._keys[row]
        account = self._accounts[_which(key)]
        return MessageRef(account, INBOX, self._uidvalidity.get(account, 0), _uid(key))

    # -- events --------------------------------------------------------------------------
    @Slot(object)
    def apply(self, event: Event) -> None:
        if getattr(event, "folder", None) != INBOX or event.account not in self._stores \
                or not self._active:
            return  # hidden, it holds nothing: the next showing reads every key
        if isinstance(event, FlagsChanged | PreviewsReady):
            self._rows_changed(event.account, set(event.uids),
                               FLAG_ROLES if isinstance(event, FlagsChanged) else PREVIEW_ROLES)
            return
        if isinstance(event, MessagesAdded):
            added = self._added.setdefault(event.account, {})
            added.update(dict.fromkeys(event.uids))  # dates unknown: read them
            if event.shown is not None:  # a sync's chunk: dates known, no read
                added.update(event.shown)
            self._removed.get(event.account, set()).difference_update(event.uids)
        elif isinstance(event, MessagesRemoved):
            self._removed.setdefault(event.account, set()).update(event.uids)
            added = self._added.get(event.account, {})
            for uid in event.uids:
                added.pop(uid, None)
        elif isinstance(event, FolderReset):
            self._stale = True
        elif not isinstance(event, CountsChanged):
            return
        self._schedule()

    def _schedule(self) -> None:
        if self._active and not self._timer.isActive():
            self._timer.start()

    def _merged(self) -> list[_Key]:
        lists = []
        for which, account in enumerate(self._accounts):
            store = self._stores.get(account)
            if store is None:
                continue
            state = store.folder_state(INBOX)
            self._uidvalidity[account] = 0 if state is None else state.uidvalidity
            lists.append([_key(date, uid, which) for date, uid in store.order_keys(INBOX)])
        return sorted(chain.from_iterable(lists))  # sorted runs: merged in C

    def _followed(self) -> tuple[list[int], list[_Key], list[int]] | None:
        """The rows the events since the last refresh removed, and the keys they added
        that are not rows yet (newest first; dates the events did not bring read by
        UID) with their places, or None when the stores' counts say that is not the
        whole story (read every key then). Costs the events' size times log(rows), not
        the rows: five accounts of 100,000 kept the window blocked for seconds per chunk
        while every key was copied, hashed and counted again (issue 18)."""
        keys = self._keys
        gone: list[int] = []
        if any(self._removed.values()):  # their dates are gone with them: one scan
            removed = {(self._accounts.index(account), uid)
                       for account, uids in self._removed.items() for uid in uids}
            gone = [row for row, key in enumerate(keys)
                    if (_which(key), _uid(key)) in removed]
        counts = dict(self._counts)
        for row in gone:
            counts[_which(keys[row])] -= 1
        added: list[_Key] = []
        for account, dates in self._added.items():
            store = self._stores.get(account)
            if store is None or not dates:
                continue
            which = self._accounts.index(account)
            added += [_key(date, uid, which) for uid, date in dates.items() if date is not None]
            unknown = [uid for uid, date in dates.items() if date is None]
            if unknown:
                added += [_key(date, uid, which)
                          for date, uid in store.order_keys_of(INBOX, unknown)]
        added.sort()
        fresh, places = places_of(keys, added)
        for key in fresh:
            which = _which(key)
            counts[which] = counts.get(which, 0) + 1
        behind = False
        for which, account in enumerate(self._accounts):
            store = self._stores.get(account)
            if store is None:
                continue
            have, expected = store.message_count(INBOX), counts.get(which, 0)
            if have < expected:
                return None
            # More in the store: a worker committed rows whose event is still queued
            # (commit before announce), or rows came without one. Several accounts'
            # first syncs are always ahead like this; read every key only when no
            # event has caught up for CATCH_UP_S.
            behind = behind or have > expected
        now = time.monotonic()
        if not behind or gone or fresh:
            self._behind_since = now if behind else None
        elif self._behind_since is None:
            self._behind_since = now
        elif now - self._behind_since > CATCH_UP_S:
            self._behind_since = None
            return None
        if behind:
            self._schedule()  # look again after the queued events
        return gone, fresh, places

    @Slot()
    def refresh(self) -> None:
        """Bring the rows to the stores: removals and inserts, or one reset."""
        if not self._active:
            return
        # Workers hold back meanwhile (core/yielding.py): a worker kept waiting for the
        # GIL makes this thread hand it over and wait for it to be taken back, which a
        # worker running behind the GUI (qt/worker.py) may take several ms to do.
        with yielding.busy():
            self._refresh()

    def _refresh(self) -> None:
        later = self._beyond_turn()
        change = None if self._stale else self._followed()
        self._stale = False
        self._added, self._removed = later, {}
        if later:
            self._more.start()
        if change is None:
            self._reset(self._merged())
            return
        gone, fresh, places = change
        if gone and fresh:
            # Both at once (a move within the list): one reset, as before.
            kept = set(gone)
            self._reset(sorted([key for row, key in enumerate(self._keys) if row not in kept]
                               + fresh))
            return
        if gone:
            self._remove(gone)
        if fresh:
            self._insert(fresh, places)

    def _beyond_turn(self) -> dict[str, dict[int, int | None]]:
        """Takes the added UIDs past KEYS_PER_TURN out of ``_added`` (the oldest of the
        largest account's first: a sync's next chunk is older) and returns them."""
        excess = sum(len(dates) for dates in self._added.values()) - KEYS_PER_TURN
        later: dict[str, dict[int, int | None]] = {}
        for account, dates in sorted(self._added.items(), key=lambda item: -len(item[1])):
            if excess <= 0:
                break
            moved = sorted(dates)[:min(excess, len(dates))]
            later[account] = {uid: dates.pop(uid) for uid in moved}
            excess -= len(moved)
        return later

    def _reset(self, keys: list[_Key]) -> None:
        counts: dict[int, int] = {}
        for key in keys:
            which = _which(key)
            counts[which] = counts.get(which, 0) + 1
        self._counts = counts
        if keys == self._keys:
            return
        self.beginResetModel()
        self._keys = keys
        self._pages.clear()
        self._spare = {}
        self.endResetModel()

    def _insert(self, fresh: list[_Key], places: list[int]) -> None:
        """``fresh`` (sorted, none present) at ``places`` (places_of). All at one place:
        one insert. At several (accounts' chunks interleaved by date: a place for every
        row or two): one layout change, the rows already there moving down with their
        selection and current row (persistent indexes). An insert per place cost the
        proxy and the views ~50 us each: five accounts of 100,000 are 300,000 places,
        most of the GUI thread's time during their first syncs (issue 18)."""
        counts = self._counts
        for key in fresh:
            which = _which(key)
            counts[which] = counts.get(which, 0) + 1
        keys = self._keys
        first = places[0]
        if first == places[-1]:
            self._spare_pages(first)
            self.beginInsertRows(_NO_PARENT, first, first + len(fresh) - 1)
            keys[first:first] = fresh
            self._pages.drop_from(first // PAGE_SIZE)
            self.endInsertRows()
            return
        hinted(self.layoutAboutToBeChanged).emit([], ROWS_ONLY)
        before = self.persistentIndexList()  # the views' too, made on that signal
        moved = [(moved_row(keys, fresh, index.row()), index.column()) for index in before]
        self._spare_pages(first)
        merge_at(keys, fresh, places)
        self._pages.drop_from(first // PAGE_SIZE)  # the rows before stay where they are
        self.changePersistentIndexList(before, [self.index(*at) for at in moved])
        hinted(self.layoutChanged).emit([], ROWS_ONLY)

    def _remove(self, rows: list[int]) -> None:
        rows = sorted(rows)
        while rows:  # descending runs, so earlier rows keep their numbers
            last = first = rows.pop()
            while rows and rows[-1] == first - 1:
                first = rows.pop()
            self.beginRemoveRows(_NO_PARENT, first, last)
            for key in self._keys[first:last + 1]:
                self._counts[_which(key)] -= 1
            del self._keys[first:last + 1]
            self._pages.clear()
            self._spare = {}
            self.endRemoveRows()

    def _rows_changed(self, account: str, uids: set[int], roles: list[int]) -> None:
        which = self._accounts.index(account)
        for key in [key for key in self._spare if _which(key) == which and _uid(key) in uids]:
            del self._spare[key]
        last_column = len(Column) - 1
        for number in self._pages.numbers():
            base = number * PAGE_SIZE
            rows = [base + offset for offset, key
                    in enumerate(self._keys[base:base + PAGE_SIZE])
                    if _which(key) == which and _uid(key) in uids]
            if rows:
                self._pages.drop(number)
                for row in rows:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column),
                                          roles)

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(Column)

    ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
        | Qt.ItemFlag.ItemNeverHasChildren
    """Every row's flags (a constant: the view asks once per painted cell)."""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self.ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(Column):
            return header(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in SERVED_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        summary = self.summary(row)
        if summary is None:
            return None
        if role == Role.MESSAGE_REF:
            return self.ref(row)
        if role == Role.ACCOUNT:
            return self._accounts[_which(self._keys[row])]
        if role == Role.FOLDER:
            return INBOX
        if column in PLACE_COLUMNS:
            return place_data(column, role, self._accounts[_which(self._keys[row])], INBOX)
        return summary_data(summary, column, role)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names
