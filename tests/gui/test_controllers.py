"""Controllers built alone (issue 12): each takes the account directory and the widgets
it touches, no MainWindow. The message commands delete and undo against a real Dovecot
with only a list, a folder tree and a reading controller around them; a drop onto a
folder is undone by the commands' Ctrl+Z through the UndoTarget they share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qtmail.core.commands import SyncAll
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.bridge import EngineClient
from qtmail.qt.controllers.commands import MessageCommands
from qtmail.qt.controllers.drops import DropController
from qtmail.qt.controllers.reading import ReadingController
from qtmail.qt.controllers.undo import UndoTarget
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.models.unified import UnifiedInboxModel
from qtmail.qt.widgets.folder_view import FolderView
from qtmail.qt.widgets.message_lists import MessageLists
from qtmail.qt.widgets.reading import PlainMessageView
from qtmail.qt.widgets.status_bar import AccountStatusBar

pytestmark = pytest.mark.dovecot


def server_count(user: MailUser, folder: str) -> int:
    imap = user.imap()
    try:
        return int(imap.select_folder(folder, readonly=True)[b"EXISTS"])
    finally:
        imap.logout()


@pytest.fixture
def directory(mail_user: MailUser, tmp_path: Path, qtbot: QtBot) -> Iterator[AccountDirectory]:
    accounts = AccountDirectory()
    client = EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                          lambda: mail_user.password)
    accounts.add(client)
    qtbot.waitUntil(lambda: accounts.reader("work") is not None, timeout=10_000)
    yield accounts
    accounts.close()
    assert not client.running


class Parts:
    """What the message commands and the drop controller touch, and nothing else."""

    def __init__(self, directory: AccountDirectory, qtbot: QtBot) -> None:
        self.parent = parent = QWidget()
        qtbot.addWidget(parent)
        self.messages = MessageListModel(parent)
        self.lists = MessageLists(self.messages, UnifiedInboxModel(parent),
                                  SearchResultsModel(directory.reader, parent), parent)
        self.tree = DropFolderTreeModel(parent)
        self.reading = ReadingController(directory, PlainMessageView(parent), -1, parent)
        self.undo = UndoTarget(directory, parent)
        self.commands = MessageCommands(directory, self.lists, self.messages,
                                        FolderView(self.tree, set(), parent), self.reading,
                                        self.undo, parent)
        directory.event.connect(self.messages.apply)
        directory.event.connect(self.tree.apply)


def test_a_drop_is_undone_by_the_commands_undo(
        mail_user: MailUser, directory: AccountDirectory, qtbot: QtBot) -> None:
    mail_user.save(message("Drag me"))
    parts = Parts(directory, qtbot)
    drops = DropController(directory, parts.tree, parts.messages, parts.lists,
                           AccountStatusBar(parts.parent), parts.undo, parts.commands.leave_current,
                           parts.parent)
    directory.send("work", SyncAll())
    reader = directory.reader("work")
    assert reader is not None
    parts.tree.add_account("work", None)
    parts.tree.set_store("work", reader)
    parts.messages.set_folder(reader, "work", "INBOX")
    qtbot.waitUntil(lambda: parts.messages.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: parts.tree.folder_index("work", "Archive").isValid(),
                    timeout=10_000)
    mime = parts.messages.mimeData([parts.messages.index(0, 0)])
    assert parts.tree.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1,
                                   parts.tree.folder_index("work", "Archive"))
    qtbot.waitUntil(lambda: parts.messages.rowCount() == 0, timeout=5_000)
    assert drops.notice.label.text() == "Moved 1 message to Archive."
    qtbot.waitUntil(lambda: server_count(mail_user, "Archive") == 1, timeout=10_000)
    # No folder shown: only the UndoTarget the drop told knows where Ctrl+Z goes.
    parts.messages.set_folder(None, "", "")
    parts.commands.undo()
    qtbot.waitUntil(lambda: server_count(mail_user, "INBOX") == 1, timeout=10_000)
    assert server_count(mail_user, "Archive") == 0


def test_commands_delete_and_undo_without_a_window(
        mail_user: MailUser, directory: AccountDirectory, qtbot: QtBot) -> None:
    for n in range(2):
        mail_user.save(message(f"Keep {n}"))
    parent = QWidget()
    qtbot.addWidget(parent)
    messages = MessageListModel(parent)
    lists = MessageLists(messages, UnifiedInboxModel(parent),
                         SearchResultsModel(directory.reader, parent), parent)
    tree = DropFolderTreeModel(parent)
    reading = ReadingController(directory, PlainMessageView(parent), -1, parent)
    undo = UndoTarget(directory, parent)
    commands = MessageCommands(directory, lists, messages, FolderView(tree, set(), parent),
                               reading, undo, parent)
    directory.event.connect(messages.apply)
    directory.send("work", SyncAll())  # the mail arrived after the account started
    messages.set_folder(directory.reader("work"), "work", "INBOX")
    qtbot.waitUntil(lambda: messages.rowCount() == 2, timeout=10_000)
    assert lists.flat.select_row(0)
    undone: list[str] = []
    undo.undone.connect(undone.append)

    commands.delete()

    qtbot.waitUntil(lambda: messages.rowCount() == 1, timeout=5_000)
    assert undo.account == "work"
    qtbot.waitUntil(lambda: server_count(mail_user, "Trash") == 1, timeout=10_000)
    commands.undo()
    assert undone == ["work"]
    qtbot.waitUntil(lambda: server_count(mail_user, "INBOX") == 2, timeout=10_000)
    qtbot.waitUntil(lambda: messages.rowCount() == 2, timeout=10_000)
    assert server_count(mail_user, "Trash") == 0
