"""What a drag carries: message references, folders, and .eml files for other programs.

ARCHITECTURE.md "Drag and drop" (issue 5). Message rows drag as
``application/x-qtmail-message-refs`` (account, folder, UIDVALIDITY, UIDs) and, for
file managers and the desktop, as ``text/uri-list`` of .eml files that are written
only when a drop target asks for them, into a private folder (0700, files 0600)
removed when the application quits. Folders drag as ``application/x-qtmail-folder``.
Everything decoded from a drag is validated: a drag may come from another program.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMetaType,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDrag, QDropEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QWidget

from qtmail.core.types import MessageRef, MessageSummary
from qtmail.mime.filenames import safe_filename, save_bytes
from qtmail.qt.models.roles import Role

log = logging.getLogger(__name__)

MESSAGE_REFS_MIME = "application/x-qtmail-message-refs"
FOLDER_MIME = "application/x-qtmail-folder"
URI_LIST_MIME = "text/uri-list"
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


def refs_of(mime: QMimeData) -> tuple[MessageRefs, ...]:
    if not mime.hasFormat(MESSAGE_REFS_MIME):
        return ()
    return decode_refs(bytes(mime.data(MESSAGE_REFS_MIME).data()))


def folder_of(mime: QMimeData) -> FolderRef | None:
    if not mime.hasFormat(FOLDER_MIME):
        return None
    return decode_folder(bytes(mime.data(FOLDER_MIME).data()))


def eml_files_of(mime: QMimeData) -> list[Path]:
    """Local .eml files of a drop from a file manager (never our own message drags:
    those carry refs and are moved, not imported)."""
    if mime.hasFormat(MESSAGE_REFS_MIME) or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() == ".eml"]


def folder_mime(ref: FolderRef) -> QMimeData:
    mime = QMimeData()
    mime.setData(FOLDER_MIME, QByteArray(encode_folder(ref)))
    return mime


# -- .eml files on demand -----------------------------------------------------------------
RawSource = Callable[[MessageRefs], dict[int, bytes]]
"""Raw messages of some refs (cache or server); missing UIDs are left out."""


class EmlFolder:
    """A private 0700 folder the .eml files of drags are written to; gone at exit."""

    def __init__(self) -> None:
        self._path: Path | None = None

    def path(self) -> Path:
        if self._path is None or not self._path.is_dir():
            self._path = Path(tempfile.mkdtemp(prefix="qtmail-drag-"))
            os.chmod(self._path, 0o700)
            atexit.register(self.remove)
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self.remove)
        return self._path

    def write(self, subject: str, raw: bytes) -> Path:
        """``subject``.eml (made safe; "subject (2).eml" beside an existing one)."""
        # A subject is not a path: "Q3/Q4" keeps both halves.
        stem = safe_filename(subject.replace("/", "-").replace("\\", "-"), "message")
        # safe_filename keeps at most 200 bytes: room for ".eml" stays.
        path = save_bytes(self.path(), f"{stem}.eml", raw)
        os.chmod(path, 0o600)
        return path

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None


class MessageMimeData(QMimeData):
    """A message drag: refs at once, text/uri-list of .eml files only when asked for."""

    def __init__(self, groups: Sequence[MessageRefs], subjects: dict[int, str],
                 raw_source: RawSource | None, folder: EmlFolder | None) -> None:
        super().__init__()
        self.groups = tuple(groups)
        self._subjects = subjects
        self._raw_source = raw_source
        self._folder = folder
        self._files: list[Path] | None = None
        self.setData(MESSAGE_REFS_MIME, QByteArray(encode_refs(self.groups)))

    def formats(self) -> list[str]:
        found = list(super().formats())
        if self._can_export() and URI_LIST_MIME not in found:
            found.append(URI_LIST_MIME)
        return found

    def hasFormat(self, mimetype: str) -> bool:
        if mimetype == URI_LIST_MIME:
            return self._can_export()
        return super().hasFormat(mimetype)

    def retrieveData(self, mimetype: str,
                     preferred_type: QMetaType | QMetaType.Type) -> object:
        if mimetype == URI_LIST_MIME and self._can_export():
            urls = [QUrl.fromLocalFile(str(p)) for p in self.files()]
            wanted = preferred_type if isinstance(preferred_type, QMetaType) \
                else QMetaType(preferred_type)
            if wanted.id() == QMetaType.Type.QByteArray.value:
                # What another program gets: RFC 2483 lines.
                return QByteArray("".join(f"{u.toString()}\r\n" for u in urls).encode())
            return urls  # QMimeData.urls() asks for a list
        return super().retrieveData(mimetype, preferred_type)

    def _can_export(self) -> bool:
        return self._raw_source is not None and self._folder is not None

    def files(self) -> list[Path]:
        """The .eml files, written on the first call (a drop target asked for them)."""
        if self._files is None:
            self._files = []
            if self._raw_source is not None and self._folder is not None:
                self._files = self._write(self._raw_source, self._folder)
        return list(self._files)

    def _write(self, source: RawSource, folder: EmlFolder) -> list[Path]:
        written: list[Path] = []
        for group in self.groups:
            for uid, raw in sorted(source(group).items()):
                try:
                    written.append(folder.write(self._subjects.get(uid, ""), raw))
                except OSError as error:
                    log.warning("message %d not exported: %s", uid, error)
        return written


@dataclass
class MessageExport:
    """Where a message drag's .eml files come from and go (set by the window)."""

    raw_source: RawSource
    folder: EmlFolder


def message_mime(indexes: Iterable[QModelIndex | QPersistentModelIndex],
                 export: MessageExport | None) -> MessageMimeData | None:
    """The drag of the rows of ``indexes`` (any columns), by their MessageRef role."""
    found: list[tuple[MessageRef, str]] = []
    seen: set[tuple[int, int, int]] = set()
    for index in indexes:
        # internalId: in a tree (threads) row numbers repeat under different parents.
        key = (index.row(), index.internalId(), id(index.model()))
        if key in seen or not index.isValid():
            continue
        seen.add(key)
        ref = index.data(Role.MESSAGE_REF)
        if not isinstance(ref, MessageRef):
            continue
        summary = index.data(Role.SUMMARY)
        found.append((ref, summary.subject if isinstance(summary, MessageSummary) else ""))
    return refs_mime(found, export)


def refs_mime(messages: Iterable[tuple[MessageRef, str]],
              export: MessageExport | None) -> MessageMimeData | None:
    """The drag of ``messages`` (ref, subject), grouped by account and folder."""
    by_folder: dict[tuple[str, str, int], set[int]] = {}
    subjects: dict[int, str] = {}
    for ref, subject in messages:
        by_folder.setdefault((ref.account, ref.folder, ref.uidvalidity), set()).add(ref.uid)
        subjects[ref.uid] = subject
    if not by_folder:
        return None
    groups = [MessageRefs(a, f, v, tuple(sorted(uids)))
              for (a, f, v), uids in by_folder.items()]
    return MessageMimeData(groups, subjects, export.raw_source if export else None,
                           export.folder if export else None)


def uids_in(groups: Iterable[MessageRefs]) -> int:
    return sum(len(g.uids) for g in groups)


def exec_message_drag(source: QWidget, mime: MessageMimeData) -> None:
    """Run a drag of messages from a list view, labelled "3 messages". Never Qt's own
    startDrag: after a MoveAction it calls removeRows, deleting rows the engine has
    not agreed to move (shared/recipes/qt-headless.md); they leave by its events."""
    count = uids_in(mime.groups)
    label = QCoreApplication.translate("MessageListView", "1 message") if count == 1 \
        else QCoreApplication.translate("MessageListView", "%n messages", "", count)
    drag = QDrag(source)
    drag.setMimeData(mime)
    drag.setPixmap(drag_pixmap(source, label))
    drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)


def drag_pixmap(widget: QWidget, text: str) -> QPixmap:
    """A small label under the cursor: "3 messages", a folder's name."""
    metrics = widget.fontMetrics()
    shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, 320)
    size = QSize(metrics.horizontalAdvance(shown) + 16, metrics.height() + 8)
    ratio = widget.devicePixelRatioF()
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    palette = widget.palette()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRect(QPoint(0, 0), size), 6, 6)
    painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
    painter.drawText(QRect(QPoint(0, 0), size), Qt.AlignmentFlag.AlignCenter, shown)
    painter.end()
    return pixmap


def drop_action(event: QDropEvent) -> Qt.DropAction:
    """Move, or Copy with Ctrl; files from other programs are always copied (a Move
    would let the file manager delete the .eml once imported)."""
    possible = event.possibleActions()
    data = event.mimeData()
    ours = data.hasFormat(MESSAGE_REFS_MIME) or data.hasFormat(FOLDER_MIME)
    # Not proposedAction(): without a QDrag of this process it is Copy whatever the keys.
    wants_copy = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier) or not ours
    if wants_copy and possible & Qt.DropAction.CopyAction:
        return Qt.DropAction.CopyAction
    if possible & Qt.DropAction.MoveAction:
        return Qt.DropAction.MoveAction
    return Qt.DropAction.IgnoreAction
