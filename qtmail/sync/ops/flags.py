"""Flags: add and remove flags (read, flagged, ...) on messages of one folder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qtmail.core.commands import Command, MarkFolderRead, SetFlags, SetFlagsByMessageId
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence, ServerError
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
    uidvalidity: int | None
    """None for a change by Message-ID (resolved on the server)."""
    uids: tuple[int, ...]
    add: tuple[str, ...]
    remove: tuple[str, ...]
    previous: Mapping[int, tuple[str, ...]]
    """The flags each message had before: what a back-out or an undo restores."""
    automatic: bool = False
    undone: bool = False
    message_ids: Mapping[str, str] = field(default_factory=dict)
    """str(UID) -> Message-ID, so that an undo finds messages whose UIDs changed since
    (absent from rows written before qtmail kept it)."""
    by_message_id: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "uidvalidity": self.uidvalidity, "uids": list(self.uids),
                "add": list(self.add), "remove": list(self.remove),
                "previous": {str(uid): list(flags) for uid, flags in self.previous.items()},
                **({"automatic": True} if self.automatic else {}),
                **undone_key(self.undone),
                **({"message_ids": dict(self.message_ids)} if self.message_ids else {}),
                **({"by_message_id": True} if self.by_message_id else {})}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FlagsPayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   uidvalidity=data["uidvalidity"], uids=tuple(data["uids"]),
                   add=tuple(data["add"]), remove=tuple(data["remove"]),
                   previous={int(uid): tuple(flags)
                             for uid, flags in data["previous"].items()},
                   automatic=bool(data.get("automatic")), undone=bool(data.get("undone")),
                   message_ids=dict(data.get("message_ids", {})),
                   by_message_id=bool(data.get("by_message_id")))

    def renamed(self, rename: Rename) -> FlagsPayload:
        return replace(self, folder=rename(self.folder))


class FlagsOp(PendingOp[FlagsPayload]):
    kind = OpKind.FLAGS
    payload_type = FlagsPayload
    commands = (SetFlags, SetFlagsByMessageId, MarkFolderRead)
    failure = QT_TRANSLATE_NOOP("Errors", "The change of flags did not work and was undone.")
    undoable = True

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        if isinstance(command, SetFlagsByMessageId):
            return [cls._record_by_message_id(local, command)]
        if isinstance(command, MarkFolderRead):
            unread = local.store.unread_uids(command.folder)
            if not unread:
                return []  # nothing to do, nothing to undo
            command = SetFlags(command.folder, tuple(unread), add=frozenset({SEEN}))
        assert isinstance(command, SetFlags)
        add, remove = frozenset(command.add), frozenset(command.remove)
        if add & remove:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "A flag cannot be set and cleared at once."))
        folder = command.folder
        uidvalidity = local.uidvalidity(folder)
        summaries = local.summaries(folder, command.uids)
        previous = {s.uid: s.flags for s in summaries}
        wanted = {uid: (flags | add) - remove for uid, flags in previous.items()}
        payload = FlagsPayload(
            folder=folder, folder_wire=local.wire(folder), uidvalidity=uidvalidity,
            uids=tuple(sorted(previous)), add=tuple(sorted(add)), remove=tuple(sorted(remove)),
            previous={uid: tuple(sorted(flags)) for uid, flags in previous.items()},
            automatic=command.automatic,
            message_ids={str(s.uid): s.message_id for s in summaries if s.message_id})
        with local.store.transaction(durable=True):
            changed = local.store.set_flags(folder, wanted)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        if changed:
            local.emit(FlagsChanged(local.account, folder, tuple(changed)))
            local.counts(folder)
        local.announce_pending()
        return [op_id]

    @classmethod
    def _record_by_message_id(cls, local: Local, command: SetFlagsByMessageId) -> int:
        """Nothing changes in the cache (the messages may not be in it yet): the resync
        after the replay shows the flags."""
        if not command.message_ids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The messages cannot be found to change their flags back."))
        payload = FlagsPayload(
            folder=command.folder, folder_wire=local.wire(command.folder), uidvalidity=None,
            uids=(), add=tuple(sorted(command.add)), remove=tuple(sorted(command.remove)),
            previous={}, message_ids=dict(command.message_ids), by_message_id=True)
        op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.announce_pending()
        return op_id

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        remote.select(p.folder, p.folder_wire, p.uidvalidity)
        uids = list(p.uids)
        if p.by_message_id:
            found = remote.session.writes.find_message_ids(p.message_ids.values())
            uids = sorted({uid for matches in found.values() for uid in matches})
            remote.report.resync.add(p.folder)
        if not uids:
            return  # not found by Message-ID (yet): the resync above shows the truth
        # STORE of a flag already set or cleared is a no-op: safe to repeat.
        writes = remote.session.writes
        writes.store_flags(uids, add=frozenset(p.add), remove=frozenset(p.remove))
        # Issue 13 item 1: a queued change must not vanish. STORE to a UID that is no
        # longer there (moved or deleted meanwhile, here or on another device) is
        # answered OK, so ask which ones were there; the resync corrects the cache.
        missing = set(uids) - writes.existing_uids(uids)
        if missing:
            remote.report.resync.add(p.folder)
            if len(missing) == len(uids):
                raise _gone(p.folder)

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
        if p.by_message_id:
            return SetFlagsByMessageId(p.folder, tuple(p.message_ids.items()),
                                       frozenset(p.add), frozenset(p.remove))
        return SetFlags(p.folder, p.uids, frozenset(p.add), frozenset(p.remove))

    def inverse(self, store: Store) -> list[Command]:
        p = self.payload
        add, remove = frozenset(p.add), frozenset(p.remove)
        if p.by_message_id:
            return [SetFlagsByMessageId(p.folder, tuple(p.message_ids.items()),
                                        add=remove, remove=add)]
        groups: dict[tuple[frozenset[str], frozenset[str]], list[int]] = defaultdict(list)
        for uid, flags in p.previous.items():
            before = frozenset(flags)
            after = (before | add) - remove
            groups[(before - after, after - before)].append(uid)
        # Messages moved away (hidden, or gone from the cache: moved and back, with new
        # UIDs) are found by Message-ID when the rows written now know it.
        here = set(store.message_ids_for(p.folder, p.uids)) - set(store.hidden_uids(p.folder))
        commands: list[Command] = []
        for (back, drop), uids in groups.items():
            if not back and not drop:
                continue
            ids = tuple((str(uid), p.message_ids[str(uid)]) for uid in uids
                        if str(uid) in p.message_ids)
            if set(uids) <= here or len(ids) < len(uids):
                commands.append(SetFlags(p.folder, tuple(uids), add=back, remove=drop))
            else:
                commands.append(SetFlagsByMessageId(p.folder, ids, add=back, remove=drop))
        return commands


    def describe(self) -> Sentence:
        p = self.payload
        count = len(p.uids) or len(p.message_ids)
        if p.add == (SEEN,) and not p.remove:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Mark 1 message as read"),
                                  QT_TRANSLATE_NOOP("Operations",
                                                    "Mark {count} messages as read"), count)
        if p.remove == (SEEN,) and not p.add:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Mark 1 message as unread"),
                                  QT_TRANSLATE_NOOP("Operations",
                                                    "Mark {count} messages as unread"), count)
        if p.add == (FLAGGED,) and not p.remove:
            return count_sentence(QT_TRANSLATE_NOOP("Operations", "Star 1 message"),
                                  QT_TRANSLATE_NOOP("Operations", "Star {count} messages"),
                                  count)
        if p.remove == (FLAGGED,) and not p.add:
            return count_sentence(QT_TRANSLATE_NOOP("Operations",
                                                    "Remove the star from 1 message"),
                                  QT_TRANSLATE_NOOP("Operations",
                                                    "Remove the star from {count} messages"),
                                  count)
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Change the flags of 1 message"),
            QT_TRANSLATE_NOOP("Operations", "Change the flags of {count} messages"), count)


def _gone(folder: str) -> ServerError:
    return ServerError(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The message is no longer in “{folder}” on the server (it was moved or "
        "deleted), so the change could not be made."), folder=folder), code="NONEXISTENT")
