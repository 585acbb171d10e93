"""What a drag between qtmail windows carries, and how it is checked (issue 5).

Message rows drag as JSON (account, folder, UIDVALIDITY, UIDs), folders as (account,
folder). Everything decoded is validated: a drag may come from another program or
another qtmail version. The Qt side (MIME types, QMimeData) is qtmail/qt/dragdrop.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

PAYLOAD_VERSION = 1  # never renumber: a drag may cross two qtmail versions
MAX_UIDS = 1_000_000
"""More than any real selection; a bigger payload is refused, not parsed on."""
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MessageRefs:
    """Messages of one folder, as they were when the drag began."""

    account: str
    folder: str
    uidvalidity: int
    uids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FolderRef:
    account: str
    folder: str


# -- encoding ------------------------------------------------------------------------------
def encode_refs(groups: Sequence[MessageRefs]) -> bytes:
    return json.dumps({"version": PAYLOAD_VERSION, "groups": [
        {"account": g.account, "folder": g.folder, "uidvalidity": g.uidvalidity,
         "uids": list(g.uids)} for g in groups]}, separators=(",", ":")).encode()


def decode_refs(data: bytes) -> tuple[MessageRefs, ...]:
    """The groups of a message drag; () for anything malformed or foreign."""
    document = _load(data)
    groups = document.get("groups") if document is not None else None
    if not isinstance(groups, list) or not groups:
        return ()
    found: list[MessageRefs] = []
    total = 0
    for group in groups:
        if not isinstance(group, dict):
            return ()
        account, folder = group.get("account"), group.get("folder")
        uidvalidity, uids = group.get("uidvalidity"), group.get("uids")
        if not (isinstance(account, str) and account and isinstance(folder, str) and folder
                and _is_uint(uidvalidity) and isinstance(uids, list) and uids):
            return ()
        if not all(_is_uint(uid) and uid > 0 for uid in uids):
            return ()
        total += len(uids)
        if total > MAX_UIDS:
            return ()
        found.append(MessageRefs(account, folder, int(uidvalidity),  # type: ignore[arg-type]
                                 tuple(sorted(set(uids)))))
    return tuple(found)


def encode_folder(ref: FolderRef) -> bytes:
    return json.dumps({"version": PAYLOAD_VERSION, "account": ref.account,
                       "folder": ref.folder}, separators=(",", ":")).encode()


def decode_folder(data: bytes) -> FolderRef | None:
    document = _load(data)
    if document is None:
        return None
    account, folder = document.get("account"), document.get("folder")
    if isinstance(account, str) and account and isinstance(folder, str) and folder:
        return FolderRef(account, folder)
    return None


def _load(data: bytes) -> dict[str, object] | None:
    if len(data) > MAX_PAYLOAD_BYTES:
        return None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("version") != PAYLOAD_VERSION:
        return None
    return document


def _is_uint(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32
