"""The problem dialog: what a bug looks like to the user (known errors never come here).

A plain sentence, then the traceback and the recent log in a details area, with
passwords and LOGIN/AUTHENTICATE arguments redacted (RELIABILITY.md G), and a button
that copies the report so the user can send it.
"""

from __future__ import annotations

import traceback

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Slot, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qtmail._version import __version__
from qtmail.log import redact


def format_traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(type(error), error, error.__traceback__))


def problem_report(error: BaseException, log_tail: str) -> str:
    """The text a developer needs: versions, the traceback, the recent log; redacted."""
    import platform  # with the first report: the window starts without it

    trace = format_traceback(error)
    parts = [
        f"qtmail {__version__}, Python {platform.python_version()}, "
        f"PySide6 {pyside_version}, Qt {qVersion()}, {platform.platform()}",
        "",
        trace.rstrip(),
        "",
        "Recent log:",
        log_tail.rstrip() or "(empty)",
    ]
    return redact("\n".join(parts)) + "\n"


class ProblemDialog(QDialog):
    """Shows one unexpected error. Further errors while it is open are counted.

    No signals beyond QDialog's.
    """

    def __init__(self, error: BaseException, log_tail: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemDialog")
        self.setWindowTitle(self.tr("qtmail ran into a problem"))
        self._more = 0
        self.sentence = QLabel(self.tr(
            "Something went wrong inside qtmail. This is a mistake in qtmail, not "
            "something you did. Your mail on the server is safe, and you can keep "
            "working. If it happens again, please copy the details and send them to "
            "the qtmail developers."), self)
        self.sentence.setObjectName("problemSentence")
        self.sentence.setWordWrap(True)
        self.more_label = QLabel(self)
        self.more_label.setObjectName("problemMore")
        self.more_label.setWordWrap(True)
        self.more_label.hide()

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("problemDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName(self.tr("Problem details"))
        self.details.setPlainText(problem_report(error, log_tail))
        self.details.hide()

        self.details_button = QPushButton(self.tr("Show &details"), self)
        self.details_button.setObjectName("detailsButton")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("&Copy to clipboard"), self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.sentence)
        layout.addWidget(self.more_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def report(self) -> str:
        """The redacted text that "Copy to clipboard" copies."""
        return self.details.toPlainText()

    @Slot()
    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.report())
        self.copy_button.setText(self.tr("Copied"))

    def add_problem(self, error: BaseException) -> None:
        """Another error arrived while the dialog is open: append its traceback, count it."""
        self._more += 1
        self.more_label.setText(self.tr(
            "The problem happened {count} more times since this window opened.").format(
                count=self._more))
        self.more_label.show()
        self.details.appendPlainText("\n" + redact(format_traceback(error)))

    @Slot(bool)
    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(self.tr("Hide &details") if shown
                                    else self.tr("Show &details"))

