"""FolderPicker: "Move to…" / "Copy to…" asks for a folder of the account, by typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qtmail.core.types import FolderInfo
from qtmail.qt.widgets.icons import folder_icon


class FolderPicker(QDialog):
    """A filter field over the account's selectable folders; ``chosen()`` after accept."""

    def __init__(self, title: str, folders: list[FolderInfo], exclude: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderPicker")
        self.setWindowTitle(title)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Type to filter folders"))
        self.filter.setAccessibleName(self.tr("Folder name filter"))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Folders"))
        for folder in sorted(folders, key=lambda f: f.name.casefold()):
            if folder.selectable and folder.name != exclude:
                item = QListWidgetItem(folder_icon(folder.role), folder.name, self.list)
                item.setData(Qt.ItemDataRole.UserRole, folder.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda item: self.accept())
        self.list.setCurrentRow(0)
        self.resize(360, 420)

    def _filter(self, text: str) -> None:
        needle = text.casefold()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = row
        if first is not None:
            self.list.setCurrentRow(first)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, str) else None
