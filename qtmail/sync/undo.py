"""Undo and Redo: labelled stacks of the user's changes (issue 13 item 3).

Each change the user makes is a step on the undo stack (``Operations.apply`` records
it with its ``describe`` sentence). Undo takes the top step: an operation the server
has not seen is withdrawn (its local phase backed out), any other is reverted by its
``inverse`` commands, applied as ordinary operations; the step then goes on the redo
stack holding those inverses (and the withdrawn operations, to apply again). Redo
reverts the inverses the same way and puts the step back on the undo stack. The
inverse of an undone change is never a new step of its own, so Undo, Undo, Redo, Redo
walks the same changes back and forth, and a new change forgets the redo stack.

A cache from before the stacks (no step ever recorded) undoes its latest undoable
pending operation, as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError
from qtmail.store import PendingRow, Store
from qtmail.store.undo_steps import REDO, UNDO, UndoStep
from qtmail.sync.operations import Operations
from qtmail.sync.ops import registry
from qtmail.sync.ops.registry import AnyOp

_NO_LONGER = QT_TRANSLATE_NOOP("Errors", "That change can no longer be undone.")
_MESSAGES_GONE = QT_TRANSLATE_NOOP(
    "Errors", "That change can no longer be undone: the messages it changed are no longer "
    "where it left them.")

_LIVE = ("queued", "done")
"""Operations that can still be reverted (not refused, not forgotten)."""


def undo(store: Store, operations: Operations, op_id: int | None = None) -> list[int]:
    """Undo the top step (or the pending operation ``op_id``); the ids queued."""
    if op_id is not None:
        found = [r for r in store.pending(states=_LIVE) if r.id == op_id]
        if not found:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change can no longer be undone."))
        return _undo_one(store, operations, found[0])
    step = store.top_undo_step(UNDO)
    if step is None:
        if store.undo_history_started():
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "There is nothing to undo."))
        latest = last_undoable(store)
        if latest is None:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "There is nothing to undo."))
        return _undo_one(store, operations, latest)
    return _move_step(store, operations, step, to=REDO, withdraw=True)


def redo(store: Store, operations: Operations) -> list[int]:
    """Make again the change the latest undo reverted; the ids queued."""
    step = store.top_undo_step(REDO)
    if step is None:
        raise ConfigError(QT_TRANSLATE_NOOP("Errors", "There is nothing to redo."))
    return _move_step(store, operations, step, to=UNDO, withdraw=False)


def _move_step(store: Store, operations: Operations, step: UndoStep, *, to: str,
               withdraw: bool) -> list[int]:
    """Revert what ``step`` holds and put it, holding what reverts that, on ``to``."""
    try:
        with operations.batch():
            store.remove_undo_step(step.id)
            queued = [new for kind, payload in step.again for new in operations.apply(
                registry.from_json(kind, payload).command(), record=False)]
            again: list[tuple[str, dict[str, object]]] = []
            for op in reversed(_live(store, step.ops)):
                if withdraw and _withdrawable(store, op):
                    again.append((op.kind, op.payload.to_json()))
                    operations.withdraw(op)
                else:
                    queued += _revert(store, operations, op)
            if not queued and not again:
                raise ConfigError(_NO_LONGER)
            store.push_undo_step(to, step.template, step.parts, queued, again)
    except ConfigError as error:
        # It can never be reverted now (refused, forgotten, the copies gone): the next
        # Undo goes to the step below.
        store.remove_undo_step(step.id)
        operations.announce_undo()
        if error.user_message == _NO_LONGER:
            raise
        # The inverse's own refusal ("None of those messages are in “Trash”.") names
        # no change: say which one could not be reverted, and why (Empty Trash since).
        raise ConfigError(_MESSAGES_GONE, detail=str(error)) from error
    operations.announce_undo()
    operations.announce_pending()
    return queued


def _live(store: Store, ids: Sequence[int]) -> list[AnyOp]:
    """The operations of a step that can be reverted: not refused, not forgotten, not
    reverted already (``qtmail undo --operation N`` undoes one outside the stacks)."""
    rows = [store.pending_row(op_id) for op_id in ids]
    ops = [registry.load(row) for row in rows if row is not None and row.state in _LIVE]
    return [op for op in ops if not op.is_undone()]


def _withdrawable(store: Store, op: AnyOp) -> bool:
    row = store.pending_row(op.op_id)
    return row is not None and row.state == "queued" and row.attempts == 0 \
        and op.can_withdraw()


def _revert(store: Store, operations: Operations, op: AnyOp) -> list[int]:
    ids = [new for command in op.inverse(store)
           for new in operations.apply(command, record=False)]
    if op.undoable:
        store.update_pending(op.op_id, payload=op.mark_undone().to_json())
    return ids


# -- a cache from before the stacks, and `qtmail undo --operation N` --------------------
def last_undoable(store: Store) -> PendingRow | None:
    """The newest operation the user made that can be undone and is not yet."""
    for row in reversed(store.pending(states=_LIVE)):
        op = registry.load(row)
        if op.undoable and not op.is_undone() and not op.is_automatic():
            return row
    return None


def _undo_one(store: Store, operations: Operations, row: PendingRow) -> list[int]:
    op = registry.load(row)
    if not op.undoable or op.is_undone():
        raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change cannot be undone."))
    if _withdrawable(store, op):
        # The server has not seen it yet: withdraw it instead of queueing its inverse.
        operations.withdraw(op)
        return []
    with operations.batch():
        return _revert(store, operations, op)
