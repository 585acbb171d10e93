"""The remote phase of pending operations, and backing out what the server refuses.

One loop for every kind (what each does is in ``qtmail.sync.ops``). Replay is
idempotent, so that a crash at any moment is harmless:
- before an operation touches the server its attempt counter is raised durably, so a
  restart knows the server may already have applied part of it (``Remote.retry``);
- UIDs are never reused within one UIDVALIDITY (RFC 3501 2.3.1.1): a UID MOVE, STORE or
  EXPUNGE replayed for messages already moved is a no-op on the server; and an
  operation whose folder changed UIDVALIDITY is never applied to the new UIDs (it
  becomes a conflict the user sees);
- what cannot be repeated safely (COPY and APPEND) is checked first on a retry: the
  destination is searched for the messages' Message-IDs and those found are skipped;
- large moves go in batches whose progress is committed durably (the operation's
  payload is replaced in its row), so a retry resumes where it stopped;
- an operation leaves the queue only once the server confirmed it or it was found done
  already (it is then kept, "done", for Undo); a refusal for good is backed out with a
  sentence;
- an operation whose remote phase is long (the Outbox's Sent copy: a big APPEND) may go
  to the APPEND lane beside the worker (sync/append_lane.py): the replay stops at it,
  and a later replay takes its outcome there, in order, as if it had run it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    ConnectionLost,
    KnownError,
    Sentence,
    ServerError,
    ServerUnreachable,
)
from qtmail.core.events import Event, OperationFailed
from qtmail.core.types import AccountName
from qtmail.imap.session import ImapSession
from qtmail.store import PendingRow, Store
from qtmail.store.spool import SpoolFileMissing
from qtmail.sync.ops import registry
from qtmail.sync.ops.common import BATCH, Conflict, Peer, ReplayReport, batches
from qtmail.sync.ops.context import Local, Remote
from qtmail.sync.ops.registry import AnyOp

if TYPE_CHECKING:
    from qtmail.sync.append_lane import AppendLane

__all__ = ["BATCH", "Peer", "ReplayReport", "Replayer", "batches"]

log = logging.getLogger(__name__)


class Replayer:
    """Applies the queued operations of one account on its server, in order."""

    def __init__(self, account: AccountName, store: Store, session: ImapSession,
                 emit: Callable[[Event], None],
                 peers: Callable[[AccountName], Peer | None] = lambda name: None, *,
                 beside: AppendLane | None = None) -> None:
        self._local = Local(account, store, emit, registry.payload_of)
        self._store = store
        self._session = session
        self._peers = peers
        self._beside = beside
        self.report = ReplayReport()

    def run(self) -> ReplayReport:
        """Replay everything queued. A lost connection or a transient refusal stops the
        replay and leaves the rest queued (the caller retries with backoff); so does an
        operation on its way on the APPEND lane (``report.waiting``)."""
        for row in self._store.pending(states=("queued",)):
            op = registry.load(row)
            if op.changes_folders:
                self.report.folders_changed = True
            try:
                if not self._attempt(row, op):
                    self.report.waiting = True
                    break
            except Conflict:
                self._conflict(op)
                continue
            except SpoolFileMissing as error:  # no retry brings it back: the rest goes on
                self._fail(op, error)
                continue
            except ServerError as error:
                if not error.permanent:
                    self._store.update_pending(row.id, last_error=error.user_message)
                    raise
                self._fail(op, error)
                continue
            except (ConnectionLost, ServerUnreachable) as error:
                self._store.update_pending(row.id, last_error=error.user_message)
                raise
            self._store.update_pending(row.id, state="done", last_error="")
            self.report.done += 1
        self._store.prune_done()
        return self.report

    def _attempt(self, row: PendingRow, op: AnyOp) -> bool:
        """Apply ``op`` on the server, or hand it to the lane beside; False while it is
        on its way there. Raises what the attempt raised (here or on the lane)."""
        beside = self._beside
        if beside is not None and beside.running(row.id):
            outcome = beside.outcome(row.id)
            if outcome is None:
                return False
            try:
                outcome()
            except ConnectionLost as error:
                # The lane's own connection dropped, not the account's: not raised as
                # ConnectionLost, which would make the engine drop its healthy one. A
                # transient failure still: the replay is tried again with the backoff.
                raise ServerUnreachable(error.user_message, detail=error.detail) from error
            op.beside_done(self._remote(row))
            return True
        # Raised durably first: a crash from here on makes the next attempt a retry.
        self._store.update_pending(row.id, attempts=row.attempts + 1)
        remote = self._remote(row)
        work = op.remote_beside(remote) if beside is not None else None
        if beside is None or work is None:
            op.apply_remote(remote)
            return True
        beside.start(row.id, work)
        return False

    def _remote(self, row: PendingRow) -> Remote:
        local = self._local
        return Remote(local.account, local.store, local.emit, local.read_payload,
                      session=self._session, peers=self._peers, report=self.report,
                      op_id=row.id, retry=row.attempts > 0)

    # -- back-out ---------------------------------------------------------------------------
    def _fail(self, op: AnyOp, error: KnownError) -> None:
        log.info("operation %s (%s) refused: %s", op.op_id, op.kind, error.user_message)
        self._back_out(op, "failed", error.user_message)
        self.report.failed += 1
        self._local.emit(OperationFailed(self._local.account, op.op_id,
                                         op.failure_sentence(error.user_message)))

    def _conflict(self, op: AnyOp) -> None:
        folder = str(getattr(op.payload, "folder", ""))
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The folder “{folder}” was replaced on the server before your change "
            "could be made there, so the change was not applied."), folder=folder)
        self._back_out(op, "conflict", message)
        self.report.conflicts += 1
        self._local.emit(OperationFailed(self._local.account, op.op_id, message))

    def _back_out(self, op: AnyOp, state: str, reason: str) -> None:
        """Undo the local phase (with the progress the operation made: what did reach
        the server stays) and mark the row, in one transaction; then announce."""
        events: list[Event] = []
        with self._store.transaction(durable=True):
            op.back_out(replace(self._local, emit=events.append))
            self._store.update_pending(op.op_id, state=state, last_error=reason)
        for event in events:
            self._local.emit(event)
