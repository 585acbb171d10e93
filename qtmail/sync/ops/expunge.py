"""Delete messages: to Trash (a move), or for good (\\Deleted + expunge) when asked or
when they are in Trash already."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qtmail.core.commands import Command, DeleteMessages, EmptyFolder
from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence
from qtmail.core.events import MessagesAdded
from qtmail.core.types import FolderRole
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import OpKind, Payload, Rename, count_sentence, wire_key
from qtmail.sync.ops.context import Local, Remote
from qtmail.sync.ops.folders import role_folder
from qtmail.sync.ops.move import MoveOp


@dataclass(frozen=True, slots=True)
class ExpungePayload(Payload):
    folder: str
    folder_wire: str | None
    uidvalidity: int
    uids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "uidvalidity": self.uidvalidity, "uids": list(self.uids)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExpungePayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   uidvalidity=data["uidvalidity"], uids=tuple(data["uids"]))

    def renamed(self, rename: Rename) -> ExpungePayload:
        return ExpungePayload(rename(self.folder), self.folder_wire, self.uidvalidity,
                              self.uids)


class ExpungeOp(PendingOp[ExpungePayload]):
    kind = OpKind.EXPUNGE
    payload_type = ExpungePayload
    commands = (DeleteMessages, EmptyFolder)
    failure = QT_TRANSLATE_NOOP("Errors", "Deleting the messages did not work and was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        if isinstance(command, EmptyFolder):
            # Hidden rows are leaving by a queued move of their own: not this one's.
            shown = local.store.shown_uids(command.folder)
            if not shown:
                return []
            command = DeleteMessages(command.folder, tuple(shown), permanent=True)
        assert isinstance(command, DeleteMessages)
        folder = command.folder
        if not command.permanent and local.folder(folder).role is not FolderRole.TRASH:
            trash, created = role_folder(local, FolderRole.TRASH, "Trash")
            return [*created, *MoveOp.record(local, folder, command.uids, trash)]
        uidvalidity = local.uidvalidity(folder)
        known, _ids = local.known_with_ids(folder, command.uids)
        payload = ExpungePayload(folder, local.wire(folder), uidvalidity, tuple(known))
        with local.store.transaction(durable=True):
            hidden = local.store.hide_messages(folder, known)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.hidden(folder, hidden)
        return [op_id]

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        remote.select(p.folder, p.folder_wire, p.uidvalidity)
        # \Deleted and UID EXPUNGE of UIDs already gone are no-ops: safe to repeat.
        if remote.session.writes.delete_messages(list(p.uids), expunge=True):
            remote.store.remove_messages(p.folder, p.uids)
        remote.counts(p.folder)

    def back_out(self, local: Local) -> None:
        p = self.payload
        shown = local.store.unhide_messages(p.folder, p.uids)
        if shown:
            local.emit(MessagesAdded(local.account, p.folder, tuple(shown)))
        local.counts(p.folder)

    def describe(self) -> Sentence:
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Delete 1 message for good"),
            QT_TRANSLATE_NOOP("Operations", "Delete {count} messages for good"),
            len(self.payload.uids))
