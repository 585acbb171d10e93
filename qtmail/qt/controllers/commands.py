"""MessageCommands: what the message and folder actions do to the selection.

Each becomes an operation command for the account's worker (local phase at once,
then the server through the queue); nothing here touches the network or the store.
Dialogs are methods (``confirm``, ``pick_folder``, ``ask_text``) so tests can answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from qtmail.core.commands import (
    ArchiveMessages,
    Command,
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    EmptyFolder,
    MarkFolderRead,
    MoveMessages,
    RenameFolder,
    Replay,
    SetFlags,
    SyncAll,
)
from qtmail.core.folder_paths import display_path, personal_prefix
from qtmail.core.types import (
    FLAGGED,
    JUNK_KEYWORDS,
    NOT_JUNK_KEYWORDS,
    SEEN,
    FolderRole,
    MessageRef,
)
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.controllers.reading import ReadingController
from qtmail.qt.controllers.undo import UndoTarget
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.folder_picker import FolderPicker
from qtmail.qt.widgets.folder_view import FolderView
from qtmail.qt.widgets.message_lists import MessageLists


class MessageCommands(QObject):
    """``parent`` (the window) is where dialogs open; ``messages`` says which folder is
    shown; ``undo`` learns where each change went."""

    def __init__(self, directory: AccountDirectory, lists: MessageLists,
                 messages: MessageListModel, folder_view: FolderView,
                 reading: ReadingController, undo: UndoTarget, parent: QWidget) -> None:
        super().__init__(parent)
        self._directory = directory
        self._lists = lists
        self._messages = messages
        self._folder_view = folder_view
        self._reading = reading
        self._undo = undo
        self._parent = parent

    def connect_actions(self, a: MainActions) -> None:
        a.delete.triggered.connect(self.delete)
        a.delete_permanently.triggered.connect(self.delete_permanently)
        a.archive.triggered.connect(self.archive)
        a.toggle_read.triggered.connect(self.toggle_read)
        a.mark_unread.triggered.connect(self.mark_unread)
        a.star.triggered.connect(self.toggle_star)
        a.move_to.triggered.connect(self.move_to)
        a.copy_to.triggered.connect(self.copy_to)
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        a.mark_folder_read.triggered.connect(self.mark_folder_read)
        a.empty_folder.triggered.connect(self.empty_folder)
        a.new_folder.triggered.connect(self.new_folder)
        a.rename_folder.triggered.connect(self.rename_folder)
        a.delete_folder.triggered.connect(self.delete_folder)
        a.get_messages.triggered.connect(self.get_messages)

    # -- every account ---------------------------------------------------------------------
    def get_messages(self) -> None:
        for name in self._directory.accounts():
            self.retry(name)

    def retry(self, account: str) -> None:
        """Replay the queue, then sync (the status bar's Retry, Get Messages)."""
        self._directory.send(account, Replay())
        self._directory.send(account, SyncAll())

    # -- the selection --------------------------------------------------------------------
    def _targets(self, refs: list[MessageRef] | None = None
                 ) -> list[tuple[str, str, tuple[int, ...]]]:
        """(account, folder, uids) per folder of ``refs``, by default the selection: the
        unified inbox mixes accounts, and each row acts on its own (its MessageRef says
        which)."""
        groups: dict[tuple[str, str], list[int]] = {}
        for ref in self._lists.selected_refs() if refs is None else refs:
            groups.setdefault((ref.account, ref.folder), []).append(ref.uid)
        return [(account, folder, tuple(uids)) for (account, folder), uids in groups.items()]

    def _status_problem(self, text: str) -> None:
        window = self.parent()
        status = getattr(window, "status", None)
        if status is not None:
            status.show_problem(text)

    def _send(self, account: str, command: Command) -> None:
        self._undo.changed(account)
        self._directory.send(account, command)

    def _send_each(self, make: Callable[[str, tuple[int, ...]], Command],
                   refs: list[MessageRef] | None = None) -> None:
        for account, folder, uids in self._targets(refs):
            self._send(account, make(folder, uids))

    def leave_current(self) -> None:
        """The highlighted rows are about to leave the list: the next row in the current
        order will take over (highlighted), and the shown message's pending mark-as-read
        must not land after the move (Ctrl+Z would then undo that instead)."""
        self._reading.forget()
        self._lists.prepare_leave()

    def delete(self) -> None:
        self.leave_current()
        self._send_each(lambda folder, uids: DeleteMessages(folder, uids))

    def delete_permanently(self) -> None:
        targets = self._targets()
        if not targets:
            return
        count = sum(len(uids) for _a, _f, uids in targets)
        question = self.tr("Delete %n message(s) for good? This cannot be undone.", "",
                           count)
        if self.confirm(self.tr("Delete Permanently"), question):
            self.leave_current()
            self._send_each(lambda folder, uids: DeleteMessages(folder, uids, permanent=True))

    def archive(self) -> None:
        self.leave_current()
        self._send_each(lambda folder, uids: ArchiveMessages(folder, uids))

    # -- on given messages (a message window's own, issue 14), not the selection --------------
    def delete_these(self, refs: list[MessageRef]) -> None:
        self._send_each(lambda folder, uids: DeleteMessages(folder, uids), refs)

    def archive_these(self, refs: list[MessageRef]) -> None:
        self._send_each(lambda folder, uids: ArchiveMessages(folder, uids), refs)

    def junk_these(self, refs: list[MessageRef]) -> None:
        self.junk(refs=refs)

    def star_these(self, refs: list[MessageRef]) -> None:
        """Star them, or take the star off when every one has it (as Star does)."""
        starred = []
        for ref in refs:
            reader = self._directory.reader(ref.account)
            summary = reader.summary(ref.folder, ref.uid) if reader is not None else None
            starred.append(summary is not None and FLAGGED in summary.flags)
        star = frozenset({FLAGGED})
        if refs and all(starred):
            self._send_each(lambda folder, uids: SetFlags(folder, uids, remove=star), refs)
        else:
            self._send_each(lambda folder, uids: SetFlags(folder, uids, add=star), refs)

    def mark_unread_these(self, refs: list[MessageRef]) -> None:
        self._send_each(lambda folder, uids: SetFlags(folder, uids, remove=frozenset({SEEN})),
                        refs)

    def toggle_read(self) -> None:
        """Any unread in the selection: mark all read; else mark all unread."""
        summaries = self._lists.selected_summaries()
        if any(s.unread for s in summaries):
            self._send_each(lambda folder, uids: SetFlags(folder, uids, add=frozenset({SEEN})))
        else:
            self.mark_unread()

    def mark_unread(self) -> None:
        self._send_each(lambda folder, uids: SetFlags(folder, uids, remove=frozenset({SEEN})))

    def toggle_star(self) -> None:
        summaries = self._lists.selected_summaries()
        if summaries and all(FLAGGED in s.flags for s in summaries):
            self._send_each(
                lambda folder, uids: SetFlags(folder, uids, remove=frozenset({FLAGGED})))
        else:
            self._send_each(
                lambda folder, uids: SetFlags(folder, uids, add=frozenset({FLAGGED})))

    def move_to(self, copy: bool = False) -> None:
        targets = self._targets()
        if len({account for account, _f, _u in targets}) != 1:
            return  # a folder picker shows one account's folders
        account, folder, _uids = targets[0]
        title = self.tr("Copy to Folder") if copy else self.tr("Move to Folder")
        dest = self.pick_folder(title, account, folder)
        if dest:
            if not copy:
                self.leave_current()
            self._send_each(lambda source, uids: MoveMessages(source, uids, dest, copy=copy))

    def copy_to(self) -> None:
        self.move_to(copy=True)

    def junk(self, junk: bool = True, refs: list[MessageRef] | None = None) -> None:
        """Junk: the junk keywords and a move to the Junk folder, which is what trains
        the server's filter (rules-accounts-reading.md 5); Not Junk: the mirror image,
        back to the Inbox. Ordinary queued, undoable changes. ``refs``: these messages
        instead of the selection."""
        targets = self._targets(refs)
        if not targets:
            return
        marks, clears = (JUNK_KEYWORDS, NOT_JUNK_KEYWORDS) if junk \
            else (NOT_JUNK_KEYWORDS, JUNK_KEYWORDS)
        moves: list[tuple[str, str, tuple[int, ...], str]] = []
        for account, folder, uids in targets:
            dest = self._junk_folder(account) if junk else "INBOX"
            if dest is None:
                self._status_problem(self.tr(
                    "This account has no Junk folder, so the messages stay where they are. "
                    "Create a folder named Junk to use it."))
                return
            moves.append((account, folder, uids, dest))
        if refs is None:
            self.leave_current()
        for account, folder, uids, dest in moves:
            self._send(account, SetFlags(folder, uids, add=marks, remove=clears))
            if folder != dest:
                self._send(account, MoveMessages(folder, uids, dest))

    def not_junk(self) -> None:
        self.junk(junk=False)

    def _junk_folder(self, account: str) -> str | None:
        """The folder the server marks \\Junk (RFC 6154), else one named like it."""
        reader = self._directory.reader(account)
        if reader is None:
            return None
        folders = reader.folders()
        marked = [f.name for f in folders if f.role is FolderRole.JUNK]
        return marked[0] if marked else None

    def undo_account(self) -> str | None:
        """Where Undo and Redo go: the latest change's account, else the one shown."""
        current = self._messages.location()
        return self._undo.account or (current[0] if current else None)

    def undo(self) -> None:
        self._undo.undo(self.undo_account())

    def redo(self) -> None:
        self._undo.redo(self.undo_account())

    # -- folders -------------------------------------------------------------------------------
    def new_folder(self) -> None:
        account = self._folder_view.current_account() or next(
            iter(self._directory.accounts()), None)
        if account is None:
            return
        current = self._messages.location()
        hint = ""
        if current is not None and current[0] == account and current[1] != "INBOX":
            hint = self._display_path(account, current[1]) + "/"
        name = self.ask_text(self.tr("New Folder"),
                             self.tr("Name of the new folder (use / for a subfolder):"), hint)
        if name:
            self._send(account, CreateFolder(name.strip()))

    def mark_folder_read(self) -> None:
        """Every unread message of the highlighted folder (see rename_folder), read; the
        worker finds which from its cache, so none need to be listed here."""
        current = self._folder_view.current_folder()
        if current is not None:
            self._send(current[0], MarkFolderRead(current[1]))

    def empty_folder(self) -> None:
        """Empty Trash / Empty Junk on the highlighted folder (see rename_folder), after
        asking: the messages go for good, on the server too."""
        current = self._folder_view.current_folder()
        if current is None:
            return
        account, folder = current
        reader = self._directory.reader(account)
        count = reader.message_count(folder) if reader is not None else 0
        if not count:
            return
        shown = self._display_path(account, folder)
        question = self.tr("Delete the %n message(s) in “%1” for good? This cannot be undone.",
                           "", count).replace("%1", shown)
        if self.confirm(self.tr("Empty “%1”").replace("%1", shown), question):
            if self._messages.location() == current:
                self._reading.forget()  # the message shown is going too
            self._send(account, EmptyFolder(folder))

    def rename_folder(self) -> None:
        # The highlighted row of the tree, never the folder shown behind an account row
        # the user right-clicked (issue 13: act on what is highlighted).
        current = self._folder_view.current_folder()
        if current is None:
            return
        account, folder = current
        shown = self._display_path(account, folder)
        # Only the folder's own name is selected: what the user types renames it where
        # it is. The path before it stays editable, to move it (as "New Folder" takes
        # a path), but typing over all of it moved the folder to the top level.
        leaf = shown.rsplit("/", 1)[-1]
        name = self.ask_text(self.tr("Rename Folder"), self.tr("New name:"), shown,
                             select=(len(shown) - len(leaf), len(leaf)))
        if name and name.strip() != shown:
            self._send(account, RenameFolder(folder, name.strip()))

    def _display_path(self, account: str, folder: str) -> str:
        """``folder`` as the tree shows it ("/" between levels, no "INBOX." namespace)."""
        reader = self._directory.reader(account)
        folders = reader.folders() if reader is not None else []
        delimiter = next((f.delimiter for f in folders if f.name == folder), None)
        return display_path(folder, delimiter, personal_prefix(folders))

    def delete_folder(self) -> None:
        current = self._folder_view.current_folder()  # see rename_folder
        if current is None:
            return
        account, folder = current
        question = self.tr("Delete the folder “%1” and every message in it, on the server "
                           "too?").replace("%1", folder)
        if self.confirm(self.tr("Delete Folder"), question):
            self._send(account, DeleteFolder(folder))

    # -- dialogs (replaced in tests) ---------------------------------------------------------
    def confirm(self, title: str, question: str) -> bool:
        """Ask before something that cannot be undone. The button that goes ahead says
        what it does (the title: "Delete Folder", not "Yes"), and Cancel is the
        default, so a hasty Enter loses nothing."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, question,
                          QMessageBox.StandardButton.Cancel, self._parent)
        ahead = box.addButton(title, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is ahead

    def pick_folder(self, title: str, account: str, exclude: str) -> str | None:
        reader = self._directory.reader(account)
        if reader is None:
            return None
        picker = FolderPicker(title, reader.folders(), exclude, self._parent)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return None
        return picker.chosen()

    def ask_text(self, title: str, label: str, text: str, *,
                 select: tuple[int, int] | None = None) -> str | None:
        """``select``: (start, length) of the part of ``text`` selected, to be typed over
        (else all of it)."""
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        line = dialog.findChild(QLineEdit)
        if select is not None and line is not None:
            # Once shown: showing it selects the whole text.
            QTimer.singleShot(0, line, lambda: line.setSelection(*select))
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.textValue() if accepted else None
        finally:
            dialog.deleteLater()
