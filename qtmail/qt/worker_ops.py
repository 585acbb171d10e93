"""What the worker does for a body request, apart from scheduling.

(Operations run their local phase through ``AccountEngine.apply``; worker.py then
queues a replay.) Bodies are read from the cache or downloaded with BODY.PEEK, and
parsed here, in the worker's thread.
"""

from __future__ import annotations

from qtmail.core.commands import FetchBody, OpenMessage
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError
from qtmail.core.events import BodyFailed, BodyReady, Event
from qtmail.core.types import MessageRef
from qtmail.mime.parse import parse_message
from qtmail.mime.prepared_html import prepare_html
from qtmail.qt.events import MessageParsed
from qtmail.sync.engine import AccountEngine

GONE = QT_TRANSLATE_NOOP("Errors", "This message no longer exists on the server.")


def answer_body(engine: AccountEngine, request: FetchBody | OpenMessage) -> Event:
    """BodyReady (FetchBody), MessageParsed (OpenMessage) or BodyFailed."""
    try:
        raw = engine.body(request.folder, request.uid)
    except KnownError as error:
        return BodyFailed(engine.name, request_ref(engine, request), request.request_id,
                          error.user_message, offline=error.transient)
    return body_answer(engine, request, raw)


def body_answer(engine: AccountEngine, request: FetchBody | OpenMessage,
                raw: bytes | None) -> Event:
    """The answer to ``request`` once its raw message is known (None: gone)."""
    ref = request_ref(engine, request)
    if raw is None:
        return BodyFailed(engine.name, ref, request.request_id, GONE)
    if isinstance(request, OpenMessage):
        parsed = parse_message(raw)
        return MessageParsed(engine.name, ref, request.request_id, raw, parsed,
                             prepare_html(parsed))
    return BodyReady(engine.name, ref, request.request_id, raw)


def request_ref(engine: AccountEngine, request: FetchBody | OpenMessage) -> MessageRef:
    state = engine.store.folder_state(request.folder)
    return MessageRef(engine.name, request.folder,
                      0 if state is None else state.uidvalidity, request.uid)
