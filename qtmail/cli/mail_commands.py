"""`qtmail sync | folders | list | show`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from qtmail.cli.context import CliContext
from qtmail.cli.progress import ProgressPrinter
from qtmail.core.errors import ConfigError, KnownError
from qtmail.core.types import MessageSummary
from qtmail.mime.parse import parse_message
from qtmail.mime.render import render_text


def _cell(text: str) -> str:
    """One tab-separated cell: no tabs or line breaks inside."""
    return " ".join(text.split()) if text else ""


def sync(context: CliContext, args: argparse.Namespace) -> int:
    if args.name is None and args.folder is not None:
        accounts = [context.account(None)]
    elif args.name is None:
        accounts = context.accounts.load()
        if not accounts:
            raise ConfigError("There is no account yet. Add one with “qtmail account add”.")
    else:
        accounts = [context.account(args.name)]
    failures = 0
    progress = ProgressPrinter()
    for account in accounts:
        engine = context.engine(account, progress)
        try:
            reports = engine.sync_all(only=args.folder)
        except KnownError as error:
            print(f"qtmail: {account.name}: {error.user_message}", file=sys.stderr)
            failures += 1
            continue
        prefix = f"{account.name}\t" if len(accounts) > 1 else ""
        for report in reports:
            print(f"{prefix}{report.folder}\t{report.added} new\t{report.removed} removed\t"
                  f"{report.flags_changed} changed\t{report.total} messages")
        if account.sync.offline_bodies:
            for report in reports:
                engine.prefetch_bodies(report.folder, budget=10_000)
    return 1 if failures else 0


def folders(context: CliContext, args: argparse.Namespace) -> int:
    account = context.account(args.name)
    store = context.store(account)
    counts = store.all_counts()
    for folder in store.folders():
        count = counts.get(folder.name)
        total, unread = (count.total, count.unread) if count else (0, 0)
        role = folder.role.value or "-"
        print(f"{folder.name}\t{total}\t{unread}\t{role}")
    return 0


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat(timespec="seconds")


def _line(summary: MessageSummary) -> str:
    flags = " ".join(sorted(summary.flags)) or "-"
    when = _iso(summary.date if summary.date is not None else summary.internaldate)
    return "\t".join((str(summary.uid), when, flags, _cell(summary.sender.display()),
                      _cell(summary.subject)))


def list_messages(context: CliContext, args: argparse.Namespace) -> int:
    if len(args.where) > 2:
        raise ConfigError("Give at most an account name and a folder.")
    name, folder = (None, args.where[0]) if len(args.where) == 1 else args.where
    account = context.account(name)
    store = context.store(account)
    if store.folder(folder) is None:
        raise ConfigError(f"There is no folder named “{folder}” in {account.name}. "
                          "Run “qtmail sync” first?")
    for summary in store.summaries(folder, limit=max(args.limit, 0)):
        print(_line(summary))
    return 0


def show(context: CliContext, args: argparse.Namespace) -> int:
    if len(args.what) == 1:
        raw = _read_file(args.what[0])
    elif len(args.what) == 3:
        raw = _read_server_message(context, *args.what)
    else:
        raise ConfigError("Give a file (or - for standard input), or an account, "
                          "a folder and a message number.")
    sys.stdout.write(render_text(parse_message(raw)))
    if not sys.stdout.isatty():
        sys.stdout.flush()
    return 0


def _read_file(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"The file {path} could not be read: {exc.strerror}.") from exc


def _read_server_message(context: CliContext, name: str, folder: str, uid_text: str) -> bytes:
    try:
        uid = int(uid_text)
    except ValueError:
        raise ConfigError(f"“{uid_text}” is not a message number.") from None
    account = context.account(name)
    engine = context.engine(account)
    if engine.store.folder(folder) is None:
        engine.sync_folder_list()
    raw = engine.body(folder, uid)
    if raw is None:
        raise ConfigError(f"Message {uid} no longer exists in {folder}.")
    return raw
