"""DragExport: the .eml files of messages dragged out of qtmail, written off the GUI thread.

Issue 12. Each dragged message is asked of its account's worker (FetchBody: from the
cache, else the server), and each BodyReady's bytes go to a writer thread that saves
the private .eml file (EmlFolder: 0700 folder, 0600 files). The GUI thread only routes
answers: no body read, no file written, no nested event loop. What a drop target gets
is what is written by then.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject

from qtmail.core.drag_payload import MessageRefs
from qtmail.core.events import BodyFailed, BodyReady, Event
from qtmail.qt.accounts import AccountDirectory
from qtmail.qt.dragdrop import EmlBatch, EmlFolder

log = logging.getLogger(__name__)


class DragExport(QObject):
    """MessageExport for the lists' drags: ``start`` returns the batch it fills."""

    def __init__(self, directory: AccountDirectory, folder: EmlFolder,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._directory = directory
        self.folder = folder
        self._waiting: dict[tuple[str, int], tuple[EmlBatch, str]] = {}
        """(account, request id) -> the batch and the subject naming the file."""
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qtmail-eml")
        directory.event.connect(self._on_event)

    def start(self, groups: Sequence[MessageRefs], subjects: dict[int, str]) -> EmlBatch:
        batch = EmlBatch(sum(len(group.uids) for group in groups))
        # Made here, once: the folder's removal at quit is connected on the GUI thread.
        self.folder.path()
        for group in groups:
            client = self._directory.client(group.account)
            for uid in group.uids:
                if client is None or not client.running:
                    batch.add(None)
                    continue
                request = client.fetch_body(group.folder, uid)
                self._waiting[(group.account, request)] = (batch, subjects.get(uid, ""))
        return batch

    def _on_event(self, event: Event) -> None:
        if not isinstance(event, BodyReady | BodyFailed):
            return
        found = self._waiting.pop((event.account, event.request_id), None)
        if found is None:
            return  # the reading view's, or another drag's
        batch, subject = found
        if isinstance(event, BodyFailed):
            log.warning("a dragged message was not exported: %s", event.message)
            batch.add(None)
            return
        future = self._writer.submit(self.folder.write, subject, event.raw)
        future.add_done_callback(lambda done: batch.add(_written(done)))

    def close(self) -> None:
        """Stop the writer thread (files being written are finished first)."""
        self._writer.shutdown(wait=True)


def _written(future: Future[Path]) -> Path | None:
    error = future.exception()
    if error is not None:
        log.warning("a dragged message was not exported: %s", error)
        return None
    return future.result()
