"""Plain-text rendering of a parsed message: what ``qtmail show`` prints."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from qtmail.core.types import Address
from qtmail.mime.html import html_to_text

if TYPE_CHECKING:  # a type only: the window shows dates before it parses a message
    from qtmail.mime.parse import ParsedMessage

NO_BODY = "(no displayable body)"

# Bidi controls and invisible characters (RELIABILITY D.37): in a name, subject or file
# name they reorder or hide text ("invoice\u202egpj.exe" shows as "invoiceexe.jpg").
_INVISIBLE = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# C0/C1 controls other than tab and newline: ESC sequences could rewrite the terminal
# that ``qtmail show`` prints to (D.39).
_BODY_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def escape_display(text: str) -> str:
    """One line of untrusted text with controls removed and invisible characters shown.

    Invisible characters become visible ``<U+202E>`` markers so the user sees that
    something is hidden instead of a silently reordered name.
    """
    text = _LINE_CONTROLS.sub(" ", text)
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def format_address(address: Address) -> str:
    """Name and real address side by side, always (D: the address is always visible)."""
    name = escape_display(address.name).strip()
    addr = escape_display(address.addr).strip()
    if name and addr:
        return f'"{name}" <{addr}>' if name != addr else f"<{addr}>"
    return name or (f"<{addr}>" if addr else "(unknown)")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - loop always returns


def format_date(stamp: int | None) -> str:
    if stamp is None:
        return "(no valid date)"
    try:
        moment = datetime.fromtimestamp(stamp, tz=UTC).astimezone()
    except (OverflowError, OSError, ValueError):
        return "(no valid date)"
    return moment.strftime("%a, %d %b %Y %H:%M %z")


def body_text(parsed: ParsedMessage) -> str:
    """The body to show as text: plain preferred, HTML converted, else a placeholder."""
    if parsed.text_body and parsed.text_body.strip():
        body = parsed.text_body
    elif parsed.html_body and parsed.html_body.strip():
        # Half the 2 s display budget (RELIABILITY E.41), the rest is parsing.
        body = html_to_text(parsed.html_body, timeout=1.0)
    else:
        body = ""
    body = _BODY_CONTROLS.sub("", body.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    return body or NO_BODY


def render_text(parsed: ParsedMessage) -> str:
    lines = [f"From: {format_address(parsed.sender)}"]
    if parsed.to:
        lines.append("To: " + ", ".join(format_address(a) for a in parsed.to))
    if parsed.cc:
        lines.append("Cc: " + ", ".join(format_address(a) for a in parsed.cc))
    lines.append(f"Date: {format_date(parsed.date)}")
    lines.append(f"Subject: {escape_display(parsed.subject)}")
    lines.extend(f"Warning: {escape_display(w)}" for w in parsed.warnings)
    lines.append("")
    lines.append(body_text(parsed))
    if parsed.attachments:
        lines.append("")
        lines.append(f"Attachments ({len(parsed.attachments)}):")
        for att in parsed.attachments:
            lines.append(
                f"  {escape_display(att.filename)}  ({human_size(att.size)}, "
                f"{escape_display(att.content_type)})"
            )
    return "\n".join(lines) + "\n"
