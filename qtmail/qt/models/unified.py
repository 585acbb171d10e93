"""UnifiedInboxModel: the INBOXes of several accounts as one list, newest first.

Each account's read-only Store gives its INBOX order as (internaldate, uid) keys, no
summaries decoded; the model merges them (heapq.merge, so tens of thousands of rows
cost a few ms) and reads summaries by page, one ``summaries_for`` query per account
and page. Engine events are coalesced (UPDATE_DELAY_MS) and applied as inserts and
removals against the previous merge, or one reset when both happened.
"""

from __future__ import annotations

import heapq
import logging
from typing import Any

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

from qtmail.core.events import (
    CountsChanged,
    Event,
    FlagsChanged,
    FolderReset,
    MessagesAdded,
    MessagesRemoved,
)
from qtmail.core.types import FLAGGED, MessageRef, MessageSummary
from qtmail.mime.sender import list_text as sender_list_text
from qtmail.qt.models.messages import HEADERS, Column, date_text, size_text
from qtmail.qt.models.pages import PAGE_SIZE, Page, SummaryPages
from qtmail.qt.models.roles import ROLE_NAMES, Role
from qtmail.store import Store

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
INBOX = "INBOX"
UPDATE_DELAY_MS = 50
"""A first sync sends a chunk event every few ms: merge once per burst."""

_SERVED = frozenset({Qt.ItemDataRole.DisplayRole.value, *(role.value for role in Role)})
_FLAG_ROLES = [Role.FLAGS.value, Role.UNREAD.value, Role.FLAGGED.value, Role.SUMMARY.value]

_Key = tuple[int, int, int]
"""(internaldate, uid, account number): the merged order, newest first."""


class UnifiedInboxModel(QAbstractTableModel):
    """Rows of every account's INBOX. Same columns and roles as MessageListModel."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: list[str] = []
        self._stores: dict[str, Store] = {}
        self._uidvalidity: dict[str, int] = {}
        self._keys: list[_Key] = []
        self._pages = SummaryPages(self._read_page)
        self._active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(UPDATE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

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
        self._schedule()

    def set_active(self, active: bool) -> None:
        """Read the stores only while the list is shown; hidden, it holds nothing."""
        self._active = active
        if active:
            self.refresh()
        else:
            self._timer.stop()
            self.beginResetModel()
            self._keys = []
            self._pages.clear()
            self.endResetModel()

    # -- rows ----------------------------------------------------------------------------
    def summary(self, row: int) -> MessageSummary | None:
        if not 0 <= row < len(self._keys):
            return None
        return self._pages.summary(row)

    def _read_page(self, number: int) -> Page:
        keys = self._keys[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        wanted: dict[int, list[int]] = {}
        for _date, uid, which in keys:
            wanted.setdefault(which, []).append(uid)
        found: dict[tuple[int, int], MessageSummary] = {}
        for which, uids in wanted.items():
            store = self._stores.get(self._accounts[which])
            if store is None:
                continue
            for summary in store.summaries_for(INBOX, uids):
                found[(which, summary.uid)] = summary
        page = [found.get((which, uid)) for _date, uid, which in keys]
        return page

    def ref(self, row: int) -> MessageRef | None:
        if not 0 <= row < len(self._keys):
            return None
        _date, uid, which = self._keys[row]
        account = self._accounts[which]
        return MessageRef(account, INBOX, self._uidvalidity.get(account, 0), uid)

    # -- events --------------------------------------------------------------------------
    @Slot(object)
    def apply(self, event: Event) -> None:
        if getattr(event, "folder", None) != INBOX or event.account not in self._stores:
            return
        if isinstance(event, FlagsChanged):
            self._flags_changed(event.account, set(event.uids))
        elif isinstance(event, MessagesAdded | MessagesRemoved | FolderReset | CountsChanged):
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
            lists.append([(date, uid, which) for date, uid in store.order_keys(INBOX)])
        return list(heapq.merge(*lists, reverse=True))

    @Slot()
    def refresh(self) -> None:
        """Bring the rows to the stores: inserts, removals, or one reset for both."""
        if not self._active:
            return
        new = self._merged()
        old = self._keys
        if new == old:
            return
        old_set, new_set = set(old), set(new)
        self._pages.clear()
        if old_set <= new_set:
            self._insert(new, new_set - old_set)
        elif new_set <= old_set:
            self._remove(new, old_set - new_set)
        else:
            self.beginResetModel()
            self._keys = new
            self._pages.clear()
            self.endResetModel()

    def _insert(self, new: list[_Key], added: set[_Key]) -> None:
        rows = [row for row, key in enumerate(new) if key in added]
        while rows:  # ascending runs: each lands where it is in ``new``
            first = last = rows.pop(0)
            while rows and rows[0] == last + 1:
                last = rows.pop(0)
            self.beginInsertRows(_NO_PARENT, first, last)
            self._keys[first:first] = new[first:last + 1]
            self._pages.clear()  # views read between two runs: no page may outlive one
            self.endInsertRows()

    def _remove(self, new: list[_Key], removed: set[_Key]) -> None:
        rows = [row for row, key in enumerate(self._keys) if key in removed]
        while rows:  # descending runs, so earlier rows keep their numbers
            last = first = rows.pop()
            while rows and rows[-1] == first - 1:
                first = rows.pop()
            self.beginRemoveRows(_NO_PARENT, first, last)
            del self._keys[first:last + 1]
            self._pages.clear()
            self.endRemoveRows()

    def _flags_changed(self, account: str, uids: set[int]) -> None:
        which = self._accounts.index(account)
        last_column = len(Column) - 1
        for number in self._pages.numbers():
            base = number * PAGE_SIZE
            rows = [base + offset for offset, (_d, uid, w)
                    in enumerate(self._keys[base:base + PAGE_SIZE])
                    if w == which and uid in uids]
            if rows:
                self._pages.drop(number)
                for row in rows:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column),
                                          _FLAG_ROLES)

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
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _SERVED or not index.isValid():
            return None
        row, column = index.row(), index.column()
        summary = self.summary(row)
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (sender_list_text(summary.sender), summary.subject,
                    date_text(summary.date or summary.internaldate),
                    size_text(summary.size))[column]
        if role == Role.MESSAGE_REF:
            return self.ref(row)
        if role == Role.ACCOUNT:
            return self._accounts[self._keys[row][2]]
        if role == Role.FOLDER:
            return INBOX
        if role == Role.SORT_KEY:
            return (summary.sender.display().casefold(), summary.subject.casefold(),
                    summary.date or summary.internaldate, summary.size)[column]
        return {Role.UID: summary.uid, Role.FLAGS: summary.flags,
                Role.UNREAD: summary.unread, Role.FLAGGED: FLAGGED in summary.flags,
                Role.HAS_ATTACHMENT: summary.has_attachment,
                Role.SUMMARY: summary}.get(Role(role))

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names
