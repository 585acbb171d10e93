"""Import messages: APPEND an RFC 5322 message (an .eml file) to a folder, keeping its
Date as INTERNALDATE."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qtmail.core.commands import Command, ImportMessage, ImportMessages
from qtmail.core.errors import QT_TRANSLATE_NOOP, ConfigError, Sentence
from qtmail.core.types import SEEN
from qtmail.mime.headers import parse_date, parse_message_ids
from qtmail.sync.ops.base import PendingOp
from qtmail.sync.ops.common import OpKind, Payload, Rename, wire_key
from qtmail.sync.ops.context import Local, Remote

if TYPE_CHECKING:
    from qtmail.sync.append_lane import AppendWork
    from qtmail.sync.side_connection import SideConnection

log = logging.getLogger(__name__)

MAX_EML_BYTES = 100 * 1024 * 1024
"""An .eml file dropped from a file manager larger than this is not imported."""


def read_eml(path: Path) -> bytes | None:
    """An .eml file's bytes if it is a plain, reasonably sized file that looks like mail."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_EML_BYTES:
            return None
        raw = path.read_bytes()
    except OSError as error:
        log.info("%s not read: %s", path, error)
        return None
    head = raw[:4096].lstrip()
    return raw if b":" in head.split(b"\n", 1)[0] else None


@dataclass(frozen=True, slots=True)
class AppendPayload(Payload):
    folder: str
    folder_wire: str | None
    flags: tuple[str, ...]
    date: int | None
    message_id: str
    """Checked on a retry, so that a message APPENDed before a crash is not twice."""
    spool: str = ""
    """The message's file in the outgoing spool (the Outbox's Sent copy), else "": the
    message is the operation's data. The file stays while this operation is not done
    (``Store.sweep_spool``)."""

    def to_json(self) -> dict[str, Any]:
        spool = {"spool": self.spool} if self.spool else {}
        return {"folder": self.folder, **wire_key("folder_wire", self.folder_wire),
                "flags": list(self.flags), "date": self.date, "message_id": self.message_id,
                **spool}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AppendPayload:
        return cls(folder=data["folder"], folder_wire=data.get("folder_wire"),
                   flags=tuple(data["flags"]), date=data.get("date"),
                   message_id=data.get("message_id", ""), spool=data.get("spool", ""))

    def renamed(self, rename: Rename) -> AppendPayload:
        return replace(self, folder=rename(self.folder))


class AppendOp(PendingOp[AppendPayload]):
    kind = OpKind.APPEND
    payload_type = AppendPayload
    commands = (ImportMessage, ImportMessages)
    failure = QT_TRANSLATE_NOOP("Errors", "Importing the message did not work and was undone.")

    @classmethod
    def apply_local(cls, local: Local, command: Command) -> list[int]:
        if isinstance(command, ImportMessage):
            return [cls._record(local, command.folder, command.raw, command.flags,
                                command.spool)]
        assert isinstance(command, ImportMessages)
        # Dropped files: each readable .eml is imported as read, its date kept.
        raws = [raw for path in command.paths if (raw := read_eml(Path(path))) is not None]
        if not raws:
            raise ConfigError(QT_TRANSLATE_NOOP(
                "Errors", "None of the dropped files is an email message (.eml)."))
        return [cls._record(local, command.folder, raw, (SEEN,)) for raw in raws]

    @classmethod
    def _record(cls, local: Local, folder: str, raw: bytes, flags: Iterable[str],
                spool: str = "") -> int:
        local.folder(folder)
        # A spooled message's header only: its body (megabytes) is read when appended.
        start = local.store.spool.head(spool) if spool else raw
        head = start.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        fields = _header_fields(head, (b"date", b"message-id"))
        payload = AppendPayload(
            folder=folder, folder_wire=local.wire(folder), flags=tuple(sorted(flags)),
            date=parse_date(fields.get(b"date", "")),
            message_id=next(iter(parse_message_ids(fields.get(b"message-id", ""))), ""),
            spool=spool)
        op_id = local.store.add_pending(cls.kind, payload.to_json(),
                                        data=None if spool else raw)
        local.announce_pending()
        return op_id

    def apply_remote(self, remote: Remote) -> None:
        p = self.payload
        folder = remote.folder_info(p.folder, p.folder_wire)
        if remote.retry and p.message_id:
            remote.session.select(folder)
            if remote.session.writes.find_message_ids([p.message_id]).get(p.message_id):
                return  # appended just before a crash: not twice
        raw = remote.store.spool.read(p.spool) if p.spool else self.data or b""
        remote.session.writes.append(folder, raw, flags=frozenset(p.flags),
                                     internaldate=p.date)
        remote.report.resync.add(folder.name)

    def remote_beside(self, remote: Remote) -> AppendWork | None:
        """A spooled message (the Outbox's Sent copy, megabytes with an attachment) is
        appended on the APPEND lane, read from the spool there (sync/append_lane.py)."""
        p = self.payload
        if not p.spool:
            return None
        folder = remote.folder_info(p.folder, p.folder_wire)
        spool, retry = remote.store.spool, remote.retry

        def work(connection: SideConnection) -> None:
            connection.append(folder, spool.read(p.spool), flags=frozenset(p.flags),
                              internaldate=p.date, message_id=p.message_id, retry=retry)
        return work

    def beside_done(self, remote: Remote) -> None:
        remote.report.resync.add(self.payload.folder)

    def describe(self) -> Sentence:
        return Sentence(QT_TRANSLATE_NOOP("Operations", "Import a message into “{folder}”"),
                        folder=self.payload.folder)


def _header_fields(head: bytes, names: Sequence[bytes]) -> dict[bytes, str]:
    """The first occurrence of each wanted header, unfolded, as text."""
    found: dict[bytes, str] = {}
    current: bytes | None = None
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t") and current is not None:
            found[current] += " " + line.strip().decode("utf-8", "replace")
            continue
        name, sep, value = line.partition(b":")
        key = name.strip().lower()
        current = None
        if sep and key in names and key not in found:
            found[key] = value.strip().decode("utf-8", "replace")
            current = key
    return found
