"""Reading a message: ask the worker for it, show it, mark it read after a delay.

The message view itself is another module (``message_view.MessageView``); until it is
there, PlainMessageView stands in with the same interface (``show_message(parsed,
ref)``, ``clear()``) and shows headers and the plain text.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Protocol, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from qtmail.core.commands import SetFlags
from qtmail.core.events import BodyFailed, Event
from qtmail.core.types import SEEN, MessageRef
from qtmail.mime.parse import ParsedMessage
from qtmail.mime.render import escape_display, format_address, format_date
from qtmail.qt.events import MessageParsed
from qtmail.qt.prepared_html import PreparedHtml

log = logging.getLogger(__name__)


class MessageViewLike(Protocol):
    def show_message(self, parsed: ParsedMessage, ref: MessageRef | None,
                     prepared: PreparedHtml | None = None) -> None: ...

    def clear(self) -> None: ...


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
                 self.tr("Date: %1").replace("%1", format_date(parsed.date)),
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


class ReadingController(QObject):
    """Follows the current message: one request at a time, stale answers dropped,
    \\Seen set through the operations queue after ``delay_ms`` (-1: never).

    Signals: ``shown(MessageRef)`` once a body is on screen; ``failed(str)``.
    """

    shown = Signal(object)
    failed = Signal(str)

    def __init__(self, view: QWidget, send_open: Callable[[MessageRef], int | None],
                 send_command: Callable[[str, SetFlags], None], delay_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = cast(MessageViewLike, view)
        self._send_open = send_open
        self._send_command = send_command
        self.delay_ms = delay_ms
        self._ref: MessageRef | None = None
        self._request: tuple[str, int] | None = None
        self._unread = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._mark_read)

    @property
    def current(self) -> MessageRef | None:
        return self._ref

    def open(self, ref: MessageRef | None, unread: bool) -> None:
        if ref == self._ref:
            return
        self._timer.stop()
        self._ref, self._unread = ref, unread
        if ref is None:
            self._request = None
            self._view.clear()
            return
        request_id = self._send_open(ref)
        self._request = None if request_id is None else (ref.account, request_id)

    def apply(self, event: Event) -> None:
        if not isinstance(event, MessageParsed | BodyFailed) or self._request is None \
                or (event.account, event.request_id) != self._request:
            return  # another account's, or a stale answer (the user moved on)
        self._request = None
        if isinstance(event, BodyFailed):
            self._view.clear()
            self.failed.emit(event.message)
            return
        self._view.show_message(event.parsed, self._ref, event.html)
        self.shown.emit(self._ref)
        if self._unread and self.delay_ms >= 0:
            self._timer.start(self.delay_ms)

    def _mark_read(self) -> None:
        ref = self._ref
        if ref is None or not self._unread:
            return
        self._unread = False
        self._send_command(ref.account, SetFlags(ref.folder, (ref.uid,), add=frozenset({SEEN}),
                                                    automatic=True))

    def forget(self) -> None:
        """The folder changed: drop the current message and any answer on its way."""
        self.open(None, False)
