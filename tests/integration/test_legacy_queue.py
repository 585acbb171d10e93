"""A queue written before operations became objects (issue 12) replays after it.

The pending rows below are the JSON that the previous ``sync/operations.py`` wrote, key
for key, for every kind (taken literally from its ``add_pending`` calls), including a
move a crash interrupted half-way ("done" and "uid_map" filled, attempts raised) and a
COPY the server had done just before the crash. They are written straight into the
store, with the local effect the old code applied in the same transaction, and then
replayed against Dovecot by today's code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message

from qtmail.core.events import OperationFailed
from qtmail.core.types import FLAGGED, SEEN

pytestmark = pytest.mark.dovecot

VARIANTS = ["full", "no-move-no-uidplus"]


def subjects(user: MailUser, folder: str) -> list[str]:
    """Visible (not \\Deleted) subjects of ``folder``, as another device sees them."""
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED"])
        data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
        return sorted(item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                      for item in data.values())
    finally:
        client.logout()


def server_uid(user: MailUser, folder: str, subject: str) -> int:
    client = user.imap()
    try:
        client.select_folder(folder)
        found: list[int] = client.search(["SUBJECT", subject, "NOT", "DELETED"])
        assert len(found) == 1, (folder, subject, found)
        return found[0]
    finally:
        client.logout()


@pytest.mark.parametrize("variant_user", VARIANTS, indirect=True)
def test_a_queue_written_by_the_previous_code_replays(
        variant_user: MailUser, harness_factory: Callable[..., Any]) -> None:
    user = variant_user
    other = user.server.new_user()
    client = user.imap()
    client.multiappend("INBOX", [message(f"m{n}") for n in range(8)])
    for name in ("Archive", "Lists", "Old", "Doomed"):
        client.create_folder(name)
        client.subscribe_folder(name)
    client.logout()
    side = other.imap()
    side.append("INBOX", message("away"))
    side.logout()
    home = harness_factory(user, name="home")
    work = harness_factory(other, name="work")
    work.engine.sync_all()
    home.engine._peers = lambda name: work.engine if name == "work" else None
    home.engine.sync_all()
    store = home.store
    uid = {s.subject: s.uid for s in store.summaries("INBOX", limit=100)}
    mid = {s.subject: s.message_id for s in store.summaries("INBOX", limit=100)}
    validity = store.folder_state("INBOX").uidvalidity
    delimiter = store.folder("Old").delimiter
    away_mid = work.store.summaries("INBOX", limit=10)[0].message_id

    # What the other device and the crash left on the server: m0 already moved (the
    # first batch of the interrupted move), m2 already copied (the COPY before the crash),
    # m5 moved to Archive earlier (the move an undo by Message-ID brings back).
    client = user.imap()
    client.select_folder("INBOX")
    client.copy([uid["m0"], uid["m5"]], "Archive")
    client.copy([uid["m2"]], "Lists")
    client.delete_messages([uid["m0"], uid["m5"]])
    client.expunge()
    client.logout()
    moved_m0 = server_uid(user, "Archive", "m0")

    def queue(kind: str, payload: dict[str, Any], *, attempts: int = 0,
              data: bytes | None = None, hide: tuple[str, ...] = ()) -> int:
        with store.transaction(durable=True):
            store.hide_messages("INBOX", [uid[s] for s in hide])
            op_id = store.add_pending(kind, payload, data=data)
        if attempts:
            store.update_pending(op_id, attempts=attempts)
        return op_id

    inbox = {"folder": "INBOX", "folder_wire": "INBOX", "uidvalidity": validity}
    # Operations.move, interrupted after its first batch: m0 is done, m1 is not.
    queue("move", {**inbox, "uids": [uid["m0"], uid["m1"]], "dest": "Archive",
                   "dest_wire": "Archive", "copy": False, "done": [uid["m0"]],
                   "uid_map": {str(uid["m0"]): moved_m0},
                   "message_ids": {str(uid["m0"]): mid["m0"], str(uid["m1"]): mid["m1"]}},
          attempts=1, hide=("m0", "m1"))
    with store.transaction(durable=True):
        store.move_message_rows("INBOX", "Archive", {uid["m0"]: moved_m0}, uids=[uid["m0"]])
    # Operations.move(copy=True), its COPY done by the server just before the crash.
    queue("move", {**inbox, "uids": [uid["m2"]], "dest": "Lists", "dest_wire": "Lists",
                   "copy": True, "done": [], "uid_map": {},
                   "message_ids": {str(uid["m2"]): mid["m2"]}}, attempts=1)
    # Operations.set_flags
    queue("flags", {**inbox, "uids": [uid["m3"]], "add": [FLAGGED], "remove": [],
                    "previous": {str(uid["m3"]): []}})
    queue("flags", {**inbox, "uids": [uid["m7"]], "add": [SEEN], "remove": [],
                    "previous": {str(uid["m7"]): []}, "automatic": True})
    # Operations.delete(permanent=True)
    queue("expunge", {**inbox, "uids": [uid["m4"]]}, hide=("m4",))
    # Operations.move_back_by_message_id (the undo of a move without COPYUID)
    queue("move", {"folder": "Archive", "folder_wire": "Archive", "uidvalidity": None,
                   "uids": [], "dest": "INBOX", "dest_wire": "INBOX", "copy": False,
                   "done": [], "uid_map": {}, "message_ids": {"4242": mid["m5"]},
                   "by_message_id": True})
    # Operations.transfer
    queue("transfer", {**inbox, "uids": [uid["m6"]], "dest_account": "work",
                       "dest": "INBOX", "copy": False, "done": [],
                       "message_ids": {str(uid["m6"]): mid["m6"]}}, hide=("m6",))
    # Operations.retrieve (the undo of a transfer from "work")
    queue("retrieve", {"folder": "INBOX", "folder_wire": "INBOX", "from_account": "work",
                       "from_folder": "INBOX", "message_ids": [away_mid], "append": True,
                       "done": []})
    # Operations.import_message
    imported = message("imported")
    queue("append", {"folder": "Archive", "folder_wire": "Archive", "flags": [SEEN],
                     "date": 1_790_000_000, "message_id": "<imported@example.org>"},
          data=imported.replace(b"Message-ID:", b"X-Old-ID:").replace(
              b"Subject:", b"Message-ID: <imported@example.org>\r\nSubject:"))
    # Operations.create_folder / rename_folder / delete_folder / subscribe
    queue("create_folder", {"name": "Projects"})
    queue("rename_folder", {"old": "Old", "new": "Older", "old_wire": "Old",
                            "delimiter": delimiter})
    queue("delete_folder", {"name": "Doomed", "wires": ["Doomed"]})
    queue("subscribe", {"name": "Lists", "wire": "Lists", "subscribed": False})

    home.engine.replay()

    assert [e for e in home.events if isinstance(e, OperationFailed)] == []
    assert store.pending(states=("queued", "failed", "conflict")) == []
    assert subjects(user, "INBOX") == ["away", "m2", "m3", "m5", "m7"]
    # m0 not moved twice, m1 moved, the import there once.
    assert subjects(user, "Archive") == ["imported", "m0", "m1"]
    assert subjects(user, "Lists") == ["m2"]  # the COPY was not repeated
    assert subjects(other, "INBOX") == ["m6"]
    client = user.imap()
    try:
        client.select_folder("INBOX", readonly=True)
        flags = {uid: set(f) for uid, f in client.get_flags(client.search("ALL")).items()}
        flagged = client.search(["FLAGGED", "NOT", "DELETED"])
        seen = client.search(["SEEN", "NOT", "DELETED"])
        assert len(flagged) == 1 and len(seen) == 1, flags
        names = {name for _flags, _delim, name in client.list_folders()}
        subscribed = {name for _flags, _delim, name in client.list_sub_folders()}
    finally:
        client.logout()
    assert {"Projects", "Older"} <= names and not {"Old", "Doomed"} & names
    assert "Lists" not in subscribed
    # The cache agrees once synchronised: nothing lost, nothing twice.
    home.engine.sync_all()
    assert sorted(s.subject for s in store.summaries("Archive", limit=100)) \
        == ["imported", "m0", "m1"]
