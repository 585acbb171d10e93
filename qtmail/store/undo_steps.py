"""The labelled undo and redo stacks of an account (schema 6).

A step is one change the user made, as its label (a sentence template and its parts)
and the pending operations that stand for it now: on the undo stack the operations to
revert, on the redo stack the inverse operations an undo queued (a redo reverts those)
and, as ``again``, the (kind, payload) of operations an undo withdrew before the server
saw them (a redo applies them again). Written in the caller's durable transaction,
with the operations they name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qtmail.store.base import StoreBase, checked

UNDO, REDO = "undo", "redo"
"""Persisted as text: never rename a stack."""
KEEP = 50
"""Steps kept per stack (done operations are kept as many: store.prune_done)."""

_COLUMNS = "id, stack, label, ops, again"


@dataclass(frozen=True, slots=True)
class UndoStep:
    id: int
    stack: str
    template: str
    parts: dict[str, str]
    ops: tuple[int, ...]
    again: tuple[tuple[str, dict[str, Any]], ...]


def _step(row: tuple[Any, ...]) -> UndoStep:
    step_id, stack, label, ops, again = row
    decoded = json.loads(label)
    return UndoStep(id=int(step_id), stack=str(stack), template=str(decoded["template"]),
                    parts={str(k): str(v) for k, v in decoded["parts"].items()},
                    ops=tuple(int(op) for op in json.loads(ops)),
                    again=tuple((str(kind), dict(payload))
                                for kind, payload in json.loads(again)))


class UndoStore(StoreBase):
    """The undo/redo steps of Store."""

    @checked
    def push_undo_step(self, stack: str, template: str, parts: Mapping[str, str],
                       ops: Sequence[int],
                       again: Sequence[tuple[str, Mapping[str, Any]]] = ()) -> int:
        """Put a step on top of ``stack``, forgetting the oldest beyond KEEP."""
        if stack not in (UNDO, REDO):
            raise ValueError(f"unknown undo stack {stack!r}")
        label = json.dumps({"template": template, "parts": dict(parts)}, ensure_ascii=False)
        with self._durable_write():
            cursor = self._conn.execute(
                "INSERT INTO undo_steps (stack, label, ops, again) VALUES (?, ?, ?, ?)",
                (stack, label, json.dumps(list(ops)),
                 json.dumps([[kind, dict(payload)] for kind, payload in again],
                            ensure_ascii=False, allow_nan=False)))
            self._conn.execute(
                "DELETE FROM undo_steps WHERE stack = ? AND id NOT IN"
                " (SELECT id FROM undo_steps WHERE stack = ? ORDER BY id DESC LIMIT ?)",
                (stack, stack, KEEP))
            assert cursor.lastrowid is not None  # an INSERT into a rowid table sets it
            return cursor.lastrowid

    @checked
    def top_undo_step(self, stack: str) -> UndoStep | None:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM undo_steps WHERE stack = ? ORDER BY id DESC LIMIT 1",
            (stack,)).fetchone()
        return None if row is None else _step(row)

    @checked
    def remove_undo_step(self, step_id: int) -> None:
        with self._durable_write():
            self._conn.execute("DELETE FROM undo_steps WHERE id = ?", (step_id,))

    @checked
    def clear_undo_stack(self, stack: str) -> None:
        with self._durable_write():
            self._conn.execute("DELETE FROM undo_steps WHERE stack = ?", (stack,))

    @checked
    def undo_history_started(self) -> bool:
        """Whether a step was ever recorded here (a cache from before schema 6 has
        changes whose undo is found in the pending table instead)."""
        row = self._conn.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'undo_steps'").fetchone()
        return row is not None and int(row[0]) > 0
