"""Icons ship inside the package; the version has one source; the About dialog shows it."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

import qtmail
from qtmail import resources

ROOT = Path(__file__).resolve().parents[2]


def test_every_icon_size_is_in_the_package() -> None:
    assert resources.app_icon_svg().is_file()
    for size, path in resources.app_icon_files():
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size), path


def test_unknown_icon_size_is_refused() -> None:
    with pytest.raises(ValueError):
        resources.app_icon_png(20)


def test_version_comes_from_one_place() -> None:
    source = runpy.run_path(str(ROOT / "qtmail" / "_version.py"))["__version__"]
    assert qtmail.__version__ == source


def test_app_icon_has_sizes(qtbot: QtBot) -> None:
    from qtmail.qt.app_icon import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert icon.pixmap(48, 48).width() == 48


def test_about_dialog_shows_versions(qtbot: QtBot) -> None:
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    from qtmail.qt.about import AboutDialog, version_text

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.versions.text()
    for expected in (qtmail.__version__, qVersion(), PySide6.__version__):
        assert expected in text
    dialog.copy_versions()
    assert QGuiApplication.clipboard().text() == version_text()
    assert "Python: 3." in version_text()
