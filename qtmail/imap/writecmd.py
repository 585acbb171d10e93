"""Sending one write command through ``qtmail.imap.wire``, and explaining refusals.

``run`` sends a command whose arguments may include literals (RFC 3501 4.3; LITERAL+ /
LITERAL- per RFC 7888 when offered), waits for the tagged completion and collects the response
codes that carry results (COPYUID, APPENDUID: RFC 4315 3). ``refused`` turns a tagged
NO/BAD into a ``ServerError`` whose sentence a non-programmer understands and whose
``code`` is the RFC 5530 response code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.core.types import FolderInfo
from qtmail.imap import utf7, wire
from qtmail.imap.errors import response_code, said, server_text
from qtmail.imap.wire import Literal as Literal
from qtmail.imap.wire import LiteralMode, RawImap

log = logging.getLogger(__name__)

# Response codes whose data is a result of the command (RFC 4315 3).
_RESULT_CODES = ("COPYUID", "APPENDUID", "MODIFIED")


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


class Connection(Protocol):
    """What the write commands use of ``ImapSession`` (the seam: no import of it here)."""

    @property
    def imap(self) -> RawImap: ...
    @property
    def literals(self) -> LiteralMode: ...
    selected: FolderInfo | None
    permanent_flags: frozenset[str] | None

    def command(self, name: str) -> AbstractContextManager[None]: ...


def run(session: Connection, name: str, args: Sequence[bytes | Literal]) -> Reply:
    """Send ``args`` as one tagged command through ``qtmail.imap.wire``, logged as
    ``name``; the tagged completion with its result codes.

    A NO/BAD is returned, not raised (the caller knows what it means); a broken
    connection raises ConnectionLost through ``session.command``.
    """
    with session.command(name):
        done = wire.run(session.imap, args, session.literals)
    codes: dict[str, list[bytes]] = {}
    for parts in done.untagged:
        match = _UNTAGGED_CODE.match(parts[0])
        if match is None:
            continue  # EXPUNGE, VANISHED, FETCH a write provokes: nobody reads them later
        key, data = match.group(1).upper().decode("ascii"), match.group(2) or b""
        if key == "PERMANENTFLAGS":
            _note_permanent_flags(session, data)
        elif key in _RESULT_CODES:
            codes.setdefault(key, []).append(data)
    match = _CODE.match(done.text)
    if match is not None and match.group(1).upper().decode("ascii") in _RESULT_CODES:
        codes.setdefault(match.group(1).upper().decode("ascii"), []).append(match.group(2) or b"")
    return Reply(status=done.status, text=server_text(done.text), codes=codes)


# RFC 3501 7.1 resp-text-code, at the start of a tagged or untagged OK/NO/BAD text.
_CODE = re.compile(rb"\[([A-Za-z0-9-]+)(?: ([^\]\r\n]*))?\]")
_UNTAGGED_CODE = re.compile(rb"\* (?:OK|NO|BAD) \[([A-Za-z0-9-]+)(?: ([^\]\r\n]*))?\]",
                            re.IGNORECASE)


def _note_permanent_flags(session: Connection, value: bytes) -> None:
    """A new keyword may widen PERMANENTFLAGS mid-session (RFC 3501 7.1)."""
    if value and session.selected is not None:
        session.permanent_flags = parse_flag_list(value)


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
