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
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

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

from qtmail.core.drag_payload import (
    FolderRef,
    MessageRefs,
    decode_folder,
    decode_refs,
    encode_folder,
    encode_refs,
)
from qtmail.core.types import MessageRef, MessageSummary
from qtmail.mime.filenames import safe_filename, save_bytes
from qtmail.qt.models.roles import Role

log = logging.getLogger(__name__)

MESSAGE_REFS_MIME = "application/x-qtmail-message-refs"
FOLDER_MIME = "application/x-qtmail-folder"
URI_LIST_MIME = "text/uri-list"
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
class EmlBatch:
    """The .eml files of one drag, written off the GUI thread as their bodies arrive
    (qtmail/qt/controllers/drag_export.py). Read from the GUI thread while a writer
    thread adds to it: hence the lock."""

    def __init__(self, expected: int) -> None:
        self._lock = threading.Lock()
        self._paths: list[Path] = []
        self._left = expected

    def add(self, path: Path | None) -> None:
        """One message finished: written to ``path``, or not (None: it failed)."""
        with self._lock:
            if path is not None:
                self._paths.append(path)
            self._left -= 1

    def paths(self) -> list[Path]:
        """The files written so far."""
        with self._lock:
            return list(self._paths)

    @property
    def done(self) -> bool:
        with self._lock:
            return self._left <= 0


class MessageExport(Protocol):
    """Starts writing the .eml files of a drag (the window's DragExport)."""

    def start(self, groups: Sequence[MessageRefs], subjects: dict[int, str]) -> EmlBatch: ...


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
    """A message drag: refs at once; text/uri-list of .eml files that the accounts'
    workers write once the drag leaves qtmail (``prepare``). The GUI thread never
    waits for them: a drop target gets the files written by then (issue 12)."""

    def __init__(self, groups: Sequence[MessageRefs], subjects: dict[int, str],
                 export: MessageExport | None) -> None:
        super().__init__()
        self.groups = tuple(groups)
        self._subjects = subjects
        self._export = export
        self._batch: EmlBatch | None = None
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
        return self._export is not None

    def prepare(self) -> None:
        """Start writing the .eml files (once): the drag left for another program."""
        if self._batch is None and self._export is not None:
            self._batch = self._export.start(self.groups, self._subjects)

    @property
    def export_done(self) -> bool:
        """Every .eml file is written (or failed): nothing more will come."""
        return self._batch is not None and self._batch.done

    def files(self) -> list[Path]:
        """The .eml files written so far (asking starts the writing)."""
        self.prepare()
        return [] if self._batch is None else self._batch.paths()


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
    return MessageMimeData(groups, subjects, export)


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

    def target_changed(target: object) -> None:
        # No target of ours: over another program (a file manager), which may want the
        # .eml files at the drop. Drags onto qtmail's own folders never write any.
        if target is None:
            mime.prepare()

    drag.targetChanged.connect(target_changed)
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
