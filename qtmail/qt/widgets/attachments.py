"""The attachment list of the message view: Save, Save all, Open (RELIABILITY F).

Names are the parser's sanitised ones, and ``save_bytes`` writes under exactly that
name (or "name (2).ext" beside an existing file, never over it). Opening writes into a
private temporary folder (0700, files 0600) removed when the application quits, and
warns first for anything that could run.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QMimeDatabase, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qtmail.mime.filenames import save_bytes
from qtmail.mime.render import escape_display
from qtmail.qt.attachment_drag import AttachmentFile, AttachmentItems, DragFolder
from qtmail.qt.widgets.attachment_preview import AttachmentPreview
from qtmail.qt.widgets.attachment_preview import kind as preview_kind

if TYPE_CHECKING:  # a type only: the parser loads with the first message (issue 18)
    from qtmail.mime.parse import AttachmentInfo, ParsedMessage

log = logging.getLogger(__name__)

ChooseFolder = Callable[[QWidget], Path | None]
Confirm = Callable[[QWidget, str, str], bool]
Inform = Callable[[QWidget, str, str], None]
OpenUrl = Callable[[QUrl], bool]

# Names Windows, macOS and Linux desktops may run, load or install on a double click.
EXECUTABLE_EXTENSIONS = frozenset({
    "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "msix", "appx", "cpl", "dll",
    "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "hta", "jar", "lnk", "reg",
    "inf", "url", "scf", "sh", "bash", "zsh", "csh", "command", "app", "pkg", "dmg",
    "desktop", "run", "bin", "py", "pyw", "pl", "rb", "php", "apk", "deb", "rpm",
    "appimage", "iso", "img", "vhd", "vhdx", "docm", "xlsm", "pptm", "library-ms",
    "settingcontent-ms", "application", "gadget", "msc", "chm", "ws",
})
_EXECUTABLE_TYPES = ("application/x-executable", "application/x-sharedlib",
                     "application/x-msdownload", "application/x-shellscript",
                     "application/x-ms-dos-executable",
                     "application/vnd.microsoft.portable-executable",
                     "application/java-archive", "application/x-desktop")


def is_executable(info: AttachmentInfo) -> bool:
    """Whether opening ``info`` could run code: by its name or either MIME type."""
    extension = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
    if extension in EXECUTABLE_EXTENSIONS:
        return True
    database = QMimeDatabase()
    for mime in (database.mimeTypeForName(info.content_type),
                 database.mimeTypeForFile(info.filename, QMimeDatabase.MatchMode.MatchExtension)):
        if mime.isValid() and any(mime.inherits(t) for t in _EXECUTABLE_TYPES):
            return True
    return info.content_type.lower() in _EXECUTABLE_TYPES


class PrivateTempDir:
    """A 0700 folder for opened attachments, removed at exit (and by ``remove()``)."""

    def __init__(self) -> None:
        self._path: Path | None = None

    def path(self) -> Path:
        if self._path is None or not self._path.is_dir():
            self._path = Path(tempfile.mkdtemp(prefix="qtmail-open-"))  # mode 0700
            os.chmod(self._path, 0o700)
            atexit.register(self.remove)
            app = QCoreApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(self.remove)
        return self._path

    def write(self, name: str, data: bytes) -> Path:
        target = save_bytes(self.path(), name, data)
        os.chmod(target, 0o600)
        return target

    def remove(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None


def _choose_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("AttachmentList", "Save attachments to"))
    return Path(folder) if folder else None


def ask(parent: QWidget, title: str, text: str) -> bool:
    """Open/Cancel warning, Cancel by default; plain text (no rich text from senders)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                      QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Open


def tell(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


class AttachmentList(QWidget):
    """Attachments of one message.

    Signals: ``saved(str)`` with the path of every file written by Save / Save all.
    The dialogs and the opener are attributes, replaceable in tests.
    """

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentList")
        self.choose_folder: ChooseFolder = _choose_folder
        self.confirm: Confirm = ask
        self.inform: Inform = tell
        self.open_url: OpenUrl = QDesktopServices.openUrl
        self.temp_dir = PrivateTempDir()
        self._parsed: ParsedMessage | None = None
        self._listed: tuple[AttachmentInfo, ...] = ()
        self.drag_dir = PrivateTempDir()
        # Dragged out onto the desktop or a file manager: saved there (issue 5).
        self.list: QListWidget = AttachmentItems(self, self._files,
                                                 DragFolder(self.drag_dir.path))
        self.list.setAccessibleName(self.tr("Attachments"))
        self.list.itemActivated.connect(lambda _item: self.preview_or_open())
        self.preview_button = self._button(self.tr("&Preview"), self.preview_selected)
        self.save_button = self._button(self.tr("&Save..."), self.save_selected)
        self.save_all_button = self._button(self.tr("Save &all..."), self.save_all)
        self.open_button = self._button(self.tr("&Open"), self.open_selected)
        buttons = QHBoxLayout()
        self.previews: list[AttachmentPreview] = []
        for button in (self.preview_button, self.save_button, self.save_all_button,
                       self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.show_attachments(None)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def show_attachments(self, parsed: ParsedMessage | None) -> None:
        self._parsed = parsed
        self.list.clear()
        attachments = parsed.listed_attachments() if parsed is not None else ()
        self._listed = attachments  # row i of the list is self._listed[i]
        database = QMimeDatabase()
        for info in attachments:
            item = QListWidgetItem(self._icon(database, info),
                                   f"{escape_display(info.filename)}  "
                                   f"({QLocale().formattedDataSize(info.size)})")
            item.setData(Qt.ItemDataRole.UserRole, info.part_id)
            item.setToolTip(escape_display(info.content_type))
            self.list.addItem(item)
        if attachments:
            self.list.setCurrentRow(0)
        self.list.setMaximumHeight(max(40, min(4, len(attachments)) * 26 + 6))
        self.setVisible(bool(attachments))
        self._update_buttons()

    def _icon(self, database: QMimeDatabase, info: AttachmentInfo) -> QIcon:
        mime = database.mimeTypeForName(info.content_type)
        if not mime.isValid():
            mime = database.mimeTypeForFile(info.filename, QMimeDatabase.MatchMode.MatchExtension)
        fallback = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if not mime.isValid():
            return fallback
        icon = QIcon.fromTheme(mime.iconName())
        if icon.isNull():
            icon = QIcon.fromTheme(mime.genericIconName())
        return fallback if icon.isNull() else icon

    def _update_buttons(self) -> None:
        current = self.current()
        selected = current is not None
        self.preview_button.setEnabled(current is not None and preview_kind(current) is not None)
        self.save_button.setEnabled(selected)
        self.open_button.setEnabled(selected)
        self.save_all_button.setEnabled(self.list.count() > 1)

    def current(self) -> AttachmentInfo | None:
        if self._parsed is None:
            return None
        row = self.list.currentRow()
        attachments = self._listed
        return attachments[row] if 0 <= row < len(attachments) else None

    def names(self) -> list[str]:
        return [item.text() for item in (self.list.item(i) for i in range(self.list.count()))]

    def _files(self, rows: Sequence[int]) -> list[AttachmentFile]:
        """(name, bytes) of the attachments at ``rows``, for a drag out of the list."""
        attachments = self._listed
        found: list[AttachmentFile] = []
        for row in rows:
            if 0 <= row < len(attachments):
                data = self._data(attachments[row])
                if data is not None:
                    found.append((attachments[row].filename, data))
        return found

    def _data(self, info: AttachmentInfo) -> bytes | None:
        return self._parsed.attachment_bytes(info.part_id) if self._parsed else None

    def item_menu(self) -> QMenu:
        """Preview, Open and Save… for the attachment under the mouse (issue 14)."""
        menu = QMenu(self)
        menu.setObjectName("attachmentMenu")
        for button, slot in ((self.preview_button, self.preview_selected),
                             (self.open_button, self.open_selected),
                             (self.save_button, self.save_selected)):
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(lambda _=False, run=slot: run())
        return menu

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        self.list.setCurrentItem(item)  # the menu acts on the row it was opened on
        menu = self.item_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.list.viewport().mapToGlobal(pos))

    def preview_or_open(self) -> None:
        """Double click or Enter: a preview where qtmail has one, else Open."""
        current = self.current()
        if current is not None and preview_kind(current) is not None:
            self.preview_selected()
        else:
            self.open_selected()

    def preview_selected(self) -> AttachmentPreview | None:
        """The selected picture or text in a window, nothing saved (issue 14)."""
        info = self.current()
        data = None if info is None else self._data(info)
        if info is None or data is None or preview_kind(info) is None:
            return None
        shown = AttachmentPreview(info, data, self)
        shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.previews.append(shown)
        shown.destroyed.connect(lambda: self.previews.remove(shown)
                                if shown in self.previews else None)
        shown.show()
        return shown

    def save_selected(self) -> list[Path]:
        info = self.current()
        return self._save([info]) if info is not None else []

    def save_all(self) -> list[Path]:
        return self._save(list(self._listed))

    def _save(self, infos: list[AttachmentInfo]) -> list[Path]:
        if not infos:
            return []
        folder = self.choose_folder(self)
        if folder is None:
            return []
        written: list[Path] = []
        for info in infos:
            data = self._data(info)
            if data is None:
                continue
            try:
                path = save_bytes(folder, info.filename, data)
            except OSError as error:
                self.inform(self, self.tr("Could not save"), self.tr(
                    "The attachment could not be saved: %1").replace("%1", error.strerror
                                                                     or str(error)))
                break
            written.append(path)
            self.saved.emit(str(path))
        return written

    def open_selected(self) -> Path | None:
        info = self.current()
        data = self._data(info) if info is not None else None
        if info is None or data is None:
            return None
        if is_executable(info) and not self.confirm(
                self, self.tr("Open a program?"),
                self.tr("\u201c%1\u201d is a program or script. Opening it can run code "
                        "on your computer. Open it only if you trust the sender and "
                        "expected this file.").replace("%1", escape_display(info.filename))):
            return None
        try:
            path = self.temp_dir.write(info.filename, data)
        except OSError as error:
            self.inform(self, self.tr("Could not open"), str(error.strerror or error))
            return None
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self.inform(self, self.tr("Could not open"),
                        self.tr("No application is set up to open this file."))
        return path
