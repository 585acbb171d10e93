"""UndoLabels: Edit > Undo and Edit > Redo say which change they act on (issue 13).

Each account's worker tells what its undo and redo stacks hold (UndoChanged, labels
made below Qt in context "Operations"); a menu holding Undo shows, when it opens, those
of the account that Undo goes to: "Undo Move 2 messages to “Archive”", "Redo Star 1
message". Only when it opens: a QAction whose text changes has its toolbar relaid out,
which on every change would hold up the list's update after a move.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from qtmail.core.events import Event, UndoChanged
from qtmail.qt.error_text import error_text
from qtmail.qt.widgets.actions import MainActions


class UndoLabels(QObject):
    """``target()``: the account Undo and Redo go to now (None: not known)."""

    def __init__(self, actions: MainActions, target: Callable[[], str | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._actions = actions
        self._target = target
        self._labels: dict[str, UndoChanged] = {}

    def watch_menus(self) -> None:
        """Label the actions when a menu holding Undo opens (call once the menus exist);
        Redo is disabled only while that menu shows, so its shortcut always works (with
        nothing to redo it says so)."""
        for owner in self._actions.undo.associatedObjects():
            if isinstance(owner, QMenu):
                owner.aboutToShow.connect(self.refresh)
                owner.aboutToHide.connect(lambda: self._actions.redo.setEnabled(True))

    def apply(self, event: Event) -> None:
        if isinstance(event, UndoChanged):
            self.changed(event)

    def changed(self, event: UndoChanged) -> None:
        self._labels[event.account] = event

    def forget(self, account: str) -> None:
        """The account was removed: its changes are no longer offered."""
        self._labels.pop(account, None)
        self.refresh()

    def account(self) -> str | None:
        """The target, else the one account whose kept stacks hold something (right
        after a start, before a folder is open)."""
        target = self._target()
        if target is not None:
            return target
        waiting = [name for name, labels in self._labels.items() if labels.undo or labels.redo]
        return waiting[0] if len(waiting) == 1 else None

    def refresh(self) -> None:
        account = self.account()
        labels = self._labels.get(account) if account is not None else None
        undo, redo = (labels.undo, labels.redo) if labels is not None else ("", "")
        a = self._actions
        a.undo.setText(self.tr("&Undo {change}").format(change=error_text(undo, "Operations"))
                       if undo else self.tr("&Undo"))
        a.redo.setText(self.tr("&Redo {change}").format(change=error_text(redo, "Operations"))
                       if redo else self.tr("&Redo"))
        a.redo.setEnabled(bool(redo))
