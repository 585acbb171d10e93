"""Move or copy messages to another account: download, APPEND there, and only then
delete here. Undone by a retrieve (retrieve.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qtmail.core.commands import Command, RetrieveMessages, TransferMessages
from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence
from qtmail.core.events import MessagesAdded
from qtmail.store import Store
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import (
    OpKind,
    Payload,
    Rename,
    count_sentence,
    undone_key,
    wire_key,
)
from qtmail.sync.ops.context import Local, Remote
from qtmail.sync.ops.move import MoveOp

MAX_TRANSFER_BYTES = 50 * 1024 * 1024
"""Download limit for one transferred message (RELIABILITY.md A.1)."""


@dataclass(frozen=True, slots=True)
class TransferPayload(Payload):
    folder: str
    folder_wire: str | None
    uidvalidity: int
    uids: tuple[int, ...]
    dest_account: str
    dest: str
    copy: bool
    done: tuple[int, ...] = ()
    """Source UIDs already appended in the other account."""
    message_ids: Mapping[str, str] = field(default_factory=dict)
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "uidvalidity": self.uidvalidity, "uids": list(self.uids),
                "dest_account": self.dest_account, "dest": self.dest, "copy": self.copy,
                "done": list(self.done), "message_ids": dict(self.message_ids),
                **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TransferPayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   uidvalidity=data["uidvalidity"], uids=tuple(data["uids"]),
                   dest_account=data["dest_account"], dest=data["dest"],
                   copy=bool(data["copy"]), done=tuple(data.get("done", ())),
                   message_ids=dict(data.get("message_ids", {})),
                   undone=bool(data.get("undone")))

    def renamed(self, rename: Rename) -> TransferPayload:
        # ``dest`` names a folder of the other account: a rename here does not touch it.
        return replace(self, folder=rename(self.folder))


class TransferOp(PendingOp[TransferPayload]):
    kind = OpKind.TRANSFER
    payload_type = TransferPayload
    commands = (TransferMessages,)
    failure = QT_TRANSLATE_NOOP(
        "Errors", "Moving the messages to the other account did not work and was undone.")
    undoable = True

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        """Move or copy to another account; the source copy goes only after APPEND."""
        assert isinstance(command, TransferMessages)
        folder = command.folder
        if command.dest_account == local.account:
            return MoveOp.record(local, folder, command.uids, command.dest, copy=command.copy)
        uidvalidity = local.uidvalidity(folder)
        known, message_ids = local.known_with_ids(folder, command.uids)
        payload = TransferPayload(folder=folder, folder_wire=local.wire(folder),
                                  uidvalidity=uidvalidity, uids=tuple(known),
                                  dest_account=command.dest_account, dest=command.dest,
                                  copy=command.copy, message_ids=message_ids)
        with local.store.transaction(durable=True):
            hidden = [] if command.copy else local.store.hide_messages(folder, known)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.hidden(folder, hidden)
        return [op_id]

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        peer = remote.peer(p.dest_account)
        remote.select(p.folder, p.folder_wire, p.uidvalidity)
        for uid in p.uids:
            if uid in self.payload.done:
                continue
            raw = remote.session.fetch_body(uid, max_size=MAX_TRANSFER_BYTES)
            summary = remote.store.summary(p.folder, uid)
            if raw is not None and summary is not None:
                # The peer skips a Message-ID already there (appended before a crash).
                peer.append_remote(p.dest, raw, flags=summary.flags,
                                   internaldate=summary.internaldate,
                                   message_id=p.message_ids.get(str(uid), ""))
            progress = replace(self.payload, done=(*self.payload.done, uid))
            remote.save(progress)
            self.payload = progress
        if p.copy:
            return
        # Only now, with every message safely in the other account, delete them here.
        remote.session.writes.delete_messages(list(p.uids), expunge=True)
        remote.store.remove_messages(p.folder, p.uids)
        remote.counts(p.folder)

    def back_out(self, local: Local) -> None:
        p = self.payload
        if not p.copy:
            back = [uid for uid in p.uids if uid not in set(p.done)]
            shown = local.store.unhide_messages(p.folder, back)
            if shown:
                local.emit(MessagesAdded(local.account, p.folder, tuple(shown)))
        local.counts(p.folder)

    def can_withdraw(self) -> bool:
        return not self.payload.copy

    def command(self) -> Command:
        p = self.payload
        return TransferMessages(p.folder, p.uids, p.dest_account, p.dest, p.copy)

    def inverse(self, store: Store) -> list[Command]:
        # Issue 5: across accounts, found there again by Message-ID (the other server's
        # UIDs were never reported to this account).
        p = self.payload
        return [RetrieveMessages(p.folder, p.dest_account, p.dest,
                                 tuple(p.message_ids.values()), append=not p.copy)]

    def describe(self) -> Sentence:
        p = self.payload
        if p.copy:
            return count_sentence(
                QT_TRANSLATE_NOOP("Operations", "Copy 1 message to “{dest}” of {account}"),
                QT_TRANSLATE_NOOP("Operations",
                                  "Copy {count} messages to “{dest}” of {account}"),
                len(p.uids), dest=p.dest, account=p.dest_account)
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Move 1 message to “{dest}” of {account}"),
            QT_TRANSLATE_NOOP("Operations", "Move {count} messages to “{dest}” of {account}"),
            len(p.uids), dest=p.dest, account=p.dest_account)
