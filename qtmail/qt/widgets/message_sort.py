"""MessageSortProxy: the message list's order without reading the whole folder.

The model reads the store by window, newest first; a QSortFilterProxyModel would ask
every row's data to sort (100,000 rows read, and its lessThan thrashes the model's
page cache). Date order is therefore free here (the store's order, or reversed with
arithmetic); the other columns sort by keys read once, in folders up to SORT_LIMIT.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from enum import Enum
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from qtmail.core.types import MessageSummary
from qtmail.qt.models.columns import (
    SERVED_ROLES,
    Column,
    addresses_text,
    flags_text,
    header,
    recipients_text,
)
from qtmail.qt.models.layout_hint import hinted
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.models.unified import UnifiedInboxModel

SourceModel = MessageListModel | UnifiedInboxModel | SearchResultsModel

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

SORT_LIMIT = 20_000
"""Sorting by sender, subject or size reads every row's key: only in folders this big."""

_PREFIXES = ("re:", "fwd:", "fw:", "aw:", "wg:", "sv:", "vs:", "tr:", "r:")


def subject_key(subject: str) -> str:
    """Sort "Re: Budget" with "Budget" (Thunderbird and Geary do)."""
    text = subject.strip().casefold()
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text, stripped = text[len(prefix):].lstrip(), True
    return text


_KEYS: dict[int, Callable[[MessageSummary], Any]] = {
    Column.SENDER: lambda s: (s.sender.name or s.sender.addr).casefold(),
    Column.SUBJECT: lambda s: subject_key(s.subject),
    Column.SIZE: lambda s: s.size,
    Column.TO: lambda s: addresses_text(s.to).casefold(),
    Column.CC: lambda s: addresses_text(s.cc).casefold(),
    Column.ATTACHMENTS: lambda s: int(s.has_attachment),
    Column.FLAGS: flags_text,
}
_NUMERIC = frozenset({Column.SIZE, Column.ATTACHMENTS})


def _recipients_key(summary: MessageSummary) -> str:
    return recipients_text(summary).casefold()


class _Mode(Enum):
    SOURCE = 1  # the store's order: newest first
    REVERSE = 2  # oldest first
    SORTED = 3  # by a key per row


class MessageSortProxy(QAbstractProxyModel):
    """Sorts a MessageListModel. Signals: ``sort_refused(column)`` when a folder is
    too big to sort by ``column`` (the order then stays by date)."""

    sort_refused = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = _Mode.SOURCE
        self._column = int(Column.DATE)
        self._order_kind = Qt.SortOrder.DescendingOrder
        self._count = 0
        self._keys: list[Any] = []  # per source row (sorted mode)
        self._order: list[int] = []  # proxy row -> source row (sorted mode)
        self._where: list[int] = []  # source row -> proxy row (sorted mode)
        self._gone: list[int] | None = None
        """Source rows already removed here while the source removes them (sorted mode)."""
        self._moving: list[tuple[QModelIndex, QPersistentModelIndex]] = []
        """During a layout change of the source: each persistent index here, with the
        source row under it (which the source moves)."""

    def source(self) -> MessageListModel:
        model = self.sourceModel()
        # The unified inbox and search results have the same columns (the results one
        # more: their Folder), roles and summary(row).
        assert isinstance(model, SourceModel)
        return model  # type: ignore[return-value]

    def setSourceModel(  # type: ignore[override]
            self, model: SourceModel) -> None:
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.rowsAboutToBeInserted.connect(self._about_to_insert)
        model.rowsInserted.connect(self._inserted)
        model.rowsAboutToBeRemoved.connect(self._about_to_remove)
        model.rowsRemoved.connect(self._removed)
        model.dataChanged.connect(self._data_changed)
        hinted(model.layoutAboutToBeChanged).connect(self._source_layout_changing)
        hinted(model.layoutChanged).connect(self._source_layout_changed)
        if isinstance(model, MessageListModel):
            model.rows_leaving.connect(self._leaving)
            model.rows_left.connect(self._left)
        self._rebuild()
        self.endResetModel()

    @property
    def sort_column(self) -> int:
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order_kind

    # -- sorting ---------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in (*_KEYS, Column.DATE):
            return
        if column != Column.DATE and self.source().rowCount() > SORT_LIMIT:
            self.sort_refused.emit(column)
            return
        if (column, order) == (self._column, self._order_kind):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        rows = [self.mapToSource(index) for index in before]
        self._column, self._order_kind = column, order
        self._rebuild()
        self.changePersistentIndexList(before, [self.mapFromSource(i) for i in rows])
        self.layoutChanged.emit()

    def _rebuild(self) -> None:
        source = self.source()
        self._count = source.rowCount()
        self._keys, self._order, self._where = [], [], []
        if self._column == Column.DATE:
            self._mode = _Mode.SOURCE if self._order_kind == Qt.SortOrder.DescendingOrder \
                else _Mode.REVERSE
            return
        if self._count > SORT_LIMIT:
            self._column, self._order_kind = int(Column.DATE), Qt.SortOrder.DescendingOrder
            self._mode = _Mode.SOURCE
            self.sort_refused.emit(self._column)
            return
        self._mode = _Mode.SORTED
        self._keys = [self._key(row) for row in range(self._count)]
        descending = self._order_kind == Qt.SortOrder.DescendingOrder
        self._order = sorted(range(self._count), key=self._keys.__getitem__,
                             reverse=descending)
        self._reindex()

    def _key(self, row: int) -> Any:
        summary = self.source().summary(row)
        if summary is None:
            return (0, 0) if self._column in _NUMERIC else ("", 0)
        # Ties by date, newest first in a descending sort.
        key = _KEYS[self._column]
        source = self.source()
        if self._column == Column.SENDER and isinstance(source, MessageListModel) \
                and source.shows_recipients:
            key = _recipients_key  # Sent and Drafts: the "To" column
        return (key(summary), summary.date or summary.internaldate)

    def summary(self, row: int) -> MessageSummary | None:
        """The summary shown at proxy ``row``: the delegate's one lookup per row."""
        if not 0 <= row < self._count:
            return None
        return self.source().summary(self._source_row(row))

    def proxy_rows(self, source_rows: list[int]) -> list[int]:
        """The rows shown for these source rows (no QModelIndex per row)."""
        if self._mode is _Mode.SOURCE:
            return list(source_rows)
        if self._mode is _Mode.REVERSE:
            return [self._count - 1 - row for row in source_rows]
        return [self._where[row] for row in source_rows]

    def _reindex(self) -> None:
        self._where = [0] * len(self._order)
        for proxy_row, source_row in enumerate(self._order):
            self._where[source_row] = proxy_row

    # -- following the source ----------------------------------------------------------------
    def _source_reset(self) -> None:
        self._rebuild()
        self.endResetModel()

    def _about_to_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._mode is _Mode.SOURCE:
            self.beginInsertRows(_NO_PARENT, first, last)
        elif self._mode is _Mode.REVERSE:
            start = self._count - first
            self.beginInsertRows(_NO_PARENT, start, start + last - first)

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1
        if self._mode is not _Mode.SORTED:
            self._count += count
            self.endInsertRows()
            return
        # The source rows moved down under our proxy rows: follow them first.
        self._order = [row + count if row >= first else row for row in self._order]
        self._keys[first:first] = [None] * count
        descending = self._order_kind == Qt.SortOrder.DescendingOrder
        for source_row in range(first, last + 1):
            key = self._keys[source_row] = self._key(source_row)
            position = sum(1 for row in self._order
                           if (self._keys[row] > key if descending else self._keys[row] <= key))
            self.beginInsertRows(_NO_PARENT, position, position)
            self._order.insert(position, source_row)
            self._count += 1
            self._reindex()
            self.endInsertRows()

    def _source_layout_changing(self, _parents: list[QPersistentModelIndex],
                                hint: QAbstractItemModel.LayoutChangeHint) -> None:
        """The source moves rows, and may add some (All Inboxes: new rows at many
        places at once): this proxy's persistent indexes follow the source rows under
        them, as QIdentityProxyModel does."""
        hinted(self.layoutAboutToBeChanged).emit([], hint)
        self._moving = [(index, QPersistentModelIndex(self.mapToSource(index)))
                        for index in self.persistentIndexList()]

    def _source_layout_changed(self, _parents: list[QPersistentModelIndex],
                               hint: QAbstractItemModel.LayoutChangeHint) -> None:
        moving, self._moving = self._moving, []
        if self._mode is _Mode.SORTED:
            self._rebuild()  # no row numbers to follow: every key again
        else:
            self._count = self.source().rowCount()
        self.changePersistentIndexList([index for index, _source in moving],
                                       [self.mapFromSource(source) for _index, source in moving])
        hinted(self.layoutChanged).emit([], hint)

    def _leaving(self, source_rows: list[int]) -> None:
        """Sorted mode: a whole removal at once, by runs of proxy rows; the source's own
        pairs that follow (one per run of its rows: up to one per row, each renumbering
        every row here) then change nothing until ``_left`` renumbers once (issue 5)."""
        if self._mode is not _Mode.SORTED or not source_rows:
            return
        self._remove_proxy_rows(self.proxy_rows(source_rows))
        self._gone = source_rows

    def _left(self) -> None:
        gone, self._gone = self._gone, None
        if gone is None:
            return
        dropped = set(gone)
        self._order = [row - bisect_left(gone, row) for row in self._order]
        self._keys = [key for row, key in enumerate(self._keys) if row not in dropped]
        self._reindex()

    def _about_to_remove(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._mode is _Mode.SOURCE:
            self.beginRemoveRows(_NO_PARENT, first, last)
            return
        if self._mode is _Mode.REVERSE:
            self.beginRemoveRows(_NO_PARENT, self._count - 1 - last, self._count - 1 - first)
            return
        if self._gone is None:
            self._remove_proxy_rows([self._where[row] for row in range(first, last + 1)])

    def _remove_proxy_rows(self, proxy_rows: list[int]) -> None:
        # Sorted: the removed rows may be scattered; remove them by contiguous runs (one
        # pair per run, not per row: each pair costs the views a pass), bottom up.
        rows = sorted(proxy_rows, reverse=True)
        while rows:
            top = bottom = rows.pop(0)
            while rows and rows[0] == top - 1:
                top = rows.pop(0)
            self.beginRemoveRows(_NO_PARENT, top, bottom)
            del self._order[top:bottom + 1]
            self._count -= bottom - top + 1
            self._where = []  # stale until _removed; mapFromSource falls back
            self.endRemoveRows()

    def _removed(self, parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1
        if self._mode is not _Mode.SORTED:
            self._count -= count
            self.endRemoveRows()
            return
        if self._gone is not None:
            return
        self._order = [row - count if row > last else row for row in self._order]
        del self._keys[first:last + 1]
        self._reindex()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                      roles: list[int]) -> None:
        last_column = self.columnCount() - 1
        if self._mode is _Mode.SORTED:
            for row in range(top_left.row(), bottom_right.row() + 1):
                if row < len(self._where):
                    index = self.index(self._where[row], 0)
                    self.dataChanged.emit(index, index.siblingAtColumn(last_column), roles)
            return
        first = self.mapFromSource(top_left.siblingAtColumn(0)).row()
        last = self.mapFromSource(bottom_right.siblingAtColumn(0)).row()
        first, last = min(first, last), max(first, last)
        self.dataChanged.emit(self.index(first, 0), self.index(last, last_column), roles)

    # -- QAbstractProxyModel -------------------------------------------------------------------
    def _source_row(self, row: int) -> int:
        if self._mode is _Mode.SOURCE:
            return row
        if self._mode is _Mode.REVERSE:
            return self._count - 1 - row
        return self._order[row]

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or not 0 <= proxy_index.row() < self._count:
            return QModelIndex()
        return self.source().index(self._source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        if self._mode is _Mode.REVERSE:
            row = self._count - 1 - row
        elif self._mode is _Mode.SORTED:
            if row >= len(self._where):
                return QModelIndex()
            row = self._where[row]
        if not 0 <= row < self._count:
            return QModelIndex()
        return self.index(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = _NO_PARENT) -> QModelIndex:
        if parent.isValid() or not 0 <= row < self._count \
                or not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: Index) -> QModelIndex: ...

    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        return QModelIndex()

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        model = self.sourceModel()
        if parent.isValid():
            return 0
        return len(Column) if model is None else model.columnCount()

    def hasChildren(self, parent: Index = _NO_PARENT) -> bool:
        return not parent.isValid() and self._count > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked once per painted cell: the source's constant, without mapToSource.
        if not index.isValid() or not 0 <= index.row() < self._count:
            return Qt.ItemFlag.NoItemFlags
        return self.source().ROW_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks ~10 roles per cell; the ones the model never serves stop here.
        if role not in SERVED_ROLES or not index.isValid() or not 0 <= index.row() < self._count:
            return None
        source = self.source()
        return source.data(source.index(self._source_row(index.row()), index.column()), role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                # The source's title: "To" in Sent and Drafts.
                title = self.source().headerData(section, orientation, role)
                return title if isinstance(title, str) else header(Column(section))
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.headerData(section, orientation)
        elif orientation == Qt.Orientation.Horizontal and section < self.columnCount():
            return self.source().headerData(section, orientation, role)  # Folder
        return None
