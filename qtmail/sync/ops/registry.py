"""OpKind -> its class, and command type -> the class whose local phase runs it.

Adding an operation kind: its module in this package, its line in ``KINDS``, its
command dataclass in qtmail/core/commands.py and the action that sends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qtmail.core.commands import Command
from qtmail.store import PendingRow
from qtmail.sync.ops.append import AppendOp
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import OpKind, Payload
from qtmail.sync.ops.expunge import ExpungeOp
from qtmail.sync.ops.flags import FlagsOp
from qtmail.sync.ops.folders import CreateFolderOp, DeleteFolderOp, RenameFolderOp, SubscribeOp
from qtmail.sync.ops.move import MoveOp
from qtmail.sync.ops.retrieve import RetrieveOp
from qtmail.sync.ops.transfer import TransferOp

AnyOp = PendingOp[Any]

KINDS: dict[OpKind, type[AnyOp]] = {op.kind: op for op in (
    FlagsOp, MoveOp, ExpungeOp, TransferOp, AppendOp, RetrieveOp,
    CreateFolderOp, RenameFolderOp, DeleteFolderOp, SubscribeOp)}

COMMANDS: dict[type[Command], type[AnyOp]] = {
    command: op for op in KINDS.values() for command in op.commands}


def load(row: PendingRow) -> AnyOp:
    """The operation of a pending row, its progress as last saved. ValueError for a kind
    this version does not know (a newer qtmail wrote it) or a payload it cannot read."""
    return from_json(row.kind, row.payload, op_id=row.id, blob=row.data)


def from_json(kind: str, data: Mapping[str, Any], *, op_id: int = 0,
              blob: bytes | None = None) -> AnyOp:
    """An operation from its kind and payload JSON (a row, or an undo step's copy)."""
    op_class = KINDS[OpKind(kind)]
    try:
        payload = op_class.payload_type.from_json(data)
    except (KeyError, TypeError) as error:
        raise ValueError(f"pending operation {op_id} ({kind}) unreadable: "
                         f"{error!r}") from error
    return op_class(payload, op_id=op_id, data=blob)


def payload_of(row: PendingRow) -> Payload:
    payload: Payload = load(row).payload
    return payload


def for_command(command: Command) -> type[AnyOp]:
    """The class whose local phase runs ``command``; TypeError for one no class takes."""
    for kind in type(command).__mro__:
        found = COMMANDS.get(kind)
        if found is not None:
            return found
    raise TypeError(f"no operation takes {command!r}")
