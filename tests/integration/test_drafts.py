"""Drafts in the Drafts folder of the real Dovecot (issue 6): one copy, the newest text.

Engine level, no Qt: qtmail.sync.drafts.Drafts on an EngineHarness; the server is
checked from an independent IMAP connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from email import policy
from email.parser import BytesParser

import pytest
from helpers.dovecot import DovecotServer, MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core.errors import ServerUnreachable
from qtmail.core.events import DraftSaved
from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address, FolderRole, MessageRef
from qtmail.mime.draft_reader import draft_from_parsed, draft_id_of
from qtmail.mime.parse import parse_message
from qtmail.sync.drafts import Drafts
from qtmail.sync.engine import AccountEngine

pytestmark = pytest.mark.dovecot

LONG = ("This paragraph is long enough to be wrapped by format=flowed when it is saved, "
        "and it must come back as one line when the draft is reopened.")


def draft(user: MailUser, body: str, **changes: object) -> Draft:
    return Draft(from_address=Address("Älice", f"{user.name}@example.org"),
                 to=(Address("Bob, B.", "bob@example.org"),),
                 bcc=(Address("", "secret@example.org"),),
                 body_text=body,
                 attachments=(Attachment("notes ü.txt", "text/plain", b"a\r\n.\r\nb"),),
                 **{"subject": "Plan für morgen", **changes})  # type: ignore[arg-type]


def account_for(user: MailUser) -> AccountSettings:
    """As tests/integration/conftest.py's (importing it by name is ambiguous when the
    gui tests are collected too: both directories have a conftest.py)."""
    return AccountSettings(
        name="work", email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20))


def copies(user: MailUser) -> list[tuple[int, bytes, tuple[bytes, ...]]]:
    """(uid, raw, flags) of the messages in Drafts not marked \\Deleted."""
    client = user.imap()
    try:
        client.select_folder("Drafts", readonly=True)
        uids = client.search(["NOT", "DELETED"])
        data = client.fetch(uids, ["BODY.PEEK[]", "FLAGS"]) if uids else {}
        return sorted((uid, item[b"BODY[]"], tuple(item[b"FLAGS"]))
                      for uid, item in data.items())
    finally:
        client.logout()


def text_of(raw: bytes) -> str:
    return draft_from_parsed(parse_message(raw), raw).body_text


@pytest.fixture
def drafts(harness: EngineHarness) -> Drafts:
    harness.engine.sync_all()
    return Drafts(harness.engine, harness.events.append)


def test_saving_twice_leaves_one_copy_with_the_newest_text(
        drafts: Drafts, harness: EngineHarness, mail_user: MailUser) -> None:
    drafts.save("d1", draft(mail_user, "first words"), None)
    assert harness.events[-1] == DraftSaved(harness.engine.name, "d1", 0)
    assert drafts.push() == "Drafts"
    (first,) = copies(mail_user)
    drafts.save("d1", draft(mail_user, "second words\n\n" + LONG), None)
    drafts.push()
    ((uid, raw, flags),) = copies(mail_user)
    assert uid > first[0]
    assert b"\\Draft" in flags and b"\\Seen" in flags
    assert text_of(raw) == "second words\n\n" + LONG
    saved = [e for e in harness.events if isinstance(e, DraftSaved)]
    assert saved[-1] == DraftSaved(harness.engine.name, "d1", uid)
    row = harness.store.draft("d1")
    assert row is not None and row.state == "saved" and row.uid == uid
    assert drafts.push() is None  # nothing left to do: no third copy
    assert len(copies(mail_user)) == 1


def test_a_reopened_draft_reads_back_and_replaces_its_original(
        drafts: Drafts, harness: EngineHarness, mail_user: MailUser) -> None:
    written = draft(mail_user, "Dear Bob,\n\n" + LONG + "\n\n-- \nÄlice",
                    in_reply_to="orig@example.org", references=("orig@example.org",))
    drafts.save("d2", written, None)
    drafts.push()
    ((uid, raw, _),) = copies(mail_user)
    assert draft_id_of(raw) == "d2"
    reopened = draft_from_parsed(parse_message(raw), raw)
    assert reopened == written
    # Reopened under a new id (as a draft from another program would be): the new
    # version replaces the original.
    state = harness.store.folder_state("Drafts")
    assert state is not None
    original = MessageRef(harness.engine.name, "Drafts", state.uidvalidity, uid)
    drafts.save("d3", reopened, original)
    drafts.push()
    ((_, raw3, _),) = copies(mail_user)
    assert draft_id_of(raw3) == "d3"


def test_discarding_removes_every_copy(drafts: Drafts, mail_user: MailUser,
                                       harness: EngineHarness) -> None:
    drafts.save("d4", draft(mail_user, "to be thrown away"), None)
    drafts.push()
    assert len(copies(mail_user)) == 1
    drafts.discard("d4", None)
    drafts.push()
    assert copies(mail_user) == []
    assert harness.store.draft("d4") is None


def test_a_copy_left_by_a_crash_is_removed_by_the_next_push(
        drafts: Drafts, harness: EngineHarness, mail_user: MailUser) -> None:
    """APPEND done, the uid never recorded (killed): the next push cleans it up."""
    drafts.save("d5", draft(mail_user, "v1"), None)
    drafts.push()
    client = mail_user.imap()
    (_, raw, _), = copies(mail_user)
    client.append("Drafts", raw, flags=["\\Draft"])  # the same version, twice
    client.logout()
    assert len(copies(mail_user)) == 2
    drafts.save("d5", draft(mail_user, "v2"), None)
    drafts.push()
    ((_, raw2, _),) = copies(mail_user)
    assert text_of(raw2) == "v2"


def test_offline_save_is_kept_and_pushed_later(
        dovecot: DovecotServer, harness_factory: Callable[..., EngineHarness],
        mail_user: MailUser) -> None:
    harness = harness_factory(mail_user)
    harness.engine.sync_all()
    online = harness.engine
    offline_settings = replace(harness.settings,
                               imap=replace(harness.settings.imap, port=1, timeout=5))
    offline = AccountEngine(offline_settings, harness.store, lambda: mail_user.password,
                            harness.events.append)
    writer = Drafts(offline, harness.events.append)
    writer.save("d6", draft(mail_user, "written on a train"), None)
    with pytest.raises(ServerUnreachable):
        writer.push()
    assert copies(mail_user) == []
    row = harness.store.draft("d6")
    assert row is not None and row.state == "save"
    Drafts(online, harness.events.append).push()
    ((_, raw, _),) = copies(mail_user)
    assert text_of(raw) == "written on a train"


def test_drafts_folder_unknown_to_the_cache_is_found_or_created(
        harness: EngineHarness, mail_user: MailUser) -> None:
    """No Drafts folder in the cache: CREATE it (ALREADYEXISTS is fine), list again."""
    harness.engine.sync_all()
    store = harness.store
    store.save_folders([f for f in store.folders() if f.role is not FolderRole.DRAFTS])
    assert store.folder("Drafts") is None
    drafts = Drafts(harness.engine, harness.events.append)
    drafts.save("d8", draft(mail_user, "somewhere to go"), None)
    assert drafts.push() == "Drafts"
    assert text_of(copies(mail_user)[0][1]) == "somewhere to go"
    assert store.folder("Drafts") is not None


def test_a_draft_from_another_program_reads_back(mail_user: MailUser) -> None:
    raw = message("Half written", body="Hi Bob,\n", to="Bob <bob@example.org>")
    parsed = parse_message(raw)
    reopened = draft_from_parsed(parsed, raw)
    assert draft_id_of(raw) == ""
    assert reopened.subject == "Half written"
    assert reopened.to == (Address("Bob", "bob@example.org"),)
    assert reopened.body_text == "Hi Bob,"
    assert BytesParser(policy=policy.default).parsebytes(raw)["Subject"] == "Half written"


def test_a_draft_that_cannot_be_sent_as_written_is_still_saved(
        drafts: Drafts, mail_user: MailUser) -> None:
    unfinished = draft(mail_user, "not ready", subject="Plan\r\nB",
                       cc=(Address("", "half@"),))
    drafts.save("d9", replace(unfinished, from_address=Address("Me", "")), None)
    drafts.push()
    ((_, raw, _),) = copies(mail_user)
    reopened = draft_from_parsed(parse_message(raw), raw)
    assert reopened.subject == "Plan B"
    assert reopened.body_text == "not ready"
    assert reopened.cc == ()
    assert reopened.from_address.addr == f"{mail_user.name}@example.org"
