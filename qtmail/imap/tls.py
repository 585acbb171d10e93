"""TLS contexts and certificate fingerprints for IMAP (RFC 8314, RELIABILITY.md B).

Two ways to trust a server: its certificate verifies against the system CAs (or the
account's CA file), or its SHA-256 fingerprint equals the one the user accepted for this
host:port. A pinned fingerprint never loosens anything else: the other certificate is
refused and reported with its own fingerprint so the user can be asked again.
"""

from __future__ import annotations

import hashlib
import imaplib
import socket
import ssl
from typing import Any

from qtmail.accounts.settings import ServerSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, CertificateNotTrusted, Sentence, TlsRequired
from qtmail.imap import errors


class CertificateRejected(Exception):
    """Internal: the TLS handshake failed certificate verification (no fingerprint yet)."""


def verifying_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificate and host name verified; TLS 1.2 at least (RELIABILITY B.22).

    With ``ca_file`` the account trusts that bundle instead of the system store.
    """
    context = ssl.create_default_context(cafile=ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def pinning_context() -> ssl.SSLContext:
    """A context that accepts any certificate: only for reading its fingerprint.

    The caller must compare the peer's fingerprint before sending anything that matters.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as colon-separated upper-case hex."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(text: str) -> str:
    """Accept ``AB:CD...``, ``ab cd ...`` or ``abcd...``; return the colon form."""
    digits = "".join(ch for ch in text.upper() if ch in "0123456789ABCDEF")
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def peer_fingerprint(sock: socket.socket) -> str:
    """The fingerprint of the certificate the peer presented on an SSL socket."""
    if not isinstance(sock, ssl.SSLSocket):
        raise TypeError("not a TLS socket")
    der = sock.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the server presented no certificate")
    return fingerprint(der)


def matches_pin(sock: socket.socket, settings: ServerSettings) -> bool:
    """Whether the peer's certificate is the one the user accepted for this server."""
    pinned = normalise_fingerprint(settings.pinned_fingerprint)
    return bool(pinned) and peer_fingerprint(sock) == pinned


def not_trusted(settings: ServerSettings, found: str, *, detail: str = "") -> CertificateNotTrusted:
    """The error that lets the UI show the fingerprint and offer to trust it; when the
    user trusted another certificate for this server before, it says that it changed
    and carries the old fingerprint too (issue 17: the prompt shows both)."""
    previous = settings.pinned_fingerprint
    if previous and normalise_fingerprint(previous) != normalise_fingerprint(found):
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The certificate of {host} has changed since you trusted it. It was "
            "{previous}; it is now {fingerprint}. This happens when a provider renews its "
            "certificate, but also when someone intercepts the connection: only accept it "
            "if the provider confirms the new fingerprint."),
            host=settings.host, previous=previous, fingerprint=found)
    else:
        previous = ""
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The certificate of {host} is not trusted. Its SHA-256 fingerprint is "
            "{fingerprint}. Only accept it if you can confirm this fingerprint with the "
            "provider."), host=settings.host, fingerprint=found)
    return CertificateNotTrusted(message, fingerprint=found, host=settings.host,
                                 port=settings.port, detail=detail,
                                 previous_fingerprint=previous)


def starttls(imap: Any, settings: ServerSettings, context: ssl.SSLContext) -> None:
    """RFC 3501 6.2.1 / RFC 2595: upgrade, or give up; never fall back to plaintext."""
    refused = Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The server {host} did not agree to encrypt the connection "
        "(STARTTLS). Your password was not sent."), host=settings.host)
    if imap.state != "NONAUTH" or "STARTTLS" not in imap.capabilities:
        raise TlsRequired(refused, detail=f"capabilities: {' '.join(imap.capabilities)}")
    with errors.mapped(settings.host, connecting=True, imap=imap):
        try:
            typ, data = imap._simple_command("STARTTLS")
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:  # BAD
            raise TlsRequired(refused, detail=repr(exc)) from exc
        if typ != "OK":
            raise TlsRequired(refused + errors.said(errors.server_text(data)))
        old_file = imap.file
        try:
            imap.sock = context.wrap_socket(imap.sock, server_hostname=settings.host)
        except ssl.SSLCertVerificationError as exc:
            raise CertificateRejected(str(exc)) from exc
        old_file.close()
        imap.file = imap.sock.makefile("rb")
        imap._tls_established = True
        # RFC 3501 6.2.1: forget everything learnt before TLS, capabilities included.
        imap.untagged_responses.clear()
        imap._get_capabilities()
