"""UndoTarget: where Ctrl+Z and the drop notice's Undo go (issue 12).

The commands and the drop controller both make undoable changes; each tells this object
which account its latest change went to, and both undo through it. Whoever must react
to an undo (a transfer's other account is resynced) listens to ``undone``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from qtmail.core.commands import Redo, Undo
from qtmail.qt.accounts import AccountDirectory


class UndoTarget(QObject):
    """``undone(account)``: an Undo or a Redo was just sent to ``account``'s worker."""

    undone = Signal(str)

    def __init__(self, directory: AccountDirectory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._account: str | None = None

    @property
    def account(self) -> str | None:
        """Where the latest change went (None: nothing changed yet)."""
        return self._account

    def changed(self, account: str) -> None:
        """A change went to ``account``: the next undo goes there."""
        self._account = account

    def undo(self, account: str | None = None) -> None:
        """Undo the latest change of ``account`` (default: where the latest went)."""
        self._send(account, Undo())

    def redo(self, account: str | None = None) -> None:
        """Make again the change the latest undo of ``account`` reverted."""
        self._send(account, Redo())

    def _send(self, account: str | None, command: Undo | Redo) -> None:
        account = account or self._account
        if account is not None:
            self._directory.send(account, command)
            self.undone.emit(account)  # an undone or redone transfer: resync its target
