"""The account's part in writing mail: Outbox commands, send timing, draft pushes.

Used by the scheduler (sync/scheduler.py) on the account's thread; Qt-free, with an
injected wall clock (the Outbox keeps due times as wall-clock seconds). Sending has its
own schedule, apart from the IMAP job queue: a message is due when its Undo-send delay
is over, and an unreachable SMTP server backs off on its own without holding up the
IMAP work (and the other way round). "Get messages" / Retry and a reconnect of the IMAP
session cut a backoff short.

Building a message (and writing it to the outgoing spool) and the SMTP transaction run
on the account's send lanes (sync/lane.py), not on the worker (issue 18: a 10 MB
attachment took 3.3 s to build, a silent SMTP server holds a connection attempt for
30 s); the small Outbox row naming the spooled message is stored on the worker's next
turn. A message being built is not in the store yet, so closing
waits for its build (seconds at most) and stores it; a transmission still running then
is left as it is: its row stays SENDING and the next start says it may have been sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

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
from qtmail.smtp.send import SendResult
from qtmail.store.outgoing import OutboxRow
from qtmail.sync.drafts import Drafts
from qtmail.sync.engine import AccountEngine
from qtmail.sync.lane import POLL_S, Lane, Result
from qtmail.sync.outbox import Built, Outbox, build_spooled

log = logging.getLogger(__name__)

OUTGOING_COMMANDS = (SendMail, CancelSend, ResendMail, DiscardOutgoing, SaveDraft,
                     DiscardDraft)

CLOSE_WAIT_S = 5.0
"""At close, how long a transmission in flight may still take to be recorded."""


class OutgoingWork:
    """``wants_drafts``: drafts wait for the server. Whether a message is due to be sent,
    and when the next one will be, is asked of ``seconds_until_due()``."""

    def __init__(self, engine: AccountEngine, password: Callable[[], Secret],
                 emit: Callable[[Event], None], backoff_ms: tuple[int, ...], *,
                 wall: Callable[[], float] = time.time) -> None:
        self._emit = emit
        # Two lanes: a message being built never waits behind a silent SMTP server.
        self._builds = Lane(f"build-{engine.name}")
        self._sends = Lane(f"send-{engine.name}")
        self._sent = False
        """A message went out since the last ``send()``."""
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
        if isinstance(command, SendMail):
            try:
                self.outbox.check(command)
            except KnownError as error:
                self._refused(command, error)
                return
            self._builds.start(partial(build_spooled, self.outbox.spool, command.draft),
                               partial(self._built, command))
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

    def _built(self, command: SendMail, built: Result[Built]) -> None:
        try:
            self.outbox.store_built(command, built())
        except KnownError as error:
            self._refused(command, error)
            return
        self.wants_drafts = self.wants_drafts or self.drafts.has_work()

    def _refused(self, command: SendMail, error: KnownError) -> None:
        # Nothing was stored: give the draft back so it is not lost.
        self._emit(SendFailed(self.outbox_account, 0, error.user_message, fix=error.fix))
        self._emit(SendCancelled(self.outbox_account, 0, command.draft))

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
        """When the worker should next call ``send()``: 0 when a message is due now (its
        Undo delay and any backoff over), a short poll while a lane works, None when
        nothing waits to be sent."""
        due = self._due_in()
        if self._sends.busy:
            return POLL_S  # the next message waits for this one
        if self._builds.busy:
            return POLL_S if due is None else min(due, POLL_S)
        return due

    def _due_in(self) -> float | None:
        due = self.outbox.next_due()
        if due is None:
            return None
        return max(0.0, max(due, self._backoff_until) - self._wall())

    # -- the work (called by the worker's pump) --------------------------------------------
    def send(self) -> bool:
        """Take what the lane finished, and start the next due message when it is free;
        returns whether a message went out since the last call (its Sent copy and flags
        are queued operations to replay)."""
        self._builds.collect()
        self._sends.collect()
        if not self._sends.busy and self._due_in() == 0.0:
            due = self.outbox.due()
            row = self.outbox.row(due[0]) if due else None
            if row is not None:
                self._transmit(row)
        sent, self._sent = self._sent, False
        return sent

    def _transmit(self, row: OutboxRow) -> None:
        transmit = self.outbox.begin_send(row)
        if transmit is not None:
            self._sends.start(transmit, partial(self._transmitted, row))

    def _transmitted(self, row: OutboxRow, outcome: Result[SendResult]) -> None:
        try:
            went = self.outbox.finish_send(row, outcome)
        except KnownError as error:
            delay = self._backoff_ms[min(self._failures, len(self._backoff_ms) - 1)]
            self._failures += 1
            self._backoff_until = self._wall() + delay / 1000
            log.info("%s: sending failed (%s); retrying in %d s", self.outbox_account,
                     error.user_message, delay // 1000)
            return
        self._failures = 0
        self._backoff_until = 0.0
        self._sent = self._sent or went

    def close(self) -> None:
        """Store the messages still being built; record a transmission that ends soon."""
        self._builds.wait(None)  # CPU work of seconds at most: never lose a message
        self._builds.collect()
        if not self._sends.wait(CLOSE_WAIT_S):
            log.warning("%s: closing while a message is being sent; it will be marked as "
                        "maybe sent", self.outbox_account)
        self._sends.collect()
        self._builds.close()
        self._sends.close()

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
