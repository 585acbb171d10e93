"""Local-first operations: the local phase (ARCHITECTURE.md "Local-first operations").

Every change a user makes is recorded as a pending operation in the SAME durable
transaction (``synchronous=FULL``) that applies its local effect, so the window
updates at once and a crash, a lost connection or a night offline loses nothing.
``replay.py`` applies the queue on the server, in order, and backs an operation out
when the server refuses it for good. What each kind does is in ``qtmail.sync.ops``;
this is the front door: ``apply(command)`` and a method per common command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

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
from qtmail.core.errors import Sentence
from qtmail.core.events import Event, UndoChanged
from qtmail.core.types import AccountName
from qtmail.store import Store
from qtmail.store.undo_steps import REDO, UNDO
from qtmail.sync.ops import registry
from qtmail.sync.ops.common import PROTECTED_ROLES, OpKind
from qtmail.sync.ops.context import Local
from qtmail.sync.ops.registry import AnyOp

__all__ = ["PROTECTED_ROLES", "OpKind", "Operations", "label_of"]


def label_of(sentence: Sentence) -> tuple[str, dict[str, str]]:
    """A one-piece sentence (``PendingOp.describe``) as its template and parts, to keep."""
    template, parts = sentence.pieces[0]
    return template, dict(parts or {})


class Operations:
    """Applies user changes locally and queues them for the server.

    Every method returns the id of the pending operation it recorded (``apply``: all of
    them, e.g. the creation of a missing Trash before the move into it). Events are
    emitted after the durable commit.
    """

    def __init__(self, account: AccountName, store: Store,
                 emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self._held: list[Event] | None = None
        self.local = Local(account, store, self._deliver, registry.payload_of)

    def apply(self, command: Command, *, record: bool = True) -> list[int]:
        """The local phase of ``command`` and, when ``record``, its step on the undo
        stack (the redo stack is then forgotten), in one durable transaction; the ids
        of the operations queued. ConfigError when it cannot be queued."""
        with self.batch():
            ids = registry.for_command(command).apply_local(self.local, command)
            if record and ids:
                self._record(ids[-1])
        if record:
            self.announce_undo()
        return ids

    def withdraw(self, op: AnyOp) -> None:
        """Take back a queued operation the server has not seen: undo its local phase
        and forget it, in one transaction; announced after the commit."""
        with self.batch():
            op.back_out(self.local)
            self.local.store.remove_pending(op.op_id)
            self.local.announce_pending()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One durable transaction for everything inside; the events it caused are
        emitted after the commit (none when it raised: nothing happened)."""
        if self._held is not None:
            yield  # joins the outer batch
            return
        self._held = []
        try:
            with self.local.store.transaction(durable=True):
                yield
            held = self._held
        finally:
            self._held = None
        for event in held:
            self._emit(event)

    def _deliver(self, event: Event) -> None:
        if self._held is not None:
            self._held.append(event)
        else:
            self._emit(event)

    def _record(self, op_id: int) -> None:
        """Put the user's change ``op_id`` on the undo stack (not the folder an archive
        created first: undoing an archive leaves the Archive folder)."""
        store = self.local.store
        row = store.pending_row(op_id)
        if row is None:
            return
        op = registry.load(row)
        if op.undoable and not op.is_automatic():
            template, parts = label_of(op.describe())
            store.clear_undo_stack(REDO)
            store.push_undo_step(UNDO, template, parts, [op_id])

    def announce_undo(self) -> None:
        """Tell the window what Undo and Redo would do now."""
        store = self.local.store
        labels = [Sentence(step.template, **step.parts) if step is not None else ""
                  for step in (store.top_undo_step(UNDO), store.top_undo_step(REDO))]
        self._deliver(UndoChanged(self.local.account, *labels))

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

    def import_message(self, folder: str, raw: bytes, *, flags: Iterable[str] = (),
                       spool: str = "") -> int:
        """Queue an RFC 5322 message for APPEND, keeping its Date as INTERNALDATE (the
        message is ``raw``, or the spool file of the token ``spool``)."""
        return self.apply(ImportMessage(folder, raw, frozenset(flags), spool))[-1]

    def create_folder(self, name: str) -> int:
        return self.apply(CreateFolder(name))[-1]

    def rename_folder(self, old: str, new: str) -> int:
        """Rename or move a folder (with its subfolders) under another parent."""
        return self.apply(RenameFolder(old, new))[-1]

    def delete_folder(self, name: str) -> int:
        return self.apply(DeleteFolder(name))[-1]

    def subscribe(self, name: str, subscribed: bool = True) -> int:
        return self.apply(SubscribeFolder(name, subscribed))[-1]
