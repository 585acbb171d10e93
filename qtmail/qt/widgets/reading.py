"""Reading a message: ask the worker for it, show it, mark it read after a delay.

The message view itself is another module (``message_view.MessageView``); until it is
there, PlainMessageView stands in with the same interface (``show_message(parsed,
ref)``, ``clear()``) and shows headers and the plain text.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from qtmail.core.types import MessageRef, MessageSummary
from qtmail.mime.render import escape_display, format_address
from qtmail.qt.models.columns import long_date_text

if TYPE_CHECKING:  # the parser loads with the first message shown (issue 18)
    from qtmail.mime.parse import ParsedMessage
    from qtmail.mime.prepared_html import PreparedHtml

log = logging.getLogger(__name__)


class MessageViewLike(Protocol):
    def show_message(self, parsed: ParsedMessage, ref: MessageRef | None,
                     prepared: PreparedHtml | None = None) -> None: ...

    def clear(self) -> None: ...

    def show_unavailable(self, summary: MessageSummary | None, text: str) -> None: ...


def unavailable_text(summary: MessageSummary | None, text: str) -> str:
    """The cached headers of a message whose body cannot be had now, then why."""
    if summary is None:
        return text
    translate = QCoreApplication.translate
    to = ", ".join(format_address(address) for address in summary.to)
    lines = [translate("MessageView", "From: %1").replace("%1", format_address(summary.sender))]
    if to:
        lines.append(translate("MessageView", "To: %1").replace("%1", to))
    lines += [translate("MessageView", "Date: %1").replace("%1", long_date_text(summary.date)),
              translate("MessageView", "Subject: %1").replace(
                  "%1", escape_display(summary.subject)), "", text]
    return "\n".join(lines)


class PlainMessageView(QPlainTextEdit):
    """Stand-in for MessageView: read-only text, nothing fetched, nothing rendered."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageView")
        self.setAccessibleName(self.tr("Message"))
        self.setReadOnly(True)
        self.ref: MessageRef | None = None

    def show_message(self, parsed: ParsedMessage, ref: MessageRef | None,
                     prepared: PreparedHtml | None = None) -> None:
        self.ref = ref
        lines = [self.tr("From: %1").replace("%1", format_address(parsed.sender)),
                 self.tr("Date: %1").replace("%1", long_date_text(parsed.date)),
                 self.tr("Subject: %1").replace("%1", escape_display(parsed.subject)), ""]
        if parsed.text_body and parsed.text_body.strip():
            lines.append(parsed.text_body)
        elif parsed.html_body:
            lines.append(self.tr("(This message is in HTML: the full view comes with the "
                                 "message view.)"))
        self.setPlainText("\n".join(lines))

    def clear(self) -> None:
        self.ref = None
        super().clear()

    def show_unavailable(self, summary: MessageSummary | None, text: str) -> None:
        self.ref = None
        self.setPlainText(unavailable_text(summary, text))


def make_message_view(parent: QWidget) -> QWidget:
    """The real MessageView when its module is there, else the stand-in."""
    try:
        module = importlib.import_module("qtmail.qt.widgets.message_view")
    except ImportError:
        return PlainMessageView(parent)
    view_class = cast(Callable[..., QWidget], module.MessageView)
    view = view_class(parent)
    view.setObjectName("messageView")
    return view
