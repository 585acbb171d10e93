"""Flags: add and remove flags (read, flagged, ...) on messages of one folder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from qtmail.core.commands import Command, SetFlags
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence
from qtmail.core.events import FlagsChanged
from qtmail.core.types import FLAGGED, SEEN
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


@dataclass(frozen=True, slots=True)
class FlagsPayload(Payload):
    folder: str
    folder_wire: str | None
    uidvalidity: int
    uids: tuple[int, ...]
    add: tuple[str, ...]
    remove: tuple[str, ...]
    previous: Mapping[int, tuple[str, ...]]
    """The flags each message had before: what a back-out or an undo restores."""
    automatic: bool = False
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "uidvalidity": self.uidvalidity, "uids": list(self.uids),
                "add": list(self.add), "remove": list(self.remove),
                "previous": {str(uid): list(flags) for uid, flags in self.previous.items()},
                **({"automatic": True} if self.automatic else {}),
                **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FlagsPayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   uidvalidity=data["uidvalidity"], uids=tuple(data["uids"]),
                   add=tuple(data["add"]), remove=tuple(data["remove"]),
                   previous={int(uid): tuple(flags)
                             for uid, flags in data["previous"].items()},
                   automatic=bool(data.get("automatic")), undone=bool(data.get("undone")))

    def renamed(self, rename: Rename) -> FlagsPayload:
        return replace(self, folder=rename(self.folder))


class FlagsOp(PendingOp[FlagsPayload]):
    kind = OpKind.FLAGS
    payload_type = FlagsPayload
    commands = (SetFlags,)
    failure = QT_TRANSLATE_NOOP("Errors", "The change of flags did not work and was undone.")
    undoable = True

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        assert isinstance(command, SetFlags)
        add, remove = frozenset(command.add), frozenset(command.remove)
        if add & remove:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "A flag cannot be set and cleared at once."))
        folder = command.folder
        uidvalidity = local.uidvalidity(folder)
        previous = local.flags_of(folder, command.uids)
        wanted = {uid: (flags | add) - remove for uid, flags in previous.items()}
        payload = FlagsPayload(
            folder=folder, folder_wire=local.wire(folder), uidvalidity=uidvalidity,
            uids=tuple(sorted(previous)), add=tuple(sorted(add)), remove=tuple(sorted(remove)),
            previous={uid: tuple(sorted(flags)) for uid, flags in previous.items()},
            automatic=command.automatic)
        with local.store.transaction(durable=True):
            changed = local.store.set_flags(folder, wanted)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        if changed:
            local.emit(FlagsChanged(local.account, folder, tuple(changed)))
            local.counts(folder)
        local.announce_pending()
        return [op_id]

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        remote.select(p.folder, p.folder_wire, p.uidvalidity)
        # STORE of a flag already set or cleared is a no-op: safe to repeat.
        remote.session.writes.store_flags(list(p.uids), add=frozenset(p.add),
                                   remove=frozenset(p.remove))

    def back_out(self, local: Local) -> None:
        p = self.payload
        previous = {uid: frozenset(flags) for uid, flags in p.previous.items()}
        changed = local.store.set_flags(p.folder, previous)
        if changed:
            local.emit(FlagsChanged(local.account, p.folder, tuple(changed)))
        local.counts(p.folder)

    def can_withdraw(self) -> bool:
        return True

    def command(self) -> Command:
        p = self.payload
        return SetFlags(p.folder, p.uids, frozenset(p.add), frozenset(p.remove))

    def inverse(self, store: Store) -> list[Command]:
        p = self.payload
        add, remove = frozenset(p.add), frozenset(p.remove)
        groups: dict[tuple[frozenset[str], frozenset[str]], list[int]] = defaultdict(list)
        for uid, flags in p.previous.items():
            before = frozenset(flags)
            after = (before | add) - remove
            groups[(before - after, after - before)].append(uid)
        return [SetFlags(p.folder, tuple(uids), add=back, remove=drop)
                for (back, drop), uids in groups.items() if back or drop]


    def describe(self) -> Sentence:
        p = self.payload
        count = len(p.uids)
        if p.add == (SEEN,) and not p.remove:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Mark 1 message as read"),
                                  QT_TRANSLATE_NOOP("Operations",
                                                    "Mark {count} messages as read"), count)
        if p.remove == (SEEN,) and not p.add:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Mark 1 message as unread"),
                                  QT_TRANSLATE_NOOP("Operations",
                                                    "Mark {count} messages as unread"), count)
        if p.add == (FLAGGED,) and not p.remove:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Flag 1 message"),
                                  QT_TRANSLATE_NOOP("Operations", "Flag {count} messages"),
                                  count)
        if p.remove == (FLAGGED,) and not p.add:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Unflag 1 message"),
                                  QT_TRANSLATE_NOOP("Operations", "Unflag {count} messages"),
                                  count)
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Change the flags of 1 message"),
            QT_TRANSLATE_NOOP("Operations", "Change the flags of {count} messages"), count)
