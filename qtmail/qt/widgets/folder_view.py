"""The folder tree: accounts, special folders first with icons, unread counts in bold.

Expansion is remembered per node ("account\\x1ffolder" keys, see WindowSettings);
nodes that appear later (the folder list arrives after the first sync) are expanded
as they are inserted.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from qtmail.core.types import FolderRole
from qtmail.qt.dragdrop import (
    FOLDER_MIME,
    MESSAGE_REFS_MIME,
    URI_LIST_MIME,
    drag_pixmap,
    drop_action,
)
from qtmail.qt.models.folders import FolderTreeModel
from qtmail.qt.models.roles import NodeKind, Role
from qtmail.qt.widgets.icons import account_icon, folder_icon

Index = QModelIndex | QPersistentModelIndex
_SEP = "\x1f"
AUTO_EXPAND_MS = 700
"""Hovering a drag over a collapsed folder this long opens it."""


def node_key(index: Index) -> str:
    return f"{index.data(Role.ACCOUNT)}{_SEP}{index.data(Role.FOLDER)}"


_TEXT_AND_ICON = (QStyleOptionViewItem.ViewItemFeature.HasDisplay
                  | QStyleOptionViewItem.ViewItemFeature.HasDecoration)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def folder_role(index: Index) -> FolderRole:
    """QVariant hands a StrEnum back as its str value."""
    value = index.data(Role.FOLDER_ROLE)
    try:
        return FolderRole(value)
    except ValueError:
        return FolderRole.NONE


class FolderDelegate(QStyledItemDelegate):
    """Icon by folder role, "Inbox (3)" in bold when a folder has unread mail.

    The cell is filled from the node (FolderTreeModel.look), not from roles: each role
    QStyledItemDelegate asks for is a call back into Python through Qt, and while the
    accounts sync each one waits for the GIL (issue 18)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        view = option.widget
        collapsed = isinstance(view, QTreeView) and not view.isExpanded(index)
        look = model.look(index, with_subfolders=collapsed) \
            if isinstance(model, FolderTreeModel) else None
        if look is None:
            super().initStyleOption(option, index)
            return
        # What QStyledItemDelegate.initStyleOption sets for a node with only a display
        # text (the model serves no font, color, alignment or check state).
        if isinstance(index, QModelIndex):
            option.index = index
        option.text = look.label
        option.features |= _TEXT_AND_ICON
        option.backgroundBrush = QBrush()
        if look.kind == NodeKind.ACCOUNT:
            option.icon = account_icon()
            option.font = _bold(option.font)
        else:
            option.icon = folder_icon(look.role)
        if look.kind != NodeKind.ACCOUNT and look.unread > 0:
            option.font = _bold(option.font)
            option.text = f"{option.text} ({option.locale.toString(look.unread)})"
        if look.kind == NodeKind.PLACEHOLDER:
            option.palette.setColor(option.palette.ColorRole.Text,
                                    option.palette.color(option.palette.ColorRole.PlaceholderText))

    def helpText(self, index: Index) -> str:
        unread = index.data(Role.UNREAD_COUNT) or 0
        total = index.data(Role.TOTAL_COUNT) or 0
        return self.tr("%n unread", "", int(unread)) + ", " + self.tr("%n messages", "", int(total))


class FolderView(QTreeView):
    """objectName "folderTree". Signals: ``folder_selected(account, folder)``,
    ``saved_search_selected(account, name)``."""

    folder_selected = Signal(str, str)
    saved_search_selected = Signal(str, str)

    def __init__(self, model: FolderTreeModel, expanded: set[str] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderTree")
        self.setAccessibleName(self.tr("Folders"))
        self.setModel(model)
        self.tree = model
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setItemDelegate(FolderDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.context_menu = QMenu(self)
        self.context_menu.setObjectName("folderContextMenu")
        self.customContextMenuRequested.connect(self._context_menu)
        self._remembered = expanded
        """None: never saved yet, so accounts open and folders closed."""
        self._expanded: set[str] = set(expanded or ())
        self.expanded.connect(lambda index: self._expanded.add(node_key(index)))
        self.collapsed.connect(lambda index: self._expanded.discard(node_key(index)))
        model.rowsInserted.connect(self._inserted)
        self._following: tuple[str, str] | None = None
        """(account, new name) of the highlighted folder while a rename moves it."""
        model.folders_renaming.connect(self._renaming)
        model.folders_renamed.connect(self._renamed)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self._restore(QModelIndex())
        self._setup_drag()

    def expanded_keys(self) -> set[str]:
        return set(self._expanded)

    def _inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self._restore_node(self.tree.index(row, 0, parent))

    def _restore(self, parent: QModelIndex) -> None:
        for row in range(self.tree.rowCount(parent)):
            self._restore_node(self.tree.index(row, 0, parent))

    def _restore_node(self, index: QModelIndex) -> None:
        if not self.tree.hasChildren(index):
            return
        key = node_key(index)
        wanted = key in self._expanded if self._remembered is not None \
            else index.data(Role.NODE_KIND) == NodeKind.ACCOUNT
        if wanted:
            self.expand(index)
        self._restore(index)

    def _renaming(self, account: str, renamed: dict[str, str]) -> None:
        """A rename or move is about to take the highlighted folder's row away (or its
        parent's): the highlight follows it to its new place. Qt would move it to a
        neighbour, which would open instead (seen in the demo after a drag of a folder)."""
        current = self.current_folder()
        if current is not None and current[0] == account and current[1] in renamed:
            self._following = (account, renamed[current[1]])

    def _renamed(self, account: str) -> None:
        following, self._following = self._following, None
        if following is None:
            return
        index = self.tree.folder_index(*following)
        if not index.isValid():  # (not in the tree after all: whatever Qt chose opens)
            self._current_changed(self.currentIndex(), QModelIndex())
            return
        parent = index.parent()
        while parent.isValid():  # under a closed folder, perhaps: shown
            self.expand(parent)
            parent = parent.parent()
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._following is not None:
            return  # a neighbour, for as long as the followed row is away
        saved = current.data(Role.SAVED_SEARCH) if current.isValid() else None
        if saved:
            self.saved_search_selected.emit(current.data(Role.ACCOUNT), saved)
        elif current.isValid() and current.data(Role.SELECTABLE):
            self.folder_selected.emit(current.data(Role.ACCOUNT), current.data(Role.FOLDER))

    def select_folder(self, account: str, folder: str) -> bool:
        index = self.tree.folder_index(account, folder)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        return True

    def current_folder(self) -> tuple[str, str] | None:
        """(account, folder) of the highlighted row when it is a folder the server has
        (not an account, "All Inboxes", a saved search or a placeholder)."""
        index = self.currentIndex()
        if not index.isValid() or index.data(Role.NODE_KIND) != NodeKind.FOLDER:
            return None
        return index.data(Role.ACCOUNT), index.data(Role.FOLDER)

    def _context_menu(self, pos: QPoint) -> None:
        # The menu acts on the row under the mouse: highlight it first, so what the
        # user sees highlighted is what the action acts on (issue 13).
        index = self.indexAt(pos)
        if index.isValid() and index != self.currentIndex():
            self.setCurrentIndex(index)
        self.context_menu.clear()
        self.context_menu.addActions(self.actions())
        self.context_menu.popup(self.viewport().mapToGlobal(pos))

    def current_account(self) -> str | None:
        index = self.currentIndex()
        return index.data(Role.ACCOUNT) if index.isValid() else None

    # -- drag and drop (issue 5; what a drop means: qtmail/qt/models/folder_drops.py) ---------
    def _setup_drag(self) -> None:
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        # Every drop lands ON a node: "between two folders" means nothing here.
        self.setDragDropOverwriteMode(True)
        self.setAutoExpandDelay(AUTO_EXPAND_MS)
        self.setAutoScroll(True)
        self.setAutoScrollMargin(24)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        """A folder, moved only (RENAME). Not Qt's startDrag: it would removeRows."""
        index = self.currentIndex()
        model = self.model()
        if not index.isValid() or not model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled:
            return
        mime = model.mimeData([index])
        if not mime.formats():
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.setPixmap(drag_pixmap(self, str(index.data())))
        drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)

    def _drop_target(self, event: QDropEvent) -> tuple[QModelIndex, Qt.DropAction] | None:
        index = self.indexAt(event.position().toPoint())
        action = drop_action(event)
        if index.isValid() and action != Qt.DropAction.IgnoreAction and \
                self.model().canDropMimeData(event.mimeData(), action, -1, -1, index):
            return index, action
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if not any(data.hasFormat(f) for f in (FOLDER_MIME, MESSAGE_REFS_MIME, URI_LIST_MIME)):
            event.ignore()
            return
        super().dragEnterEvent(event)
        # Accepted wherever it enters: each folder decides in dragMoveEvent.
        self.setState(QAbstractItemView.State.DraggingState)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)  # auto-scroll, auto-expand, the drop indicator
        found = self._drop_target(event)
        if found is None:
            event.ignore()  # refused before the user lets go
        else:
            event.setDropAction(found[1])
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        found = self._drop_target(event)
        if found is not None and self.model().dropMimeData(
                event.mimeData(), found[1], -1, -1, found[0]):
            event.setDropAction(found[1])
            event.accept()
        else:
            event.ignore()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()

    def inbox_unread(self, accounts: list[str]) -> int:
        """Unread mail in the INBOX of ``accounts`` (the window title's count)."""
        tree = self.tree
        total = 0
        for name in accounts:
            account = tree.account_index(name)
            for row in range(tree.rowCount(account)):
                index = tree.index(row, 0, account)
                if folder_role(index) is FolderRole.INBOX \
                        and index.data(Role.NODE_KIND) == NodeKind.FOLDER:
                    total += int(index.data(Role.UNREAD_COUNT) or 0)
        return total
