"""The right-hand side of the rule editor: one rule's name, conditions and actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qtmail.qt.widgets.rules.rows import ActionRow, ConditionRow
from qtmail.sieve.rules import Action, Condition, Rule


class RuleEditor(QWidget):
    """Shows one ``Rule``; ``changed(Rule)`` whenever the user edits it (complete rows)."""

    changed = Signal(object)

    def __init__(self, choose_folder: Callable[[], str | None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("ruleEditor")
        self._choose_folder = choose_folder
        self._rule: Rule | None = None
        self._loading = False
        self.can_create = True
        self.name = QLineEdit(self)
        self.name.setObjectName("ruleName")
        self.mode = QComboBox(self)
        self.mode.setObjectName("ruleMatchMode")
        self.mode.addItem(self.tr("all of the conditions"), False)
        self.mode.addItem(self.tr("any of the conditions"), True)
        form = QFormLayout()
        form.addRow(self.tr("Rule name:"), self.name)
        form.addRow(self.tr("Applies when the message matches:"), self.mode)
        self.conditions_box = QGroupBox(self.tr("Conditions (none: every message)"), self)
        self.condition_rows = QVBoxLayout(self.conditions_box)
        self.add_condition = QPushButton(self.tr("Add condition"), self)
        self.add_condition.setObjectName("addCondition")
        self.actions_box = QGroupBox(self.tr("Actions"), self)
        self.action_rows = QVBoxLayout(self.actions_box)
        self.add_action = QPushButton(self.tr("Add action"), self)
        self.add_action.setObjectName("addAction")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.conditions_box)
        row = QHBoxLayout()
        row.addWidget(self.add_condition)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.actions_box)
        row = QHBoxLayout()
        row.addWidget(self.add_action)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addStretch()
        self.name.textEdited.connect(self._edited)
        self.mode.currentIndexChanged.connect(self._edited)
        self.add_condition.clicked.connect(self._new_condition)
        self.add_action.clicked.connect(self._new_action)
        self.set_rule(None)

    # -- showing -------------------------------------------------------------------
    def set_rule(self, rule: Rule | None, note: str = "") -> None:
        self._loading = True
        self._rule = rule
        for rows in (self.condition_rows, self.action_rows):
            while rows.count():
                item = rows.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.deleteLater()
        editable = rule is not None
        for widget in (self.name, self.mode, self.conditions_box, self.actions_box,
                       self.add_condition, self.add_action):
            widget.setEnabled(editable)
        self.hint.setText(note)
        if rule is not None:
            self.name.setText(rule.name)
            self.mode.setCurrentIndex(1 if rule.any_of else 0)
            for condition in rule.conditions:
                self._add_condition_row(condition)
            for action in rule.actions:
                self._add_action_row(action)
        else:
            self.name.clear()
        self._loading = False

    def _add_condition_row(self, condition: Condition) -> ConditionRow:
        row = ConditionRow(condition, self.conditions_box)
        row.changed.connect(self._edited)
        row.removed.connect(self._remove_row)
        self.condition_rows.addWidget(row)
        row.show()  # at once, not at the layout's queued show: it gets the focus next
        return row

    def _add_action_row(self, action: Action) -> ActionRow:
        row = ActionRow(action, self._choose_folder, self.can_create, self.actions_box)
        row.changed.connect(self._edited)
        row.removed.connect(self._remove_row)
        self.action_rows.addWidget(row)
        row.show()
        return row

    def _new_condition(self) -> None:
        row = self._add_condition_row(Condition("address", names=("from",)))
        row.value.setFocus()

    def _new_action(self) -> None:
        row = self._add_action_row(Action("fileinto", "", create=self.can_create))
        row.argument.setFocus()

    def _remove_row(self, row: QWidget) -> None:
        row.setParent(None)
        row.deleteLater()
        self._edited()

    # -- reading back --------------------------------------------------------------
    def _rows(self, layout: QVBoxLayout) -> list[QWidget]:
        found = []
        for index in range(layout.count()):
            item = layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget.parent() is not None:
                found.append(widget)
        return found

    def current(self) -> Rule | None:
        """The rule as the rows say now; None while a row is incomplete."""
        if self._rule is None:
            return None
        conditions = [r.condition() for r in self._rows(self.condition_rows)
                      if isinstance(r, ConditionRow)]
        actions = [r.action() for r in self._rows(self.action_rows) if isinstance(r, ActionRow)]
        if any(c is None for c in conditions) or any(a is None for a in actions) or \
                not actions:
            return None
        return replace(self._rule, name=self.name.text().strip(),
                       any_of=bool(self.mode.currentData()),
                       conditions=tuple(c for c in conditions if c is not None),
                       actions=tuple(a for a in actions if a is not None))

    def _edited(self, *_: object) -> None:
        if self._loading:
            return
        rule = self.current()
        if rule is not None:
            self._rule = rule
            self.changed.emit(rule)
