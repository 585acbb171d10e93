"""The raw script, with the server's CHECKSCRIPT problems marked at their lines."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from qtmail.sieve.errors import ScriptProblem


class ScriptView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptView")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("scriptText")
        self.editor.setAccessibleName(self.tr("Sieve script"))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(font)
        self.status = QLabel(self)
        self.status.setObjectName("scriptStatus")
        self.status.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("scriptProblems")
        self.problems.setAccessibleName(self.tr("Problems the server found"))
        self.problems.setMaximumHeight(110)
        layout = self.box = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "The script exactly as the server keeps it. Changes here replace the rules "
            "when you save."), self))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.problems)
        self.problems.itemActivated.connect(self._go_to)
        self.problems.itemClicked.connect(self._go_to)
        self.problems.hide()

    def set_text(self, text: str) -> None:
        # Line ends as the server has them are kept in the model; the editor shows \n.
        self.editor.setPlainText(text.replace("\r\n", "\n"))
        self.editor.document().setModified(False)
        self.show_problems(())

    def text(self, newline: str = "\n") -> str:
        return self.editor.toPlainText().replace("\n", newline)

    def show_problems(self, problems: tuple[ScriptProblem, ...], message: str = "") -> None:
        self.problems.clear()
        self.status.setText(message)
        marks: list[QTextEdit.ExtraSelection] = []
        for problem in problems:
            text = self.tr("Line {line}: {problem}").format(line=problem.line,
                                                           problem=problem.text) \
                if problem.line else problem.text
            item = QListWidgetItem(text, self.problems)
            item.setData(Qt.ItemDataRole.UserRole, problem.line or 0)
            if problem.line:
                marks.append(self._mark(problem.line))
        self.editor.setExtraSelections(marks)
        self.problems.setVisible(bool(problems))

    def marked_lines(self) -> list[int]:
        """1-based lines shown as wrong (for tests and screen readers alike)."""
        return [s.cursor.blockNumber() + 1 for s in self.editor.extraSelections()]

    def _mark(self, line: int) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(QColor(255, 205, 205))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        block = self.editor.document().findBlockByNumber(line - 1)
        selection.cursor = QTextCursor(block)
        return selection

    def _go_to(self, item: QListWidgetItem) -> None:
        line = int(item.data(Qt.ItemDataRole.UserRole) or 0)
        if line:
            block = self.editor.document().findBlockByNumber(line - 1)
            self.editor.setTextCursor(QTextCursor(block))
            self.editor.setFocus()
