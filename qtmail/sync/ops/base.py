"""What every pending operation is: a kind, a frozen payload, and one class with the
local phase, the remote phase, the back-out, the inverse (undo) and a sentence.

The pattern is Geary's replay operations (one object per operation, with local, remote
and back-out phases and its retry progress on the object), with qtmail's durability:
the object is rebuilt from its pending row before every attempt, and its progress is
written back into that row durably before anything else happens (a crash never finds
progress that was only in memory).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from qtmail.core.commands import Command
from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence
from qtmail.store import Store
from qtmail.sync.ops.common import OpKind, Payload
from qtmail.sync.ops.context import Local, Remote

if TYPE_CHECKING:
    from qtmail.sync.append_lane import AppendWork

P = TypeVar("P", bound=Payload)


class PendingOp(Generic[P]):
    """One operation kind. Subclasses set the class attributes and override the phases.

    ``payload`` is replaced (never mutated: it is frozen) as the remote phase makes
    progress, always after the new value is durable in the pending row.
    """

    kind: ClassVar[OpKind]
    payload_type: ClassVar[type[Payload]]
    commands: ClassVar[tuple[type[Command], ...]] = ()
    """The commands whose local phase this class runs (AccountEngine.apply)."""
    failure: ClassVar[str] = QT_TRANSLATE_NOOP(
        "Errors", "The change did not work and was undone.")
    """What the user reads when the server refuses it for good (the reason follows)."""
    changes_folders: ClassVar[bool] = False
    """Replaying or backing out changes the folder list (the engine re-reads it)."""
    undoable: ClassVar[bool] = False

    def __init__(self, payload: P, *, op_id: int = 0, data: bytes | None = None) -> None:
        self.payload = payload
        self.op_id = op_id
        self.data = data

    # -- local phase ------------------------------------------------------------------
    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        """Apply ``command`` to the cache and queue it, in one durable transaction;
        return the ids of the pending rows recorded. ConfigError when it cannot be."""
        raise TypeError(f"{cls.__name__} does not take {command!r}")

    # -- remote phase -----------------------------------------------------------------
    def apply_remote(self, remote: Remote) -> None:
        """Make the change on the server; idempotent (``remote.retry``: the server may
        have seen part of it before a crash). Raises Conflict, ServerError, ..."""
        raise NotImplementedError

    def remote_beside(self, remote: Remote) -> AppendWork | None:
        """The remote phase as work for the APPEND lane's connection (its own thread),
        for an operation whose remote phase is long; None (most kinds): ``apply_remote``
        on the account's connection. ``remote.retry`` is as for ``apply_remote``."""
        return None

    def beside_done(self, remote: Remote) -> None:
        """The work ``remote_beside`` gave went through: note on ``remote.report`` what
        the worker should do after it (the folder to resync)."""

    def back_out(self, local: Local) -> None:
        """Undo the local phase (the server refused, or the user withdrew it before the
        server saw it). Emits what changed; the caller handles the pending row."""

    def can_withdraw(self) -> bool:
        """Whether an undo before the first attempt just removes it (back_out)."""
        return False

    def command(self) -> Command:
        """The command that makes this operation again: the redo of one an undo
        withdrew (``can_withdraw``), whose UIDs are still the messages'."""
        raise NotImplementedError

    # -- undo and words ---------------------------------------------------------------
    def inverse(self, store: Store) -> list[Command]:
        """The commands that put things back as they were; ConfigError when they cannot
        be found. They are applied as ordinary operations."""
        raise NotImplementedError

    def is_undone(self) -> bool:
        return bool(getattr(self.payload, "undone", False))

    def is_automatic(self) -> bool:
        return bool(getattr(self.payload, "automatic", False))

    def mark_undone(self) -> P:
        """The payload with ``"undone": true`` (undoable kinds have that field)."""
        return replace(self.payload, undone=True)  # type: ignore[call-arg]

    def describe(self) -> Sentence:
        """What this operation does, as a label ("Move 2 messages to “Archive”")."""
        raise NotImplementedError

    def failure_sentence(self, reason: str) -> Sentence:
        return Sentence(self.failure) + " " + reason
