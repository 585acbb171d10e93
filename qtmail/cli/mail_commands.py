"""`qtmail sync | folders | list | show`."""

from __future__ import annotations

import argparse
import datetime as dt
import queue
import sys
from pathlib import Path

from qtmail.cli.context import CliContext
from qtmail.cli.progress import ProgressPrinter
from qtmail.core.commands import OpenFolder, Replay, SyncAll
from qtmail.core.errors import ConfigError
from qtmail.core.types import MessageSummary
from qtmail.mime.parse import parse_message
from qtmail.mime.render import render_text
from qtmail.sync.folder_sync import FolderSyncReport
from qtmail.sync.push import PushMonitors, connect_watcher
from qtmail.sync.scheduler import AccountScheduler, Parts


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
        reports: list[FolderSyncReport] = []
        # The window's scheduler (sync/scheduler.py), run until nothing is due: the
        # queued changes first, then the folder list, each folder, quota, and (offline
        # reading) the bodies; a lost connection ends the run instead of backing off.
        scheduler = AccountScheduler(account.name, progress)
        scheduler.attach(Parts(engine, engine.store, on_report=reports.append))
        scheduler.submit(Replay())
        if args.folder is not None:
            scheduler.sync_one(args.folder)
        else:
            scheduler.submit(SyncAll())
        scheduler.run_until_idle(limit=0.0)
        prefix = f"{account.name}\t" if len(accounts) > 1 else ""
        for report in reports:
            print(f"{prefix}{report.folder}\t{report.added} new\t{report.removed} removed\t"
                  f"{report.flags_changed} changed\t{report.total} messages")
        if scheduler.errors:
            print(f"qtmail: {account.name}: {scheduler.errors[0].user_message}",
                  file=sys.stderr)
            failures += 1
    return 1 if failures else 0


def watch(context: CliContext, args: argparse.Namespace) -> int:
    """Keep the account in sync until interrupted: push (IMAP IDLE) or polling tells the
    scheduler which folder changed; a line per folder sync that changed something."""
    account = context.account(args.name)
    progress = ProgressPrinter()
    engine = context.engine(account, progress)
    password = context.password_for(account)
    news: queue.SimpleQueue[str] = queue.SimpleQueue()
    poll = account.sync.check_minutes
    push = PushMonitors(lambda: connect_watcher(account, password()), news.put,
                        poll_seconds=None if poll is None else poll * 60.0)

    def report(done: FolderSyncReport) -> None:
        if done.added or done.removed or done.flags_changed or done.reset:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            print(f"{stamp}\t{done.folder}\t{done.added} new\t{done.removed} removed\t"
                  f"{done.flags_changed} changed\t{done.total} messages", flush=True)

    scheduler = AccountScheduler(account.name, progress)
    scheduler.attach(Parts(engine, engine.store, push=push, on_report=report))
    scheduler.submit(Replay())
    scheduler.submit(SyncAll())
    if args.folder is not None:
        scheduler.submit(OpenFolder(args.folder))  # watched beside the Inbox
    try:
        while not scheduler.stopped:
            wait = scheduler.step()
            if wait == 0:
                continue
            try:
                changed = news.get(timeout=wait)
            except queue.Empty:
                continue
            scheduler.folder_changed(changed)
    except KeyboardInterrupt:
        pass
    finally:
        push.stop_all()
    return 0


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
