"""SearchController: the search field's query, answered from the cache and the servers.

Issue 7. Each query runs at once on the accounts' read-only Stores (Store.search_keys:
ordered keys only; the results model pages summaries), and is sent to the workers as
SearchServer with a new search id; SearchHits of that id join the list, marked, and
SearchDone of every account ends the indicator. Stale ids (an earlier query) are
dropped here too: typing again sends CancelSearch for the previous id first. New mail
in scope joins the list when it matches (MessagesAdded: only the new rows are tested).
Saved searches live in the window settings per account and show as virtual folders
after the account's folders (FolderTreeModel.set_saved_searches).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence

from PySide6.QtCore import QLocale, QModelIndex, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from qtmail.core.commands import CancelSearch, SearchServer
from qtmail.core.events import Event, MessagesAdded, SearchDone, SearchHits
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.error_text import error_text
from qtmail.qt.models.columns import Column
from qtmail.qt.models.folder_drops import DropFolderTreeModel
from qtmail.qt.models.messages import MessageListModel
from qtmail.qt.models.roles import Role
from qtmail.qt.models.search_results import SearchResultsModel
from qtmail.qt.settings import WindowSettings
from qtmail.qt.widgets.folder_view import FolderView
from qtmail.qt.widgets.message_lists import ListMode, MessageLists
from qtmail.qt.widgets.search_bar import SearchBar, SearchScope
from qtmail.search.query import TEXT_FIELDS, Query, parse

log = logging.getLogger(__name__)

RESULT_LIMIT = 1_000
"""Local hits listed per account, newest first (keys only). Operator queries that
match thousands cost 65 ms for 1,000 keys and 160 ms for 5,000 on 100,000 headers
(bench_search.py): the newest thousand, and the user narrows the search for more."""

Scope = dict[str, tuple[str, ...] | None]
"""account -> folders to search (None: all of them)."""


def too_short(query: Query) -> bool:
    """Every word has under 3 characters, all ASCII: the trigram index cannot serve it
    (a scan of 100,000 headers costs 150-280 ms when nothing matches, bench_search.py),
    and while typing it is most often the start of a longer word. Two kanji are a word
    (会議): those run at once, as do operators (is:unread)."""
    texts = [term.value for term in query.terms if term.field in TEXT_FIELDS]
    return len(texts) == len(query.terms) and all(
        len(value) < 3 and value.isascii() for value in texts)


class SearchController(QObject):
    """Owns the search's state: the bar, the results model, and the lists it switches
    to the results; ``messages`` says which folder is shown (the scope's start),
    ``tree`` and ``folder_view`` show the saved searches, ``settings`` keeps them."""

    def __init__(self, directory: AccountDirectory, settings: WindowSettings,
                 bar: SearchBar, results: SearchResultsModel, lists: MessageLists,
                 messages: MessageListModel, tree: DropFolderTreeModel,
                 folder_view: FolderView, action: QAction, parent: QWidget) -> None:
        super().__init__(parent)
        self._directory = directory
        self._settings = settings
        self._lists = lists
        self._messages = messages
        self._tree = tree
        self._folder_view = folder_view
        self._parent = parent
        self._bar = bar
        self._results = results
        self._ids = itertools.count(1)
        self._search_id = 0
        self._text = ""
        self._query = parse("")
        self._scope: Scope = {}
        self._waiting: set[str] = set()
        self._found = 0
        self._failed = ""
        self._capped = False  # an account's local hits stopped at RESULT_LIMIT
        self._saved_scope: Scope | None = None
        """A saved search runs in its account, whatever the scope control says."""
        saved = settings.search_scope()
        if saved in {scope.value for scope in SearchScope}:
            bar.set_scope(SearchScope(saved))
        for signal in (results.rowsInserted, results.rowsRemoved, results.modelReset):
            signal.connect(self._count_changed)  # hits arrive, leave, or the search ends
        bar.query_changed.connect(self.run)
        bar.scope_changed.connect(self._scope_changed)
        bar.escaped.connect(self._escaped)
        bar.save_requested.connect(self.save_search)
        folder_view.folder_selected.connect(self._folder_selected)
        folder_view.saved_search_selected.connect(self.open_saved)
        # In the folder tree's context menu, shown on a saved search only.
        self.delete_saved_action = QAction(self.tr("Delete Saved Search"), folder_view)
        self.delete_saved_action.setObjectName("deleteSavedSearch")
        self.delete_saved_action.setVisible(False)
        self.delete_saved_action.triggered.connect(self.delete_current_saved)
        folder_view.addAction(self.delete_saved_action)
        folder_view.selectionModel().currentChanged.connect(self._tree_current)
        action.setShortcuts([QKeySequence("Ctrl+K"),
                             QKeySequence(QKeySequence.StandardKey.Find)])
        action.triggered.connect(self.focus)

    @property
    def active(self) -> bool:
        return bool(self._text)

    @property
    def search_id(self) -> int:
        return self._search_id

    def focus(self) -> None:
        self._bar.field.setFocus()
        self._bar.field.selectAll()

    def search_for(self, text: str) -> None:
        """Search ``text`` now as if typed into the field and entered (the address
        menu's Search Mail From This Address)."""
        field = self._bar.field
        blocked = field.blockSignals(True)  # one search, not one per keystroke
        field.setText(text)
        field.blockSignals(blocked)
        self.run(text)

    # -- running -------------------------------------------------------------------------
    def run(self, text: str, explicit: bool = True) -> None:
        """Show the local hits of ``text`` now and ask the servers; "" ends the search.
        While typing (not ``explicit``), words of one or two Latin letters wait for a
        third or for Return (see too_short)."""
        self._cancel_server()
        query = parse(text)
        if query.empty:
            self._leave()
            return
        if not explicit and too_short(query):
            self._bar.set_status(self.tr("Type another letter, or press Enter to search"))
            return
        self._text, self._query = text, query
        self._scope = self._saved_scope or self.scope_folders(self._bar.current_scope())
        hits = []
        for account, folders in self._scope.items():
            reader = self._directory.reader(account)
            if reader is not None:
                hits.append((account, reader.search_keys(
                    query, folders=folders, limit=RESULT_LIMIT)))
        single = len(self._scope) == 1 and all(
            folders is not None and len(folders) == 1 for folders in self._scope.values())
        self._capped = any(len(found) >= RESULT_LIMIT for _account, found in hits)
        self._results.show(hits, multi_folder=not single)
        self._lists.results.setColumnHidden(Column.FOLDER, single)
        log.debug("search: %d local hits in %d account(s)", self._results.rowCount(),
                  len(self._scope))
        lists = self._lists
        if lists.mode is not ListMode.SEARCH:
            lists.set_mode(ListMode.SEARCH)
        self._ask_servers(text)

    def _ask_servers(self, text: str) -> None:
        self._search_id = next(self._ids)
        self._found, self._failed = 0, ""
        self._waiting = set()
        for account, folders in self._scope.items():
            client = self._directory.client(account)
            if client is not None and client.running:
                client.send(SearchServer(self._search_id, text, folders))
                self._waiting.add(account)
        self._show_progress()

    def _cancel_server(self) -> None:
        for account in self._waiting:
            self._directory.send(account, CancelSearch(self._search_id))
        self._waiting = set()
        self._search_id = next(self._ids)  # answers already on their way are stale

    def _leave(self) -> None:
        """Back to the folder, exactly as it was (its view was never touched)."""
        self._text = ""
        self._saved_scope = None
        self._bar.set_status("")
        lists = self._lists
        if lists.mode is ListMode.SEARCH:
            lists.set_mode(lists.browse_mode)
        self._results.clear()

    def scope_folders(self, scope: SearchScope) -> Scope:
        """The accounts and folders ``scope`` means from the folder shown now. In All
        Inboxes (no single folder), "this folder" is every account's INBOX."""
        current = self._messages.location()
        accounts = [a for a in self._directory.accounts()
                    if self._directory.reader(a) is not None]
        if scope is SearchScope.ALL:
            return dict.fromkeys(accounts)
        if current is None:
            if scope is SearchScope.ACCOUNT:
                return dict.fromkeys(accounts)
            return {account: ("INBOX",) for account in accounts}
        account, folder = current
        if scope is SearchScope.ACCOUNT:
            return {account: None}
        if scope is SearchScope.FOLDER:
            return {account: (folder,)}
        return {account: self._subtree(account, folder)}

    def _subtree(self, account: str, folder: str) -> tuple[str, ...]:
        reader = self._directory.reader(account)
        if reader is None:
            return (folder,)
        info = reader.folder(folder)
        delimiter = info.delimiter if info is not None and info.delimiter else "/"
        names: Sequence[str] = [f.name for f in reader.folders() if f.selectable]
        return (folder, *[name for name in names
                          if name.startswith(folder + delimiter)])

    # -- answers ---------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        self._results.apply(event)
        if isinstance(event, MessagesAdded) and self._text:
            self._new_mail(event)
        if isinstance(event, SearchHits | SearchDone) and event.search_id == self._search_id \
                and self._text:
            if isinstance(event, SearchHits):
                self._found += self._results.add_server_hits(event.account, event.folder,
                                                             event.uids)
            else:
                self._waiting.discard(event.account)
                self._failed = self._failed or event.failed
            self._show_progress()

    def _new_mail(self, event: MessagesAdded) -> None:
        """Mail arriving in a folder in scope joins the results when it matches: only
        the new rows are tested (one small query per sync chunk)."""
        if event.account not in self._scope:
            return
        folders = self._scope[event.account]
        reader = self._directory.reader(event.account)
        if reader is None or (folders is not None and event.folder not in folders):
            return
        # A Gmail message arriving in two labels joins once (issue 16).
        hits = reader.search_keys(self._query, folders=[event.folder], uids=event.uids,
                                  limit=len(event.uids), copies_in=folders)
        if hits:
            self._results.add_local_hits(event.account, event.folder,
                                         [uid for _f, _d, uid in hits])

    def _count_changed(self, *_args: object) -> None:
        if self._text:
            self._show_progress()

    def _show_progress(self) -> None:
        """How many messages are listed, then where the servers' search stands."""
        count = self._results.rowCount()
        if self._capped:
            # Always a thousand or more: no singular needed.
            listed = self.tr("The newest %1 messages found are listed").replace(
                "%1", QLocale().toString(count))
        else:
            listed = self.tr("%n message(s) found", "", count)
        if self._waiting:
            server = self.tr("Searching the server…")
        elif self._failed:
            server = error_text(self._failed)
        elif self._found:
            server = self.tr("%n more from the server", "", self._found)
        else:
            server = self.tr("No more results on the server")
        # "%1. %2": the count, then the server's part (a language may turn them round).
        self._bar.set_status(self.tr("%1. %2").replace("%1", listed).replace("%2", server))

    # -- saved searches: virtual folders under the account (settings, per account) -------
    def account_added(self, account: str) -> None:
        names = [name for name, _query in self._settings.saved_searches(account)]
        self._tree.set_saved_searches(account, names)

    def account_removed(self, account: str) -> None:
        """Its rows must not stay in the results: the search ends (the field is kept)."""
        if self.active:
            self._cancel_server()
            self._leave()

    def save_search(self) -> None:
        """Keep the field's query under the shown folder's account (else the first)."""
        text = self._bar.text.strip()
        current = self._messages.location()
        accounts = self._directory.accounts()
        account = current[0] if current is not None else (accounts[0] if accounts else None)
        if not text or account is None:
            return
        name = self.ask_name(text)
        if not name or not name.strip():
            return
        settings = self._settings
        searches = [(n, q) for n, q in settings.saved_searches(account) if n != name.strip()]
        searches.append((name.strip(), text))
        settings.set_saved_searches(account, searches)
        self.account_added(account)

    def ask_name(self, text: str) -> str | None:
        """The saved search's name (replaced in tests)."""
        name, ok = QInputDialog.getText(self._parent, self.tr("Save Search"),
                                        self.tr("Name of the saved search:"),
                                        QLineEdit.EchoMode.Normal, text)
        return name if ok else None

    def confirm(self, title: str, question: str) -> bool:
        """Yes or no (replaced in tests)."""
        answer = QMessageBox.question(self._parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def open_saved(self, account: str, name: str) -> None:
        """A saved search clicked in the folder tree: run it in its whole account."""
        query = dict(self._settings.saved_searches(account)).get(name)
        if query is None:
            return
        self._bar.set_text(query)
        self._saved_scope = {account: None}
        self.run(query, True)

    def _tree_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.delete_saved_action.setVisible(
            bool(current.isValid() and current.data(Role.SAVED_SEARCH)))

    def delete_current_saved(self) -> None:
        """Forget the saved search selected in the tree (the mail is not touched)."""
        current = self._folder_view.currentIndex()
        name = current.data(Role.SAVED_SEARCH) if current.isValid() else None
        if not name:
            return
        account = str(current.data(Role.ACCOUNT))
        question = self.tr("Delete the saved search “%1”? No message is deleted.").replace(
            "%1", str(name))
        if not self.confirm(self.tr("Delete Saved Search"), question):
            return
        settings = self._settings
        settings.set_saved_searches(
            account, [(n, q) for n, q in settings.saved_searches(account) if n != name])
        self._bar.clear()
        self.account_added(account)

    # -- the user -------------------------------------------------------------------------
    def _scope_changed(self) -> None:
        self._settings.set_search_scope(self._bar.current_scope().value)
        self._saved_scope = None
        if self._text:
            self.run(self._text, True)

    def _escaped(self) -> None:
        self._lists.active().setFocus()

    def _folder_selected(self, account: str, folder: str) -> None:
        """Choosing a folder ends the search (the window shows that folder)."""
        if self._text:
            self._bar.clear()  # connected after the window's show_folder: it ran first
