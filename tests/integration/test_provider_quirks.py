"""Gmail's folders done right (issue 16), against a Dovecot laid out as Gmail is: labels
under "[Gmail]/", no \\Archive, "All Mail" (\\All) holding everything, X-GM-EXT-1
announced. Archive goes to All Mail (on Gmail: the INBOX label goes, nothing else),
Delete to [Gmail]/Trash, and no folder named "Archive" or "Trash" is invented."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.core.commands import ArchiveMessages, DeleteMessages
from qtmail.core.types import FolderRole

pytestmark = pytest.mark.dovecot


def server_folders(user: MailUser) -> dict[str, list[bytes]]:
    with user.imap() as client:
        out: dict[str, list[bytes]] = {}
        for _flags, _delimiter, name in client.list_folders():
            if (name.startswith("[Gmail]") and name != "[Gmail]") or name == "INBOX":
                client.select_folder(name, readonly=True)
                fetched = client.fetch(client.search(), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
                out[name] = sorted(v[b"BODY[HEADER.FIELDS (SUBJECT)]"].strip()
                                   for v in fetched.values())
        return out


@pytest.mark.parametrize("variant_user", ["gmail-like"], indirect=True)
def test_archive_goes_to_all_mail_and_delete_to_the_gmail_trash(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    user = variant_user
    for subject in ("keep me", "bin me"):
        user.save(message(subject))
    harness = harness_factory(user)
    engine = harness.engine
    engine.sync_all()
    roles = {f.role: f.name for f in harness.store.folders()}
    assert roles[FolderRole.ALL] == "[Gmail]/All Mail"
    assert FolderRole.ARCHIVE not in roles
    by_subject = {m.subject: m.uid for m in harness.store.summaries("INBOX")}
    engine.apply(ArchiveMessages("INBOX", (by_subject["keep me"],)))
    engine.apply(DeleteMessages("INBOX", (by_subject["bin me"],)))
    engine.replay()
    folders = server_folders(user)
    assert folders["INBOX"] == []
    assert folders["[Gmail]/All Mail"] == [b"Subject: keep me"]
    assert folders["[Gmail]/Trash"] == [b"Subject: bin me"]
    names = {f.name for f in harness.store.folders()}
    assert not {"Archive", "Trash"} & names  # nothing invented beside Gmail's own
    assert engine.session().files_sent_mail  # X-GM-EXT-1: Gmail files the Sent copy


def test_gmail_message_ids_are_read_in_either_item_order() -> None:
    from helpers.scripted_server import Script, ScriptedServer

    from qtmail.accounts.settings import Security, ServerSettings
    from qtmail.core.types import FolderInfo
    from qtmail.imap.session import ImapSession

    caps = b"IMAP4rev1 AUTH=PLAIN X-GM-EXT-1"
    answer = (b"* 1 FETCH (UID 10 X-GM-MSGID 1278455344230334865)\r\n"
              b"* 2 FETCH (X-GM-MSGID 1278455344230334866 UID 11)\r\n"
              b"* 3 FETCH (UID 12 X-GM-MSGID oops)\r\n"  # unreadable: that copy only
              b"{tag} OK Success\r\n")
    server = ScriptedServer(Script(
        greeting=b"* OK [CAPABILITY " + caps + b"] Gimap ready\r\n",
        responses={"LOGIN": b"{tag} OK [CAPABILITY " + caps + b"] ok\r\n",
                   "UID FETCH": answer}))
    try:
        session = ImapSession.connect(ServerSettings(
            host="127.0.0.1", port=server.port, security=Security.NONE, timeout=5), "u", "p")
        inbox = FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")
        assert session.gmail_ids(inbox, [10, 11, 12]) == {
            10: 1278455344230334865, 11: 1278455344230334866}
        session.close()
        assert any(b"UID FETCH 10:12 (UID X-GM-MSGID)" in line for line in server.received)
    finally:
        server.stop()


def test_a_message_with_two_labels_is_found_once_and_from_its_label(tmp_path: object) -> None:
    from pathlib import Path

    from helpers.cache import folder, summary

    from qtmail.core.types import FolderSyncState
    from qtmail.store import Store

    assert isinstance(tmp_path, Path)
    store = Store.open(tmp_path / "cache.sqlite3")
    try:
        store.save_folders([folder("INBOX", FolderRole.INBOX),
                            folder("[Gmail]/All Mail", FolderRole.ALL),
                            folder("Work", FolderRole.NONE)])
        for name in ("INBOX", "[Gmail]/All Mail", "Work"):
            store.set_folder_state(name, FolderSyncState(uidvalidity=1, uidnext=100))
        both = summary(1)  # in INBOX, in Work, and (as everything) in All Mail
        alone = summary(2)  # archived: only in All Mail
        store.add_summaries("INBOX", [both])
        store.add_summaries("Work", [summary(5, date=both.internaldate)])
        store.add_summaries("[Gmail]/All Mail", [summary(7, date=both.internaldate),
                                                 summary(8, date=alone.internaldate)])
        assert store.missing_gmail_ids("[Gmail]/All Mail") == [7, 8]
        store.put_gmail_ids("INBOX", {1: 111})
        store.put_gmail_ids("Work", {5: 111})
        store.put_gmail_ids("[Gmail]/All Mail", {7: 111, 8: 222})
        assert store.missing_gmail_ids("[Gmail]/All Mail") == []
        hits = store.search_keys("Subject", limit=50)
        # Once each, and from a label rather than All Mail.
        assert sorted((f, uid) for f, _d, uid in hits) == [("INBOX", 1),
                                                          ("[Gmail]/All Mail", 8)]
        # Searching All Mail alone shows its own copy.
        only = store.search_keys("Subject", folders=["[Gmail]/All Mail"], limit=50)
        assert sorted(uid for _f, _d, uid in only) == [7, 8]
        # A copy arriving in All Mail while a search of every folder is open: not added.
        arriving = store.search_keys("Subject", folders=["[Gmail]/All Mail"], uids=[7],
                                     limit=1, copies_in=None)
        assert arriving == []
    finally:
        store.close()
