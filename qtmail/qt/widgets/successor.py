"""What is highlighted after the highlighted rows leave the list (issue 13 item 2), and
after the model resets.

Thunderbird's rule, the one users know: after Delete, Archive or Move, the next row in
the list's current sort order (the older neighbour in the usual newest-first order)
becomes selected and highlighted; the row above only when none follows. Until the rows
are gone no row is current, so Qt does not move the current index to a neighbour of
its own choosing, which opened (and marked read) a message the user never picked.

A reset (rows coming back by Undo, a count the model could not follow) clears the
selection without a signal (QItemSelectionModel::reset), which left the reading pane
showing a message no row highlighted and Delete enabled for it. The highlighted
messages are taken again by reference after the reset; those no longer in the list
stay unhighlighted, and the selection's listeners are told.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from qtmail.core.types import MessageRef
from qtmail.qt.models.roles import Role

KEPT_ACROSS_RESET = 100
"""Highlighted rows taken back after a reset, at most (each one is looked for)."""
SEARCH_AROUND = 64
"""Rows looked at on each side of the expected row when the successor is placed: the
rows that left were above it, and a sync may have added a few meanwhile."""

_MATCH_RECURSIVE = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive


def _neighbour(view: QAbstractItemView, index: QModelIndex, delta: int) -> QModelIndex:
    if isinstance(view, QTreeView):
        return view.indexBelow(index) if delta > 0 else view.indexAbove(index)
    return index.sibling(index.row() + delta, 0)


def _ref(index: QModelIndex) -> MessageRef | None:
    ref = index.data(Role.MESSAGE_REF) if index.isValid() else None
    return ref if isinstance(ref, MessageRef) else None


class Successor(QObject):
    """Remembers, for one view, the row that takes over from the rows leaving it."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._view = view
        self._ref: MessageRef | None = None
        self._row = -1
        self._kept: list[tuple[MessageRef, int]] = []
        """The highlighted messages and their rows before a reset, the current first."""
        model = view.model()
        model.rowsRemoved.connect(self._place)
        model.modelAboutToBeReset.connect(self._keep)
        # The model may take the rows away by a reset (a row whose place it did not
        # know, e.g. its page not read since a flag change): the successor still
        # takes over, found by its reference (seen under load in CI).
        model.modelReset.connect(self._place_after_reset)

    @property
    def pending(self) -> MessageRef | None:
        return self._ref

    def prepare(self, leaving: list[QModelIndex]) -> None:
        """``leaving``: the highlighted rows, in view order, about to leave."""
        self.cancel()
        if not leaving:
            return
        gone = {(index.row(), index.parent()) for index in leaving}
        candidate = _neighbour(self._view, leaving[-1], +1)
        while candidate.isValid() and (candidate.row(), candidate.parent()) in gone:
            candidate = _neighbour(self._view, candidate, +1)
        if not candidate.isValid():
            candidate = _neighbour(self._view, leaving[0], -1)
            while candidate.isValid() and (candidate.row(), candidate.parent()) in gone:
                candidate = _neighbour(self._view, candidate, -1)
        self._ref = _ref(candidate)
        above = sum(1 for index in leaving if index.row() < candidate.row()
                    and index.parent() == candidate.parent())
        self._row = candidate.row() - above
        # No current row while the rows leave: nothing opens by itself. The selection
        # (what is highlighted) stays until the rows are gone.
        self._view.selectionModel().setCurrentIndex(
            QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)

    def cancel(self) -> None:
        self._ref = None
        self._row = -1

    def _place(self, parent: QModelIndex, first: int, last: int) -> None:
        ref = self._ref
        if ref is None:
            return
        index = self._find(ref)
        if index is None:
            return  # not removed yet, or it left too: stay with nothing highlighted
        self.cancel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect \
            | QItemSelectionModel.SelectionFlag.Rows
        self._view.selectionModel().setCurrentIndex(index, flags)
        self._view.scrollTo(index)

    def _keep(self) -> None:
        selection = self._view.selectionModel()
        current = selection.currentIndex()
        rows: list[QModelIndex] = []
        if current.isValid() and selection.isRowSelected(current.row(), current.parent()):
            rows.append(current)
        # A tree is searched whole for each one (model.match): its current row only.
        limit = 1 if isinstance(self._view, QTreeView) else KEPT_ACROSS_RESET
        # From the selection's ranges, up to the limit: selectedRows() would ask about
        # every highlighted row first (all of a folder after Select All).
        ranges = selection.selection()
        for number in range(ranges.size()):
            if len(rows) >= limit:
                break
            span = ranges.at(number)
            for row in range(span.top(), min(span.bottom() + 1, span.top() + limit)):
                index = span.model().index(row, 0, span.parent())
                if len(rows) < limit and (row, index.parent()) != (current.row(),
                                                                   current.parent()):
                    rows.append(index)
        self._kept = [(ref, index.row()) for index in rows if (ref := _ref(index)) is not None]

    def _place_after_reset(self) -> None:
        kept, self._kept = self._kept, []
        if self._ref is None:
            self._take_back(kept)
            return
        if self._find(self._ref) is None:
            self.cancel()  # another folder, or it left too
            return
        self._place(QModelIndex(), 0, 0)

    def _take_back(self, kept: list[tuple[MessageRef, int]]) -> None:
        if not kept:
            return  # nothing was highlighted: nothing changes for the listeners
        selection = self._view.selectionModel()
        found = [index for ref, row in kept if (index := self._find(ref, row)) is not None]
        if not found or _ref(found[0]) != kept[0][0]:
            # The current message left: nothing is highlighted, and the reading pane
            # and the actions must know it (the reset told them nothing).
            selection.selectionChanged.emit(QItemSelection(), QItemSelection())
            return
        rows = QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(found[0], QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | rows)
        for index in found[1:]:
            selection.select(index, QItemSelectionModel.SelectionFlag.Select | rows)

    def _find(self, ref: MessageRef, near: int | None = None) -> QModelIndex | None:
        model = self._view.model()
        if isinstance(self._view, QTreeView):
            found = model.match(model.index(0, 0), Role.MESSAGE_REF, ref, 1,
                                _MATCH_RECURSIVE)
            return found[0] if found else None
        expected = max(self._row if near is None else near, 0)
        for offset in range(SEARCH_AROUND + 1):
            for row in {expected - offset, expected + offset}:
                index = model.index(row, 0)
                if index.isValid() and _ref(index) == ref:
                    return index
        return None

