"""A ManageSieve client (RFC 5804) on qtmail's TLS and trust rules.

Implicit TLS, or STARTTLS that must be advertised and must succeed (no fallback to
plaintext; what the server said before TLS is thrown away, RFC 5804 2.2), or
plaintext only on an account explicitly set to no encryption. Certificates are checked
with ``qtmail.imap.tls`` exactly as for IMAP, pinned fingerprints included.
Blocking, with a timeout on every read: it runs in the account's worker thread.
"""

from __future__ import annotations

import base64
import socket
import ssl
from collections.abc import Callable
from types import TracebackType

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthError,
    ConnectionLost,
    KnownError,
    Sentence,
    ServerError,
    ServerUnreachable,
    TlsError,
    TlsRequired,
)
from qtmail.imap import tls
from qtmail.net.sasl import Mechanism
from qtmail.sieve import errors
from qtmail.sieve.wire import Atom, Response, Wire, quote, status_of

Capabilities = dict[str, str]
"""Capability name (upper-case) -> its value ("" when it has none)."""


def _capabilities(response: Response) -> Capabilities:
    found: Capabilities = {}
    for line in response.lines:
        if line and isinstance(line[0], str):
            value = line[1] if len(line) > 1 and isinstance(line[1], str) else ""
            found[line[0].upper()] = value
    return found


def _tls_failed(host: str, exc: BaseException) -> TlsError:
    return TlsError(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "A secure connection to {host} could not be set up."), host=host),
        detail=repr(exc))


def _wrap(sock: socket.socket, context: ssl.SSLContext, host: str) -> ssl.SSLSocket:
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        raise tls.CertificateRejected(str(exc)) from exc
    except (ssl.SSLError, OSError) as exc:
        sock.close()
        raise _tls_failed(host, exc) from exc


def _connect(settings: ServerSettings, context: ssl.SSLContext | None) -> ManageSieve:
    """TCP, TLS, greeting (and STARTTLS): a client not yet logged in. Sends no secret."""
    host = settings.host
    try:
        sock = socket.create_connection((host, settings.port), timeout=settings.timeout)
    except OSError as exc:
        raise ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The filter server {host} could not be reached."), host=host),
            detail=repr(exc)) from exc
    sock.settimeout(settings.timeout)
    if settings.security is Security.SSL:
        assert context is not None
        sock = _wrap(sock, context, host)
    wire = Wire(sock, host)
    try:
        greeting = wire.read_response()
        if not greeting.ok:
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The filter server {host} refused the connection."), host=host),
                server_text=greeting.text, code=greeting.code)
        capabilities = _capabilities(greeting)
        if settings.security is Security.STARTTLS:
            assert context is not None
            capabilities = _starttls(wire, capabilities, settings, context)
    except BaseException:
        wire.close()
        raise
    return ManageSieve(wire, settings, capabilities)


def _starttls(wire: Wire, before: Capabilities, settings: ServerSettings,
              context: ssl.SSLContext) -> Capabilities:
    """RFC 5804 2.2: upgrade or give up; then read the capabilities the server re-sends."""
    refused = Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The server {host} did not agree to encrypt the connection "
        "(STARTTLS). Your password was not sent."), host=settings.host)
    if "STARTTLS" not in before:
        raise TlsRequired(refused, detail=f"capabilities: {' '.join(before)}")
    wire.send(b"STARTTLS")
    answer = wire.read_response()
    if not answer.ok:
        raise TlsRequired(refused, detail=answer.text)
    wire.rebind(_wrap(wire.sock, context, settings.host))
    # Only what arrives over TLS counts: the pre-TLS list could have been forged.
    return _capabilities(wire.read_response())


def open_trusted(settings: ServerSettings) -> ManageSieve:
    """Connect with the account's trust rules, as ``imap.session`` does for IMAP."""
    if settings.security is Security.NONE:
        return _connect(settings, None)
    found = ""
    if settings.pinned_fingerprint:
        client = _connect(settings, tls.pinning_context())
        if tls.matches_pin(client.wire.sock, settings):
            return client
        found = tls.peer_fingerprint(client.wire.sock)
        client.close()
        # Another certificate than the accepted one: trust it only if it verifies.
    try:
        return _connect(settings, tls.verifying_context(settings.ca_file))
    except tls.CertificateRejected as exc:
        if not found:
            probe = _connect(settings, tls.pinning_context())
            found = tls.peer_fingerprint(probe.wire.sock)
            probe.close()
        raise tls.not_trusted(settings, found, detail=str(exc)) from None


class ManageSieve:
    """One ManageSieve connection. Not thread-safe: one owner thread at a time."""

    def __init__(self, wire: Wire, settings: ServerSettings, capabilities: Capabilities
                 ) -> None:
        self.wire = wire
        self.settings = settings
        self.capabilities = capabilities
        self.host = settings.host

    # -- capabilities --------------------------------------------------------------
    @property
    def extensions(self) -> frozenset[str]:
        """The Sieve extensions the server offers (its SIEVE capability), lower-case."""
        return frozenset(self.capabilities.get("SIEVE", "").lower().split())

    @property
    def sasl(self) -> frozenset[str]:
        return frozenset(self.capabilities.get("SASL", "").upper().split())

    # -- session -------------------------------------------------------------------
    def authenticate(self, mechanism: Mechanism) -> None:
        """AUTHENTICATE (RFC 5804 2.1); the secret only over TLS unless opted out."""
        if self.settings.security is not Security.NONE and not isinstance(
                self.wire.sock, ssl.SSLSocket):
            raise TlsRequired(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The connection to {host} is not encrypted. Your password was "
                "not sent."), host=self.host))
        if mechanism.name.upper() not in self.sasl:
            raise AuthError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The filter server {host} offers no way to log in that qtmail "
                "knows ({methods})."), host=self.host, methods=" ".join(sorted(self.sasl))))
        initial = mechanism.initial()
        parts = [b"AUTHENTICATE", quote(mechanism.name)]
        if initial is not None:
            parts.append(quote(base64.b64encode(initial).decode("ascii")))
        self.wire.send(*parts)
        while True:
            tokens = self.wire.read_line()
            if tokens and isinstance(tokens[0], Atom):
                response = status_of(tokens, [])
                break
            challenge = base64.b64decode(tokens[0] if tokens and isinstance(
                tokens[0], str) else "")
            reply = base64.b64encode(mechanism.answer(challenge)).decode("ascii")
            self.wire.send(quote(reply))
        if response.status == "BYE":  # e.g. the server cannot open the user's storage
            self.close()
            raise ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The filter server {host} closed the connection."), host=self.host),
                detail=response.text)
        if not response.ok:
            raise AuthError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server did not accept the user name or password.")),
                detail=response.text)

    def logout(self) -> None:
        try:
            self.wire.send(b"LOGOUT")
            self.wire.read_response()
        except KnownError:
            pass  # the server may close first; we are leaving anyway
        finally:
            self.close()

    def close(self) -> None:
        self.wire.close()

    def __enter__(self) -> ManageSieve:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.logout()
        else:
            self.close()

    # -- commands ------------------------------------------------------------------
    def _command(self, *parts: bytes, on_no: Callable[[Response], KnownError] | None = None
                 ) -> Response:
        self.wire.send(*parts)
        response = self.wire.read_response()
        if response.status == "BYE":
            self.close()
            raise ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The filter server {host} closed the connection."), host=self.host),
                detail=response.text)
        if not response.ok:
            raise on_no(response) if on_no else errors.refused(response, self.host)
        return response

    def refresh_capabilities(self) -> Capabilities:
        self.capabilities = _capabilities(self._command(b"CAPABILITY"))
        return self.capabilities

    def list_scripts(self) -> list[tuple[str, bool]]:
        """(name, active) of each script on the server."""
        response = self._command(b"LISTSCRIPTS")
        return [(line[0], any(isinstance(t, Atom) and t.value.upper() == "ACTIVE"
                              for t in line[1:]))
                for line in response.lines if line and isinstance(line[0], str)]

    def active_script(self) -> str | None:
        return next((name for name, active in self.list_scripts() if active), None)

    def get_script(self, name: str) -> str:
        response = self._command(b"GETSCRIPT", quote(name),
                                 on_no=lambda r: errors.refused(r, self.host, script=name))
        for line in response.lines:
            if line and isinstance(line[0], str):
                return line[0]
        return ""

    def put_script(self, name: str, text: str) -> str:
        """Upload (replacing a script of that name); returns the server's warnings."""
        response = self._command(b"PUTSCRIPT", quote(name), _literal(text),
                                 on_no=self._script_refused)
        return response.text if response.code == "WARNINGS" else ""

    def check_script(self, text: str) -> str:
        """CHECKSCRIPT (RFC 5804 2.12): compile without storing; returns warnings."""
        response = self._command(b"CHECKSCRIPT", _literal(text), on_no=self._script_refused)
        return response.text if response.code == "WARNINGS" else ""

    def set_active(self, name: str) -> None:
        """Activate ``name``; "" deactivates every script (RFC 5804 2.8)."""
        self._command(b"SETACTIVE", quote(name),
                      on_no=lambda r: errors.refused(r, self.host, script=name))

    def delete_script(self, name: str) -> None:
        self._command(b"DELETESCRIPT", quote(name),
                      on_no=lambda r: errors.refused(r, self.host, script=name))

    def rename_script(self, old: str, new: str) -> None:
        self._command(b"RENAMESCRIPT", quote(old), quote(new),
                      on_no=lambda r: errors.refused(r, self.host, script=new))

    def have_space(self, name: str, size: int) -> None:
        """Raise ``QuotaExceeded`` when a script of ``size`` bytes would not fit."""
        self._command(b"HAVESPACE", quote(name), str(size).encode("ascii"),
                      on_no=lambda r: errors.refused(r, self.host, script=name))

    def _script_refused(self, response: Response) -> KnownError:
        if response.code.split("/")[0] == "QUOTA":
            return errors.refused(response, self.host)
        return errors.script_error(response)


def _literal(text: str) -> bytes:
    """Scripts always go as literals: they hold line ends (RFC 5804 4)."""
    raw = text.encode("utf-8")
    return b"{%d+}\r\n" % len(raw) + raw
