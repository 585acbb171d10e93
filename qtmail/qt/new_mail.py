"""NewMailWatcher: one desktop notification per burst of mail newly added to an INBOX.

Not for the initial fill: an account's INBOX is armed once its first sync of this
session is done (the engine ends a folder sync with CountsChanged then
StatusChanged(CONNECTED)). Only unread messages count, and only those that arrived
recently (a message undone out of the Trash keeps its old INTERNALDATE).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from qtmail.core.errors import ServiceStatus
from qtmail.core.events import CountsChanged, Event, MessagesAdded, StatusChanged
from qtmail.core.types import MessageSummary
from qtmail.mime.sender import list_text as sender_list_text

if TYPE_CHECKING:  # the store loads with the first account (issue 18)
    from qtmail.store import Store

log = logging.getLogger(__name__)

INBOX = "INBOX"
BURST_MS = 800
"""Messages added within this time of the first one make one notification."""
RECENT_SECONDS = 600
"""Older arrivals (before arming, minus this margin) are not new mail."""


class NotifierLike(Protocol):
    def notify(self, title: str, body: str) -> None: ...

    def close(self) -> None: ...


class NewMailWatcher(QObject):
    """Signals: ``notified(int)`` with the number of messages a notification announced."""

    notified = Signal(int)

    def __init__(self, notifier: NotifierLike | None, reader: Callable[[str], Store | None],
                 enabled: Callable[[str], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._reader = reader
        self._enabled = enabled
        self._armed: dict[str, float] = {}
        self._counted: set[str] = set()
        self._pending: dict[str, list[int]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BURST_MS)
        self._timer.timeout.connect(self._flush)

    def armed(self, account: str) -> bool:
        return account in self._armed

    def forget(self, account: str) -> None:
        """The account restarts (new settings): its next first sync is a fill again."""
        self._armed.pop(account, None)
        self._pending.pop(account, None)

    def apply(self, event: Event) -> None:
        account = event.account
        if isinstance(event, CountsChanged):
            if event.folder == INBOX:
                self._counted.add(account)
            return
        if isinstance(event, StatusChanged):
            if event.status is ServiceStatus.CONNECTED and account in self._counted \
                    and account not in self._armed:
                self._armed[account] = time.time()
                log.debug("%s: INBOX synced; new mail is notified from now on", account)
            self._counted.discard(account)
            return
        if isinstance(event, MessagesAdded) and event.folder == INBOX \
                and account in self._armed and event.uids:
            self._pending.setdefault(account, []).extend(event.uids)
            if not self._timer.isActive():
                self._timer.start()

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        fresh: list[MessageSummary] = []
        for account, uids in pending.items():
            reader = self._reader(account)
            if reader is None or not self._enabled(account):
                continue
            since = self._armed.get(account, 0.0) - RECENT_SECONDS
            fresh.extend(s for s in reader.summaries_for(INBOX, uids)
                         if s.unread and s.internaldate >= since)
        if not fresh:
            return
        if len(fresh) == 1:
            sender = fresh[0].sender
            # translate() with literals, not a helper: lupdate only sees these.
            title = QCoreApplication.translate("NewMailWatcher", "New message from %1") \
                .replace("%1", sender_list_text(sender))
            body = fresh[0].subject or QCoreApplication.translate("NewMailWatcher",
                                                                  "(no subject)")
        else:
            title = QCoreApplication.translate("NewMailWatcher", "%n new messages", "",
                                               len(fresh))
            names = list(dict.fromkeys(sender_list_text(s.sender) for s in fresh))
            body = ", ".join(names[:3]) + ("…" if len(names) > 3 else "")
        if self._notifier is not None:
            self._notifier.notify(title, body)
        self.notified.emit(len(fresh))

    def close(self) -> None:
        self._timer.stop()
        if self._notifier is not None:
            self._notifier.close()
