"""Several accounts at once: their workers take turns at computing (qtmail.core.turns),
and an account whose server stops answering in the middle of a FETCH holds up none of
the others (before the turns, a lock around each chunk's parsing held every other
account's sync until the silent connection timed out)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.scripted_server import Script, ScriptedServer
from pytestqt.qtbot import QtBot

from qtmail.accounts.settings import AccountSettings, Security, ServerSettings
from qtmail.core import turns
from qtmail.core.events import BodyReady, Event, MessagesAdded
from qtmail.qt.bridge import EngineClient
from qtmail.store import Store

pytestmark = pytest.mark.dovecot

TOTAL = 3_000
"""Messages of the account that works: its first sync comes in several chunks."""
SELECTED = (b"* 3000 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 3001] ok\r\n"
            b"{tag} OK [READ-WRITE] done\r\n")


def test_a_silent_server_holds_up_no_other_account(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # No rescue by time: only a read that gives the turn on lets the other account in.
    monkeypatch.setattr(turns, "STUCK", 600.0)
    monkeypatch.setattr(turns, "WAIT", 600.0)
    mail_user.fill_bulk(TOTAL)
    server = ScriptedServer(Script(responses={
        "SELECT": SELECTED, "EXAMINE": SELECTED,
        # The first line of an answer, then silence: the worker waits mid-response.
        "FETCH": b"* 3000 FETCH (UID 3000 FLAGS (", "UID FETCH": b"* 3000 FETCH (UID 3000 ",
    }))
    silent = EngineClient(
        AccountSettings(name="silent", email="someone@example.org",
                        imap=ServerSettings(host="127.0.0.1", port=server.port,
                                            security=Security.NONE, username="someone",
                                            timeout=120)),
        tmp_path / "silent.sqlite3", lambda: "secret")
    working = EngineClient(account_for(mail_user, name="working"),
                           tmp_path / "working.sqlite3", lambda: mail_user.password)
    chunks: list[Event] = []
    working.event.connect(
        lambda event: chunks.append(event) if isinstance(event, MessagesAdded) else None)
    try:
        with qtbot.waitSignal(silent.ready, timeout=10_000):
            silent.start()
        silent.sync_all()
        qtbot.waitUntil(lambda: bool({"FETCH", "UID"} & set(server.commands)), timeout=20_000)
        started = time.monotonic()
        with qtbot.waitSignal(working.ready, timeout=10_000):
            working.start()
        working.sync_all()
        reader = Store.open(working.cache_path, readonly=True)
        try:
            qtbot.waitUntil(lambda: reader.message_count("INBOX") == TOTAL, timeout=60_000)
        finally:
            reader.close()
        assert len(chunks) > 1  # it took turns chunk after chunk, not once
        # ... while the silent account's worker still waits for the rest of its answer.
        assert "LOGOUT" not in server.commands
        assert time.monotonic() - started < 60
    finally:
        server.stop()  # the silent worker's read ends: it can stop
        working.close()
        silent.close()
    assert not working.running and not silent.running


def test_a_message_opens_while_another_account_holds_the_turn(
        mail_user: MailUser, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The user waits for no other account's turn: the worker answers without it."""
    monkeypatch.setattr(turns, "STUCK", 600.0)
    monkeypatch.setattr(turns, "WAIT", 600.0)
    mail_user.save(message("Open me", body="The very text.\n"))
    client = EngineClient(account_for(mail_user), tmp_path / "cache.sqlite3",
                          lambda: mail_user.password)
    events: list[Event] = []
    client.event.connect(events.append)
    held, release = threading.Event(), threading.Event()

    def other_account() -> None:  # a worker in the middle of its turn, for ever
        turns.take()
        held.set()
        release.wait(60)
        turns.give()

    holder = threading.Thread(target=other_account)
    try:
        with qtbot.waitSignal(client.ready, timeout=10_000):
            client.start()
        client.sync_all()
        qtbot.waitUntil(lambda: any(isinstance(e, MessagesAdded) for e in events),
                        timeout=20_000)
        uid = next(e for e in events if isinstance(e, MessagesAdded)).uids[0]
        holder.start()
        assert held.wait(10)
        request = client.fetch_body("INBOX", uid)
        qtbot.waitUntil(lambda: any(isinstance(e, BodyReady) and e.request_id == request
                                    for e in events), timeout=10_000)
    finally:
        release.set()
        if holder.is_alive():
            holder.join(10)
        client.close()
    body = next(e for e in events if isinstance(e, BodyReady))
    assert b"The very text." in body.raw
