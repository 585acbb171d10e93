"""Tools > Rules… and Tools > Create Rule from This Message… (issue 15), installed into
the main window by one call; the window is reached through ``RulesHost`` only (no
import of main_window here: no import cycle)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from qtmail.core.types import MessageSummary

if TYPE_CHECKING:  # the dialog, the worker side and Sieve load when first needed (issue 18)
    from qtmail.qt.bridge import EngineClient
    from qtmail.qt.widgets.rules.rules_dialog import RulesDialog
    from qtmail.sieve.rules import Rule
    from qtmail.store import Store

Selection = Callable[[], list[MessageSummary]]


class RulesHost(Protocol):
    """What the rule editor needs of the main window."""

    def current_folder(self) -> tuple[str, str] | None: ...
    def accounts(self) -> list[str]: ...
    def client(self, account: str) -> EngineClient | None: ...
    def reader(self, account: str) -> Store | None: ...


def install_rules_menu(window: QMainWindow, host: RulesHost, selection: Selection
                       ) -> tuple[QAction, QAction]:
    """Tools > Rules… and Create Rule from This Message… (also on the message list's
    menu, issue 14): the two actions."""
    bar = window.menuBar()
    menu = QMenu(QCoreApplication.translate("MainWindow", "&Tools"), bar)
    menus = bar.actions()
    # Tools goes before Help, which stays last (as in every desktop application).
    if menus:
        bar.insertMenu(menus[-1], menu)
    else:
        bar.addMenu(menu)
    action = QAction(QCoreApplication.translate("MainWindow", "&Rules…"), window)
    action.setObjectName("rulesAction")
    action.setToolTip(QCoreApplication.translate(
        "MainWindow", "Filter rules the server runs on new mail, and the automatic reply"))
    action.triggered.connect(lambda: open_rules(window, host))
    menu.addAction(action)
    from_message = QAction(QCoreApplication.translate(
        "MainWindow", "Create Rule from This &Message…"), window)
    from_message.setObjectName("ruleFromMessageAction")
    from_message.triggered.connect(lambda: rule_from_message(window, host, selection))
    menu.addAction(from_message)
    return action, from_message


def rule_from_message(window: QMainWindow, host: RulesHost, selection: Selection
                      ) -> RulesDialog | None:
    """A new rule for the selected message's sender; the folder is still to choose."""
    chosen = selection()
    if not chosen or not chosen[0].sender.addr:
        return open_rules(window, host)
    sender = chosen[0].sender.addr
    from qtmail.sieve.rules import Action, Condition, Rule  # as the dialog: when used

    rule = Rule(name=sender,
                conditions=(Condition("address", names=("from",), match=":is",
                                      values=(sender,)),),
                actions=(Action("fileinto", ""),))
    return open_rules(window, host, prefill=rule)


def open_rules(window: QMainWindow, host: RulesHost, prefill: Rule | None = None
               ) -> RulesDialog | None:
    """The rules of the account shown (or the first account)."""
    from qtmail.qt.widgets.rules.rules_dialog import RulesDialog

    current = host.current_folder()
    accounts = host.accounts()
    account = current[0] if current and current[0] else (accounts[0] if accounts else None)
    client = host.client(account) if account else None
    if account is None or client is None:
        return None
    for open_one in window.findChildren(RulesDialog):
        if open_one.isVisible() and open_one.account == account:
            open_one.raise_()
            open_one.activateWindow()
            if prefill is not None:
                open_one.add_prefilled(prefill)
            return open_one
    reader = host.reader(account)
    dialog = RulesDialog(account, client.peer_spec.settings.email, client.send,
                         lambda: reader.folders() if reader is not None else [], window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    client.event.connect(dialog.on_event)
    dialog.finished.connect(lambda _code: client.event.disconnect(dialog.on_event))
    dialog.prefill = prefill
    dialog.show()
    dialog.load()
    return dialog
