"""What each background job of an account's scheduler (sync/scheduler.py) does: the
engine's work, and the jobs that follow it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from qtmail.core.commands import FetchOlder, SyncFolder
from qtmail.sync.engine import sync_order
from qtmail.sync.jobs import (
    INDEX_BATCH,
    INDEX_TURN,
    PREFETCH_BATCH,
    IndexCatchUp,
    Job,
    Prefetch,
    PushDrafts,
    RefreshQuota,
    ReplayJob,
    SearchStep,
    SyncFolderList,
)
from qtmail.sync.scheduler_answers import prepare_side
from qtmail.sync.scheduler_parts import Parts
from qtmail.sync.scheduler_queue import JobQueue
from qtmail.sync.scheduler_search import SearchRunner

log = logging.getLogger(__name__)


class JobRunner:
    """Runs one background job taken off the scheduler's queue, and queues what follows
    it (a folder's prefetch and indexing, a folder list's folders, ...)."""

    def __init__(self, queue: JobQueue, searches: SearchRunner, *,
                 release_push: Callable[[], None], update_push: Callable[[], None]) -> None:
        """``release_push``: the first folder sync ended (push may start);
        ``update_push``: the folders to watch may have changed."""
        self._queue = queue
        self._searches = searches
        self._release_push = release_push
        self._update_push = update_push

    def run(self, parts: Parts, job: Job, open_folder: str | None) -> None:
        """Run ``job``; ``open_folder``: the folder open in the window, if known."""
        engine = parts.engine
        if isinstance(job, SyncFolder | Prefetch | FetchOlder) \
                and parts.store.folder(job.folder) is None:
            # Renamed, moved or deleted since the job was queued (the folder open in
            # the window, dragged elsewhere): nothing to do under this name.
            log.info("%s: %s skipped, the folder has left the cache", engine.name, job)
            return
        if isinstance(job, SyncFolder):
            state = parts.store.folder_state(job.folder)
            if state is None or not state.uidnext:
                # A first sync fetches the whole folder, chunk after chunk: the side
                # connection is made ready meanwhile for the clicks between two chunks.
                prepare_side(parts, open_folder, job.folder)
            try:
                report = engine.sync_folder(job.folder)
            finally:
                self._release_push()
            if report.left:
                # Renamed or deleted meanwhile: the folder list, synced after the replay
                # of that command, syncs the rest of it under its new name.
                self._queue.add(SyncFolderList())
                return
            if parts.on_report is not None:
                parts.on_report(report)
            if parts.local_rules is not None and job.folder == "INBOX" and report.added \
                    and parts.local_rules():
                self._queue.add(ReplayJob(), front=True)  # what the rules queued
            if engine.settings.policy_for(job.folder).offline_bodies:
                self._queue.add(Prefetch(job.folder))
            self._queue.add(IndexCatchUp())
        elif isinstance(job, SearchStep):
            self._searches.run(engine, parts.searcher, job)
        elif isinstance(job, IndexCatchUp):
            if engine.store.index_pending(INDEX_BATCH, seconds=INDEX_TURN) > 0:
                self._queue.add(IndexCatchUp())  # maybe more; a last turn finds none
        elif isinstance(job, Prefetch):
            if engine.prefetch_bodies(job.folder, PREFETCH_BATCH) == PREFETCH_BATCH:
                self._queue.add(Prefetch(job.folder))  # more to come, after other work
        elif isinstance(job, FetchOlder):
            engine.fetch_older(job.folder, job.count)
        elif isinstance(job, SyncFolderList):
            folders = engine.sync_folder_list()
            # One job per folder: the front end's loop runs between two folders.
            targets = [f.name for f in sync_order(folders)] if job.only is None \
                else [engine.folder(job.only).name]
            for name in targets:
                self._queue.add(SyncFolder(name))
            self._queue.add(RefreshQuota())
            self._update_push()
        elif isinstance(job, ReplayJob):
            engine.replay()
        elif isinstance(job, PushDrafts):
            assert parts.outgoing is not None
            drafts_folder = parts.outgoing.push_drafts()
            if drafts_folder is not None:
                self._queue.add(SyncFolder(drafts_folder), front=True)
        else:
            engine.refresh_quota()
