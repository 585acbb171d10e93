"""ThreadProxy: a folder's messages as conversation trees, over MessageListModel.

The tree is built from the store's thread keys (core.threads), which come in the
list's own order, so a node's position is its source row. Any insert or removal in
the source rebuilds the tree inside one reset (folders up to THREAD_LIMIT only: the
window stays flat beyond it and says so); flag changes map to the nodes' rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, overload

from PySide6.QtCore import (
    QAbstractProxyModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from qtmail.core.threads import ThreadNode, build_threads
from qtmail.qt.dragdrop import MESSAGE_REFS_MIME, URI_LIST_MIME, message_mime
from qtmail.qt.models.columns import SERVED_ROLES, Column, header
from qtmail.qt.models.messages import MessageListModel

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

THREAD_LIMIT = 20_000
"""Threading reads every message's keys on the GUI thread: only in folders this big."""


class ThreadProxy(QAbstractProxyModel):
    """A tree of threads; ``internalId`` of an index is its node's source row + 1."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roots: list[ThreadNode] = []
        self._nodes: list[ThreadNode] = []  # by source row
        self._rows: list[int] = []  # source row -> row under its parent
        self._active = False
        self._batch = False

    def source(self) -> MessageListModel:
        model = self.sourceModel()
        assert isinstance(model, MessageListModel)
        return model

    def setSourceModel(self, model: MessageListModel) -> None:  # type: ignore[override]
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._begin)
        model.modelReset.connect(self._end)
        model.rowsAboutToBeInserted.connect(self._begin)
        model.rowsInserted.connect(self._end)
        model.rowsAboutToBeRemoved.connect(self._begin)
        model.rowsRemoved.connect(self._end)
        model.dataChanged.connect(self._data_changed)
        model.rows_leaving.connect(self._leaving)
        model.rows_left.connect(self._left)
        self._rebuild()
        self.endResetModel()

    def set_active(self, active: bool) -> None:
        """Only an active proxy (its view shown) reads the store and follows changes."""
        if active == self._active:
            return
        self.beginResetModel()
        self._active = active
        self._rebuild()
        self.endResetModel()

    def _begin(self, *args: object) -> None:
        # Inactive: no rows, nothing to announce. Within a removal announced by
        # rows_leaving: one reset for all of it, not one (and a rebuild) per run.
        if self._active and not self._batch:
            self.beginResetModel()

    def _end(self, *args: object) -> None:
        if self._active and not self._batch:
            self._rebuild()
            self.endResetModel()

    def _leaving(self, source_rows: list[int]) -> None:
        if self._active:
            self.beginResetModel()
            self._batch = True

    def _left(self) -> None:
        if self._batch:
            self._batch = False
            self._rebuild()
            self.endResetModel()

    def _rebuild(self) -> None:
        self._roots, self._nodes, self._rows = [], [], []
        source = self.sourceModel()
        if not self._active or not isinstance(source, MessageListModel):
            return
        store, folder = source.store, source.folder
        count = source.rowCount()
        if store is None or count == 0 or count > THREAD_LIMIT:
            return
        keys = store.thread_keys(folder)
        if len(keys) != count:
            # The store is ahead of the events (a sync chunk on its way): the next
            # insert rebuilds again. Until then one flat level, in the list's order.
            log.debug("%s: %d keys for %d rows: flat for now", folder, len(keys), count)
            keys = [(0, "", "", ())] * count
        self._roots = build_threads(keys)
        self._nodes = [ThreadNode(0)] * count
        self._rows = [0] * count
        stack = [(self._roots, 0)]
        while stack:
            level, _depth = stack.pop()
            for row, node in enumerate(level):
                self._nodes[node.position] = node
                self._rows[node.position] = row
                if node.children:
                    stack.append((node.children, 0))

    # -- mapping ---------------------------------------------------------------------------
    def _node(self, index: Index) -> ThreadNode | None:
        if not index.isValid():
            return None
        position = index.internalId() - 1
        return self._nodes[position] if 0 <= position < len(self._nodes) else None

    def _level(self, parent: Index) -> list[ThreadNode]:
        if not parent.isValid():
            return self._roots
        node = self._node(parent)
        return [] if node is None or parent.column() != 0 else node.children

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        node = self._node(proxy_index)
        if node is None:
            return QModelIndex()
        return self.source().index(node.position, proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid() or not 0 <= source_index.row() < len(self._nodes):
            return QModelIndex()
        position = source_index.row()
        return self.createIndex(self._rows[position], source_index.column(), position + 1)

    def index(self, row: int, column: int, parent: Index = _NO_PARENT) -> QModelIndex:
        level = self._level(parent)
        if not 0 <= row < len(level) or not 0 <= column < len(Column):
            return QModelIndex()
        return self.createIndex(row, column, level[row].position + 1)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: Index) -> QModelIndex: ...

    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        node = self._node(child)
        if node is None or node.parent is None:
            return QModelIndex()
        position = node.parent.position
        return self.createIndex(self._rows[position], 0, position + 1)

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return len(self._level(parent))

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return len(Column)

    def hasChildren(self, parent: Index = _NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemIsDragEnabled

    # -- drag and drop (issue 5): as the flat list; no removeRows ------------------------
    def mimeTypes(self) -> list[str]:
        return [MESSAGE_REFS_MIME, URI_LIST_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return message_mime(indexes, self.source().export) or QMimeData()

    def descendants(self, index: QModelIndex) -> list[QModelIndex]:
        """Every reply below ``index`` (column 0), depth first."""
        found: list[QModelIndex] = []
        stack = [index.siblingAtColumn(0)]
        while stack:
            parent = stack.pop()
            for row in range(self.rowCount(parent)):
                child = self.index(row, 0, parent)
                found.append(child)
                stack.append(child)
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in SERVED_ROLES:
            return None
        source = self.mapToSource(index)
        return source.data(role) if source.isValid() else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column) \
                and role == Qt.ItemDataRole.DisplayRole:
            source = self.sourceModel()  # its title: "To" in Sent and Drafts
            title = source.headerData(section, orientation, role) if source is not None \
                else None
            return title if isinstance(title, str) else header(Column(section))
        return None

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                      roles: list[int]) -> None:
        last_column = len(Column) - 1
        for row in range(top_left.row(), bottom_right.row() + 1):
            index = self.mapFromSource(self.source().index(row, 0))
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(last_column), roles)
