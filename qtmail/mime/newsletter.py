"""Newsletters prepared for QTextBrowser (issue 14), decided per element while the
sanitiser (qtmail.mime.html) walks the HTML in the account's worker.

QTextBrowser knows a small CSS subset: it ignores ``display:none``, ``max-height``,
``overflow`` and ``opacity``, so what a newsletter hides (the "preheader" written for the
inbox's preview line, mobile-only copies of a layout) would show as stray text at the
top and duplicated blocks; it cannot draw a border or padding on a link, so a "button"
made of a styled ``<a>`` reads as plain text; and a 1x1 image is a tracking pixel, never
something to see. Pure functions, Qt-free.
"""

from __future__ import annotations

import re

_DECLARATION = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]*)")
_NUMBER = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px|pt|em|rem|%)?\s*(?:!important)?\s*$",
                     re.IGNORECASE)

UNCLOSED_TAGS = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "thead",
                           "tbody", "tfoot", "colgroup", "caption", "body", "html"})
"""Elements whose end tag HTML lets a writer leave out: skipping one that is hidden
until its end tag could swallow the rest of the message, so these stay (their text
shows, as before)."""


def declarations(style: str) -> dict[str, str]:
    """``a: b; c: d`` -> {"a": "b", "c": "d"}, names lower-case, values stripped."""
    return {name.lower(): value.strip().lower() for name, value in _DECLARATION.findall(style)}


def _size(value: str | None) -> float | None:
    """A CSS length in px-ish units (em and rem as 16 px), None when not a plain number."""
    if value is None:
        return None
    match = _NUMBER.match(value)
    if match is None:
        return None
    number = float(match.group(1))
    unit = (match.group(2) or "px").lower()
    return number * 16 if unit in ("em", "rem") else number


def is_hidden(attributes: dict[str, str]) -> bool:
    """Whether a browser would not show the element: the HTML ``hidden`` attribute,
    ``display:none``, ``visibility:hidden``, ``opacity:0``, a zero or 1 px font size,
    or a zero ``max-height``/``height`` with ``overflow:hidden``.

    ``mso-hide:all`` alone is not hiding: it hides from Outlook only, and marks the
    copy meant for every other client (this one).
    """
    if "hidden" in attributes:
        return True
    css = declarations(attributes.get("style", ""))
    if css.get("display", "").startswith("none") or \
            css.get("visibility", "").startswith(("hidden", "collapse")):
        return True
    opacity = _size(css.get("opacity"))
    if opacity is not None and opacity == 0:
        return True
    font = _size(css.get("font-size"))
    if font is not None and font <= 1 and not css.get("font-size", "").endswith("%"):
        return True
    if css.get("overflow", "").startswith("hidden"):
        for name in ("max-height", "height", "max-width", "width"):
            size = _size(css.get(name))
            if size is not None and size == 0:
                return True
    return False


def is_tracking_pixel(attributes: dict[str, str]) -> bool:
    """An image of at most 1x1 px (by attributes or style): a read receipt nobody asked
    for. Dropped whatever the remote-content choice."""
    css = declarations(attributes.get("style", ""))
    width = _size(attributes.get("width")) if "width" in attributes else _size(css.get("width"))
    height = _size(attributes.get("height")) if "height" in attributes \
        else _size(css.get("height"))
    return width is not None and height is not None and width <= 1 and height <= 1


def is_button(attributes: dict[str, str]) -> bool:
    """A link styled as a button: a background, padding, rounded corners or a border,
    which QTextBrowser cannot draw on an inline link."""
    css = declarations(attributes.get("style", ""))
    return any(name in css for name in ("background", "background-color", "padding",
                                        "border", "border-radius")) \
        or css.get("display", "") in ("block", "inline-block")


BUTTON_OPEN = ('<table cellspacing="0" cellpadding="6" border="1" '
               'style="border-style: solid; border-color: #8a8a8a; margin: 4px 0">'
               "<tr><td>")
BUTTON_CLOSE = "</td></tr></table>"
"""A button link is drawn inside a one-cell bordered table: the one element
QTextBrowser draws a border and padding around."""


_CSS_WIDTH = re.compile(r"(?<![-\w])(max-width|width)\s*:\s*(\d+(?:\.\d+)?)\s*px", re.IGNORECASE)


def fluid_css(css: str, limit: int) -> str:
    """``width``/``max-width`` in px over ``limit`` become 100%: a 600 px layout fits
    a narrower reading pane instead of needing a horizontal scroll bar."""
    return _CSS_WIDTH.sub(lambda m: f"{m.group(1)}: 100%" if float(m.group(2)) > limit
                          else m.group(0), css)
