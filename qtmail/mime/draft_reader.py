"""A message from the Drafts folder back into a Draft, so the composer can continue it.

The inverse of what ``qtmail.sync.drafts`` saves: recipients (Bcc too, which only the
sender's own copy carries), subject, the plain text with format=flowed undone
(RFC 3676 4.1-4.4), the HTML alternative, attachments, and the threading headers.
"""

from __future__ import annotations

import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from typing import TYPE_CHECKING

from qtmail.core.outgoing import Attachment, Draft
from qtmail.core.types import Address
from qtmail.mime.headers import parse_addresses

if TYPE_CHECKING:  # the parser loads with the first message read (issue 18)
    from qtmail.mime.parse import ParsedMessage

DRAFT_ID_HEADER = "X-Qtmail-Draft-Id"
"""Names every saved version of one draft, so older copies can be found (sync.drafts)."""
_DRAFT_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


def is_draft_id(text: str) -> bool:
    """Safe as a header value and inside an IMAP quoted string (RFC 3501 4.3)."""
    return bool(_DRAFT_ID.fullmatch(text))


def _headers(raw: bytes) -> Message:
    return BytesHeaderParser(policy=policy.compat32).parsebytes(raw)


def draft_id_of(raw: bytes) -> str:
    """The draft id qtmail gave this copy, or "" (a draft written by another program)."""
    value = str(_headers(raw).get(DRAFT_ID_HEADER, "")).strip()
    return value if is_draft_id(value) else ""


def unflow(text: str, *, delsp: bool = False) -> str:
    """RFC 3676 4.2: a line ending in a space continues on the next (of the same quote
    depth); space-stuffing (4.4) is removed; "-- " stays a signature separator."""
    out: list[str] = []
    pending: tuple[int, str] | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]
        soft = content.endswith(" ") and content != "-- "
        if soft and delsp:
            content = content[:-1]
        if pending is not None and pending[0] == depth:
            pending = (depth, pending[1] + content)
        else:
            if pending is not None:
                out.append(_quoted(*pending))
            pending = (depth, content)
        if not soft:
            out.append(_quoted(*pending))
            pending = None
    if pending is not None:
        out.append(_quoted(*pending))
    return "\n".join(out)


def _quoted(depth: int, text: str) -> str:
    if not depth:
        return text
    return ">" * depth + (" " + text if text else "")


def _plain_part(raw: bytes) -> Message | None:
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part
    return None


def _bcc(raw: bytes) -> tuple[Address, ...]:
    values = _headers(raw).get_all("Bcc", [])
    # Our strict parser, not the stdlib's lenient one: the same Bcc on every Python.
    return tuple(a for v in values for a in parse_addresses(str(v)) if a.addr)


def draft_from_parsed(parsed: ParsedMessage, raw: bytes | None = None) -> Draft:
    """What the composer needs to continue the draft ``parsed`` (``raw``: its bytes,
    for Bcc and format=flowed, which ParsedMessage does not keep)."""
    body = (parsed.text_body or "").replace("\r\n", "\n")
    bcc: tuple[Address, ...] = ()
    if raw is not None:
        bcc = _bcc(raw)
        plain = _plain_part(raw)
        if plain is not None and str(plain.get_param("format", "")).lower() == "flowed":
            delsp = str(plain.get_param("delsp", "")).lower() == "yes"
            body = unflow(body, delsp=delsp)
    attachments = tuple(
        Attachment(info.filename, info.content_type, data)
        for info in parsed.attachments
        if not info.inline and (data := parsed.attachment_bytes(info.part_id)) is not None)
    return Draft(from_address=parsed.sender, to=parsed.to, cc=parsed.cc, bcc=bcc,
                 subject=parsed.subject, body_text=body.rstrip("\n"),
                 body_html=parsed.html_body, attachments=attachments,
                 in_reply_to=parsed.in_reply_to, references=parsed.references)
