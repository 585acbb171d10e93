"""RecipientEdit: a To/Cc/Bcc field that completes known addresses and marks bad ones.

Completion works on the address being typed (the text after the last separator), from
addresses seen in the cache, most frequent first (``qtmail.store.addresses``). Pasted
lists are split by ``compose.parse_recipients`` (commas, semicolons, line breaks;
quoted display names may hold commas and quotes: RFC 5322 3.4).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from qtmail.core.types import Address
from qtmail.smtp.compose import parse_recipients

MIN_PREFIX = 1
"""Characters typed before suggestions appear."""

_NEEDS_QUOTES = re.compile(r'[,;:"<>()@\[\]\\]|^\s|\s$')
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
INVALID_STYLE = "QLineEdit { color: #b00020; background: #fdecee; }"


def field_text(address: Address) -> str:
    """``address`` as the user would type it; a name with specials goes in quotes."""
    if not address.name:
        return address.addr
    name = address.name
    if _NEEDS_QUOTES.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address.addr}>"


def fields_text(addresses: Sequence[Address]) -> str:
    return ", ".join(field_text(a) for a in addresses)


def _fragment_start(text: str) -> int:
    """Where the address being typed begins: after the last separator outside quotes."""
    start, quoted = 0, False
    for index, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in ",;" and not quoted:
            start = index + 1
    return start


class RecipientEdit(QLineEdit):
    """One recipient field. ``addresses()`` gives (valid, invalid pieces);
    ``check()`` marks the field when a piece is not an address. No signals of its own."""

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.invalid: list[str] = []
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setObjectName(f"{name}Completer")
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        # The model is in frequency order: the popup keeps it (no sorting).
        self.completer_.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.setMaxVisibleItems(8)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self._insert_completion)
        self.textEdited.connect(self._suggest)
        self.textChanged.connect(self._text_changed)
        self.editingFinished.connect(self.check)

    # -- completion ------------------------------------------------------------------------
    def set_known(self, suggestions: Sequence[str]) -> None:
        """``suggestions`` as shown in the popup ("Name <addr>"), most frequent first."""
        self._model.setStringList(list(suggestions))

    def suggestions(self) -> list[str]:
        """What the popup offers now (for tests and screen readers)."""
        model = self.completer_.completionModel()
        return [str(model.index(row, 0).data()) for row in range(model.rowCount())]

    @Slot(str)
    def _suggest(self, text: str) -> None:
        cursor = self.cursorPosition()
        fragment = text[_fragment_start(text[:cursor]):cursor].strip()
        popup = self.completer_.popup()
        assert popup is not None  # QCompleter makes one when it has none
        if len(fragment) < MIN_PREFIX or not self._model.rowCount():
            popup.hide()
            return
        self.completer_.setCompletionPrefix(fragment)
        if self.completer_.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self.completer_.completionModel().index(0, 0))
        self.completer_.complete()

    @Slot(str)
    def _insert_completion(self, completion: str) -> None:
        text, cursor = self.text(), self.cursorPosition()
        start = _fragment_start(text[:cursor])
        end = text.find(",", cursor)
        rest = "" if end < 0 else text[end + 1:].lstrip()
        head = text[:start].rstrip()
        head = head + " " if head else ""
        new = f"{head}{completion}, "
        self.setText(new + rest)
        self.setCursorPosition(len(new))
        self.check()

    # -- validity --------------------------------------------------------------------------
    @Slot(str)
    def _text_changed(self, text: str) -> None:
        if _LINE_BREAKS.search(text):
            # A pasted column of addresses: one line, comma-separated (parse_recipients
            # splits both, but a line edit shows line breaks as nothing).
            cleaned = _LINE_BREAKS.sub(", ", text).strip(", ")
            self.setText(cleaned)
            self.check()
            return
        if self.invalid:
            self.check()  # unmark as soon as it is corrected

    def addresses(self) -> tuple[list[Address], list[str]]:
        return parse_recipients(self.text())

    def set_addresses(self, addresses: Sequence[Address]) -> None:
        self.setText(fields_text(addresses))
        self.check()

    @Slot()
    def check(self) -> bool:
        """Mark the field red when a piece is not a valid address; True when all are."""
        _valid, invalid = self.addresses()
        if invalid != self.invalid:
            self.invalid = invalid
            self.setStyleSheet(INVALID_STYLE if invalid else "")
            tip = (self.tr("Not a valid email address: %1").replace("%1", ", ".join(invalid))
                   if invalid else "")
            self.setToolTip(tip)
            self.setAccessibleDescription(tip)
        return not invalid
