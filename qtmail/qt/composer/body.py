"""The composer's body: plain text by default, optional simple rich text.

Rich text is limited to what survives as a plain-text alternative: bold, italic,
links and lists (sent as multipart/alternative, RFC 2046 5.1.4, with the plain part
first). Files dropped or pasted onto the body become attachments, never inline data.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor, QTextDocument, QTextListFormat
from PySide6.QtWidgets import QTextEdit, QWidget


def local_files(source: QMimeData) -> list[str]:
    """The local file paths of a drop or a paste (text/uri-list), else []."""
    if not source.hasUrls():
        return []
    return [url.toLocalFile() for url in source.urls() if url.isLocalFile()]


def plain_text(document: QTextDocument) -> str:
    """The document as plain text, lists kept as "- " or "1. " lines (toPlainText
    drops the markers, and the plain part must say what the rich one says)."""
    lines: list[str] = []
    block = document.begin()
    while block.isValid():
        text = block.text().replace("\u2028", "\n")
        text_list = block.textList()
        if text_list is not None:
            style = text_list.format().style()
            numbered = style in (QTextListFormat.Style.ListDecimal,
                                 QTextListFormat.Style.ListLowerAlpha,
                                 QTextListFormat.Style.ListUpperAlpha)
            marker = f"{text_list.itemNumber(block) + 1}. " if numbered else "- "
            indent = "  " * max(text_list.format().indent() - 1, 0)
            text = indent + marker + text
        lines.append(text)
        block = block.next()
    return "\n".join(lines).replace("\u00a0", " ")


class BodyEdit(QTextEdit):
    """The text of the message. Signals: ``files_dropped(list[str])`` for local files
    dropped or pasted onto it."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composerBody")
        self.setAccessibleName(self.tr("Message text"))
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        font = QFont(self.font())
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        self.document().setDefaultFont(font)

    @property
    def rich(self) -> bool:
        return self.acceptRichText()

    def set_rich(self, rich: bool) -> None:
        """Switching back to plain text keeps the words and drops the formatting."""
        if rich == self.rich:
            return
        if not rich:
            text = plain_text(self.document())
            self.setAcceptRichText(False)
            self.setPlainText(text)
        else:
            self.setAcceptRichText(True)

    def text(self) -> str:
        return plain_text(self.document()) if self.rich else self.toPlainText()

    def html(self) -> str | None:
        return self.toHtml() if self.rich else None

    # -- drops and pastes ------------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.files_dropped.emit(files)
        elif self.rich:
            super().insertFromMimeData(source)
        elif source.hasText():
            self.insertPlainText(source.text())

    # -- formatting (rich text only) -------------------------------------------------------
    def toggle_bold(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal)
        self.mergeCurrentCharFormat(fmt)

    def toggle_italic(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(on)
        self.mergeCurrentCharFormat(fmt)

    def insert_link(self, url: str) -> None:
        """Make the selection (or the URL itself) a link to ``url``."""
        cursor = self.textCursor()
        text = cursor.selectedText() or url
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        cursor.insertText(text, fmt)
        cursor.setCharFormat(QTextCharFormat())
        self.setTextCursor(cursor)

    def make_list(self, numbered: bool) -> None:
        style = (QTextListFormat.Style.ListDecimal if numbered
                 else QTextListFormat.Style.ListDisc)
        cursor: QTextCursor = self.textCursor()
        cursor.createList(style)
