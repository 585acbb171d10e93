"""Folder operations: create, rename (or move under another parent), delete, subscribe.

The server's folder list is the truth for these: a refusal is backed out by re-reading
it (``changes_folders``), and a replay after a crash accepts "already exists" /
"does not exist" as done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from qtmail.core.commands import Command, CreateFolder, DeleteFolder, RenameFolder, SubscribeFolder
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence, ServerError
from qtmail.core.folder_paths import personal_prefix, server_path
from qtmail.core.types import FolderInfo, FolderRole
from qtmail.imap import utf7
from qtmail.store import Store
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import PROTECTED_ROLES, OpKind, Payload, undone_key
from qtmail.sync.ops.context import Local, Remote, wire_folder


def refuse_special(folder: FolderInfo, sentence: str) -> None:
    """``sentence``: a template with {folder} (marked where it is written)."""
    if folder.role in PROTECTED_ROLES or folder.name.upper() == "INBOX":
        raise ConfigError(Sentence(sentence, folder=folder.name))


def role_folder(local: Local, role: FolderRole, default_name: str) -> tuple[str, list[int]]:
    """The special folder for ``role``, and the ids of the operation that creates it
    (queued) when it is missing."""
    folders = local.store.folders()
    for folder in folders:
        if folder.role is role:
            return folder.name, []
    delimiter = next((f.delimiter for f in folders if f.delimiter), "/")
    default_name = server_path(default_name, delimiter, personal_prefix(folders))
    if local.store.folder(default_name) is None:
        return default_name, CreateFolderOp.apply_local(local, CreateFolder(default_name))
    return default_name, []


P = TypeVar("P", bound=Payload)


class _FolderOp(PendingOp[P]):
    changes_folders = True
    undoable = True

    def apply_remote(self, remote: Remote) -> None:
        try:
            self._remote(remote)
        except ServerError as error:
            if self._already_done(error, remote.retry):
                return
            raise

    def _remote(self, remote: Remote) -> None:
        raise NotImplementedError

    def _already_done(self, error: ServerError, retry: bool) -> bool:
        """What the server had applied before (a replay after a crash)."""
        return retry and error.code in ("NONEXISTENT", "ALREADYEXISTS")



# -- create -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CreatePayload(Payload):
    name: str
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CreatePayload:
        return cls(name=data["name"], undone=bool(data.get("undone")))


class CreateFolderOp(_FolderOp[CreatePayload]):
    kind = OpKind.CREATE_FOLDER
    payload_type = CreatePayload
    commands = (CreateFolder,)
    failure = QT_TRANSLATE_NOOP("Errors", "Creating the folder did not work and was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        assert isinstance(command, CreateFolder)
        folders = local.store.folders()
        delimiter = next((f.delimiter for f in folders if f.delimiter), "/")
        # Typed with "/" as everywhere in qtmail; the server may use "." and keep the
        # user's folders under "INBOX." (issue 16).
        name = server_path(command.name, delimiter, personal_prefix(folders))
        if not name:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "A folder needs a name."))
        if any(f.name == name for f in folders):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "A folder named “{name}” already exists."), name=name))
        parent = name.rsplit(delimiter, 1)[0] if delimiter in name else None
        if parent is not None and not any(f.name == parent for f in folders):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder “{parent}” to create “{name}” in."),
                parent=parent, name=name))
        info = FolderInfo(name=name, wire=utf7.encode(name), delimiter=delimiter)
        with local.store.transaction(durable=True):
            local.store.save_folders([*folders, info])
            op_id = local.store.add_pending(cls.kind, CreatePayload(name).to_json())
        local.folders_changed()
        return [op_id]

    def _remote(self, remote: Remote) -> None:
        remote.session.writes.create_folder(self.payload.name)

    def _already_done(self, error: ServerError, retry: bool) -> bool:
        return error.code == "ALREADYEXISTS"

    def inverse(self, store: Store) -> list[Command]:
        return [DeleteFolder(self.payload.name)]

    def describe(self) -> Sentence:
        return Sentence(QT_TRANSLATE_NOOP("Operations", "Create the folder “{name}”"),
                        name=self.payload.name)


# -- rename -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RenamePayload(Payload):
    old: str
    new: str
    old_wire: str
    delimiter: str | None
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "old_wire": self.old_wire,
                "delimiter": self.delimiter, **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RenamePayload:
        return cls(old=data["old"], new=data["new"], old_wire=data["old_wire"],
                   delimiter=data.get("delimiter"), undone=bool(data.get("undone")))


class RenameFolderOp(_FolderOp[RenamePayload]):
    kind = OpKind.RENAME_FOLDER
    payload_type = RenamePayload
    commands = (RenameFolder,)
    failure = QT_TRANSLATE_NOOP("Errors", "Renaming the folder did not work and was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        """Rename or move a folder (with its subfolders) under another parent."""
        assert isinstance(command, RenameFolder)
        old = command.old
        folder = local.folder(old)
        refuse_special(folder, QT_TRANSLATE_NOOP(
            "Errors", "The special folder “{folder}” cannot be renamed or moved."))
        delimiter = folder.delimiter or "/"
        new = server_path(command.new, delimiter, personal_prefix(local.store.folders()))
        if not new:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "A folder needs a name."))
        if new == old:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "The folder already has that name."))
        if new.startswith(old + delimiter):
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "A folder cannot be moved into one of its own subfolders."))
        names = {f.name for f in local.store.folders()}
        if new in names:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "A folder named “{new}” already exists."), new=new))
        parent = new.rsplit(delimiter, 1)[0] if delimiter in new else None
        if parent is not None and parent not in names:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder “{parent}” to move “{old}” into."),
                parent=parent, old=old))
        payload = RenamePayload(old=old, new=new, old_wire=folder.wire.decode("latin-1"),
                                delimiter=delimiter)
        with local.store.transaction(durable=True):
            renamed = local.store.rename_folder_tree(old, new, delimiter, utf7.encode)
            _rename_references(local, old, new, delimiter)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.folders_changed(renamed)
        return [op_id]

    def _remote(self, remote: Remote) -> None:
        p = self.payload
        remote.session.writes.rename_folder(wire_folder(p.old_wire, p.delimiter), p.new)

    def inverse(self, store: Store) -> list[Command]:
        return [RenameFolder(self.payload.new, self.payload.old)]

    def describe(self) -> Sentence:
        return Sentence(QT_TRANSLATE_NOOP("Operations", "Rename “{old}” to “{new}”"),
                        old=self.payload.old, new=self.payload.new)


def _rename_references(local: Local, old: str, new: str, delimiter: str) -> None:
    """Queued operations keep the server names they were made with (they replay before
    the rename reaches the server) but follow the rename in the cache."""
    def renamed(name: str) -> str:
        if name == old or name.startswith(old + delimiter):
            return new + name[len(old):]
        return name

    for row in local.store.pending(states=("queued",)):
        before = local.read_payload(row)
        payload = before.renamed(renamed)
        if payload != before:
            local.store.update_pending(row.id, payload=payload.to_json())


# -- delete -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DeletePayload(Payload):
    name: str
    wires: tuple[str, ...]
    """The folder and its subfolders on the server, deepest first."""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "wires": list(self.wires)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeletePayload:
        return cls(name=data["name"], wires=tuple(data["wires"]))


class DeleteFolderOp(_FolderOp[DeletePayload]):
    kind = OpKind.DELETE_FOLDER
    payload_type = DeletePayload
    commands = (DeleteFolder,)
    failure = QT_TRANSLATE_NOOP("Errors", "Deleting the folder did not work and was undone.")
    undoable = False

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        assert isinstance(command, DeleteFolder)
        name = command.name
        folder = local.folder(name)
        sentence = QT_TRANSLATE_NOOP("Errors", "The special folder “{folder}” cannot be deleted.")
        refuse_special(folder, sentence)
        delimiter = folder.delimiter or "/"
        folders = local.store.folders()
        subtree = [f for f in folders if f.name == name or f.name.startswith(name + delimiter)]
        for inner in subtree:
            refuse_special(inner, sentence)
        # Deepest first: some servers refuse to delete a folder that has children.
        doomed = sorted(subtree, key=lambda f: f.name.count(delimiter), reverse=True)
        payload = DeletePayload(name, tuple(f.wire.decode("latin-1") for f in doomed))
        with local.store.transaction(durable=True):
            local.store.save_folders([f for f in folders if f not in subtree])
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.folders_changed()
        return [op_id]

    def _remote(self, remote: Remote) -> None:
        for wire in self.payload.wires:
            try:
                remote.session.writes.delete_folder(wire_folder(wire))
            except ServerError as error:
                if error.code != "NONEXISTENT":
                    raise

    def _already_done(self, error: ServerError, retry: bool) -> bool:
        return error.code == "NONEXISTENT"

    def describe(self) -> Sentence:
        return Sentence(QT_TRANSLATE_NOOP("Operations", "Delete the folder “{name}”"),
                        name=self.payload.name)


# -- subscribe ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SubscribePayload(Payload):
    name: str
    wire: str
    subscribed: bool
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "wire": self.wire, "subscribed": self.subscribed,
                **undone_key(self.undone)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SubscribePayload:
        return cls(name=data["name"], wire=data["wire"], subscribed=bool(data["subscribed"]),
                   undone=bool(data.get("undone")))


class SubscribeOp(_FolderOp[SubscribePayload]):
    kind = OpKind.SUBSCRIBE
    payload_type = SubscribePayload
    commands = (SubscribeFolder,)
    failure = QT_TRANSLATE_NOOP(
        "Errors", "Changing the subscription did not work and was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        assert isinstance(command, SubscribeFolder)
        folder = local.folder(command.name)
        folders = [f if f.name != command.name else replace(f, subscribed=command.subscribed)
                   for f in local.store.folders()]
        payload = SubscribePayload(command.name, folder.wire.decode("latin-1"),
                                   command.subscribed)
        with local.store.transaction(durable=True):
            local.store.save_folders(folders)
            op_id = local.store.add_pending(cls.kind, payload.to_json())
        local.folders_changed()
        return [op_id]

    def _remote(self, remote: Remote) -> None:
        p = self.payload
        remote.session.writes.subscribe(wire_folder(p.wire), p.subscribed)

    def inverse(self, store: Store) -> list[Command]:
        return [SubscribeFolder(self.payload.name, not self.payload.subscribed)]

    def describe(self) -> Sentence:
        if self.payload.subscribed:
            return Sentence(QT_TRANSLATE_NOOP("Operations", "Subscribe to “{name}”"),
                            name=self.payload.name)
        return Sentence(QT_TRANSLATE_NOOP("Operations", "Unsubscribe from “{name}”"),
                        name=self.payload.name)
