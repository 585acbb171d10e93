"""What an account's scheduler (sync/scheduler.py) drives, and how it unwinds a sync."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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
