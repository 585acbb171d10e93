"""SearchResultsModel: the hits of a search, across folders and accounts, newest first.

Like the unified inbox (unified.py), the model keeps only each hit's order key
(internaldate, uid, source), as the store's search_keys returns them, nothing decoded;
summaries are read by page through the accounts' read-only Stores (one summaries_for
query per folder and page). Server hits (SearchHits) are inserted where they sort and
marked (Role.FROM_SERVER); engine events keep the rows current: flags change in place,
removed and reset messages leave. A Folder column is shown when the scope spans more
than one folder.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Slot,
)

from qtmail.core.events import Event, FlagsChanged, FolderReset, MessagesRemoved
from qtmail.core.types import MessageRef, MessageSummary
from qtmail.qt.dragdrop import MESSAGE_REFS_MIME, URI_LIST_MIME, message_mime
from qtmail.qt.models.columns import (
    FLAG_ROLES,
    PLACE_COLUMNS,
    SERVED_ROLES,
    Column,
    header,
    place_data,
    summary_data,
)
from qtmail.qt.models.pages import PAGE_SIZE, Page, SummaryPages
from qtmail.qt.models.roles import ROLE_NAMES, Role

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
FOLDER_COLUMN = Column.FOLDER
"""The column a search over several folders shows (the view hides it otherwise)."""


_Key = tuple[int, int, int]
"""(-internaldate, -uid, source number): ascending is newest first (bisect works)."""
Hits = list[tuple[str, int, int]]
"""(folder, internaldate, uid) per hit, newest first: Store.search_keys."""


class SearchResultsModel(QAbstractTableModel):
    """Search hits; the same columns and roles as MessageListModel, plus FOLDER_COLUMN
    when ``multi_folder``. ``reader(account)`` gives an account's read-only Store."""

    MARKS_SERVER = True
    """The delegate marks rows with Role.FROM_SERVER (see MessageDelegate)."""

    def __init__(self, reader: Callable[[str], Store | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._sources: list[tuple[str, str]] = []  # (account, folder) per source number
        self._source_of: dict[tuple[str, str], int] = {}
        self._uidvalidity: list[int] = []
        self._keys: list[_Key] = []
        self._server: set[tuple[int, int]] = set()  # (source, uid) found by the server
        self._pages = SummaryPages(self._read_page)
        self.multi_folder = False

    # -- filling -----------------------------------------------------------------------
    def show(self, hits: Iterable[tuple[str, Hits]], *, multi_folder: bool) -> None:
        """Replace the rows with the local hits of each (account, hits)."""
        self.beginResetModel()
        self._sources, self._source_of, self._uidvalidity = [], {}, []
        self._server.clear()
        self._pages.clear()
        self.multi_folder = multi_folder
        lists = [[(-date, -uid, self._source(account, folder)) for folder, date, uid in found]
                 for account, found in hits]
        self._keys = list(heapq.merge(*lists))
        self.endResetModel()

    def clear(self) -> None:
        self.show((), multi_folder=self.multi_folder)

    def add_server_hits(self, account: str, folder: str, uids: Iterable[int]) -> int:
        """Mark the server's hits, inserting those not listed where they sort (a row
        already listed came with the new mail that brought its headers: it is marked
        too, since the cache alone did not find it). Returns how many were marked."""
        before = len(self._server)
        self._insert(account, folder, uids, server=True)
        return len(self._server) - before

    def add_local_hits(self, account: str, folder: str, uids: Iterable[int]) -> int:
        """New mail that matches the search (checked by the caller): rows where they
        sort. Returns how many rows were inserted."""
        return self._insert(account, folder, uids, server=False)

    def _insert(self, account: str, folder: str, uids: Iterable[int], *, server: bool) -> int:
        store = self._reader(account)
        if store is None:
            return 0
        source = self._source(account, folder)
        present = {-uid: row for row, (_date, uid, s) in enumerate(self._keys) if s == source}
        wanted = []
        for uid in dict.fromkeys(uids):
            row = present.get(uid)
            if row is None:
                wanted.append(uid)
            elif server and (source, uid) not in self._server:
                self._server.add((source, uid))
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, self.columnCount() - 1),
                                      [Role.FROM_SERVER.value])
        added = 0
        for summary in store.summaries_for(folder, wanted):
            key = (-summary.internaldate, -summary.uid, source)
            row = bisect.bisect_left(self._keys, key)
            self.beginInsertRows(_NO_PARENT, row, row)
            self._keys.insert(row, key)
            if server:
                self._server.add((source, summary.uid))
            self._pages.clear()  # views read between two inserts: no stale page
            self.endInsertRows()
            added += 1
        return added

    def _source(self, account: str, folder: str) -> int:
        number = self._source_of.get((account, folder))
        if number is None:
            number = self._source_of[(account, folder)] = len(self._sources)
            self._sources.append((account, folder))
            store = self._reader(account)
            state = store.folder_state(folder) if store is not None else None
            self._uidvalidity.append(0 if state is None else state.uidvalidity)
        return number

    # -- rows ----------------------------------------------------------------------------
    def summary(self, row: int) -> MessageSummary | None:
        if not 0 <= row < len(self._keys):
            return None
        return self._pages.summary(row)

    def _read_page(self, number: int) -> Page:
        keys = self._keys[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
        wanted: dict[int, list[int]] = {}
        for _date, uid, source in keys:
            wanted.setdefault(source, []).append(-uid)
        found: dict[tuple[int, int], MessageSummary] = {}
        for source, uids in wanted.items():
            account, folder = self._sources[source]
            store = self._reader(account)
            if store is None:
                continue
            for summary in store.summaries_for(folder, uids):
                found[(source, summary.uid)] = summary
        page = [found.get((source, -uid)) for _date, uid, source in keys]
        return page

    def ref(self, row: int) -> MessageRef | None:
        if not 0 <= row < len(self._keys):
            return None
        _date, uid, source = self._keys[row]
        account, folder = self._sources[source]
        return MessageRef(account, folder, self._uidvalidity[source], -uid)

    def from_server(self, row: int) -> bool:
        _date, uid, source = self._keys[row]
        return (source, -uid) in self._server

    # -- events --------------------------------------------------------------------------
    @Slot(object)
    def apply(self, event: Event) -> None:
        folder = getattr(event, "folder", None)
        source = self._source_of.get((event.account, folder)) if folder is not None else None
        if source is None:
            return
        if isinstance(event, FlagsChanged):
            self._flags_changed(source, set(event.uids))
        elif isinstance(event, MessagesRemoved):
            self._remove(source, set(event.uids))
        elif isinstance(event, FolderReset):
            self._remove(source, None)

    def _remove(self, source: int, uids: set[int] | None) -> None:
        rows = [row for row, (_d, uid, s) in enumerate(self._keys)
                if s == source and (uids is None or -uid in uids)]
        while rows:  # descending runs, so earlier rows keep their numbers
            last = first = rows.pop()
            while rows and rows[-1] == first - 1:
                first = rows.pop()
            self.beginRemoveRows(_NO_PARENT, first, last)
            del self._keys[first:last + 1]
            self._pages.clear()
            self.endRemoveRows()

    def _flags_changed(self, source: int, uids: set[int]) -> None:
        last_column = self.columnCount() - 1
        for number in self._pages.numbers():
            base = number * PAGE_SIZE
            rows = [base + offset for offset, (_d, uid, s)
                    in enumerate(self._keys[base:base + PAGE_SIZE])
                    if s == source and -uid in uids]
            if rows:
                self._pages.drop(number)
                for row in rows:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column),
                                          FLAG_ROLES)

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        if parent.isValid():
            return 0
        return len(Column)

    ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
        | Qt.ItemFlag.ItemNeverHasChildren | Qt.ItemFlag.ItemIsDragEnabled
    """Every row's flags (a constant: the view asks once per painted cell)."""

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self.ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if 0 <= section < len(Column):
            return header(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in SERVED_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        summary = self.summary(row)
        if summary is None:
            return None
        source = self._keys[row][2]
        account, folder = self._sources[source]
        if column in PLACE_COLUMNS:
            return place_data(column, role, account, folder)
        if role == Role.MESSAGE_REF:
            return self.ref(row)
        if role == Role.ACCOUNT:
            return account
        if role == Role.FOLDER:
            return folder
        if role == Role.FROM_SERVER:
            return self.from_server(row)
        return summary_data(summary, column, role)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names

    # -- drag and drop (issue 5): rows of several folders drag as several groups -------
    def mimeTypes(self) -> list[str]:
        return [MESSAGE_REFS_MIME, URI_LIST_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return message_mime(indexes, None) or QMimeData()
