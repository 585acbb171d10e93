"""Raw message bytes -> ParsedMessage: headers, chosen bodies, attachments. Never raises.

The standard library's email package raises on a fair share of real mail (see the
corpus README's "py3.11 stdlib" column), so every call into it is guarded and body
bytes are decoded here with our own charset fallbacks rather than get_content().
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from types import MappingProxyType
from typing import TypeVar, cast

from qtmail.core.types import Address
from qtmail.mime.filenames import safe_filename
from qtmail.mime.headers import (
    clean_text,
    decode_bytes,
    decode_header,
    has_encoded_controls,
    parse_addresses,
    parse_date,
    parse_message_ids,
)

log = logging.getLogger(__name__)

MAX_PARTS = 2000
"""Parts beyond this are not listed: a message of 100k empty parts is a DoS, not mail."""
MAX_NESTING = 20
"""Deeper multipart/message nesting is offered as one opaque attachment (E.47)."""

_T = TypeVar("_T")
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global", "message/news"})
_UNIQUE_HEADERS = ("From", "Date", "Subject", "Message-ID")
_ADDRESS = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+\.[^\s<>\"'(),;:@]+")


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    part_id: str
    """IMAP body section number (RFC 3501 6.4.5), e.g. "2" or "1.3"."""
    filename: str
    """Sanitised: the name shown is the name saved (RELIABILITY F.52)."""
    content_type: str
    size: int
    """Decoded size in bytes."""
    content_id: str = ""
    """Without angle brackets; what ``cid:`` URLs refer to (RFC 2392)."""
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    subject: str
    sender: Address
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    date: int | None = None
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    """Sentences for the user about what looks wrong or suspicious."""
    text_body: str | None = None
    html_body: str | None = None
    """Untrusted: pass through qtmail.mime.html.sanitize_html before display."""
    attachments: tuple[AttachmentInfo, ...] = ()
    list_unsubscribe: str = ""
    """RFC 2369 List-Unsubscribe as sent (qtmail.mime.unsubscribe reads it)."""
    list_unsubscribe_post: str = ""
    """RFC 8058 List-Unsubscribe-Post."""
    authentication_results: str = ""
    """The topmost Authentication-Results (RFC 8601): added last, by the receiving
    server; lower ones may come from the sender."""
    payloads: Mapping[str, bytes] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    """Decoded bytes of every attachment, by part_id."""

    def attachment_bytes(self, part_id: str) -> bytes | None:
        return self.payloads.get(part_id)

    def listed_attachments(self) -> tuple[AttachmentInfo, ...]:
        """The attachments to list: not an inline image the HTML body shows itself
        through ``cid:`` (it is part of the text, as in every mail client)."""
        html = (self.html_body or "").lower()
        return tuple(a for a in self.attachments
                     if not (a.inline and a.content_id
                             and a.content_type.lower().startswith("image/")
                             and f"cid:{a.content_id.lower()}" in html))

    def cid_map(self) -> dict[str, bytes]:
        """Content-ID -> bytes: the only resources the HTML view may load (C.24)."""
        return {
            a.content_id: self.payloads[a.part_id]
            for a in self.attachments
            if a.content_id and a.part_id in self.payloads
        }


def _guard(call: Callable[[], _T], default: _T) -> _T:
    try:
        return call()
    except Exception:  # KeyError, LookupError, AssertionError, IndexError... (E.44)
        log.debug("email package call failed", exc_info=True)
        return default


class _Builder:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.text: str | None = None
        self.html: str | None = None
        self.attachments: list[AttachmentInfo] = []
        self.payloads: dict[str, bytes] = {}
        self.parts_seen = 0

    def walk(self, part: Message, part_id: str, depth: int) -> None:
        self.parts_seen += 1
        if self.parts_seen > MAX_PARTS:
            if self.parts_seen == MAX_PARTS + 1:
                self.warnings.append("This message has too many parts; not all are listed.")
            return
        ctype = _guard(part.get_content_type, "application/octet-stream").lower()
        if _guard(part.is_multipart, False) and ctype.startswith("multipart/"):
            payload: object = _raw_payload(part)
            children = payload if isinstance(payload, list) else []
            if depth >= MAX_NESTING:
                self._add_opaque(part, part_id, ctype)
                return
            prefix = f"{part_id}." if part_id else ""
            for index, child in enumerate(children, start=1):
                if isinstance(child, Message):
                    self.walk(child, f"{prefix}{index}", depth + 1)
            return
        if ctype.startswith("multipart/"):
            # Declared multipart but the parser found no parts: usually a missing or
            # wrong boundary parameter (RFC 2046 5.1.1 requires it).
            recovered = _recover_multipart(part, ctype)
            if recovered is not None and depth < MAX_NESTING:
                self.walk(recovered, part_id, depth + 1)
                return
            ctype = "text/plain"
        leaf_id = part_id or "1"  # RFC 3501: a single-part message's body is part 1.
        if ctype in _MESSAGE_TYPES or _guard(part.is_multipart, False):
            # Forwarded/bounced messages are offered as .eml attachments, not merged into
            # this message's body (each part is its own document, C.28).
            self._add_opaque(part, leaf_id, ctype)
            return
        disposition = (_guard(part.get_content_disposition, None) or "").lower()
        filename = self._filename(part)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and (
            not filename or disposition == "inline"
        ):
            text = decode_bytes(_payload_bytes(part), _charset(part))
            if ctype == "text/plain" and self.text is None:
                self.text = text
                return
            if ctype == "text/html" and self.html is None:
                self.html = text
                return
        self._add_leaf(part, leaf_id, ctype, disposition, filename)

    def _filename(self, part: Message) -> str:
        name: object = _guard(lambda: part.get_filename(), None)
        if not name:
            name = _guard(lambda: part.get_param("name"), None)
        if not name:
            location = _guard(lambda: str(part.get("Content-Location", "") or ""), "")
            name = location.rsplit("/", 1)[-1] if location else None
        if isinstance(name, tuple):  # compat32-style RFC 2231 triple
            triple = cast(tuple[str | None, str | None, str], name)
            name = _guard(lambda: email.utils.collapse_rfc2231_value(triple), "")
        # RFC 2047 words inside a quoted parameter are forbidden (RFC 2047 5) but common.
        return decode_header(str(name)) if name else ""

    def _add_leaf(
        self, part: Message, part_id: str, ctype: str, disposition: str, filename: str
    ) -> None:
        data = _payload_bytes(part)
        content_id = _guard(lambda: str(part.get("Content-ID", "") or ""), "")
        content_id = clean_text(content_id).strip("<> ")
        extension = _guard(lambda: mimetypes.guess_extension(ctype, strict=False), None)
        fallback = f"part-{part_id}{extension or '.bin'}"
        self.attachments.append(AttachmentInfo(
            part_id=part_id,
            filename=safe_filename(filename, fallback),
            content_type=ctype,
            size=len(data),
            content_id=content_id,
            inline=disposition == "inline" or (not disposition and bool(content_id)),
        ))
        self.payloads[part_id] = data

    def _add_opaque(self, part: Message, part_id: str, ctype: str) -> None:
        data = _serialised(part, ctype)
        subject = ""
        if ctype in _MESSAGE_TYPES:
            match = re.search(rb"^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)", data, re.MULTILINE)
            subject = decode_header(match.group(1))[:100].strip() if match else ""
            extension, stem = ".eml", subject or f"message-{part_id}"
        elif ctype.startswith("message/"):
            # delivery-status, disposition-notification, feedback-report: text reports.
            extension, stem = ".txt", ctype.split("/", 1)[1]
        else:
            extension, stem = ".mime", f"part-{part_id}"
        name = safe_filename(f"{stem}{extension}", f"part-{part_id}{extension}")
        self.attachments.append(AttachmentInfo(part_id, name, ctype, len(data)))
        self.payloads[part_id] = data


_DELIMITER = re.compile(rb"^--([^\s]{1,70})[ \t]*\r?$", re.MULTILINE)


def _recover_multipart(part: Message, ctype: str) -> Message | None:
    """Re-parse a boundary-less multipart with the first "--token" line as boundary."""
    body = _payload_bytes(part)
    match = _DELIMITER.search(body)
    if not match:
        return None
    boundary = match.group(1).decode("ascii", errors="replace").removesuffix("--")
    if '"' in boundary or "\\" in boundary:
        return None
    head = f'Content-Type: {ctype}; boundary="{boundary}"\r\n\r\n'.encode()
    recovered = _guard(
        lambda: BytesParser(policy=email.policy.default).parsebytes(head + body), None
    )
    if recovered is None or not _guard(recovered.is_multipart, False):
        return None
    return recovered


def _raw_payload(part: Message) -> object:
    try:
        return part.get_payload()
    except Exception:
        log.debug("get_payload failed", exc_info=True)
        return None


def _charset(part: Message) -> str | None:
    charset = _guard(part.get_content_charset, None)
    return charset if isinstance(charset, str) else None


def _payload_bytes(part: Message) -> bytes:
    """Transfer-decoded bytes; the raw payload when the declared encoding is broken."""
    data = _guard(lambda: part.get_payload(decode=True), None)
    if isinstance(data, bytes):
        return data
    raw: object = _raw_payload(part)
    if isinstance(raw, str):
        return raw.encode("utf-8", errors="surrogateescape")
    return b""


def _serialised(part: Message, ctype: str) -> bytes:
    if ctype.startswith("message/"):
        inner: object = _raw_payload(part)
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            first = inner[0]
            data = _guard(lambda: first.as_bytes(policy=email.policy.compat32), b"")
            if data:
                return data
    data = _guard(lambda: part.as_bytes(policy=email.policy.compat32), b"")
    return data or _payload_bytes(part)


def _first_headers(msg: Message, warnings: list[str]) -> dict[str, str]:
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    items: list[tuple[str, str]] = _guard(lambda: list(msg.raw_items()), [])
    for name, value in items:
        key = str(name).strip().lower()
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, str(value))
    for name in _UNIQUE_HEADERS:
        if counts.get(name.lower(), 0) > 1:
            # RFC 5322 3.6 allows each of these once; a second one is a spoofing tool
            # (RELIABILITY D.40), so show the first and say so.
            warnings.append(
                f"Conflicting headers: this message has {counts[name.lower()]} {name} "
                "headers; the first one is shown."
            )
    return first


def _check_sender(raw_from: str, sender: Address, warnings: list[str]) -> Address:
    if not raw_from:
        return sender
    addr = sender.addr
    bad_addr = "=?" in addr or addr.count("@") != 1 or bool(re.search(r"[\s<>\"\\]", addr))
    if has_encoded_controls(raw_from) or (bad_addr and "@" in raw_from):
        # Mailsploit (D.34): never show an address assembled from encoded words; show
        # the header exactly as received instead.
        warnings.append(
            "Invalid sender: the From header is malformed or disguised; it is shown as "
            "received, and the sender may not be who it claims."
        )
        return Address("", clean_text(raw_from))
    named = {a.lower() for a in _ADDRESS.findall(sender.name)}
    if named and named != {addr.lower()}:
        warnings.append(
            f"The sender's name contains the address {sorted(named)[0]}, but the message "
            f"was sent from {addr}."
        )
    return sender


def _check_other_senders(headers: Mapping[str, str], reply_to: tuple[Address, ...],
                         warnings: list[str]) -> tuple[Address, ...]:
    """Sender and Reply-To get the From header's scrutiny (RELIABILITY D.34).

    A Reply-To whose address is malformed or built from encoded words is dropped, so
    a reply never goes to an address the user was not shown.
    """
    for name in ("Sender", "Reply-To"):
        raw = headers.get(name.lower(), "")
        if not raw:
            continue
        parsed = reply_to if name == "Reply-To" else parse_addresses(raw)
        bad = [a for a in parsed if not a.addr or "=?" in a.addr]
        if has_encoded_controls(raw) or (bad and "@" in raw):
            warnings.append(
                f"Invalid {name} header: it is malformed or disguised; replies do not use "
                "it, and the sender may not be who it claims."
            )
            if name == "Reply-To":
                reply_to = tuple(a for a in parsed if a not in bad)
    return reply_to


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse a message from its raw RFC 5322 bytes. Never raises."""
    try:
        return _parse(bytes(raw))
    except Exception:  # Catastrophic: still show the user something.
        log.warning("message parsing failed", exc_info=True)
        return ParsedMessage(
            subject="",
            sender=Address("", ""),
            warnings=("This message could not be read properly; it is shown as raw text.",),
            text_body=decode_bytes(bytes(raw) if isinstance(raw, bytes | bytearray) else b""),
        )


def _parse(raw: bytes) -> ParsedMessage:
    msg = BytesParser(policy=email.policy.default).parsebytes(raw)
    builder = _Builder()
    headers = _first_headers(msg, builder.warnings)
    raw_from = headers.get("from", "") or headers.get("sender", "")
    senders = parse_addresses(raw_from)
    sender = _check_sender(raw_from, senders[0] if senders else Address("", ""),
                           builder.warnings)
    reply_to = _check_other_senders(
        headers, parse_addresses(headers.get("reply-to", "")), builder.warnings)
    builder.walk(msg, "", 0)
    in_reply_to = parse_message_ids(headers.get("in-reply-to", ""))
    message_ids = parse_message_ids(headers.get("message-id", ""))
    return ParsedMessage(
        subject=decode_header(headers.get("subject", "")),
        sender=sender,
        to=parse_addresses(headers.get("to", "")),
        cc=parse_addresses(headers.get("cc", "")),
        reply_to=reply_to,
        date=parse_date(headers.get("date", "")),
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=parse_message_ids(headers.get("references", "")),
        warnings=tuple(builder.warnings),
        text_body=builder.text,
        html_body=builder.html,
        attachments=tuple(builder.attachments),
        payloads=MappingProxyType(builder.payloads),
        list_unsubscribe=headers.get("list-unsubscribe", "")[:4096],
        list_unsubscribe_post=headers.get("list-unsubscribe-post", "")[:200],
        authentication_results=headers.get("authentication-results", "")[:4096],
    )
