"""Answers to body requests (FetchBody, OpenMessage), made on the account's worker
thread: the raw message from the cache or the server, parsed and its HTML prepared there
(ARCHITECTURE.md boundary 4: no MIME parse of a big message on the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qtmail.core.commands import FetchBody, OpenMessage
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError
from qtmail.core.events import BodyFailed, BodyReady, Event
from qtmail.core.types import MessageRef

if TYPE_CHECKING:  # the window imports this module's events before any engine exists
    from qtmail.mime.parse import ParsedMessage
    from qtmail.mime.prepared_html import PreparedHtml
    from qtmail.sync.engine import AccountEngine

GONE = QT_TRANSLATE_NOOP("Errors", "This message no longer exists on the server.")

Request = FetchBody | OpenMessage


@dataclass(frozen=True, slots=True)
class MessageParsed(BodyReady):
    """The answer to OpenMessage: the raw message and its parse, made in the worker."""

    parsed: ParsedMessage
    html: PreparedHtml | None = None
    """The HTML body sanitised, both ways (prepared_html.py), also in the worker."""


def answer_body(engine: AccountEngine, request: Request) -> Event:
    """BodyReady (FetchBody), MessageParsed (OpenMessage) or BodyFailed."""
    try:
        raw = engine.body(request.folder, request.uid)
    except KnownError as error:
        return BodyFailed(engine.name, request_ref(engine, request), request.request_id,
                          error.user_message, offline=error.transient)
    return body_answer(engine, request, raw)


def body_answer(engine: AccountEngine, request: Request, raw: bytes | None) -> Event:
    """The answer to ``request`` once its raw message is known (None: gone)."""
    ref = request_ref(engine, request)
    if raw is None:
        return BodyFailed(engine.name, ref, request.request_id, GONE)
    if isinstance(request, OpenMessage):
        from qtmail.mime.parse import parse_message  # on the worker: loaded once
        from qtmail.mime.prepared_html import prepare_html

        parsed = parse_message(raw)
        return MessageParsed(engine.name, ref, request.request_id, raw, parsed,
                             prepare_html(parsed))
    return BodyReady(engine.name, ref, request.request_id, raw)


def request_ref(engine: AccountEngine, request: Request) -> MessageRef:
    state = engine.store.folder_state(request.folder)
    return MessageRef(engine.name, request.folder,
                      0 if state is None else state.uidvalidity, request.uid)
