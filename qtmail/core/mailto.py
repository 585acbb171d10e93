"""``mailto:`` links (RFC 6068), as the desktop hands them to `qtmail %u`.

Percent-encoded octets are UTF-8 (RFC 6068 2); "+" is a plus, not a space. Only the
fields a person would see are taken (to, cc, bcc, subject, body, in-reply-to); others
are ignored, including the non-standard "attach", which would let a web page attach
any local file. A line break anywhere but in the body is a header-injection attempt
(RFC 6068 5): the link is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

SCHEME = "mailto:"
MAX_LENGTH = 64 * 1024
"""Longer links are refused: nothing legitimate needs more (a body of a few pages)."""

_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MSG_ID = re.compile(r"<?([^\s<>\x00-\x1f\x7f]+@[^\s<>\x00-\x1f\x7f]+)>?")


class MailtoError(ValueError):
    """The link is not a mailto: link, or is not safe to open; ``str()`` says why."""


@dataclass(frozen=True, slots=True)
class MailtoLink:
    to: tuple[str, ...] = ()
    """Each as written: an address, or a comma-separated list, for the To field."""
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    """Line ends are "\\n"."""
    in_reply_to: str = ""
    """A message id without angle brackets, or ""."""


def is_mailto(text: str) -> bool:
    return text[: len(SCHEME)].lower() == SCHEME


def _decode(text: str, what: str) -> str:
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError as error:
        raise MailtoError(f"The mailto: link's {what} is not valid UTF-8.") from error


def _header_value(text: str, what: str) -> str:
    value = _decode(text, what)
    if _LINE_BREAK.search(value) or _CONTROLS.search(value):
        raise MailtoError(f"The mailto: link's {what} contains a line break or a control "
                          "character: it may try to add hidden header lines.")
    return value.strip()


def parse_mailto(url: str) -> MailtoLink:
    """``url`` as a MailtoLink; MailtoError when it is not one or is unsafe."""
    if not is_mailto(url):
        raise MailtoError("This is not a mailto: link.")
    if len(url) > MAX_LENGTH:
        raise MailtoError("The mailto: link is too long.")
    rest = url[len(SCHEME):]
    rest, _hash, _fragment = rest.partition("#")
    path, _question, query = rest.partition("?")
    to: list[str] = []
    cc: list[str] = []
    bcc: list[str] = []
    fields: dict[str, str] = {}
    if path:
        value = _header_value(path, "address")
        if value:
            to.append(value)
    for pair in query.split("&") if query else ():
        name_text, _equals, value_text = pair.partition("=")
        name = _decode(name_text, "field name").strip().lower()
        if name == "body":
            body = _decode(value_text, "body")
            if _CONTROLS.search(body.replace("\t", "")):
                raise MailtoError("The mailto: link's body contains control characters.")
            fields["body"] = body.replace("\r\n", "\n").replace("\r", "\n")
        elif name in ("to", "cc", "bcc"):
            value = _header_value(value_text, name)
            if value:
                {"to": to, "cc": cc, "bcc": bcc}[name].append(value)
        elif name in ("subject", "in-reply-to"):
            fields[name] = _header_value(value_text, name)
        # Anything else (attach, from, x-...) is ignored on purpose.
    reply = _MSG_ID.fullmatch(fields.get("in-reply-to", ""))
    return MailtoLink(to=tuple(to), cc=tuple(cc), bcc=tuple(bcc),
                      subject=fields.get("subject", ""), body=fields.get("body", ""),
                      in_reply_to=reply.group(1) if reply else "")
