"""The Outbox and drafts tables (schema 5): the Draft codec, row types, and rescue.

Every write here commits with ``synchronous=FULL`` (RELIABILITY.md H: what exists only
locally). A Draft is kept as JSON (attachments base64) so that Undo send and a
restart can give the user back exactly what they wrote, not only the built bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address, MessageRef
from qtmail.core.yielding import pause_lane
from qtmail.store.pending import insert_rescued

log = logging.getLogger(__name__)

# Persisted as text: never rename a state (they are qtmail.core.events.OutgoingState
# values for the outbox).
WAITING, SENDING, FAILED, MAYBE_SENT = "waiting", "sending", "failed", "maybe_sent"
OUTBOX_STATES = frozenset({WAITING, SENDING, FAILED, MAYBE_SENT})
SAVE, SAVED, DISCARD = "save", "saved", "discard"
DRAFT_STATES = frozenset({SAVE, SAVED, DISCARD})

OUTBOX_COLUMNS = ("id, draft, draft_id, raw, message_id, envelope_from, recipients,"
                  " replied, forwarded, state, problem, send_after, attempts, spool")
DRAFT_COLUMNS = "draft_id, draft, version, state, uid, uidvalidity, replaces"


# -- the Draft as JSON ---------------------------------------------------------------------


def _addresses(items: Sequence[Address]) -> list[list[str]]:
    return [[a.name, a.addr] for a in items]


def draft_to_json(draft: Draft) -> str:
    return json.dumps(_draft_fields(draft, [base64.b64encode(a.data).decode("ascii")
                                            for a in draft.attachments]),
                      ensure_ascii=False)


def _draft_fields(draft: Draft, blobs: Sequence[str]) -> dict[str, Any]:
    return {
        "from": [draft.from_address.name, draft.from_address.addr],
        "to": _addresses(draft.to), "cc": _addresses(draft.cc), "bcc": _addresses(draft.bcc),
        "subject": draft.subject, "body_text": draft.body_text, "body_html": draft.body_html,
        "attachments": [[a.filename, a.content_type, blob]
                        for a, blob in zip(draft.attachments, blobs, strict=True)],
        "in_reply_to": draft.in_reply_to, "references": list(draft.references),
    }


_BLOB_SLICE = 3 << 18
"""Bytes of an attachment base64-encoded at a time (a multiple of 3: the pieces join
into the base64 of the whole)."""


def draft_json_bytes(draft: Draft) -> bytes:
    """``draft_to_json(draft)`` in UTF-8, for the outgoing spool (any thread). Issue 18:
    for a 10 MB attachment, its base64, the JSON encoder's pass over the 14 MB string
    and its encoding are 36 ms of a lane holding Python's lock in three pieces, each one
    a wait for the account's worker. The JSON is made with a random mark in each
    attachment's place; each mark is then replaced by the base64, made a slice at a
    time (base64 needs no escaping in JSON)."""
    while True:
        marks = [secrets.token_hex(16) for _ in draft.attachments]
        text = json.dumps(_draft_fields(draft, marks), ensure_ascii=False).encode()
        if all(text.count(mark.encode()) == 1 for mark in marks):
            break  # (a mark found in the draft's own text as well: another draw)
    pieces: list[bytes] = []
    for attachment, mark in zip(draft.attachments, marks, strict=True):
        head, _, text = text.partition(mark.encode())
        pieces.append(head)
        data = attachment.data
        for start in range(0, len(data), _BLOB_SLICE):
            pause_lane()  # a worker answering the user goes first
            pieces.append(binascii.b2a_base64(data[start:start + _BLOB_SLICE],
                                              newline=False))
    pieces.append(text)
    return b"".join(pieces)  # lets go of Python's lock over 1 MB (CPython 3.9+)


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
    spool: str = ""
    """The token of the message's files in the spool (qtmail.store.spool; schema 10),
    "" when ``raw`` and ``draft`` are in the row itself (rows of older versions). A row
    read without its files (``Store.outgoing_item(whole=False)``) then has ``raw``
    empty and a ``draft`` without its attachments."""


@dataclass(frozen=True, slots=True)
class OutboxListing:
    """What the Outbox list and the send schedule need of a row: neither the message
    nor the draft (a 10 MB attachment made every look at the Outbox cost ~90 ms)."""

    id: int
    subject: str
    recipients: tuple[str, ...]
    state: str
    problem: str
    send_after: float
    draft_id: str


# The subject is read out of the draft's JSON by SQLite: no attachment is decoded.
LISTING_COLUMNS = ("id, json_extract(draft, '$.subject'), recipients, state, problem,"
                   " send_after, draft_id")


def outbox_listing(row: tuple[Any, ...]) -> OutboxListing:
    op_id, subject, recipients, state, problem, send_after, draft_id = row
    return OutboxListing(int(op_id), str(subject or ""),
                         tuple(str(r) for r in json.loads(recipients)), str(state),
                         str(problem), float(send_after), str(draft_id))


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


def outbox_row(row: tuple[Any, ...]) -> OutboxRow:
    (op_id, draft, draft_id, raw, message_id, envelope_from, recipients, replied,
     forwarded, state, problem, send_after, attempts, spool) = row
    return OutboxRow(int(op_id), draft_from_json(draft), str(draft_id), bytes(raw),
                     str(message_id), str(envelope_from),
                     tuple(str(r) for r in json.loads(recipients)), ref_from_json(replied),
                     ref_from_json(forwarded), str(state), str(problem), float(send_after),
                     int(attempts), str(spool or ""))


def draft_row(row: tuple[Any, ...]) -> DraftRow:
    draft_id, draft, version, state, uid, uidvalidity, replaces = row
    refs = tuple(r for r in (ref_from_json(json.dumps(item)) for item in json.loads(replaces))
                 if r is not None)
    return DraftRow(str(draft_id), None if draft is None else draft_from_json(draft),
                    int(version), str(state), int(uid), int(uidvalidity), refs)


def refs_json(refs: Sequence[MessageRef]) -> str:
    return json.dumps([[r.account, r.folder, r.uidvalidity, r.uid] for r in refs],
                      ensure_ascii=False)



# -- rescue from a damaged cache (RELIABILITY.md H.62) ----------------------------------

_RESCUED = {
    "outbox": f"{OUTBOX_COLUMNS}, created",
    "drafts": f"{DRAFT_COLUMNS}, updated",
}


def _rows(source: sqlite3.Connection, table: str, columns: str) -> list[tuple[Any, ...]]:
    try:
        return source.execute(f"SELECT {columns} FROM {table}").fetchall()
    except sqlite3.OperationalError as error:
        if table != "outbox" or "no such column: spool" not in str(error):
            raise
    # A cache older than schema 10: its messages are all in their rows.
    kept = columns.replace(", spool", "")
    return [(*row[:-1], "", row[-1]) for row in
            source.execute(f"SELECT {kept} FROM {table}").fetchall()]


def rescue(damaged: Path, conn: sqlite3.Connection) -> int:
    """Copy the readable Outbox and drafts rows of the damaged cache ``damaged`` into the
    fresh cache ``conn`` (autocommit mode), like pending.rescue; returns how many.

    Best effort: a table that cannot be read is logged and skipped, never raised (the
    alternative is a cache that cannot open). Only the write into ``conn`` may raise.
    """
    found: dict[str, list[tuple[Any, ...]]] = {}
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        log.warning("Could not open the damaged mail cache %s", damaged, exc_info=True)
        return 0
    try:
        for table, columns in _RESCUED.items():
            try:
                found[table] = _rows(source, table, columns)
            except sqlite3.Error as error:
                if "no such table" not in str(error):
                    log.warning("The %s rows of %s could not be read: %s", table, damaged,
                                error)
    finally:
        source.close()
    total = sum(len(rows) for rows in found.values())
    if not total:
        return 0
    insert_rescued(conn, {table: (_RESCUED[table], rows) for table, rows in found.items()})
    log.warning("Rescued %d messages and drafts being written from the damaged mail "
                "cache %s", total, damaged)
    return total
