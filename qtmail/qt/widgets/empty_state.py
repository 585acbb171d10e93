"""What the window shows before the first account: a welcome and "Add an Account…"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """objectName "emptyState"; ``button`` starts the account setup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        box = QVBoxLayout(self)
        box.addStretch()
        # Context "MainWindow": these were the window's sentences (the catalog keeps them).
        self.label = QLabel(QCoreApplication.translate(
            "MainWindow",
            "<h2>Welcome to qtmail</h2><p>There is no email account yet. Add one to "
            "read your mail here; it stays on your server and in sync with your other "
            "devices.</p>"), self)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(QCoreApplication.translate(
            "MainWindow", "Add an Account…"), self)
        box.addWidget(self.label)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        box.addStretch()
