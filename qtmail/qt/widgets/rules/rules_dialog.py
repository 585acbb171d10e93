"""Tools > Rules: the account's server-side rules (Sieve over ManageSieve, issue 15).

All network work happens in the account's worker (``qtmail.sieve.jobs``); this dialog
only sends commands and shows the answers. What qtmail cannot edit is listed, kept
exactly as written, and editable in the Script tab. An edit that could not be saved
stays in the dialog.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qtmail.core.commands import Command
from qtmail.core.events import Event
from qtmail.core.types import FolderInfo
from qtmail.qt.error_text import error_text
from qtmail.qt.widgets.folder_picker import FolderPicker
from qtmail.qt.widgets.rules.describe import rule_text
from qtmail.qt.widgets.rules.local_banner import LocalRulesBanner
from qtmail.qt.widgets.rules.rule_editor import RuleEditor
from qtmail.qt.widgets.rules.script_view import ScriptView
from qtmail.qt.widgets.rules.vacation_page import VacationPage
from qtmail.sieve.jobs import (
    RULES_EVENTS,
    ApplyRulesToFolder,
    CheckRules,
    LoadRules,
    MoveRulesToServer,
    RulesApplied,
    RulesChecked,
    RulesFailed,
    RulesLoaded,
    RulesSaved,
    SaveRules,
    UseLocalRules,
)
from qtmail.sieve.rules import Action, Condition, Rule
from qtmail.sieve.script import Entry, Opaque, SieveDocument
from qtmail.sieve.syntax import SieveSyntaxError

ENTRY = Qt.ItemDataRole.UserRole


class RulesDialog(QDialog):
    def __init__(self, account: str, email: str, send: Callable[[Command], None],
                 folders: Callable[[], list[FolderInfo]], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.setWindowTitle(self.tr("Rules — {account}").format(account=account))
        self.account = account
        self._email = email
        self._send = send
        self._folders = folders
        self._ids = itertools.count(1)
        self._waiting: int | None = None
        self._script = ""
        self._base = ""
        self._document: SieveDocument | None = None
        self._filling = False
        self._pending_text = ""
        self._loaded = False
        self.prefill: Rule | None = None
        """A rule to add once the server's rules are shown (from a message)."""
        """The text of the save in flight: shown with the server's errors if refused."""

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("rulesTabs")
        self.rule_list = QListWidget(self)
        self.rule_list.setObjectName("ruleList")
        self.rule_list.setAccessibleName(self.tr("Rules, in the order the server runs them"))
        self.rule_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.rule_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.editor = RuleEditor(self._choose_folder, self)
        self.add_button = QPushButton(self.tr("New rule"), self)
        self.add_button.setObjectName("newRule")
        self.remove_button = QPushButton(self.tr("Delete rule"), self)
        self.remove_button.setObjectName("deleteRule")
        self.up_button = QPushButton(self.tr("Move up"), self)
        self.up_button.setObjectName("ruleUp")
        self.down_button = QPushButton(self.tr("Move down"), self)
        self.down_button.setObjectName("ruleDown")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.rule_list, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        self.apply_button = QPushButton(self.tr("Apply the saved rules to a folder now…"), self)
        self.apply_button.setObjectName("applyRules")
        self.apply_button.setToolTip(self.tr(
            "The server runs its rules on the mail already in the folder you choose."))
        left_layout.addWidget(self.apply_button)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setSizes([380, 560])
        self.vacation = VacationPage(self)
        self.script_view = ScriptView(self)
        self.check_button = QPushButton(self.tr("Check with the server"), self.script_view)
        self.check_button.setObjectName("checkScript")
        self.script_view.box.addWidget(self.check_button)
        self.tabs.addTab(split, self.tr("Rules"))
        self.tabs.addTab(self.vacation, self.tr("Vacation"))
        self.tabs.addTab(self.script_view, self.tr("Script"))
        self.status = QLabel(self.tr("Loading the rules from the server…"), self)
        self.status.setObjectName("rulesStatus")
        self.status.setWordWrap(True)
        self.reload_button = QPushButton(self.tr("Reload"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("saveRules")
        self.save_button.setDefault(True)
        close = QPushButton(self.tr("Close"), self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.reload_button, self.save_button, close):
            bottom.addWidget(button)
        self.banner = LocalRulesBanner(self)  # where the rules live (issue 15)
        self.local = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.banner.use_local.connect(
            lambda: self._request(lambda rid: UseLocalRules(rid)))
        self.banner.move_to_server.connect(
            lambda: self._request(lambda rid: MoveRulesToServer(rid)))

        self.rule_list.currentItemChanged.connect(self._selected)
        self.rule_list.itemChanged.connect(self._checked)
        self.rule_list.model().rowsMoved.connect(self._reordered)
        self.editor.changed.connect(self._rule_edited)
        self.vacation.changed.connect(self._vacation_edited)
        self.add_button.clicked.connect(self._new_rule)
        self.remove_button.clicked.connect(self._delete_rule)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.check_button.clicked.connect(self._check)
        self.apply_button.clicked.connect(self._apply_to_folder)
        self.reload_button.clicked.connect(self.load)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._fill()  # empty and not editable until the server answers
        self._set_busy(True)
        self.resize(980, 620)

    # -- talking to the worker -----------------------------------------------------
    def _request(self, make: Callable[[int], Command]) -> None:
        request = next(self._ids)
        self._waiting = request
        self._set_busy(True)
        self._send(make(request))

    def load(self) -> None:
        self.status.setText(self.tr("Loading the rules from the server…"))
        self._request(lambda rid: LoadRules(rid))

    def save(self) -> None:
        text = self._text_to_save()
        if text is None:
            return
        self.status.setText(self.tr("Saving…"))
        self._pending_text = text
        self._request(lambda rid: SaveRules(rid, self._script, text, self._base))

    def _apply_to_folder(self) -> None:
        folder = self._choose_folder()
        if folder:
            self.status.setText(self.tr("Applying the rules to “{folder}”…").format(
                folder=folder))
            self._request(lambda rid: ApplyRulesToFolder(rid, folder))

    def _check(self) -> None:
        text = self.script_view.text(self._newline())
        self.status.setText(self.tr("Checking…"))
        self._request(lambda rid: CheckRules(rid, text))

    @Slot(object)
    def on_event(self, event: Event) -> None:
        # Only answers to rules commands: other events carry request ids of their own
        # (an opened message's MessageParsed has one too).
        if not isinstance(event, RULES_EVENTS) or event.account != self.account \
                or event.request_id != self._waiting:
            return
        self._waiting = None
        self._loaded = self._loaded or isinstance(event, RulesLoaded)
        self._set_busy(False)
        if isinstance(event, RulesLoaded):
            self._script, self._base = event.script, event.text
            self.editor.can_create = "mailbox" in event.extensions
            # Vacation replies only work on the server; the check is qtmail's own here.
            # (Before the text is shown: the page disables itself beside another
            # program's auto-reply, and enabling the tab enables the page too.)
            self.tabs.setTabEnabled(self.tabs.indexOf(self.vacation), not event.local)
            self._show_text(event.text)
            self.local = event.local
            count = len(self._document.rules) if self._document else 0
            if event.local:
                self.banner.show_local(event.server_available)
                self.status.setText(self.tr("{count} rules on this device.").format(
                    count=count))
            else:
                self.banner.show_server()
                self.status.setText(self.tr("{count} rules on the server.").format(
                    count=count))
            self.check_button.setText(self.tr("Check the rules") if event.local
                                      else self.tr("Check with the server"))
            if self.prefill is not None:
                self.add_prefilled(self.prefill)
                self.prefill = None
        elif isinstance(event, RulesSaved):
            self._base = event.text
            self._show_text(event.text)
            self.status.setText(self.tr(
                "Saved. qtmail applies these rules to new mail in the Inbox while it is "
                "open.") if self.local else self.tr(
                "Saved. The server applies these rules to new mail."))
        elif isinstance(event, RulesApplied):
            self.status.setText(self.tr(
                "Rules applied to “{folder}”: %n message(s) filed elsewhere.", "",
                event.moved).format(folder=event.folder))
        elif isinstance(event, RulesChecked):
            self.script_view.show_problems((), self.tr("The server found no error."))
            self.status.setText(self.tr("The server found no error."))
        elif isinstance(event, RulesFailed):
            message = error_text(event.message)
            self.status.setText(message)
            if event.offer_local:
                self.banner.show_offer()
            if event.problems:
                if self.tabs.currentWidget() is not self.script_view:
                    self.script_view.set_text(self._pending_text or self._base)
                    self.tabs.setCurrentWidget(self.script_view)
                self.script_view.show_problems(event.problems, message)

    def _set_busy(self, busy: bool) -> None:
        # Nothing to save or check before the server's rules were read once.
        self.reload_button.setEnabled(not busy)
        for widget in (self.save_button, self.check_button, self.apply_button):
            widget.setEnabled(not busy and self._loaded)

    # -- showing -------------------------------------------------------------------
    def _newline(self) -> str:
        return self._document.newline if self._document else "\n"

    def _show_text(self, text: str) -> None:
        self.script_view.set_text(text)
        try:
            self._document = SieveDocument.parse(text)
        except SieveSyntaxError:
            self._document = None
            self.status.setText(self.tr(
                "qtmail cannot read this script; edit it in the Script tab."))
        self._fill()

    def _fill(self, select: Entry | None = None) -> None:
        self._fill_list(select)
        document = self._document
        self.vacation.set_rule(document.vacation if document else None, self._email)
        for widget in (self.add_button, self.remove_button, self.up_button,
                       self.down_button):
            widget.setEnabled(document is not None)
        foreign = document is not None and document.foreign_vacation
        self.vacation.setEnabled(document is not None and not foreign)
        self.vacation.note.setText(self.tr(
            "This script already has an automatic reply written by another program, "
            "which qtmail cannot show here. Change it in the Script tab.") if foreign
            else self.vacation.default_note)

    def _fill_list(self, select: Entry | None = None) -> None:
        """The rule list only: the Vacation page is not reset while the user types."""
        self._filling = True
        self.rule_list.clear()
        document = self._document
        for entry in document.entries if document else []:
            item = QListWidgetItem(self.rule_list)
            item.setData(ENTRY, entry)
            self._label(item, entry)
        self._filling = False
        rows = self.rule_list.count()
        target = next((i for i in range(rows) if self.rule_list.item(i).data(ENTRY) is select),
                      0 if rows else -1)
        self.rule_list.setCurrentRow(target)
        if rows == 0:
            self.editor.set_rule(None)

    def _label(self, item: QListWidgetItem, entry: Entry) -> None:
        flags = item.flags() | Qt.ItemFlag.ItemIsDragEnabled
        if isinstance(entry, Opaque):
            item.setText(self.tr("Kept as written: {code}").format(code=entry.summary))
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsUserCheckable)
            return
        name = entry.name or self.tr("(no name)")
        item.setText(f"{name} — {rule_text(entry)}")
        item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if entry.enabled else Qt.CheckState.Unchecked)
        item.setToolTip(self.tr("Tick to enable, untick to disable this rule."))

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        entry = item.data(ENTRY) if item is not None else None
        if isinstance(entry, Rule):
            self.editor.set_rule(entry, self.tr(
                "This is the automatic reply; edit its text on the Vacation page.")
                if entry.is_vacation else "")
        else:
            self.editor.set_rule(None, self.tr(
                "qtmail cannot edit this part of the script. It stays exactly as it is, in "
                "its place; you can change it in the Script tab.") if entry else "")

    # -- editing -------------------------------------------------------------------
    def _replace(self, item: QListWidgetItem, new: Rule) -> None:
        old = item.data(ENTRY)
        if self._document is None or old is None:
            return
        self._document.replace_entry(old, new)
        self._filling = True
        item.setData(ENTRY, new)
        self._label(item, new)
        self._filling = False

    def _rule_edited(self, rule: Rule) -> None:
        item = self.rule_list.currentItem()
        if item is not None and isinstance(item.data(ENTRY), Rule):
            self._replace(item, rule)
            self._unsaved()

    def _unsaved(self) -> None:
        self.status.setText(self.tr("Changes not saved yet."))

    def _checked(self, item: QListWidgetItem) -> None:
        entry = item.data(ENTRY)
        if self._filling or not isinstance(entry, Rule):
            return
        enabled = item.checkState() == Qt.CheckState.Checked
        if enabled != entry.enabled:
            self._replace(item, replace(entry, enabled=enabled))
            self._unsaved()
            if item is self.rule_list.currentItem():
                self._selected(item)

    def _vacation_edited(self, rule: Rule) -> None:
        if self._document is None:
            return
        old = self._document.vacation
        self._document.set_vacation(rule)
        self._fill_list(select=self._current_entry() if old is not None else rule)
        self._unsaved()

    def _current_entry(self) -> Entry | None:
        item = self.rule_list.currentItem()
        entry = item.data(ENTRY) if item is not None else None
        return entry if isinstance(entry, Rule | Opaque) else None

    def _new_rule(self) -> None:
        if self._document is None:
            return
        rule = Rule(name=self.tr("New rule"),
                    conditions=(Condition("address", names=("from",), values=("",)),),
                    actions=(Action("fileinto", "", create=self.editor.can_create),))
        self._document.add_rule(rule)
        self._fill(select=rule)
        self._unsaved()
        self.editor.name.setFocus()
        self.editor.name.selectAll()

    def add_prefilled(self, rule: Rule) -> None:
        """A new rule made from a message: shown selected, the folder still to choose."""
        if self._document is None:
            return
        if rule.actions and rule.actions[0].kind == "fileinto":
            rule = replace(rule, actions=(replace(rule.actions[0],
                                                  create=self.editor.can_create),
                                          *rule.actions[1:]))
        self._document.add_rule(rule)
        self._fill(select=rule)
        self._unsaved()

    def _delete_rule(self) -> None:
        entry = self._current_entry()
        if self._document is None or entry is None:
            return
        self._document.remove_entry(entry)
        self._fill()
        self._unsaved()

    def _move(self, step: int) -> None:
        row = self.rule_list.currentRow()
        target = row + step
        if self._document is None or row < 0 or not 0 <= target < self.rule_list.count():
            return
        entries = self._document.entries
        entries[row], entries[target] = entries[target], entries[row]
        self._fill(select=entries[target])
        self._unsaved()

    def _reordered(self, *_: object) -> None:
        """A drag in the list: the script's order follows the list's."""
        if self._document is None:
            return
        self._document.entries = [self.rule_list.item(i).data(ENTRY)
                                  for i in range(self.rule_list.count())]
        self._unsaved()

    def _choose_folder(self) -> str | None:
        picker = FolderPicker(self.tr("Choose a folder"), self._folders(), "", self)
        return picker.chosen() if picker.exec() == QDialog.DialogCode.Accepted else None

    # -- the raw script ------------------------------------------------------------
    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.script_view and self._document is not None:
            if not self.script_view.editor.document().isModified():
                self.script_view.set_text(self._document.render())
        elif self.script_view.editor.document().isModified():
            self._take_raw()

    def _take_raw(self) -> bool:
        """The Script tab's text becomes the rules (when qtmail can read it)."""
        text = self.script_view.text(self._newline())
        try:
            document = SieveDocument.parse(text)
        except SieveSyntaxError:
            self.status.setText(self.tr(
                "qtmail cannot read the script as written; save it to let the server check "
                "it, or correct it in the Script tab."))
            return False
        self._document = document
        self.script_view.editor.document().setModified(False)
        self._fill()
        return True

    def _text_to_save(self) -> str | None:
        if self.script_view.editor.document().isModified():
            return self.script_view.text(self._newline())
        if self._document is None:
            return None
        return self._document.render()
