"""ImapSession: one logged-in IMAP connection; the only module that imports imapclient.

Capability decisions (CONDSTORE, QRESYNC, SPECIAL-USE, LIST-EXTENDED, QUOTA, IDLE) are
made here; code outside qtmail/imap asks intent-named questions (``moves_atomically``,
``tracks_modseq``, ``reports_vanished``, ...), never capability names. Bulk FETCH/SEARCH
go through ``qtmail.imap.fastfetch``, writes through ``session.writes``
(``qtmail.imap.writes``) and IDLE through ``qtmail.imap.idle``: all three write and read
their commands with ``qtmail.imap.wire``, the one owner of tags, literals and capped
reading.
Every failure reaches callers as a ``qtmail.core.errors.KnownError`` or is a bug.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from imapclient import IMAPClient, SocketTimeout
from imapclient.imap4 import IMAP4WithTimeout
from imapclient.response_parser import parse_response
from imapclient.tls import IMAP4_TLS

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthError,
    ConnectionLost,
    Fix,
    ProtocolError,
    Sentence,
    ServerError,
    TlsError,
    TlsRequired,
)
from qtmail.core.types import FolderInfo, MailboxStatus, Quota
from qtmail.imap import errors, fastfetch, gmail, tls, waiting
from qtmail.imap.commandlog import CommandLog
from qtmail.imap.folders import ListEntry, build_folder_list
from qtmail.imap.previews import PreviewSource, fetch_previews
from qtmail.imap.responses import (
    close_quietly,
    group_responses,
    mailbox_status,
    vanished_uids,
)
from qtmail.imap.wire import LiteralMode
from qtmail.imap.writecmd import parse_flag_list
from qtmail.imap.writes import CopyResult as CopyResult
from qtmail.imap.writes import MoveResult as MoveResult
from qtmail.imap.writes import Writes
from qtmail.net.sasl import Bearer, Mechanism, Secret, mechanism_for
from qtmail.search import imap_keys

log = logging.getLogger(__name__)

_AUTH_FAILED = QT_TRANSLATE_NOOP("Errors", "The server did not accept the user name or password.")
# Seconds a polite LOGOUT may take before the socket is simply closed.
_LOGOUT_TIMEOUT = 5.0


_GREETING_CAPABILITY = re.compile(rb"\* (?:OK|PREAUTH) \[CAPABILITY ([^\]]*)\]", re.IGNORECASE)


class _Connection:
    """imaplib's connection as qtmail opens it (every IMAP connection: the account's,
    the side connection, each push watcher, the account setup's probe).

    Its socket sends at once (``send_at_once``), from the greeting on. The capabilities
    come from the greeting where the server lists them there (RFC 3501 7.1, the
    CAPABILITY response code; Dovecot does) instead of a CAPABILITY command: one round
    trip less before every login. Only the greeting's: after STARTTLS they are asked
    for again (RFC 3501 6.2.1, qtmail.imap.tls.starttls)."""

    welcome: bytes
    capabilities: tuple[str, ...]
    _greeting_read = False

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock: socket.socket = super()._create_socket(timeout)  # type: ignore[misc]
        send_at_once(sock)
        return sock

    def _get_capabilities(self) -> None:
        found = None if self._greeting_read else _GREETING_CAPABILITY.match(self.welcome)
        self._greeting_read = True
        names = tuple(found.group(1).decode("ascii", "replace").upper().split()) \
            if found is not None else ()
        if "IMAP4REV1" not in names and "IMAP4REV2" not in names:  # none, or unusable
            super()._get_capabilities()  # type: ignore[misc]  # imaplib's, not typed
            return
        self.capabilities = names


class _PlainImap(_Connection, IMAP4WithTimeout):  # type: ignore[misc]
    pass


class _TlsImap(_Connection, IMAP4_TLS):  # type: ignore[misc]
    pass


class _Client(IMAPClient):  # type: ignore[misc]
    """IMAPClient with the connections above."""

    def _create_IMAP4(self) -> imaplib.IMAP4:
        timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _TlsImap(self.host, self.port, self.ssl_context, timeout)
        return _PlainImap(self.host, self.port, timeout)


def _open(settings: ServerSettings, context: ssl.SSLContext | None) -> Any:
    """TCP, TLS and greeting (and STARTTLS): an IMAPClient in the not-authenticated state.

    Nothing that identifies the user is sent here.
    """
    timeout = SocketTimeout(connect=settings.timeout, read=settings.timeout)
    implicit = settings.security is Security.SSL
    try:
        with errors.mapped(settings.host, connecting=True):
            client = _Client(settings.host, settings.port, ssl=implicit,
                             ssl_context=context, timeout=timeout)
    except TlsError as exc:
        if isinstance(exc.__cause__, ssl.SSLCertVerificationError):
            raise tls.CertificateRejected(str(exc.__cause__)) from exc
        raise
    imap = client._imap
    imap.debug = 0  # imaplib's own protocol log would hold message text
    client.folder_encode = False  # names are decoded by qtmail.imap.utf7
    try:
        if settings.security is Security.STARTTLS:
            assert context is not None
            tls.starttls(imap, settings, context)
            client._starttls_done = True
            client._cached_capabilities = None
        waiting.take_turns(imap)
    except BaseException:
        close_quietly(imap)
        raise
    return client


def send_at_once(sock: Any) -> None:
    """Every write goes on the wire at once (TCP_NODELAY). imapclient writes a command in
    pieces (SELECT's line, then its CRLF), and with Nagle's algorithm the last piece
    waits until the server has acknowledged the first, which a server that delays its
    ACKs does only after its delayed-ACK timer: 40 ms a command with Linux on both ends
    (on 127.0.0.1: 43 ms a command, 0.1 ms with this), 200 ms with some systems. IMAP is
    a conversation of short commands, each answered before the next: nothing is gained
    by holding a write back."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):  # not TCP (a test's stand-in): nothing to hold back
        log.debug("TCP_NODELAY not set on %r", sock)


def greeting_capabilities(settings: ServerSettings) -> frozenset[str]:
    """What a server announces before login (account setup's probe, issue 16): upper-case
    capability names. Any certificate is accepted because nothing is sent; the account's
    first real connection checks it. Raises KnownError when nothing IMAP answers."""
    client = _open(settings, None if settings.security is Security.NONE
                   else tls.pinning_context())
    try:
        return frozenset(str(c).upper() for c in client._imap.capabilities)
    finally:
        close_quietly(client._imap)


def _open_trusted(settings: ServerSettings) -> Any:
    """Open with the account's trust rules (RELIABILITY B.15-B.17, B.22)."""
    if settings.security is Security.NONE:
        return _open(settings, None)
    found = ""
    if settings.pinned_fingerprint:
        client = _open(settings, tls.pinning_context())
        if tls.matches_pin(client.socket(), settings):
            return client
        found = tls.peer_fingerprint(client.socket())
        close_quietly(client._imap)
        # Another certificate than the accepted one: trust it only if it verifies.
    try:
        return _open(settings, tls.verifying_context(settings.ca_file))
    except tls.CertificateRejected as exc:
        if not found:
            probe = _open(settings, tls.pinning_context())
            found = tls.peer_fingerprint(probe.socket())
            close_quietly(probe._imap)
        raise tls.not_trusted(settings, found, detail=str(exc)) from None


class ImapSession:
    """A logged-in IMAP connection. Not thread-safe: one owner thread at a time."""

    def __init__(self, client: Any, settings: ServerSettings) -> None:
        self._client = client
        self._settings = settings
        self._host = settings.host
        self._closed = False
        self.capabilities: frozenset[str] = frozenset()
        """Upper-case capability names, as announced now (re-read after TLS and login)."""
        self.command_log = CommandLog(client._imap)
        """Command names and modifiers sent, never arguments or credentials."""
        self.enabled: frozenset[str] = frozenset()
        self.selected: FolderInfo | None = None
        self.permanent_flags: frozenset[str] | None = None
        """Lower-cased PERMANENTFLAGS of the selected folder; None when not announced."""
        self._uidvalidity: int | None = None
        self._read_caps()
        self.writes = Writes(self)
        """Flags, copy/move/delete, APPEND and folder changes (qtmail.imap.writes)."""

    # -- connecting ----------------------------------------------------------------
    @classmethod
    def connect(cls, settings: ServerSettings, username: str, password: Secret) -> ImapSession:
        """Connect, secure and log in; raises a KnownError explaining any failure."""
        client = _open_trusted(settings)
        session = cls(client, settings)
        try:
            session._login(username, password)
        except BaseException:
            session.close()
            raise
        return session

    def _read_caps(self) -> None:
        imap = self._client._imap
        caps: list[str] = [str(c).upper() for c in imap.capabilities]
        self.capabilities = frozenset(caps)
        self._client._cached_capabilities = tuple(c.encode() for c in caps)

    def _login(self, username: str, password: Secret) -> None:
        imap = self._client._imap
        if imap.state == "AUTH":  # PREAUTH greeting (RFC 3501 7.1.4), TLS already checked
            self._refresh_caps()
            return
        if "LOGINDISABLED" in self.capabilities and not isinstance(password, Bearer):
            # RFC 3501 6.2.3: the client must not LOGIN; refuse rather than leak it.
            raise TlsRequired(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} does not allow signing in on this connection "
                "without encryption. Your password was not sent."), host=self._host))
        imap.untagged_responses.pop("CAPABILITY", None)
        if isinstance(password, str) and username.isascii() and password.isascii():
            with self.command("LOGIN"):
                typ, data = imap._simple_command("LOGIN", imap._quote(username),
                                                 imap._quote(password))
        else:
            # RFC 4616 PLAIN carries UTF-8 (LOGIN's quoted strings are 7-bit only); an
            # OAuth2 token goes by OAUTHBEARER or XOAUTH2 (issue 16).
            offered = {c[5:] for c in self.capabilities if c.startswith("AUTH=")}
            mechanism = mechanism_for(username, password, offered)
            with self.command(f"AUTHENTICATE {mechanism.name}"):
                typ, data = self._authenticate(mechanism)
        if typ != "OK":
            self._login_refused(data, token=isinstance(password, Bearer))
        imap.state = "AUTH"
        self._refresh_caps()

    def _authenticate(self, mechanism: Mechanism) -> tuple[str, list[Any]]:
        """One SASL exchange: the initial response to the first "+", then the
        mechanism's answer to any further challenge; an OAuth error challenge is
        answered (RFC 7628 3.2.3) so a bad token fails at once instead of hanging."""
        imap = self._client._imap
        answered = False

        def respond(challenge: bytes) -> bytes:
            nonlocal answered
            if answered:
                return mechanism.answer(challenge)
            answered = True
            return mechanism.initial() or b""

        try:
            typ, data = imap.authenticate(mechanism.name, respond)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:
            typ, data = "NO", [exc.args[0] if exc.args else b""]
        return typ, data

    def _login_refused(self, data: list[Any], *, token: bool = False) -> None:
        text = errors.server_text(data)
        code = text.upper()
        if code.startswith(("[UNAVAILABLE]", "[SERVERBUG]")):  # RFC 5530 3
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} cannot sign you in right now."), host=self._host)
                              + errors.said(text), server_text=text,
                              code=errors.response_code(text))
        if code.startswith("[PRIVACYREQUIRED]"):
            raise TlsRequired(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} requires encryption to sign in."), host=self._host)
                              + errors.said(text))
        if token:
            raise AuthError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The server {host} did not accept your sign-in. Sign in again to "
                "give qtmail access."), host=self._host), detail=f"server said: {text}",
                fix=Fix.SIGN_IN)
        raise AuthError(_AUTH_FAILED, detail=f"server said: {text}")

    def _refresh_caps(self) -> None:
        """Dovecot announces CONDSTORE, MOVE, ... only after login (recipe pitfall 8)."""
        imap = self._client._imap
        fresh = imap.untagged_responses.pop("CAPABILITY", None)
        if not fresh:
            with self.command("CAPABILITY"):
                typ, data = imap._simple_command("CAPABILITY")
                typ, fresh = imap._untagged_response(typ, data, "CAPABILITY")
                self.check(typ, fresh, QT_TRANSLATE_NOOP(
                    "Errors", "The server did not list its features."))
        raw = fresh[-1]
        text = raw.decode("ascii", "replace") if isinstance(raw, bytes) else str(raw)
        imap.capabilities = tuple(text.upper().split())
        self._read_caps()

    # -- plumbing ------------------------------------------------------------------
    def answering(self, hook: Callable[[], None]) -> AbstractContextManager[None]:
        """Inside: while this connection reads an answer or waits for one, ``hook`` runs
        at least every waiting.ANSWER_EVERY_S; it must not use this connection
        (imap/waiting.py)."""
        return waiting.answering(self._client._imap, hook)

    @property
    def imap(self) -> imaplib.IMAP4:
        """The underlying imaplib connection, for qtmail.imap.fastfetch."""
        if self._closed:
            raise ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The connection to {host} is closed."), host=self._host))
        imap: imaplib.IMAP4 = self._client._imap
        return imap

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def moves_atomically(self) -> bool:
        """UID MOVE (RFC 6851): no COPY + \\Deleted window a crash could leave."""
        return self.has("MOVE")

    @property
    def expunges_by_uid(self) -> bool:
        """UID EXPUNGE (RFC 4315 2.1): only our \\Deleted messages go."""
        return self.has("UIDPLUS")

    @property
    def reports_new_uids(self) -> bool:
        """COPYUID/APPENDUID response codes (RFC 4315 3): where a copy or append landed."""
        return self.has("UIDPLUS")

    @property
    def tracks_modseq(self) -> bool:
        """CONDSTORE (RFC 7162 3.1): HIGHESTMODSEQ and CHANGEDSINCE, flags since a modseq."""
        return self.has("CONDSTORE")

    @property
    def reports_vanished(self) -> bool:
        """QRESYNC offered (RFC 7162 3.2): VANISHED instead of EXPUNGE once enabled."""
        return self.has("QRESYNC")

    @property
    def can_idle(self) -> bool:
        """IDLE (RFC 2177): the server pushes changes of the selected folder."""
        return self.has("IDLE")

    @property
    def knows_special_use(self) -> bool:
        """SPECIAL-USE (RFC 6154): folders carry their role (\\Sent, \\Trash, ...)."""
        return self.has("SPECIAL-USE")

    @property
    def searches_compactly(self) -> bool:
        """ESEARCH (RFC 4731): a whole-folder UID SEARCH answers in ranges, not one UID
        per word, so it stays under the line cap at any folder size."""
        return self.has("ESEARCH")

    @property
    def reports_quota(self) -> bool:
        """QUOTA (RFC 9208): the server can say how full the mailbox is."""
        return self.has("QUOTA")

    @property
    def makes_previews(self) -> bool:
        """PREVIEW (RFC 8970): the server gives a message's first words itself."""
        return self.has("PREVIEW")

    @property
    def files_sent_mail(self) -> bool:
        """X-GM-EXT-1 (Google's extensions): the server files what SMTP sent into Sent
        itself, so appending a copy would double it."""
        return self.has("X-GM-EXT-1")

    @property
    def literals(self) -> LiteralMode:
        """How our literals go out (RFC 7888 LITERAL+ / LITERAL-, else synchronizing)."""
        return LiteralMode.offered(self.capabilities)

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    @contextmanager
    def command(self, name: str) -> Iterator[None]:
        """Log ``name``, map errors; a broken connection is closed for good."""
        if self._closed:
            raise ConnectionLost(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The connection to {host} is closed."), host=self._host))
        imap = self._client._imap
        try:
            with self.command_log.own(name), errors.mapped(self._host, imap=imap):
                yield
        except ConnectionLost:
            self.close()
            raise

    def check(self, typ: str, data: list[Any], message: str) -> None:
        if typ != "OK":
            text = errors.server_text(data)
            raise ServerError(message + errors.said(text), server_text=text,
                              code=errors.response_code(text))

    @staticmethod
    def _mailbox(wire: bytes) -> bytes:
        """A mailbox argument: quoted, or sent as a literal when 8-bit (RFC 3501 4.3)."""
        if any(b >= 0x80 or b < 0x20 for b in wire):
            return wire  # imapclient's _raw_command sends 8-bit arguments as literals
        return b'"' + wire.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'

    # -- commands ------------------------------------------------------------------
    def enable(self, *capabilities: str) -> frozenset[str]:
        """RFC 5161 ENABLE, before any SELECT; returns what the server enabled."""
        wanted = [c.upper() for c in capabilities if self.has(c)]
        if not wanted or not self.has("ENABLE"):
            return frozenset()
        with self.command("ENABLE " + " ".join(wanted)):
            result = self._client.enable(*wanted)
        now = frozenset(c.decode().upper() if isinstance(c, bytes) else str(c).upper()
                        for c in result)
        if "QRESYNC" in now:
            now |= {"CONDSTORE"}  # RFC 7162 3.2.3: QRESYNC implies CONDSTORE
        self.enabled |= now
        return now

    def list_folders(self) -> list[FolderInfo]:
        """Every folder, with roles (RFC 6154) and subscriptions (RFC 5258 / LSUB)."""
        extended = self.has("LIST-EXTENDED")
        args = ['""', '"*"']
        if extended:
            returns = "SPECIAL-USE SUBSCRIBED" if self.has("SPECIAL-USE") else "SUBSCRIBED"
            args += ["RETURN", f"({returns})"]
        entries = self.list_entries("LIST", args, "LIST RETURN" if extended else "LIST")
        subscribed = None
        if not extended:
            subscribed = [e.wire for e in self.list_entries("LSUB", ['""', '"*"'], "LSUB")]
        return build_folder_list(entries, subscribed)

    def list_entries(self, command: str, args: list[str], logged: str) -> list[ListEntry]:
        """LIST or LSUB with ``args`` (reference, pattern, ...), logged as ``logged``."""
        imap = self._client._imap
        imap.untagged_responses.pop(command, None)
        with self.command(logged):
            typ, data = imap._simple_command(command, *args)
            typ, data = imap._untagged_response(typ, data, command)
            self.check(typ, data, QT_TRANSLATE_NOOP(
                "Errors", "The server did not list the folders."))
        return [entry for group in group_responses(data)
                if (entry := _list_entry(group)) is not None]

    def select(self, folder: FolderInfo, *, readonly: bool = False,
               qresync: tuple[int, int] | None = None) -> MailboxStatus:
        """SELECT (or EXAMINE) with CONDSTORE when offered, so HIGHESTMODSEQ comes back.

        ``qresync`` = (cached UIDVALIDITY, cached HIGHESTMODSEQ) asks for RFC 7162 3.2.5
        quick resync (after ``enable("QRESYNC")``); ``self.vanished`` then holds the
        UIDs expunged since, from ``* VANISHED (EARLIER)``.
        """
        imap = self._client._imap
        command = b"EXAMINE" if readonly else b"SELECT"
        args = [self._mailbox(folder.wire)]
        modifier = ""
        if qresync is not None and "QRESYNC" in self.enabled:
            args.append(b"(QRESYNC (%d %d))" % qresync)
            modifier = " (QRESYNC)"
        elif self.has("CONDSTORE"):
            args.append(b"(CONDSTORE)")  # RFC 7162 3.1.8
            modifier = " (CONDSTORE)"
        imap.untagged_responses.clear()
        self.selected = self.permanent_flags = self._uidvalidity = None
        self.vanished: list[int] = []
        with self.command(command.decode() + modifier):
            typ, data = self._client._raw_command(command, args, uid=False)
            if typ != "OK":
                # RFC 3501 6.3.1: a failed SELECT leaves no mailbox selected.
                imap.state = "AUTH"
                self.check(typ, data, Sentence(QT_TRANSLATE_NOOP(
                    "Errors", "The folder “{folder}” could not be opened."), folder=folder.name))
            imap.state = "SELECTED"
            imap.is_readonly = readonly
            response = self._client._process_select_response(imap.untagged_responses)
            vanished = imap.untagged_responses.pop("VANISHED", [])
        imap.untagged_responses.clear()
        status = mailbox_status(response, b"EXISTS", folder.name)
        self.selected = folder
        self.vanished = vanished_uids(vanished)
        if b"PERMANENTFLAGS" in response:
            self.permanent_flags = parse_flag_list(response[b"PERMANENTFLAGS"])
        self._uidvalidity = status.uidvalidity
        return status

    def unselect(self) -> None:
        r"""Leave the selected folder expunging nothing (unlike CLOSE): RFC 3691 UNSELECT,
        else EXAMINE of a name that does not exist (RFC 3501 6.3.2: a failed EXAMINE
        leaves no mailbox selected)."""
        if self.selected is None:
            return
        imap = self.imap
        if self.has("UNSELECT"):
            with self.command("UNSELECT"):
                typ, data = imap._simple_command("UNSELECT")
                self.check(typ, data, Sentence(QT_TRANSLATE_NOOP(
                    "Errors", "The folder “{folder}” could not be closed."),
                    folder=self.selected.name))
            imap.state = "AUTH"
        else:
            with self.command("EXAMINE"):
                typ, _data = imap._simple_command("EXAMINE", '"qtmail-nonexistent-4f1c"')
            if typ != "OK":
                imap.state = "AUTH"
        self.selected = self.permanent_flags = self._uidvalidity = None

    def status(self, folder: FolderInfo) -> MailboxStatus:
        """RFC 3501 6.3.10 STATUS, without selecting (HIGHESTMODSEQ per RFC 7162 3.1.6)."""
        imap = self._client._imap
        items = b"MESSAGES UIDNEXT UIDVALIDITY"
        if self.has("CONDSTORE"):
            items += b" HIGHESTMODSEQ"
        imap.untagged_responses.pop("STATUS", None)
        with self.command("STATUS"):
            typ, data = self._client._raw_command(
                b"STATUS", [self._mailbox(folder.wire), b"(" + items + b")"], uid=False)
            self.check(typ, data, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” could not be checked."), folder=folder.name))
            found = imap.untagged_responses.pop("STATUS", [])
        values: dict[bytes, Any] = {}
        for _name, found_values in _status_responses(found):
            values.update(found_values)
        values.setdefault(b"EXISTS", values.get(b"MESSAGES", 0))
        return mailbox_status(values, b"MESSAGES", folder.name)

    def list_status(self) -> dict[bytes, MailboxStatus]:
        """Every folder's STATUS in one command (RFC 5819 LIST-STATUS), by wire name;
        {} where the server does not offer it. A folder whose answer does not read is
        left out: its sync asks STATUS itself."""
        if not self.has("LIST-STATUS"):
            return {}
        imap = self._client._imap
        items = "MESSAGES UIDNEXT UIDVALIDITY" + (" HIGHESTMODSEQ" if self.has("CONDSTORE")
                                                 else "")
        for name in ("STATUS", "LIST"):
            imap.untagged_responses.pop(name, None)
        with self.command("LIST RETURN (STATUS)"):
            typ, data = imap._simple_command("LIST", '""', '"*"', "RETURN",
                                             f"(STATUS ({items}))")
            self.check(typ, data, QT_TRANSLATE_NOOP(
                "Errors", "The server did not list the folders."))
            found = imap.untagged_responses.pop("STATUS", [])
            imap.untagged_responses.pop("LIST", None)
        statuses: dict[bytes, MailboxStatus] = {}
        for wire, values in _status_responses(found):
            try:
                statuses[wire] = mailbox_status(values, b"MESSAGES", repr(wire))
            except ProtocolError:
                continue
        return statuses

    def quota(self) -> Quota | None:
        """RFC 9208 GETQUOTAROOT INBOX: the STORAGE resource, in bytes; None if unknown."""
        if not self.has("QUOTA"):
            return None
        with self.command("GETQUOTAROOT"):
            _roots, quotas = self._client.get_quota_root("INBOX")
        for quota in quotas:
            if str(quota.resource).upper() == "STORAGE":
                # RFC 9208 5.1: STORAGE is counted in units of 1024 octets.
                return Quota(used=int(quota.usage) * 1024, limit=int(quota.limit) * 1024)
        return None

    def noop(self) -> bool:
        """RFC 3501 6.1.2: keeps the connection alive and lets the server report news.

        Returns whether the server reported a change to the selected mailbox (EXISTS,
        EXPUNGE, FETCH or VANISHED) with it.
        """
        with self.command("NOOP"):
            _text, responses = self._client.noop()
        news = {b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED"}
        return any(isinstance(item, tuple) and news.intersection(item[:2])
                   for item in responses)

    # -- ending ----------------------------------------------------------------------
    def logout(self) -> None:
        """RFC 3501 6.1.3 LOGOUT; never raises, always closes the socket."""
        if self._closed:
            return
        imap = self._client._imap
        self.command_log.append("LOGOUT")
        try:
            imap.sock.settimeout(min(self._settings.timeout, _LOGOUT_TIMEOUT))
            imap.logout()
        except Exception:  # logging out of a broken connection is fine
            log.debug("logout failed; closing the socket", exc_info=True)
        self.close()

    def close(self) -> None:
        """Close the socket without a word to the server."""
        self._closed = True
        close_quietly(self._client._imap)

    # -- delegated to qtmail.imap.fastfetch --------------------------------------------
    def search_uids(self, criteria: str = "ALL") -> list[int]:
        return fastfetch.search_uids(self.imap, criteria, esearch=self.has("ESEARCH"))

    def search_query(self, keys: list[str | bytes]) -> list[int]:
        """UID SEARCH with keys from qtmail.search.to_imap_search, in the selected folder;
        sorted UIDs. Non-ASCII keys go as literals under CHARSET UTF-8 (RFC 3501 6.4.4);
        without LITERAL+/LITERAL- imapclient waits for each continuation (no ESEARCH)."""
        if imap_keys.needs_utf8(keys) and not (self.has("LITERAL+") or self.has("LITERAL-")):
            return sorted(int(uid) for uid in self._client.search(keys, charset="UTF-8"))
        return self.search_uids(imap_keys.search_command(keys))

    def fetch_summaries(self, uids: str) -> fastfetch.FetchResult:
        return fastfetch.fetch_summaries(self.imap, uids, condstore=self.has("CONDSTORE"))

    def fetch_newest(self, first: int, last: int,
                     build: fastfetch.RowBuilder = fastfetch.summary_fields
                     ) -> fastfetch.FetchResult:
        """``fetch_summaries`` of the selected folder's messages ``first`` to ``last``
        by sequence number (fastfetch.fetch_newest: right after SELECT only)."""
        return fastfetch.fetch_newest(self.imap, first, last, condstore=self.has("CONDSTORE"),
                                      build=build)

    def fetch_summaries_pipelined(self, uid_sets: Iterable[str], *,
                                  build: fastfetch.RowBuilder | None = None
                                  ) -> Generator[fastfetch.FetchResult, None, None]:
        """``fetch_summaries`` of each set, pipelined; close it when leaving early.
        ``build``: what the common layout is made into (``FetchResult.rows``)."""
        return fastfetch.fetch_summaries_pipelined(self.imap, uid_sets,
                                                   condstore=self.has("CONDSTORE"),
                                                   build=build)

    def fetch_flags(self, uids: str, *, changedsince: int | None = None,
                    vanished: bool = False) -> fastfetch.FlagsResult:
        return fastfetch.fetch_flags(self.imap, uids, changedsince=changedsince,
                                     vanished=vanished)

    def fetch_body(self, uid: int, *, max_size: int) -> bytes | None:
        return fastfetch.fetch_body(self.imap, uid, max_size=max_size)

    def fetch_previews(self, uids: Sequence[int]) -> dict[int, PreviewSource]:
        """What the preview lines of ``uids`` are made from (the gone ones are missing)."""
        return fetch_previews(self.imap, uids, from_server=self.makes_previews)

    def gmail_ids(self, folder: FolderInfo, uids: Sequence[int]) -> dict[int, int]:
        """UID -> X-GM-MSGID in ``folder`` (Gmail only: X-GM-EXT-1); {} elsewhere."""
        if not self.has(gmail.CAPABILITY) or not uids:
            return {}
        if self.selected is None or self.selected.wire != folder.wire:
            self.select(folder, readonly=True)
        with self.command("UID FETCH (X-GM-MSGID)"):
            return gmail.fetch_message_ids(self.imap, uids)

    def uidvalidity(self) -> int | None:
        """UIDVALIDITY of the selected folder, from its SELECT; for replay checks."""
        return self._uidvalidity


def _status_responses(found: list[Any]) -> list[tuple[bytes, dict[bytes, Any]]]:
    """(mailbox wire name, upper-case item -> value) of each ``* STATUS`` response; a
    malformed one is skipped, not fatal (RELIABILITY A.9)."""
    out: list[tuple[bytes, dict[bytes, Any]]] = []
    for group in group_responses(found):
        try:
            parsed = parse_response(group)
        except Exception:
            log.warning("unparsable STATUS response skipped")
            continue
        if len(parsed) < 2 or not isinstance(parsed[-1], tuple):
            continue
        name = parsed[0]
        wire = str(name).encode() if isinstance(name, int) else \
            name.encode("utf-8") if isinstance(name, str) else bytes(name)
        pairs = parsed[-1]
        out.append((wire, {bytes(k).upper(): v for k, v in zip(pairs[::2], pairs[1::2],
                                                                 strict=False)}))
    return out


def _list_entry(group: list[Any]) -> ListEntry | None:
    """One LIST/LSUB response; a malformed one is dropped, not the whole list (A.9)."""
    try:
        parsed = parse_response([g for g in group if g != b""])
        attributes, delimiter, name = parsed[:3]
        if isinstance(name, int):  # a numeric name like 2024 parses as a number
            name = str(name).encode()
        elif isinstance(name, str):
            name = name.encode("utf-8")
        if not isinstance(name, bytes) or not isinstance(attributes, tuple):
            raise ValueError("unexpected LIST shape")
        return ListEntry(tuple(bytes(a) for a in attributes),
                         delimiter if isinstance(delimiter, bytes) else None, name)
    except Exception:  # imapclient's parser raises assorted errors
        log.warning("unparsable LIST response skipped: %.200r", group)
        return None
