"""DropController: turns accepted drops into operation commands, and says what it did.

Issue 5. The folder tree announces a DropRequest (qtmail/sync/drop_rules.py); this sends
the matching command to the account's worker (local phase at once, the server in
the background), shows "Moved 3 messages to Projects." with an Undo button, and
owns the DragExport that writes the .eml files of message drags out of qtmail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from qtmail.core.commands import (
    Command,
    ImportMessages,
    MoveMessages,
    RenameFolder,
    SyncFolder,
    TransferMessages,
)
from qtmail.core.drag_payload import MessageRefs
from qtmail.core.events import Event, PendingChanged
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.controllers.drag_export import DragExport
from qtmail.qt.controllers.undo import UndoTarget
from qtmail.qt.dragdrop import EmlFolder
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.widgets.message_lists import MessageLists
from qtmail.qt.widgets.status_bar import MESSAGE_MS, AccountStatusBar
from qtmail.sync.drop_rules import DropKind, DropRequest

log = logging.getLogger(__name__)



class UndoNotice(QWidget):
    """objectName "undoNotice": a brief sentence in the status bar, maybe with Undo."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("undoNotice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.label = QLabel(self)
        self.button = QToolButton(self)
        self.button.setObjectName("undoButton")
        self.button.setText(self.tr("Undo"))
        self.button.setAccessibleName(self.tr("Undo the last move"))
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def tell(self, text: str, undoable: bool) -> None:
        self.label.setText(text)
        self.button.setVisible(undoable)
        self.show()
        self._timer.start(MESSAGE_MS)


class DropController(QObject):
    """Drops onto ``tree`` become commands; drags out of ``lists`` (and the folder model
    ``messages``) carry .eml files; ``status`` shows the notice."""

    def __init__(self, directory: AccountDirectory, tree: DropFolderTreeModel,
                 messages: MessageListModel, lists: MessageLists, status: AccountStatusBar,
                 undo: UndoTarget, leaving: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._lists = lists
        self._leaving = leaving
        """The highlighted rows are about to leave the list (MessageCommands)."""
        self._undo = undo
        self._transfers: dict[str, set[tuple[str, str]]] = {}
        """Source account -> (account, folder) to resync once its queue has held the
        operation and is empty again (armed below by the first non-empty queue)."""
        self._armed: dict[str, set[tuple[str, str]]] = {}
        self._undo_account: str | None = None
        """The latest drag's account: the notice's Undo goes there."""
        self._undo_resync: set[tuple[str, str]] = set()
        """(account, folder) to resync after undoing the last drag (a transfer)."""
        self.eml_folder = EmlFolder()
        self.export = export = DragExport(directory, self.eml_folder, self)
        messages.export = export
        for view in (lists.flat, lists.unified, lists.threaded, lists.results):
            view.drag_export = export
        self.notice = UndoNotice(status)
        # Permanent: a passing showMessage (a refusal) must not hide the Undo button.
        status.addPermanentWidget(self.notice)
        self.notice.button.clicked.connect(self.undo)
        tree.drop_requested.connect(self.perform)
        directory.event.connect(self._on_event)
        undo.undone.connect(self.undo_sent)

    def _on_event(self, event: Event) -> None:
        if not isinstance(event, PendingChanged):
            return
        if event.queued:
            # The queue holds our operation now: the next "empty" means it is done. An
            # "empty" still on its way from before (a quick Ctrl+Z) must not count.
            waiting = self._transfers.pop(event.account, set())
            self._armed.setdefault(event.account, set()).update(waiting)
            return
        # A transfer (or its undo) reached the other account: show it there now.
        for account, folder in self._armed.pop(event.account, set()):
            self._send(account, SyncFolder(folder))

    # -- drops -----------------------------------------------------------------------------
    def perform(self, request: DropRequest) -> None:
        target = request.target
        name = target.folder.rsplit(target.delimiter, 1)[-1] if target.folder else ""
        count = request.count()
        moving = request.kind is DropKind.MOVE \
            or (request.kind is DropKind.TRANSFER and not request.copy)
        if moving and self._highlighted(request.groups):
            self._leaving()  # the next row takes over, as after Delete
        if request.kind in (DropKind.MOVE, DropKind.COPY):
            copy = request.kind is DropKind.COPY
            for group in request.groups:
                self._send(group.account, MoveMessages(group.folder, group.uids,
                                                       target.folder, copy=copy))
            self._remember(request.groups[0].account)
            if copy:
                text = self.tr("Copied 1 message to %1.") if count == 1 else \
                    self.tr("Copied %n messages to %1.", "", count)
            else:
                text = self.tr("Moved 1 message to %1.") if count == 1 else \
                    self.tr("Moved %n messages to %1.", "", count)
            self.notice.tell(text.replace("%1", name), True)
        elif request.kind is DropKind.TRANSFER:
            for group in request.groups:
                self._transfer(group, target.account, target.folder, request.copy)
            # Undone from the source account (its queue holds the transfer), issue 5.
            self._remember(request.groups[0].account)
            self._undo_resync = {(target.account, target.folder)}
            text = self.tr("Copying %n message(s) to %1 in %2…", "", count) if request.copy \
                else self.tr("Moving %n message(s) to %1 in %2…", "", count)
            text = text.replace("(s)", "s" if count != 1 else "")
            self.notice.tell(text.replace("%1", name).replace("%2", target.account), True)
        elif request.kind is DropKind.REPARENT and request.folder is not None:
            self._send(target.account, RenameFolder(request.folder.folder, request.new_name))
            self._remember(target.account)
            text = self.tr("Moved the folder %1 to %2.").replace(
                "%1", request.folder.folder).replace("%2", name or target.account)
            self.notice.tell(text, True)
        elif request.kind is DropKind.IMPORT:
            self._send(target.account, ImportMessages(target.folder, request.paths))
            text = self.tr("Importing %n message(s) into %1…", "", count)
            text = text.replace("(s)", "s" if count != 1 else "")
            self.notice.tell(text.replace("%1", name), False)

    def _highlighted(self, groups: tuple[MessageRefs, ...]) -> bool:
        """Whether the messages dropped are the rows highlighted in the list shown (a
        drag from it), not some from another window."""
        dropped = {(g.account, g.folder, uid) for g in groups for uid in g.uids}
        shown = {(r.account, r.folder, r.uid) for r in self._lists.selected_refs()}
        return bool(dropped) and dropped == shown

    def _transfer(self, group: MessageRefs, account: str, folder: str, copy: bool) -> None:
        self._send(group.account, TransferMessages(group.folder, group.uids, account, folder,
                                                   copy=copy))
        self._transfers.setdefault(group.account, set()).add((account, folder))

    def _send(self, account: str, command: Command) -> None:
        self._directory.send(account, command)

    def _remember(self, account: str) -> None:
        """Ctrl+Z and the notice's Undo go to this account."""
        self._undo_account = account
        self._undo_resync = set()
        self._undo.changed(account)

    def undo(self) -> None:
        """The notice's Undo: the latest drag, even if another change came after it."""
        self.notice.hide()
        account = self._undo_account
        if account is not None:
            self._undo.undo(account)

    def undo_sent(self, account: str) -> None:
        """An Undo went to ``account`` (the button or Ctrl+Z): if it undoes a transfer,
        the other account's folder is resynced once the undo reached the server."""
        if account == self._undo_account and self._undo_resync:
            self._transfers.setdefault(account, set()).update(self._undo_resync)
            self._undo_resync = set()

    def close(self) -> None:
        """The window is closing: finish the .eml files being written."""
        self.export.close()
