"""Undo: an operation already applied is reverted by applying its inverse commands
(``PendingOp.inverse``); one the server has not seen yet is withdrawn instead."""

from __future__ import annotations

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError
from qtmail.store import PendingRow, Store
from qtmail.sync.operations import Operations
from qtmail.sync.ops import registry
from qtmail.sync.ops.registry import AnyOp


def last_undoable(store: Store) -> tuple[PendingRow, AnyOp] | None:
    """The newest operation the user made that can be undone and is not yet."""
    for row in reversed(store.pending(states=("queued", "done"))):
        op = registry.load(row)
        if op.undoable and not op.is_undone() and not op.is_automatic():
            return row, op
    return None


def undo(store: Store, operations: Operations, op_id: int | None = None) -> list[int]:
    """Undo ``op_id`` (default: the latest undoable operation); the ids queued."""
    if op_id is None:
        latest = last_undoable(store)
        if latest is None:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "There is nothing to undo."))
        row, op = latest
    else:
        found = [r for r in store.pending(states=("queued", "done")) if r.id == op_id]
        if not found:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change can no longer be undone."))
        row, op = found[0], registry.load(found[0])
    if not op.undoable or op.is_undone():
        raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change cannot be undone."))
    if row.state == "queued" and row.attempts == 0 and op.can_withdraw():
        # The server has not seen it yet: withdraw it instead of queueing its inverse.
        operations.withdraw(op)
        return []
    ids = [new for command in op.inverse(store) for new in operations.apply(command)]
    store.update_pending(op.op_id, payload=op.mark_undone().to_json())
    return ids

