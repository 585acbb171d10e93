"""MainWindow: folder tree, message list and message view, wired to one EngineClient
per account. It keeps the layout, the window's state and the connections; the accounts
live in an AccountDirectory (qt/accounts.py) and the work in the controllers of
qt/controllers/, each handed the directory and the widgets it touches (issue 12)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from qtmail.accounts.remote_policy import RemoteContentPolicy
from qtmail.accounts.settings import AccountSettings
from qtmail.core import yielding
from qtmail.core.commands import Command
from qtmail.core.events import (
    CountsChanged,
    Event,
    FoldersChanged,
)
from qtmail.core.types import FolderRole, MessageRef
from qtmail.qt.account_prefs import AccountPreferences
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.controllers.commands import MessageCommands
from qtmail.qt.controllers.compose import ComposeController, Intent
from qtmail.qt.controllers.drops import DropController
from qtmail.qt.controllers.folders import FolderController
from qtmail.qt.controllers.message_windows import MessageWindows, WindowHooks
from qtmail.qt.controllers.previews import PreviewLines
from qtmail.qt.controllers.reading import ReadingController
from qtmail.qt.controllers.search import SearchController
from qtmail.qt.controllers.undo import UndoTarget
from qtmail.qt.controllers.undo_labels import UndoLabels
from qtmail.qt.controllers.unsubscribe import ListMail, UnsubscribeController, mail_from
from qtmail.qt.models.columns import DEFAULT_HIDDEN, Column
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.roles import Role
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.models.unified import UnifiedInboxModel
from qtmail.qt.new_mail import NewMailWatcher, NotifierLike
from qtmail.qt.notify import unread_title
from qtmail.qt.settings import LAYOUT_BELOW, LAYOUT_RIGHT, WindowSettings
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.appearance_menu import install_appearance_menu
from qtmail.qt.widgets.empty_state import EmptyState
from qtmail.qt.widgets.folder_view import FolderView, folder_role
from qtmail.qt.widgets.message_lists import ListMode, MessageLists
from qtmail.qt.widgets.reading import make_message_view
from qtmail.qt.widgets.row_menu import install_row_menu
from qtmail.qt.widgets.rules.menu import install_rules_menu
from qtmail.qt.widgets.search_bar import SearchBar
from qtmail.qt.widgets.status_bar import AccountStatusBar
from qtmail.qt.widgets.window_menus import JunkButton, build_menus

if TYPE_CHECKING:  # the worker side is imported when the first account starts (issue 18)
    from qtmail.qt.bridge import EngineClient
    from qtmail.store import Store

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The main window. ``on_settings`` / ``on_account_setup`` open the dialogs
    (app.py decides which exist); ``notifier`` shows new-mail notifications.

    Signals: ``account_fix_requested(account, Fix value)``: a button beside an error
    (status bar, composer) asks for a password prompt or the account's settings;
    ``account_settings_requested(account)`` and ``remove_account_requested(account)``
    from Edit > Account Settings… / Remove Account… and the folder tree's menu, for
    the highlighted account; ``first_painted()`` once, after the window's first paint
    (what the first look does not need waits for it: issue 18)."""

    account_fix_requested = Signal(str, str)
    account_settings_requested = Signal(str)
    remove_account_requested = Signal(str)
    first_painted = Signal()

    def __init__(self, settings: WindowSettings, *,
                 on_settings: Callable[[], None] | None = None,
                 on_account_setup: Callable[[], None] | None = None,
                 notifier: NotifierLike | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.directory = AccountDirectory(self)
        self._closed = False
        self._painted = False
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
        self._zoom_steps = 0
        self._base_point_size = self.message_view.font().pointSizeF()
        self.reading = ReadingController(self.directory, self.message_view,
                                         settings.mark_read_delay_ms(), self)
        self.previews = PreviewLines(self.directory, self.lists, self.action_set.preview_lines,
                                     settings, self)
        self.undo_target = UndoTarget(self.directory, self)
        self.commands = MessageCommands(self.directory, self.lists, self.messages,
                                        self.folder_view, self.reading, self.undo_target, self)
        self.compose = ComposeController(self.directory, self.action_set, self.status,
                                         self.lists, self.messages, self.reading,
                                         self.message_view, self.prefs, self)
        self.folders = FolderController(self.directory, settings, self.prefs, self.messages,
                                        self.lists, self.reading, self.status, self)
        self.tree.folders_renaming.connect(settings.folders_renamed)
        self.drops = DropController(self.directory, self.tree, self.messages, self.lists,
                                    self.status, self.undo_target,
                                    self.commands.leave_current, self)
        self.undo_labels = UndoLabels(self.action_set, self.commands.undo_account, self)
        self.windows = MessageWindows(self.directory, self.status.show_problem, self,
                                      hooks=self._window_hooks())
        self.unsubscribe = UnsubscribeController(
            self.compose.open_mailto, self.status.show_problem, self, list_mail=ListMail(
                find=self._mail_from,
                trash=lambda refs: self.commands.delete_these(refs),
                archive=lambda refs: self.commands.archive_these(refs)))
        self.row_menu = install_row_menu(  # issue 14: the right mouse button
            (self.lists.flat, self.lists.threaded, self.lists.unified, self.lists.results),
            self.action_set.row_menu_actions(), self)
        self.search_bar = SearchBar(self)
        self.search_field = self.search_bar.field
        self.lists.add_search_status(self.search_bar.status)
        self._build_layout()
        self.junk_button = JunkButton(self.action_set)
        self.toolbar = build_menus(
            self, self.action_set, self.lists, search_bar=self.search_bar,
            folder_view=self.folder_view, empty_button=self.empty_button,
            junk_button=self.junk_button,
            on_settings=on_settings, on_account_setup=on_account_setup)
        self.appearance = install_appearance_menu(self, settings)  # issue 14: dark mode
        self.rules_action, rule_from_message = install_rules_menu(  # issue 15
            self, self, self.lists.selected_summaries)
        self.row_menu.addSeparator()  # issue 14: "Create rule from message" on a row too
        self.row_menu.addAction(rule_from_message)
        self.undo_labels.watch_menus()
        self._connect()
        # After _connect: a folder chosen reaches show_folder first, then ends the search.
        self.search = SearchController(self.directory, settings, self.search_bar,
                                       self.search_results, self.lists, self.messages,
                                       self.tree, self.folder_view, self.action_set.search,
                                       self)
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
        self.empty = EmptyState(self)
        self.empty_label, self.empty_button = self.empty.label, self.empty.button
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.outer)
        self.setCentralWidget(self.stack)

    def _connect(self) -> None:
        a = self.action_set
        self.folder_view.folder_selected.connect(self.show_folder)
        self.folder_view.selectionModel().currentChanged.connect(self._update_actions)
        self.lists.current_message.connect(self._current_message)
        self.lists.selection_changed.connect(self._update_actions)
        self.lists.threaded_action.toggled.connect(self.folders.set_threaded)
        leave = getattr(self.message_view, "unsubscribe_requested", None)
        if leave is not None:
            leave.connect(lambda offer: self.unsubscribe.request(
                offer, self.reading.current, self._shown_sender()))
        header = getattr(self.message_view, "header", None)
        if header is not None:  # issue 14: the address menu
            header.write_to.connect(self.compose.write_to)
            header.search_from.connect(lambda addr: self.search.search_for(f"from:{addr}"))
        remote = getattr(self.message_view, "load_remote_requested", None)
        if remote is not None:
            remote.connect(self._remote_requested)
        self.message_list.sort_changed.connect(self.settings.set_sort)
        self.message_list.proxy.sort_refused.connect(self._sort_refused)
        self.reading.failed.connect(self.status.show_problem)
        self.status.retry.connect(self.commands.retry)
        self.status.fix_requested.connect(self.account_fix_requested)
        self.compose.fix_requested.connect(self.account_fix_requested)
        self.compose.open_requested.connect(a.open_window.trigger)
        a.open_window.triggered.connect(
            lambda: self.windows.open_windows(self.lists.selected_refs()))
        a.view_source.triggered.connect(lambda: self._for_message(self.windows.view_source))
        a.save_as.triggered.connect(lambda: self._for_message(self.windows.save_as))
        a.copy_address.triggered.connect(self._copy_address)
        browser = getattr(self.message_view, "browser", None)
        if browser is not None:  # the reading pane's text size (Ctrl+plus/minus)
            a.zoom_in.triggered.connect(lambda: self._zoom(browser, 1))
            a.zoom_out.triggered.connect(lambda: self._zoom(browser, -1))
            a.zoom_reset.triggered.connect(lambda: self._zoom(browser, 0))
        a.print_message.triggered.connect(
            lambda: self.windows.print_shown(self.message_view, pdf=False))
        a.save_pdf.triggered.connect(
            lambda: self.windows.print_shown(self.message_view, pdf=True))
        a.junk.triggered.connect(lambda: self.commands.junk())  # not junk(checked=False)
        a.not_junk.triggered.connect(self.commands.not_junk)
        a.account_settings.triggered.connect(lambda: self._for_account(
            self.account_settings_requested.emit))
        a.remove_account.triggered.connect(lambda: self._for_account(
            self.remove_account_requested.emit))
        a.next_message.triggered.connect(lambda: self.lists.step(1))
        a.previous_message.triggered.connect(lambda: self.lists.step(-1))
        a.next_unread.triggered.connect(self.lists.next_unread)
        a.layout_below.toggled.connect(self.set_layout_below)
        a.reading_pane.toggled.connect(self.set_reading_pane)
        a.quit.triggered.connect(self.close)
        d = self.directory
        d.event.connect(self._on_event)
        d.ready.connect(self._account_ready)
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
        if header is not None and self.message_list.header().restoreState(header):
            known = s.header_columns()
            for added in DEFAULT_HIDDEN:  # added since it was saved: hidden at first
                if added >= known:
                    self.message_list.setColumnHidden(added, True)
        column, order = s.sort()
        self.message_list.sort_by(column, order)
        self.action_set.layout_below.setChecked(s.layout() == LAYOUT_BELOW)
        self.action_set.reading_pane.setChecked(s.reading_pane())

    def save_state(self) -> None:
        s = self.settings
        s.set_geometry(self.saveGeometry())
        s.set_window_state(self.saveState())
        s.set_splitter("outer", self.outer.saveState())
        s.set_splitter("inner", self.inner.saveState())
        s.set_header(self.message_list.header().saveState(), len(Column))
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
        self.status.add_account(name)
        self.tree.add_account(name, None)
        self.search.account_added(name)
        self.unified.set_store(name, None)
        self.directory.add(client)
        self.stack.setCurrentWidget(self.outer)
        self._update_actions()

    def replace_client(self, client: EngineClient) -> None:
        """New account settings: stop the old worker, start ``client`` in its place
        (same cache, so the reader and the window's state stay)."""
        self.new_mail.forget(client.account)
        if not self.directory.replace(client):
            return
        self.compose.account_changed(client.account)
        current = self.current_folder()
        if current is not None and current[0] == client.account:
            client.open_folder(current[1])

    def remove_account(self, name: str) -> bool:
        """Stop ``name``'s worker (its thread ends) and take it out of every view;
        the caller deletes its files. False when it is not shown."""
        if name not in self.directory.accounts():
            return False
        current = self.current_folder()
        if current is not None and current[0] == name:
            self.reading.forget()
            self.messages.set_folder(None, "", "")
        self.new_mail.forget(name)
        self.unified.set_store(name, None)
        self.search.account_removed(name)
        self.tree.remove_account(name)
        self.status.remove_account(name)
        self.directory.remove(name)
        self.undo_labels.forget(name)
        if not self.directory.accounts():
            self.stack.setCurrentWidget(self.empty)
        self._update_title()
        self._update_actions()
        return True

    def _for_message(self, act: Callable[[MessageRef], None]) -> None:
        refs = self.lists.selected_refs()
        if refs:
            act(refs[0])

    def _zoom(self, browser: QWidget, step: int) -> None:
        """Steps of one point from the size the pane started with, kept for the session."""
        self._zoom_steps = 0 if step == 0 else max(-6, min(12, self._zoom_steps + step))
        font = browser.font()
        font.setPointSizeF(self._base_point_size + self._zoom_steps)
        browser.setFont(font)

    def _copy_address(self) -> None:
        summaries = self.lists.selected_summaries()
        if summaries and summaries[0].sender.addr:
            QGuiApplication.clipboard().setText(summaries[0].sender.addr)

    def selected_account(self) -> str | None:
        """The account of the highlighted folder tree row, else of the folder shown,
        else the only account."""
        accounts = self.directory.accounts()
        highlighted = self.folder_view.current_account()
        if highlighted in accounts:
            return highlighted
        current = self.current_folder()
        if current is not None and current[0] in accounts:
            return current[0]
        return accounts[0] if len(accounts) == 1 else None

    def _for_account(self, act: Callable[[str], None]) -> None:
        account = self.selected_account()
        if account is None:
            self.status.show_problem(self.tr("Select an account in the folder list first."))
            return
        act(account)

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
            self.folders.apply_threading()

    def accounts(self) -> list[str]:
        return self.directory.accounts()

    def client(self, account: str) -> EngineClient | None:
        return self.directory.client(account)

    def reader(self, account: str) -> Store | None:
        return self.directory.reader(account)

    def send(self, account: str, command: Command) -> None:
        self.directory.send(account, command)

    def _account_ready(self, name: str) -> None:
        reader = self.directory.reader(name)
        if reader is None or self._closed:
            return
        self.tree.set_store(name, reader)
        self.unified.set_store(name, reader)
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
        self.drops.close()
        self.directory.close()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)  # once this paint is done
        if event.type() == QEvent.Type.UpdateRequest:
            # The window's repaint: account workers hold back meanwhile (issue 4).
            with yielding.busy():
                return super().event(event)
        return super().event(event)

    def end_session(self) -> None:
        """The system asks qtmail to end (qt/session_end.py): as Quit, but nobody is
        there to answer a question, so every composer keeps its draft."""
        self.compose.keep_all()
        self.close()

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
        self.windows.apply(event)
        self.new_mail.apply(event)
        self.status.apply(event)
        self.undo_labels.apply(event)
        if isinstance(event, CountsChanged):
            self._update_title()
        elif isinstance(event, FoldersChanged):
            self._select_initial_folder(event.account)
            self._update_title()

    # -- folders and messages ------------------------------------------------------------------
    def current_folder(self) -> tuple[str, str] | None:
        return self.messages.location()

    def show_folder(self, account: str, folder: str) -> None:
        """``account`` "" is the unified inbox ("All Inboxes")."""
        self.folders.show(account, folder)
        self.junk_button.show_junk_folder(bool(account) and self._is_junk(account, folder))
        self._update_title()
        self._update_actions()

    def set_threaded(self, threaded: bool) -> None:
        self.folders.set_threaded(threaded)

    def _current_message(self, ref: MessageRef | None) -> None:
        if not self.action_set.reading_pane.isChecked():
            ref = None  # the list alone: Enter opens a window instead
        unread = bool(self.lists.active().currentIndex().data(Role.UNREAD))
        if ref is not None and hasattr(self.message_view, "remote_policy"):
            # In Junk nothing loads by itself, whoever the sender claims to be (issue 14).
            self.message_view.remote_policy = RemoteContentPolicy() \
                if self._in_junk(ref) else self.prefs.remote_policy(ref.account)
        self.reading.open(ref, unread)
        self._update_actions()

    def _shown_sender(self) -> str:
        parsed = getattr(self.message_view, "parsed", None)
        return parsed.sender.addr if parsed is not None else ""

    def _mail_from(self, ref: MessageRef, sender: str) -> list[MessageRef]:
        reader = self.reader(ref.account)
        return [] if reader is None else mail_from(reader, ref.account, sender)

    def _window_hooks(self) -> WindowHooks:
        """A message window's toolbar acts through these, on its own message."""
        intents = {"reply": Intent.REPLY, "reply_all": Intent.REPLY_ALL,
                   "forward": Intent.FORWARD}
        return WindowHooks(
            neighbour=self.lists.neighbour,
            compose=lambda what, ref: self.compose.request(intents[what], ref),
            delete=lambda refs: self.commands.delete_these(refs),
            archive=lambda refs: self.commands.archive_these(refs),
            junk=lambda refs: self.commands.junk_these(refs),
            star=lambda refs: self.commands.star_these(refs),
            mark_unread=lambda refs: self.commands.mark_unread_these(refs))

    def _in_junk(self, ref: MessageRef) -> bool:
        return self._is_junk(ref.account, ref.folder)

    def _is_junk(self, account: str, name: str) -> bool:
        return self._role(account, name) is FolderRole.JUNK

    def _role(self, account: str, name: str) -> FolderRole:
        reader = self.reader(account)
        folder = reader.folder(name) if reader is not None else None
        return folder.role if folder is not None else FolderRole.NONE

    def _show_empty_action(self, role: FolderRole) -> None:
        """Empty Trash or Empty Junk, on those folders only (as Thunderbird has them)."""
        action = self.action_set.empty_folder
        # Context "MainActions": the Trash's wording is the action's own (actions.py).
        if role is FolderRole.JUNK:
            action.setText(QCoreApplication.translate("MainActions", "&Empty Junk…"))
            action.setToolTip(QCoreApplication.translate(
                "MainActions", "Delete every message in Junk for good, after asking"))
        else:
            action.setText(QCoreApplication.translate("MainActions", "&Empty Trash…"))
            action.setToolTip(QCoreApplication.translate(
                "MainActions", "Delete every message in the Trash for good, after asking"))
        action.setStatusTip(action.toolTip())
        shown = role in (FolderRole.TRASH, FolderRole.JUNK)
        action.setVisible(shown)
        action.setEnabled(shown)

    def _remote_requested(self, ref: object, address: str, always: bool) -> None:
        # "Always for this sender" was stored by the view in the account's policy,
        # which saves it (AccountPreferences); QTextBrowser itself fetches nothing.
        if always:
            self.status.show_problem(self.tr(
                "Remote content from %1 is allowed from now on.").replace("%1", address))

    def set_reading_pane(self, shown: bool) -> None:
        """The list alone (off), or with the message beside or below it. Hidden, the
        pane opens nothing, so nothing is marked read by being selected."""
        self.settings.set_reading_pane(shown)
        self.message_view.setVisible(shown)
        self.action_set.layout_below.setEnabled(shown)
        self._current_message(self.lists.active().followed if shown else None)

    def set_layout_below(self, below: bool) -> None:
        self.inner.setOrientation(Qt.Orientation.Vertical if below
                                  else Qt.Orientation.Horizontal)

    def _sort_refused(self, column: int) -> None:
        self.status.show_problem(self.tr(
            "This folder is too big to sort by that column; it stays sorted by date."))

    # -- window title and action states -----------------------------------------------------------
    def _update_title(self) -> None:
        unread = self.folder_view.inbox_unread(self.directory.accounts())
        app = QCoreApplication.translate("MainWindow", "qtmail")
        current = self.folder_view.currentIndex()
        parts = [str(current.data()) if current.isValid() else "", app]
        self.setWindowTitle(unread_title(" — ".join(part for part in parts if part), unread))

    def _update_actions(self) -> None:
        view = self.lists.active()
        # What the actions act on: the highlighted rows, never a current row that is not
        # (issue 13), so with none highlighted they are off rather than doing nothing.
        has_selection = bool(view.selectionModel().selectedRows())
        for action in self.action_set.selection_actions():
            action.setEnabled(has_selection)
        self.compose.update_actions()
        has_folder = self.folder_view.current_folder() is not None  # a folder highlighted
        # The tree's own role (no store read: this runs at every change of selection).
        role = folder_role(self.folder_view.currentIndex()) if has_folder else FolderRole.NONE
        self.action_set.mark_folder_read.setEnabled(has_folder)
        # The server's own folders (the Inbox, and those it marks for a use, RFC 6154)
        # stay: renaming or deleting one leaves the account without its Trash, say.
        self.action_set.rename_folder.setEnabled(has_folder and role is FolderRole.NONE)
        self.action_set.delete_folder.setEnabled(has_folder and role is FolderRole.NONE)
        self._show_empty_action(role)
        has_account = bool(self.directory.accounts())
        self.action_set.new_folder.setEnabled(has_account)
        self.action_set.account_settings.setEnabled(has_account)
        self.action_set.remove_account.setEnabled(has_account)
