"""The status bar: one state per account, with Retry after an error, the queue size, and
the Outbox (issue 6): what waits, what is being sent, and what failed, with a menu to
send a failed message again or discard it (the user's decision for "may have been sent").

Errors appear as the engine's sentence (KnownError.user_message), never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QStatusBar, QToolButton, QWidget

from qtmail.core.errors import Fix, ServiceStatus
from qtmail.core.events import (
    Event,
    OperationFailed,
    OutgoingItem,
    OutgoingState,
    PendingChanged,
    QuotaChanged,
    ServerAlert,
    StatusChanged,
    SyncProgress,
)
from qtmail.core.types import Quota
from qtmail.qt.error_text import error_text
from qtmail.qt.widgets.quota import WARN_AT, format_size, quota_level

MESSAGE_MS = 8000
"""How long a passing message (an operation refused, a sort refused) stays."""


@dataclass
class _AccountState:
    status: ServiceStatus = ServiceStatus.OFFLINE
    message: str = ""
    fix: Fix = Fix.NONE
    folder: str = ""
    done: int = 0
    total: int = 0
    queued: int = 0
    conflicts: int = 0
    outbox: tuple[OutgoingItem, ...] = field(default_factory=tuple)


class StateLabel(QLabel):
    """An account's state, elided when the bar is too narrow for it (the tooltip has it
    whole) instead of widening the window: with several accounts syncing, each new
    figure ("Syncing INBOX 12,000/100,000") raised the window's minimum width, and
    every such step laid out and repainted the whole window (20-30 ms, issue 18)."""

    SHORTEST = "…"
    """What the label needs at least, after the account's name."""

    def minimumSizeHint(self) -> QSize:
        text = self.text()
        name = text[:text.index(": ") + 2] if ": " in text else ""
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(name + self.SHORTEST) \
            + margins.left() + margins.right()
        return QSize(width, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             rect.width())
        if text == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), text, self.foregroundRole())


class _AccountBox(QWidget):
    def __init__(self, account: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"accountStatus-{account}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        self.label = StateLabel(self)
        self.retry = QToolButton(self)
        self.retry.setText(self.tr("Retry"))
        self.retry.setAccessibleName(self.tr("Retry connecting to %1").replace("%1", account))
        self.retry.setVisible(False)
        self.fix = QToolButton(self)
        """What the user can do about the error: "Enter Password…", "Settings…"."""
        self.fix.setObjectName(f"fix-{account}")
        self.fix.setVisible(False)
        self.quota = QLabel(self)
        self.quota.setObjectName(f"quota-{account}")
        self.quota.setVisible(False)
        layout.addWidget(self.label)
        layout.addWidget(self.fix)
        layout.addWidget(self.retry)
        layout.addSpacing(12)  # the storage figure apart from the connection state
        layout.addWidget(self.quota)

    def show_quota(self, quota: Quota | None) -> None:
        """Storage used, e.g. "Storage 93%", in the warning colour from WARN_AT on; the
        whole sentence as the tooltip. Hidden when the server gives no limit."""
        if quota is None or quota.limit <= 0:
            self.quota.setVisible(False)
            return
        level = quota_level(quota)
        percent = QLocale().toString(min(999, round(level * 100))) + "%"
        self.quota.setText(self.tr("Storage %1").replace("%1", percent))
        detail = self.tr("%1 of %2 used on the server").replace(
            "%1", format_size(quota.used)).replace("%2", format_size(quota.limit))
        warn = level >= WARN_AT
        if warn:
            detail += " " + self.tr("Delete or archive old messages soon, or new mail may "
                                    "be refused.")
        self.quota.setToolTip(detail)
        self.quota.setAccessibleName(detail)
        self.quota.setProperty("warning", warn)
        self.quota.setStyleSheet("color: #c62828; font-weight: bold;" if warn else "")
        self.quota.setVisible(True)


class AccountStatusBar(QStatusBar):
    """objectName "statusBar". Signals: ``retry(account)`` from an account's Retry;
    ``fix_requested(account, Fix value)`` from the button beside an error;
    ``resend(account, outbox_id)`` and ``discard(account, outbox_id)`` from the Outbox
    menu (send ResendMail / DiscardOutgoing to that account)."""

    retry = Signal(str)
    fix_requested = Signal(str, str)
    resend = Signal(str, int)
    discard = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setAccessibleName(self.tr("Status"))
        self._states: dict[str, _AccountState] = {}
        self._boxes: dict[str, _AccountBox] = {}
        self.pending = QLabel(self)
        self.pending.setObjectName("pendingLabel")
        self.addPermanentWidget(self.pending)
        self.outbox = QLabel(self)
        self.outbox.setObjectName("outboxLabel")
        self.outbox.setVisible(False)
        self.outbox_menu = QMenu(self)
        self.outbox_menu.setObjectName("outboxMenu")
        self.outbox_button = QToolButton(self)
        self.outbox_button.setObjectName("outboxButton")
        self.outbox_button.setText(self.tr("Outbox"))
        self.outbox_button.setAccessibleName(
            self.tr("Messages that could not be sent"))
        self.outbox_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.outbox_button.setMenu(self.outbox_menu)
        self.outbox_button.setVisible(False)
        self.addPermanentWidget(self.outbox)
        self.addPermanentWidget(self.outbox_button)

    def add_account(self, account: str) -> None:
        box = _AccountBox(account, self)
        box.retry.clicked.connect(lambda: self.retry.emit(account))
        box.fix.clicked.connect(lambda: self.fix_requested.emit(
            account, self._states[account].fix.value))
        self._boxes[account] = box
        self._states[account] = _AccountState()
        # Boxes in account order, the pending count last; appending and moving the
        # label stays right whatever normal widgets others put in the bar.
        self.addPermanentWidget(box)
        self.removeWidget(self.pending)
        self.addPermanentWidget(self.pending)
        self._show_pending()
        self._show(account)

    def remove_account(self, account: str) -> None:
        box = self._boxes.pop(account, None)
        self._states.pop(account, None)
        if box is not None:
            self.removeWidget(box)
            box.deleteLater()
        self._show_pending()
        self._show_outbox()

    def state_text(self, account: str) -> str:
        box = self._boxes.get(account)
        return "" if box is None else box.label.text()

    def fix_button(self, account: str) -> QToolButton | None:
        box = self._boxes.get(account)
        return None if box is None or box.fix.isHidden() else box.fix

    def retry_visible(self, account: str) -> bool:
        box = self._boxes.get(account)
        return box is not None and not box.retry.isHidden()

    # -- what the engine says ------------------------------------------------------------
    def apply(self, event: Event) -> None:
        """What an account's event means for the status bar (the others pass)."""
        if isinstance(event, StatusChanged):
            self.set_status(event.account, event.status, event.message, event.fix)
        elif isinstance(event, SyncProgress):
            self.set_progress(event.account, event.folder, event.done, event.total)
        elif isinstance(event, PendingChanged):
            self.set_pending(event.account, event.queued, event.conflicts)
        elif isinstance(event, OperationFailed):
            self.show_problem(event.message)
        elif isinstance(event, ServerAlert):
            self.show_problem(event.text)
        elif isinstance(event, QuotaChanged):
            box = self._boxes.get(event.account)
            if box is not None:
                box.show_quota(event.quota)

    def set_status(self, account: str, status: ServiceStatus, message: str,
                   fix: Fix = Fix.NONE) -> None:
        state = self._states.get(account)
        if state is None:
            return
        state.status, state.message, state.fix = status, message, fix
        if status is not ServiceStatus.SYNCING:
            state.folder = ""
        self._show(account)

    def set_progress(self, account: str, folder: str, done: int, total: int) -> None:
        state = self._states.get(account)
        if state is None:
            return
        state.folder, state.done, state.total = folder, done, total
        if done >= total:
            state.folder = ""
        self._show(account)

    def set_pending(self, account: str, queued: int, conflicts: int) -> None:
        state = self._states.get(account)
        if state is None:
            return
        state.queued, state.conflicts = queued, conflicts
        self._show_pending()

    def set_outbox(self, account: str, items: tuple[OutgoingItem, ...]) -> None:
        """OutboxChanged: the account's whole Outbox."""
        state = self._states.get(account)
        if state is None:
            return
        state.outbox = tuple(items)
        self._show_outbox()

    def show_problem(self, text: str) -> None:
        self.showMessage(error_text(text), MESSAGE_MS)

    # -- presentation ---------------------------------------------------------------------
    def _show(self, account: str) -> None:
        state, box = self._states[account], self._boxes[account]
        locale = QLocale()
        status = state.status
        if state.folder and status in (ServiceStatus.SYNCING, ServiceStatus.CONNECTED):
            text = self.tr("Syncing %1 %2/%3").replace("%1", state.folder) \
                .replace("%2", locale.toString(state.done)) \
                .replace("%3", locale.toString(state.total))
        elif status is ServiceStatus.SYNCING:
            text = self.tr("Checking for new mail…")
        elif status is ServiceStatus.CONNECTED:
            text = self.tr("Connected")
        elif status is ServiceStatus.CONNECTING:
            text = self.tr("Connecting…")
        elif status is ServiceStatus.OFFLINE:
            text = self.tr("Offline")
        else:
            text = error_text(state.message) if state.message else self.tr("Not connected")
        box.label.setText(f"{account}: {text}" if len(self._boxes) > 1 else text)
        box.label.setToolTip(error_text(state.message) if state.message else text)
        box.retry.setVisible(status.is_error())
        fix = state.fix if status.is_error() else Fix.NONE
        if fix in (Fix.PASSWORD, Fix.SMTP_PASSWORD):
            box.fix.setText(self.tr("Enter Password…"))
        elif fix is Fix.ACCOUNT_SETTINGS:
            box.fix.setText(self.tr("Account Settings…"))
        elif fix is Fix.SIGN_IN:
            box.fix.setText(self.tr("Sign In Again…"))
        box.fix.setAccessibleName(box.fix.text())
        box.fix.setVisible(fix is not Fix.NONE)
        self._show_pending()

    def _show_pending(self) -> None:
        queued = sum(state.queued for state in self._states.values())
        conflicts = sum(state.conflicts for state in self._states.values())
        parts = []
        if queued:
            parts.append(self.tr("%n change(s) waiting for the server", "", queued))
        if conflicts:
            parts.append(self.tr("%n change(s) in conflict", "", conflicts))
        self.pending.setText(" · ".join(parts))
        self.pending.setVisible(bool(parts))

    def _show_outbox(self) -> None:
        items = [(account, item) for account, state in self._states.items()
                 for item in state.outbox]
        sending = sum(item.state is OutgoingState.SENDING for _, item in items)
        waiting = sum(item.state is OutgoingState.WAITING for _, item in items)
        failed = [(a, i) for a, i in items if i.state is OutgoingState.FAILED]
        maybe = [(a, i) for a, i in items if i.state is OutgoingState.MAYBE_SENT]
        parts = []
        if sending:
            parts.append(self.tr("Sending…"))
        if waiting:
            parts.append(self.tr("%n message(s) in the Outbox", "", waiting))
        if failed:
            parts.append(self.tr("%n message(s) could not be sent", "", len(failed)))
        if maybe:
            parts.append(self.tr("%n message(s) may have been sent", "", len(maybe)))
        self.outbox.setText(" · ".join(parts))
        self.outbox.setToolTip("\n".join(i.problem for _, i in items if i.problem))
        self.outbox.setVisible(bool(parts))
        self.outbox_menu.clear()
        for account, item in (*failed, *maybe):
            subject = item.subject or self.tr("(no subject)")
            send = self.outbox_menu.addAction(
                self.tr("Send “%1” again").replace("%1", subject))
            send.setToolTip(item.problem)
            send.triggered.connect(
                lambda _=False, a=account, i=item.outbox_id: self.resend.emit(a, i))
            drop = self.outbox_menu.addAction(
                self.tr("Discard “%1”").replace("%1", subject))
            drop.triggered.connect(
                lambda _=False, a=account, i=item.outbox_id: self.discard.emit(a, i))
        self.outbox_button.setVisible(bool(failed or maybe))
