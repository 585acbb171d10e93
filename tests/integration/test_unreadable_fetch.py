"""One message whose FETCH response cannot be parsed must not stop the others (issue 17
family 3): the good ones are stored, the bad one is asked for alone, then kept as a
visible placeholder, and the sync completes. Dovecot never sends such a response, so a
scripted server does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.scripted_server import Script, ScriptedServer

from qtmail.accounts.settings import Security, ServerSettings, SyncPolicy
from qtmail.core.errors import ServerError
from qtmail.core.events import Event, MessagesAdded
from qtmail.core.types import UNREADABLE_SUBJECT, FolderInfo
from qtmail.imap.session import ImapSession
from qtmail.store import Store
from qtmail.sync.folder_sync import FolderSync

HEADER = b'BODY[HEADER.FIELDS ("DATE" "FROM" "TO" "CC" "SUBJECT" "MESSAGE-ID" "IN-REPLY-TO" ' \
         b'"REFERENCES" "CONTENT-TYPE")]'


def good(uid: int) -> bytes:
    header = (f"From: Ann <ann@example.org>\r\nSubject: message {uid}\r\n"
              f"Date: Mon, 02 Nov 2026 10:00:0{uid % 10} +0000\r\n\r\n").encode()
    return (b"* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE \"02-Nov-2026 10:00:00 +0000\" "
            b"RFC822.SIZE 100 " % (uid, uid) + HEADER + b" {%d}\r\n" % len(header)
            + header + b")\r\n")


def broken(uid: int) -> bytes:
    # Well framed (the literal is whole) but not IMAP: an unbalanced list and a
    # FLAGS that is no list, the kind of thing a buggy server or proxy produces.
    return (b"* %d FETCH (UID %d FLAGS \\Seen INTERNALDATE ((( RFC822.SIZE x " % (uid, uid)
            + HEADER + b" {4}\r\nbad!)\r\n")


class Mailbox:
    """UIDs 1-6; UID 4's response is always unreadable; ``asked`` records the sets."""

    def __init__(self, bad: set[int]) -> None:
        self.bad = bad
        self.asked: list[str] = []

    def fetch(self, command: bytes) -> bytes:
        match = re.search(rb"UID FETCH (\S+) ", command)
        assert match is not None
        wanted = match.group(1).decode()
        self.asked.append(wanted)
        uids: set[int] = set()
        for part in wanted.split(","):
            low, _, high = part.partition(":")
            uids |= set(range(int(low), int(high or low) + 1))
        out = b"".join(broken(uid) if uid in self.bad else good(uid)
                       for uid in sorted(uids) if 1 <= uid <= 6)
        return out + b"{tag} OK done\r\n"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, ScriptedServer]]:
    box = Mailbox({4})
    script = Script(responses={
        "SELECT": (b"* 6 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 7] ok\r\n"
                   b"{tag} OK [READ-WRITE] done\r\n"),
        "UID SEARCH": b"* SEARCH 1 2 3 4 5 6\r\n{tag} OK done\r\n",
        "SEARCH": b"* SEARCH 1 2 3 4 5 6\r\n{tag} OK done\r\n",
        "UID FETCH": box.fetch,
    })
    with ScriptedServer(script) as server:
        yield box, server


def test_an_unreadable_message_becomes_a_placeholder_and_the_sync_completes(
        mailbox: tuple[Mailbox, ScriptedServer], tmp_path: Path) -> None:
    box, server = mailbox
    session = ImapSession.connect(ServerSettings(host="127.0.0.1", port=server.port,
                                                 security=Security.NONE, timeout=10),
                                  "alice", "secret")
    events: list[Event] = []
    with Store.open(tmp_path / "cache.sqlite3") as store:
        store.save_folders([FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")])
        report = FolderSync("work", session, store, events.append, now=lambda: 1.8e9).run(
            FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/"), SyncPolicy())
        rows = {s.uid: s.subject for s in store.summaries("INBOX", limit=10)}
        state = store.folder_state("INBOX")
    session.logout()

    assert report.added == 6
    assert rows == {1: "message 1", 2: "message 2", 3: "message 3",
                    4: UNREADABLE_SUBJECT, 5: "message 5", 6: "message 6"}
    assert "4" in box.asked  # the bad one was asked for alone before giving up
    assert state is not None and state.uidnext == 7  # the sync completed
    added = [uid for e in events if isinstance(e, MessagesAdded) for uid in e.uids]
    assert sorted(added) == [1, 2, 3, 4, 5, 6]


def inbox_session(server: ScriptedServer) -> ImapSession:
    """Logged in to the scripted server, INBOX selected."""
    session = ImapSession.connect(ServerSettings(host="127.0.0.1", port=server.port,
                                                 security=Security.NONE, timeout=10),
                                  "alice", "secret")
    session.select(FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/"))
    return session


def selected(count: int) -> bytes:
    return (b"* %d EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT %d] ok\r\n"
            b"{tag} OK [READ-WRITE] done\r\n" % (count, count + 1))


def test_an_unreadable_body_is_a_sentence_and_the_connection_stays(tmp_path: Path) -> None:
    script = Script(responses={
        "SELECT": selected(1),
        "UID FETCH": b"* 1 FETCH (UID 1 BODY[] ((( {4}\r\nbad!)\r\n{tag} OK done\r\n",
    })
    with ScriptedServer(script) as server:
        session = inbox_session(server)
        with pytest.raises(ServerError) as failure:
            session.fetch_body(1, max_size=1_000_000)
        assert failure.value.user_message.startswith(
            "The server sent this message in a form qtmail cannot read.")
        assert not failure.value.transient  # not retried forever
        session.noop()  # still in step: the next command is answered
        session.logout()


def test_one_bad_search_item_keeps_the_other_results(tmp_path: Path) -> None:
    script = Script(responses={
        "SELECT": selected(3),
        "UID SEARCH": b"* SEARCH 1 x3 3\r\n{tag} OK done\r\n",
    })
    with ScriptedServer(script) as server:
        session = inbox_session(server)
        assert session.search_uids("ALL") == [1, 3]
        session.logout()
