"""A pathological message (a 5 MB subject, 100,000 recipients) never makes the list,
the search index or the cache grow by megabytes, and never stops the sync; the whole
header is there when the message is opened (issue 17 family 3)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness
from helpers.mailgen import message

from qtmail.imap.summary import MAX_LISTED_ADDRESSES, MAX_SUBJECT_BYTES

pytestmark = pytest.mark.dovecot


def huge_messages() -> list[bytes]:
    subject = b"Subject: " + b"Big " * 1_300_000 + b"end\r\n"  # ~5 MB, one line folded
    recipients = b"To: " + b",\r\n ".join(
        b"person%d@example.org" % n for n in range(100_000)) + b"\r\n"
    common = b"From: Mallory <m@example.org>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n"
    return [common + subject + b"\r\nbody\r\n",
            common + recipients + b"Subject: Many\r\n\r\nbody\r\n"]


def cache_bytes(path: Path) -> int:
    return sum(os.path.getsize(p) for p in path.parent.glob(path.name + "*"))


def test_huge_headers_are_cut_in_the_cache_and_whole_when_opened(
        mail_user: MailUser, tmp_path: Path) -> None:
    client = mail_user.imap()
    client.append("INBOX", message("ordinary"))
    client.logout()
    harness = EngineHarness(mail_user, tmp_path / "cache.sqlite3")
    try:
        harness.engine.sync_all()
        harness.store.index_pending(10_000)
        before = cache_bytes(harness.store.path)
        client = mail_user.imap()
        for raw in huge_messages():
            client.append("INBOX", raw)
        client.logout()

        harness.engine.sync_all()  # completes: neither message blocks it
        harness.store.index_pending(10_000)
        rows = {s.subject[:10]: s for s in harness.store.summaries("INBOX", limit=10)}
        assert set(rows) == {"ordinary", "Big Big Bi", "Many"}
        big, many = rows["Big Big Bi"], rows["Many"]
        assert len(big.subject.encode()) <= MAX_SUBJECT_BYTES
        assert len(many.to) == MAX_LISTED_ADDRESSES
        grown = cache_bytes(harness.store.path) - before
        assert grown < 1_000_000, f"the cache grew by {grown:,} bytes"

        whole = harness.engine.body("INBOX", big.uid)  # opening it: the whole message
        assert whole is not None and b"Big " * 1_000_000 in whole
        whole = harness.engine.body("INBOX", many.uid)
        assert whole is not None and b"person99999@example.org" in whole
    finally:
        harness.close()
