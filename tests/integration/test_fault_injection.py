"""Sync, move and drafts through a proxy that cuts the connection at random points
(issue 17, family 4). Each run ends with the cache equal to the server and every
queued change applied exactly once: nothing lost, nothing duplicated."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.fault_proxy import FaultPlan, FaultProxy
from helpers.mailgen import message

from qtmail.core.events import Event, MessagesAdded
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

DEADLINE = 90.0
"""Seconds one scenario may take; the proxy stops cutting after ``max_cuts``."""


class Harness:
    """An engine whose IMAP connection goes through a FaultProxy."""

    def __init__(self, user: MailUser, path: Path, proxy: FaultProxy) -> None:
        settings = account_for(user)
        settings = dataclasses.replace(
            settings, imap=dataclasses.replace(settings.imap, port=proxy.port, timeout=5))
        self.events: list[Event] = []
        self.store = Store.open(path)
        self.engine = AccountEngine(settings, self.store, lambda: user.password,
                                    self.events.append)
        self.failures = 0

    def until_done(self, action: Callable[[], object]) -> None:
        """Run ``action`` until it completes; each failure starts a fresh connection."""
        start = time.monotonic()
        while True:
            try:
                action()
                return
            except Exception:  # any cut-induced error: reconnect and retry
                self.failures += 1
                self.drop()
                if time.monotonic() - start > DEADLINE:
                    raise

    def drop(self) -> None:
        """Forget the (cut) connection; the next call reconnects through the proxy."""
        with contextlib.suppress(Exception):
            self.engine.close()
        self.engine._session = None

    def close(self) -> None:
        self.drop()
        self.store.close()


@pytest.fixture
def faulty(mail_user: MailUser, tmp_path: Path) -> Iterator[tuple[Harness, FaultProxy]]:
    plan = FaultPlan(cut_min=3_000, cut_max=60_000, max_cuts=25)
    with FaultProxy((mail_user.host, mail_user.port), plan, seed=17) as proxy:
        harness = Harness(mail_user, tmp_path / "cache.sqlite3", proxy)
        yield harness, proxy
        harness.close()


def server_subjects(user: MailUser, folder: str) -> dict[int, str]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        data = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        return {uid: item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                for uid, item in data.items()}
    finally:
        client.logout()


def cache_subjects(harness: Harness, folder: str) -> dict[int, str]:
    return {s.uid: s.subject for s in harness.store.summaries(folder, limit=100_000)}


def fill(user: MailUser, count: int, folder: str = "INBOX") -> None:
    for index in range(count):
        user.save(message(f"m{index:04d}", body="x" * 400), folder)


def test_first_sync_under_random_cuts_mirrors_the_server(
        faulty: tuple[Harness, FaultProxy], mail_user: MailUser) -> None:
    harness, proxy = faulty
    fill(mail_user, 1500)
    harness.until_done(harness.engine.sync_all)
    assert proxy.cuts >= 5, "the proxy must really have cut connections"
    server = server_subjects(mail_user, "INBOX")
    cached = cache_subjects(harness, "INBOX")
    assert cached == server
    assert len(set(cached.values())) == 1500  # no duplicates, none missing


def test_move_of_1000_under_random_cuts_is_applied_exactly_once(
        faulty: tuple[Harness, FaultProxy], mail_user: MailUser) -> None:
    harness, proxy = faulty
    fill(mail_user, 1000)
    proxy.calm()
    harness.until_done(harness.engine.sync_all)
    harness.drop()
    proxy.plan = FaultPlan(cut_min=200, cut_max=8_000, max_cuts=proxy.cuts + 20)
    uids = sorted(cache_subjects(harness, "INBOX"))
    harness.engine.ops.move("INBOX", uids, "Archive")
    harness.until_done(harness.engine.replay)
    harness.until_done(harness.engine.sync_all)
    assert proxy.cuts >= 3
    assert harness.store.pending(states=("queued",)) == []
    assert server_subjects(mail_user, "INBOX") == {}
    archived = sorted(server_subjects(mail_user, "Archive").values())
    assert archived == [f"m{i:04d}" for i in range(1000)]  # each once
    assert cache_subjects(harness, "Archive") == server_subjects(mail_user, "Archive")
    assert cache_subjects(harness, "INBOX") == {}


def test_draft_save_under_random_cuts_leaves_exactly_one_copy(
        faulty: tuple[Harness, FaultProxy], mail_user: MailUser) -> None:
    from qtmail.core.outgoing import Attachment, Draft
    from qtmail.core.types import Address
    from qtmail.mime.draft_reader import draft_from_parsed
    from qtmail.mime.parse import parse_message
    from qtmail.sync.drafts import Drafts

    harness, proxy = faulty
    proxy.calm()
    harness.until_done(harness.engine.sync_all)
    harness.drop()
    # Cuts land inside the APPEND literal (the attachment) and after it.
    proxy.plan = FaultPlan(cut_min=500, cut_max=300_000, max_cuts=proxy.cuts + 12)
    drafts = Drafts(harness.engine, harness.events.append)
    for version in range(3):
        drafts.save("d1", Draft(from_address=Address("", f"{mail_user.name}@example.org"),
                                to=(Address("Bob", "bob@example.org"),),
                                subject="Plan", body_text=f"version {version}",
                                attachments=(Attachment("a.bin", "application/octet-stream",
                                                        bytes(range(256)) * 800),)), None)
        harness.until_done(drafts.push)
    harness.until_done(lambda: drafts.push() is None or drafts.push())
    assert proxy.cuts >= 3
    client = mail_user.imap()
    try:
        client.select_folder("Drafts", readonly=True)
        uids = client.search(["NOT", "DELETED"])
        raws = [item[b"BODY[]"] for item in client.fetch(uids, ["BODY.PEEK[]"]).values()]
    finally:
        client.logout()
    assert len(raws) == 1, "one copy: no duplicate left by a cut APPEND"
    assert draft_from_parsed(parse_message(raws[0]), raws[0]).body_text == "version 2"
    row = harness.store.draft("d1")
    assert row is not None and row.state == "saved"


def test_send_under_random_cuts_reaches_the_server_at_most_once(
        faulty: tuple[Harness, FaultProxy], mail_user: MailUser) -> None:
    import itertools

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, Envelope, Session

    from qtmail.accounts.settings import Security, ServerSettings
    from qtmail.core.commands import SendMail
    from qtmail.core.outgoing import Attachment, Draft
    from qtmail.core.types import Address
    from qtmail.sync.outbox import Outbox

    received: list[Envelope] = []

    class Handler:
        async def handle_DATA(self, server: SMTP, session: Session,
                              envelope: Envelope) -> str:
            received.append(envelope)
            return "250 2.0.0 Ok: queued"

    harness, imap_proxy = faulty
    imap_proxy.calm()
    harness.until_done(harness.engine.sync_all)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = int(probe.getsockname()[1])
    controller = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        plan = FaultPlan(cut_min=100, cut_max=120_000, max_cuts=10)
        with FaultProxy(("127.0.0.1", smtp_port), plan, seed=3) as smtp_proxy:
            harness.engine.settings = dataclasses.replace(
                harness.engine.settings, smtp=ServerSettings(
                    host="127.0.0.1", port=smtp_proxy.port, security=Security.NONE,
                    timeout=5))
            ticks = itertools.count(0, 3600)  # every call is an hour later: no backoff wait
            outbox = Outbox(harness.engine, lambda: mail_user.password,
                            harness.events.append, clock=lambda: float(next(ticks)))
            outbox.queue(SendMail(Draft(
                from_address=Address("", f"{mail_user.name}@example.org"),
                to=(Address("", "bob@example.org"),), subject="Cut",
                body_text="hello", attachments=(Attachment(
                    "a.bin", "application/octet-stream", bytes(range(256)) * 400),))))
            start = time.monotonic()
            while time.monotonic() - start < DEADLINE:
                with contextlib.suppress(Exception):
                    outbox.send_due()
                (row,) = harness.store.outgoing() or (None,)
                if row is None or row.state in ("maybe_sent",):
                    break
            (row,) = harness.store.outgoing() or (None,)
            assert smtp_proxy.cuts >= 1
            # Never twice; once when it left the Outbox as sent; at most once when a cut
            # after DATA left it "may have been sent" (I.65: never resent on its own).
            assert len(received) <= 1
            if row is None:
                assert len(received) == 1
            else:
                assert row.state == "maybe_sent"
                for _ in range(3):
                    with contextlib.suppress(Exception):
                        outbox.send_due()
                assert len(received) <= 1
    finally:
        controller.stop()


def test_an_interrupted_first_sync_resumes_without_fetching_again(
        mail_user: MailUser, tmp_path: Path) -> None:
    """Issue 17 family 3: a connection that drops every few thousand messages still
    completes the first sync, and what is cached is never fetched again."""
    client = mail_user.imap()
    for start in range(0, 8000, 500):
        client.multiappend("INBOX", [message(f"r{n:05d}") for n in range(start, start + 500)])
    client.logout()
    # Every connection is cut after 1 MB (both directions): a few thousand headers.
    plan = FaultPlan(cut_min=1_000_000, cut_max=1_000_000)
    with FaultProxy((mail_user.host, mail_user.port), plan, seed=3) as proxy:
        harness = Harness(mail_user, tmp_path / "cache.sqlite3", proxy)
        try:
            harness.until_done(harness.engine.sync_all)
            announced = [uid for event in harness.events if isinstance(event, MessagesAdded)
                         and event.folder == "INBOX" for uid in event.uids]
            cached = harness.store.uids("INBOX")
        finally:
            harness.close()
    assert proxy.cuts >= 2 and harness.failures >= 2, "the sync must really have been cut"
    client = mail_user.imap()
    client.select_folder("INBOX", readonly=True)
    server = sorted(client.search("ALL"))
    client.logout()
    assert cached == server  # exactly the server's UID set
    assert len(announced) == len(set(announced)) == 8000  # none fetched twice
