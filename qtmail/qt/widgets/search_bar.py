"""SearchBar: the toolbar's search field, its scope choice and the server indicator.

The field (objectName "searchField") reports what the user typed after a short pause
(DEBOUNCE_MS), at once when it is emptied or Return is pressed; Escape empties it.
The scope (objectName "searchScope") is remembered by the window's settings. The
label (objectName "searchStatus") says how the server search is going; the window
shows it above the results list (MessageLists.add_search_status), since the toolbar
must keep the field visible in a 1,200-pixel window.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

DEBOUNCE_MS = 150
"""Typing pause before the search runs: fast typists do not search every letter."""


class SearchScope(Enum):
    """Where a search looks. Values are persisted (settings "search/scope"): never
    change them."""

    FOLDER = "folder"
    SUBTREE = "subtree"
    ACCOUNT = "account"
    ALL = "all"


class SearchBar(QWidget):
    """Signals: ``query_changed(str, bool)``: the text (debounced; "" when emptied) and
    whether the user asked explicitly (Return); ``scope_changed()``; ``escaped()`` (the
    user pressed Escape in the field)."""

    query_changed = Signal(str, bool)
    scope_changed = Signal()
    escaped = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setContentsMargins(6, 2, 6, 0)
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(self.tr("Search mail"))
        self.field.setAccessibleName(self.tr("Search mail"))
        self.field.setToolTip(self.tr(
            "Type words to find, or for example from:anna, subject:report, is:unread, "
            "has:attachment, after:2025-01-31. Press Escape to go back to the folder."))
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(200)
        self.field.setMaximumWidth(320)
        self.scope = QComboBox(self)
        self.scope.setObjectName("searchScope")
        self.scope.setAccessibleName(self.tr("Where to search"))
        self.scope.setToolTip(self.tr("Choose where the search looks for messages"))
        for scope, text, tip in (
                (SearchScope.FOLDER, self.tr("This folder"), self.tr("This folder")),
                (SearchScope.SUBTREE, self.tr("Subfolders too"),
                 self.tr("This folder and subfolders")),
                (SearchScope.ACCOUNT, self.tr("This account"), self.tr("This account")),
                (SearchScope.ALL, self.tr("All accounts"), self.tr("All accounts"))):
            self.scope.addItem(text, scope.value)
            self.scope.setItemData(self.scope.count() - 1, tip,
                                   Qt.ItemDataRole.ToolTipRole)
        self.save = QToolButton(self)
        self.save.setObjectName("saveSearchButton")
        self.save.setText(self.tr("Save"))
        self.save.setAccessibleName(self.tr("Save this search"))
        self.save.setToolTip(self.tr("Keep this search in the folder list, to run it again "
                                     "with one click"))
        self.save.setEnabled(False)
        self.save.clicked.connect(self.save_requested)
        box.addWidget(self.field)
        box.addWidget(self.scope)
        box.addWidget(self.save)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._typed)
        self.field.textChanged.connect(self._text_changed)
        self.field.returnPressed.connect(self._entered)
        self.field.installEventFilter(self)
        self.scope.currentIndexChanged.connect(self._scope_changed)

    @property
    def text(self) -> str:
        return self.field.text()

    def current_scope(self) -> SearchScope:
        value = self.scope.currentData()
        return SearchScope(value) if value in {s.value for s in SearchScope} \
            else SearchScope.FOLDER

    def set_scope(self, scope: SearchScope) -> None:
        self.scope.setCurrentIndex(max(0, self.scope.findData(scope.value)))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def clear(self) -> None:
        """Empty the field without a delay (query_changed("") follows at once)."""
        self.field.clear()

    def set_text(self, text: str) -> None:
        """Show ``text`` in the field without searching it again (a saved search)."""
        blocked = self.field.blockSignals(True)
        self.field.setText(text)
        self.field.blockSignals(blocked)
        self._timer.stop()
        self.save.setEnabled(bool(text.strip()))

    def _text_changed(self, text: str) -> None:
        self.save.setEnabled(bool(text.strip()))
        if text.strip():
            self._timer.start()
        else:
            self._typed()

    def _typed(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.field.text().strip(), False)

    def _entered(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.field.text().strip(), True)

    def _scope_changed(self) -> None:
        self.scope_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.clear()
            self.escaped.emit()
            return True
        return super().eventFilter(watched, event)
