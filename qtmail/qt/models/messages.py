"""MessageListModel: one folder's messages, newest first, read from the store by window.

ARCHITECTURE.md, "From the server to a row", step 4: rows are pages of summaries read
through the GUI's read-only Store on demand (an LRU of a few pages), never the whole
folder; engine events are applied incrementally with begin/end pairs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)

from qtmail.core.events import (
    CountsChanged,
    Event,
    FlagsChanged,
    FolderReset,
    MessagesAdded,
    MessagesRemoved,
    PreviewsReady,
)
from qtmail.core.types import FolderRole, MessageRef, MessageSummary
from qtmail.qt.dragdrop import MESSAGE_REFS_MIME, URI_LIST_MIME, MessageExport, message_mime
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
from qtmail.qt.models.pages import PAGE_SIZE, Page, SummaryPages
from qtmail.qt.models.roles import ROLE_NAMES, Role

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()

LOCATE_ONE_BY_ONE = 16
"""Added messages that are neither a block at the top nor at the end are placed one by
one with a binary search over the store (log2(rows) one-row queries each) up to this
many, in folders up to LOCATE_MAX_ROWS; beyond it, the model resets."""
LOCATE_MAX_ROWS = 20_000
"""A one-row query at OFFSET n walks n index entries (~12 ms at 100,000)."""
VERIFY_BLOCK_ROWS = 400
"""Blocks up to this size are read back in full to prove they are contiguous; larger
ones (a first sync's chunks: decoding 5,000 rows takes ~80 ms) are checked at both
ends and both neighbours only. See the report: the store lacks a cheap key query."""

_PLACE_ROLES = frozenset({Role.MESSAGE_REF.value, Role.ACCOUNT.value, Role.FOLDER.value})
"""Roles that depend on where the rows live, not on the summary (columns.py)."""


RECIPIENT_FOLDERS = frozenset({FolderRole.SENT, FolderRole.DRAFTS})


class MessageListModel(QAbstractTableModel):
    """The messages of one folder of one account; ``apply`` takes the engine's events.

    The row count is the store's count when the folder is set, then follows the
    events: the worker may already have committed rows whose event has not arrived,
    and a view must only ever see counts that begin/end pairs announced.
    """

    rows_leaving = Signal(list)
    """Source rows (ascending) about to be removed in one change, emitted once before
    their begin/end pairs: a view deselects them in one step, a sorting or threading
    proxy handles them at once (issue 5, see _removed)."""
    rows_left = Signal()
    """After the last begin/end pair of the change ``rows_leaving`` announced."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._account = ""
        self._folder = ""
        self._recipients = False
        """Sent or Drafts: the correspondent column shows who the mail went to."""
        self._uidvalidity = 0
        self._count = 0
        self._pages = SummaryPages(self._read_page)
        # Only while a change is being announced (see _store_row):
        self._hidden: list[tuple[int, int]] = []
        """Store rows (first, count), ascending, that the view does not know yet."""
        self._ghosts: dict[int, MessageSummary] = {}
        """Rows the view still shows that the store no longer has."""

    @property
    def account(self) -> str:
        return self._account

    @property
    def folder(self) -> str:
        return self._folder

    def location(self) -> tuple[str, str] | None:
        """(account, folder) shown, None when no folder is."""
        return (self._account, self._folder) if self._account else None

    @property
    def store(self) -> Store | None:
        """The read-only Store the rows come from (None: no folder shown)."""
        return self._store

    @property
    def shows_recipients(self) -> bool:
        """Sent or Drafts: the correspondent column names who the mail went to."""
        return self._recipients

    def set_folder(self, store: Store | None, account: str, folder: str) -> None:
        """Show ``folder`` of ``account`` from ``store`` (a read-only Store), or nothing."""
        self.beginResetModel()
        self._store, self._account, self._folder = store, account, folder
        info = store.folder(folder) if store is not None else None
        self._recipients = info is not None and info.role in RECIPIENT_FOLDERS
        self._pages.clear()
        self._count = store.message_count(folder) if store is not None else 0
        state = store.folder_state(folder) if store is not None else None
        self._uidvalidity = 0 if state is None else state.uidvalidity
        self.endResetModel()

    def summary(self, row: int) -> MessageSummary | None:
        if self._store is None or not 0 <= row < self._count:
            return None
        ghost = self._ghosts.get(row)
        if ghost is not None:
            return ghost
        return self._pages.summary(self._store_row(row))

    def _store_row(self, row: int) -> int:
        """Between begin and end of a change the store is already past it: skip the
        rows it has that the view has not been told of, count the ones it lost."""
        if self._ghosts:
            row -= sum(1 for ghost in self._ghosts if ghost < row)
        for first, count in self._hidden:
            if first <= row:
                row += count
        return row

    def ref(self, row: int) -> MessageRef | None:
        summary = self.summary(row)
        if summary is None:
            return None
        return MessageRef(self._account, self._folder, self._uidvalidity, summary.uid)

    def _cached_rows(self, uids: set[int]) -> dict[int, int]:
        """Rows of those of ``uids`` in cached pages: one pass over the cache, not one
        per UID (a drag of 1,000 messages scanned 1,000 x 3,200 rows, issue 5)."""
        found: dict[int, int] = {}
        for number, page in self._pages.items():
            base = number * PAGE_SIZE
            for offset, summary in enumerate(page):
                if summary is not None and summary.uid in uids:
                    found[summary.uid] = base + offset
        return found

    def _read_page(self, number: int) -> Page:
        assert self._store is not None
        return list(self._store.summaries(self._folder, offset=number * PAGE_SIZE,
                                          limit=PAGE_SIZE))

    # -- events --------------------------------------------------------------------------
    @Slot(object)
    def apply(self, event: Event) -> None:
        if self._store is None or event.account != self._account \
                or getattr(event, "folder", None) != self._folder:
            return
        if isinstance(event, MessagesAdded):
            self._added(event.uids)
        elif isinstance(event, MessagesRemoved):
            self._removed(event.uids)
        elif isinstance(event, FlagsChanged):
            self._rows_changed(event.uids, FLAG_ROLES)
        elif isinstance(event, PreviewsReady):
            self._rows_changed(event.uids, PREVIEW_ROLES)
        elif isinstance(event, FolderReset):
            self._uidvalidity = event.uidvalidity
            self._reset(0)  # the MessagesAdded that follow refill it
        elif isinstance(event, CountsChanged):
            self._reconcile(event.total)

    def _reset(self, count: int) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = count
        self.endResetModel()

    def _reconcile(self, total: int) -> None:
        """Sync finished: if the counts disagree (a folder opened mid-sync counted rows
        whose events were still queued), take the store's word once it is at rest."""
        assert self._store is not None
        if total != self._count and self._store.message_count(self._folder) == total:
            log.debug("%s/%s: %d rows shown, %d cached: reset", self._account,
                      self._folder, self._count, total)
            self._reset(total)

    def _added(self, uids: tuple[int, ...]) -> None:
        assert self._store is not None
        added = set(uids)
        if not added:
            return
        if not self._uidvalidity:  # opened before the folder's first sync
            state = self._store.folder_state(self._folder)
            self._uidvalidity = 0 if state is None else state.uidvalidity
        self._pages.clear()
        stored = self._store.message_count(self._folder)
        if stored < self._count + len(added):
            # Some of them were counted already (the folder was opened after their
            # commit but before their event): only a reset gets the count right.
            self._reset(stored)
            return
        start = self._block_start(added)
        if start is not None:
            self._hidden = [(start, len(added))]
        elif len(added) <= LOCATE_ONE_BY_ONE and stored <= LOCATE_MAX_ROWS:
            rows = sorted({self._position(uid) for uid in added})
            self._hidden = [(min(row, self._count + i), 1) for i, row in enumerate(rows)]
        else:
            self._reset(stored)
            return
        # Ascending: each insert lands where the store has it, the later ones below.
        while self._hidden:
            first, count = self._hidden[0]
            self.beginInsertRows(_NO_PARENT, first, first + count - 1)
            del self._hidden[0]
            self._count += count
            self.endInsertRows()

    def _block_start(self, added: set[int]) -> int | None:
        """Where ``added`` lies as one block: at the top (new mail) or right after the
        rows shown (a first sync's older chunks). None when it does not."""
        for offset in (0, self._count):
            if self._is_block(offset, added):
                return offset
        return None

    def _is_block(self, offset: int, added: set[int]) -> bool:
        assert self._store is not None
        count = len(added)

        def uid_at(row: int) -> int | None:
            assert self._store is not None
            found = self._store.uid_window(self._folder, offset=row, limit=1)
            return found[0] if found else None

        if uid_at(offset) not in added:
            return False
        if count <= VERIFY_BLOCK_ROWS:
            # UIDs only: a first sync's first chunk is checked before its rows are
            # painted, and decoding 200 summaries here took as long as the paint's own.
            block = self._store.uid_window(self._folder, offset=offset, limit=count)
            return set(block) == added
        # Both ends inside, both neighbours outside.
        return uid_at(offset + count - 1) in added \
            and (offset == 0 or uid_at(offset - 1) not in added) \
            and uid_at(offset + count) not in added

    def row_of(self, uid: int) -> int | None:
        """The row showing ``uid`` (None: not in this folder's list)."""
        if self._store is None:
            return None
        row = self._position(uid)
        summary = self.summary(row) if row < self._count else None
        return row if summary is not None and summary.uid == uid else None

    def _position(self, uid: int) -> int:
        """The row of ``uid`` in the store's order (newest first), by binary search."""
        assert self._store is not None
        target = self._store.summary(self._folder, uid)
        if target is None:
            return self._count
        key = (target.internaldate, target.uid)
        low, high = 0, self._store.message_count(self._folder)
        while low < high:
            middle = (low + high) // 2
            row = self._store.summaries(self._folder, offset=middle, limit=1)
            if row and (row[0].internaldate, row[0].uid) > key:
                low = middle + 1
            else:
                high = middle
        return low

    def _removed(self, uids: tuple[int, ...]) -> None:
        assert self._store is not None
        wanted = set(uids)
        rows = self._cached_rows(wanted)
        if len(rows) < len(wanted):
            # A row never read has no known position (its key left the store with it).
            self._reset(self._store.message_count(self._folder))
            return
        self._ghosts = {row: self._cached(row) for row in rows.values()}
        self._pages.clear()
        # Each removal makes Qt's selection model split the ranges it crosses and visit
        # every range (through Python, in the sort proxy): quadratic in the selected
        # rows. Deselected first, in one step, they cost little (bench/bench_drag.py).
        self.rows_leaving.emit(sorted(self._ghosts))
        known = sorted(self._ghosts, reverse=True)
        # Contiguous runs, from the bottom up so that earlier rows keep their numbers.
        while known:
            last = first = known.pop(0)
            while known and known[0] == first - 1:
                first = known.pop(0)
            self.beginRemoveRows(_NO_PARENT, first, last)
            for row in range(first, last + 1):
                del self._ghosts[row]
            self._count -= last - first + 1
            self.endRemoveRows()
        self.rows_left.emit()

    def _cached(self, row: int) -> MessageSummary:
        summary = self._pages.held(row)
        assert summary is not None  # _cached_rows found it in a held page
        return summary

    def _rows_changed(self, uids: tuple[int, ...], roles: list[int]) -> None:
        """Reload the cached pages holding them; rows not cached are read fresh later."""
        wanted = set(uids)
        changed: list[int] = []
        for number in [n for n, page in self._pages.items()
                       if any(s is not None and s.uid in wanted for s in page)]:
            self._pages.drop(number)
            page = self._pages.page(number)
            changed.extend(number * PAGE_SIZE + offset for offset, summary in enumerate(page)
                           if summary is not None and summary.uid in wanted)
        # A page read fresh may reach past the rows the view knows of (the store is
        # ahead of this model while its MessagesAdded is on its way): those rows arrive
        # with that event, never as a change of rows the view has not got.
        changed = sorted(row for row in changed if row < self._count)
        last_column = self.columnCount() - 1
        while changed:
            first = last = changed.pop(0)
            while changed and changed[0] == last + 1:
                last = changed.pop(0)
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column), roles)

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(Column)

    ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
        | Qt.ItemFlag.ItemNeverHasChildren | Qt.ItemFlag.ItemIsDragEnabled
    """Every row's flags (a constant: the view asks once per painted cell)."""

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self.ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(Column):
            return header(Column(section), recipients=self._recipients)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for ten roles per cell when painting; answer the others at once.
        if role not in SERVED_ROLES or not index.isValid():
            return None
        summary = self.summary(index.row())
        if summary is None:
            return None
        if role in _PLACE_ROLES:
            if role == Role.MESSAGE_REF:
                return MessageRef(self._account, self._folder, self._uidvalidity, summary.uid)
            return self._account if role == Role.ACCOUNT else self._folder
        column = index.column()
        if column in PLACE_COLUMNS:
            return place_data(column, role, self._account, self._folder)
        return summary_data(summary, column, role, recipients=self._recipients)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names

    # -- drag and drop (issue 5): no removeRows, rows leave when the engine says so ------
    export: MessageExport | None = None
    """Where dragged-out .eml files come from; set by the window."""

    def mimeTypes(self) -> list[str]:
        return [MESSAGE_REFS_MIME, URI_LIST_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return message_mime(indexes, self.export) or QMimeData()
