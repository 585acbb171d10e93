"""The Vacation page: one automatic reply (RFC 5230), with optional start and end dates
(RFC 5260 ``currentdate``)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from qtmail.sieve.rules import Action, Condition, Rule, Vacation


class VacationPage(QWidget):
    """``changed(Rule)``: the vacation rule as the page says now."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vacationPage")
        self._rule: Rule | None = None
        self._loading = False
        self.enabled = QCheckBox(self.tr("Send an automatic reply to messages I receive"), self)
        self.enabled.setObjectName("vacationEnabled")
        self.use_start = QCheckBox(self.tr("Starting on"), self)
        self.start = QDateEdit(self)
        self.use_end = QCheckBox(self.tr("Ending on"), self)
        self.end = QDateEdit(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
        self.subject = QLineEdit(self)
        self.subject.setObjectName("vacationSubject")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("vacationText")
        self.days = QSpinBox(self)
        self.days.setRange(1, 365)
        self.days.setValue(7)
        self.days.setSuffix(self.tr(" days"))
        self.addresses = QLineEdit(self)
        self.addresses.setObjectName("vacationAddresses")
        self.default_note = self.tr(
            "The server sends the reply, also while this computer is off. Each sender gets "
            "it at most once in the interval set above; mailing lists and automatic messages "
            "get none.")
        self.note = QLabel(self.default_note, self)
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.use_start, self.start)
        form.addRow(self.use_end, self.end)
        form.addRow(self.tr("Subject:"), self.subject)
        form.addRow(self.tr("Message:"), self.text)
        form.addRow(self.tr("Reply to the same sender again after:"), self.days)
        form.addRow(self.tr("My addresses (comma-separated):"), self.addresses)
        form.addRow(self.note)
        for box in (self.enabled, self.use_start, self.use_end):
            box.toggled.connect(self._edited)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._edited)
        self.subject.textEdited.connect(self._edited)
        self.addresses.textEdited.connect(self._edited)
        self.text.textChanged.connect(self._edited)
        self.days.valueChanged.connect(self._edited)

    def set_rule(self, rule: Rule | None, default_address: str) -> None:
        self._loading = True
        self._rule = rule
        vacation = next((a.vacation for a in rule.actions if a.vacation), None) if rule \
            else None
        self.enabled.setChecked(bool(rule and rule.enabled))
        dates = {c.match: c.values[0] for c in (rule.conditions if rule else ())
                 if c.kind == "currentdate"}
        for box, edit, key in ((self.use_start, self.start, "ge"),
                               (self.use_end, self.end, "le")):
            box.setChecked(key in dates)
            if key in dates:
                edit.setDate(QDate.fromString(dates[key], "yyyy-MM-dd"))
        self.subject.setText(vacation.subject if vacation else "")
        self.text.setPlainText(vacation.text if vacation else "")
        self.days.setValue(vacation.days if vacation and vacation.days else 7)
        self.addresses.setText(", ".join(vacation.addresses) if vacation and
                               vacation.addresses else default_address)
        self._loading = False

    def current(self) -> Rule:
        conditions = []
        if self.use_start.isChecked():
            conditions.append(Condition("currentdate", match="ge",
                                        values=(self.start.date().toString("yyyy-MM-dd"),)))
        if self.use_end.isChecked():
            conditions.append(Condition("currentdate", match="le",
                                        values=(self.end.date().toString("yyyy-MM-dd"),)))
        old = self._rule
        previous = next((a.vacation for a in old.actions if a.vacation), None) if old else None
        vacation = Vacation(
            text=self.text.toPlainText(), subject=self.subject.text(), days=self.days.value(),
            addresses=tuple(a.strip() for a in self.addresses.text().split(",") if a.strip()),
            sender=previous.sender if previous else "")
        if previous is not None and vacation == replace(previous, days=vacation.days) and \
                previous.days == 0 and self.days.value() == 7:
            vacation = previous  # the server's default stays the default
        made = Rule(name="Vacation", conditions=tuple(conditions),
                    actions=(Action("vacation", vacation=vacation),),
                    enabled=self.enabled.isChecked())
        if old is not None:
            # Other tests and actions of the rule (a Subject test, a stop) stay.
            others = tuple(c for c in old.conditions if c.kind != "currentdate")
            actions = tuple(made.actions[0] if a.kind == "vacation" else a for a in old.actions)
            made = replace(old, conditions=others + made.conditions, actions=actions,
                           enabled=made.enabled)
        return made

    def _edited(self, *_: object) -> None:
        if not self._loading:
            rule = self.current()
            self._rule = rule
            self.changed.emit(rule)
