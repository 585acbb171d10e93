"""The About dialog: qtmail's version and the versions of Qt, PySide6 and Python."""

from __future__ import annotations

import html

import PySide6
from PySide6.QtCore import QSysInfo, Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import qtmail
from qtmail.qt.app_icon import app_icon

LICENSE = "GPL-3.0-or-later"


def version_lines() -> list[tuple[str, str]]:
    """(component, version) pairs, as shown in the dialog and copied for bug reports."""
    import platform  # when shown: the window starts without it (issue 18)

    return [
        ("qtmail", qtmail.__version__),  # read when shown, not at start (issue 18)
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("System", QSysInfo.prettyProductName()),
        ("Qt platform", QGuiApplication.platformName() or "-"),
    ]


def version_text() -> str:
    return "\n".join(f"{name}: {value}" for name, value in version_lines())


class AboutDialog(QDialog):
    """Shows the versions; "Copy versions" puts them on the clipboard for a bug report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About qtmail"))
        self.setObjectName("about_dialog")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAccessibleName(self.tr("qtmail icon"))
        blurb = html.escape(self.tr("A desktop IMAP email client."))
        title = QLabel(f"<h2>qtmail {html.escape(qtmail.__version__)}</h2><p>{blurb}</p>")
        title.setTextFormat(Qt.TextFormat.RichText)
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>&nbsp;&nbsp;{html.escape(value)}</td></tr>"
            for name, value in version_lines())
        license_text = html.escape(self.tr("License: %1").replace("%1", LICENSE))
        self.versions = QLabel(f"<table>{rows}</table><p>{license_text}</p>")
        self.versions.setTextFormat(Qt.TextFormat.RichText)
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions.setAccessibleName(self.tr("Versions"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("&Copy versions"))
        copy.setAccessibleName(self.tr("Copy versions to the clipboard"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_versions)
        buttons.rejected.connect(self.reject)

        header = QHBoxLayout()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.versions)
        layout.addWidget(buttons)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(version_text())


def show_about(parent: QWidget) -> AboutDialog:
    """Help > About: a window-modal dialog that deletes itself when closed."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
