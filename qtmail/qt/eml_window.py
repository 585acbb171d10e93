"""A window showing one message file (`qtmail FILE.eml`, a double-clicked .eml)."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QMainWindow, QWidget

from qtmail.mime.parse import ParsedMessage
from qtmail.qt.widgets.reading import MessageViewLike, make_message_view


class EmlWindow(QMainWindow):
    """The app's message view (or its stand-in) on a parsed message, nothing else."""

    def __init__(self, parsed: ParsedMessage, file_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emlWindow")
        subject = parsed.subject.strip() or file_name
        self.setWindowTitle(self.tr("%1 – qtmail").replace("%1", subject))
        self.view = make_message_view(self)
        self.setCentralWidget(self.view)
        cast(MessageViewLike, self.view).show_message(parsed, None)
        self.resize(860, 640)
