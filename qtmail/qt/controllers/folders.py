"""FolderController: which folder the lists show, flat or as conversations (issue 12).

Choosing a folder resets the reading, points the folder model at the account's reader
and asks its worker to open the folder (a sync of it first); "" is All Inboxes. The
threading choice is the folder's remembered one, else the account's preference, and a
folder over THREAD_LIMIT stays flat with a sentence saying why.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject

from qtmail.core.commands import OpenFolder
from qtmail.qt.account_prefs import AccountPreferences
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.controllers.reading import ReadingController
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.message_lists import THREAD_LIMIT, ListMode, MessageLists
from qtmail.qt.widgets.status_bar import AccountStatusBar


class FolderController(QObject):
    def __init__(self, directory: AccountDirectory, settings: WindowSettings,
                 prefs: AccountPreferences, messages: MessageListModel, lists: MessageLists,
                 reading: ReadingController, status: AccountStatusBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._settings = settings
        self._prefs = prefs
        self._messages = messages
        self._lists = lists
        self._reading = reading
        self._status = status

    def show(self, account: str, folder: str) -> None:
        """``account`` "" is the unified inbox ("All Inboxes")."""
        lists, messages = self._lists, self._messages
        if not account:
            if lists.mode is not ListMode.UNIFIED:
                self._reading.forget()
                messages.set_folder(None, "", "")
                lists.set_mode(ListMode.UNIFIED)
        elif messages.location() != (account, folder):
            self._reading.forget()
            lists.set_mode(ListMode.FLAT)
            messages.set_folder(self._directory.reader(account), account, folder)
            self._directory.send(account, OpenFolder(folder))
            self.apply_threading()

    def apply_threading(self) -> None:
        """The folder's remembered choice, else the account's threading preference."""
        current = self._messages.location()
        if current is None:
            return
        wanted = self._settings.threaded(*current)
        if wanted is None:
            wanted = self._prefs.threading(current[0])
        if wanted and self._messages.rowCount() > THREAD_LIMIT:
            # Context "MainWindow": the sentence was the window's (the catalog keeps it).
            self._status.show_problem(QCoreApplication.translate(
                "MainWindow",
                "This folder is too big to show as conversations; it stays a flat list."))
            wanted = False
        self._lists.set_mode(ListMode.THREADED if wanted else ListMode.FLAT)

    def set_threaded(self, threaded: bool) -> None:
        """The View menu's choice, remembered for the folder shown."""
        current = self._messages.location()
        if current is None:
            return
        self._settings.set_threaded(current[0], current[1], threaded)
        self.apply_threading()
