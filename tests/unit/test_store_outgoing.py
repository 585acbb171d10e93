"""Store: the Outbox and drafts tables (schema 5), their codec, versions and rescue."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address, MessageRef
from qtmail.store import Store
from qtmail.store.outgoing import spool_outgoing
from qtmail.store.outgoing_rows import draft_from_json, draft_json_bytes, draft_to_json

DRAFT = Draft(from_address=Address("Älice", "alice@example.org"),
              to=(Address('Doe, "J"', "john@example.org"),), cc=(),
              bcc=(Address("", "hidden@example.org"),), subject="Grüße\u202e",
              body_text="line\r\n\x00odd", body_html="<b>x</b>",
              attachments=(Attachment("ü.bin", "application/octet-stream",
                                      bytes(range(256))),),
              in_reply_to="a@b", references=("a@b", "c@d"))
REF = MessageRef("work", "Drafts", 7, 42)


def test_draft_codec_round_trips_exactly() -> None:
    assert draft_from_json(draft_to_json(DRAFT)) == DRAFT


def test_outbox_rows_keep_everything_and_change_state(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite") as store:
        first = store.add_outgoing(DRAFT, draft_id="d", raw=b"raw\r\n", message_id="m@x",
                                   envelope_from="alice@example.org",
                                   recipients=["john@example.org", "hidden@example.org"],
                                   replied=REF, forwarded=None, send_after=5.0)
        (row,) = store.outgoing()
        assert (row.id, row.draft, row.raw, row.recipients, row.replied, row.state) == (
            first, DRAFT, b"raw\r\n", ("john@example.org", "hidden@example.org"), REF,
            "waiting")
        assert store.update_outgoing(first, state="sending", attempts=1)
        assert store.sending_to_maybe_sent("cut off") == [first]
        row2 = store.outgoing_item(first)
        assert row2 is not None and (row2.state, row2.problem, row2.attempts) == (
            "maybe_sent", "cut off", 1)
        with pytest.raises(ValueError):
            store.update_outgoing(first, state="sent")
        assert store.remove_outgoing(first)
        assert not store.update_outgoing(first, state="waiting")
        second = store.add_outgoing(DRAFT, draft_id="", raw=b"", message_id="", envelope_from="",
                                    recipients=[], replied=None, forwarded=None,
                                    send_after=0.0)
        assert second > first  # AUTOINCREMENT: an Undo for the old id never hits it


def test_draft_versions_and_a_push_overtaken_by_a_newer_save(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite") as store:
        assert store.save_draft("d1", DRAFT, (REF,)) == 1
        newer = Draft(from_address=DRAFT.from_address, body_text="newer")
        assert store.save_draft("d1", newer) == 2
        row = store.draft("d1")
        assert row is not None and row.draft == newer and row.replaces == (REF,)
        assert not store.draft_pushed("d1", 1, uid=10, uidvalidity=7)  # v2 still to push
        assert [r.draft_id for r in store.drafts()] == ["d1"]
        assert store.draft_pushed("d1", 2, uid=11, uidvalidity=7)
        row = store.draft("d1")
        assert row is not None and (row.state, row.uid, row.replaces) == ("saved", 11, ())
        assert store.drafts() == []
        store.discard_draft("d1")
        (gone,) = store.drafts()
        assert gone.draft is None and gone.uid == 11 and gone.state == "discard"
        assert store.forget_draft("d1", gone.version)
        assert store.draft("d1") is None


def test_outbox_and_drafts_are_rescued_from_a_damaged_cache(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.add_outgoing(DRAFT, draft_id="d", raw=b"bytes", message_id="m@x",
                           envelope_from="a@x", recipients=["b@x"], replied=None,
                           forwarded=REF, send_after=1.0)
        store.save_draft("d2", DRAFT)
        outbox, drafts = store.outgoing(), store.drafts()
    Path(f"{path}.damaged").touch()
    with Store.open(path) as store:
        assert store.outgoing() == outbox
        assert store.drafts() == drafts
    assert "Rescued 2 messages and drafts" in caplog.text


def test_a_schema_4_cache_gains_the_outbox_and_keeps_its_pending_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with Store.open(path) as store:
        op_id = store.add_pending("flags", {"uids": [1]})
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE outbox")
    conn.execute("DROP TABLE drafts")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert [row.id for row in store.pending()] == [op_id]
        assert store.outgoing() == [] and store.drafts() == []
        assert store.save_draft("d", DRAFT) == 1


def spooled(store: Store, raw: bytes = b"Subject: x\r\n\r\nbig\r\n") -> int:
    token = spool_outgoing(store.spool, DRAFT, raw)
    return store.add_outgoing(DRAFT, draft_id="d", raw=b"", spool=token, message_id="m@x",
                              envelope_from="a@x", recipients=["b@x"], replied=None,
                              forwarded=None, send_after=1.0)


def test_a_spooled_message_keeps_its_bytes_in_files_and_its_row_small(tmp_path: Path) -> None:
    """Issue 18: the row of a message with a big attachment holds neither the message
    nor the attachment (changing its state rewrote 27 MB), the files hold both."""
    with Store.open(tmp_path / "c.sqlite") as store:
        outbox_id = spooled(store)
        (whole,) = store.outgoing()
        assert (whole.draft, whole.raw) == (DRAFT, b"Subject: x\r\n\r\nbig\r\n")
        light = store.outgoing_item(outbox_id, whole=False)
        assert light is not None and light.spool == whole.spool
        assert light.raw == b"" and light.draft.attachments == ()
        assert light.draft.subject == DRAFT.subject
        (listed,) = store.outgoing_listing()
        assert listed.subject == DRAFT.subject
        size = store._conn.execute("SELECT length(raw) + length(draft) FROM outbox").fetchone()
        assert size[0] < 1000


def test_the_spool_keeps_what_a_row_names_and_sweeps_the_rest(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite") as store:
        kept = spooled(store)
        # Just written by a lane when the worker sweeps: kept, no row names it yet.
        orphan = spool_outgoing(store.spool, DRAFT, b"lost")
        assert store.sweep_spool() == 0
    with Store.open(tmp_path / "c.sqlite") as store:
        # A crash before its row: swept at the next start.
        assert store.sweep_spool() == 1
        assert not list(store.spool.directory.glob(f"{orphan}.*"))
        row = store.outgoing_item(kept, whole=False)
        assert row is not None
        # Sent: the row goes, the Sent copy's APPEND names the file until it is done.
        store.remove_outgoing(kept)
        op_id = store.add_pending("append", {"folder": "Sent", "spool": row.spool})
        assert store.sweep_spool() == 0
        assert store.spool.read(row.spool) == b"Subject: x\r\n\r\nbig\r\n"
        store.update_pending(op_id, state="done")
        assert store.sweep_spool() == 1
        assert list(store.spool.directory.iterdir()) == []


def test_a_spooled_message_is_rescued_with_a_damaged_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        spooled(store)
        outbox = store.outgoing()
    Path(f"{path}.damaged").touch()
    with Store.open(path) as store:
        assert store.outgoing() == outbox
        assert store.sweep_spool() == 0


def test_a_schema_9_outbox_row_is_read_and_rescued_whole(tmp_path: Path) -> None:
    """Rows written before the spool keep their message in the row."""
    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.add_outgoing(DRAFT, draft_id="d", raw=b"bytes", message_id="m@x",
                           envelope_from="a@x", recipients=["b@x"], replied=None,
                           forwarded=None, send_after=1.0)
        outbox = store.outgoing()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE outbox DROP COLUMN spool")
    conn.execute("PRAGMA user_version = 9")
    conn.commit()
    conn.close()
    Path(f"{path}.damaged").touch()  # and rescued from the damaged schema 9 file
    with Store.open(path) as store:
        assert store.outgoing() == outbox
        row = store.outgoing_item(outbox[0].id, whole=False)
        assert row is not None and (row.raw, row.draft, row.spool) == (b"bytes", DRAFT, "")


def test_spooled_draft_json_is_the_codec_s_json() -> None:
    """Issue 18: the spool's draft is made with the base64 put in a slice at a time."""
    big = replace(DRAFT, attachments=(
        *DRAFT.attachments, Attachment("big.bin", "application/octet-stream",
                                       random.Random(3).randbytes(3 * (3 << 18) + 5)),
        Attachment("empty", "text/plain", b"")))
    for draft in (DRAFT, big, replace(DRAFT, attachments=())):
        assert draft_json_bytes(draft) == draft_to_json(draft).encode()
        assert draft_from_json(draft_json_bytes(draft).decode()) == draft
