"""MainWindow: folder tree, message list and message view, wired to one EngineClient
per account. It wires widgets; the widgets and controllers do the work (STYLE.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qtmail.accounts.settings import AccountSettings
from qtmail.core import yielding
from qtmail.core.commands import Command, OpenFolder, Replay, SyncAll
from qtmail.core.events import (
    CountsChanged,
    Event,
    FoldersChanged,
    OperationFailed,
    PendingChanged,
    ServerAlert,
    StatusChanged,
    SyncProgress,
)
from qtmail.core.types import FolderRole, MessageRef
from qtmail.qt.account_prefs import AccountPreferences
from qtmail.qt.bridge import EngineClient
from qtmail.qt.composer.controller import ComposeController
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.roles import NodeKind, Role
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.models.unified import UnifiedInboxModel
from qtmail.qt.new_mail import NewMailWatcher, NotifierLike
from qtmail.qt.notify import unread_title
from qtmail.qt.search_controller import SearchController
from qtmail.qt.settings import LAYOUT_BELOW, LAYOUT_RIGHT, WindowSettings
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.drop_controller import DropController
from qtmail.qt.widgets.folder_view import FolderView, folder_role
from qtmail.qt.widgets.message_commands import MessageCommands
from qtmail.qt.widgets.message_lists import THREAD_LIMIT, ListMode, MessageLists
from qtmail.qt.widgets.reading import ReadingController, make_message_view
from qtmail.qt.widgets.rules.menu import install_rules_menu
from qtmail.qt.widgets.search_bar import SearchBar
from qtmail.qt.widgets.status_bar import AccountStatusBar
from qtmail.qt.widgets.window_menus import build_menus
from qtmail.store import Store

log = logging.getLogger(__name__)


@dataclass
class _Account:
    client: EngineClient
    reader: Store | None = None


class MainWindow(QMainWindow):
    """The main window. ``on_settings`` / ``on_account_setup`` open the dialogs
    (app.py decides which exist); ``notifier`` shows new-mail notifications."""

    def __init__(self, settings: WindowSettings, *,
                 on_settings: Callable[[], None] | None = None,
                 on_account_setup: Callable[[], None] | None = None,
                 notifier: NotifierLike | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self._accounts: dict[str, _Account] = {}
        self._closed = False
        self.action_set = MainActions(self)
        self.tree = DropFolderTreeModel(self)
        self.messages = MessageListModel(self)
        self.unified = UnifiedInboxModel(self)
        self.prefs = AccountPreferences(settings)
        self.new_mail = NewMailWatcher(notifier, self.reader, self.prefs.notifications, self)
        self.folder_view = FolderView(self.tree, settings.expanded(), self)
        self.search_results = SearchResultsModel(self.reader, self)
        self.lists = MessageLists(self.messages, self.unified, self.search_results, self)
        self.message_list = self.lists.flat
        self.message_view = make_message_view(self)
        self.status = AccountStatusBar(self)
        self.setStatusBar(self.status)
        self.reading = ReadingController(self.message_view, self._open_message, self.send,
                                         settings.mark_read_delay_ms(), self)
        self.commands = MessageCommands(self)
        self.compose = ComposeController(self)
        self.drops = DropController(self)
        self.search_bar = SearchBar(self)
        self.search_field = self.search_bar.field
        self.lists.add_search_status(self.search_bar.status)
        self._build_layout()
        self.toolbar = build_menus(self, on_settings, on_account_setup)
        self.rules_action = install_rules_menu(self)  # Tools > Rules (issue 15)
        self._connect()
        self.search = SearchController(self, self.search_bar, self.search_results)
        self._restore()
        self._update_title()
        self._update_actions()

    # -- building ---------------------------------------------------------------------------
    def _build_layout(self) -> None:
        self.inner = QSplitter(Qt.Orientation.Horizontal, self)
        self.inner.setObjectName("listViewSplitter")
        self.inner.addWidget(self.lists)
        self.inner.addWidget(self.message_view)
        self.inner.setStretchFactor(1, 1)
        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.outer.setObjectName("folderSplitter")
        self.outer.addWidget(self.folder_view)
        self.outer.addWidget(self.inner)
        self.outer.setStretchFactor(1, 1)
        self.outer.setSizes([220, 1000])
        self.inner.setSizes([620, 380])
        self.empty = QWidget(self)
        self.empty.setObjectName("emptyState")
        box = QVBoxLayout(self.empty)
        box.addStretch()
        self.empty_label = QLabel(self.tr(
            "<h2>Welcome to qtmail</h2><p>There is no email account yet. Add one to "
            "read your mail here; it stays on your server and in sync with your other "
            "devices.</p>"), self.empty)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_button = QPushButton(self.tr("Add an Account…"), self.empty)
        box.addWidget(self.empty_label)
        box.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.outer)
        self.setCentralWidget(self.stack)

    def _connect(self) -> None:
        a = self.action_set
        self.folder_view.folder_selected.connect(self.show_folder)
        self.lists.current_message.connect(self._current_message)
        self.lists.selection_changed.connect(self._update_actions)
        self.lists.threaded_action.toggled.connect(self.set_threaded)
        remote = getattr(self.message_view, "load_remote_requested", None)
        if remote is not None:
            remote.connect(self._remote_requested)
        self.message_list.sort_changed.connect(self.settings.set_sort)
        self.message_list.proxy.sort_refused.connect(self._sort_refused)
        self.reading.failed.connect(self.status.show_problem)
        self.status.retry.connect(self.retry)
        a.get_messages.triggered.connect(self.get_messages)
        a.next_message.triggered.connect(lambda: self.lists.step(1))
        a.previous_message.triggered.connect(lambda: self.lists.step(-1))
        a.next_unread.triggered.connect(self.lists.next_unread)
        a.layout_below.toggled.connect(self.set_layout_below)
        a.quit.triggered.connect(self.close)
        self.commands.connect_actions(a)
        self.compose.connect_window()

    def _restore(self) -> None:
        s = self.settings
        geometry = s.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        state = s.window_state()
        if state is not None:
            self.restoreState(state)
        for name, splitter in (("outer", self.outer), ("inner", self.inner)):
            saved = s.splitter(name)
            if saved is not None:
                splitter.restoreState(saved)
        header = s.header()
        if header is not None:
            self.message_list.header().restoreState(header)
        column, order = s.sort()
        self.message_list.sort_by(column, order)
        self.action_set.layout_below.setChecked(s.layout() == LAYOUT_BELOW)

    def save_state(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_window_state(self.saveState())
        s.set_splitter("outer", self.outer.saveState())
        s.set_splitter("inner", self.inner.saveState())
        s.set_header(self.message_list.header().saveState())
        s.set_sort(self.message_list.proxy.sort_column, self.message_list.proxy.sort_order)
        s.set_expanded(self.folder_view.expanded_keys())
        s.set_layout(LAYOUT_BELOW if self.action_set.layout_below.isChecked() else LAYOUT_RIGHT)
        current = self.current_folder()
        if current is not None:
            s.set_last_folder(*current)
        s.sync()

    # -- accounts -------------------------------------------------------------------------
    def add_account(self, client: EngineClient) -> None:
        """Show ``client``'s account and start it (its worker opens the cache first)."""
        name = client.account
        self._accounts[name] = _Account(client)
        self.status.add_account(name)
        self.tree.add_account(name, None)
        self.search.account_added(name)
        self.unified.set_store(name, None)
        self._start_client(client)
        self.stack.setCurrentWidget(self.outer)
        self._update_actions()

    def _start_client(self, client: EngineClient) -> None:
        name = client.account
        client.event.connect(self._on_event)
        client.ready.connect(lambda: self._account_ready(name))
        self.drops.account_added(client)
        client.start()
        client.sync_all()

    def replace_client(self, client: EngineClient) -> None:
        """New account settings: stop the old worker, start ``client`` in its place
        (same cache, so the reader and the window's state stay)."""
        entry = self._accounts.get(client.account)
        if entry is None or self._closed:
            client.close()
            return
        old, entry.client = entry.client, client
        old.event.disconnect(self._on_event)
        old.close()
        old.deleteLater()
        self.new_mail.forget(client.account)
        self._start_client(client)
        current = self.current_folder()
        if current is not None and current[0] == client.account:
            client.open_folder(current[1])

    def apply_account_settings(self, account: AccountSettings,
                               preferences: Mapping[str, object],
                               client: EngineClient | None = None) -> None:
        """The settings dialog was accepted: keep ``preferences`` and apply them now;
        ``client`` (the account with its new settings) replaces the running one."""
        self.prefs.set(account.name, preferences)
        self.reading.delay_ms = self.settings.mark_read_delay_ms()
        if client is not None:
            self.replace_client(client)
        current = self.current_folder()
        if current is not None and current[0] == account.name:
            self._apply_threading()

    def accounts(self) -> list[str]:
        return list(self._accounts)

    def client(self, account: str) -> EngineClient | None:
        entry = self._accounts.get(account)
        return None if entry is None else entry.client

    def reader(self, account: str) -> Store | None:
        entry = self._accounts.get(account)
        return None if entry is None else entry.reader

    def send(self, account: str, command: Command) -> None:
        client = self.client(account)
        if client is not None and client.running:
            client.send(command)

    def _account_ready(self, name: str) -> None:
        entry = self._accounts.get(name)
        if entry is None or entry.reader is not None or self._closed:
            return
        entry.reader = Store.open(entry.client.cache_path, readonly=True)
        self.tree.set_store(name, entry.reader)
        self.unified.set_store(name, entry.reader)
        self._select_initial_folder(name)
        self._update_title()

    def _select_initial_folder(self, account: str) -> None:
        if self.current_folder() is not None or self.lists.browse_mode is ListMode.UNIFIED:
            return
        last = self.settings.last_folder()
        if last is not None and last[0] == account \
                and self.folder_view.select_folder(*last):
            return
        self.folder_view.select_folder(account, "INBOX")

    def shutdown(self) -> None:
        """Close every client (their threads end) and reader: safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.reading.forget()
        self.lists.set_mode(ListMode.FLAT)
        self.search_results.clear()
        self.messages.set_folder(None, "", "")
        self.new_mail.close()
        for entry in self._accounts.values():
            entry.client.close()
            if entry.reader is not None:
                entry.reader.close()
                entry.reader = None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            # The window's repaint: account workers hold back meanwhile (issue 4).
            with yielding.busy():
                return super().event(event)
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed and not self.compose.close_all():
            event.ignore()  # a composer's "Cancel": keep writing
            return
        if not self._closed:
            self.save_state()
        self.shutdown()
        super().closeEvent(event)

    # -- events -----------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if self._closed:
            return
        with yielding.busy():  # model updates (never modal): workers hold back
            self.tree.apply(event)
            self.messages.apply(event)
            self.unified.apply(event)
            self.search.apply(event)
        self.reading.apply(event)
        self.compose.apply(event)
        self.new_mail.apply(event)
        if isinstance(event, StatusChanged):
            self.status.set_status(event.account, event.status, event.message)
        elif isinstance(event, SyncProgress):
            self.status.set_progress(event.account, event.folder, event.done, event.total)
        elif isinstance(event, PendingChanged):
            self.status.set_pending(event.account, event.queued, event.conflicts)
        elif isinstance(event, OperationFailed | ServerAlert):
            self.status.show_problem(event.message if isinstance(event, OperationFailed)
                                     else event.text)
        elif isinstance(event, CountsChanged):
            self._update_title()
        elif isinstance(event, FoldersChanged):
            self._select_initial_folder(event.account)
            self._update_title()

    # -- folders and messages ------------------------------------------------------------------
    def current_folder(self) -> tuple[str, str] | None:
        if not self.messages.account:
            return None
        return self.messages.account, self.messages.folder

    def show_folder(self, account: str, folder: str) -> None:
        """``account`` "" is the unified inbox ("All Inboxes")."""
        if not account:
            if self.lists.mode is not ListMode.UNIFIED:
                self.reading.forget()
                self.messages.set_folder(None, "", "")
                self.lists.set_mode(ListMode.UNIFIED)
        elif self.current_folder() != (account, folder):
            self.reading.forget()
            self.lists.set_mode(ListMode.FLAT)
            self.messages.set_folder(self.reader(account), account, folder)
            self.send(account, OpenFolder(folder))
            self._apply_threading()
        self._update_title()
        self._update_actions()

    def _apply_threading(self) -> None:
        """The folder's remembered choice, else the account's threading preference."""
        current = self.current_folder()
        if current is None:
            return
        wanted = self.settings.threaded(*current)
        if wanted is None:
            wanted = self.prefs.threading(current[0])
        if wanted and self.messages.rowCount() > THREAD_LIMIT:
            self.status.show_problem(self.tr(
                "This folder is too big to show as conversations; it stays a flat list."))
            wanted = False
        self.lists.set_mode(ListMode.THREADED if wanted else ListMode.FLAT)

    def set_threaded(self, threaded: bool) -> None:
        """The View menu's choice, remembered for the folder shown."""
        current = self.current_folder()
        if current is None:
            return
        self.settings.set_threaded(current[0], current[1], threaded)
        self._apply_threading()

    def _open_message(self, ref: MessageRef) -> int | None:
        client = self.client(ref.account)
        if client is None or not client.running:
            return None
        return client.open_message(ref.folder, ref.uid)

    def _current_message(self, ref: MessageRef | None) -> None:
        unread = bool(self.lists.active().currentIndex().data(Role.UNREAD))
        if ref is not None and hasattr(self.message_view, "remote_policy"):
            self.message_view.remote_policy = self.prefs.remote_policy(ref.account)
        self.reading.open(ref, unread)
        self._update_actions()

    def _remote_requested(self, ref: object, address: str, always: bool) -> None:
        # "Always for this sender" was stored by the view in the account's policy,
        # which saves it (AccountPreferences); QTextBrowser itself fetches nothing.
        if always:
            self.status.show_problem(self.tr(
                "Remote content from %1 is allowed from now on.").replace("%1", address))

    def get_messages(self) -> None:
        for name in self._accounts:
            self.retry(name)

    def retry(self, account: str) -> None:
        self.send(account, Replay())
        self.send(account, SyncAll())

    def set_layout_below(self, below: bool) -> None:
        self.inner.setOrientation(Qt.Orientation.Vertical if below
                                  else Qt.Orientation.Horizontal)

    def _sort_refused(self, column: int) -> None:
        self.status.show_problem(self.tr(
            "This folder is too big to sort by that column; it stays sorted by date."))

    # -- window title and action states -----------------------------------------------------------
    def inbox_unread(self) -> int:
        total = 0
        for name in self._accounts:
            account = self.tree.account_index(name)
            for row in range(self.tree.rowCount(account)):
                index = self.tree.index(row, 0, account)
                if folder_role(index) is FolderRole.INBOX \
                        and index.data(Role.NODE_KIND) == NodeKind.FOLDER:
                    total += int(index.data(Role.UNREAD_COUNT) or 0)
        return total

    def _update_title(self) -> None:
        unread = self.inbox_unread()
        app = QCoreApplication.translate("MainWindow", "qtmail")
        current = self.folder_view.currentIndex()
        parts = [str(current.data()) if current.isValid() else "", app]
        self.setWindowTitle(unread_title(" — ".join(part for part in parts if part), unread))

    def _update_actions(self) -> None:
        view = self.lists.active()
        has_selection = bool(view.selectionModel().selectedRows()) \
            or view.currentIndex().isValid()
        for action in self.action_set.selection_actions():
            action.setEnabled(has_selection)
        self.compose.update_actions()
        has_folder = self.current_folder() is not None
        self.action_set.rename_folder.setEnabled(has_folder)
        self.action_set.delete_folder.setEnabled(has_folder)
        self.action_set.new_folder.setEnabled(bool(self._accounts))
