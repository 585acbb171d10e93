"""Dragging attachments out of the message view onto the desktop or a file manager.

Issue 5: the drag carries ``text/uri-list`` of files written only when the drop target
asks for them (RFC 2483 lines for other programs), each drag into its own fresh
subfolder of a private 0700 folder (files 0600) removed when the application quits,
so the file keeps the attachment's own name. Names go through ``save_bytes`` (made
safe again: a name never leaves that subfolder, RELIABILITY F.49); the bytes are the
attachment's decoded payload, unchanged.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QMetaType, QMimeData, Qt, QUrl
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from qtmail.mime.filenames import save_bytes
from qtmail.qt.dragdrop import URI_LIST_MIME, drag_pixmap

log = logging.getLogger(__name__)

AttachmentFile = tuple[str, bytes]
"""(file name as the sender gave it, after the parser's sanitising; decoded bytes)."""

FilesSource = Callable[[Sequence[int]], list[AttachmentFile]]
"""The files of some rows of the attachment list."""


class DragFolder:
    """A private 0700 folder holding one 0700 subfolder per drag; gone at exit."""

    def __init__(self, base: Callable[[], Path]) -> None:
        self._base = base

    def write(self, files: Sequence[AttachmentFile]) -> list[Path]:
        folder = Path(tempfile.mkdtemp(prefix="drag-", dir=self._base()))
        os.chmod(folder, 0o700)
        written: list[Path] = []
        for name, data in files:
            try:
                path = save_bytes(folder, name, data)
            except OSError as error:
                log.warning("attachment not written for a drag: %s", error)
                continue
            os.chmod(path, 0o600)
            written.append(path)
        return written


class AttachmentMimeData(QMimeData):
    """``text/uri-list`` of the attachments' files, written on the first request."""

    def __init__(self, files: Sequence[AttachmentFile], folder: DragFolder) -> None:
        super().__init__()
        self._pending = list(files)
        self._folder = folder
        self._paths: list[Path] | None = None

    def formats(self) -> list[str]:
        found = list(super().formats())
        if URI_LIST_MIME not in found:
            found.append(URI_LIST_MIME)
        return found

    def hasFormat(self, mimetype: str) -> bool:
        return mimetype == URI_LIST_MIME or super().hasFormat(mimetype)

    def retrieveData(self, mimetype: str,
                     preferred_type: QMetaType | QMetaType.Type) -> object:
        if mimetype != URI_LIST_MIME:
            return super().retrieveData(mimetype, preferred_type)
        urls = [QUrl.fromLocalFile(str(path)) for path in self.files()]
        wanted = preferred_type if isinstance(preferred_type, QMetaType) \
            else QMetaType(preferred_type)
        if wanted.id() == QMetaType.Type.QByteArray.value:
            return QByteArray("".join(f"{url.toString()}\r\n" for url in urls).encode())
        return urls

    def files(self) -> list[Path]:
        if self._paths is None:
            self._paths = self._folder.write(self._pending)
            self._pending = []  # the bytes now live in the files
        return list(self._paths)


class AttachmentItems(QListWidget):
    """objectName "attachmentItems": the list, a drag source of copies (never a move:
    QListWidget would then delete the dragged items itself)."""

    def __init__(self, parent: QWidget, files: FilesSource, folder: DragFolder) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentItems")
        self._files = files
        self._folder = folder
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [URI_LIST_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        rows = sorted({self.row(item) for item in items})
        return AttachmentMimeData(self._files(rows), self._folder)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        items = self.selectedItems() or ([self.currentItem()] if self.currentItem() else [])
        if not items:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData(items))
        label = items[0].text() if len(items) == 1 else \
            self.tr("%n attachments", "", len(items))
        drag.setPixmap(drag_pixmap(self, label))
        drag.exec(Qt.DropAction.CopyAction, Qt.DropAction.CopyAction)
