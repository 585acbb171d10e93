"""The folder tree as a drag source (folders) and a drop target (messages, folders,
.eml files), issue 5. The rules live in ``qtmail/sync/drop_rules.py``; this model only
describes its nodes to them and announces accepted drops: it changes nothing itself,
the window sends the command and the engine's events move the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from qtmail.core.drag_payload import FolderRef
from qtmail.core.types import FolderRole
from qtmail.qt.dragdrop import (
    FOLDER_MIME,
    MESSAGE_REFS_MIME,
    URI_LIST_MIME,
    eml_files_of,
    folder_mime,
    folder_of,
    refs_of,
)
from qtmail.qt.models.folders import FolderTreeModel
from qtmail.qt.models.roles import NodeKind, Role
from qtmail.sync.drop_rules import DropRequest, SourceFolder, Target, UidValidity, plan_drop

Index = QModelIndex | QPersistentModelIndex
_ACTIONS = (Qt.DropAction.MoveAction, Qt.DropAction.CopyAction)


class DropFolderTreeModel(FolderTreeModel):
    """FolderTreeModel with drag and drop.

    Signals: ``drop_requested(DropRequest)`` when a drop onto a node was accepted.
    """

    drop_requested = Signal(object)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        kind = self._node(index).kind if index.isValid() else None  # no role asked
        if kind in (NodeKind.FOLDER, NodeKind.ACCOUNT):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        if kind == NodeKind.FOLDER:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [FOLDER_MIME, MESSAGE_REFS_MIME, URI_LIST_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        for index in indexes:
            if index.isValid() and index.data(Role.NODE_KIND) == NodeKind.FOLDER:
                return folder_mime(FolderRef(index.data(Role.ACCOUNT),
                                             index.data(Role.FOLDER)))
        return QMimeData()

    # -- the rules' view of the tree --------------------------------------------------------
    def target(self, index: Index) -> Target | None:
        kind = index.data(Role.NODE_KIND) if index.isValid() else None
        if kind not in (NodeKind.FOLDER, NodeKind.ACCOUNT, NodeKind.PLACEHOLDER):
            return None
        account, name = index.data(Role.ACCOUNT), index.data(Role.FOLDER)
        store = self._stores.get(account)
        info = store.folder(name) if store is not None and name else None
        return Target(account, name, info is not None and info.selectable,
                      kind == NodeKind.FOLDER and info is not None,
                      info.role if info is not None else FolderRole.NONE,
                      self._delimiter(account, info.delimiter if info is not None else None))

    def _delimiter(self, account: str, own: str | None) -> str:
        if own:
            return own
        store = self._stores.get(account)
        folders = store.folders() if store is not None else []
        return next((f.delimiter for f in folders if f.delimiter), "/")

    def _source_folder(self, ref: FolderRef) -> SourceFolder:
        store = self._stores.get(ref.account)
        info = store.folder(ref.folder) if store is not None else None
        if info is None:
            return SourceFolder(ref, FolderRole.NONE, "/", exists=False)
        return SourceFolder(ref, info.role, self._delimiter(ref.account, info.delimiter))

    def plan_drop(self, data: QMimeData, action: Qt.DropAction,
                  parent: Index) -> DropRequest | str:
        """What dropping ``data`` onto ``parent`` would do, or why it cannot."""
        target = self.target(parent)
        if target is None:
            return "Drop onto a folder."
        groups = refs_of(data)
        uidvalidity: UidValidity = {}
        for group in groups:
            store = self._stores.get(group.account)
            state = store.folder_state(group.folder) if store is not None else None
            uidvalidity[(group.account, group.folder)] = \
                None if state is None else state.uidvalidity
        ref = None if groups else folder_of(data)
        source = None if ref is None else self._source_folder(ref)
        paths = () if groups or ref is not None else \
            tuple(str(p) for p in eml_files_of(data))
        return plan_drop(groups, source, paths, target,
                         action == Qt.DropAction.CopyAction, uidvalidity)

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,
                        column: int, parent: Index) -> bool:
        # Only onto a node: "between two folders" means nothing in a folder tree.
        if row != -1 or action not in _ACTIONS:
            return False
        return isinstance(self.plan_drop(data, action, parent), DropRequest)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int,
                     column: int, parent: Index) -> bool:
        if row != -1 or action not in _ACTIONS:
            return False
        request = self.plan_drop(data, action, parent)
        if not isinstance(request, DropRequest):
            return False
        self.drop_requested.emit(request)
        return True
