"""What an account's scheduler (sync/scheduler.py) drives (its parts, closed in order;
the push monitors, on the folders the user looks at), and how it unwinds a sync."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from qtmail.core.errors import KnownError
from qtmail.core.types import FolderInfo
from qtmail.sieve.jobs import RulesCommand
from qtmail.store import Store
from qtmail.sync.append_lane import AppendLane
from qtmail.sync.engine import AccountEngine
from qtmail.sync.folder_sync import FolderSyncReport
from qtmail.sync.outgoing_work import OutgoingWork
from qtmail.sync.peers import PeerEngines
from qtmail.sync.search_lane import SearchLane
from qtmail.sync.side_bodies import SideBodies

log = logging.getLogger(__name__)


class PushControl(Protocol):
    """Push monitors (their own connections and threads): the window's relays their
    news into the worker's thread (qt/push.py); the command line uses a queue."""

    def watch(self, folders: list[FolderInfo]) -> None: ...

    def stop_all(self) -> None: ...


class Stopped(Exception):
    """Raised between two sync chunks to unwind the engine when Stop arrived."""


@dataclass
class Parts:
    """What the scheduler drives, made on the account's thread (store and sessions are
    bound to the thread that opened them)."""

    engine: AccountEngine
    store: Store
    side: SideBodies | None = None
    push: PushControl | None = None
    outgoing: OutgoingWork | None = None
    peers: PeerEngines | None = None
    rules: Callable[[RulesCommand], bool] | None = None
    """Runs a rules command (sync/rules_work.py); True when mail moved on the server."""
    on_report: Callable[[FolderSyncReport], None] | None = None
    """Told what each folder sync did (the command line prints a line per folder)."""
    local_rules: Callable[[], int] | None = None
    """Runs the account's local rules on new INBOX mail (issue 15, servers without
    ManageSieve); returns how many messages they changed (queued operations)."""
    searcher: SearchLane | None = None
    """Server searches on their own connection and thread; without it they run on the
    account's connection, a folder per turn."""
    appends: AppendLane | None = None
    """The Outbox's Sent copies appended on their own connection and thread; without
    it on the account's connection, in the replay."""

    def close(self, account: str) -> None:
        """Stop push, close connections and the store: the account's thread may end."""
        if self.push is not None:
            self.push.stop_all()
        if self.outgoing is not None:
            self.outgoing.close()  # a message being built is stored first
        if self.searcher is not None:
            self.searcher.close()
        if self.appends is not None:
            self.appends.close()
        if self.peers is not None:
            self.peers.close()
        if self.side is not None:
            self.side.stop()
        try:
            self.engine.close()
        except KnownError as error:
            log.info("%s: logout failed: %s", account, error)
        self.store.close()


class PushWatch:
    """Which folders the push monitors watch: INBOX and the folder open in the window,
    once the first folder sync let them start."""

    def __init__(self) -> None:
        self.held = True
        """Push waits until the first folder sync has shown a chunk, or ended: its own
        connection's login and SELECT would compete with a new profile's way to the
        first rows, for the server and for the GIL (issue 18). Nothing is missed: a
        monitor's first news, once it watches, is a resync (sync/push.py)."""

    def update(self, parts: Parts | None, open_folder: str | None) -> None:
        """Have the monitors watch the folders wanted now (unless held)."""
        if parts is None or parts.push is None or self.held:
            return
        wanted = ["INBOX"]
        if open_folder is not None:
            wanted.append(open_folder)
        folders = [f for f in (parts.store.folder(n) for n in wanted)
                   if f is not None and f.selectable]
        parts.push.watch(folders)

    def release(self, parts: Parts | None, open_folder: str | None) -> None:
        """The first folder sync showed a chunk or ended: push may start (``held``)."""
        if self.held:
            self.held = False
            self.update(parts, open_folder)
