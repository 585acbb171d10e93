"""Previewing an attachment without saving it (issue 14): pictures and text files in a
window of qtmail's own; nothing is written to disk and no other program starts. PDFs
and everything else open in the system's viewer (QtPdf is not in PySide6-Essentials).

Pictures are decoded by the same bounded decoder as remote images (formats, pixel
count: qtmail.qt.remote_loader), so a decompression bomb or an SVG runs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from qtmail.mime.render import escape_display

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import AttachmentInfo

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""Text shown in a preview at most (a log file of a gigabyte opens elsewhere)."""
TEXT_TYPES = ("application/json", "application/xml", "application/x-sh",
              "application/javascript", "application/csv")
TEXT_EXTENSIONS = (".txt", ".log", ".csv", ".md", ".json", ".xml", ".diff", ".patch",
                   ".ini", ".yaml", ".yml", ".py", ".c", ".h", ".sh", ".ics", ".vcf")


def kind(info: AttachmentInfo) -> str | None:
    """"image", "text", or None when qtmail does not preview it."""
    ctype = info.content_type.lower()
    if ctype.startswith("image/") and ctype != "image/svg+xml":
        return "image"
    if ctype.startswith("text/") or ctype in TEXT_TYPES \
            or info.filename.lower().endswith(TEXT_EXTENSIONS):
        return "text"
    return None


class AttachmentPreview(QDialog):
    """objectName "attachmentPreview": one attachment, read-only; Escape closes."""

    def __init__(self, info: AttachmentInfo, data: bytes, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentPreview")
        self.setWindowTitle(escape_display(info.filename))
        layout = QVBoxLayout(self)
        self.shown_as = kind(info)
        if self.shown_as == "image":
            # The loader's module (urllib, http.client) comes with the first image shown.
            from qtmail.qt.remote_loader import decode_image

            image = decode_image(data)
            if image is None:
                self.shown_as = None
            else:
                label = QLabel(self)
                label.setObjectName("previewImage")
                label.setPixmap(QPixmap.fromImage(image))
                area = QScrollArea(self)
                area.setWidget(label)
                area.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(area)
                self.resize(min(image.width() + 40, 1000), min(image.height() + 40, 800))
        if self.shown_as == "text":
            text = QPlainTextEdit(self)
            text.setObjectName("previewText")
            text.setReadOnly(True)
            text.setFont(QFont("monospace"))
            cut = data[:MAX_TEXT_BYTES]
            text.setPlainText(cut.decode("utf-8", errors="replace")
                              + (self.tr("\n[… the rest is not shown]") if len(data) > len(cut)
                                 else ""))
            layout.addWidget(text)
            self.resize(800, 600)
        if self.shown_as is None:
            note = QLabel(self.tr("This picture cannot be shown safely. Save it, or open "
                                  "it with another program."), self)
            note.setWordWrap(True)
            layout.addWidget(note)
        QShortcut(QKeySequence("Escape"), self, self.close)
