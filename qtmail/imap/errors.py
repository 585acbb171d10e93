"""Map imaplib/imapclient/socket/ssl exceptions onto qtmail's known errors.

imapclient's exceptions derive from imaplib's (``IMAP4.error``, ``IMAP4.abort``), so this
module needs no imapclient import. Every sentence is meant for a non-programmer; what the
server said is only ever quoted, as "The server said: …".
"""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    ConnectionLost,
    KnownError,
    ProtocolError,
    Sentence,
    ServerError,
    ServerUnreachable,
    TlsError,
)

log = logging.getLogger(__name__)

# Longest piece of server text we quote back to the user.
_MAX_SERVER_TEXT = 300

# OpenSSL reasons that mean "this is no (modern) TLS server" (RELIABILITY B.22).
_OLD_TLS_REASONS = frozenset({"UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION",
                              "NO_PROTOCOLS_AVAILABLE", "VERSION_TOO_LOW"})
_NOT_TLS_REASONS = frozenset({"WRONG_VERSION_NUMBER", "HTTP_REQUEST", "RECORD_LAYER_FAILURE",
                              "PACKET_LENGTH_TOO_LONG"})


def server_text(raw: object) -> str:
    """Server text made safe to show: decoded, control characters removed, bounded."""
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else b""
    if isinstance(raw, tuple):
        raw = raw[0]
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if text.startswith(("b'", 'b"')) and text.endswith(("'", '"')):
        # imaplib formats some bytes into its messages with %r / %s.
        text = text[2:-1]
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    if text.startswith("* "):
        text = text[2:]
    if text.upper().startswith(("BYE ", "NO ", "BAD ")):
        text = text.split(" ", 1)[1]
    if len(text) > _MAX_SERVER_TEXT:
        text = text[:_MAX_SERVER_TEXT] + "…"
    return text


# RFC 3501 7.1 / RFC 5530: "[CODE" or "[CODE args]" opening a status response's text.
_LEADING_CODE = re.compile(r"\s*\[([A-Za-z][A-Za-z0-9.-]*)[\] ]")
# Inside an imaplib exception message the text is quoted ("... BAD [b'[CANNOT] ...']"),
# so look anywhere, for upper-case atoms only ("[b'" is no response code).
_QUOTED_CODE = re.compile(r"\[([A-Z][A-Z0-9.-]*)[\] ]")


def response_code(text: str) -> str:
    """The bracketed response code opening ``text`` (RFC 5530), upper-case; "" if none."""
    match = _LEADING_CODE.match(text)
    return match.group(1).upper() if match else ""


def quoted_response_code(text: str) -> str:
    """The first response code anywhere in an imaplib error message; "" if none."""
    match = _QUOTED_CODE.search(text)
    return match.group(1) if match else ""


def said(text: str) -> str:
    """The suffix quoting the server, or nothing when it said nothing useful."""
    return Sentence(QT_TRANSLATE_NOOP("Errors", " The server said: “{text}”"), text=text) \
        if text else ""


def _bye_text(imap: imaplib.IMAP4 | None) -> str | None:
    if imap is None:
        return None
    bye = imap.untagged_responses.get("BYE")
    return server_text(bye) if bye else None


@contextmanager
def mapped(host: str, *, connecting: bool = False,
           imap: imaplib.IMAP4 | None = None) -> Iterator[None]:
    """Translate low-level failures inside the block into ``KnownError`` subclasses.

    ``connecting`` picks ServerUnreachable (no session yet) over ConnectionLost (an
    established session broke). ``imap`` lets a ``* BYE`` be quoted (RFC 3501 7.1.5).
    """
    try:
        yield
    except KnownError:
        raise
    except TimeoutError as exc:  # socket.timeout: every read has one (RELIABILITY A.4)
        if connecting:
            raise ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} did not answer in time."), host=host),
                detail=repr(exc)) from exc
        raise ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server {host} stopped answering."), host=host),
            detail=repr(exc)) from exc
    except ssl.SSLError as exc:
        reason = getattr(exc, "reason", None) or ""
        if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError) \
                or reason == "UNEXPECTED_EOF_WHILE_READING":
            # The server hung up mid-handshake (restarting, too busy): a dropped line,
            # tried again with backoff, not a setting to fix.
            kind = ServerUnreachable if connecting else ConnectionLost
            raise kind(lost(host), detail=repr(exc)) from exc
        if reason in _OLD_TLS_REASONS:
            message = Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} only offers an outdated form of encryption "
                "(older than TLS 1.2), which is not safe."), host=host)
        elif reason in _NOT_TLS_REASONS:
            message = Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} did not start an encrypted connection on this "
                "port. Check the port and the security setting."), host=host)
        else:
            message = Sentence(QT_TRANSLATE_NOOP(
                "Errors", "A secure connection to {host} could not be set up."), host=host)
        raise TlsError(message, detail=repr(exc)) from exc
    except imaplib.IMAP4.abort as exc:  # connection-level failure, includes * BYE
        bye = _bye_text(imap)
        kind = ServerUnreachable if connecting else ConnectionLost
        if bye is not None:
            raise kind(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} closed the connection."), host=host) + said(bye),
                detail=repr(exc)) from exc
        raise kind(lost(host), detail=repr(exc)) from exc
    except imaplib.IMAP4.error as exc:
        text = server_text(exc.args[0] if exc.args else "")
        if "got more than" in text:  # imaplib's 1,000,000-byte line cap (RELIABILITY A.2)
            raise ProtocolError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} sent an oversized response."), host=host),
                detail=repr(exc)) from exc
        if connecting:
            # e.g. a "* BYE" greeting (RFC 3501 7.1.5): nothing to do with the password.
            raise ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} refused the connection."), host=host) + said(text),
                detail=repr(exc)) from exc
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server {host} could not do that."), host=host) + said(text),
                          server_text=text, code=quoted_response_code(text),
                          detail=repr(exc)) from exc
    except (EOFError, OSError) as exc:  # refused, reset, DNS failure, network down
        if connecting:
            raise ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} could not be reached."), host=host),
                detail=repr(exc)) from exc
        raise ConnectionLost(lost(host), detail=repr(exc)) from exc


def lost(host: str) -> Sentence:
    return Sentence(QT_TRANSLATE_NOOP("Errors", "The connection to {host} was lost."),
                    host=host)
