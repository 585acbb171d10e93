"""The write path against a real Dovecot: every change reaches the server, in order,
online and offline, with each capability variant; refusals are backed out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.core.commands import EmptyFolder, Undo
from qtmail.core.errors import ConfigError, ServerUnreachable
from qtmail.core.events import MessagesAdded, OperationFailed
from qtmail.core.types import FLAGGED, SEEN
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

pytestmark = pytest.mark.dovecot

VARIANTS = ["full", "no-move", "no-move-no-uidplus"]


def server_subjects(user: MailUser, folder: str) -> dict[int, str]:
    """Visible messages (not \\Deleted) with their subjects, seen by the other device."""
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED"])
        if not uids:
            return {}
        data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        return {uid: item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                for uid, item in data.items()}
    finally:
        client.logout()


def server_flags(user: MailUser, folder: str) -> dict[str, frozenset[str]]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        data = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
        return {item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip():
                frozenset(f.decode() for f in item[b"FLAGS"] if f != b"\\Recent")
                for item in data.values()}
    finally:
        client.logout()


def fill(user: MailUser, count: int, folder: str = "INBOX") -> None:
    client = user.imap()
    client.multiappend(folder, [message(f"m{n:04d}") for n in range(count)])
    client.logout()


def uids_by_subject(harness: EngineHarness, folder: str) -> dict[str, int]:
    return {s.subject: s.uid for s in harness.store.summaries(folder, limit=10_000)}


@pytest.mark.parametrize("variant_user", VARIANTS, indirect=True)
def test_move_copy_delete_archive_reach_the_server(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    user = variant_user
    fill(user, 6)
    harness = harness_factory(user)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")

    harness.engine.ops.move("INBOX", [uid["m0000"], uid["m0001"]], "Archive")
    assert "m0000" not in uids_by_subject(harness, "INBOX")  # the local phase, at once
    harness.engine.ops.move("INBOX", [uid["m0002"]], "Junk", copy=True)
    harness.engine.ops.delete("INBOX", [uid["m0003"]])
    harness.engine.ops.archive("INBOX", [uid["m0004"]])
    harness.engine.replay()

    assert sorted(server_subjects(user, "INBOX").values()) == ["m0002", "m0005"]
    assert sorted(server_subjects(user, "Archive").values()) == ["m0000", "m0001", "m0004"]
    assert sorted(server_subjects(user, "Junk").values()) == ["m0002"]
    assert sorted(server_subjects(user, "Trash").values()) == ["m0003"]
    harness.engine.sync_all()
    assert sorted(uids_by_subject(harness, "INBOX")) == ["m0002", "m0005"]
    assert sorted(uids_by_subject(harness, "Archive")) == ["m0000", "m0001", "m0004"]
    log = harness.engine.session().command_log
    if user.server.variant == "full":
        assert "UID MOVE" in log
    if user.server.variant == "no-move-no-uidplus":
        assert "EXPUNGE" not in log and "UID EXPUNGE" not in log


@pytest.mark.parametrize("variant_user", VARIANTS, indirect=True)
def test_flags_and_permanent_delete(variant_user: MailUser,
                                    harness_factory: Callable[..., EngineHarness]) -> None:
    user = variant_user
    fill(user, 3)
    harness = harness_factory(user)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")

    harness.engine.ops.set_flags("INBOX", [uid["m0000"], uid["m0001"]], add=[SEEN, FLAGGED])
    harness.engine.ops.set_flags("INBOX", [uid["m0001"]], remove=[FLAGGED])
    harness.engine.ops.delete("INBOX", [uid["m0002"]], permanent=True)
    assert harness.store.counts("INBOX").unread == 0  # local phase
    harness.engine.replay()

    flags = server_flags(user, "INBOX")
    assert flags == {"m0000": {SEEN, FLAGGED}, "m0001": {SEEN}}


@pytest.mark.parametrize("variant_user", VARIANTS, indirect=True)
def test_empty_trash_deletes_what_it_lists_and_leaves_a_pending_move_alone(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    user = variant_user
    client = user.imap()
    client.create_folder("Trash")
    client.logout()
    fill(user, 4, "Trash")
    harness = harness_factory(user)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "Trash")
    harness.engine.ops.move("Trash", [uid["m0003"]], "INBOX")  # rescued, still queued

    harness.engine.apply(EmptyFolder("Trash"))
    assert harness.store.shown_uids("Trash") == []  # local phase: the list is empty
    harness.engine.replay()
    assert server_flags(user, "Trash") == {}
    assert set(server_flags(user, "INBOX")) == {"m0003"}
    harness.engine.apply(EmptyFolder("Trash"))  # nothing listed: nothing queued
    assert harness.store.pending() == []


def test_undo_of_a_delete_after_empty_trash_says_why_and_steps_down(
        harness: EngineHarness, mail_user: MailUser) -> None:
    fill(mail_user, 3)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.set_flags("INBOX", [uid["m0000"]], add=[FLAGGED])
    harness.engine.ops.delete("INBOX", [uid["m0001"]])  # to the Trash, made for it
    harness.engine.replay()
    harness.engine.sync_all()
    harness.engine.apply(EmptyFolder("Trash"))
    harness.engine.replay()

    with pytest.raises(ConfigError, match="the messages it changed are no longer where"):
        harness.engine.apply(Undo())  # the delete: its message is gone for good
    harness.engine.apply(Undo())  # the next Undo reaches the star below it
    harness.engine.replay()
    assert server_flags(mail_user, "INBOX")["m0000"] == frozenset()


def test_folders_create_rename_delete_subscribe(harness: EngineHarness,
                                                mail_user: MailUser) -> None:
    fill(mail_user, 3)
    harness.engine.sync_all()
    harness.engine.ops.create_folder("Projects")
    harness.engine.ops.create_folder("Projects/2026")
    harness.engine.replay()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.move("INBOX", [uid["m0000"]], "Projects/2026")
    harness.engine.ops.create_folder("Clients")
    harness.engine.ops.rename_folder("Projects", "Clients/Projects")
    harness.engine.ops.subscribe("Clients", False)
    harness.engine.replay()

    client = mail_user.imap()
    names = {name for _flags, _delim, name in client.list_folders()}
    subscribed = {name for _flags, _delim, name in client.list_sub_folders()}
    client.logout()
    assert {"Clients/Projects", "Clients/Projects/2026"} <= names
    assert "Projects" not in names
    assert "Clients" not in subscribed
    assert list(server_subjects(mail_user, "Clients/Projects/2026").values()) == ["m0000"]

    harness.engine.ops.delete_folder("Clients")
    harness.engine.replay()
    client = mail_user.imap()
    assert not any(n.startswith("Clients") for _f, _d, n in client.list_folders())
    client.logout()


def test_rename_keeps_cached_headers_of_the_subtree(harness: EngineHarness,
                                                    mail_user: MailUser) -> None:
    client = mail_user.imap()
    client.create_folder("Work")
    client.create_folder("Work/Old")
    client.logout()
    fill(mail_user, 20, "Work")
    fill(mail_user, 30, "Work/Old")
    harness.engine.sync_all()

    harness.engine.ops.rename_folder("Work", "Done")
    assert harness.store.message_count("Done/Old") == 30  # local phase, nothing refetched
    harness.events.clear()
    harness.engine.sync_all()

    assert harness.store.message_count("Done") == 20
    assert harness.store.message_count("Done/Old") == 30
    assert not [e for e in harness.events if isinstance(e, MessagesAdded)]


def test_offline_changes_are_replayed_in_order(mail_user: MailUser, tmp_path: Path,
                                               harness_factory: Callable[..., EngineHarness]
                                               ) -> None:
    fill(mail_user, 20)
    online = harness_factory(mail_user)
    online.engine.sync_all()
    online.close()

    # The same cache, but the server cannot be reached (a closed port).
    from dataclasses import replace

    from helpers.dovecot import free_port

    unreachable = replace(online.settings,
                          imap=replace(online.settings.imap, port=free_port(), timeout=2))
    with Store.open(online.store.path) as store:
        engine = AccountEngine(unreachable, store, lambda: mail_user.password, lambda e: None)
        uid = {s.subject: s.uid for s in store.summaries("INBOX", limit=100)}
        for n in range(10):
            engine.ops.move("INBOX", [uid[f"m{n:04d}"]], "Archive")
        for n in range(10, 15):
            engine.ops.set_flags("INBOX", [uid[f"m{n:04d}"]], add=[FLAGGED])
        engine.ops.set_flags("INBOX", [uid["m0010"]], remove=[FLAGGED])  # order matters
        engine.ops.delete("INBOX", [uid["m0015"], uid["m0016"]])
        with pytest.raises(ServerUnreachable):
            engine.replay()
        assert len(store.pending()) == 17
        assert store.message_count("INBOX") == 8

    back = harness_factory(mail_user, path=online.store.path)
    back.engine.sync_all()

    assert back.store.pending() == []
    assert sorted(server_subjects(mail_user, "Archive").values()) == [
        f"m{n:04d}" for n in range(10)]
    assert sorted(server_subjects(mail_user, "Trash").values()) == ["m0015", "m0016"]
    flags = server_flags(mail_user, "INBOX")
    assert {s for s, f in flags.items() if FLAGGED in f} == {f"m{n:04d}" for n in range(11, 15)}
    assert sorted(uids_by_subject(back, "INBOX")) == sorted(flags)


def test_refused_move_is_backed_out_with_a_reason(harness: EngineHarness,
                                                  mail_user: MailUser) -> None:
    fill(mail_user, 2)
    client = mail_user.imap()
    client.create_folder("Doomed")
    client.logout()
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.move("INBOX", [uid["m0000"]], "Doomed")
    assert "m0000" not in uids_by_subject(harness, "INBOX")

    client = mail_user.imap()
    client.delete_folder("Doomed")  # another device, just before our replay
    client.logout()
    harness.engine.replay()

    assert "m0000" in uids_by_subject(harness, "INBOX")
    failures = [e for e in harness.events if isinstance(e, OperationFailed)]
    assert len(failures) == 1
    assert "undone" in failures[0].message
    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001"]
    assert [row.state for row in harness.store.pending(states=("failed",))] == ["failed"]


def test_undo_move_restores_on_the_server(harness: EngineHarness, mail_user: MailUser) -> None:
    fill(mail_user, 3)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.move("INBOX", [uid["m0000"], uid["m0001"]], "Archive")
    harness.engine.replay()
    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0002"]

    harness.engine.undo()
    harness.engine.replay()

    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001", "m0002"]
    assert server_subjects(mail_user, "Archive") == {}
    harness.engine.sync_all()
    assert sorted(uids_by_subject(harness, "INBOX")) == ["m0000", "m0001", "m0002"]


def test_undo_before_replay_withdraws_the_change(harness: EngineHarness,
                                                 mail_user: MailUser) -> None:
    fill(mail_user, 2)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.set_flags("INBOX", [uid["m0000"]], add=[FLAGGED])
    harness.engine.undo()
    assert harness.store.pending() == []
    assert FLAGGED not in harness.store.summary("INBOX", uid["m0000"]).flags  # type: ignore[union-attr]


def test_import_keeps_the_date_and_export_keeps_the_bytes(harness: EngineHarness,
                                                          mail_user: MailUser,
                                                          tmp_path: Path) -> None:
    harness.engine.sync_all()
    raw = message("Imported", date=dt.datetime(2019, 5, 17, 8, 30, tzinfo=dt.UTC))
    harness.engine.ops.import_message("INBOX", raw)
    harness.engine.replay()

    client = mail_user.imap()
    client.normalise_times = False  # keep the server's time zone: an aware datetime
    client.select_folder("INBOX")
    (uid,) = client.search("ALL")
    internaldate = client.fetch([uid], ["INTERNALDATE"])[uid][b"INTERNALDATE"]
    client.logout()
    assert internaldate == dt.datetime(2019, 5, 17, 8, 30, tzinfo=dt.UTC)
    assert harness.engine.body("INBOX", uid) == raw


def test_transfer_arrives_before_it_leaves(mail_user: MailUser, dovecot: object,
                                           harness_factory: Callable[..., EngineHarness]
                                           ) -> None:
    other_user = mail_user.server.new_user()
    fill(mail_user, 2)
    source = harness_factory(mail_user, name="home")
    target = harness_factory(other_user, name="work")
    target.engine.sync_all()
    order: list[str] = []

    class WatchingPeer:
        def append_remote(self, folder: str, raw: bytes, **kwargs: object) -> None:
            target.engine.append_remote(folder, raw, **kwargs)  # type: ignore[arg-type]
            arrived = "m0000" in server_subjects(other_user, folder).values()
            still_here = "m0000" in server_subjects(mail_user, "INBOX").values()
            order.append(f"arrived={arrived} still_here={still_here}")

    source.engine._peers = lambda name: WatchingPeer()  # type: ignore[assignment,return-value]
    source.engine.sync_all()
    uid = uids_by_subject(source, "INBOX")
    source.engine.ops.transfer("INBOX", [uid["m0000"]], "work", "Archive")
    source.engine.replay()

    assert order == ["arrived=True still_here=True"]
    assert list(server_subjects(mail_user, "INBOX").values()) == ["m0001"]
    assert list(server_subjects(other_user, "Archive").values()) == ["m0000"]


def test_changes_to_a_replaced_folder_become_conflicts(harness: EngineHarness,
                                                       mail_user: MailUser,
                                                       tmp_path: Path) -> None:
    client = mail_user.imap()
    client.create_folder("Lists")
    client.append("Lists", message("old"))
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "Lists")["old"]
    harness.engine.ops.set_flags("Lists", [uid], add=[FLAGGED])  # queued, not yet sent

    # Another device recreates the folder: same name, new UIDVALIDITY, and a new message
    # that may well get the same UID number (RFC 3501 2.3.1.1).
    client.delete_folder("Lists")
    client.create_folder("Lists")
    client.append("Lists", message("new"))
    client.logout()
    harness.engine.replay()

    conflicts = harness.store.pending(states=("conflict",))
    assert [row.kind for row in conflicts] == ["flags"]
    assert "replaced" in conflicts[0].last_error
    assert server_flags(mail_user, "Lists") == {"new": frozenset()}
    assert any(isinstance(e, OperationFailed) for e in harness.events)


def test_create_answered_already_exists_is_done(harness: EngineHarness,
                                               mail_user: MailUser) -> None:
    """A CREATE replayed after a crash, or answered [ALREADYEXISTS] by Dovecot's list
    index race (tests/gui/test_dragdrop.py create_folders), is success (RFC 5530)."""
    harness.engine.sync_all()
    harness.engine.ops.create_folder("Projects")
    client = mail_user.imap()
    client.create_folder("Projects")  # the server has it before the replay comes
    client.logout()
    report = harness.engine.replay()
    assert (report.done, report.failed) == (1, 0)
    assert not [e for e in harness.events if isinstance(e, OperationFailed)]
    assert harness.store.folder("Projects") is not None
    assert harness.store.pending(states=("queued", "failed")) == []


def test_undo_of_a_transfer_brings_the_messages_back(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    other_user = mail_user.server.new_user()
    client = mail_user.imap()
    when = dt.datetime(2024, 2, 29, 10, 0, tzinfo=dt.UTC)
    for n in range(3):
        client.append("INBOX", message(f"m{n:04d}"), flags=[b"\\Flagged"], msg_time=when)
    client.logout()
    source = harness_factory(mail_user, name="home")
    target = harness_factory(other_user, name="work")
    target.engine.sync_all()
    source.engine._peers = lambda name: target.engine  # type: ignore[assignment,return-value]
    source.engine.sync_all()
    uid = uids_by_subject(source, "INBOX")
    source.engine.ops.transfer("INBOX", [uid["m0000"], uid["m0001"]], "work", "Archive")
    source.engine.replay()
    assert sorted(server_subjects(other_user, "Archive").values()) == ["m0000", "m0001"]

    source.engine.undo()
    source.engine.replay()

    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001", "m0002"]
    assert server_subjects(other_user, "Archive") == {}
    assert set(server_flags(mail_user, "INBOX").values()) == {frozenset({FLAGGED})}
    assert sorted(uids_by_subject(source, "INBOX")) == ["m0000", "m0001", "m0002"]
    client = mail_user.imap()
    client.select_folder("INBOX", readonly=True)
    dates = client.fetch(client.search("ALL"), ["INTERNALDATE"])
    client.logout()
    assert {d[b"INTERNALDATE"].date() for d in dates.values()} == {when.date()}
    # Undone once: a second Ctrl+Z has nothing of this transfer left to undo.
    assert not [r for r in source.store.pending(states=("queued",))]


def test_undo_of_a_move_into_a_folder_never_synchronised(harness: EngineHarness,
                                                          mail_user: MailUser) -> None:
    """Ctrl+Z right after the first move into Trash (or into a new folder), before the
    window's sync reached that folder: no UIDVALIDITY of it is cached yet, so the new
    UIDs cannot be trusted and the messages are found by Message-ID."""
    fill(mail_user, 2)
    harness.engine.sync_folder_list()
    harness.engine.sync_folder("INBOX")
    assert harness.store.folder_state("Trash") is None
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.delete("INBOX", [uid["m0000"]])
    harness.engine.replay()
    assert list(server_subjects(mail_user, "Trash").values()) == ["m0000"]
    state = harness.store.folder_state("Trash")
    assert state is not None and state.uidnext == 0  # COPYUID's UIDVALIDITY, not synced

    harness.engine.undo()  # raised "The folder “Trash” has not been synchronised yet."
    harness.engine.replay()

    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001"]
    assert server_subjects(mail_user, "Trash") == {}


@pytest.mark.parametrize("variant_user", VARIANTS, indirect=True)
def test_a_message_moved_into_a_folder_never_synchronised_can_be_changed_there(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    """Mark as Junk, open Junk before the first sync has reached it, Not Junk: the row
    the move put there is acted on (it was refused with "The folder “Junk” has not been
    synchronised yet.", the user's change dropped), and Junk's first sync keeps it."""
    user = variant_user
    fill(user, 3)
    harness = harness_factory(user)
    harness.engine.sync_folder_list()
    harness.engine.sync_folder("INBOX")
    assert harness.store.folder_state("Junk") is None
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.move("INBOX", [uid["m0001"]], "Junk")
    harness.engine.replay()
    assert list(server_subjects(user, "Junk").values()) == ["m0001"]

    moved = uids_by_subject(harness, "Junk")  # (Dovecot sends COPYUID in every variant)
    harness.engine.ops.set_flags("Junk", [moved["m0001"]], add=[FLAGGED])
    harness.engine.ops.move("Junk", [moved["m0001"]], "INBOX")
    harness.engine.replay()

    assert sorted(server_subjects(user, "INBOX").values()) == ["m0000", "m0001", "m0002"]
    assert FLAGGED in server_flags(user, "INBOX")["m0001"]
    assert not [e for e in harness.events if isinstance(e, OperationFailed)]
    harness.engine.sync_folder("Junk")
    harness.engine.sync_folder("INBOX")
    assert uids_by_subject(harness, "Junk") == {}
    assert sorted(uids_by_subject(harness, "INBOX")) == ["m0000", "m0001", "m0002"]


def test_undo_of_a_copy_to_another_account_removes_the_copies(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    other_user = mail_user.server.new_user()
    fill(mail_user, 2)
    source = harness_factory(mail_user, name="home")
    target = harness_factory(other_user, name="work")
    target.engine.sync_all()
    source.engine._peers = lambda name: target.engine  # type: ignore[assignment,return-value]
    source.engine.sync_all()
    uid = uids_by_subject(source, "INBOX")
    source.engine.ops.transfer("INBOX", list(uid.values()), "work", "Archive", copy=True)
    source.engine.replay()
    assert sorted(server_subjects(other_user, "Archive").values()) == ["m0000", "m0001"]

    source.engine.undo()
    source.engine.replay()

    assert server_subjects(other_user, "Archive") == {}
    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001"]


def test_undo_skips_an_automatic_mark_as_read(harness: EngineHarness,
                                              mail_user: MailUser) -> None:
    fill(mail_user, 2)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.move("INBOX", [uid["m0000"]], "Archive")
    harness.engine.ops.set_flags("INBOX", [uid["m0001"]], add=[SEEN], automatic=True)
    harness.engine.replay()

    harness.engine.undo()
    harness.engine.replay()

    assert sorted(server_subjects(mail_user, "INBOX").values()) == ["m0000", "m0001"]
    harness.engine.sync_all()
    seen = {s.subject: SEEN in s.flags for s in harness.store.summaries("INBOX")}
    assert seen == {"m0000": False, "m0001": True}


def test_a_star_on_a_message_moved_away_is_reported_not_lost(harness: EngineHarness,
                                                             mail_user: MailUser) -> None:
    """Issue 13 item 1: UID STORE to a UID that is gone is answered OK (RFC 3501 6.4.6),
    so a queued star whose message was moved meanwhile (here by another device) used to
    be marked done without reaching anything. Now the user is told, and it is undone."""
    fill(mail_user, 2)
    harness.engine.sync_all()
    uid = uids_by_subject(harness, "INBOX")
    harness.engine.ops.set_flags("INBOX", [uid["m0000"]], add=[FLAGGED])
    harness.engine.ops.set_flags("INBOX", [uid["m0001"]], add=[FLAGGED])
    client = mail_user.imap()
    client.select_folder("INBOX")
    client.move([uid["m0000"]], "Archive")  # another device, just before our replay
    client.logout()

    harness.engine.replay()

    failures = [e for e in harness.events if isinstance(e, OperationFailed)]
    assert len(failures) == 1
    assert "no longer in “INBOX”" in failures[0].message
    assert [row.state for row in harness.store.pending(states=("failed",))] == ["failed"]
    assert FLAGGED in server_flags(mail_user, "INBOX")["m0001"]  # the other one arrived
    assert FLAGGED not in server_flags(mail_user, "Archive")["m0000"]
