"""Preview lines from a real Dovecot (issue 14): the server's RFC 8970 PREVIEW where it
is offered, a 2 KB partial fetch where it is not, a cached body without asking; never
a message marked read."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.core.types import SEEN

pytestmark = pytest.mark.dovecot

HTML_NEWSLETTER = (
    b"From: News <news@example.org>\r\nTo: bob@example.org\r\nSubject: Weekly\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"xx\"\r\n\r\n"
    b"--xx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: "
    b"quoted-printable\r\n\r\n<html><head><style>td{padding:0}</style></head><body>"
    b"<table><tr><td>This week: the garden issue.</td></tr></table>"
    + b"<p>" + b"More text. " * 400 + b"</p></body></html>\r\n--xx--\r\n")


def first_words(harness: EngineHarness, folder: str = "INBOX") -> dict[str, str | None]:
    return {s.subject: s.preview for s in harness.store.summaries(folder)}


@pytest.mark.parametrize("variant_user", ["full", "no-preview"], indirect=True)
def test_previews_of_plain_and_html_mail_stay_unread(
        variant_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    variant_user.save(message("Lunch", body="Friday at noon?\n\n> earlier text\n"))
    variant_user.save(HTML_NEWSLETTER)
    harness = harness_factory(variant_user)
    harness.engine.sync_all()
    assert set(first_words(harness).values()) == {None}  # a sync fetches no preview
    uids = [s.uid for s in harness.store.summaries("INBOX")]

    made = harness.engine.previews("INBOX", uids)

    assert made == sorted(uids)
    words = first_words(harness)
    assert words["Lunch"] == "Friday at noon?"
    assert words["Weekly"] is not None and words["Weekly"].startswith(
        "This week: the garden issue. More text.")
    assert all(SEEN not in s.flags for s in harness.store.summaries("INBOX"))
    client = variant_user.imap()
    try:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(uids)
        assert all(b"\\Seen" not in f for f in flags.values())
    finally:
        client.logout()


def test_a_cached_body_gives_its_preview_without_the_server(
        harness: EngineHarness, mail_user: MailUser) -> None:
    mail_user.save(message("Cached", body="Read this offline.\n"))
    harness.engine.sync_all()
    uid = harness.store.summaries("INBOX")[0].uid
    assert harness.engine.body("INBOX", uid) is not None
    harness.engine.close()  # logged out: answered from the cache alone

    assert harness.engine.previews("INBOX", [uid]) == [uid]
    assert first_words(harness)["Cached"] == "Read this offline."


def test_previews_already_made_are_not_asked_again_and_gone_uids_are_skipped(
        harness: EngineHarness, mail_user: MailUser) -> None:
    mail_user.save(message("One", body="First.\n"))
    harness.engine.sync_all()
    uid = harness.store.summaries("INBOX")[0].uid
    assert harness.engine.previews("INBOX", [uid]) == [uid]
    assert harness.engine.previews("INBOX", [uid]) == []  # stored: nothing to do
    assert harness.engine.previews("INBOX", [uid + 100]) == []  # never cached
