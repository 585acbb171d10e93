"""ReadingController: follows the current message, asks the account's worker for it,
shows it in the message view and marks it read after a delay (issue 12: it takes the
directory and the view, nothing else)."""

from __future__ import annotations

import logging
from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from qtmail.core.commands import SetFlags
from qtmail.core.errors import ServiceStatus
from qtmail.core.events import BodyFailed, Event, StatusChanged
from qtmail.core.types import SEEN, MessageRef, MessageSummary
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.events import MessageParsed
from qtmail.qt.widgets.reading import MessageViewLike

log = logging.getLogger(__name__)


class ReadingController(QObject):
    """Follows the current message: one request at a time, stale answers dropped,
    \\Seen set through the operations queue after ``delay_ms`` (-1: never).

    Signals: ``shown(MessageRef)`` once a body is on screen; ``failed(str)``.
    """

    shown = Signal(object)
    failed = Signal(str)

    def __init__(self, directory: AccountDirectory, view: QWidget, delay_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self._view = cast(MessageViewLike, view)
        self.delay_ms = delay_ms
        self._ref: MessageRef | None = None
        self._request: tuple[str, int] | None = None
        self._unread = False
        self._waiting = False
        """The current message could not be downloaded (offline): asked again on reconnect."""
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
        self._waiting = False
        self._ref, self._unread = ref, unread
        if ref is None:
            self._request = None
            self._view.clear()
            return
        request_id = self._send_open(ref)
        self._request = None if request_id is None else (ref.account, request_id)

    def _send_open(self, ref: MessageRef) -> int | None:
        client = self._directory.client(ref.account)
        if client is None or not client.running:
            return None
        return client.open_message(ref.folder, ref.uid)

    def apply(self, event: Event) -> None:
        if isinstance(event, StatusChanged):
            self._status(event)
            return
        if not isinstance(event, MessageParsed | BodyFailed) or self._request is None \
                or (event.account, event.request_id) != self._request:
            return  # another account's, or a stale answer (the user moved on)
        self._request = None
        if isinstance(event, BodyFailed):
            if event.offline and self._ref is not None:
                # Issue 13 item 8: say what is true, with the headers the cache has; the
                # body is asked for again when the account is back (see _status).
                self._waiting = True
                self._view.show_unavailable(self._summary(self._ref), self.tr(
                    "This message has not been downloaded yet; it will be when the "
                    "server can be reached."))
                return
            self._view.clear()
            self.failed.emit(event.message)
            return
        self._view.show_message(event.parsed, self._ref, event.html)
        self.shown.emit(self._ref)
        if self._unread and self.delay_ms >= 0:
            self._timer.start(self.delay_ms)

    def _status(self, event: StatusChanged) -> None:
        ref = self._ref
        if self._waiting and ref is not None and event.account == ref.account \
                and event.status is ServiceStatus.CONNECTED:
            self._waiting = False
            request_id = self._send_open(ref)
            self._request = None if request_id is None else (ref.account, request_id)

    def _summary(self, ref: MessageRef) -> MessageSummary | None:
        reader = self._directory.reader(ref.account)
        return None if reader is None else reader.summary(ref.folder, ref.uid)

    def _mark_read(self) -> None:
        ref = self._ref
        if ref is None or not self._unread:
            return
        self._unread = False
        self._directory.send(ref.account, SetFlags(ref.folder, (ref.uid,), add=frozenset({SEEN}),
                                                    automatic=True))

    def forget(self) -> None:
        """The folder changed: drop the current message and any answer on its way."""
        self.open(None, False)
