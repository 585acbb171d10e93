"""Small readers of imaplib's raw results, shared by the session and the IDLE watcher."""

from __future__ import annotations

import imaplib
import logging
import select
from contextlib import suppress
from io import BufferedReader
from typing import Any

from qtmail.core.errors import QT_TRANSLATE_NOOP, ProtocolError, Sentence
from qtmail.core.types import MailboxStatus
from qtmail.imap.uidset import parse_uid_set

log = logging.getLogger(__name__)


def close_quietly(imap: imaplib.IMAP4) -> None:
    for close in (getattr(imap, "file", None), getattr(imap, "sock", None)):
        if close is not None:
            with suppress(Exception):
                close.close()


def readable(sock: Any, timeout: float) -> bool:
    ready, _, _ = select.select([sock], [], [], max(timeout, 0.0))
    return bool(ready)


def buffered_now(file: BufferedReader, sock: Any) -> bytes:
    """What ``file`` (imaplib's, over ``sock``) holds unread or can fill from what has
    arrived, without waiting for more (b"" for nothing): ``sock`` non-blocking meanwhile.
    An untagged response may come at any time (RFC 3501 7)."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return file.peek(1)
    except (OSError, ValueError):  # nothing there (SSLWantReadError, EAGAIN)
        return b""
    finally:
        sock.settimeout(timeout)


def group_responses(data: list[Any]) -> list[list[Any]]:
    """Split imaplib's untagged data into one list per response.

    A response with literals arrives as (text, literal) tuples followed by the rest of
    its line as bytes; a response without one is a single bytes item.
    """
    groups: list[list[Any]] = []
    current: list[Any] = []
    for item in data:
        if item is None:
            continue
        current.append(item)
        if not isinstance(item, tuple):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def vanished_uids(raw: list[Any]) -> list[int]:
    uids: list[int] = []
    for item in raw:
        text = item if isinstance(item, bytes) else b""
        text = text.upper().replace(b"(EARLIER)", b"").strip()
        try:
            uids.extend(parse_uid_set(text))
        except ValueError:
            log.warning("unparsable VANISHED response skipped")
    return uids


def mailbox_status(values: dict[bytes, Any], exists_key: bytes, name: str) -> MailboxStatus:
    try:
        return MailboxStatus(
            uidvalidity=int(values[b"UIDVALIDITY"]),
            uidnext=int(values.get(b"UIDNEXT", 0)),
            exists=int(values.get(exists_key, 0)),
            highestmodseq=(int(values[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in values
                           else None))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server sent no usable state for the folder “{name}”."), name=name),
                            detail=repr(exc)) from exc
