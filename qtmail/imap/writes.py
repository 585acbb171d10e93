"""Write commands of an ImapSession, the object ``session.writes``: flags, copy, move,
delete, APPEND, folder changes.

Capability decisions for writes are made here, once (ARCHITECTURE boundary 2): UID MOVE
(RFC 6851) when offered, else COPY + \\Deleted + UID EXPUNGE (RFC 4315 2.1) with UIDPLUS,
else COPY + \\Deleted only. A plain EXPUNGE would also remove messages other clients
marked \\Deleted, so it is sent only when the user asked to delete for good.
Every refusal becomes a ``ServerError`` with a sentence for the user and the RFC 5530
response code; the raw command plumbing and those sentences live in
``qtmail.imap.writecmd``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.core.types import DELETED, RECENT, Flags, FolderInfo
from qtmail.imap import utf7
from qtmail.imap.fastfetch import FetchResult, FlagsResult
from qtmail.imap.folders import ListEntry
from qtmail.imap.uidset import parse_uid_set, uid_set
from qtmail.imap.writecmd import Connection, Literal, astring, folder_wire, refused, run

log = logging.getLogger(__name__)

# Longest sequence set per command: Dovecot refuses very long lines ("Too long argument").
MAX_SET_LENGTH = 4000
# Message-IDs OR-ed into one SEARCH (RFC 3501 6.4.4 "OR search-key1 search-key2").
IDS_PER_SEARCH = 50

# RFC 3501 9: flag-keyword = atom; flag-extension = "\" atom. No atom-specials.
_FLAG = re.compile(r"\\?[^\x00-\x20\x7f(){%*\"\\\]]+")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")


@dataclass(frozen=True)
class CopyResult:
    uid_map: dict[int, int]
    """Source UID -> destination UID from COPYUID (RFC 4315 3); {} when none was given."""
    dest_uidvalidity: int | None
    """The destination's UIDVALIDITY, which COPYUID names first: the new UIDs mean those
    messages only under it. None without COPYUID."""


@dataclass(frozen=True)
class MoveResult(CopyResult):
    expunged: bool
    """False when the source copies are only flagged \\Deleted (no MOVE, no UIDPLUS)."""


def uid_batches(uids: Iterable[int], max_length: int = MAX_SET_LENGTH) -> list[str]:
    """Sorted UIDs as sequence sets of at most ``max_length`` characters each."""
    batches: list[str] = []
    current: list[int] = []
    length = 0
    for uid in sorted(set(uids)):
        if current and uid == current[-1] + 1:
            current.append(uid)  # extends a range: "a:b" grows by at most a few chars
            length += 1
        else:
            length += len(str(uid)) * 2 + 2
            if current and length > max_length:
                batches.append(uid_set(current))
                current, length = [], len(str(uid)) * 2 + 2
            current.append(uid)
    if current:
        batches.append(uid_set(current))
    return batches


def _require_selected(session: WriteSession) -> FolderInfo:
    if session.selected is None:
        raise RuntimeError("a message command needs a selected folder")
    return session.selected


def _flag_list(flags: Iterable[str]) -> bytes:
    """A parenthesised flag list (RFC 3501 9 ``flag-list``); \\Recent is never stored."""
    names = sorted(f for f in flags if f.lower() != RECENT.lower())
    for name in names:
        if not (name.isascii() and _FLAG.fullmatch(name)):
            raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The tag “{name}” cannot be stored on the server."), name=name),
                              code="CANNOT")
    return b"(" + " ".join(names).encode("ascii") + b")"


# --- flags --------------------------------------------------------------------------------


def _store(session: WriteSession, uids: Iterable[int], item: bytes, flags: bytes,
           name: str) -> None:
    for uid_text in uid_batches(uids):
        reply = run(session, "UID STORE", [b"UID STORE", uid_text.encode(), item, flags])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The changes to messages in “{name}” were not saved."), name=name),
                          folder=name, changing=True)


# --- copy, move, delete -------------------------------------------------------------------


def _copyuid(values: list[bytes], mapping: dict[int, int], validity: int | None
             ) -> int | None:
    """RFC 4315 3: ``COPYUID uidvalidity source-set dest-set``, paired in order, added to
    ``mapping``; returns the destination's UIDVALIDITY (``validity`` when none came).
    Codes naming different UIDVALIDITYs (the folder was replaced between two batches)
    keep only the last one's UIDs: the earlier ones name nothing now."""
    for value in values:
        try:
            validity_text, source, dest = value.split()
            sources, dests = parse_uid_set(source), parse_uid_set(dest)
            stated = int(validity_text)
        except ValueError:
            log.warning("unparsable COPYUID ignored: %.200r", value)
            continue
        if len(sources) != len(dests):
            log.warning("COPYUID with unequal sets ignored: %.200r", value)
            continue
        if validity is not None and stated != validity:
            mapping.clear()
        validity = stated
        mapping.update(zip(sources, dests, strict=True))
    return validity


def _copy(session: WriteSession, uid_text: str, wire: bytes, name: str) -> list[bytes]:
    """UID COPY of one batch; its COPYUID codes (``_copyuid``)."""
    reply = run(session, "UID COPY", [b"UID COPY", uid_text.encode(), astring(wire)])
    if not reply.ok:
        raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The messages could not be copied to “{name}”."), name=name), folder=name,
                      changing=True)
    return reply.codes.get("COPYUID", [])


def _uid_expunge(session: WriteSession, uid_text: str, name: str) -> None:
    # RFC 4315 2.1: only these UIDs go, not what other clients marked \Deleted.
    reply = run(session, "UID EXPUNGE", [b"UID EXPUNGE", uid_text.encode()])
    if not reply.ok:
        raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The messages could not be removed from “{name}”."), name=name),
                      folder=name, changing=True)


# --- APPEND -----------------------------------------------------------------------------


def internaldate_text(timestamp: int) -> bytes:
    """RFC 3501 9 ``date-time``: ``"dd-Mon-yyyy hh:mm:ss +0000"``, in UTC, English months."""
    when = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return (f'"{when.day:2d}-{_MONTHS[when.month - 1]}-{when.year:04d} '
            f'{when:%H:%M:%S} +0000"').encode("ascii")


# --- folders ------------------------------------------------------------------------------


def _leave_if_selected(session: WriteSession, wire: bytes) -> None:
    """Leave the folder before it is renamed or deleted: a selected mailbox that goes
    away may cost the connection (RFC 3501 6.3.4 leaves it to the server)."""
    if session.selected is not None and session.selected.wire == wire:
        session.unselect()


def _subscriptions_under(session: WriteSession, wire: bytes) -> list[bytes]:
    """Wire names of the subscribed folder ``wire`` and its subfolders (LSUB)."""
    if not wire.isascii() or any(c in wire for c in b'"\\%*\r\n'):
        return []  # not expressible as a quoted LSUB pattern; keep it simple
    pattern = '"' + wire.decode("ascii") + '*"'
    entries = session.list_entries("LSUB", ['""', pattern], "LSUB")
    return [e.wire for e in entries
            if e.wire == wire or (e.delimiter and e.wire.startswith(wire + e.delimiter))]


# --- replay checks ------------------------------------------------------------------------


def _quoted(text: str) -> bytes:
    return b'"' + text.encode("ascii").replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


class WriteSession(Connection, Protocol):
    """What the write commands use of ``ImapSession`` (a seam, not an import of it)."""

    @property
    def moves_atomically(self) -> bool: ...
    @property
    def expunges_by_uid(self) -> bool: ...

    def unselect(self) -> None: ...
    def list_entries(self, command: str, args: list[str], logged: str) -> list[ListEntry]: ...
    def search_uids(self, criteria: str = "ALL") -> list[int]: ...
    def fetch_summaries(self, uids: str) -> FetchResult: ...
    def fetch_flags(self, uids: str, *, changedsince: int | None = None,
                    vanished: bool = False) -> FlagsResult: ...


class Writes:
    """The write commands of one session: ``session.writes.move_messages(...)``.

    Capability choices for writes are made here, once per call (module docstring).
    """

    def __init__(self, session: WriteSession) -> None:
        self._session = session

    def store_flags(self, uids: Sequence[int], *, add: Flags = frozenset(),
                    remove: Flags = frozenset()) -> None:
        """UID STORE +FLAGS.SILENT / -FLAGS.SILENT (RFC 3501 6.4.6)."""
        folder = _require_selected(self._session)
        if not uids:
            return
        permanent = self._session.permanent_flags
        if add and permanent is not None and "\\*" not in permanent:
            # RFC 3501 7.1: PERMANENTFLAGS without "\*" lists the only keywords kept.
            for keyword in sorted(add):
                if not keyword.startswith("\\") and keyword.lower() not in permanent:
                    raise ServerError(Sentence(QT_TRANSLATE_NOOP(
                        "Errors",
                        "The folder “{folder}” cannot keep the tag “{tag}” on the server."),
                        folder=folder.name, tag=keyword), code="CANNOT")
        for sign, flags in ((b"+", add), (b"-", remove)):
            if flags:
                _store(self._session, uids, sign + b"FLAGS.SILENT", _flag_list(flags), folder.name)

    def claim(self, uid: int, keyword: str, modseq: int | None) -> bool:
        """Set ``keyword`` on ``uid`` unless another client changed the message since
        ``modseq`` (RFC 7162 3.1.3 UNCHANGEDSINCE: the server answers [MODIFIED uid]
        then and sets nothing). True: this client claimed it, no other will. Without a
        mod-sequence (no CONDSTORE) the keyword is checked first: good, not atomic."""
        folder = _require_selected(self._session)
        flag = _flag_list([keyword])
        if modseq is None:
            if self._session.search_uids(f"UID {uid} KEYWORD {keyword}"):
                return False
            _store(self._session, [uid], b"+FLAGS.SILENT", flag, folder.name)
            return True
        for _attempt in range(3):
            reply = run(self._session, "UID STORE",
                        [b"UID STORE", str(uid).encode(), b"(UNCHANGEDSINCE %d)" % modseq,
                         b"+FLAGS.SILENT", flag])
            if not reply.ok:
                raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                    "Errors", "The changes to messages in “{name}” were not saved."),
                    name=folder.name), folder=folder.name, changing=True)
            if "MODIFIED" not in reply.codes:
                return True
            # Changed meanwhile: claimed by another device, or only read there.
            now = self._session.fetch_flags(str(uid)).flags.get(uid)
            if now is None or keyword.lower() in {f.lower() for f in now[0]}:
                return False
            modseq = now[1] if now[1] is not None else modseq
        return False

    def existing_uids(self, uids: Sequence[int]) -> set[int]:
        """Which of ``uids`` are in the selected folder now (UID SEARCH UID, RFC 3501
        6.4.4). A STORE to a UID that is gone is answered OK and does nothing (6.4.6
        has no error for it), so a change would vanish without a word otherwise."""
        _require_selected(self._session)
        found: set[int] = set()
        for uid_text in uid_batches(uids):
            found.update(self._session.search_uids(f"UID {uid_text}"))
        return found & set(uids)

    def copy_messages(self, uids: Sequence[int], dest: FolderInfo | str) -> CopyResult:
        """UID COPY (RFC 3501 6.4.7); the COPYUID mapping, empty without UIDPLUS."""
        _require_selected(self._session)
        wire, name = folder_wire(dest)
        mapping: dict[int, int] = {}
        validity = None
        for uid_text in uid_batches(uids):
            validity = _copyuid(_copy(self._session, uid_text, wire, name), mapping, validity)
        return CopyResult(mapping, validity)

    def move_messages(self, uids: Sequence[int],
                      dest: FolderInfo | str) -> MoveResult:
        """Move with the best command the server offers (see the module docstring)."""
        source = _require_selected(self._session)
        wire, name = folder_wire(dest)
        mapping: dict[int, int] = {}
        validity = None
        move, uidplus = self._session.moves_atomically, self._session.expunges_by_uid
        for uid_text in uid_batches(uids):
            if move:
                # RFC 6851 4.3: COPYUID comes in an untagged OK before the expunges.
                reply = run(self._session, "UID MOVE",
                            [b"UID MOVE", uid_text.encode(), astring(wire)])
                if not reply.ok:
                    raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                        "Errors", "The messages could not be moved to “{name}”."), name=name),
                                  folder=name, changing=True)
                validity = _copyuid(reply.codes.get("COPYUID", []), mapping, validity)
                continue
            validity = _copyuid(_copy(self._session, uid_text, wire, name), mapping, validity)
            _store(self._session, parse_uid_set(uid_text), b"+FLAGS.SILENT",
                   _flag_list([DELETED]), source.name)
            if uidplus:
                _uid_expunge(self._session, uid_text, source.name)
        return MoveResult(mapping, validity, expunged=move or uidplus)

    def delete_messages(self, uids: Sequence[int], *,
                        expunge: bool = True) -> bool:
        """\\Deleted, then UID EXPUNGE with UIDPLUS; without it a plain EXPUNGE only if
        ``expunge`` (RFC 3501 6.4.3 removes every \\Deleted message). Returns whether the
        messages are gone."""
        folder = _require_selected(self._session)
        if not uids:
            return True
        _store(self._session, uids, b"+FLAGS.SILENT", _flag_list([DELETED]), folder.name)
        if self._session.expunges_by_uid:
            for uid_text in uid_batches(uids):
                _uid_expunge(self._session, uid_text, folder.name)
            return True
        if not expunge:
            return False
        reply = run(self._session, "EXPUNGE", [b"EXPUNGE"])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The messages could not be removed from “{folder}”."),
                folder=folder.name),
                          folder=folder.name, changing=True)
        return True

    def append(self, folder: FolderInfo | str, raw: bytes, *,
               flags: Flags = frozenset(), internaldate: int | None = None) -> int | None:
        """APPEND (RFC 3501 6.3.11); the new message's UID from APPENDUID (RFC 4315 3)."""
        wire, name = folder_wire(folder)
        args: list[bytes | Literal] = [b"APPEND", astring(wire), _flag_list(flags)]
        if internaldate is not None:
            args.append(internaldate_text(internaldate))
        args.append(Literal(raw))
        reply = run(self._session, "APPEND", args)
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The message could not be saved in “{name}”."), name=name), folder=name,
                          changing=True)
        for value in reply.codes.get("APPENDUID", []):
            parts = value.split()
            if len(parts) == 2 and parts[1].isdigit():
                return int(parts[1])
        return None

    def create_folder(self, name: str) -> None:
        """CREATE (RFC 3501 6.3.3); an existing name raises code ALREADYEXISTS."""
        wire, _ = folder_wire(name)
        reply = run(self._session, "CREATE", [b"CREATE", astring(wire)])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{name}” could not be created."), name=name), folder=name,
                          creating=True)

    def rename_folder(self, old: FolderInfo | str, new_name: str) -> None:
        """RENAME (RFC 3501 6.3.5); subfolders follow on the server."""
        wire, name = folder_wire(old)
        new_wire, _ = folder_wire(new_name)
        _leave_if_selected(self._session, wire)
        subscribed = _subscriptions_under(self._session, wire)
        reply = run(self._session, "RENAME", [b"RENAME", astring(wire), astring(new_wire)])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{name}” could not be renamed to “{new_name}”."),
                name=name, new_name=new_name),
                          folder=name, target=new_name, changing=True)
        # RFC 3501 6.3.5 says nothing of subscriptions and Dovecot leaves them under the old
        # names: move them, so the renamed folders stay visible where LSUB is used.
        for old_sub in subscribed:
            try:
                self.subscribe(new_wire + old_sub[len(wire):])
                self.subscribe(old_sub, subscribed=False)
            except ServerError as error:
                log.warning("subscription not moved after a rename: %s", error.server_text)

    def delete_folder(self, folder: FolderInfo | str) -> None:
        """DELETE (RFC 3501 6.3.4)."""
        wire, name = folder_wire(folder)
        _leave_if_selected(self._session, wire)
        reply = run(self._session, "DELETE", [b"DELETE", astring(wire)])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{name}” could not be deleted."), name=name), folder=name,
                          changing=True)

    def subscribe(self, folder: FolderInfo | str | bytes,
                  subscribed: bool = True) -> None:
        """SUBSCRIBE / UNSUBSCRIBE (RFC 3501 6.3.6, 6.3.7); bytes are a wire name."""
        if isinstance(folder, bytes):
            wire, name = folder, utf7.decode_name(folder)[0]
        else:
            wire, name = folder_wire(folder)
        command = "SUBSCRIBE" if subscribed else "UNSUBSCRIBE"
        reply = run(self._session, command, [command.encode(), astring(wire)])
        if not reply.ok:
            raise refused(reply, Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The subscription to “{name}” could not be changed."), name=name),
                          folder=name)

    def find_message_ids(self, message_ids: Iterable[str]) -> dict[str, list[int]]:
        """UIDs in the selected folder carrying each Message-ID, keyed as given (an id
        without UIDs there maps to []). Ids are meant without angle brackets; with them works.

        Used to make replays idempotent: a COPY or APPEND the server did just before a
        crash is found, not repeated. RFC 3501 6.4.4 HEADER matches substrings, so with
        several ids per SEARCH the found messages' Message-IDs are fetched and compared.
        """
        _require_selected(self._session)
        result: dict[str, list[int]] = {m: [] for m in message_ids}
        keys_of: dict[str, list[str]] = {}
        for given in result:
            keys_of.setdefault(given.strip().strip("<>").strip(), []).append(given)
        searchable = [m for m in keys_of if m and m.isascii() and m.isprintable()]
        if len(searchable) != len(keys_of):
            log.warning("%d Message-IDs that are not printable ASCII were not searched",
                        len(keys_of) - len(searchable))
        for start in range(0, len(searchable), IDS_PER_SEARCH):
            batch = searchable[start:start + IDS_PER_SEARCH]
            keys = [b"HEADER Message-ID " + _quoted(f"<{m}>") for m in batch]
            criteria = keys[-1]
            for key in reversed(keys[:-1]):  # RFC 3501 6.4.4: OR takes two keys
                criteria = b"OR " + key + b" " + criteria
            found = self._session.search_uids(criteria.decode("ascii"))
            if not found:
                continue
            if len(batch) == 1:
                hits = [(batch[0], uid) for uid in found]
            else:
                hits = [(s.message_id, s.uid)
                        for s in self._session.fetch_summaries(uid_set(found)).summaries]
            for message_id, uid in hits:
                for given in keys_of.get(message_id, ()):
                    result[given].append(uid)
        for uids in result.values():
            uids.sort()
        return result
