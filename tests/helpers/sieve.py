"""ManageSieve test helpers (issue 15): settings for the Pigeonhole Dovecot, a
scripted server for misbehaviour Dovecot will not produce, and a cutting proxy."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from dataclasses import replace

from helpers.dovecot import MailUser
from qtmail.accounts.settings import AccountSettings, Security, ServerSettings

GREETING = (b'"IMPLEMENTATION" "scripted"\r\n"SASL" "PLAIN"\r\n'
            b'"SIEVE" "fileinto vacation"\r\n"VERSION" "1.0"\r\nOK "ready"\r\n')


def sieve_settings(user: MailUser, *, security: Security = Security.STARTTLS,
                   **changes: object) -> ServerSettings:
    """ManageSieve of the test Dovecot; STARTTLS trusting its CA by default."""
    base = ServerSettings(host=user.host, port=user.sieve_port, security=security,
                          username=user.name, timeout=10,
                          ca_file=str(user.server.ca_file) if security is not Security.NONE
                          else "")
    return replace(base, **changes)  # type: ignore[arg-type]


def sieve_account(user: MailUser, name: str = "work") -> AccountSettings:
    """An account on the sieve Dovecot: plaintext IMAP (opt-in), ManageSieve over STARTTLS."""
    return AccountSettings(
        name=name, email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20),
        sieve=sieve_settings(user))


class ScriptedSieve:
    """Greets with ``greeting``, then answers each received line with ``answer(line)``
    (None: close the connection). Records every line received."""

    def __init__(self, greeting: bytes, answer: Callable[[bytes], bytes | None]) -> None:
        self.greeting = greeting
        self.answer = answer
        self.received: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._server.accept()
                with conn, conn.makefile("rb") as reader:
                    conn.sendall(self.greeting)
                    for line in reader:
                        self.received.append(line)
                        reply = self.answer(line)
                        if reply is None:
                            break
                        conn.sendall(reply)

    def stop(self) -> None:
        self._server.close()


class CuttingProxy:
    """Forwards to ``port``; once the client has sent ``marker``, forwards only the
    first ``keep`` bytes after it and then drops both connections (a network cut)."""

    def __init__(self, port: int, marker: bytes, keep: int = 10) -> None:
        self.target = port
        self.marker = marker
        self.keep = keep
        self.cut = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._server.getsockname()[1])
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self._server.accept()
                upstream = socket.create_connection(("127.0.0.1", self.target))
                threading.Thread(target=self._pump, args=(upstream, client), daemon=True
                                 ).start()
                threading.Thread(target=self._upload, args=(client, upstream), daemon=True
                                 ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.close()

    def _upload(self, client: socket.socket, upstream: socket.socket) -> None:
        seen = b""
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                seen += data
                at = seen.find(self.marker)
                if at >= 0:
                    upstream.sendall(data[:max(0, len(data) - (len(seen) - at))
                                          + len(self.marker) + self.keep])
                    self.cut.set()
                    break
                upstream.sendall(data)
        for sock in (client, upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def stop(self) -> None:
        self._server.close()
