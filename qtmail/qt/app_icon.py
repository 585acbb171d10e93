"""qtmail's own icon as a QIcon, from the files shipped in the package."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from qtmail import resources


@cache
def app_icon() -> QIcon:
    """The theme's icon for the app id when installed, else the bundled renderings.

    The PNGs come first so small sizes use the hand-checked renderings; the SVG
    serves any other size (needs the Qt SVG icon engine, kept in the bundle).
    """
    icon = QIcon()
    for size, path in resources.app_icon_files():
        icon.addFile(str(path), QSize(size, size))
    icon.addFile(str(resources.app_icon_svg()))
    return QIcon.fromTheme(resources.APP_ID, icon)
