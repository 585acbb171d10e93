"""One condition or one action of a rule, as a row of widgets.

A row keeps the Condition/Action it was made from and changes only what the user
changed (``replace``), so details the row does not show (a comparator, an address
part, ``setflag`` instead of ``addflag``) survive and an untouched rule stays equal to
what was read, which is what keeps its original text (qtmail.sieve.script).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from qtmail.qt.widgets.rules.describe import FIELD_KEYS, MATCH_KEYS, field_label, match_label
from qtmail.sieve.rules import Action, Condition
from qtmail.sieve.syntax import SieveSyntaxError, tokenize

_ADDRESS = {"from": ("from",), "to": ("to",), "cc": ("cc",), "recipient": ("to", "cc")}
_HEADER = {"subject": ("subject",), "list-id": ("list-id",)}


def _size(text: str) -> int | None:
    """'100', '10K', '5M' (RFC 5228 2.4.1); None when it is not a size."""
    try:
        tokens = [t for t in tokenize(text.strip()) if t.kind != "ws"]
    except SieveSyntaxError:
        return None
    if len(tokens) != 1 or tokens[0].kind != "number":
        return None
    scale = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(tokens[0].text[-1].upper(), 1)
    return int(tokens[0].text.rstrip("KkMmGg")) * scale


class ConditionRow(QWidget):
    changed = Signal()
    removed = Signal(object)

    def __init__(self, condition: Condition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = condition
        self.negate = QCheckBox(self.tr("not"), self)
        self.field = QComboBox(self)
        self.field.setAccessibleName(self.tr("Condition field"))
        for key in FIELD_KEYS:
            self.field.addItem(field_label(key), key)
        self.header = QLineEdit(self)
        self.header.setPlaceholderText(self.tr("Header name"))
        self.match = QComboBox(self)
        self.match.setAccessibleName(self.tr("Comparison"))
        for key in MATCH_KEYS:
            self.match.addItem(match_label(key), key)
        self.value = QLineEdit(self)
        self.value.setAccessibleName(self.tr("Value"))
        self.value.setPlaceholderText(self.tr("Text; several separated by commas"))
        remove = QPushButton(self.tr("Remove"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.negate, self.field, self.header, self.match, self.value, remove):
            layout.addWidget(widget)
        layout.setStretch(4, 1)
        self._show(condition)
        for signal in (self.field.currentIndexChanged, self.match.currentIndexChanged,
                       self.negate.toggled):
            signal.connect(self._edited)
        self.header.textEdited.connect(self._edited)
        self.value.textEdited.connect(self._edited)
        remove.clicked.connect(lambda: self.removed.emit(self))

    def _show(self, c: Condition) -> None:
        key = "size-over" if c.match == ":over" else "size-under" if c.kind == "size" \
            else c.field
        self.field.setCurrentIndex(max(0, FIELD_KEYS.index(key) if key in FIELD_KEYS else 0))
        self.header.setText(", ".join(c.names) if c.field == "header" else "")
        self.match.setCurrentIndex(MATCH_KEYS.index(c.match) if c.match in MATCH_KEYS else
                                   MATCH_KEYS.index(":is"))  # RFC 5228 2.7.1: the default
        self._shown_match = str(self.match.currentData())
        self.value.setText(str(c.size) if c.kind == "size" else ", ".join(c.values))
        self.negate.setChecked(c.negated)
        self._visibility()

    def _visibility(self) -> None:
        key = self.field.currentData()
        self.header.setVisible(key == "header")
        self.match.setVisible(not str(key).startswith("size"))

    def _edited(self) -> None:
        self._visibility()
        self.changed.emit()

    def condition(self) -> Condition | None:
        """What the row says now; None while it is incomplete."""
        key = str(self.field.currentData())
        base = self.base
        match = str(self.match.currentData())
        if match == self._shown_match:
            match = base.match  # untouched: keep what was written, even an implicit :is
        text = self.value.text()
        if key.startswith("size"):
            size = _size(text)
            if size is None:
                return None
            made = Condition("size", match=":over" if key == "size-over" else ":under",
                             size=size, negated=self.negate.isChecked())
            return base if made == replace(base, negated=made.negated) and \
                base.kind == "size" else made
        old_text = ", ".join(base.values)
        values = base.values if text == old_text else tuple(
            v.strip() for v in text.split(",") if v.strip())
        if not values:
            return None
        negated = self.negate.isChecked()
        if key == base.field and (key != "header"
                                  or self.header.text() == ", ".join(base.names)):
            return replace(base, match=match, values=values, negated=negated)
        if key in _ADDRESS:
            return Condition("address", names=_ADDRESS[key], match=match, values=values,
                             negated=negated)
        if key in _HEADER:
            return Condition("header", names=_HEADER[key], match=match, values=values,
                             negated=negated)
        if key == "body":
            return Condition("body", match=match, values=values, negated=negated)
        names = tuple(n.strip() for n in self.header.text().split(",") if n.strip())
        if not names:
            return None
        return Condition("header", names=names, match=match, values=values, negated=negated)


ACTION_KEYS = ("move", "copy", "read", "flag", "keyword", "forward", "redirect", "discard",
               "stop", "keep", "other")


def action_key(action: Action) -> str:
    if action.kind == "fileinto":
        return "copy" if action.copy else "move"
    if action.kind in ("addflag", "setflag"):
        lowered = action.argument.lower()
        return "read" if lowered == "\\seen" else "flag" if lowered == "\\flagged" \
            else "keyword"
    if action.kind == "redirect":
        return "forward" if action.copy else "redirect"
    return action.kind if action.kind in ("discard", "stop", "keep") else "other"


class ActionRow(QWidget):
    changed = Signal()
    removed = Signal(object)

    def __init__(self, action: Action, choose_folder: Callable[[], str | None],
                 can_create: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = action
        self._choose_folder = choose_folder
        self._can_create = can_create
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Action"))
        labels = {"move": self.tr("Move to folder"), "copy": self.tr("Copy to folder"),
                  "read": self.tr("Mark as read"), "flag": self.tr("Flag"),
                  "keyword": self.tr("Add keyword"),
                  "forward": self.tr("Forward a copy to"),
                  "redirect": self.tr("Redirect to"), "discard": self.tr("Delete"),
                  "stop": self.tr("Stop processing rules"), "keep": self.tr("Keep in Inbox"),
                  "other": self.tr("(other action, kept as it is)")}
        for key in ACTION_KEYS:
            self.kind.addItem(labels[key], key)
        self.argument = QLineEdit(self)
        self.argument.setAccessibleName(self.tr("Action argument"))
        self.choose = QPushButton(self.tr("Choose…"), self)
        self.choose.setAccessibleName(self.tr("Choose folder"))
        remove = QPushButton(self.tr("Remove"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.argument, self.choose, remove):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        key = action_key(action)
        self.kind.setCurrentIndex(ACTION_KEYS.index(key))
        self.argument.setText(action.argument if key in (
            "move", "copy", "keyword", "forward", "redirect") else "")
        self._visibility()
        self.kind.currentIndexChanged.connect(self._edited)
        self.argument.textEdited.connect(self._edited)
        self.choose.clicked.connect(self._pick)
        remove.clicked.connect(lambda: self.removed.emit(self))

    def _visibility(self) -> None:
        key = self.kind.currentData()
        self.argument.setVisible(key in ("move", "copy", "keyword", "forward", "redirect"))
        self.choose.setVisible(key in ("move", "copy"))
        self.kind.setEnabled(key != "other")

    def _pick(self) -> None:
        folder = self._choose_folder()
        if folder:
            self.argument.setText(folder)
            self.changed.emit()

    def _edited(self) -> None:
        self._visibility()
        self.changed.emit()

    def action(self) -> Action | None:
        key = str(self.kind.currentData())
        base = self.base
        argument = self.argument.text().strip()
        if key == action_key(base) and (key not in (
                "move", "copy", "keyword", "forward", "redirect") or argument == base.argument):
            return base
        if key in ("move", "copy"):
            if not argument:
                return None
            create = base.create if base.kind == "fileinto" else self._can_create
            return Action("fileinto", argument, copy=key == "copy", create=create)
        if key in ("forward", "redirect"):
            return Action("redirect", argument, copy=key == "forward") if argument else None
        if key == "keyword":
            return Action("addflag", argument) if argument and " " not in argument else None
        if key in ("read", "flag"):
            return Action("addflag", "\\Seen" if key == "read" else "\\Flagged")
        return Action(key) if key in ("discard", "stop", "keep") else base
