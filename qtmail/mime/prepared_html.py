"""An HTML body made ready to show, in the account worker (issue 4).

Sanitising is pure Python (~0.15 s per MB) and so is the complexity check; done in
the GUI thread, a 2 MB newsletter froze the window. The worker answers OpenMessage
with both variants the message view may need: remote content blocked, and remote
images allowed (after "Load remote content", or for an allowed sender), so a click on
that button costs the GUI thread nothing but the rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qtmail.mime.html import SafeHtml, sanitize_html, strip_tags

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import ParsedMessage

MAX_SANITISE_CHARS = 2_000_000
"""Larger HTML bodies are not sanitised: nothing of them would be rendered as HTML
anyway (C.30), so they go straight to linear tag stripping."""

MAX_HTML_CHARS = 400_000
"""Above this QTextDocument needs seconds to parse and lay out (~2 s per MB measured)."""
MAX_ELEMENT_DEPTH = 400
"""Element nesting costs Qt quadratic time (5,000 nested divs: 1.1 s)."""
MAX_TABLE_DEPTH = 10
"""Nested tables cost Qt's layout exponential time (depth 12: 1.2 s, depth 20: 39 s)."""

_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "bgsound",
})
# In sanitised HTML every "<" starts a tag: text, attribute values and CSS are escaped.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_STACK_SEARCH = 64
"""How far down the open-element stack a closing tag may match (unclosed <p>, <font>)."""


def html_too_complex(html: str) -> bool:
    """Whether rendering ``html`` would stall the GUI thread (C.30); linear time."""
    if len(html) > MAX_HTML_CHARS:
        return True
    stack: list[str] = []
    tables = 0
    for match in _TAG.finditer(html):
        closing, name, self_closed = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closed:
            continue
        if not closing:
            stack.append(name)
            if name == "table":
                tables += 1
                if tables > MAX_TABLE_DEPTH:
                    return True
            if len(stack) > MAX_ELEMENT_DEPTH:
                return True
            continue
        lowest = max(0, len(stack) - _STACK_SEARCH)
        for index in range(len(stack) - 1, lowest - 1, -1):
            if stack[index] == name:
                tables -= sum(1 for tag in stack[index:] if tag == "table")
                del stack[index:]
                break
    return False



@dataclass(frozen=True, slots=True)
class SafeBody:
    """One way to show an HTML body: inert HTML, or text when HTML cannot be shown."""

    html: SafeHtml | None
    """None: the body is shown as ``text`` (too long or too complex, C.30)."""
    text: str = ""
    blocked_remote: int = 0


@dataclass(frozen=True, slots=True)
class PreparedHtml:
    """Both variants of one message's HTML body."""

    source: str
    """The ``html_body`` these were made from (the view checks it is the one shown)."""
    blocked: SafeBody
    allowed: SafeBody

    def variant(self, remote: bool) -> SafeBody:
        return self.allowed if remote else self.blocked


def prepare_body(body: str, text_body: str | None, *, remote: bool) -> SafeBody:
    """What the message view shows for the HTML ``body`` (``text_body``: the message's
    plain-text alternative, preferred to stripped tags when HTML cannot be shown)."""
    alternative = text_body if text_body and text_body.strip() else None
    if len(body) > MAX_SANITISE_CHARS:
        return SafeBody(None, alternative or strip_tags(body))
    safe = sanitize_html(body, allow_remote_images=remote)
    if html_too_complex(safe.html):
        # C.30: Qt's layout is quadratic in nesting and exponential in nested tables.
        return SafeBody(None, alternative or strip_tags(safe.html), safe.blocked_remote)
    return SafeBody(safe, "", safe.blocked_remote)


def prepare_html(parsed: ParsedMessage) -> PreparedHtml | None:
    """Both variants, or None when the message has no HTML body to show."""
    body = parsed.html_body
    if not body or not body.strip():
        return None
    blocked = prepare_body(body, parsed.text_body, remote=False)
    if (blocked.html is None and len(body) > MAX_SANITISE_CHARS) or blocked.blocked_remote == 0:
        # Nothing remote in it (or shown as text either way): the same both ways.
        return PreparedHtml(body, blocked, blocked)
    return PreparedHtml(body, blocked, prepare_body(body, parsed.text_body, remote=True))
