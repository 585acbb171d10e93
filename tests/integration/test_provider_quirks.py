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
            if name.startswith("[Gmail]") and name != "[Gmail]" or name == "INBOX":
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
