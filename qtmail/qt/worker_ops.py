"""What the worker does for an operation or a body request, apart from scheduling.

Operations run their local phase at once (store + events: the window updates before
the server hears of it); worker.py then queues a replay. Bodies are read from the
cache or downloaded with BODY.PEEK, and parsed here, in the worker's thread.
"""

from __future__ import annotations

from pathlib import Path

from qtmail.core.commands import (
    ArchiveMessages,
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    FetchBody,
    ImportMessages,
    MoveMessages,
    OpenMessage,
    Operation,
    RenameFolder,
    SetFlags,
    TransferMessages,
    Undo,
)
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, KnownError
from qtmail.core.events import BodyFailed, BodyReady, Event
from qtmail.core.types import SEEN, MessageRef
from qtmail.mime.parse import parse_message
from qtmail.qt.dragdrop import read_eml
from qtmail.qt.events import MessageParsed
from qtmail.qt.prepared_html import prepare_html
from qtmail.sync.engine import AccountEngine

GONE = QT_TRANSLATE_NOOP("Errors", "This message no longer exists on the server.")


def apply_locally(engine: AccountEngine, command: Operation) -> None:
    """The local phase of ``command``; raises KnownError when it cannot be queued."""
    ops = engine.ops
    if isinstance(command, SetFlags):
        ops.set_flags(command.folder, command.uids, add=command.add, remove=command.remove,
                      automatic=command.automatic)
    elif isinstance(command, MoveMessages):
        ops.move(command.folder, command.uids, command.dest, copy=command.copy)
    elif isinstance(command, DeleteMessages):
        ops.delete(command.folder, command.uids, permanent=command.permanent)
    elif isinstance(command, ArchiveMessages):
        ops.archive(command.folder, command.uids)
    elif isinstance(command, Undo):
        engine.undo()
        # A withdrawn operation (never sent) changes the queue without a new one.
        ops.announce_pending()
    elif isinstance(command, CreateFolder):
        ops.create_folder(command.name)
    elif isinstance(command, RenameFolder):
        ops.rename_folder(command.old, command.new)
    elif isinstance(command, DeleteFolder):
        ops.delete_folder(command.name)
    elif isinstance(command, TransferMessages):
        ops.transfer(command.folder, command.uids, command.dest_account, command.dest,
                     copy=command.copy)
    elif isinstance(command, ImportMessages):
        import_files(engine, command)
    else:
        raise TypeError(f"unknown operation {command!r}")


def import_files(engine: AccountEngine, command: ImportMessages) -> None:
    """Queue an APPEND per readable .eml file (imported as read, dates kept)."""
    imported = 0
    for path in command.paths:
        raw = read_eml(Path(path))
        if raw is not None:
            engine.ops.import_message(command.folder, raw, flags=(SEEN,))
            imported += 1
    if not imported:
        raise ConfigError(QT_TRANSLATE_NOOP(
            "Errors", "None of the dropped files is an email message (.eml)."))


def answer_body(engine: AccountEngine, request: FetchBody | OpenMessage) -> Event:
    """BodyReady (FetchBody), MessageParsed (OpenMessage) or BodyFailed."""
    try:
        raw = engine.body(request.folder, request.uid)
    except KnownError as error:
        return BodyFailed(engine.name, request_ref(engine, request), request.request_id,
                          error.user_message)
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
