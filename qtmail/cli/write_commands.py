"""`qtmail mark | move | copy | delete | folder | import | export | pending | undo | redo`.

Each change is applied to the local cache at once and queued; unless ``--offline`` is
given, the queue is then replayed on the server. With ``--offline`` the next
``qtmail sync`` (or any command that connects) sends it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qtmail.cli.context import CliContext
from qtmail.core.commands import (
    ArchiveMessages,
    CreateFolder,
    DeleteFolder,
    DeleteMessages,
    ImportMessage,
    MoveMessages,
    Operation,
    Redo,
    RenameFolder,
    SetFlags,
    SubscribeFolder,
    TransferMessages,
    Undo,
)
from qtmail.core.errors import ConfigError, KnownError
from qtmail.core.events import Event, OperationFailed
from qtmail.core.types import FLAGGED, SEEN
from qtmail.sync.engine import AccountEngine

MARKS = {
    "read": ({SEEN}, set()),
    "unread": (set(), {SEEN}),
    "flag": ({FLAGGED}, set()),
    "unflag": (set(), {FLAGGED}),
}


class FailurePrinter:
    """Prints the sentence of every operation the server refused."""

    def __init__(self) -> None:
        self.failures = 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, OperationFailed):
            self.failures += 1
            print(f"qtmail: {event.message}", file=sys.stderr)


def _engine(context: CliContext, name: str) -> tuple[AccountEngine, FailurePrinter]:
    printer = FailurePrinter()
    return context.engine(context.accounts.get(name), printer), printer


def _finish(engine: AccountEngine, printer: FailurePrinter, offline: bool) -> int:
    """Send the queue to the server unless offline; say what is still waiting."""
    if not offline:
        try:
            engine.replay()
        except KnownError as error:
            queued = len(engine.store.pending())
            print(f"qtmail: {error.user_message} The change is saved and will be sent "
                  f"later ({queued} waiting).", file=sys.stderr)
            return 2
    queued = len(engine.store.pending())
    if queued:
        print(f"{queued} change(s) waiting to be sent to the server.", file=sys.stderr)
    return 1 if printer.failures else 0


def mark(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    add, remove = MARKS[args.mark]
    engine.apply(SetFlags(args.folder, tuple(args.uids), frozenset(add), frozenset(remove)))
    return _finish(engine, printer, args.offline)


def move(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    copy = args.command == "copy"
    if args.to_account and args.to_account != args.name:
        context.accounts.get(args.to_account)  # a clear error for an unknown account
        engine.apply(TransferMessages(args.folder, tuple(args.uids), args.to_account, args.to,
                                      copy))
    else:
        engine.apply(MoveMessages(args.folder, tuple(args.uids), args.to, copy))
    return _finish(engine, printer, args.offline)


def delete(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    engine.apply(DeleteMessages(args.folder, tuple(args.uids), args.permanent))
    return _finish(engine, printer, args.offline)


def archive(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    engine.apply(ArchiveMessages(args.folder, tuple(args.uids)))
    return _finish(engine, printer, args.offline)


def folder(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    if engine.store.folder("INBOX") is None and not args.offline:
        engine.sync_folder_list()
    paths = args.paths
    expected = 2 if args.action == "rename" else 1
    if len(paths) != expected:
        raise ConfigError("Give the old and the new name." if expected == 2
                          else "Give one folder name.")
    command: Operation
    if args.action == "create":
        command = CreateFolder(paths[0])
    elif args.action == "delete":
        command = DeleteFolder(paths[0])
    elif args.action == "rename":
        command = RenameFolder(paths[0], paths[1])
    else:
        command = SubscribeFolder(paths[0], args.action == "subscribe")
    engine.apply(command)
    return _finish(engine, printer, args.offline)


def import_files(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    raws = []
    for path in args.files:
        try:
            raws.append(Path(path).read_bytes())
        except OSError as exc:
            raise ConfigError(f"The file {path} could not be read: {exc.strerror}.") from exc
    for raw in raws:
        if b":" not in raw[:1000]:
            raise ConfigError("That file does not look like an email message (.eml).")
    for raw in raws:
        engine.apply(ImportMessage(args.folder, raw))
    return _finish(engine, printer, args.offline)


def export(context: CliContext, args: argparse.Namespace) -> int:
    engine, _ = _engine(context, args.name)
    raw = engine.body(args.folder, args.uid)
    if raw is None:
        raise ConfigError(f"Message {args.uid} no longer exists in {args.folder}.")
    output = Path(args.output)
    if output.exists() and not args.force:
        raise ConfigError(f"{output} already exists; choose another name or add --force.")
    output.write_bytes(raw)
    print(f"Saved {output}.")
    return 0


def pending(context: CliContext, args: argparse.Namespace) -> int:
    names = [args.name] if args.name else [a.name for a in context.accounts.load()]
    for name in names:
        store = context.store(context.accounts.get(name))
        for row in store.pending(states=("queued", "conflict", "failed")):
            what = row.payload.get("folder") or row.payload.get("name") or ""
            count = len(row.payload.get("uids", []))
            detail = f"{count} message(s)" if count else ""
            print("\t".join(str(x) for x in (name, row.id, row.state, row.kind, what, detail,
                                              row.last_error)))
    return 0


def undo(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    engine.apply(Undo(args.operation))
    print("Undone.", file=sys.stderr)
    return _finish(engine, printer, args.offline)


def redo(context: CliContext, args: argparse.Namespace) -> int:
    engine, printer = _engine(context, args.name)
    engine.apply(Redo())
    print("Redone.", file=sys.stderr)
    return _finish(engine, printer, args.offline)
