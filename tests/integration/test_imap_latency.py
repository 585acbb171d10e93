"""A command reaches the server whole at once, whatever pieces imapclient writes it in."""

from __future__ import annotations

import time

from helpers.scripted_server import Script, ScriptedServer

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.types import FolderInfo
from qtmail.imap.session import ImapSession

INBOX = FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")


def test_opening_folders_does_not_wait_for_the_servers_delayed_acks() -> None:
    """imapclient sends SELECT's line and its CRLF in two writes; with Nagle's algorithm
    the CRLF waited for the server's delayed ACK of the line (about 40 ms on Linux), so
    every folder opened took that long even from a server on the same machine."""
    with ScriptedServer(Script()) as server:
        session = ImapSession.connect(ServerSettings(
            host="127.0.0.1", port=server.port, security=Security.NONE, timeout=5), "u", "p")
        try:
            session.select(INBOX)
            started = time.perf_counter()
            for _ in range(20):
                session.select(INBOX)
            took = time.perf_counter() - started
        finally:
            session.close()
    # 20 round trips on 127.0.0.1 take a few ms; held back by Nagle, 20 x 40 ms.
    assert took < 0.4, f"20 folders opened in {took * 1000:.0f} ms"


def connect(server: ScriptedServer) -> ImapSession:
    return ImapSession.connect(ServerSettings(
        host="127.0.0.1", port=server.port, security=Security.NONE, timeout=5), "u", "p")


def test_capabilities_listed_in_the_greeting_are_not_asked_for_again() -> None:
    """RFC 3501 7.1: a greeting may carry the CAPABILITY response code (Dovecot's does);
    asking again cost a round trip before every login."""
    with ScriptedServer(Script()) as server:
        session = connect(server)
        try:
            assert session.has("LITERAL+")  # from the greeting
            assert server.commands[0] == "LOGIN", server.commands
        finally:
            session.close()


def test_a_greeting_without_capabilities_gets_them_asked() -> None:
    with ScriptedServer(Script(greeting=b"* OK scripted server ready\r\n")) as server:
        session = connect(server)
        try:
            assert session.has("LITERAL+")
            assert server.commands[:2] == ["CAPABILITY", "LOGIN"], server.commands
        finally:
            session.close()
