"""The composer's questions to the user, as methods tests replace (``window.dialogs``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

KEEP = "keep"
DISCARD = "discard"
CANCEL = "cancel"


class Dialogs(QObject):
    """Message boxes and file choosers of one composer window. Every text is plain
    (never rich text: subjects and names come from other people)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window

    def _box(self, icon: QMessageBox.Icon, title: str, text: str,
             buttons: QMessageBox.StandardButton) -> QMessageBox:
        box = QMessageBox(icon, title, text, buttons, self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def ask(self, title: str, question: str) -> bool:
        """Yes/No, No by default."""
        box = self._box(QMessageBox.Icon.Question, title, question,
                        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def inform(self, title: str, text: str) -> None:
        self._box(QMessageBox.Icon.Warning, title, text,
                  QMessageBox.StandardButton.Ok).exec()

    def ask_keep(self) -> str:
        """KEEP, DISCARD or CANCEL: what to do with the unsent message on close."""
        box = self._box(QMessageBox.Icon.Question, self.tr("Keep this message?"),
                        self.tr("This message has not been sent. Keep it in your Drafts "
                                "folder to finish it later?"),
                        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                        | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("&Keep Draft"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return KEEP
        if answer == QMessageBox.StandardButton.Discard:
            return DISCARD
        return CANCEL

    def choose_files(self) -> list[str]:
        paths, _filter = QFileDialog.getOpenFileNames(self._window,
                                                      self.tr("Attach Files"))
        return list(paths)

    def ask_link(self) -> str | None:
        url, ok = QInputDialog.getText(self._window, self.tr("Insert Link"),
                                       self.tr("Web address of the link:"),
                                       QLineEdit.EchoMode.Normal, "https://")
        url = url.strip()
        return url if ok and url and url != "https://" else None
