"""Sending one write command on the session's imaplib connection, and explaining refusals.

``run`` sends a command whose arguments may include literals (RFC 3501 4.3; LITERAL+
per RFC 7888 when offered), waits for the tagged completion and collects the response
codes that carry results (COPYUID, APPENDUID: RFC 4315 3). ``refused`` turns a tagged
NO/BAD into a ``ServerError`` whose sentence a non-programmer understands and whose
``code`` is the RFC 5530 response code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.core.types import FolderInfo
from qtmail.imap import utf7
from qtmail.imap.errors import response_code, said, server_text

if TYPE_CHECKING:
    from qtmail.imap.session import ImapSession

log = logging.getLogger(__name__)

# Response codes whose data is a result of the command (RFC 4315 3), and untagged
# responses a write provokes that nobody reads later (kept out of imaplib's buffer).
_RESULT_CODES = ("COPYUID", "APPENDUID")
_SIDE_EFFECTS = ("EXPUNGE", "VANISHED", "FETCH")


class Literal(bytes):
    """An argument sent as a literal ``{n}`` (RFC 3501 4.3), e.g. a message for APPEND."""


@dataclass(frozen=True)
class Reply:
    """The tagged completion of one command."""

    status: str
    """OK, NO or BAD."""
    text: str
    """The completion's text, made safe to show (``errors.server_text``)."""
    codes: dict[str, list[bytes]] = field(default_factory=dict)
    """Data of result codes seen during the command, e.g. ``{"COPYUID": [b"7 1:2 5:6"]}``."""

    @property
    def ok(self) -> bool:
        return self.status == "OK"

    @property
    def code(self) -> str:
        return response_code(self.text)


def folder_wire(folder: FolderInfo | str) -> tuple[bytes, str]:
    """(name on the wire, name for sentences): a FolderInfo's own bytes, or a decoded
    name encoded as modified UTF-7 (RFC 3501 5.1.3; INBOX is case-insensitive, 5.1)."""
    if isinstance(folder, FolderInfo):
        return folder.wire, folder.name
    if folder.upper() == "INBOX":
        return b"INBOX", "INBOX"
    return utf7.encode(folder), folder


def astring(wire: bytes) -> bytes | Literal:
    """A mailbox argument: a quoted string, or a literal when 8-bit or with controls."""
    if any(b >= 0x80 or b < 0x20 or b == 0x7F for b in wire):
        return Literal(wire)
    return b'"' + wire.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def run(session: ImapSession, name: str, args: Sequence[bytes | Literal]) -> Reply:
    """Send ``args`` as one tagged command, logged as ``name``; the tagged completion.

    A NO/BAD is returned, not raised (the caller knows what it means); a broken
    connection raises ConnectionLost through ``session.command``.
    """
    raw: Any = session.imap
    untagged: dict[str, list[Any]] = raw.untagged_responses
    for key in _RESULT_CODES:
        untagged.pop(key, None)
    literal_plus = session.has("LITERAL+")
    with session.command(name):
        tag: bytes = raw._new_tag()
        line = tag
        early: tuple[str, list[Any]] | None = None
        for arg in args:
            if not isinstance(arg, Literal):
                line += b" " + arg
                continue
            if literal_plus:  # RFC 7888: no wait for a continuation
                raw.send(line + b" {%d+}\r\n" % len(arg) + arg)
            else:
                raw.send(line + b" {%d}\r\n" % len(arg))
                early = _await_continuation(raw, tag)
                if early is not None:
                    break  # refused before the literal (RFC 3501 7.5), e.g. TRYCREATE
                raw.send(bytes(arg))
            line = b""
        if early is None:
            raw.send(line + b"\r\n")
            early = raw._get_tagged_response(tag)
        status, data = early
    codes = {key: list(untagged.pop(key)) for key in _RESULT_CODES if key in untagged}
    for key in _SIDE_EFFECTS:
        untagged.pop(key, None)
    _note_permanent_flags(session, untagged.pop("PERMANENTFLAGS", None))
    return Reply(status=str(status).upper(), text=server_text(data), codes=codes)


def _await_continuation(raw: Any, tag: bytes) -> tuple[str, list[Any]] | None:
    """Wait for ``+``; the tagged completion instead when the server refuses early."""
    while raw._get_response() is not None:
        done = raw.tagged_commands.get(tag)
        if done:
            del raw.tagged_commands[tag]
            return done  # type: ignore[no-any-return]
    return None


def _note_permanent_flags(session: ImapSession, values: list[Any] | None) -> None:
    """A new keyword may widen PERMANENTFLAGS mid-session (RFC 3501 7.1)."""
    if values and session.selected is not None:
        last = values[-1]
        if isinstance(last, bytes):
            session.permanent_flags = parse_flag_list(last)


def parse_flag_list(raw: bytes | tuple[bytes, ...]) -> frozenset[str]:
    """``(\\Seen $Work \\*)`` (or imapclient's split tuple) as lower-cased names."""
    words = raw if isinstance(raw, tuple) else tuple(raw.split())
    return frozenset(w.decode("utf-8", "replace").strip("()").lower() for w in words
                     if w.strip(b"()"))


# --- refusals -------------------------------------------------------------------------------

_QUOTA = QT_TRANSLATE_NOOP("Errors", "The server refused: not enough storage space (over quota).")
_LATER = QT_TRANSLATE_NOOP(
    "Errors", "The server cannot do this right now; it will be tried again later.")


def refused(reply: Reply, message: str, *, folder: str, target: str = "",
            changing: bool = False, creating: bool = False) -> ServerError:
    """The ServerError for a NO/BAD: a sentence chosen by response code (RFC 5530)."""
    code = reply.code
    sentence = message
    if code in ("TRYCREATE", "NONEXISTENT") and not creating:
        # RFC 3501 6.3.11 / 6.4.7: TRYCREATE means the destination does not exist.
        sentence = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The folder “{folder}” no longer exists on the server."), folder=folder)
    elif code == "ALREADYEXISTS":
        sentence = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "A folder named “{folder}” already exists on the server."),
            folder=target or folder)
    elif code == "OVERQUOTA":
        sentence = _QUOTA
    elif code in ("NOPERM", "AUTHORIZATIONFAILED"):
        sentence = (Sentence(QT_TRANSLATE_NOOP(
            "Errors", "You do not have permission to change “{folder}”."),
            folder=folder) if changing or
                    creating else Sentence(QT_TRANSLATE_NOOP(
                        "Errors", "You do not have permission to use “{folder}”."), folder=folder))
    elif code == "LIMIT":
        sentence = QT_TRANSLATE_NOOP(
            "Errors", "The server refused: too many messages or too much data at once.")
    elif code in ("UNAVAILABLE", "SERVERBUG", "INUSE"):
        sentence = _LATER
    elif code == "CANNOT":
        sentence = message + " The server does not allow this." + said(reply.text)
    elif code == "EXPUNGEISSUED":
        sentence = QT_TRANSLATE_NOOP(
            "Errors", "Some of these messages were deleted meanwhile, on another device.")
    if sentence == message:  # no code we can explain: quote the server
        sentence += said(reply.text)
    log.info("%s refused (%s): %s", folder, code or reply.status, reply.text)
    return ServerError(sentence, server_text=reply.text, code=code)
