"""FolderTreeModel: accounts, their special folders in a fixed order, then user folders."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from qtmail.core.events import CountsChanged, Event, FoldersChanged
from qtmail.core.folder_paths import personal_prefix
from qtmail.core.types import FolderCounts, FolderInfo, FolderRole
from qtmail.qt.models.roles import ROLE_NAMES, NodeKind, Role

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

SPECIAL_ORDER = (FolderRole.INBOX, FolderRole.DRAFTS, FolderRole.SENT, FolderRole.ARCHIVE,
                 FolderRole.JUNK, FolderRole.TRASH)
"""Shown first under each account, in this order, whatever their server-side names."""
_RANK = {role: rank for rank, role in enumerate(SPECIAL_ORDER)}
SPECIAL_NAMES = {
    FolderRole.INBOX: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Inbox")),
    FolderRole.DRAFTS: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Drafts")),
    FolderRole.SENT: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Sent")),
    FolderRole.ARCHIVE: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Archive")),
    FolderRole.JUNK: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Junk")),
    FolderRole.TRASH: str(QT_TRANSLATE_NOOP("FolderTreeModel", "Trash")),
}
"""Labels of the special folders (source text; translated in the "FolderTreeModel" context)."""


SAVED_PREFIX = "\x00saved:"
"""Before a saved search's name in its node's key: RFC 3501 strings hold no NUL, so it
never names a folder."""


class FolderLook(NamedTuple):
    """What the tree paints for a node (FolderTreeModel.look)."""

    kind: NodeKind
    label: str
    role: FolderRole
    unread: int
    """Its own unread messages, and its subfolders' as well when asked for (collapsed)."""


@dataclass(eq=False)
class _Node:
    id: int
    kind: NodeKind
    account: str
    name: str
    """Full folder path ("" for an account node)."""
    label: str
    parent: _Node | None
    info: FolderInfo | None = None
    counts: FolderCounts = field(default_factory=lambda: FolderCounts(0, 0))
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


@dataclass
class _Spec:
    """What a node should look like after a FoldersChanged (built from the store)."""

    name: str
    label: str
    info: FolderInfo | None
    children: list[_Spec] = field(default_factory=list)
    kind: NodeKind | None = None
    """None: a folder, or a placeholder when ``info`` is None."""

    def node_kind(self) -> NodeKind:
        if self.kind is not None:
            return self.kind
        return NodeKind.FOLDER if self.info is not None else NodeKind.PLACEHOLDER

    def sort_key(self) -> tuple[int, str, str]:
        role = self.info.role if self.info is not None else FolderRole.NONE
        return _RANK.get(role, len(_RANK)), self.label.casefold(), self.name


def folder_specs(folders: Sequence[FolderInfo]) -> list[_Spec]:
    """The account's top-level nodes, sorted, with children nested by delimiter.

    Special folders are lifted to the top level (a server may list Sent as
    ``INBOX.Sent``); a parent the server did not list becomes a placeholder.
    """
    specs: dict[str, _Spec] = {}
    top: list[_Spec] = []
    # Folders kept under "INBOX." (a personal namespace there) sit at the top, as on a
    # server that keeps them at the root: the tree looks the same on both.
    prefix = personal_prefix(folders)

    def ensure(name: str, info: FolderInfo | None, delimiter: str | None) -> _Spec:
        spec = specs.get(name)
        if spec is None:
            leaf = name.rsplit(delimiter, 1)[-1] if delimiter else name
            spec = specs[name] = _Spec(name, leaf, info)
            special = info is not None and info.role in _RANK
            local = name[len(prefix):] if prefix and name.startswith(prefix) else name
            parent = None if special or not delimiter or delimiter not in local \
                else name.rsplit(delimiter, 1)[0]
            if parent is None:
                top.append(spec)
            else:
                ensure(parent, None, delimiter).children.append(spec)
        elif info is not None:
            spec.info = info
        return spec

    named: set[FolderRole] = set()
    # Listed folders first, so that a placeholder never shadows a real special folder.
    for folder in sorted(folders, key=lambda f: (f.role not in _RANK, f.name)):
        spec = ensure(folder.name, folder, folder.delimiter)
        role = FolderRole.INBOX if folder.name.upper() == "INBOX" else folder.role
        if role in SPECIAL_NAMES and role not in named:
            # Thunderbird too names special folders in the user's language, whatever
            # the server calls them; a second folder of the same role keeps its name.
            named.add(role)
            spec.label = QCoreApplication.translate("FolderTreeModel", SPECIAL_NAMES[role])

    def sort(level: list[_Spec]) -> list[_Spec]:
        level.sort(key=_Spec.sort_key)
        for spec in level:
            sort(spec.children)
        return level

    return sort(top)


class FolderTreeModel(QAbstractItemModel):
    """One node per account, its folders below. Fed by FoldersChanged / CountsChanged.

    Reads the folder list and counters from each account's read-only Store. Signals
    ``folders_renaming(account, {old: new})`` and ``folders_renamed(account)`` before
    and after the rows of folders a rename moved leave and come back at their new
    place (FolderView keeps the highlighted one highlighted).
    """

    folders_renaming = Signal(str, object)
    folders_renamed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._root = _Node(0, NodeKind.ACCOUNT, "", "", "", None)
        self._nodes: dict[int, _Node] = {}
        self._by_name: dict[tuple[str, str], _Node] = {}
        self._stores: dict[str, Store] = {}
        self._unified: _Node | None = None
        self._saved: dict[str, list[str]] = {}

    # -- accounts ------------------------------------------------------------------------
    def add_account(self, account: str, store: Store | None) -> None:
        """Append an account; ``store`` (read-only) may come later via set_store()."""
        row = len(self._root.children)
        self.beginInsertRows(QModelIndex(), row, row)
        node = self._new_node(NodeKind.ACCOUNT, account, "", account, self._root)
        self._root.children.append(node)
        self.endInsertRows()
        if len(self._root.children) > 1 and self._unified is None:
            self._add_unified()
        if store is not None:
            self.set_store(account, store)

    def remove_account(self, account: str) -> None:
        """The account's subtree goes; so does "All Inboxes" when one account is left."""
        node = self._by_name.get((account, ""))
        if node is None or node.kind is not NodeKind.ACCOUNT:
            return
        self._remove(self._root, QModelIndex(), node.row(), node.row())
        self._stores.pop(account, None)
        self._saved.pop(account, None)
        accounts = [n for n in self._root.children if n.kind is NodeKind.ACCOUNT]
        if len(accounts) < 2 and self._unified is not None:
            unified, self._unified = self._unified, None
            self._remove(self._root, QModelIndex(), unified.row(), unified.row())

    def _add_unified(self) -> None:
        """"All Inboxes" on top, once a second account arrives (issue 4)."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        node = self._new_node(NodeKind.UNIFIED, "", "", self.tr("All Inboxes"), self._root)
        self._root.children.insert(0, node)
        self._unified = node
        self.endInsertRows()

    def unified_index(self) -> QModelIndex:
        """The "All Inboxes" node, invalid while there is only one account."""
        node = self._unified
        return QModelIndex() if node is None else self.createIndex(node.row(), 0, node.id)

    def _inbox_unread(self) -> int:
        return sum(node.counts.unread for node in self._by_name.values()
                   if node.kind is NodeKind.FOLDER and node.info is not None
                   and node.info.role is FolderRole.INBOX)

    def set_store(self, account: str, store: Store) -> None:
        self._stores[account] = store
        self.refresh(account)

    def account_index(self, account: str) -> QModelIndex:
        node = self._by_name.get((account, ""))
        return QModelIndex() if node is None else self.createIndex(node.row(), 0, node.id)

    def folder_index(self, account: str, folder: str) -> QModelIndex:
        node = self._by_name.get((account, folder))
        return QModelIndex() if node is None else self.createIndex(node.row(), 0, node.id)

    # -- events --------------------------------------------------------------------------
    @Slot(object)
    def apply(self, event: Event) -> None:
        if isinstance(event, FoldersChanged):
            if event.renamed:
                self.folders_renaming.emit(event.account, dict(event.renamed))
            self.refresh(event.account)
            if event.renamed:
                self.folders_renamed.emit(event.account)
        elif isinstance(event, CountsChanged):
            self._set_counts(event.account, event.folder,
                             FolderCounts(event.total, event.unread))

    def refresh(self, account: str) -> None:
        """Bring the account's subtree to the store's folder list, row by row."""
        store = self._stores.get(account)
        node = self._by_name.get((account, ""))
        if store is None or node is None:
            return
        counts = store.all_counts()
        saved = [_Spec(SAVED_PREFIX + name, name, None, kind=NodeKind.SAVED_SEARCH)
                 for name in self._saved.get(account, [])]
        self._merge(node, folder_specs(store.folders()) + saved, counts)

    def set_saved_searches(self, account: str, names: list[str]) -> None:
        """Saved searches (issue 7) shown after the account's folders."""
        self._saved[account] = list(names)
        self.refresh(account)

    def _set_counts(self, account: str, folder: str, counts: FolderCounts) -> None:
        node = self._by_name.get((account, folder))
        if node is None or node.counts == counts:
            return
        node.counts = counts
        index = self.createIndex(node.row(), 0, node.id)
        self.dataChanged.emit(index, index, [Role.UNREAD_COUNT.value, Role.TOTAL_COUNT.value])
        # A collapsed parent shows its subfolders' unread too (as Thunderbird does).
        parent = node.parent
        while parent is not None and parent.kind in (NodeKind.FOLDER, NodeKind.PLACEHOLDER):
            above = self.createIndex(parent.row(), 0, parent.id)
            self.dataChanged.emit(above, above, [Role.SUBFOLDER_UNREAD.value])
            parent = parent.parent
        if self._unified is not None and node.info is not None \
                and node.info.role is FolderRole.INBOX:
            unified = self.unified_index()
            self.dataChanged.emit(unified, unified, [Role.UNREAD_COUNT.value])

    # -- incremental update --------------------------------------------------------------
    def _merge(self, node: _Node, specs: list[_Spec], counts: dict[str, FolderCounts]) -> None:
        parent = QModelIndex() if node is self._root else \
            self.createIndex(node.row(), 0, node.id)
        wanted = {spec.name for spec in specs}
        # Removals, from the end so that rows stay valid; contiguous runs in one go.
        row = len(node.children) - 1
        while row >= 0:
            if node.children[row].name in wanted:
                row -= 1
                continue
            last = row
            while row >= 0 and node.children[row].name not in wanted:
                row -= 1
            self._remove(node, parent, row + 1, last)
        # What remains is in sorted order unless a folder's role or label changed;
        # then it leaves and comes back at its new place.
        order = [spec.name for spec in specs]
        kept = [child.name for child in node.children]
        if kept != [name for name in order if name in set(kept)]:
            self._remove(node, parent, 0, len(node.children) - 1)
        for row, spec in enumerate(specs):
            children = node.children
            if row < len(children) and children[row].name == spec.name:
                child = children[row]
                self._update(child, spec, counts)
                self._merge(child, spec.children, counts)
            else:
                self.beginInsertRows(parent, row, row)
                children.insert(row, self._build(spec, node, counts))
                self.endInsertRows()

    def _update(self, node: _Node, spec: _Spec, counts: dict[str, FolderCounts]) -> None:
        kind = spec.node_kind()
        new_counts = counts.get(spec.name, FolderCounts(0, 0))
        if (node.info, node.label, node.kind, node.counts) != \
                (spec.info, spec.label, kind, new_counts):
            node.info, node.label, node.kind, node.counts = \
                spec.info, spec.label, kind, new_counts
            index = self.createIndex(node.row(), 0, node.id)
            self.dataChanged.emit(index, index)

    def _build(self, spec: _Spec, parent: _Node, counts: dict[str, FolderCounts]) -> _Node:
        kind = spec.node_kind()
        node = self._new_node(kind, parent.account, spec.name, spec.label, parent)
        node.info = spec.info
        node.counts = counts.get(spec.name, FolderCounts(0, 0))
        node.children = [self._build(child, node, counts) for child in spec.children]
        return node

    def _new_node(self, kind: NodeKind, account: str, name: str, label: str,
                  parent: _Node) -> _Node:
        node = _Node(next(self._ids), kind, account, name, label, parent)
        self._nodes[node.id] = node
        self._by_name[(account, name)] = node
        return node

    def _remove(self, node: _Node, parent: QModelIndex, first: int, last: int) -> None:
        if last < first:
            return
        self.beginRemoveRows(parent, first, last)
        for child in node.children[first:last + 1]:
            self._forget(child)
        del node.children[first:last + 1]
        self.endRemoveRows()

    def _forget(self, node: _Node) -> None:
        for child in node.children:
            self._forget(child)
        self._nodes.pop(node.id, None)
        if self._by_name.get((node.account, node.name)) is node:
            del self._by_name[(node.account, node.name)]

    # -- QAbstractItemModel ----------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        if not index.isValid():
            return self._root
        return self._nodes.get(index.internalId(), self._root)

    def index(self, row: int, column: int, parent: Index = _NO_PARENT) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].id)

    @overload
    def parent(self) -> QObject | None: ...

    @overload
    def parent(self, child: Index) -> QModelIndex: ...

    def parent(self, child: Index | None = None) -> QObject | QModelIndex | None:
        if child is None:
            return super().parent()
        node = self._nodes.get(child.internalId()) if child.isValid() else None
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.row(), 0, node.parent.id)

    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 1

    def hasChildren(self, parent: Index = _NO_PARENT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        node = self._node(index)
        flags = Qt.ItemFlag.ItemIsEnabled
        selectable_folder = (node.kind is NodeKind.FOLDER and node.info is not None
                             and node.info.selectable)
        if node.kind in (NodeKind.UNIFIED, NodeKind.SAVED_SEARCH) or selectable_folder:
            flags |= Qt.ItemFlag.ItemIsSelectable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.label
        if role == Role.ACCOUNT:
            return node.account
        if role == Role.FOLDER:
            return node.name
        if role == Role.NODE_KIND:
            return node.kind
        if node.kind is NodeKind.UNIFIED and role in (Role.FOLDER_ROLE, Role.UNREAD_COUNT,
                                                      Role.TOTAL_COUNT, Role.SELECTABLE):
            return {Role.FOLDER_ROLE: FolderRole.INBOX, Role.SELECTABLE: True,
                    Role.UNREAD_COUNT: self._inbox_unread(),
                    Role.TOTAL_COUNT: 0}[Role(role)]
        if role == Role.FOLDER_ROLE:
            return node.info.role if node.info is not None else FolderRole.NONE
        if role == Role.UNREAD_COUNT:
            return node.counts.unread
        if role == Role.SUBFOLDER_UNREAD:
            return _subfolder_unread(node)
        if role == Role.TOTAL_COUNT:
            return node.counts.total
        if role == Role.SELECTABLE:
            return node.info is not None and node.info.selectable
        if role == Role.SAVED_SEARCH and node.kind is NodeKind.SAVED_SEARCH:
            return node.label
        return None

    def look(self, index: Index, *, with_subfolders: bool = False) -> FolderLook | None:
        """What the delegate paints for ``index``, from its node in one call (None for
        no node). Issue 18: a cell filled from roles asks the model a dozen times
        through Qt, each a call back into Python that waits for the GIL while the
        account workers sync; five accounts' first syncs made the tree's repaints
        20-60 ms of the window's longest stalls (bench_gaps, a profile per paint)."""
        if not index.isValid():
            return None
        node = self._nodes.get(index.internalId())
        if node is None:
            return None
        if node.kind is NodeKind.UNIFIED:
            return FolderLook(node.kind, node.label, FolderRole.INBOX, self._inbox_unread())
        unread = node.counts.unread
        if with_subfolders:
            unread += _subfolder_unread(node)
        return FolderLook(node.kind, node.label,
                          node.info.role if node.info is not None else FolderRole.NONE,
                          unread)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names


# RFC 6154 2: \\All and \\Flagged are virtual, copies of messages kept elsewhere (Gmail's
# All Mail and Starred); a collapsed parent adding them would count a message twice.
_COPIES = frozenset({FolderRole.ALL, FolderRole.FLAGGED})


def _subfolder_unread(node: _Node) -> int:
    return sum((0 if child.info is not None and child.info.role in _COPIES
                else child.counts.unread) + _subfolder_unread(child)
               for child in node.children)
