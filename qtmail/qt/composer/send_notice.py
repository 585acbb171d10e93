"""SendNotice: the status bar's word on the message just sent ("Sending in 5 s. Undo"),
and the user's choice when sending failed (Retry; after a connection lost during
sending, "Send Again" or "Discard": RELIABILITY.md I.65, never resent silently)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from qtmail.core.commands import CancelSend, DiscardOutgoing, ResendMail
from qtmail.core.events import OutgoingItem
from qtmail.qt.error_text import error_text

SENT_SHOWN_MS = 8000
"""How long "Message sent." stays."""


@dataclass
class _Sending:
    account: str
    draft_id: str
    subject: str
    deadline: float
    """time.monotonic() when the Undo-send delay is over."""
    outbox_id: int = 0
    undo_wanted: bool = False


class SendNotice(QWidget):
    """objectName ``sendNotice``. Signals: ``command(str account, object command)``:
    CancelSend, ResendMail or DiscardOutgoing for the account's worker."""

    command = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendNotice")
        self.setAccessibleName(self.tr("Sending"))
        self.label = QLabel(self)
        self.label.setObjectName("sendNoticeLabel")
        self.undo_button = self._button("undoSendButton", self.tr("Undo"),
                                        self.tr("Do not send the message, and reopen it"))
        self.retry_button = self._button("retrySendButton", self.tr("Retry"),
                                         self.tr("Try sending the message again"))
        self.again_button = self._button(
            "sendAgainButton", self.tr("Send Again"),
            self.tr("Send the message again, even if it may already have arrived"))
        self.discard_button = self._button(
            "discardOutgoingButton", self.tr("Discard"),
            self.tr("Remove the message from the Outbox without sending it again"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        for widget in (self.label, self.undo_button, self.retry_button, self.again_button,
                       self.discard_button):
            layout.addWidget(widget)
        self.undo_button.clicked.connect(self.undo)
        self.retry_button.clicked.connect(self._resend)
        self.again_button.clicked.connect(self._resend)
        self.discard_button.clicked.connect(self._discard)
        self._sending: _Sending | None = None
        self._failed: tuple[str, int] | None = None
        self._seen: dict[str, set[int]] = {}
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_countdown)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)
        self._show_buttons()
        self.hide()

    def _button(self, name: str, text: str, description: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(description)
        button.setToolTip(description)
        return button

    def _show_buttons(self, *, undo: bool = False, retry: bool = False,
                      decide: bool = False) -> None:
        self.undo_button.setVisible(undo)
        self.retry_button.setVisible(retry)
        self.again_button.setVisible(decide)
        self.discard_button.setVisible(decide)

    def _say(self, text: str, *, passing: bool = False) -> None:
        self.label.setText(text)
        self.show()
        if passing:
            self._hide_timer.start(SENT_SHOWN_MS)
        else:
            self._hide_timer.stop()

    # -- what the window tells it ----------------------------------------------------------
    def sending(self, account: str, draft_id: str, subject: str, seconds: float) -> None:
        """A composer just handed its message over (SendMail)."""
        self._failed = None
        self._sending = _Sending(account, draft_id, subject, time.monotonic() + seconds)
        self._update_countdown()
        if seconds > 0:
            self._tick.start()

    @Slot()
    def _update_countdown(self) -> None:
        sending = self._sending
        if sending is None:
            self._tick.stop()
            return
        left = sending.deadline - time.monotonic()
        if left > 0 and not sending.undo_wanted:
            self._say(self.tr("Sending in %1 s.").replace("%1", str(int(left + 0.999))))
            self._show_buttons(undo=True)
        else:
            self._tick.stop()
            text = (self.tr("Taking the message back…") if sending.undo_wanted
                    else self.tr("Sending the message…"))
            self._say(text)
            self._show_buttons()

    def outbox_changed(self, account: str, items: tuple[OutgoingItem, ...]) -> None:
        seen = self._seen.setdefault(account, set())
        sending = self._sending
        if sending is not None and sending.account == account and not sending.outbox_id:
            mine = [i.outbox_id for i in items if i.draft_id and i.draft_id == sending.draft_id]
            # Without draft ids (an older worker): the first id not seen before.
            new = [] if any(i.draft_id for i in items) else [
                i.outbox_id for i in items if i.outbox_id not in seen]
            found = mine or new
            if found:
                sending.outbox_id = found[0]
                if sending.undo_wanted:
                    self.command.emit(account, CancelSend(sending.outbox_id))
        seen.update(i.outbox_id for i in items)

    @Slot()
    def undo(self) -> None:
        sending = self._sending
        if sending is None:
            return
        sending.undo_wanted = True
        if sending.outbox_id:
            self.command.emit(sending.account, CancelSend(sending.outbox_id))
        self._update_countdown()

    def _is_current(self, account: str, outbox_id: int) -> bool:
        s = self._sending
        return s is not None and s.account == account and s.outbox_id == outbox_id

    def cancelled(self, account: str, outbox_id: int, *, refused: bool = False) -> str:
        """Undo send worked, or the message was refused (``refused``: the reason is
        already said, and the composer that reopens shows it too); the draft id of the
        message, when it is the current one."""
        sending = self._sending
        if self._is_current(account, outbox_id) or outbox_id == 0:
            self._sending = None
            self._tick.stop()
            self._show_buttons()
            if not refused:
                self._say(self.tr("Not sent: the message is open again."), passing=True)
        return sending.draft_id if sending is not None and sending.outbox_id == outbox_id \
            and sending.account == account else ""

    def mail_sent(self, account: str, outbox_id: int, subject: str, problem: str) -> None:
        if self._is_current(account, outbox_id):
            self._sending = None
            self._tick.stop()
        if self._failed == (account, outbox_id):
            self._failed = None
        self._show_buttons()
        text = self.tr("Message “%1” sent.").replace("%1", subject) if subject \
            else self.tr("Message sent.")
        self._say(f"{text} {error_text(problem)}".strip(), passing=True)

    def send_failed(self, account: str, outbox_id: int, message: str,
                    maybe_sent: bool) -> None:
        message = error_text(message)
        if self._is_current(account, outbox_id):
            self._sending = None
            self._tick.stop()
        if not outbox_id:  # refused before it entered the Outbox: the composer reopens
            self._show_buttons()
            self._say(message, passing=True)
            return
        self._failed = (account, outbox_id)
        if maybe_sent:
            message = self.tr("%1 The message may have been sent. Send it again?").replace(
                "%1", message)
        self._say(message)
        self._show_buttons(retry=not maybe_sent, decide=maybe_sent)

    # -- the user's decision ---------------------------------------------------------------
    @Slot()
    def _resend(self) -> None:
        if self._failed is not None:
            account, outbox_id = self._failed
            self._failed = None
            self.command.emit(account, ResendMail(outbox_id))
            self._show_buttons()
            self._say(self.tr("Sending the message…"))

    @Slot()
    def _discard(self) -> None:
        if self._failed is not None:
            account, outbox_id = self._failed
            self._failed = None
            self.command.emit(account, DiscardOutgoing(outbox_id))
            self._show_buttons()
            self._say(self.tr("The message was removed from the Outbox."), passing=True)
