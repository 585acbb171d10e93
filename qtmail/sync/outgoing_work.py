"""The account's part in writing mail: Outbox commands, send timing, draft pushes.

Used by the scheduler (sync/scheduler.py) on the account's thread; Qt-free, with an
injected wall clock (the Outbox keeps due times as wall-clock seconds). Sending has its
own schedule, apart from the IMAP job queue: a message is due when its Undo-send delay
is over, and an unreachable SMTP server backs off on its own without holding up the
IMAP work (and the other way round). "Get messages" / Retry and a reconnect of the IMAP
session cut a backoff short.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from qtmail.core.commands import (
    CancelSend,
    Command,
    DiscardDraft,
    DiscardOutgoing,
    ResendMail,
    SaveDraft,
    SendMail,
)
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, Sentence
from qtmail.core.events import Event, OperationFailed, SendCancelled, SendFailed
from qtmail.net.sasl import Secret
from qtmail.sync.drafts import Drafts
from qtmail.sync.engine import AccountEngine
from qtmail.sync.outbox import Outbox

log = logging.getLogger(__name__)

OUTGOING_COMMANDS = (SendMail, CancelSend, ResendMail, DiscardOutgoing, SaveDraft,
                     DiscardDraft)


class OutgoingWork:
    """``wants_drafts``: drafts wait for the server. Whether a message is due to be sent,
    and when the next one will be, is asked of ``seconds_until_due()``."""

    def __init__(self, engine: AccountEngine, password: Callable[[], Secret],
                 emit: Callable[[Event], None], backoff_ms: tuple[int, ...], *,
                 wall: Callable[[], float] = time.time) -> None:
        self._emit = emit
        self._backoff_ms = backoff_ms
        self._wall = wall
        self.outbox = Outbox(engine, password, emit)
        self.drafts = Drafts(engine, emit)
        self._failures = 0
        self._backoff_until = 0.0
        self.wants_drafts = False

    def start(self) -> None:
        self.outbox.recover()
        self.wants_drafts = self.drafts.has_work()

    # -- commands (worker thread) ----------------------------------------------------------
    def handle(self, command: Command) -> None:
        account = self.outbox_account
        if isinstance(command, SendMail):
            try:
                self.outbox.queue(command)
            except KnownError as error:
                # Nothing was stored: give the draft back so it is not lost.
                self._emit(SendFailed(account, 0, error.user_message, fix=error.fix))
                self._emit(SendCancelled(account, 0, command.draft))
                return
            self.wants_drafts = self.wants_drafts or self.drafts.has_work()
        elif isinstance(command, CancelSend):
            self.outbox.cancel(command.outbox_id)
        elif isinstance(command, ResendMail):
            if self.outbox.resend(command.outbox_id):
                self.now()
        elif isinstance(command, DiscardOutgoing):
            self.outbox.discard(command.outbox_id)
        elif isinstance(command, SaveDraft):
            self.drafts.save(command.draft_id, command.draft, command.replaces)
            self.wants_drafts = True
        elif isinstance(command, DiscardDraft):
            self.drafts.discard(command.draft_id, command.replaces)
            self.wants_drafts = True

    @property
    def outbox_account(self) -> str:
        return self.outbox.account

    def reconnected(self) -> None:
        """A new IMAP session opened: the network is back, try a waiting message now."""
        if self._failures:
            self.now()

    def now(self) -> None:
        """The user asked (Retry, Get messages) or the server is back: no more waiting."""
        self._failures = 0
        self._backoff_until = 0.0
        self.wants_drafts = self.wants_drafts or self.drafts.has_work()

    # -- timing ----------------------------------------------------------------------------
    def seconds_until_due(self) -> float | None:
        """0 when a message is due now (its Undo delay and any backoff over); None when
        nothing waits to be sent."""
        due = self.outbox.next_due()
        if due is None:
            return None
        return max(0.0, max(due, self._backoff_until) - self._wall())

    @property
    def wants_send(self) -> bool:
        return self.seconds_until_due() == 0.0

    # -- the work (called by the worker's pump) --------------------------------------------
    def send(self) -> bool:
        """Send what is due; returns whether something went out (Sent copy to replay)."""
        try:
            sent = self.outbox.send_due()
        except KnownError as error:
            delay = self._backoff_ms[min(self._failures, len(self._backoff_ms) - 1)]
            self._failures += 1
            self._backoff_until = self._wall() + delay / 1000
            log.info("%s: sending failed (%s); retrying in %d s", self.outbox_account,
                     error.user_message, delay // 1000)
            sent = 0
        else:
            self._failures = 0
            self._backoff_until = 0.0
        return sent > 0

    def push_drafts(self) -> str | None:
        """Drafts to the server; the Drafts folder to resync, if any. KnownError when
        the server cannot be reached (the worker retries with its backoff)."""
        self.wants_drafts = False
        try:
            return self.drafts.push()
        except KnownError as error:
            # Transient: the worker requeues the push with its backoff; otherwise the
            # next save tries again (the drafts stay safe in the store meanwhile).
            if not error.transient:
                log.warning("%s: drafts not saved on the server: %s", self.outbox_account,
                            error.user_message)
                self._emit(OperationFailed(self.outbox_account, 0, Sentence(
                    QT_TRANSLATE_NOOP("Errors", "Your draft is kept on this computer, but "
                                      "it could not be saved in the Drafts folder on the "
                                      "server. {reason}"), reason=error.user_message)))
            raise
