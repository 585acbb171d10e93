"""The Outbox and the drafts in progress (schema 5): rows that exist nowhere else.

Every write here commits with ``synchronous=FULL`` (RELIABILITY.md H: what exists only
locally). A Draft is kept as JSON (attachments base64) so that Undo send and a
restart can give the user back exactly what they wrote, not only the built bytes.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address, MessageRef
from qtmail.store.base import StoreBase, checked

# Persisted as text: never rename a state (they are qtmail.core.events.OutgoingState
# values for the outbox).
WAITING, SENDING, FAILED, MAYBE_SENT = "waiting", "sending", "failed", "maybe_sent"
OUTBOX_STATES = frozenset({WAITING, SENDING, FAILED, MAYBE_SENT})
SAVE, SAVED, DISCARD = "save", "saved", "discard"
DRAFT_STATES = frozenset({SAVE, SAVED, DISCARD})

_OUTBOX_COLUMNS = ("id, draft, draft_id, raw, message_id, envelope_from, recipients,"
                   " replied, forwarded, state, problem, send_after, attempts")
_DRAFT_COLUMNS = "draft_id, draft, version, state, uid, uidvalidity, replaces"


# -- the Draft as JSON ---------------------------------------------------------------------


def _addresses(items: Sequence[Address]) -> list[list[str]]:
    return [[a.name, a.addr] for a in items]


def draft_to_json(draft: Draft) -> str:
    return json.dumps({
        "from": [draft.from_address.name, draft.from_address.addr],
        "to": _addresses(draft.to), "cc": _addresses(draft.cc), "bcc": _addresses(draft.bcc),
        "subject": draft.subject, "body_text": draft.body_text, "body_html": draft.body_html,
        "attachments": [[a.filename, a.content_type, base64.b64encode(a.data).decode("ascii")]
                        for a in draft.attachments],
        "in_reply_to": draft.in_reply_to, "references": list(draft.references),
    }, ensure_ascii=False)


def draft_from_json(text: str) -> Draft:
    data = json.loads(text)

    def addresses(key: str) -> tuple[Address, ...]:
        return tuple(Address(str(name), str(addr)) for name, addr in data[key])

    return Draft(
        from_address=Address(str(data["from"][0]), str(data["from"][1])),
        to=addresses("to"), cc=addresses("cc"), bcc=addresses("bcc"),
        subject=str(data["subject"]), body_text=str(data["body_text"]),
        body_html=data["body_html"],
        attachments=tuple(Attachment(str(name), str(ctype), base64.b64decode(blob))
                          for name, ctype, blob in data["attachments"]),
        in_reply_to=str(data["in_reply_to"]),
        references=tuple(str(r) for r in data["references"]))


def ref_to_json(ref: MessageRef | None) -> str | None:
    if ref is None:
        return None
    return json.dumps([ref.account, ref.folder, ref.uidvalidity, ref.uid], ensure_ascii=False)


def ref_from_json(text: str | None) -> MessageRef | None:
    if not text:
        return None
    account, folder, uidvalidity, uid = json.loads(text)
    return MessageRef(str(account), str(folder), int(uidvalidity), int(uid))


# -- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    draft: Draft
    draft_id: str
    raw: bytes
    message_id: str
    envelope_from: str
    recipients: tuple[str, ...]
    replied: MessageRef | None
    forwarded: MessageRef | None
    state: str
    problem: str
    send_after: float
    attempts: int


@dataclass(frozen=True, slots=True)
class DraftRow:
    draft_id: str
    draft: Draft | None
    """None once discarded (only the server copies remain to remove)."""
    version: int
    state: str
    uid: int
    uidvalidity: int
    replaces: tuple[MessageRef, ...]


def _outbox_row(row: tuple[Any, ...]) -> OutboxRow:
    (op_id, draft, draft_id, raw, message_id, envelope_from, recipients, replied,
     forwarded, state, problem, send_after, attempts) = row
    return OutboxRow(int(op_id), draft_from_json(draft), str(draft_id), bytes(raw),
                     str(message_id), str(envelope_from),
                     tuple(str(r) for r in json.loads(recipients)), ref_from_json(replied),
                     ref_from_json(forwarded), str(state), str(problem), float(send_after),
                     int(attempts))


def _draft_row(row: tuple[Any, ...]) -> DraftRow:
    draft_id, draft, version, state, uid, uidvalidity, replaces = row
    refs = tuple(r for r in (ref_from_json(json.dumps(item)) for item in json.loads(replaces))
                 if r is not None)
    return DraftRow(str(draft_id), None if draft is None else draft_from_json(draft),
                    int(version), str(state), int(uid), int(uidvalidity), refs)


class OutgoingStore(StoreBase):
    """The Outbox and drafts methods of Store (one durable transaction each, or the
    caller's ``transaction(durable=True)``)."""

    # -- outbox ---------------------------------------------------------------------------
    @checked
    def add_outgoing(self, draft: Draft, *, draft_id: str, raw: bytes, message_id: str,
                     envelope_from: str, recipients: Sequence[str],
                     replied: MessageRef | None, forwarded: MessageRef | None,
                     send_after: float) -> int:
        with self._durable_write():
            cursor = self._conn.execute(
                f"INSERT INTO outbox ({_OUTBOX_COLUMNS}, created) VALUES"
                " (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 0, ?)",
                (draft_to_json(draft), draft_id, raw, message_id, envelope_from,
                 json.dumps(list(recipients)), ref_to_json(replied), ref_to_json(forwarded),
                 WAITING, send_after, time.time()))
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    @checked
    def outgoing(self) -> list[OutboxRow]:
        """The whole Outbox, oldest first."""
        rows = self._conn.execute(f"SELECT {_OUTBOX_COLUMNS} FROM outbox ORDER BY id")
        return [_outbox_row(row) for row in rows]

    @checked
    def outgoing_item(self, outbox_id: int) -> OutboxRow | None:
        row = self._conn.execute(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?",
                                 (outbox_id,)).fetchone()
        return None if row is None else _outbox_row(row)

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
                f"INSERT OR REPLACE INTO drafts ({_DRAFT_COLUMNS}, updated) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?)",
                (draft_id, draft_to_json(draft), version, SAVE,
                 0 if old is None else old.uid, 0 if old is None else old.uidvalidity,
                 _refs_json(refs), time.time()))
            return version

    @checked
    def discard_draft(self, draft_id: str, replaces: Sequence[MessageRef] = ()) -> None:
        """Forget the text; the server copies stay listed for removal (state discard)."""
        with self._durable_write():
            old = self._draft(draft_id)
            refs = list(old.replaces if old is not None else ())
            refs += [r for r in replaces if r not in refs]
            self._conn.execute(
                f"INSERT OR REPLACE INTO drafts ({_DRAFT_COLUMNS}, updated) VALUES"
                " (?, NULL, ?, ?, ?, ?, ?, ?)",
                (draft_id, 1 if old is None else old.version + 1, DISCARD,
                 0 if old is None else old.uid, 0 if old is None else old.uidvalidity,
                 _refs_json(refs), time.time()))

    @checked
    def drafts(self, *, states: Sequence[str] = (SAVE, DISCARD)) -> list[DraftRow]:
        wanted = [s for s in states if s in DRAFT_STATES]
        rows = self._conn.execute(
            f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE state IN"
            " (SELECT value FROM json_each(?)) ORDER BY updated", (json.dumps(wanted),))
        return [_draft_row(row) for row in rows]

    @checked
    def draft(self, draft_id: str) -> DraftRow | None:
        return self._draft(draft_id)

    def _draft(self, draft_id: str) -> DraftRow | None:
        row = self._conn.execute(f"SELECT {_DRAFT_COLUMNS} FROM drafts WHERE draft_id = ?",
                                 (draft_id,)).fetchone()
        return None if row is None else _draft_row(row)

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


def _refs_json(refs: Sequence[MessageRef]) -> str:
    return json.dumps([[r.account, r.folder, r.uidvalidity, r.uid] for r in refs],
                      ensure_ascii=False)
