"""The preview line of a message (issue 14): its first words, as the list's second line.

Made from the server's RFC 8970 PREVIEW, from the start of the body (headers plus the
first bytes: a partial fetch), or from a cached whole message. Always one line of at
most MAX_CHARS characters without quoted lines, markup, or invisible characters:
newsletters pad their "preheader" with zero-width joiners to push the rest out of a
preview pane, and a bidi override would turn the row's text around.
"""

from __future__ import annotations

import re

from qtmail.mime.html import strip_tags

MAX_CHARS = 200
"""Longer than any list is wide; RFC 8970 3.1 caps a server's preview at 256."""

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_QUOTED = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_ATTRIBUTION = re.compile(r"^.{0,200}\bwrote:[ \t]*$", re.MULTILINE)


def clean(text: str) -> str:
    """One line: quoted lines and invisible characters out, white space collapsed."""
    text = _ATTRIBUTION.sub(" ", _QUOTED.sub(" ", text))
    text = _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rstrip() + "…"
    return text


def from_server(text: bytes) -> str:
    """RFC 8970 PREVIEW: UTF-8 text (section 3.1), already without markup."""
    return clean(text.decode("utf-8", errors="replace"))


def from_message(raw: bytes) -> str:
    """From a whole message, or one cut short (a partial fetch): the plain text part,
    else the HTML one's text. Never raises (parse_message does not)."""
    # The MIME parser (email.policy) loads with the first preview made, after the first
    # rows: the worker imports this module on its way to them (issue 18).
    from qtmail.mime.parse import parse_message

    parsed = parse_message(raw)
    if parsed.text_body and parsed.text_body.strip():
        return clean(parsed.text_body)
    if parsed.html_body:
        return clean(strip_tags(parsed.html_body))
    return ""


def from_start(header: bytes, text_start: bytes) -> str:
    """From the MIME headers and the first bytes of the body (BODY[TEXT]<0.n>)."""
    head = header.rstrip(b"\r\n")
    return from_message(head + b"\r\n\r\n" + text_start if head else text_start)
