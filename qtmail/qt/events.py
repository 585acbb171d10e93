"""Events only the Qt front end asks for (worker -> GUI), beside qtmail.core.events."""

from __future__ import annotations

from dataclasses import dataclass

from qtmail.core.events import BodyReady
from qtmail.mime.parse import ParsedMessage
from qtmail.mime.prepared_html import PreparedHtml


@dataclass(frozen=True, slots=True)
class MessageParsed(BodyReady):
    """The answer to OpenMessage: the raw message and its parse, made in the worker
    (ARCHITECTURE.md boundary 4: no MIME parse of a big message on the GUI thread)."""

    parsed: ParsedMessage
    html: PreparedHtml | None = None
    """The HTML body sanitised, both ways (prepared_html.py), also in the worker."""
