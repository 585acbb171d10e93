"""Tools > Rules… in the main window (kept out of main_window.py: one call installs it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction

from qtmail.qt.widgets.rules.rules_dialog import RulesDialog
from qtmail.sieve.rules import Action, Condition, Rule

if TYPE_CHECKING:
    from qtmail.qt.widgets.main_window import MainWindow


def install_rules_menu(window: MainWindow) -> QAction:
    menu = window.menuBar().addMenu(QCoreApplication.translate("MainWindow", "&Tools"))
    action = QAction(QCoreApplication.translate("MainWindow", "&Rules…"), window)
    action.setObjectName("rulesAction")
    action.setToolTip(QCoreApplication.translate(
        "MainWindow", "Filter rules the server runs on new mail, and the automatic reply"))
    action.triggered.connect(lambda: open_rules(window))
    menu.addAction(action)
    from_message = QAction(QCoreApplication.translate(
        "MainWindow", "Create Rule from This &Message…"), window)
    from_message.setObjectName("ruleFromMessageAction")
    from_message.triggered.connect(lambda: rule_from_message(window))
    menu.addAction(from_message)
    return action


def rule_from_message(window: MainWindow) -> RulesDialog | None:
    """A new rule for the selected message's sender, its subject to hand in the name."""
    chosen = window.lists.selected_summaries()
    if not chosen or not chosen[0].sender.addr:
        return open_rules(window)
    message = chosen[0]
    rule = Rule(name=message.sender.addr,
                conditions=(Condition("address", names=("from",), match=":is",
                                      values=(message.sender.addr,)),),
                actions=(Action("fileinto", ""),))
    return open_rules(window, prefill=rule)


def open_rules(window: MainWindow, prefill: Rule | None = None) -> RulesDialog | None:
    """The rules of the account shown (or the first account)."""
    current = window.current_folder()
    accounts = window.accounts()
    account = current[0] if current and current[0] else (accounts[0] if accounts else None)
    client = window.client(account) if account else None
    if account is None or client is None:
        return None
    for open_one in window.findChildren(RulesDialog):
        if open_one.isVisible() and open_one.account == account:
            open_one.raise_()
            open_one.activateWindow()
            if prefill is not None:
                open_one.add_prefilled(prefill)
            return open_one
    reader = window.reader(account)
    dialog = RulesDialog(account, client.peer_spec.settings.email, client.send,
                         lambda: reader.folders() if reader is not None else [], window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    client.event.connect(dialog.on_event)
    dialog.finished.connect(lambda _code: client.event.disconnect(dialog.on_event))
    dialog.prefill = prefill
    dialog.show()
    dialog.load()
    return dialog
