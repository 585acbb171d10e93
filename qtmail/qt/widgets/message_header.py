"""The header block of the message view: From, To, Cc, Date, Subject and warnings.

RELIABILITY D: the real address is always shown beside a display name; bidi controls
and invisible characters are shown as ``<U+202E>`` markers and every untrusted field is
wrapped in a first-strong isolate so a right-to-left name cannot reorder its neighbours.
All labels are plain text (QLabel would otherwise guess rich text from "<b>").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QMenu, QVBoxLayout, QWidget

from qtmail.core.types import Address
from qtmail.mime.render import escape_display
from qtmail.mime.sender import Concern, claimed_domain, concerns, display_address
from qtmail.qt.appearance import warning_color
from qtmail.qt.models.columns import long_date_text

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import ParsedMessage

FSI, PDI = "\u2068", "\u2069"
"""Unicode bidi isolates (UAX #9 2.6): the text between them is laid out on its own."""

MAX_MENU_ADDRESSES = 20
"""Addresses offered in one field's menu (a list mail to hundreds stays usable)."""

_ADDRESS_IN_NAME = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+\.[^\s<>\"'(),;:@]+")


def isolate(text: str) -> str:
    """Untrusted text made safe to place inside a line: escaped and bidi-isolated."""
    return f"{FSI}{escape_display(text).strip()}{PDI}"


def fill(template: str, *args: str) -> str:
    """Qt-style "%1 %2" substitution in one pass (an argument holding "%2" stays as is)."""
    def one(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return args[index - 1] if 0 < index <= len(args) else match.group(0)

    return re.sub(r"%(\d)", one, template)


def address_text(address: Address) -> str:
    name, addr = address.name.strip(), display_address(address.addr.strip())
    if name and addr and name != addr:
        return f"{isolate(name)} <{isolate(addr)}>"
    if addr:
        return f"<{isolate(addr)}>" if "@" in addr else isolate(addr)
    return isolate(name) if name else ""


def name_hides_other_address(address: Address) -> str:
    """The address a display name claims when it differs from the real one, else ""."""
    claimed = {a.lower() for a in _ADDRESS_IN_NAME.findall(address.name)}
    if claimed and claimed != {address.addr.strip().lower()}:
        return str(sorted(claimed)[0])
    return ""


class MessageHeader(QFrame):
    """Read-only header fields of one message; selectable, never rich text.

    Signals (issue 14, the address menu on the right mouse button over From, To or Cc):
    ``write_to(str)`` and ``search_from(str)`` with the chosen address; Copy Address
    puts it on the clipboard here.
    """

    write_to = Signal(str)
    search_from = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageHeader")
        self.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.subject_label = self._label("headerSubject")
        font = self.subject_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.subject_label.setFont(font)
        outer.addWidget(self.subject_label)
        # A grid, not a QFormLayout: a form gave a From line wrapped in a narrow pane
        # one line's height and cut its second line off (seen under Xvfb), though its
        # heightForWidth counted both; a grid gives each row its own.
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        self.from_label = self._label("headerFrom")
        self.to_label = self._label("headerTo")
        self.cc_label = self._label("headerCc")
        self.date_label = self._label("headerDate")
        self._cc_caption = QLabel(self.tr("Cc:"), self)
        self._addresses: dict[str, tuple[Address, ...]] = {}
        for label in (self.from_label, self.to_label, self.cc_label):
            label.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            label.customContextMenuRequested.connect(
                lambda pos, shown=label: self._address_menu(shown, pos))
        rows = ((QLabel(self.tr("From:"), self), self.from_label),
                (QLabel(self.tr("To:"), self), self.to_label),
                (self._cc_caption, self.cc_label),
                (QLabel(self.tr("Date:"), self), self.date_label))
        for row, (caption, field) in enumerate(rows):
            caption.setBuddy(field)
            form.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            form.addWidget(field, row, 1)
        outer.addLayout(form)
        self.warnings_label = self._label("headerWarnings")
        outer.addWidget(self.warnings_label)
        self.clear()

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        return label

    def clear(self) -> None:
        self._addresses = {}
        for label in self._fields():
            label.clear()
        self.warnings_label.hide()
        self._set_cc_visible(False)

    def _set_cc_visible(self, visible: bool) -> None:
        self._cc_caption.setVisible(visible)
        self.cc_label.setVisible(visible)

    def _address_menu(self, label: QLabel, pos: QPoint) -> None:
        addresses = [a for a in self._addresses.get(label.objectName(), ()) if a.addr]
        menu = self.address_menu(addresses)
        if menu is None:
            return  # nothing but text: the label's own menu (Copy, Select All)
        menu.popup(label.mapToGlobal(pos))

    def address_menu(self, addresses: list[Address]) -> QMenu | None:
        """Copy Address, Write To…, Search Mail From for each address (a submenu each
        when the field holds several); None when there is none."""
        if not addresses:
            return None
        menu = QMenu(self)
        menu.setObjectName("addressMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per right click
        many = len(addresses) > 1
        for address in addresses[:MAX_MENU_ADDRESSES]:
            text = address_text(address).replace("&", "&&")  # no mnemonic from a name
            target = menu.addMenu(text) if many else menu
            if not many:
                title = target.addAction(text)
                title.setEnabled(False)
                target.addSeparator()
            addr = address.addr
            copy = target.addAction(self.tr("&Copy Address"))
            copy.triggered.connect(lambda _=False, a=addr: QGuiApplication.clipboard().setText(a))
            write = target.addAction(self.tr("&Write To…"))
            write.triggered.connect(lambda _=False, a=addr: self.write_to.emit(a))
            search = target.addAction(self.tr("&Search Mail From This Address"))
            search.triggered.connect(lambda _=False, a=addr: self.search_from.emit(a))
        return menu

    def show_message(self, parsed: ParsedMessage) -> None:
        self._addresses = {"headerFrom": (parsed.sender,), "headerTo": parsed.to,
                           "headerCc": parsed.cc}
        self.subject_label.setText(isolate(parsed.subject) if parsed.subject.strip()
                             else self.tr("(no subject)"))
        self.subject_label.setAccessibleName(self.tr("Subject"))
        self.from_label.setText(address_text(parsed.sender) or self.tr("(unknown sender)"))
        self.to_label.setText(", ".join(address_text(a) for a in parsed.to))
        self.cc_label.setText(", ".join(address_text(a) for a in parsed.cc))
        self._set_cc_visible(bool(parsed.cc))
        self.date_label.setText(long_date_text(parsed.date))
        lines = self.warning_lines(parsed)
        self.warnings_label.setStyleSheet(f"color: {warning_color()};")  # light or dark
        self.warnings_label.setText("\n".join(f"\u26a0 {line}" for line in lines))
        self.warnings_label.setVisible(bool(lines))

    def warning_lines(self, parsed: ParsedMessage) -> list[str]:
        """The parser's sentences, plus ours for a sender that is not what it seems."""
        lines = [escape_display(w) for w in parsed.warnings]
        sender = parsed.sender
        found = concerns(sender)
        claimed = name_hides_other_address(sender)
        if claimed and not any(claimed in line.lower() for line in lines):
            lines.append(fill(
                self.tr("The sender's name contains the address %1, but the message was "
                        "sent from %2."), isolate(claimed), isolate(sender.addr)))
        elif Concern.NAME_HAS_ADDRESS in found and sender.addr and not claimed:
            lines.append(fill(self.tr(
                "The sender's name contains \u201c@\u201d, as an address would; the message "
                "was sent from %1."), isolate(sender.addr)))
        if Concern.NAME_HAS_DOMAIN in found:
            lines.append(fill(self.tr(
                "The sender's name mentions %1, but the message was sent from %2."),
                isolate(claimed_domain(sender.name)), isolate(sender.addr)))
        if Concern.LOOKALIKE_DOMAIN in found:
            lines.append(fill(self.tr(
                "The sender's address %1 mixes alphabets or uses letters that imitate Latin "
                "ones; it is shown as %2 and may imitate another address."),
                isolate(sender.addr), isolate(display_address(sender.addr))))
        if Concern.INVALID_ADDRESS in found and not any("nvalid sender" in w
                                                        for w in parsed.warnings):
            lines.append(self.tr("Invalid sender: the sender's address is malformed; the "
                                 "sender may not be who it claims."))
        return lines

    def text(self) -> str:
        """Everything shown, one field a line (tests, copy, screen readers)."""
        return "\n".join(label.text() for label in self._fields() if label.text())

    def _fields(self) -> tuple[QLabel, ...]:
        return (self.subject_label, self.from_label, self.to_label, self.cc_label,
                self.date_label, self.warnings_label)
