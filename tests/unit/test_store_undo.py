"""The undo and redo stacks in the cache: kept across a reopen, newest on top, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from qtmail.store import Store
from qtmail.store.undo_steps import KEEP, REDO, UNDO


def test_steps_are_kept_newest_on_top_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        assert not store.undo_history_started()
        assert store.top_undo_step(UNDO) is None
        for n in range(KEEP + 5):
            store.push_undo_step(UNDO, "Move {count} messages to “{dest}”",
                                 {"count": str(n), "dest": "Archive"}, [n])
        store.push_undo_step(REDO, "Star 1 message", {}, [7],
                             again=[("flags", {"folder": "INBOX", "uids": [3]})])
    with Store.open(path) as store:
        assert store.undo_history_started()
        top = store.top_undo_step(UNDO)
        assert top is not None and top.ops == (KEEP + 4,)
        assert top.template.format(**top.parts) == f"Move {KEEP + 4} messages to “Archive”"
        redo = store.top_undo_step(REDO)
        assert redo is not None and redo.again == (("flags", {"folder": "INBOX",
                                                               "uids": [3]}),)
        for _ in range(KEEP):
            step = store.top_undo_step(UNDO)
            assert step is not None
            store.remove_undo_step(step.id)
        assert store.top_undo_step(UNDO) is None  # the oldest five were forgotten
        store.clear_undo_stack(REDO)
        assert store.top_undo_step(REDO) is None
        assert store.undo_history_started()  # even with both stacks empty


def test_an_unknown_stack_is_a_bug(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store, pytest.raises(ValueError):
        store.push_undo_step("sideways", "x", {}, [1])
