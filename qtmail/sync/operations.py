"""Local-first operations: the local phase (ARCHITECTURE.md "Local-first operations").

Every change a user makes is recorded as a pending operation in the SAME durable
transaction (``synchronous=FULL``) that applies its local effect, so the window
updates at once and a crash, a lost connection or a night offline loses nothing.
``replay.py`` applies the queue on the server, in order, and backs an operation out
when the server refuses it for good.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from enum import StrEnum
from typing import Any

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence
from qtmail.core.events import (
    CountsChanged,
    Event,
    FlagsChanged,
    FoldersChanged,
    MessagesAdded,
    MessagesRemoved,
    PendingChanged,
    RemovalReason,
)
from qtmail.core.types import AccountName, Flags, FolderInfo, FolderRole
from qtmail.imap import utf7
from qtmail.mime.headers import parse_date, parse_message_ids
from qtmail.store import Store

log = logging.getLogger(__name__)


class OpKind(StrEnum):
    """Kinds of pending operations. Persisted in the store: never rename a value."""

    FLAGS = "flags"
    MOVE = "move"
    """Also copy (payload "copy": true), delete-to-Trash and archive."""
    EXPUNGE = "expunge"
    """Delete for good: \\Deleted + expunge."""
    TRANSFER = "transfer"
    """Move or copy to another account: download, APPEND there, then delete here."""
    APPEND = "append"
    RETRIEVE = "retrieve"
    """Undo of a transfer: APPEND here what is in another account, then delete it there."""
    CREATE_FOLDER = "create_folder"
    RENAME_FOLDER = "rename_folder"
    DELETE_FOLDER = "delete_folder"
    SUBSCRIBE = "subscribe"


PROTECTED_ROLES = frozenset({FolderRole.INBOX, FolderRole.DRAFTS, FolderRole.SENT,
                             FolderRole.TRASH, FolderRole.JUNK, FolderRole.ARCHIVE,
                             FolderRole.ALL, FolderRole.FLAGGED})
"""Special folders are never renamed, moved or deleted by qtmail."""


class Operations:
    """Applies user changes locally and queues them for the server.

    Every method returns the id of the pending operation it recorded. Events are
    emitted after the durable commit.
    """

    def __init__(self, account: AccountName, store: Store,
                 emit: Callable[[Event], None]) -> None:
        self._account = account
        self._store = store
        self._emit = emit

    # -- messages -----------------------------------------------------------------------
    def set_flags(self, folder: str, uids: Iterable[int], *, add: Iterable[str] = (),
                  remove: Iterable[str] = (), automatic: bool = False) -> int:
        add_set, remove_set = frozenset(add), frozenset(remove)
        if add_set & remove_set:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "A flag cannot be set and cleared at once."))
        uidvalidity = self._uidvalidity(folder)
        previous = self._flags_of(folder, uids)
        wanted = {uid: (flags | add_set) - remove_set for uid, flags in previous.items()}
        with self._store.transaction(durable=True):
            changed = self._store.set_flags(folder, wanted)
            op_id = self._store.add_pending(OpKind.FLAGS, {
                "folder": folder, "folder_wire": self._wire(folder),
                "uidvalidity": uidvalidity, "uids": sorted(previous),
                "add": sorted(add_set), "remove": sorted(remove_set),
                "previous": {str(uid): sorted(flags) for uid, flags in previous.items()},
                **({"automatic": True} if automatic else {}),
            })
        if changed:
            self._emit(FlagsChanged(self._account, folder, tuple(changed)))
            self._counts(folder)
        self.announce_pending()
        return op_id

    def move(self, folder: str, uids: Iterable[int], dest: str, *, copy: bool = False) -> int:
        target = self._folder(dest)
        if not target.selectable:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "Messages cannot be put into “{dest}”: it only holds folders."),
                dest=dest))
        if dest == folder:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The messages are already in that folder."))
        uidvalidity = self._uidvalidity(folder)
        known, message_ids = self._known_with_ids(folder, uids)
        with self._store.transaction(durable=True):
            hidden = [] if copy else self._store.hide_messages(folder, known)
            op_id = self._store.add_pending(OpKind.MOVE, {
                "folder": folder, "folder_wire": self._wire(folder),
                "uidvalidity": uidvalidity, "uids": known,
                "dest": dest, "dest_wire": self._wire(dest),
                "copy": copy, "done": [], "uid_map": {},
                "message_ids": message_ids,
            })
        self._hidden(folder, hidden)
        return op_id

    def delete(self, folder: str, uids: Iterable[int], *, permanent: bool = False) -> int:
        """Delete to Trash, or for good when ``permanent`` or already in Trash."""
        source = self._folder(folder)
        if permanent or source.role is FolderRole.TRASH:
            uidvalidity = self._uidvalidity(folder)
            known = self._known(folder, uids)
            with self._store.transaction(durable=True):
                hidden = self._store.hide_messages(folder, known)
                op_id = self._store.add_pending(OpKind.EXPUNGE, {
                    "folder": folder, "folder_wire": self._wire(folder),
                    "uidvalidity": uidvalidity, "uids": known})
            self._hidden(folder, hidden)
            return op_id
        trash = self._role_folder(FolderRole.TRASH, "Trash")
        return self.move(folder, uids, trash)

    def archive(self, folder: str, uids: Iterable[int]) -> int:
        return self.move(folder, uids, self._role_folder(FolderRole.ARCHIVE, "Archive"))

    def transfer(self, folder: str, uids: Iterable[int], dest_account: AccountName,
                 dest_folder: str, *, copy: bool = False) -> int:
        """Move or copy to another account; the source copy goes only after APPEND."""
        if dest_account == self._account:
            return self.move(folder, uids, dest_folder, copy=copy)
        uidvalidity = self._uidvalidity(folder)
        known, message_ids = self._known_with_ids(folder, uids)
        with self._store.transaction(durable=True):
            hidden = [] if copy else self._store.hide_messages(folder, known)
            op_id = self._store.add_pending(OpKind.TRANSFER, {
                "folder": folder, "folder_wire": self._wire(folder),
                "uidvalidity": uidvalidity, "uids": known,
                "dest_account": dest_account, "dest": dest_folder, "copy": copy,
                "done": [], "message_ids": message_ids,
            })
        self._hidden(folder, hidden)
        return op_id

    def import_message(self, folder: str, raw: bytes, *, flags: Iterable[str] = ()) -> int:
        """Queue an RFC 5322 message for APPEND, keeping its Date as INTERNALDATE."""
        self._folder(folder)
        head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        fields = _header_fields(head, (b"date", b"message-id"))
        op_id = self._store.add_pending(OpKind.APPEND, {
            "folder": folder, "folder_wire": self._wire(folder), "flags": sorted(flags),
            "date": parse_date(fields.get(b"date", "")),
            "message_id": next(iter(parse_message_ids(fields.get(b"message-id", ""))), ""),
        }, data=raw)
        self.announce_pending()
        return op_id

    def retrieve(self, folder: str, from_account: AccountName, from_folder: str,
                 message_ids: Sequence[str], *, append: bool = True) -> int:
        """Queue the undo of a transfer: the messages with these Message-IDs come back
        from ``from_folder`` of ``from_account`` into ``folder`` (not when ``append`` is
        False: an undone copy), then leave ``from_folder``. They reappear here with the
        resync that follows (the cache no longer holds them)."""
        if not message_ids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The messages cannot be found in the other account."))
        op_id = self._store.add_pending(OpKind.RETRIEVE, {
            "folder": folder, "folder_wire": self._wire(folder),
            "from_account": from_account, "from_folder": from_folder,
            "message_ids": sorted(set(message_ids)), "append": append, "done": []})
        self.announce_pending()
        return op_id

    def move_back_by_message_id(self, folder: str, dest: str,
                                message_ids: dict[str, str]) -> int:
        """Queue a move of the messages with these Message-IDs from ``folder`` to
        ``dest``; their UIDs are looked up on the server when it runs (undo of a move
        whose new UIDs the server did not report)."""
        if not message_ids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The moved messages cannot be found to move them back."))
        op_id = self._store.add_pending(OpKind.MOVE, {
            "folder": folder, "folder_wire": self._wire(folder), "uidvalidity": None,
            "uids": [], "dest": dest, "dest_wire": self._wire(dest),
            "copy": False, "done": [], "uid_map": {}, "message_ids": message_ids,
            "by_message_id": True,
        })
        self.announce_pending()
        return op_id

    def cancel(self, op_id: int, kind: str, payload: dict[str, Any]) -> None:
        """Withdraw a queued operation the server has not seen: undo its local phase."""
        with self._store.transaction(durable=True):
            if kind == OpKind.FLAGS:
                previous = {int(uid): frozenset(flags)
                            for uid, flags in payload["previous"].items()}
                changed = self._store.set_flags(payload["folder"], previous)
                shown: list[int] = []
            else:
                changed = []
                shown = self._store.unhide_messages(payload["folder"], payload["uids"])
            self._store.remove_pending(op_id)
        folder = payload["folder"]
        if changed:
            self._emit(FlagsChanged(self._account, folder, tuple(changed)))
        if shown:
            self._emit(MessagesAdded(self._account, folder, tuple(shown)))
        self._counts(folder)
        self.announce_pending()

    # -- folders ------------------------------------------------------------------------
    def create_folder(self, name: str) -> int:
        name = name.strip()
        folders = self._store.folders()
        if not name:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "A folder needs a name."))
        if any(f.name == name for f in folders):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "A folder named “{name}” already exists."), name=name))
        delimiter = next((f.delimiter for f in folders if f.delimiter), "/")
        parent = name.rsplit(delimiter, 1)[0] if delimiter in name else None
        if parent is not None and not any(f.name == parent for f in folders):
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder “{parent}” to create “{name}” in."),
                parent=parent, name=name))
        info = FolderInfo(name=name, wire=utf7.encode(name), delimiter=delimiter)
        with self._store.transaction(durable=True):
            self._store.save_folders([*folders, info])
            op_id = self._store.add_pending(OpKind.CREATE_FOLDER, {"name": name})
        self._folders_changed()
        return op_id

    def rename_folder(self, old: str, new: str) -> int:
        """Rename or move a folder (with its subfolders) under another parent."""
        folder = self._folder(old)
        new = new.strip()
        self._refuse_special(folder, QT_TRANSLATE_NOOP(
            "Errors", "The special folder “{folder}” cannot be renamed or moved."))
        delimiter = folder.delimiter or "/"
        if not new:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "A folder needs a name."))
        if new == old:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "The folder already has that name."))
        if new.startswith(old + delimiter):
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "A folder cannot be moved into one of its own subfolders."))
        names = {f.name for f in self._store.folders()}
        if new in names:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "A folder named “{new}” already exists."), new=new))
        parent = new.rsplit(delimiter, 1)[0] if delimiter in new else None
        if parent is not None and parent not in names:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder “{parent}” to move “{old}” into."),
                parent=parent, old=old))
        with self._store.transaction(durable=True):
            self._store.rename_folder_tree(old, new, delimiter, utf7.encode)
            self._rename_references(old, new, delimiter)
            op_id = self._store.add_pending(OpKind.RENAME_FOLDER, {
                "old": old, "new": new, "old_wire": folder.wire.decode("latin-1"),
                "delimiter": delimiter})
        self._folders_changed()
        return op_id

    def delete_folder(self, name: str) -> int:
        folder = self._folder(name)
        self._refuse_special(folder, QT_TRANSLATE_NOOP(
            "Errors", "The special folder “{folder}” cannot be deleted."))
        delimiter = folder.delimiter or "/"
        folders = self._store.folders()
        subtree = [f for f in folders if f.name == name or f.name.startswith(name + delimiter)]
        for inner in subtree:
            self._refuse_special(inner, QT_TRANSLATE_NOOP(
                "Errors", "The special folder “{folder}” cannot be deleted."))
        # Deepest first: some servers refuse to delete a folder that has children.
        doomed = sorted(subtree, key=lambda f: f.name.count(delimiter), reverse=True)
        with self._store.transaction(durable=True):
            self._store.save_folders([f for f in folders if f not in subtree])
            op_id = self._store.add_pending(OpKind.DELETE_FOLDER, {
                "name": name, "wires": [f.wire.decode("latin-1") for f in doomed]})
        self._folders_changed()
        return op_id

    def subscribe(self, name: str, subscribed: bool = True) -> int:
        folder = self._folder(name)
        folders = [f if f.name != name else _replace_subscribed(f, subscribed)
                   for f in self._store.folders()]
        with self._store.transaction(durable=True):
            self._store.save_folders(folders)
            op_id = self._store.add_pending(OpKind.SUBSCRIBE, {
                "name": name, "wire": folder.wire.decode("latin-1"),
                "subscribed": subscribed})
        self._folders_changed()
        return op_id

    # -- queue state ----------------------------------------------------------------------
    def announce_pending(self) -> None:
        queued = len(self._store.pending(states=("queued",)))
        conflicts = len(self._store.pending(states=("conflict",)))
        self._emit(PendingChanged(self._account, queued, conflicts))

    # -- helpers --------------------------------------------------------------------------
    def _folder(self, name: str) -> FolderInfo:
        folder = self._store.folder(name)
        if folder is None:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "There is no folder named “{name}”."), name=name))
        return folder

    def _role_folder(self, role: FolderRole, default_name: str) -> str:
        """The special folder for ``role``, created (as a queued operation) if missing."""
        for folder in self._store.folders():
            if folder.role is role:
                return folder.name
        if self._store.folder(default_name) is None:
            self.create_folder(default_name)
        return default_name

    def _rename_references(self, old: str, new: str, delimiter: str) -> None:
        """Queued operations keep the server names they were made with (they replay
        before the rename reaches the server) but follow the rename in the cache."""
        def renamed(name: str) -> str:
            if name == old or name.startswith(old + delimiter):
                return new + name[len(old):]
            return name

        for row in self._store.pending(states=("queued",)):
            payload = dict(row.payload)
            changed = False
            for key in ("folder", "dest"):
                value = payload.get(key)
                if isinstance(value, str) and renamed(value) != value:
                    payload[key] = renamed(value)
                    changed = True
            if changed:
                self._store.update_pending(row.id, payload=payload)

    def _wire(self, name: str) -> str:
        """The folder's name on the server now, kept as text (latin-1 of the bytes)."""
        folder = self._store.folder(name)
        wire = folder.wire if folder is not None else utf7.encode(name)
        return wire.decode("latin-1")

    @staticmethod
    def _refuse_special(folder: FolderInfo, sentence: str) -> None:
        """``sentence``: a template with {folder} (marked where it is written)."""
        if folder.role in PROTECTED_ROLES or folder.name.upper() == "INBOX":
            raise ConfigError(Sentence(sentence, folder=folder.name))

    def _uidvalidity(self, folder: str) -> int:
        state = self._store.folder_state(folder)
        if state is None:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” has not been synchronised yet."), folder=folder))
        return state.uidvalidity

    def _known(self, folder: str, uids: Iterable[int]) -> list[int]:
        return self._known_with_ids(folder, uids)[0]

    def _known_with_ids(self, folder: str, uids: Iterable[int]
                        ) -> tuple[list[int], dict[str, str]]:
        """The cached ones of ``uids`` (ascending) and their Message-IDs, in one query:
        a drag of 1,000 messages asked 2,000 one-row queries here (issue 5)."""
        found = self._store.message_ids_for(folder, uids)
        if not found:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "None of those messages are in “{folder}”."), folder=folder))
        return list(found), {str(uid): mid for uid, mid in found.items() if mid}

    def _flags_of(self, folder: str, uids: Iterable[int]) -> dict[int, Flags]:
        found = {s.uid: s.flags for s in self._store.summaries_for(folder, uids)}
        if not found:
            raise ConfigError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "None of those messages are in “{folder}”."), folder=folder))
        return found

    def _hidden(self, folder: str, uids: list[int]) -> None:
        if uids:
            self._emit(MessagesRemoved(self._account, folder, tuple(uids),
                                       RemovalReason.MOVED))
            self._counts(folder)
        self.announce_pending()

    def _counts(self, folder: str) -> None:
        counts = self._store.counts(folder)
        self._emit(CountsChanged(self._account, folder, counts.total, counts.unread))

    def _folders_changed(self) -> None:
        self._emit(FoldersChanged(self._account))
        self.announce_pending()


def _replace_subscribed(folder: FolderInfo, subscribed: bool) -> FolderInfo:
    return replace(folder, subscribed=subscribed)


def _header_fields(head: bytes, names: Sequence[bytes]) -> dict[bytes, str]:
    """The first occurrence of each wanted header, unfolded, as text."""
    found: dict[bytes, str] = {}
    current: bytes | None = None
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t") and current is not None:
            found[current] += " " + line.strip().decode("utf-8", "replace")
            continue
        name, sep, value = line.partition(b":")
        key = name.strip().lower()
        current = None
        if sep and key in names and key not in found:
            found[key] = value.strip().decode("utf-8", "replace")
            current = key
    return found
