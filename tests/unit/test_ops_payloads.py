"""Every operation kind reads and writes exactly the JSON its pending rows hold (the
shapes the previous sync/operations.py wrote), and says what it does in a sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qtmail.core.commands import (
    DeleteMessages,
    MoveByMessageId,
    MoveMessages,
    RetrieveMessages,
    SetFlags,
    SetFlagsByMessageId,
)
from qtmail.store import PendingRow, Store
from qtmail.sync.ops import registry
from qtmail.sync.ops.common import OpKind

INBOX = {"folder": "INBOX", "folder_wire": "INBOX", "uidvalidity": 7}
SHAPES: list[tuple[str, dict[str, Any]]] = [
    ("flags", {**INBOX, "uids": [3, 4], "add": ["\\Seen"], "remove": [],
               "previous": {"3": [], "4": ["\\Flagged"]}}),
    ("flags", {**INBOX, "uids": [3], "add": [], "remove": ["\\Flagged"],
               "previous": {"3": ["\\Flagged"]}, "automatic": True, "undone": True}),
    # Written since issue 13 (the undo of flags on messages moved and back):
    ("flags", {"folder": "INBOX", "folder_wire": "INBOX", "uidvalidity": None, "uids": [],
               "add": [], "remove": ["\\Flagged"], "previous": {},
               "message_ids": {"3": "<a@x>"}, "by_message_id": True}),
    ("move", {**INBOX, "uids": [1, 2], "dest": "Archive", "dest_wire": "Archive",
              "copy": False, "done": [1], "uid_map": {"1": 40},
              "message_ids": {"1": "<a@x>", "2": "<b@x>"}}),
    ("move", {"folder": "Archive", "folder_wire": "Archive", "uidvalidity": None,
              "uids": [], "dest": "INBOX", "dest_wire": "INBOX", "copy": False, "done": [],
              "uid_map": {}, "message_ids": {"9": "<a@x>"}, "by_message_id": True}),
    ("expunge", {**INBOX, "uids": [5]}),
    ("transfer", {**INBOX, "uids": [6], "dest_account": "work", "dest": "Archive",
                  "copy": True, "done": [6], "message_ids": {"6": "<c@x>"},
                  "undone": True}),
    ("append", {"folder": "Archive", "folder_wire": "Archive", "flags": ["\\Seen"],
                "date": 1_790_000_000, "message_id": "<d@x>"}),
    ("append", {"folder": "Archive", "folder_wire": "Archive", "flags": [], "date": None,
                "message_id": ""}),
    ("retrieve", {"folder": "INBOX", "folder_wire": "INBOX", "from_account": "work",
                  "from_folder": "Archive", "message_ids": ["<c@x>"], "append": False,
                  "done": ["<c@x>"]}),
    ("create_folder", {"name": "Projects"}),
    ("rename_folder", {"old": "Old", "new": "Clients/Old", "old_wire": "Old",
                       "delimiter": "/", "undone": True}),
    ("delete_folder", {"name": "Doomed", "wires": ["Doomed/Inner", "Doomed"]}),
    ("subscribe", {"name": "Lists", "wire": "Lists", "subscribed": False}),
]


def row(kind: str, payload: dict[str, Any], op_id: int = 1) -> PendingRow:
    return PendingRow(id=op_id, kind=kind, payload=payload, data=None, state="queued",
                      attempts=0, last_error="", created=0.0)


@pytest.mark.parametrize(("kind", "payload"), SHAPES)
def test_payload_round_trips_key_for_key(kind: str, payload: dict[str, Any]) -> None:
    op = registry.load(row(kind, payload))
    assert op.kind == kind
    assert op.payload.to_json() == payload
    assert op.describe()  # a sentence for every kind


def test_every_kind_has_a_class() -> None:
    assert set(registry.KINDS) == set(OpKind)
    assert {kind for kind, _payload in SHAPES} == {str(kind) for kind in OpKind}


def test_an_unreadable_payload_is_a_value_error_naming_the_row() -> None:
    with pytest.raises(ValueError, match="pending operation 12"):
        registry.load(row("move", {"folder": "INBOX"}, op_id=12))


def test_undo_labels_and_inverses(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "empty.sqlite3")  # nothing cached: no UID is known
    move = registry.load(row(*SHAPES[3]))
    assert move.describe() == "Move 2 messages to “Archive”"
    # Not every new UID is known: the move back finds them by Message-ID.
    assert move.inverse(store) == [
        MoveByMessageId("Archive", "INBOX", (("1", "<a@x>"), ("2", "<b@x>")))]
    assert move.mark_undone().to_json() == {**SHAPES[3][1], "undone": True}
    flags = registry.load(row(*SHAPES[0]))
    assert flags.describe() == "Mark 2 messages as read"
    assert flags.inverse(store) == [
        SetFlags("INBOX", (3, 4), add=frozenset(), remove=frozenset({"\\Seen"}))]
    transfer = registry.load(row(*SHAPES[6]))
    assert transfer.inverse(store) == [
        RetrieveMessages("INBOX", "work", "Archive", ("<c@x>",), append=False)]
    copy = registry.load(row("move", {**SHAPES[3][1], "copy": True}))
    assert copy.describe() == "Copy 2 messages to “Archive”"
    assert copy.inverse(store) == [
        DeleteMessages("Archive", (40,), permanent=True)]
    # Flags of messages no longer under those UIDs (moved and back): by Message-ID.
    known = registry.load(row("flags", {**SHAPES[0][1], "message_ids": {"3": "<a@x>",
                                                                         "4": "<b@x>"}}))
    assert known.inverse(store) == [
        SetFlagsByMessageId("INBOX", (("3", "<a@x>"), ("4", "<b@x>")),
                            remove=frozenset({"\\Seen"}))]
    store.close()


def test_commands_find_their_class() -> None:
    assert registry.for_command(MoveMessages("INBOX", (1,), "Archive")).kind is OpKind.MOVE
    assert registry.for_command(DeleteMessages("INBOX", (1,))).kind is OpKind.EXPUNGE
    with pytest.raises(TypeError):
        registry.for_command(object())  # type: ignore[arg-type]
