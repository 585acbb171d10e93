"""The middle pane: the flat list, the threaded tree, the unified inbox and search
results (issue 7), one shown.

MessageLists stacks the three views and forwards the shown one's current message and
selection; ThreadListView is the QTreeView over a ThreadProxy (folders up to
THREAD_LIMIT; beyond it the window stays flat). The selection helpers work on any of
the three, so commands act on each row's own account and folder (MessageRef).
"""

from __future__ import annotations

from enum import Enum
from functools import partial

from PySide6.QtCore import (
    QAbstractProxyModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qtmail.core.types import MessageRef, MessageSummary
from qtmail.qt.dragdrop import (
    MessageExport,
    MessageMimeData,
    exec_message_drag,
    message_mime,
)
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.roles import Role
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.models.threads import THREAD_LIMIT, ThreadProxy
from qtmail.qt.models.unified import UnifiedInboxModel
from qtmail.qt.widgets.column_menu import set_up_columns
from qtmail.qt.widgets.message_list import MessageDelegate, MessageListView, row_height
from qtmail.qt.widgets.successor import Successor

__all__ = ["THREAD_LIMIT", "ListMode", "MessageLists", "ThreadListView"]


class ListMode(Enum):
    FLAT = "flat"
    THREADED = "threaded"
    UNIFIED = "unified"
    SEARCH = "search"


def selected_indexes(view: QAbstractItemView) -> list[QModelIndex]:
    """The selected rows (column 0) in view order: what is highlighted, never a current
    row that is not (issue 13: actions act only on what the user sees highlighted)."""
    rows = view.selectionModel().selectedRows()
    return sorted(rows, key=lambda index: view.visualRect(index).top())


def selected_refs(view: QAbstractItemView) -> list[MessageRef]:
    found = [index.data(Role.MESSAGE_REF) for index in selected_indexes(view)]
    return [ref for ref in found if isinstance(ref, MessageRef)]


def selected_summaries(view: QAbstractItemView) -> list[MessageSummary]:
    found = [index.data(Role.SUMMARY) for index in selected_indexes(view)]
    return [summary for summary in found if isinstance(summary, MessageSummary)]


Chosen = tuple[list[QModelIndex], QModelIndex]
"""The highlighted rows and the current row of a view, as indexes of its folder model."""


def chosen_rows(view: QAbstractItemView) -> Chosen:
    """What ``view`` has highlighted, in terms of the model under its proxy (which a
    switch of view may rebuild or empty: the threaded proxy goes idle when not shown)."""
    proxy = view.model()
    if not isinstance(proxy, QAbstractProxyModel):
        return [], QModelIndex()
    return ([proxy.mapToSource(index) for index in view.selectionModel().selectedRows()],
            proxy.mapToSource(view.currentIndex()))


def choose_rows(view: QAbstractItemView, chosen: Chosen) -> None:
    """Highlight ``chosen`` in ``view``, with the same current row, scrolled to (a
    collapsed thread opens): Threaded View switched on or off keeps what the user chose,
    instead of a stale or empty highlight while the reading pane shows another message."""
    proxy = view.model()
    if not isinstance(proxy, QAbstractProxyModel):
        return
    rows, current = chosen
    selection = QItemSelection()
    for index in rows:
        found = proxy.mapFromSource(index)
        if found.isValid():
            selection.select(found, found)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
        | QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().select(selection, flags)
    found = proxy.mapFromSource(current)
    if found.isValid():
        view.selectionModel().setCurrentIndex(found, QItemSelectionModel.SelectionFlag.NoUpdate)
        view.scrollTo(found)  # a tree view expands the row's thread first


class ThreadListView(QTreeView):
    """objectName "threadList": conversations as a tree. Signals:
    ``current_message(MessageRef | None)``."""

    current_message = Signal(object)

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadList")
        self.setAccessibleName(self.tr("Conversations"))
        self.proxy = ThreadProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setItemDelegate(MessageDelegate(self))
        self.setUniformRowHeights(True)  # never measure 20,000 rows
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setIconSize(QSize(16, 16))
        header = self.header()
        header.setStretchLastSection(False)
        self.column_menu = set_up_columns(header)  # issue 14: chosen and ordered
        self.proxy.modelReset.connect(self.expandAll)
        self.selectionModel().currentRowChanged.connect(self._follow)  # see MessageListView
        self.selectionModel().selectionChanged.connect(self._follow)
        self.followed: MessageRef | None = None  # the current row while highlighted
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    # -- drag and drop (issue 5) -----------------------------------------------------------
    drag_export: MessageExport | None = None
    """Where dragged-out .eml files come from; set by the window."""

    def drag_mime(self) -> MessageMimeData | None:
        """The selected messages; a collapsed thread brings its whole conversation (as
        Thunderbird does: what the user sees as one row moves as one)."""
        rows = self.selectionModel().selectedRows()
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().siblingAtColumn(0)]
        dragged = list(rows)
        for index in rows:
            if self.proxy.hasChildren(index) and not self.isExpanded(index):
                dragged.extend(self.proxy.descendants(index))
        return message_mime(dragged, self.drag_export)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        mime = self.drag_mime()
        if mime is not None:
            exec_message_drag(self, mime)

    def _follow(self, *_args: object) -> None:
        """The current row's message while it is highlighted, else None (as the flat
        list: a current row nobody highlighted opens nothing)."""
        current = self.currentIndex()
        ref = current.data(Role.MESSAGE_REF) if current.isValid() and self.selectionModel() \
            .isRowSelected(current.row(), current.parent()) else None
        shown = ref if isinstance(ref, MessageRef) else None
        if shown != self.followed:
            self.followed = shown
            self.current_message.emit(shown)

    def select_index(self, index: QModelIndex) -> bool:
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
            | QItemSelectionModel.SelectionFlag.Rows
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)
        return True

    def step(self, delta: int) -> bool:
        current = self.currentIndex()
        if not current.isValid():
            return self.select_index(self.proxy.index(0, 0))
        target = self.indexBelow(current) if delta > 0 else self.indexAbove(current)
        return self.select_index(target)

    def next_unread(self) -> bool:
        index = self.indexBelow(self.currentIndex()) if self.currentIndex().isValid() \
            else self.proxy.index(0, 0)
        while index.isValid():
            if index.data(Role.UNREAD):
                return self.select_index(index)
            index = self.indexBelow(index)
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


class MessageLists(QStackedWidget):
    """Holds ``flat`` (MessageListView over the folder), ``threaded`` (ThreadListView),
    ``unified`` (MessageListView over the UnifiedInboxModel) and ``results`` (over a
    SearchResultsModel; the other views keep their selection and sort meanwhile).

    Signals: ``current_message(MessageRef | None)`` and ``selection_changed()`` of the
    view shown.
    """

    current_message = Signal(object)
    selection_changed = Signal()

    def __init__(self, messages: MessageListModel, unified: UnifiedInboxModel,
                 results: SearchResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flat = MessageListView(messages, self)
        self.unified_model = unified
        self.unified = MessageListView(unified, self)
        self.unified.setObjectName("unifiedList")
        self.unified.setAccessibleName(self.tr("All Inboxes"))
        self.threaded = ThreadListView(messages, self)
        self.results = MessageListView(results, self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self._mode = self._browse = ListMode.FLAT
        self._switching = False
        # The results page: a slim line for the search's state above the list.
        self.results_page = QWidget(self)
        self._results_box = QVBoxLayout(self.results_page)
        self._results_box.setContentsMargins(0, 0, 0, 0)
        self._results_box.setSpacing(2)
        self._results_box.addWidget(self.results)
        self._successors: dict[QAbstractItemView, Successor] = {}
        for view in (self.flat, self.threaded, self.unified, self.results):
            self._successors[view] = Successor(view)
            self.addWidget(self.results_page if view is self.results else view)
            view.current_message.connect(partial(self._forward_current, view))
            view.selectionModel().selectionChanged.connect(self._forward_selection)
        self.threaded_action = QAction(self.tr("&Threaded View"), self)
        self.threaded_action.setObjectName("threaded_viewAction")
        self.threaded_action.setCheckable(True)
        self.threaded_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        tip = self.tr("Group this folder's messages into conversations")
        self.threaded_action.setToolTip(tip)
        self.threaded_action.setStatusTip(tip)
        self.setCurrentWidget(self.flat)

    @property
    def mode(self) -> ListMode:
        return self._mode

    def active(self) -> MessageListView | ThreadListView:
        if self._mode is ListMode.THREADED:
            return self.threaded
        if self._mode is ListMode.SEARCH:
            return self.results
        return self.unified if self._mode is ListMode.UNIFIED else self.flat

    def views(self) -> tuple[MessageListView | ThreadListView, ...]:
        return (self.flat, self.threaded, self.unified, self.results)

    def set_preview_lines(self, shown: bool) -> None:
        """Two-line rows with the body's first words (issue 14), in every view."""
        for view in self.views():
            delegate = view.itemDelegate()
            if isinstance(delegate, MessageDelegate):
                delegate.preview_lines = shown
            if isinstance(view, MessageListView):
                view.verticalHeader().setDefaultSectionSize(
                    row_height(view.fontMetrics().height(), shown))
            else:
                view.scheduleDelayedItemsLayout()  # uniform rows: measured again
            view.viewport().update()

    def neighbour(self, ref: MessageRef, delta: int) -> MessageRef | None:
        """The message ``delta`` rows below ``ref`` in the list shown, in its current
        order (J and K in a message window); None at an end, or when ``ref`` is not in
        a flat list shown now (the threaded view has no single order to walk)."""
        view = self.active()
        if not isinstance(view, MessageListView):
            return None
        proxy = view.proxy
        source = proxy.sourceModel()
        row: int | None = None
        if isinstance(source, MessageListModel):
            if source.location() != (ref.account, ref.folder):
                return None
            found = source.row_of(ref.uid)
            row = None if found is None else proxy.proxy_rows([found])[0]
        else:  # All Inboxes, search results: a few thousand rows at most
            row = next((r for r in range(proxy.rowCount())
                        if proxy.index(r, 0).data(Role.MESSAGE_REF) == ref), None)
        if row is None or not 0 <= row + delta < proxy.rowCount():
            return None
        found_ref = proxy.index(row + delta, 0).data(Role.MESSAGE_REF)
        return found_ref if isinstance(found_ref, MessageRef) else None

    def add_search_status(self, label: QWidget) -> None:
        """Show ``label`` (the search's state) above the results list."""
        self._results_box.insertWidget(0, label)

    @property
    def browse_mode(self) -> ListMode:
        """The folder's own mode: the one under the search results while searching."""
        return self._browse

    def set_mode(self, mode: ListMode) -> None:
        if mode == self._mode:
            return
        before = self.active()
        chosen = chosen_rows(before)
        self._switching = True  # the views' own current-row signals meanwhile are stale
        try:
            self._switch(mode, before, chosen)
        finally:
            self._switching = False
        self.current_message.emit(self.active_ref())
        self.selection_changed.emit()

    def _switch(self, mode: ListMode, before: QAbstractItemView, chosen: Chosen) -> None:
        self._mode = mode
        if mode is not ListMode.SEARCH:
            # The view under the results stays live (selection, sort, threads), so that
            # leaving the search shows it exactly as it was.
            self._browse = mode
            self.threaded.proxy.set_active(mode is ListMode.THREADED)
            self.unified_model.set_active(mode is ListMode.UNIFIED)
        active = self.active()
        if {before, active} == {self.flat, self.threaded}:  # the same folder's rows
            choose_rows(active, chosen)
        self.setCurrentWidget(self.results_page if active is self.results else active)
        action = self.threaded_action
        blocked = action.blockSignals(True)
        action.setChecked(self._browse is ListMode.THREADED)
        action.blockSignals(blocked)
        action.setEnabled(mode not in (ListMode.UNIFIED, ListMode.SEARCH))

    def active_ref(self) -> MessageRef | None:
        index = self.active().currentIndex()
        ref = index.data(Role.MESSAGE_REF) if index.isValid() else None
        return ref if isinstance(ref, MessageRef) else None

    def _forward_current(self, view: QWidget, ref: MessageRef | None) -> None:
        if view is self.active() and not self._switching:
            self.current_message.emit(ref)

    def _forward_selection(self) -> None:
        self.selection_changed.emit()

    # -- what commands act on ----------------------------------------------------------------
    def selected_refs(self) -> list[MessageRef]:
        return selected_refs(self.active())

    def prepare_leave(self) -> None:
        """The highlighted rows are about to leave (delete, archive, move): the next row
        in the current order takes over once they are gone (widgets/successor.py)."""
        view = self.active()
        self._successors[view].prepare(selected_indexes(view))

    def selected_summaries(self) -> list[MessageSummary]:
        return selected_summaries(self.active())

    def step(self, delta: int) -> bool:
        return self.active().step(delta)

    def next_unread(self) -> bool:
        return self.active().next_unread()
