"""The read path against a real Dovecot: client A (the engine) and another device B."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.accounts.settings import SyncPolicy
from qtmail.core.events import FolderReset, MessagesAdded, MessagesRemoved
from qtmail.core.types import FLAGGED, SEEN, FolderRole

pytestmark = pytest.mark.dovecot


def server_flags(user: MailUser, folder: str) -> dict[int, frozenset[str]]:
    """What the server holds, seen through an independent connection."""
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        if not uids:
            return {}
        data = client.fetch(uids, ["FLAGS"])
        return {uid: frozenset(f.decode() for f in item[b"FLAGS"] if f != b"\\Recent")
                for uid, item in data.items()}
    finally:
        client.logout()


def cache_flags(harness: EngineHarness, folder: str) -> dict[int, frozenset[str]]:
    return {uid: frozenset(f for f in flags if f != "\\Recent")
            for uid, flags in harness.store.flags_map(folder).items()}


def test_first_sync_mirrors_folders_and_headers(harness: EngineHarness,
                                                mail_user: MailUser) -> None:
    mail_user.save(message("Quarterly report", sender="Zoë Müller <zoe@example.de>"))
    mail_user.save(message("=?utf-8?b?5pel5pys6Kqe44Gu5Lu25ZCN?="))
    mail_user.save(message("With attachment", attachment=b"\x00\x01" * 100))

    reports = harness.engine.sync_all()

    roles = {f.name: f.role for f in harness.store.folders()}
    assert roles["INBOX"] is FolderRole.INBOX
    assert roles["Sent"] is FolderRole.SENT
    assert roles["Trash"] is FolderRole.TRASH
    assert {r.folder: r.added for r in reports}["INBOX"] == 3
    subjects = [s.subject for s in harness.store.summaries("INBOX")]
    assert sorted(subjects) == sorted(["Quarterly report", "日本語の件名", "With attachment"])
    by_subject = {s.subject: s for s in harness.store.summaries("INBOX")}
    assert by_subject["Quarterly report"].sender.name == "Zoë Müller"
    assert by_subject["Quarterly report"].sender.addr == "zoe@example.de"
    assert by_subject["With attachment"].has_attachment
    assert not by_subject["Quarterly report"].has_attachment
    assert cache_flags(harness, "INBOX") == server_flags(mail_user, "INBOX")
    assert harness.store.counts("INBOX").unread == 3


def test_changes_on_another_device_reach_the_cache(harness: EngineHarness,
                                                   mail_user: MailUser) -> None:
    for n in range(6):
        mail_user.save(message(f"Message {n}"))
    harness.engine.sync_all()

    other = mail_user.imap()
    other.select_folder("INBOX")
    uids = sorted(other.search("ALL"))
    other.add_flags(uids[0], [SEEN])
    other.add_flags(uids[1], [FLAGGED])
    other.move(uids[2], "Archive")
    other.delete_messages(uids[3])
    other.expunge()
    other.append("INBOX", message("Delivered later"))
    other.logout()

    harness.engine.sync_all()

    for folder in ("INBOX", "Archive"):
        assert cache_flags(harness, folder) == server_flags(mail_user, folder)
    subjects = {s.subject for s in harness.store.summaries("INBOX")}
    assert "Delivered later" in subjects
    assert "Message 2" not in subjects and "Message 3" not in subjects
    assert [s.subject for s in harness.store.summaries("Archive")] == ["Message 2"]
    removed = [e for e in harness.events if isinstance(e, MessagesRemoved)]
    assert sorted(u for e in removed for u in e.uids) == sorted([uids[2], uids[3]])


def test_incremental_sync_uses_condstore(harness: EngineHarness, mail_user: MailUser) -> None:
    mail_user.save(message("one"))
    mail_user.save(message("two"))
    harness.engine.sync_all()
    other = mail_user.imap()
    other.select_folder("INBOX")
    other.add_flags(other.search("ALL")[0], [FLAGGED])
    other.logout()
    session = harness.engine.session()
    session.command_log.clear()

    report = harness.engine.sync_folder("INBOX")

    assert report.flags_changed == 1
    assert any("CHANGEDSINCE" in command for command in session.command_log)
    assert cache_flags(harness, "INBOX") == server_flags(mail_user, "INBOX")


def test_changes_to_the_open_folder_are_seen(harness: EngineHarness,
                                             mail_user: MailUser) -> None:
    """The folder the session has selected: STATUS alone would show a stale view."""
    mail_user.save(message("one"))
    harness.engine.sync_all()
    harness.engine.sync_folder("INBOX")
    uid = harness.store.summaries("INBOX")[0].uid
    assert harness.engine.body("INBOX", uid) is not None  # selects INBOX
    other = mail_user.imap()
    other.select_folder("INBOX")
    other.add_flags(uid, [SEEN])
    other.logout()

    report = harness.engine.sync_folder("INBOX")

    assert report.flags_changed == 1
    assert SEEN in harness.store.flags_map("INBOX")[uid]


def test_resync_without_changes_sends_no_fetch(harness: EngineHarness,
                                               mail_user: MailUser) -> None:
    mail_user.save(message("one"))
    harness.engine.sync_all()
    session = harness.engine.session()
    session.command_log.clear()

    report = harness.engine.sync_folder("INBOX")

    assert report.unchanged
    assert not any("FETCH" in command or "SEARCH" in command
                   for command in session.command_log)


def test_resync_of_the_open_folder_needs_no_select(harness: EngineHarness,
                                                   mail_user: MailUser) -> None:
    mail_user.save(message("one"))
    harness.engine.sync_all()
    uid = harness.store.summaries("INBOX")[0].uid
    harness.engine.body("INBOX", uid)  # reading opens (selects) the folder
    session = harness.engine.session()
    session.command_log.clear()

    report = harness.engine.sync_folder("INBOX")

    assert report.unchanged
    assert not [c for c in session.command_log if c.startswith(("SELECT", "STATUS"))]


@pytest.mark.parametrize("variant_user", ["no-condstore", "no-qresync"], indirect=True)
def test_full_refresh_without_condstore_or_qresync(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    harness = harness_factory(variant_user)
    for n in range(4):
        variant_user.save(message(f"Message {n}"))
    harness.engine.sync_all()
    other = variant_user.imap()
    other.select_folder("INBOX")
    uids = sorted(other.search("ALL"))
    other.add_flags(uids[0], [SEEN, FLAGGED])
    other.delete_messages(uids[1])
    other.expunge()
    other.logout()

    harness.engine.sync_folder("INBOX")

    assert cache_flags(harness, "INBOX") == server_flags(variant_user, "INBOX")
    if variant_user.server.variant == "no-condstore":
        assert not any("CHANGEDSINCE" in c for c in harness.engine.session().command_log)


def test_uidvalidity_change_drops_and_refetches(harness: EngineHarness,
                                                mail_user: MailUser) -> None:
    other = mail_user.imap()
    other.create_folder("Projects")
    other.append("Projects", message("old plan"))
    harness.engine.sync_all()
    assert [s.subject for s in harness.store.summaries("Projects")] == ["old plan"]

    # Recreating a folder gives it a new UIDVALIDITY (RFC 3501 2.3.1.1).
    other.delete_folder("Projects")
    other.create_folder("Projects")
    other.append("Projects", message("new plan"))
    other.logout()
    harness.events.clear()

    harness.engine.sync_all()

    assert [s.subject for s in harness.store.summaries("Projects")] == ["new plan"]
    assert any(isinstance(e, FolderReset) and e.folder == "Projects"
               for e in harness.events)
    assert cache_flags(harness, "Projects") == server_flags(mail_user, "Projects")


def test_deleted_folder_leaves_the_cache(harness: EngineHarness, mail_user: MailUser) -> None:
    other = mail_user.imap()
    other.create_folder("Old")
    other.append("Old", message("x"))
    harness.engine.sync_all()
    other.delete_folder("Old")
    other.logout()

    harness.engine.sync_all()

    assert harness.store.folder("Old") is None


def test_body_is_fetched_on_demand_without_marking_read(harness: EngineHarness,
                                                        mail_user: MailUser) -> None:
    raw = message("Body test", body="The secret ingredient is time.\n",
                  attachment=b"attached bytes")
    mail_user.save(raw)
    harness.engine.sync_all()
    uid = harness.store.summaries("INBOX")[0].uid
    assert not harness.store.has_body("INBOX", uid)

    body = harness.engine.body("INBOX", uid)

    assert body is not None and b"The secret ingredient is time." in body
    assert harness.store.has_body("INBOX", uid)
    assert SEEN not in server_flags(mail_user, "INBOX")[uid]
    harness.engine.close()
    assert harness.engine.body("INBOX", uid) == body  # from the cache, offline


def test_body_cache_is_bounded(harness_factory: Callable[..., EngineHarness],
                               mail_user: MailUser) -> None:
    harness = harness_factory(mail_user, body_cache_mb=1)
    for n in range(5):
        mail_user.save(message(f"big {n}", attachment=bytes(range(256)) * 1600))
    harness.engine.sync_all()
    for summary in harness.store.summaries("INBOX"):
        harness.engine.body("INBOX", summary.uid)

    assert harness.store.body_bytes() <= 1024 * 1024
    newest = harness.store.summaries("INBOX")[-1].uid
    assert harness.store.has_body("INBOX", newest)


def test_sync_range_limits_headers_and_older_mail_comes_on_demand(
        harness_factory: Callable[..., EngineHarness], mail_user: MailUser) -> None:
    other = mail_user.imap()
    now = dt.datetime.now(dt.UTC)
    for age in (1, 5, 100, 200):
        other.append("INBOX", message(f"{age} days old"),
                     msg_time=now - dt.timedelta(days=age))
    other.logout()
    harness = harness_factory(mail_user, sync=SyncPolicy(days=30))

    harness.engine.sync_all()
    assert {s.subject for s in harness.store.summaries("INBOX")} == {
        "1 days old", "5 days old"}

    added = harness.engine.fetch_older("INBOX", count=1)
    assert added == 1
    assert "100 days old" in {s.subject for s in harness.store.summaries("INBOX")}


def test_quota_is_kept_for_the_window(harness: EngineHarness, mail_user: MailUser) -> None:
    mail_user.save(message("q", attachment=b"x" * 50_000))
    harness.engine.sync_all()
    quota = harness.store.quota()
    assert quota is not None
    assert quota.limit == 100 * 1024 * 1024
    assert quota.used >= 50_000


def test_first_sync_announces_chunks_newest_first(harness: EngineHarness,
                                                  mail_user: MailUser) -> None:
    other = mail_user.imap()
    other.multiappend("INBOX", [message(f"m{n}") for n in range(450)])
    other.logout()

    harness.engine.sync_all()

    added = [e for e in harness.events if isinstance(e, MessagesAdded) and e.folder == "INBOX"]
    assert len(added) >= 2
    assert len(added[0].uids) == 200
    assert min(added[0].uids) > max(added[1].uids)
    assert harness.store.message_count("INBOX") == 450
    # Each chunk's event says where its rows go in a list (issue 18: All Inboxes places
    # them without reading the store): every message shown, at its INTERNALDATE.
    stored = {s.uid: s.internaldate for s in harness.store.summaries("INBOX", limit=500)}
    assert [dict(e.shown or ()) for e in added] == [
        {uid: stored[uid] for uid in e.uids} for e in added]


def test_a_chunk_comes_in_parts_with_a_turn_for_the_user_between_them(
        harness: EngineHarness, mail_user: MailUser) -> None:
    """Issue 18 goal 3: the 1,000 of the second chunk come in two FETCHes, and the
    scheduler's ``between_parts`` runs after each, before the chunk is announced."""
    other = mail_user.imap()
    other.multiappend("INBOX", [message(f"m{n}") for n in range(1450)])
    other.logout()
    turns: list[int] = []
    harness.engine.between_parts = lambda: turns.append(len(harness.events))

    harness.engine.sync_all()

    added = [e for e in harness.events if isinstance(e, MessagesAdded) and e.folder == "INBOX"]
    assert [len(e.uids) for e in added] == [200, 1000, 250]
    # The newest 200 come by number, in one FETCH (test_newest_first); then the parts
    # 500, 500 | 250.
    assert len(turns) == 3
    assert harness.events.index(added[0]) < turns[0] == turns[1] \
        <= harness.events.index(added[1]) < turns[2]
    assert harness.store.message_count("INBOX") == 1450
    uids = [uid for e in added for uid in e.uids]
    assert sorted(uids) == sorted(set(uids)) and len(uids) == 1450


def test_push_brings_changes_without_user_action(harness: EngineHarness,
                                                 mail_user: MailUser) -> None:
    import threading

    from qtmail.sync.folder_sync import FolderSyncReport
    from qtmail.sync.live import LiveSync

    mail_user.save(message("before"))
    harness.engine.sync_all()
    synced = threading.Event()
    reports: list[FolderSyncReport] = []

    def on_report(report: FolderSyncReport) -> None:
        reports.append(report)
        if report.added or report.flags_changed:
            synced.set()

    live = LiveSync(harness.engine, ["INBOX"], password=lambda: mail_user.password,
                    on_report=on_report)
    live.start()
    try:
        assert live.wait_until_watching(15), "push never started"
        other = mail_user.imap()
        other.append("INBOX", message("pushed"))
        other.logout()
        assert synced.wait(5), "the new message did not arrive within 5 seconds"
    finally:
        live.stop()
    assert "pushed" in {s.subject for s in harness.store.summaries("INBOX")}


def test_offline_reading_downloads_bodies_newest_first(harness: EngineHarness,
                                                       mail_user: MailUser) -> None:
    for n in range(5):
        mail_user.save(message(f"m{n}", body=f"Body number {n}.\n",
                               date=dt.datetime(2026, 11, 1 + n, tzinfo=dt.UTC)))
    harness.engine.sync_all()
    newest_first = [s.uid for s in harness.store.summaries("INBOX")]

    assert harness.engine.prefetch_bodies("INBOX", budget=2) == 2
    assert [harness.store.has_body("INBOX", uid) for uid in newest_first] == [
        True, True, False, False, False]
    assert harness.engine.prefetch_bodies("INBOX", budget=10) == 3
    assert all(SEEN not in flags for flags in server_flags(mail_user, "INBOX").values())
