"""Whether a drop can work, decided before the user lets go (issue 5).

Pure functions over frozen descriptions of the drop target, so the folder tree, the
views and the tests ask the same questions. A refusal is a sentence (the reason),
acceptance is None; the local phase (sync/operations.py) checks again when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from qtmail.core.drag_payload import FolderRef, MessageRefs
from qtmail.core.types import FolderRole
from qtmail.sync.ops.common import PROTECTED_ROLES


class DropKind(Enum):
    MOVE = "move"
    COPY = "copy"
    TRANSFER = "transfer"
    """Move or copy to another account."""
    REPARENT = "reparent"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class Target:
    """A folder-tree node as a drop target. ``folder`` is "" for an account node."""

    account: str
    folder: str
    selectable: bool
    exists: bool
    """A folder the server listed (not a placeholder parent, not an account node)."""
    role: FolderRole = FolderRole.NONE
    delimiter: str = "/"

    @property
    def is_account(self) -> bool:
        return not self.folder


@dataclass(frozen=True, slots=True)
class SourceFolder:
    """The dragged folder as the cache knows it now."""

    ref: FolderRef
    role: FolderRole
    delimiter: str
    exists: bool = True


UidValidity = dict[tuple[str, str], int | None]
"""(account, folder) -> the UIDVALIDITY cached now (None: the folder is gone)."""


def message_drop(groups: tuple[MessageRefs, ...], target: Target,
                 uidvalidity: UidValidity) -> str | None:
    """Why messages cannot be dropped onto ``target`` (None: they can)."""
    if not groups:
        return "Nothing to drop."
    if target.is_account or not target.exists:
        return "Messages go into a folder, not onto an account."
    if not target.selectable:
        return f"“{target.folder}” only holds folders, not messages."
    for group in groups:
        if (group.account, group.folder) == (target.account, target.folder):
            return "The messages are already in that folder."
        now = uidvalidity.get((group.account, group.folder))
        if now is None:
            return f"The folder “{group.folder}” no longer exists."
        if now != group.uidvalidity:
            # RFC 3501 2.3.1.1: a new UIDVALIDITY voids every UID the drag carries.
            return f"The folder “{group.folder}” changed on the server during the drag."
    return None


def message_drop_kind(groups: tuple[MessageRefs, ...], target: Target,
                      copy: bool) -> DropKind:
    if any(g.account != target.account for g in groups):
        return DropKind.TRANSFER
    return DropKind.COPY if copy else DropKind.MOVE


def reparented_name(source: SourceFolder, target: Target) -> str:
    """The dragged folder's full name under ``target`` (top level on an account)."""
    leaf = source.ref.folder.rsplit(source.delimiter, 1)[-1]
    return leaf if target.is_account else f"{target.folder}{source.delimiter}{leaf}"


def folder_drop(source: SourceFolder, target: Target) -> str | None:
    """Why the folder cannot be dropped onto ``target`` (None: it can)."""
    name = source.ref.folder
    if not source.exists:
        return f"The folder “{name}” no longer exists."
    if source.ref.account != target.account:
        return "Folders can only be moved within their account."
    if source.role in PROTECTED_ROLES or name.upper() == "INBOX":
        return "Special folders (Inbox, Sent, Trash…) cannot be moved."
    if not target.is_account and not target.exists:
        return "That is not a folder the server knows."
    if target.folder == name:
        return "A folder cannot be moved into itself."
    if target.folder.startswith(name + source.delimiter):
        return "A folder cannot be moved into one of its own subfolders."
    if target.role in PROTECTED_ROLES and target.role is not FolderRole.NONE \
            and target.role is not FolderRole.INBOX:
        return "Folders cannot be put into a special folder."
    if reparented_name(source, target) == name:
        return "The folder is already there."
    return None


def import_drop(target: Target) -> str | None:
    if target.is_account or not target.exists:
        return "Messages go into a folder, not onto an account."
    if not target.selectable:
        return f"“{target.folder}” only holds folders, not messages."
    return None


@dataclass(frozen=True, slots=True)
class DropRequest:
    """A drop the folder tree accepted: the window turns it into a command."""

    kind: DropKind
    target: Target
    groups: tuple[MessageRefs, ...] = ()
    folder: FolderRef | None = None
    new_name: str = ""
    paths: tuple[str, ...] = ()
    copy: bool = False
    """Messages: copy (Ctrl) instead of move."""

    def count(self) -> int:
        return sum(len(g.uids) for g in self.groups) or len(self.paths)


def plan_drop(groups: tuple[MessageRefs, ...], folder: SourceFolder | None,
              eml_paths: tuple[str, ...], target: Target, copy: bool,
              uidvalidity: UidValidity) -> DropRequest | str:
    """What dropping this payload onto ``target`` does, or why it cannot."""
    if groups:
        reason = message_drop(groups, target, uidvalidity)
        if reason is not None:
            return reason
        return DropRequest(message_drop_kind(groups, target, copy), target, groups=groups,
                           copy=copy)
    if folder is not None:
        reason = folder_drop(folder, target)
        if reason is not None:
            return reason
        return DropRequest(DropKind.REPARENT, target, folder=folder.ref,
                           new_name=reparented_name(folder, target))
    if eml_paths:
        reason = import_drop(target)
        if reason is not None:
            return reason
        return DropRequest(DropKind.IMPORT, target, paths=eml_paths)
    return "qtmail cannot use what is being dragged here."
