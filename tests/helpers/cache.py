"""A filled cache without a server: summaries written as the worker would write them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qtmail.core.types import SEEN, Address, FolderInfo, FolderRole, FolderSyncState, MessageSummary
from qtmail.store import Store

BASE_DATE = 1_700_000_000


def folder(name: str, role: FolderRole = FolderRole.NONE, *,
           attributes: Sequence[str] = ()) -> FolderInfo:
    return FolderInfo(name=name, wire=name.encode(), delimiter="/",
                      attributes=frozenset(attributes), role=role)


def summary(uid: int, *, date: int | None = None, seen: bool = False) -> MessageSummary:
    """Message ``uid`` arrived at BASE_DATE + uid unless ``date`` says otherwise."""
    when = BASE_DATE + uid if date is None else date
    return MessageSummary(
        uid=uid, flags=frozenset({SEEN}) if seen else frozenset(), internaldate=when,
        size=1000 + uid, date=when, subject=f"Subject {uid}",
        sender=Address(f"Sender {uid % 7}", f"s{uid % 7}@example.org"),
        has_attachment=uid % 5 == 0)


class FilledCache:
    """A writer Store (the worker's role, here on the test's thread) and a GUI reader."""

    def __init__(self, path: Path) -> None:
        self.writer = Store.open(path)
        self.writer.save_folders([folder("INBOX", FolderRole.INBOX)])
        self.writer.set_folder_state("INBOX", FolderSyncState(uidvalidity=7, uidnext=1))
        self.reader = Store.open(path, readonly=True)

    def add(self, uids: Sequence[int], **kwargs: object) -> None:
        self.writer.add_summaries("INBOX", [summary(uid, **kwargs) for uid in uids])  # type: ignore[arg-type]

    def close(self) -> None:
        self.reader.close()
        self.writer.close()
