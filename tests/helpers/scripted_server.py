"""A tiny scripted IMAP server on 127.0.0.1, for misbehaviour Dovecot will not produce.

Each connection reads command lines (literals included, RFC 3501 4.3 / RFC 7888) and
answers from ``responses``: a dict from command name to bytes with ``{tag}`` in it, or
one of the actions SILENT (never answer), CLOSE (drop the connection) and STARTTLS
(answer OK and start TLS with ``tls_context``). Everything received is recorded, so a
test can prove that LOGIN was never sent.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BufferedReader

SILENT = b"<silent>"
CLOSE = b"<close>"
STARTTLS = b"<starttls>"

CAPS = b"IMAP4rev1 LITERAL+ AUTH=PLAIN"
DEFAULT_RESPONSES: dict[str, bytes] = {
    "CAPABILITY": b"* CAPABILITY " + CAPS + b"\r\n{tag} OK done\r\n",
    "LOGIN": b"{tag} OK [CAPABILITY " + CAPS + b" IDLE] logged in\r\n",
    "AUTHENTICATE": b"{tag} OK logged in\r\n",
    "NOOP": b"{tag} OK done\r\n",
    "LOGOUT": b"* BYE bye\r\n{tag} OK done\r\n",
    "LIST": b"* LIST (\\HasNoChildren) \"/\" INBOX\r\n{tag} OK done\r\n",
    "LSUB": b"* LSUB () \"/\" INBOX\r\n{tag} OK done\r\n",
    "SELECT": (b"* 0 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 1] ok\r\n"
               b"{tag} OK [READ-WRITE] done\r\n"),
}
DEFAULT_RESPONSES["EXAMINE"] = DEFAULT_RESPONSES["SELECT"].replace(b"READ-WRITE", b"READ-ONLY")

_LITERAL = re.compile(rb"\{(\d+)(\+?)\}\r\n$")

Response = bytes | Callable[[bytes], bytes]


@dataclass
class Script:
    greeting: bytes = b"* OK [CAPABILITY " + CAPS + b"] scripted server ready\r\n"
    responses: dict[str, Response] = field(default_factory=dict)
    tls_context: ssl.SSLContext | None = None
    """Server-side context: with ``implicit_tls`` TLS starts at once, else on STARTTLS."""
    implicit_tls: bool = False

    def response(self, name: str) -> Response:
        return self.responses.get(name, DEFAULT_RESPONSES.get(name, b"{tag} BAD unknown\r\n"))


class ScriptedServer:
    """Accepts connections until ``stop()``; each one plays the script."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.received: list[bytes] = []
        """Every complete command received (literals inlined), in order."""
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._listener.settimeout(0.05)  # so the acceptor notices stop()
        self._stopping = threading.Event()
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    @property
    def commands(self) -> list[str]:
        """The command names received, e.g. ``["CAPABILITY", "LOGIN"]``."""
        names = []
        for line in self.received:
            words = line.split(b" ", 2)
            names.append(words[1].decode("ascii", "replace").upper() if len(words) > 1 else "")
        return names

    def stop(self) -> None:
        self._stopping.set()
        self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            clients = list(self._clients)
        for client in clients:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            client.close()
        for thread in self._threads:
            thread.join(5)

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._play(conn)
        except (OSError, ValueError):
            pass
        finally:
            with self._lock:
                if conn in self._clients:
                    self._clients.remove(conn)
            conn.close()

    def _swap(self, old: socket.socket, new: socket.socket) -> None:
        with self._lock:
            self._clients = [new if c is old else c for c in self._clients]

    def _play(self, conn: socket.socket) -> None:
        script = self.script
        if script.implicit_tls:
            assert script.tls_context is not None
            tls = script.tls_context.wrap_socket(conn, server_side=True)
            self._swap(conn, tls)
            conn = tls
        reader = conn.makefile("rb")
        try:
            if script.greeting:
                conn.sendall(script.greeting)
            while not self._stopping.is_set():
                command = self._read_command(conn, reader)
                if command is None:
                    return
                self.received.append(command)
                words = command.split(b" ", 2)
                tag = words[0]
                name = words[1].decode("ascii", "replace").upper() if len(words) > 1 else ""
                if name == "UID" and len(words) > 2:
                    name = "UID " + words[2].split(b" ", 1)[0].decode("ascii", "replace").upper()
                response = script.response(name)
                if callable(response):
                    response = response(command)
                if response == SILENT:
                    self._stopping.wait()
                    return
                if response == CLOSE:
                    return
                if name == "AUTHENTICATE" and command.count(b" ") < 3:
                    # RFC 3501 6.2.2: ask for the client's SASL response (no SASL-IR).
                    conn.sendall(b"+ \r\n")
                    answer = reader.readline(100_000)
                    self.received.append(b"<sasl> " + answer.rstrip(b"\r\n"))
                if response == STARTTLS:
                    assert script.tls_context is not None
                    conn.sendall(tag + b" OK begin TLS\r\n")
                    reader.close()
                    tls = script.tls_context.wrap_socket(conn, server_side=True)
                    self._swap(conn, tls)
                    conn = tls
                    reader = conn.makefile("rb")
                    continue
                conn.sendall(response.replace(b"{tag}", tag))
                if name == "LOGOUT" or response.startswith(b"* BYE"):
                    return
        finally:
            reader.close()
            with self._lock:
                if conn in self._clients:
                    self._clients.remove(conn)
            conn.close()

    def _read_command(self, conn: socket.socket, reader: BufferedReader) -> bytes | None:
        parts: list[bytes] = []
        while True:
            line = reader.readline(100_000)
            if not line:
                return None
            match = _LITERAL.search(line)
            if match is None:
                parts.append(line.rstrip(b"\r\n"))
                return b"".join(parts)
            parts.append(line[:match.start()])
            size = int(match.group(1))
            if not match.group(2):  # synchronising literal: ask for it (RFC 3501 7.5)
                conn.sendall(b"+ go ahead\r\n")
            parts.append(reader.read(size))
