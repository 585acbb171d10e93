"""Local-first operations: the local phase (ARCHITECTURE.md "Local-first operations").

Every change a user makes is recorded as a pending operation in the SAME durable
transaction (``synchronous=FULL``) that applies its local effect, so the window
updates at once and a crash, a lost connection or a night offline loses nothing.
``replay.py`` applies the queue on the server, in order, and backs an operation out
when the server refuses it for good. What each kind does is in ``qtmail.sync.ops``;
this is the front door: ``apply(command)`` and a method per common command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from qtmail.core.commands import (
    ArchiveMessages,
    Command,
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    ImportMessage,
    MoveMessages,
    RenameFolder,
    SetFlags,
    SubscribeFolder,
    TransferMessages,
)
from qtmail.core.events import Event
from qtmail.core.types import AccountName
from qtmail.store import Store
from qtmail.sync.ops import registry
from qtmail.sync.ops.common import PROTECTED_ROLES, OpKind
from qtmail.sync.ops.context import Local
from qtmail.sync.ops.registry import AnyOp

__all__ = ["PROTECTED_ROLES", "OpKind", "Operations"]


class Operations:
    """Applies user changes locally and queues them for the server.

    Every method returns the id of the pending operation it recorded (``apply``: all of
    them, e.g. the creation of a missing Trash before the move into it). Events are
    emitted after the durable commit.
    """

    def __init__(self, account: AccountName, store: Store,
                 emit: Callable[[Event], None]) -> None:
        self.local = Local(account, store, emit, registry.payload_of)

    def apply(self, command: Command) -> list[int]:
        """The local phase of ``command``; ConfigError when it cannot be queued."""
        return registry.for_command(command).apply_local(self.local, command)

    def withdraw(self, op: AnyOp) -> None:
        """Take back a queued operation the server has not seen: undo its local phase
        and forget it, in one transaction; announced after the commit."""
        events: list[Event] = []
        with self.local.store.transaction(durable=True):
            op.back_out(replace(self.local, emit=events.append))
            self.local.store.remove_pending(op.op_id)
        for event in events:
            self.local.emit(event)
        self.announce_pending()

    def announce_pending(self) -> None:
        self.local.announce_pending()

    # -- one method per common command (the CLI, the Outbox, tests) ----------------------
    def set_flags(self, folder: str, uids: Iterable[int], *, add: Iterable[str] = (),
                  remove: Iterable[str] = (), automatic: bool = False) -> int:
        return self.apply(SetFlags(folder, tuple(uids), frozenset(add), frozenset(remove),
                                   automatic))[-1]

    def move(self, folder: str, uids: Iterable[int], dest: str, *, copy: bool = False) -> int:
        return self.apply(MoveMessages(folder, tuple(uids), dest, copy))[-1]

    def delete(self, folder: str, uids: Iterable[int], *, permanent: bool = False) -> int:
        """Delete to Trash, or for good when ``permanent`` or already in Trash."""
        return self.apply(DeleteMessages(folder, tuple(uids), permanent))[-1]

    def archive(self, folder: str, uids: Iterable[int]) -> int:
        return self.apply(ArchiveMessages(folder, tuple(uids)))[-1]

    def transfer(self, folder: str, uids: Iterable[int], dest_account: AccountName,
                 dest_folder: str, *, copy: bool = False) -> int:
        """Move or copy to another account; the source copy goes only after APPEND."""
        return self.apply(TransferMessages(folder, tuple(uids), dest_account, dest_folder,
                                           copy))[-1]

    def import_message(self, folder: str, raw: bytes, *, flags: Iterable[str] = ()) -> int:
        """Queue an RFC 5322 message for APPEND, keeping its Date as INTERNALDATE."""
        return self.apply(ImportMessage(folder, raw, frozenset(flags)))[-1]

    def create_folder(self, name: str) -> int:
        return self.apply(CreateFolder(name))[-1]

    def rename_folder(self, old: str, new: str) -> int:
        """Rename or move a folder (with its subfolders) under another parent."""
        return self.apply(RenameFolder(old, new))[-1]

    def delete_folder(self, name: str) -> int:
        return self.apply(DeleteFolder(name))[-1]

    def subscribe(self, name: str, subscribed: bool = True) -> int:
        return self.apply(SubscribeFolder(name, subscribed))[-1]
