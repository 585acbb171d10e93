"""The Outbox: queue a message durably, send it over SMTP exactly once, file it in Sent.

RELIABILITY.md I and H. A message enters the Outbox in one durable transaction (with
the removal of its saved draft) before anything goes to the network; its bytes are
built once, so every attempt sends the same Message-ID. The row is marked SENDING on
disk before the SMTP transaction starts: a crash while sending leaves it SENDING, and
the next start turns it into MAYBE_SENT, as does a connection lost after DATA (RFC 5321
6.1: the server may have taken responsibility). Such a message is never resent
without the user's word. After the server's 250, the row goes and, in the same
transaction, the APPEND to Sent (\\Seen) and \\Answered / $Forwarded on the original
are queued as ordinary pending operations (qtmail.sync.operations), which replay
idempotently.

A message's bytes and its draft live in the outgoing spool (qtmail.store.spool), in
files written and fsynced on the send lane before the row naming them commits; the
worker handles only the small row (issue 18: a 27 MB row held it for 40-120 ms per
insert, state change, read and delete). The SMTP transaction reads the message on its
lane; the Sent copy's APPEND names the same file, which goes once no row needs it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.policy import Policy

from qtmail.core.commands import CreateFolder, SendMail
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Fix, KnownError, ServerError
from qtmail.core.events import (
    Event,
    MailSent,
    OutboxChanged,
    OutgoingItem,
    OutgoingState,
    SendCancelled,
    SendFailed,
)
from qtmail.core.outgoing import Draft
from qtmail.core.types import ANSWERED, FORWARDED, SEEN, FolderRole, MessageRef
from qtmail.mime.draft_reader import is_draft_id
from qtmail.net.sasl import Secret
from qtmail.smtp.compose import BUILD_POLICY, build_message_bytes, envelope_recipients
from qtmail.smtp.errors import InvalidDraft, MaybeSent
from qtmail.smtp.send import SendResult, refusal_sentence, send_message
from qtmail.store import Store
from qtmail.store.outgoing import (
    FAILED,
    MAYBE_SENT,
    SENDING,
    WAITING,
    OutboxRow,
    spool_outgoing,
)
from qtmail.store.outgoing_rows import OutboxListing
from qtmail.store.spool import Spool
from qtmail.sync.engine import AccountEngine

log = logging.getLogger(__name__)

CUT_OFF = ("qtmail stopped while this message was being sent; it may have been sent. "
           "Check the Sent folder or ask a recipient before sending it again.")
MAYBE = ("The connection was lost while sending; the message may have been sent. "
         "Check with a recipient before sending it again.")
GMAIL_HOSTS = ("gmail.com", "googlemail.com")
"""Gmail files what its SMTP server sends into "Sent Mail" itself: no APPEND there."""


def message_id_domain(addr: str) -> str:
    """The domain of the sender's address, for Message-ID (RFC 5322 3.6.4), as ASCII."""
    domain = addr.rpartition("@")[2].strip()
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "localhost"
    return ascii_domain or "localhost"


def build(draft: Draft, headers: Sequence[tuple[str, str]] = ()
          ) -> tuple[EmailMessage, bytes]:
    """The message's headers and its CRLF bytes (``build_message_bytes``: ``headers``
    added after the check); InvalidDraft when it cannot be sent as written."""
    return build_message_bytes(draft, message_id_domain=message_id_domain(
        draft.from_address.addr), headers=headers)


Built = tuple[EmailMessage, str]
"""A message built and written to the spool: the message and its spool token."""


def build_spooled(spool: Spool, draft: Draft) -> Built:
    """Build ``draft`` and write it to ``spool`` durably (on the send lane: it touches
    neither the store's connection nor IMAP). A crash before its row commits leaves
    files no row names: ``Store.sweep_spool`` removes them at the next start."""
    message, raw = build(draft)
    return message, spool_outgoing(spool, draft, raw)


class StoredMessage(EmailMessage):
    """The Outbox's bytes, handed to smtp.send unchanged: the same Message-ID and Date
    on every attempt and in the Sent copy, and no parse and re-serialisation of a big
    message per attempt (about a second for a 10 MB attachment)."""

    def __init__(self, raw: bytes) -> None:
        super().__init__(policy=BUILD_POLICY)
        self._raw = raw

    def as_bytes(self, unixfrom: bool = False, policy: Policy | None = None) -> bytes:
        return self._raw


def _state(text: str) -> OutgoingState:
    return OutgoingState(text)


class Outbox:
    """Sends one account's outgoing mail. Not thread-safe: the account worker owns it.

    Events: OutboxChanged after every change, MailSent, SendFailed, SendCancelled.
    """

    def __init__(self, engine: AccountEngine, password: Callable[[], Secret],
                 emit: Callable[[Event], None], *,
                 clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._store: Store = engine.store
        self._password = password
        self._emit = emit
        self._clock = clock
        self._listing: list[OutboxListing] | None = None
        """The Outbox without its messages, read once per change (``announce``): the
        worker asks when the next message is due on every turn."""

    @property
    def account(self) -> str:
        return self._engine.name

    # -- what the user does --------------------------------------------------------------
    def queue(self, command: SendMail) -> int:
        """Into the Outbox (durably) and out of the drafts; InvalidDraft or ConfigError
        when it cannot be sent at all (nothing is stored then). The account's worker
        does ``check`` itself and ``build`` on its send lane (sync/outgoing_work.py)."""
        self.check(command)
        return self.store_built(command, build_spooled(self.spool, command.draft))

    @property
    def spool(self) -> Spool:
        return self._store.spool

    def check(self, command: SendMail) -> None:
        """What can be said at once about a message that cannot be sent as written."""
        if self._engine.settings.smtp is None:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "This account has no outgoing server, so the message was not "
                "sent. Open its settings to add one."), fix=Fix.ACCOUNT_SETTINGS)
        if not envelope_recipients(command.draft):
            raise InvalidDraft(QT_TRANSLATE_NOOP("Errors", "The message has no recipients."))

    def store_built(self, command: SendMail, built: Built) -> int:
        """The built message (written to the spool) into the Outbox, durably, and its
        draft out of Drafts."""
        draft = command.draft
        message, token = built
        recipients = envelope_recipients(draft)
        try:
            with self._store.transaction(durable=True):
                outbox_id = self._store.add_outgoing(
                    draft, draft_id=command.draft_id, raw=b"", spool=token,
                    message_id=str(message["Message-ID"]).strip().strip("<>"),
                    envelope_from=draft.from_address.addr, recipients=recipients,
                    replied=command.replied, forwarded=command.forwarded,
                    send_after=self._clock() + max(0.0, command.delay_seconds))
                if command.draft_id or command.replaces is not None:
                    # Sent: its saved versions (by draft id, whichever device saved them)
                    # and the draft it was reopened from go from Drafts (sync.drafts).
                    draft_id = command.draft_id if is_draft_id(command.draft_id) else ""
                    self._store.discard_draft(
                        draft_id or f"sent-{outbox_id}",
                        () if command.replaces is None else (command.replaces,))
        except BaseException:
            # Its files go unless a row names them after all (a failure after COMMIT).
            self.spool.claim(token)
            with contextlib.suppress(KnownError):
                self._store.sweep_spool()
            raise
        self.announce()
        return outbox_id

    def cancel(self, outbox_id: int) -> bool:
        """Undo send: only while it waits (a message being sent cannot be called back)."""
        row = self._store.outgoing_item(outbox_id)  # whole: the draft goes back
        if row is None or row.state == SENDING:
            return False
        self._store.remove_outgoing(outbox_id)
        self._store.sweep_spool()
        self._emit(SendCancelled(self.account, outbox_id, row.draft))
        self.announce()
        return True

    def resend(self, outbox_id: int) -> bool:
        """The user's word: send a FAILED or MAYBE_SENT message again, now."""
        row = self._store.outgoing_item(outbox_id, whole=False)
        if row is None or row.state == SENDING:
            return False
        self._store.update_outgoing(outbox_id, state=WAITING, send_after=self._clock())
        self.announce()
        return True

    def discard(self, outbox_id: int) -> bool:
        row = self._store.outgoing_item(outbox_id, whole=False)
        if row is None or row.state == SENDING:
            return False
        self._store.remove_outgoing(outbox_id)
        self._store.sweep_spool()
        self.announce()
        return True

    def recover(self) -> None:
        """At start-up: a message cut off mid-send may have gone (never resent blindly)."""
        for outbox_id in self._store.sending_to_maybe_sent(CUT_OFF):
            log.warning("%s: outbox message %d was cut off while sending", self.account,
                        outbox_id)
        # Files of messages built but not stored before a crash.
        self._store.sweep_spool()
        self.announce()

    # -- the schedule --------------------------------------------------------------------
    def next_due(self) -> float | None:
        """time.time() when the next waiting message is due; None when none waits."""
        waiting = [row.send_after for row in self._rows() if row.state == WAITING]
        return min(waiting, default=None)

    def send_due(self) -> int:
        """Send every waiting message whose delay is over, oldest first; returns how many
        went out.

        Raises the KnownError of a transient failure (server unreachable, connection
        lost before DATA): that message and the rest stay WAITING for a retry."""
        sent = 0
        for outbox_id in self.due():
            row = self.row(outbox_id)
            transmit = None if row is None else self.begin_send(row)
            if row is not None and transmit is not None:
                sent += self.finish_send(row, transmit)
        return sent

    def row(self, outbox_id: int) -> OutboxRow | None:
        """One message of the Outbox without its spooled bytes (None when it has gone):
        ``begin_send``'s transaction reads them on its lane."""
        return self._store.outgoing_item(outbox_id, whole=False)

    def due(self) -> list[int]:
        """The ids of the waiting messages whose delay is over, oldest first (the rows
        hold the messages: each is read when its turn comes)."""
        now = self._clock()
        return [row.id for row in self._rows() if row.state == WAITING and row.send_after <= now]

    def begin_send(self, row: OutboxRow) -> Callable[[], SendResult] | None:
        """Mark the message SENDING, durably; return the SMTP transaction to run (on any
        thread: it touches neither the store nor IMAP), or None when it cannot be sent.
        Its outcome goes to ``finish_send``."""
        smtp = self._engine.settings.smtp
        if smtp is None:
            self._fail(row, ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "This account has no outgoing server. Open its settings to add "
                "one."), fix=Fix.ACCOUNT_SETTINGS))
            return None
        # RFC 5321 6.1 and RELIABILITY I.65: on disk before the server sees a byte.
        self._store.update_outgoing(row.id, state=SENDING, attempts=row.attempts + 1)
        self.announce()
        username = smtp.username or self._engine.settings.imap_username
        password = self._password
        spool = self.spool

        def transmit() -> SendResult:
            # The password lookup may block too (a keyring, an OAuth2 token refresh).
            raw = spool.read(row.spool) if row.spool else row.raw
            return send_message(smtp, username, password(), StoredMessage(raw),
                                row.envelope_from, row.recipients)
        return transmit

    def finish_send(self, row: OutboxRow, outcome: Callable[[], SendResult]) -> bool:
        """Record what ``begin_send``'s transaction did (``outcome`` returns its result
        or raises its error); True when the message went out. Raises the KnownError of
        a transient failure: the message waits for a retry."""
        smtp = self._engine.settings.smtp
        try:
            result = outcome()
        except MaybeSent as error:
            log.warning("%s: outbox message %d may have been sent: %s", self.account,
                        row.id, error.detail)
            self._store.update_outgoing(row.id, state=MAYBE_SENT, problem=MAYBE)
            self._emit(SendFailed(self.account, row.id, MAYBE, maybe_sent=True))
            self.announce()
            return False
        except KnownError as error:
            if error.transient or (isinstance(error, ServerError) and not error.permanent):
                self._store.update_outgoing(row.id, state=WAITING,
                                            problem=error.user_message)
                self.announce()
                raise
            self._fail(row, error)
            return False
        self._sent(row, "" if smtp is None else refusal_sentence(smtp, result))
        return True

    def _fail(self, row: OutboxRow, error: KnownError) -> None:
        log.info("%s: outbox message %d refused: %s", self.account, row.id, error.detail)
        self._store.update_outgoing(row.id, state=FAILED, problem=error.user_message)
        self._emit(SendFailed(self.account, row.id, error.user_message, fix=error.fix))
        self.announce()

    def _sent(self, row: OutboxRow, problem: str) -> None:
        """The server said 250: out of the Outbox; Sent copy and flags queued with it."""
        ops = self._engine.ops
        with self._store.transaction(durable=True):
            self._store.remove_outgoing(row.id)
            sent = None if self._server_files_sent_mail() else self._sent_folder()
            if sent is not None:
                # The Sent copy names the spool file: it stays until appended.
                ops.import_message(sent, row.raw, flags=(SEEN,), spool=row.spool)
        if row.spool:
            self._store.sweep_spool()  # its files now, when no Sent copy needs them
        for ref, flag in ((row.replied, ANSWERED), (row.forwarded, FORWARDED)):
            if ref is not None:
                self._flag(ref, flag)
        self._emit(MailSent(self.account, row.id, row.draft.subject, problem))
        self.announce()

    def _flag(self, ref: MessageRef, flag: str) -> None:
        if ref.account != self.account:
            log.info("%s: %s of %s left to its own account", self.account, flag, ref)
            return
        state = self._store.folder_state(ref.folder)
        if state is None or state.uidvalidity != ref.uidvalidity:
            return  # the folder was replaced: that UID now names another message
        try:
            # Automatic: not a change of the user's to offer in Edit > Undo.
            self._engine.ops.set_flags(ref.folder, [ref.uid], add={flag}, automatic=True)
        except ConfigError as error:  # no longer cached: deleted or moved meanwhile
            log.info("%s: %s not set on %s: %s", self.account, flag, ref, error)

    def _server_files_sent_mail(self) -> bool:
        settings = self._engine.settings
        host = settings.imap.host.lower().rstrip(".")
        if any(host == h or host.endswith("." + h) for h in GMAIL_HOSTS):
            return True
        # X-GM-EXT-1: Google's IMAP extensions, also on hosted Google domains.
        return self._engine.connected and self._engine.session().files_sent_mail

    def _sent_folder(self) -> str:
        folders = self._store.folders()
        for folder in folders:
            if folder.role is FolderRole.SENT:
                return folder.name
        for folder in folders:
            if folder.name.casefold() in ("sent", "sent items", "sent messages"):
                return folder.name
        self._engine.ops.apply(CreateFolder("Sent"), record=False)  # not an undo step
        return "Sent"

    # -- what the user sees --------------------------------------------------------------
    def items(self) -> tuple[OutgoingItem, ...]:
        return tuple(
            OutgoingItem(outbox_id=row.id, subject=row.subject,
                         recipients=row.recipients, state=_state(row.state),
                         problem=row.problem, send_after=row.send_after,
                         draft_id=row.draft_id)
            for row in self._rows())

    def _rows(self) -> list[OutboxListing]:
        if self._listing is None:
            self._listing = self._store.outgoing_listing()
        return self._listing

    def announce(self) -> None:
        """After every change to the Outbox (which is why it also drops the cached
        listing): the window shows the new state."""
        self._listing = None
        self._emit(OutboxChanged(self.account, self.items()))

