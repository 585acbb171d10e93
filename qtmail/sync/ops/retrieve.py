"""Retrieve: the undo of a transfer. The messages with these Message-IDs come back
from a folder of another account (APPEND here, unless the transfer was a copy), and
only once all are back do they leave that account (as a transfer does)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from qtmail.core.commands import Command, RetrieveMessages
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence
from qtmail.core.types import RECENT
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import OpKind, Payload, Rename, count_sentence, wire_key
from qtmail.sync.ops.context import Local, Remote


@dataclass(frozen=True, slots=True)
class RetrievePayload(Payload):
    folder: str
    folder_wire: str | None
    from_account: str
    from_folder: str
    message_ids: tuple[str, ...]
    append: bool
    done: tuple[str, ...] = ()
    """Message-IDs already back here."""

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "from_account": self.from_account, "from_folder": self.from_folder,
                "message_ids": list(self.message_ids), "append": self.append,
                "done": list(self.done)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RetrievePayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   from_account=data["from_account"], from_folder=data["from_folder"],
                   message_ids=tuple(data["message_ids"]),
                   append=bool(data.get("append", True)), done=tuple(data.get("done", ())))

    def renamed(self, rename: Rename) -> RetrievePayload:
        return replace(self, folder=rename(self.folder))


class RetrieveOp(PendingOp[RetrievePayload]):
    kind = OpKind.RETRIEVE
    payload_type = RetrievePayload
    commands = (RetrieveMessages,)
    failure = QT_TRANSLATE_NOOP(
        "Errors", "Bringing the messages back from the other account did not work and "
        "was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        """They reappear here with the resync that follows (the cache no longer holds
        them)."""
        assert isinstance(command, RetrieveMessages)
        if not command.message_ids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The messages cannot be found in the other account."))
        payload = RetrievePayload(
            folder=command.folder, folder_wire=local.wire(command.folder),
            from_account=command.from_account, from_folder=command.from_folder,
            message_ids=tuple(sorted(set(command.message_ids))), append=command.append)
        op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.announce_pending()
        return [op_id]

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        peer = remote.peer(p.from_account)
        folder = remote.folder_info(p.folder, p.folder_wire)
        for message_id in p.message_ids:
            if message_id in self.payload.done or not p.append:
                continue
            here: list[int] = []
            if remote.retry:
                # Appended before a crash: not twice.
                remote.session.select(folder)
                here = remote.session.writes.find_message_ids([message_id]).get(message_id, [])
            taken = None if here else peer.take_remote(p.from_folder, message_id)
            if taken is not None:
                raw, summary = taken
                remote.session.writes.append(folder, raw, flags=summary.flags - {RECENT},
                                      internaldate=summary.internaldate)
            progress = replace(self.payload, done=(*self.payload.done, message_id))
            remote.save(progress)
            self.payload = progress
        peer.delete_remote(p.from_folder, list(p.message_ids))
        remote.report.resync.add(p.folder)

    def describe(self) -> Sentence:
        p = self.payload
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Bring 1 message back from {account}"),
            QT_TRANSLATE_NOOP("Operations", "Bring {count} messages back from {account}"),
            len(p.message_ids), account=p.from_account)
