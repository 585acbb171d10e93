"""Misbehaving servers (RELIABILITY.md A), played by the scripted server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from helpers.scripted_server import CLOSE, SILENT, Script, ScriptedServer

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import ConnectionLost, KnownError, ServerUnreachable, ServiceStatus
from qtmail.core.types import FolderRole
from qtmail.imap.idle import IdleWatcher
from qtmail.imap.session import ImapSession

TIMEOUT = 1.0

ODD_LIST = (
    b'* LIST (\\HasNoChildren) "/" INBOX\r\n'
    b'* LIST (\\HasNoChildren) "/" "Entw&APw-rfe"\r\n'
    b'* LIST (\\HasNoChildren) "/" "Bad&Jjo"\r\n'  # shift never ends: invalid mUTF-7
    b'* LIST (\\HasNoChildren) "/" "&AGEAYgBj-"\r\n'  # ASCII shifted: invalid
    b'* LIST (\\HasNoChildren) "/" {8}\r\nRoh\xc3\xbcber\r\n'  # raw UTF-8 in a literal
    b'* LIST (\\HasNoChildren) "/" {4}\r\nX\xff\xfeY\r\n'  # not even UTF-8
    b'* LIST (\\HasNoChildren broken\r\n'  # malformed line: skipped alone
    b'* LIST (\\HasNoChildren) "/" "Sent Items"\r\n'
    b'* LIST (\\Noselect \\HasChildren) "/" 2024\r\n'
    b"{tag} OK done\r\n")


@pytest.fixture
def servers() -> Iterator[list[ScriptedServer]]:
    made: list[ScriptedServer] = []
    yield made
    for server in made:
        server.stop()


def serve(servers: list[ScriptedServer], **responses: bytes) -> ScriptedServer:
    server = ScriptedServer(Script(responses=dict(responses)))
    servers.append(server)
    return server


def settings_for(server: ScriptedServer) -> ServerSettings:
    return ServerSettings(host="127.0.0.1", port=server.port, security=Security.NONE,
                          timeout=TIMEOUT)


def connect(server: ScriptedServer) -> ImapSession:
    return ImapSession.connect(settings_for(server), "alice", "secret")


def test_invalid_utf7_name_does_not_hide_other_folders(servers: list[ScriptedServer]) -> None:
    server = serve(servers, LIST=ODD_LIST,
                   LSUB=b'* LSUB () "/" "Entw&APw-rfe"\r\n* LSUB () "/" "Bad&Jjo"\r\n'
                        b"{tag} OK done\r\n")
    session = connect(server)
    try:
        folders = {f.wire: f for f in session.list_folders()}
    finally:
        session.logout()
    assert set(folders) == {b"INBOX", b"Entw&APw-rfe", b"Bad&Jjo", b"&AGEAYgBj-",
                            b"Roh\xc3\xbcber", b"X\xff\xfeY", b"Sent Items", b"2024"}
    assert folders[b"Entw&APw-rfe"].name == "Entwürfe"
    assert folders[b"Entw&APw-rfe"].role is FolderRole.DRAFTS  # guessed from the name
    assert folders[b"Bad&Jjo"].name == "Bad&Jjo"
    assert folders[b"Roh\xc3\xbcber"].name == "Rohüber"
    assert folders[b"X\xff\xfeY"].name == "X\\xff\\xfeY"
    assert folders[b"Sent Items"].role is FolderRole.SENT
    assert not folders[b"2024"].selectable
    assert folders[b"Bad&Jjo"].subscribed and not folders[b"Sent Items"].subscribed
    assert folders[b"INBOX"].subscribed  # INBOX always


def test_bad_name_selectable_by_its_bytes(servers: list[ScriptedServer]) -> None:
    server = serve(servers, LIST=ODD_LIST, LSUB=b"{tag} OK done\r\n")
    session = connect(server)
    try:
        folders = {f.wire: f for f in session.list_folders()}
        session.select(folders[b"X\xff\xfeY"])
        session.select(folders[b"Bad&Jjo"])
    finally:
        session.logout()
    selects = [line for line in server.received if b" SELECT " in line]
    assert selects[0].endswith(b" SELECT X\xff\xfeY")  # sent as a literal
    assert selects[1].endswith(b' SELECT "Bad&Jjo"')


def test_greeting_bye_is_a_clear_error(servers: list[ScriptedServer]) -> None:
    server = ScriptedServer(Script(greeting=b"* BYE Too many connections from your IP\r\n"))
    servers.append(server)
    with pytest.raises(ServerUnreachable) as info:
        connect(server)
    assert "The server said: “Too many connections from your IP”" in str(info.value)
    assert "LOGIN" not in server.commands


def test_silent_greeting_times_out(servers: list[ScriptedServer]) -> None:
    server = ScriptedServer(Script(greeting=b""))
    servers.append(server)
    started = time.monotonic()
    with pytest.raises(ServerUnreachable) as info:
        connect(server)
    assert time.monotonic() - started < TIMEOUT + 2
    assert "did not answer in time" in str(info.value)


def test_silent_server_times_out(servers: list[ScriptedServer]) -> None:
    server = serve(servers, SELECT=SILENT)
    session = connect(server)
    inbox = session.list_folders()[0]
    started = time.monotonic()
    with pytest.raises(ConnectionLost) as info:
        session.select(inbox)
    assert time.monotonic() - started < TIMEOUT + 2
    assert "stopped answering" in str(info.value)
    assert session.closed
    session.logout()  # never raises


def test_bye_mid_command_is_connection_lost(servers: list[ScriptedServer]) -> None:
    server = serve(servers, SELECT=b"* 3 EXISTS\r\n* BYE Server shutting down\r\n")
    session = connect(server)
    inbox = session.list_folders()[0]
    with pytest.raises(ConnectionLost) as info:
        session.select(inbox)
    assert "The server said: “Server shutting down”" in str(info.value)
    with pytest.raises(ConnectionLost):
        session.noop()


def test_connection_closed_mid_command(servers: list[ScriptedServer]) -> None:
    server = serve(servers, NOOP=CLOSE)
    session = connect(server)
    with pytest.raises(ConnectionLost):
        session.noop()


def test_oversized_response_line(servers: list[ScriptedServer]) -> None:
    server = serve(servers, NOOP=b"* OK " + b"x" * 1_100_000 + b"\r\n{tag} OK done\r\n")
    session = connect(server)
    with pytest.raises(KnownError) as info:
        session.noop()
    assert "oversized" in str(info.value)
    session.logout()


def test_server_text_is_quoted_and_cleaned(servers: list[ScriptedServer]) -> None:
    server = serve(servers, SELECT=b"{tag} NO [NONEXISTENT] No \x1b[31msuch\x07 folder\r\n")
    session = connect(server)
    try:
        with pytest.raises(KnownError) as info:
            session.select(session.list_folders()[0])
        assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
        assert "The server said: “[NONEXISTENT] No  [31msuch  folder”" in str(info.value)
        session.noop()  # a refused command leaves the connection usable
    finally:
        session.logout()


def test_bye_during_idle(servers: list[ScriptedServer]) -> None:
    server = serve(servers, IDLE=b"+ idling\r\n* 1 EXISTS\r\n* BYE going away\r\n")
    watcher = IdleWatcher.connect(settings_for(server), "alice", "secret")
    try:
        assert watcher.supported  # IDLE announced in the LOGIN response
        watcher.start(watcher.session.list_folders()[0])
        with pytest.raises(ConnectionLost) as info:  # maybe after reporting the EXISTS
            for _ in range(2):
                watcher.wait(5.0)
        assert "going away" in str(info.value)
    finally:
        watcher.close()


# --- write commands through qtmail.imap.wire (RELIABILITY A.1-A.4) ------------------------

MESSAGE = b"From: a@example.org\r\nSubject: hi\r\n\r\n" + b"body line\r\n" * 10


def login_with(caps: bytes) -> bytes:
    return b"{tag} OK [CAPABILITY IMAP4rev1 " + caps + b" UIDPLUS] logged in\r\n"


@pytest.mark.parametrize("caps", [b"", b"LITERAL-", b"LITERAL+"])
@pytest.mark.parametrize("size", [100, 5000])
def test_append_literal_forms(servers: list[ScriptedServer], caps: bytes, size: int) -> None:
    # Synchronizing (RFC 3501 4.3), LITERAL- up to 4096 bytes, LITERAL+ any size (RFC 7888).
    server = serve(servers, LOGIN=login_with(caps),
                   APPEND=b"{tag} OK [APPENDUID 7 42] stored\r\n")
    session = connect(server)
    raw = MESSAGE + b"x" * (size - len(MESSAGE))
    assert session.writes.append("INBOX", raw) == 42
    assert any(c.endswith(raw) for c in server.received)  # the whole message arrived
    assert not session.noop()  # the connection is still in step
    session.logout()


def test_bye_during_a_write_is_connection_lost(servers: list[ScriptedServer]) -> None:
    server = serve(servers, APPEND=b"* BYE Server shutting down\r\n")
    session = connect(server)
    with pytest.raises(ConnectionLost) as info:
        session.writes.append("INBOX", MESSAGE)
    assert "Server shutting down" in str(info.value)
    assert session.closed


def test_connection_closed_mid_literal_during_a_write(servers: list[ScriptedServer]) -> None:
    # An untagged response announces a literal and the server goes away inside it.
    server = serve(servers, CREATE=b"* 1 FETCH (BODY[] {500}\r\nonly part of it")
    session = connect(server)
    with pytest.raises(ConnectionLost):
        session.writes.create_folder("Projects")
    assert session.closed


def test_oversized_line_during_a_write(servers: list[ScriptedServer]) -> None:
    server = serve(servers, CREATE=b"* OK " + b"x" * 1_100_000 + b"\r\n{tag} OK done\r\n")
    session = connect(server)
    with pytest.raises(KnownError) as info:
        session.writes.create_folder("Projects")
    assert "oversized" in str(info.value)
    session.logout()  # never raises


def test_oversized_literal_during_a_write(servers: list[ScriptedServer]) -> None:
    server = serve(servers, CREATE=b"* 1 FETCH (BODY[] {5000000}\r\n")
    session = connect(server)
    with pytest.raises(KnownError) as info:
        session.writes.create_folder("Projects")
    assert "oversized" in str(info.value)


def test_silence_during_a_write_times_out(servers: list[ScriptedServer]) -> None:
    server = serve(servers, APPEND=SILENT)
    session = connect(server)
    started = time.monotonic()
    with pytest.raises(ConnectionLost) as info:
        session.writes.append("INBOX", MESSAGE)
    assert time.monotonic() - started < TIMEOUT + 2
    assert "stopped answering" in str(info.value)
    assert session.closed


def test_refused_write_keeps_the_connection(servers: list[ScriptedServer]) -> None:
    server = serve(servers, CREATE=b"{tag} NO [ALREADYEXISTS] Mailbox exists\r\n")
    session = connect(server)
    with pytest.raises(KnownError) as info:
        session.writes.create_folder("Projects")
    assert "already exists" in str(info.value)
    session.noop()  # still in step
    session.logout()


@pytest.mark.parametrize("greeting, login", [
    # Microsoft 365 after too many connections from one client.
    (b"* BYE [UNAVAILABLE] Too many connections, try again later\r\n", None),
    # ...and when throttling a login under load.
    (None, b"{tag} NO [UNAVAILABLE] Server busy, try again later\r\n"),
])
def test_a_throttling_server_is_retried_later_with_its_words(
        servers: list[ScriptedServer], greeting: bytes | None, login: bytes | None) -> None:
    script = Script(responses={"LOGIN": login} if login else {})
    if greeting:
        script.greeting = greeting
    server = ScriptedServer(script)
    servers.append(server)
    with pytest.raises(KnownError) as caught:
        connect(server)
    error = caught.value
    assert error.transient  # the scheduler backs off and tries again
    assert ServiceStatus.for_error(error) is ServiceStatus.UNREACHABLE
    assert "try again later" in error.user_message
