"""Send one message over SMTP (RFC 5321) with the account's TLS rules (RELIABILITY B, I).

Implicit TLS (RFC 8314 3.3, port 465) by default; STARTTLS (RFC 3207) only when chosen,
and then required: if it is not offered or refused, nothing else is sent. Certificates
are checked with the same helpers as IMAP (``qtmail.imap.tls``): smtplib verifies
nothing unless given a verifying context. AUTH (RFC 4954) only over TLS, or on an
account explicitly set to no encryption.

The DATA phase is driven here rather than by ``smtplib.sendmail`` so that a connection
lost after the message went out, before the final reply, is told apart (``MaybeSent``):
RFC 5321 6.1 - the server may already have accepted it; it must not be resent blindly.
"""

from __future__ import annotations

import base64
import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthError,
    ConnectionLost,
    Fix,
    KnownError,
    Sentence,
    ServerError,
    ServerUnreachable,
    TlsError,
    TlsRequired,
)
from qtmail.imap import tls
from qtmail.net.sasl import Bearer, Secret, mechanism_for
from qtmail.smtp.compose import line_slices
from qtmail.smtp.errors import MaybeSent, MessageTooLarge, RecipientRefused

log = logging.getLogger(__name__)

LOCAL_NAME = "localhost"
"""What EHLO says: not the machine's name, which would leak into every message."""


@dataclass(frozen=True, slots=True)
class SendResult:
    accepted: tuple[str, ...]
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Recipients the server refused while accepting others (partial refusal)."""
    reply: str = ""
    """The server's final reply text (often holds its queue id)."""


def _text(reply: bytes | str) -> str:
    raw = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(raw.split())


def _open(settings: ServerSettings, context: ssl.SSLContext | None) -> smtplib.SMTP:
    """TCP, TLS, greeting, EHLO (and STARTTLS). No credential is sent here."""
    host, timeout = settings.host, settings.timeout
    try:
        if settings.security is Security.SSL:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, settings.port, LOCAL_NAME, timeout=timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(host, settings.port, LOCAL_NAME, timeout=timeout)
    except ssl.SSLCertVerificationError as exc:
        raise tls.CertificateRejected(str(exc)) from exc
    except ssl.SSLError as exc:
        raise TlsError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "A secure connection to {host} could not be set up."), host=host),
                       detail=repr(exc)) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} could not be reached."), host=host),
                                detail=repr(exc)) from exc
    try:
        _hello(smtp, settings)
        if settings.security is Security.STARTTLS:
            assert context is not None
            _starttls(smtp, settings, context)
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _hello(smtp: smtplib.SMTP, settings: ServerSettings) -> None:
    try:
        code, reply = smtp.ehlo()
        if not 200 <= code < 300:
            code, reply = smtp.helo()
    except (OSError, smtplib.SMTPException) as exc:
        raise ConnectionLost(_lost(settings).user_message, detail=repr(exc)) from exc
    if not 200 <= code < 300:
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} refused the connection."), host=settings.host),
                          server_text=_text(reply))


def _starttls(smtp: smtplib.SMTP, settings: ServerSettings, context: ssl.SSLContext) -> None:
    """RFC 3207: upgrade or give up, never continue in plaintext (RELIABILITY B.17)."""
    refused = Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The server {host} did not agree to encrypt the connection "
        "(STARTTLS). Your password and message were not sent."), host=settings.host)
    if not smtp.has_extn("starttls"):
        raise TlsRequired(refused, detail=f"EHLO: {smtp.esmtp_features}")
    try:
        code, reply = smtp.starttls(context=context)  # smtplib re-does EHLO state
    except ssl.SSLCertVerificationError as exc:
        raise tls.CertificateRejected(str(exc)) from exc
    except ssl.SSLError as exc:
        raise TlsError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "A secure connection to {host} could not be set up."), host=settings.host),
                       detail=repr(exc)) from exc
    except smtplib.SMTPResponseException as exc:
        raise TlsRequired(refused, detail=_text(exc.smtp_error)) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TlsRequired(refused, detail=repr(exc)) from exc
    if code != 220:
        raise TlsRequired(refused, detail=_text(reply))
    _hello(smtp, settings)  # RFC 3207 4.2: forget what was learnt before TLS


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except Exception:
        try:
            smtp.close()
        except Exception:
            log.debug("closing the SMTP connection failed", exc_info=True)


def _peer(smtp: smtplib.SMTP) -> socket.socket:
    if smtp.sock is None:
        raise smtplib.SMTPServerDisconnected("not connected")
    return smtp.sock


def greets(settings: ServerSettings) -> bool:
    """Whether an SMTP server answers EHLO there (account setup's probe, issue 16);
    nothing is sent but EHLO, so any certificate is accepted here."""
    try:
        smtp = _open(settings, None if settings.security is Security.NONE
                     else tls.pinning_context())
    except (KnownError, OSError, tls.CertificateRejected, smtplib.SMTPException):
        return False
    _close(smtp)
    return True


def _open_trusted(settings: ServerSettings) -> smtplib.SMTP:
    """The account's trust rules, as for IMAP (RELIABILITY B.15-B.17, B.22)."""
    if settings.security is Security.NONE:
        return _open(settings, None)
    found = ""
    if settings.pinned_fingerprint:
        smtp = _open(settings, tls.pinning_context())
        if tls.matches_pin(_peer(smtp), settings):
            return smtp
        found = tls.peer_fingerprint(_peer(smtp))
        _close(smtp)
    try:
        return _open(settings, tls.verifying_context(settings.ca_file))
    except tls.CertificateRejected as exc:
        if not found:
            probe = _open(settings, tls.pinning_context())
            found = tls.peer_fingerprint(_peer(probe))
            _close(probe)
        raise tls.not_trusted(settings, found, detail=str(exc)) from None


def _login(smtp: smtplib.SMTP, settings: ServerSettings, username: str,
           password: Secret) -> None:
    if not password or not smtp.has_extn("auth"):
        return  # RFC 4954: AUTH only where offered; some relays need none
    try:
        code, reply = _authenticate(smtp, username, password)
    except smtplib.SMTPException as exc:
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            raise _lost(settings) from exc
        raise AuthError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "Signing in to the mail server {host} failed."), host=settings.host),
                        detail=repr(exc), fix=Fix.SMTP_PASSWORD) from exc
    except OSError as exc:
        raise _lost(settings) from exc
    if code != 235 and isinstance(password, Bearer):
        raise AuthError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} did not accept your sign-in. Sign in again to "
            "give qtmail access."), host=settings.host), detail=f"{code} {_text(reply)}",
            fix=Fix.SIGN_IN)
    if code != 235:
        raise AuthError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} did not accept the user name or password."),
            host=settings.host), detail=f"{code} {_text(reply)}", fix=Fix.SMTP_PASSWORD)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _authenticate(smtp: smtplib.SMTP, username: str, password: Secret) -> tuple[int, bytes]:
    """AUTH PLAIN (RFC 4616) or LOGIN with UTF-8 credentials; a token by OAUTHBEARER or
    XOAUTH2 (RFC 4954 4: initial response on the AUTH line).

    smtplib's own ``login`` encodes the credentials as ASCII and fails on "pässword".
    """
    mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
    if isinstance(password, Bearer):
        mechanism = mechanism_for(username, password, mechanisms)
        initial = base64.b64encode(mechanism.initial() or b"").decode("ascii")
        code, reply = smtp.docmd("AUTH", f"{mechanism.name} {initial}")
        if code == 334:  # the error challenge (RFC 7628 3.2.3): answer, then 535 follows
            answer = mechanism.answer(base64.b64decode(reply or b"", validate=False))
            code, reply = smtp.docmd(base64.b64encode(answer).decode("ascii"))
        return code, reply
    if "PLAIN" in mechanisms or "LOGIN" not in mechanisms:
        return smtp.docmd("AUTH", "PLAIN " + _b64(f"\0{username}\0{password}"))
    code, reply = smtp.docmd("AUTH", "LOGIN")
    if code == 334:
        code, reply = smtp.docmd(_b64(username))
    if code == 334:
        code, reply = smtp.docmd(_b64(password))
    return code, reply


def _lost(settings: ServerSettings) -> ConnectionLost:
    return ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The connection to {host} was lost; the message was not sent."),
        host=settings.host))


def _too_large(settings: ServerSettings, text: str) -> MessageTooLarge:
    return MessageTooLarge(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The message is too large for the mail server {host}."), host=settings.host),
                           server_text=text)


_LINE_END = re.compile(rb"\r?\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")
_DATA_SLICE = 1 << 18
"""Bytes of a message looked at (and rewritten, if need be) at a time for DATA."""


def _data_bytes(message: EmailMessage) -> bytes:
    """CRLF lines, dot-stuffed (RFC 5321 4.5.2), ending with the final "." line.

    A slice of whole lines at a time: each slice starts a line, so both substitutions
    give what they give on the whole, and Python's lock is let go between two. Issue
    18: the two regexes over a 14 MB message are 0.18 s of a lane holding Python's lock
    a megabyte (13 ms) at a time, each one a wait for the account's worker; a slice is
    therefore only rewritten when it needs it (``_as_sent``), which a built message's
    slices never do (CRLF lines; base64 has no dot), and looking is 20 times quicker."""
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    pieces = []
    for piece in line_slices(data, _DATA_SLICE):  # (a worker answering goes first)
        if not _as_sent(piece):
            piece = _LEADING_DOT.sub(b"..", _LINE_END.sub(b"\r\n", piece))
        pieces.append(piece)
    if not pieces or not pieces[-1].endswith(b"\r\n"):
        pieces.append(b"\r\n")
    pieces.append(b".\r\n")
    return b"".join(pieces)  # lets go of Python's lock over 1 MB (CPython 3.9+)


def _as_sent(piece: bytes) -> bool:
    """Whether the substitutions would leave ``piece`` (whole lines) as it is: every LF
    has its CR, and no line starts with a dot."""
    if piece.count(b"\n") != piece.count(b"\r\n"):
        return False
    dot = piece.find(b".")  # memchr: quick over base64, which holds none
    while dot >= 0:
        if dot == 0 or piece[dot - 1] == ord("\n"):
            return False
        dot = piece.find(b".", dot + 1)
    return True


def send_message(settings: ServerSettings, username: str, password: Secret,
                 message: EmailMessage, envelope_from: str,
                 recipients: Sequence[str]) -> SendResult:
    """Connect, secure, sign in and send; every failure is a KnownError sentence.

    Runs in the account worker thread, never on the GUI thread (it blocks).
    Raises ``MaybeSent`` when the outcome is unknown: do not retry on your own.
    """
    if not recipients:
        raise KnownError(QT_TRANSLATE_NOOP("Errors", "The message has no recipients."))
    data = _data_bytes(message)
    smtp = _open_trusted(settings)
    try:
        _login(smtp, settings, username, password)
        return _transaction(smtp, settings, data, envelope_from, recipients)
    finally:
        _close(smtp)


def _transaction(smtp: smtplib.SMTP, settings: ServerSettings, data: bytes,
                 envelope_from: str, recipients: Sequence[str]) -> SendResult:
    options: list[str] = []
    if smtp.has_extn("size"):  # RFC 1870
        limit = int(smtp.esmtp_features.get("size", "0") or 0)
        if limit and len(data) > limit:
            raise _too_large(settings, f"the server accepts at most {limit} bytes")
        options.append(f"SIZE={len(data)}")
    try:
        code, reply = smtp.mail(envelope_from, options)
        if code != 250:
            text = _text(reply)
            if code == 552:
                raise _too_large(settings, text)
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The mail server {host} refused the sender address {sender}: {text}"),
                host=settings.host, sender=envelope_from, text=text), server_text=text)
        refused: dict[str, tuple[int, str]] = {}
        accepted: list[str] = []
        for rcpt in recipients:
            code, reply = smtp.rcpt(rcpt)
            if code in (250, 251):
                accepted.append(rcpt)
            else:
                refused[rcpt] = (code, _text(reply))
        if not accepted:
            smtp.rset()
            raise _refused(settings, refused)
        code, reply = smtp.docmd("DATA")
        if code != 354:
            raise ServerError(_refused_message(settings, _text(reply)),
                              server_text=_text(reply))
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise _lost(settings) from exc
    # From here on the server may have the whole message: a loss is "maybe sent".
    try:
        smtp.send(data)
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise MaybeSent(detail=repr(exc)) from exc
    text = _text(reply)
    if code == 552:
        raise _too_large(settings, text)
    if code != 250:
        raise ServerError(_refused_message(settings, text), server_text=text)
    if refused:
        log.info("partly refused recipients: %s", refused)
    return SendResult(accepted=tuple(accepted), refused=refused, reply=text)


def _refused(settings: ServerSettings, refused: dict[str, tuple[int, str]]) -> RecipientRefused:
    parts = [f"{addr} ({text or code})" for addr, (code, text) in refused.items()]
    if len(parts) == 1:
        sentence = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} refused the recipient {recipient}."),
            host=settings.host, recipient=parts[0])
    else:
        sentence = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The mail server {host} refused the recipients {recipients}."),
            host=settings.host, recipients=", ".join(parts))
    return RecipientRefused(sentence, refused=refused)


def _refused_message(settings: ServerSettings, text: str) -> Sentence:
    return Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The mail server {host} refused the message: {text}"),
        host=settings.host, text=text)


def refusal_sentence(settings: ServerSettings, result: SendResult) -> str:
    """For a partial refusal: the sentence telling who did not get the message."""
    if not result.refused:
        return ""
    return str(_refused(settings, dict(result.refused))).replace(
        "refused the recipient", "sent the message, but refused the recipient")
