"""The composer's attachments: added from a file dialog, dropped or pasted files.

Files are read off the GUI thread (ARCHITECTURE.md boundary 4), one at a time on a
private QThreadPool, and refused above MAX_FILE_BYTES with a sentence; the window warns
before sending more than LARGE_TOTAL_BYTES in all.
"""

from __future__ import annotations

import contextlib
import itertools
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qtmail.core.outgoing import Attachment
from qtmail.mime.filenames import safe_filename
from qtmail.qt.widgets.quota import format_size

MAX_FILE_BYTES = 100 * 1024 * 1024
"""A file over this is refused: no mail server takes it, and it would sit in memory."""
LARGE_TOTAL_BYTES = 20 * 1024 * 1024
"""Over this in all, ask before sending: many servers refuse 25 MB (base64 adds a third)."""

_TOO_BIG = "too big"
_NOT_A_FILE = "not a file"


@dataclass(frozen=True, slots=True)
class _Read:
    job: int
    path: str
    data: bytes | None
    problem: str
    """"", _TOO_BIG, _NOT_A_FILE, or the OS's error text."""


class _ReadFile(QRunnable):
    def __init__(self, area: AttachmentArea, job: int, path: str) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._area, self._job, self._path = area, job, path

    def run(self) -> None:
        data: bytes | None = None
        problem = ""
        try:
            path = Path(self._path)
            if not path.is_file():
                problem = _NOT_A_FILE
            elif path.stat().st_size > MAX_FILE_BYTES:
                problem = _TOO_BIG
            else:
                with path.open("rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:  # grew while we looked
                    data, problem = None, _TOO_BIG
        except OSError as error:
            problem = error.strerror or str(error)
        with contextlib.suppress(RuntimeError):  # the composer closed meanwhile
            self._area._read.emit(_Read(self._job, self._path, data, problem))


def content_type_for(name: str) -> str:
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


class AttachmentArea(QWidget):
    """A list of attachments, name and size, each removable.

    Signals: ``changed()`` after any addition or removal; ``problem(str)`` with a
    sentence when a file cannot be attached; ``idle()`` when no file is being read.
    """

    changed = Signal()
    problem = Signal(str)
    idle = Signal()
    _read = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentArea")
        self.setAccessibleName(self.tr("Attachments"))
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs = itertools.count(1)
        self._waiting: set[int] = set()
        self._read.connect(self._file_read, Qt.ConnectionType.QueuedConnection)
        self.list = _AttachmentListWidget(self)
        self.list.setObjectName("attachmentList")
        self.list.setAccessibleName(self.tr("Attached files"))
        self.list.remove_pressed.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_button)
        self.summary = QLabel(self)
        self.summary.setObjectName("attachmentSummary")
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.remove_button.setObjectName("removeAttachmentButton")
        self.remove_button.setAccessibleName(self.tr("Remove the selected attachment"))
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        # A strip of names, not a second body: two rows, then it scrolls.
        self.list.setMaximumHeight(2 * self.list.fontMetrics().height() + 16)
        self._update()

    # -- adding -------------------------------------------------------------------------
    def add_files(self, paths: Sequence[str]) -> None:
        for path in paths:
            job = next(self._jobs)
            self._waiting.add(job)
            self._pool.start(_ReadFile(self, job, path))
        self._update()

    def add_attachment(self, attachment: Attachment) -> None:
        item = QListWidgetItem(self._label(attachment))
        item.setData(Qt.ItemDataRole.UserRole, attachment)
        item.setToolTip(attachment.content_type)
        self.list.addItem(item)
        self._update()
        self.changed.emit()

    def _label(self, attachment: Attachment) -> str:
        return self.tr("%1 (%2)").replace("%1", attachment.filename).replace(
            "%2", format_size(len(attachment.data)))

    @Slot(object)
    def _file_read(self, result: _Read) -> None:
        if result.job not in self._waiting:
            return
        self._waiting.discard(result.job)
        name = Path(result.path).name
        if result.data is not None:
            filename = safe_filename(name, "attachment")
            self.add_attachment(Attachment(filename, content_type_for(filename), result.data))
        elif result.problem == _TOO_BIG:
            self.problem.emit(self.tr("“%1” is too big to send by email (over %2).")
                              .replace("%1", name).replace("%2", format_size(MAX_FILE_BYTES)))
        elif result.problem == _NOT_A_FILE:
            self.problem.emit(self.tr("“%1” is a folder or not a file, so it cannot be "
                                      "attached.").replace("%1", name))
        else:
            self.problem.emit(self.tr("“%1” could not be read: %2").replace("%1", name)
                              .replace("%2", result.problem))
        self._update()
        if not self._waiting:
            self.idle.emit()

    # -- state ----------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return bool(self._waiting)

    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(self.list.item(row).data(Qt.ItemDataRole.UserRole)
                     for row in range(self.list.count()))

    def total_size(self) -> int:
        return sum(len(a.data) for a in self.attachments())

    @Slot()
    def remove_selected(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()),
                      reverse=True)
        for row in rows:
            self.list.takeItem(row)
        if rows:
            self._update()
            self.changed.emit()

    def _update(self) -> None:
        count = self.list.count()
        text = self.tr("%n attachment(s), %1", "", count).replace(
            "%1", format_size(self.total_size()))
        if self._waiting:
            text += " " + self.tr("(reading files…)")
        self.summary.setText(text)
        self.setVisible(bool(count or self._waiting))
        self._update_button()

    @Slot()
    def _update_button(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def shutdown(self) -> None:
        """Forget reads in progress and wait for the pool's thread (window closing)."""
        self._waiting.clear()
        self._pool.waitForDone()


class _AttachmentListWidget(QListWidget):
    """Delete or Backspace removes the selected attachments (``remove_pressed()``)."""

    remove_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

