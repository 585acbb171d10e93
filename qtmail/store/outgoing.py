"""The Outbox and the drafts in progress (schema 5): rows that exist nowhere else.

Every write here commits with ``synchronous=FULL`` (RELIABILITY.md H: what exists only
locally). Row types, the Draft codec and the rescue from a damaged cache live in
``qtmail.store.outgoing_rows``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace

from qtmail.core.outgoing import Draft
from qtmail.core.types import MessageRef
from qtmail.store.base import StoreBase, checked
from qtmail.store.outgoing_rows import (
    DISCARD,
    DRAFT_COLUMNS,
    DRAFT_STATES,
    FAILED,
    LISTING_COLUMNS,
    MAYBE_SENT,
    OUTBOX_COLUMNS,
    OUTBOX_STATES,
    SAVE,
    SAVED,
    SENDING,
    WAITING,
    DraftRow,
    OutboxListing,
    OutboxRow,
    draft_from_json,
    draft_json_bytes,
    draft_row,
    draft_to_json,
    outbox_listing,
    outbox_row,
    ref_to_json,
    refs_json,
)
from qtmail.store.pending import DONE
from qtmail.store.spool import DRAFT, MESSAGE, Spool, spool_for

__all__ = ["DISCARD", "FAILED", "MAYBE_SENT", "SAVE", "SAVED", "SENDING", "WAITING",
           "DraftRow", "OutboxRow", "OutgoingStore", "spool_outgoing"]


def spool_outgoing(spool: Spool, draft: Draft, raw: bytes) -> str:
    """Write a built message and its draft to ``spool`` (any thread: no SQLite); the
    token to hand to ``add_outgoing``, which claims the files."""
    return spool.put({MESSAGE: raw, DRAFT: draft_json_bytes(draft)})


class OutgoingStore(StoreBase):
    """The Outbox and drafts methods of Store (one durable transaction each, or the
    caller's ``transaction(durable=True)``)."""

    _spool: Spool | None = None

    # -- outbox ---------------------------------------------------------------------------
    @property
    def spool(self) -> Spool:
        """Where the Outbox keeps its messages (files: usable from any thread)."""
        if self._spool is None:
            self._spool = spool_for(self.path)
        return self._spool

    @checked
    def add_outgoing(self, draft: Draft, *, draft_id: str, raw: bytes, message_id: str,
                     envelope_from: str, recipients: Sequence[str],
                     replied: MessageRef | None, forwarded: MessageRef | None,
                     send_after: float, spool: str = "") -> int:
        """A message into the Outbox. With ``spool``, the token of its files written by
        ``spool.put`` (they hold the message and the whole draft): the row then keeps
        ``raw`` empty and the draft without its attachments, and stays small."""
        if spool:
            raw, draft = b"", replace(draft, attachments=())
        with self._durable_write():
            cursor = self._conn.execute(
                f"INSERT INTO outbox ({OUTBOX_COLUMNS}, created) VALUES"
                " (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 0, ?, ?)",
                (draft_to_json(draft), draft_id, raw, message_id, envelope_from,
                 json.dumps(list(recipients)), ref_to_json(replied), ref_to_json(forwarded),
                 WAITING, send_after, spool, time.time()))
            assert cursor.lastrowid is not None
            outbox_id = cursor.lastrowid
        if spool:
            self.spool.claim(spool)  # a row names it (or, rolled back, none ever will)
        return outbox_id

    def _whole(self, row: OutboxRow) -> OutboxRow:
        """``row`` with its message and draft read from the spool."""
        if not row.spool:
            return row
        return replace(row, raw=self.spool.read(row.spool, MESSAGE),
                       draft=draft_from_json(self.spool.read(row.spool, DRAFT).decode()))

    @checked
    def sweep_spool(self) -> int:
        """Remove the spool files no Outbox row and no operation still to do or to look
        at (the Sent copy's APPEND, queued, or kept as a conflict or failure) refers to;
        returns how many messages' files went."""
        spool = self.spool
        if not spool.directory.is_dir():
            return 0
        keep = {str(r[0]) for r in self._conn.execute(
            "SELECT spool FROM outbox WHERE spool != ''")}
        keep.update(str(r[0]) for r in self._conn.execute(
            "SELECT json_extract(payload, '$.spool') FROM pending"
            " WHERE state != ? AND json_extract(payload, '$.spool') IS NOT NULL", (DONE,)))
        return spool.sweep(keep)

    @checked
    def outgoing(self) -> list[OutboxRow]:
        """The whole Outbox, oldest first, each message whole."""
        rows = self._conn.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id")
        return [self._whole(outbox_row(row)) for row in rows.fetchall()]

    @checked
    def outgoing_listing(self) -> list[OutboxListing]:
        """The whole Outbox without the messages themselves, oldest first."""
        rows = self._conn.execute(f"SELECT {LISTING_COLUMNS} FROM outbox ORDER BY id")
        return [outbox_listing(row) for row in rows]

    @checked
    def outgoing_item(self, outbox_id: int, *, whole: bool = True) -> OutboxRow | None:
        """One message of the Outbox; without ``whole`` its spool files are not read
        (``OutboxRow.spool`` says what is missing then)."""
        row = self._conn.execute(f"SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?",
                                 (outbox_id,)).fetchone()
        if row is None:
            return None
        return self._whole(outbox_row(row)) if whole else outbox_row(row)

    @checked
    def update_outgoing(self, outbox_id: int, *, state: str, problem: str = "",
                        attempts: int | None = None, send_after: float | None = None
                        ) -> bool:
        """Change a row's state (durably: SENDING must be on disk before DATA); False
        when the row is gone."""
        if state not in OUTBOX_STATES:
            raise ValueError(f"unknown outbox state {state!r}")
        with self._durable_write():
            cursor = self._conn.execute(
                "UPDATE outbox SET state = ?, problem = ?,"
                " attempts = coalesce(?, attempts), send_after = coalesce(?, send_after)"
                " WHERE id = ?", (state, problem, attempts, send_after, outbox_id))
            return cursor.rowcount > 0

    @checked
    def remove_outgoing(self, outbox_id: int) -> bool:
        with self._durable_write():
            cursor = self._conn.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))
            return cursor.rowcount > 0

    @checked
    def sending_to_maybe_sent(self, problem: str) -> list[int]:
        """At start-up: a row left SENDING was cut off mid-send; whether the server took
        it cannot be known, so it becomes MAYBE_SENT (RFC 5321 6.1)."""
        with self._durable_write():
            ids = [int(r[0]) for r in self._conn.execute(
                "SELECT id FROM outbox WHERE state = ?", (SENDING,))]
            self._conn.execute("UPDATE outbox SET state = ?, problem = ? WHERE state = ?",
                               (MAYBE_SENT, problem, SENDING))
            return ids

    # -- drafts ----------------------------------------------------------------------------
    @checked
    def save_draft(self, draft_id: str, draft: Draft, replaces: Sequence[MessageRef] = ()
                   ) -> int:
        """Keep the newest text of ``draft_id`` (state save); returns its version."""
        with self._durable_write():
            old = self._draft(draft_id)
            version = 1 if old is None else old.version + 1
            refs = list(old.replaces if old is not None else ())
            refs += [r for r in replaces if r not in refs]
            self._conn.execute(
                f"INSERT OR REPLACE INTO drafts ({DRAFT_COLUMNS}, updated) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?)",
                (draft_id, draft_to_json(draft), version, SAVE,
                 0 if old is None else old.uid, 0 if old is None else old.uidvalidity,
                 refs_json(refs), time.time()))
            return version

    @checked
    def discard_draft(self, draft_id: str, replaces: Sequence[MessageRef] = ()) -> None:
        """Forget the text; the server copies stay listed for removal (state discard)."""
        with self._durable_write():
            old = self._draft(draft_id)
            refs = list(old.replaces if old is not None else ())
            refs += [r for r in replaces if r not in refs]
            self._conn.execute(
                f"INSERT OR REPLACE INTO drafts ({DRAFT_COLUMNS}, updated) VALUES"
                " (?, NULL, ?, ?, ?, ?, ?, ?)",
                (draft_id, 1 if old is None else old.version + 1, DISCARD,
                 0 if old is None else old.uid, 0 if old is None else old.uidvalidity,
                 refs_json(refs), time.time()))

    @checked
    def drafts(self, *, states: Sequence[str] = (SAVE, DISCARD)) -> list[DraftRow]:
        wanted = [s for s in states if s in DRAFT_STATES]
        rows = self._conn.execute(
            f"SELECT {DRAFT_COLUMNS} FROM drafts WHERE state IN"
            " (SELECT value FROM json_each(?)) ORDER BY updated", (json.dumps(wanted),))
        return [draft_row(row) for row in rows]

    @checked
    def draft(self, draft_id: str) -> DraftRow | None:
        return self._draft(draft_id)

    def _draft(self, draft_id: str) -> DraftRow | None:
        row = self._conn.execute(f"SELECT {DRAFT_COLUMNS} FROM drafts WHERE draft_id = ?",
                                 (draft_id,)).fetchone()
        return None if row is None else draft_row(row)

    @checked
    def draft_pushed(self, draft_id: str, version: int, uid: int, uidvalidity: int) -> bool:
        """The server holds ``version`` as ``uid`` and older copies are gone: state saved,
        unless a newer version (or a discard) came meanwhile. Returns whether it stuck."""
        with self._durable_write():
            cursor = self._conn.execute(
                "UPDATE drafts SET state = ?, uid = ?, uidvalidity = ?, replaces = '[]'"
                " WHERE draft_id = ? AND version = ? AND state = ?",
                (SAVED, uid, uidvalidity, draft_id, version, SAVE))
            if cursor.rowcount == 0:
                self._conn.execute(
                    "UPDATE drafts SET uid = ?, uidvalidity = ? WHERE draft_id = ?",
                    (uid, uidvalidity, draft_id))
            return cursor.rowcount > 0

    @checked
    def forget_draft(self, draft_id: str, version: int) -> bool:
        """A discarded draft is gone from the server too: drop its row (unless it was
        saved again meanwhile)."""
        with self._durable_write():
            cursor = self._conn.execute(
                "DELETE FROM drafts WHERE draft_id = ? AND version = ? AND state = ?",
                (draft_id, version, DISCARD))
            return cursor.rowcount > 0
