"""Undo: an operation already applied is reverted by queueing its inverse."""

from __future__ import annotations

from collections import defaultdict

from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError
from qtmail.store import PendingRow, Store
from qtmail.sync.operations import Operations, OpKind

UNDOABLE = (OpKind.FLAGS, OpKind.MOVE, OpKind.TRANSFER, OpKind.CREATE_FOLDER,
            OpKind.RENAME_FOLDER, OpKind.SUBSCRIBE)


def last_undoable(store: Store) -> PendingRow | None:
    rows = store.pending(states=("queued", "done"))
    for row in reversed(rows):
        payload = row.payload
        if OpKind(row.kind) in UNDOABLE and not payload.get("undone") \
                and not payload.get("automatic"):
            return row
    return None


def undo(store: Store, operations: Operations, op_id: int | None = None) -> list[int]:
    """Queue the inverse of ``op_id`` (default: the latest undoable operation)."""
    if op_id is None:
        row = last_undoable(store)
        if row is None:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "There is nothing to undo."))
    else:
        found = [r for r in store.pending(states=("queued", "done")) if r.id == op_id]
        if not found:
            raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change can no longer be undone."))
        row = found[0]
    kind = OpKind(row.kind)
    if kind not in UNDOABLE or row.payload.get("undone"):
        raise ConfigError(QT_TRANSLATE_NOOP("Errors", "That change cannot be undone."))
    if row.state == "queued" and row.attempts == 0 \
            and kind in (OpKind.FLAGS, OpKind.MOVE, OpKind.TRANSFER) \
            and not row.payload.get("copy"):
        # The server has not seen it yet: withdraw it instead of queueing its inverse.
        operations.cancel(row.id, row.kind, row.payload)
        return []
    ops = _inverse(row, operations, store)
    store.update_pending(row.id, payload={**row.payload, "undone": True})
    return ops


def _inverse(row: PendingRow, operations: Operations, store: Store) -> list[int]:
    payload = row.payload
    kind = OpKind(row.kind)
    if kind is OpKind.FLAGS:
        add, remove = frozenset(payload["add"]), frozenset(payload["remove"])
        groups: dict[tuple[frozenset[str], frozenset[str]], list[int]] = defaultdict(list)
        for uid_text, flags in payload["previous"].items():
            before = frozenset(flags)
            after = (before | add) - remove
            groups[(before - after, after - before)].append(int(uid_text))
        return [operations.set_flags(payload["folder"], uids, add=back, remove=drop)
                for (back, drop), uids in groups.items() if back or drop]
    if kind is OpKind.MOVE:
        return [_undo_move(row, operations, store)]
    if kind is OpKind.TRANSFER:
        # Issue 5: across accounts, found there again by Message-ID (the other server's
        # UIDs were never reported to this account).
        return [operations.retrieve(payload["folder"], payload["dest_account"],
                                    payload["dest"], list(payload["message_ids"].values()),
                                    append=not payload["copy"])]
    if kind is OpKind.CREATE_FOLDER:
        return [operations.delete_folder(payload["name"])]
    if kind is OpKind.RENAME_FOLDER:
        return [operations.rename_folder(payload["new"], payload["old"])]
    return [operations.subscribe(payload["name"], not payload["subscribed"])]


def _undo_move(row: PendingRow, operations: Operations, store: Store) -> int:
    payload = row.payload
    src, dest = payload["folder"], payload["dest"]
    if payload["copy"]:
        uids = [int(v) for v in payload.get("uid_map", {}).values()]
        if not uids:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "The copies cannot be found to undo the copy."))
        return operations.delete(dest, uids, permanent=True)
    uid_map = {int(k): int(v) for k, v in payload.get("uid_map", {}).items()}
    # The new UIDs mean something only under the destination's UIDVALIDITY: a folder
    # not synchronised yet (a Ctrl+Z right after the first move into Trash or a new
    # folder) has none cached, so the messages are found by Message-ID instead.
    if uid_map and len(uid_map) == len(payload["uids"]) \
            and store.folder_state(dest) is not None:
        return operations.move(dest, list(uid_map.values()), src)
    return operations.move_back_by_message_id(dest, src, payload.get("message_ids", {}))
