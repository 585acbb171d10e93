"""Move and copy within one account (also delete-to-Trash, archive, and the undo of a
move whose new UIDs the server did not report, found again by Message-ID)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qtmail.core.commands import (
    ArchiveMessages,
    Command,
    DeleteMessages,
    MoveByMessageId,
    MoveMessages,
)
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence
from qtmail.core.events import MessagesAdded
from qtmail.core.types import DELETED, FolderInfo, FolderRole, FolderSyncState
from qtmail.imap.session import CopyResult, MoveResult
from qtmail.store import Store
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import (
    OpKind,
    Payload,
    Rename,
    batches,
    count_sentence,
    undone_key,
    wire_key,
)
from qtmail.sync.ops.context import Local, Remote
from qtmail.sync.ops.folders import role_folder


@dataclass(frozen=True, slots=True)
class MovePayload(Payload):
    folder: str
    folder_wire: str | None
    uidvalidity: int | None
    """None until resolved, for a move by Message-ID."""
    uids: tuple[int, ...]
    dest: str
    dest_wire: str | None
    copy: bool
    done: tuple[int, ...] = ()
    """Source UIDs already moved: a retry resumes after them."""
    uid_map: Mapping[int, int] = field(default_factory=dict)
    """Source UID -> destination UID, as COPYUID reported them (RFC 4315)."""
    message_ids: Mapping[str, str] = field(default_factory=dict)
    """str(source UID) -> Message-ID (JSON keys are text)."""
    by_message_id: bool = False
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "uidvalidity": self.uidvalidity, "uids": list(self.uids),
                "dest": self.dest, **wire_key("dest_wire", self.dest_wire),
                "copy": self.copy, "done": list(self.done),
                "uid_map": {str(k): v for k, v in self.uid_map.items()},
                "message_ids": dict(self.message_ids),
                **({"by_message_id": True} if self.by_message_id else {}),
                **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MovePayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   uidvalidity=data.get("uidvalidity"), uids=tuple(data["uids"]),
                   dest=data["dest"], dest_wire=data.get("dest_wire"),
                   copy=bool(data["copy"]), done=tuple(data.get("done", ())),
                   uid_map={int(k): int(v) for k, v in data.get("uid_map", {}).items()},
                   message_ids=dict(data.get("message_ids", {})),
                   by_message_id=bool(data.get("by_message_id")),
                   undone=bool(data.get("undone")))

    def renamed(self, rename: Rename) -> MovePayload:
        return replace(self, folder=rename(self.folder), dest=rename(self.dest))


class MoveOp(PendingOp[MovePayload]):
    kind = OpKind.MOVE
    payload_type = MovePayload
    commands = (MoveMessages, ArchiveMessages, MoveByMessageId)
    failure = QT_TRANSLATE_NOOP("Errors", "Moving the messages did not work and was undone.")
    undoable = True

    # -- local phase ----------------------------------------------------------------------
    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        if isinstance(command, MoveMessages):
            return cls.record(local, command.folder, command.uids, command.dest,
                              copy=command.copy)
        if isinstance(command, ArchiveMessages):
            archive, created = cls._archive(local)
            return [*created, *cls.record(local, command.folder, command.uids, archive)]
        if isinstance(command, MoveByMessageId):
            return [cls._record_by_message_id(local, command)]
        return super().apply_local(local, command)

    @staticmethod
    def _archive(local: Local) -> tuple[str, list[int]]:
        """The \\Archive folder; where there is none but an \\All one (RFC 6154: Gmail's
        All Mail), that: on Gmail a message moved there only loses the label it is
        archived from, as Gmail's own Archive does; else a new "Archive"."""
        folders = local.store.folders()
        if not any(f.role is FolderRole.ARCHIVE for f in folders):
            every = next((f for f in folders if f.role is FolderRole.ALL and f.selectable),
                         None)
            if every is not None:
                return every.name, []
        return role_folder(local, FolderRole.ARCHIVE, "Archive")

    @classmethod
    def record(cls, local: Local, folder: str, uids: tuple[int, ...] | list[int], dest: str,
               *, copy: bool = False) -> list[int]:
        target = local.folder(dest)
        if not target.selectable:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "Messages cannot be put into “{dest}”: it only holds folders."),
                dest=dest))
        if dest == folder:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The messages are already in that folder."))
        uidvalidity = local.uidvalidity(folder)
        known, message_ids = local.known_with_ids(folder, uids)
        payload = MovePayload(folder=folder, folder_wire=local.wire(folder),
                              uidvalidity=uidvalidity, uids=tuple(known), dest=dest,
                              dest_wire=local.wire(dest), copy=copy, message_ids=message_ids)
        with local.store.transaction(durable=True):
            hidden = [] if copy else local.store.hide_messages(folder, known)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.hidden(folder, hidden)
        return [op_id]

    @classmethod
    def _record_by_message_id(cls, local: Local, command: MoveByMessageId) -> int:
        """Queue a move of the messages with these Message-IDs; their UIDs are looked up
        on the server when it runs (undo of a move whose new UIDs were not reported)."""
        if not command.message_ids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The moved messages cannot be found to move them back."))
        payload = MovePayload(folder=command.folder, folder_wire=local.wire(command.folder),
                              uidvalidity=None, uids=(), dest=command.dest,
                              dest_wire=local.wire(command.dest), copy=False,
                              message_ids=dict(command.message_ids), by_message_id=True)
        op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.announce_pending()
        return op_id

    # -- remote phase ---------------------------------------------------------------------
    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        if p.by_message_id:
            p = self._resolve_message_ids(remote)
        source = remote.select(p.folder, p.folder_wire, p.uidvalidity)
        target = remote.folder_info(p.dest, p.dest_wire)
        # Decided once for the whole move (RFC 6851 MOVE, else COPY + \Deleted).
        atomic = remote.session.moves_atomically and not p.copy
        remaining = [uid for uid in p.uids if uid not in set(p.done)]
        for batch in batches(remaining):
            if atomic:
                # UID MOVE of UIDs already moved is a no-op: safe to repeat.
                result = remote.session.writes.move_messages(batch, target)
            else:
                result = self._copy_then_delete(remote, source, target, batch)
            self._finish_batch(remote, batch, result)

    def _copy_then_delete(self, remote: Remote, source: FolderInfo, target: FolderInfo,
                          batch: list[int]) -> MoveResult:
        """COPY (skipping, on a retry, what the destination already holds: a COPY done
        just before a crash must not be repeated), then \\Deleted unless a copy."""
        p = self.payload
        present: set[int] = set()
        wanted = {p.message_ids[str(uid)]: uid for uid in batch if str(uid) in p.message_ids}
        if remote.retry and wanted:
            remote.session.select(target)
            found = remote.session.writes.find_message_ids(wanted)
            present = {wanted[mid] for mid, uids in found.items() if uids}
            remote.session.select(source)
        to_copy = [uid for uid in batch if uid not in present]
        copied = remote.session.writes.copy_messages(to_copy, target) if to_copy \
            else CopyResult({}, None)
        if p.copy:
            return MoveResult(copied.uid_map, copied.dest_uidvalidity, expunged=False)
        # RFC 4315 UID EXPUNGE removes only these; a plain EXPUNGE would remove what
        # other clients marked \Deleted, so without UIDPLUS they stay flagged.
        expunged = remote.session.writes.delete_messages(
            batch, expunge=remote.session.expunges_by_uid)
        return MoveResult(copied.uid_map, copied.dest_uidvalidity, expunged=expunged)

    def _finish_batch(self, remote: Remote, batch: list[int], result: MoveResult) -> None:
        p = self.payload
        store, src, dest = remote.store, p.folder, p.dest
        uid_map, expunged = result.uid_map, result.expunged
        progress = replace(p, done=(*p.done, *batch), uid_map={**p.uid_map, **uid_map})
        with store.transaction(durable=True):
            dest_known = store.folder(dest) is not None
            if not dest_known:
                # The destination was deleted or renamed locally meanwhile.
                if not p.copy:
                    store.remove_messages(src, batch)
            elif p.copy or not expunged:
                store.copy_message_rows(src, dest, uid_map)
                if not p.copy:
                    # Flagged \Deleted, not expunged (no MOVE, no UIDPLUS): stays hidden.
                    store.set_flags(src, {
                        uid: s.flags | {DELETED} for uid in batch
                        if (s := store.summary(src, uid)) is not None})
                    store.unhide_messages(src, batch)
            else:
                store.move_message_rows(src, dest, uid_map, uids=batch)
            if dest_known and uid_map and result.dest_uidvalidity is not None \
                    and store.folder_state(dest) is None:
                # A folder not synchronised yet now shows these rows, and the user may act
                # on them before its first sync (Not Junk right after Junk): their UIDs
                # hold under COPYUID's UIDVALIDITY, which the changes are checked against.
                # The state a first sync writes after its SELECT: it still fetches all.
                store.set_folder_state(dest, FolderSyncState(result.dest_uidvalidity))
            remote.save(progress)
        self.payload = progress
        if len(uid_map) < len(batch):
            remote.report.resync.add(dest)
        if uid_map:
            remote.emit(MessagesAdded(remote.account, dest, tuple(sorted(uid_map.values()))))
        remote.counts(src, dest)

    def _resolve_message_ids(self, remote: Remote) -> MovePayload:
        """Undo of a move without COPYUID: find the moved messages by Message-ID. Saved
        with the first batch's progress; a retry resolves them again (the same answer,
        or fewer once some have moved: those are in ``done``)."""
        p = self.payload
        remote.select(p.folder, p.folder_wire, None)
        found = remote.session.writes.find_message_ids(p.message_ids.values())
        self.payload = replace(
            p, uids=tuple(sorted({uid for matches in found.values() for uid in matches})),
            uidvalidity=remote.session.uidvalidity(),
            message_ids={str(uid): mid for mid, matches in found.items() for uid in matches})
        return self.payload

    # -- back-out and undo ----------------------------------------------------------------
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
        if p.by_message_id:
            return MoveByMessageId(p.folder, p.dest, tuple(p.message_ids.items()))
        return MoveMessages(p.folder, p.uids, p.dest, p.copy)

    def inverse(self, store: Store) -> list[Command]:
        p = self.payload
        if p.copy:
            uids = tuple(p.uid_map.values())
            if not uids:
                raise ConfigError(QT_TRANSLATE_NOOP(
                    "Errors", "The copies cannot be found to undo the copy."))
            return [DeleteMessages(p.dest, uids, permanent=True)]
        # The new UIDs mean something only under the destination's UIDVALIDITY: a folder
        # not synchronised yet (a Ctrl+Z right after the first move into Trash or a new
        # folder) has none cached, so the messages are found by Message-ID instead.
        if p.uid_map and len(p.uid_map) == len(p.uids) \
                and store.folder_state(p.dest) is not None:
            return [MoveMessages(p.dest, tuple(p.uid_map.values()), p.folder)]
        return [MoveByMessageId(p.dest, p.folder, tuple(p.message_ids.items()))]


    def describe(self) -> Sentence:
        p = self.payload
        count = len(p.uids) or len(p.message_ids)
        if p.copy:
            return count_sentence(
                QT_TRANSLATE_NOOP("Operations", "Copy 1 message to “{dest}”"),
                QT_TRANSLATE_NOOP("Operations", "Copy {count} messages to “{dest}”"),
                count, dest=p.dest)
        return count_sentence(
            QT_TRANSLATE_NOOP("Operations", "Move 1 message to “{dest}”"),
            QT_TRANSLATE_NOOP("Operations", "Move {count} messages to “{dest}”"),
            count, dest=p.dest)

    def failure_sentence(self, reason: str) -> Sentence:
        if self.payload.copy:
            return Sentence(QT_TRANSLATE_NOOP(
                "Errors", "Copying the messages did not work and was undone.")) + " " + reason
        return super().failure_sentence(reason)
