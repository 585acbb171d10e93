"""Files shipped inside the package (icons), found through importlib.resources.

Everything the app loads at run time lives in ``qtmail/data/`` so that a wheel, an
editable install and the PyInstaller bundle all find it the same way. The desktop
entry and the AppStream metainfo are for installers only and stay in ``resources/``.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

APP_ID = "org.qtmail.QtMail"
"""Reverse-DNS app id: desktop file, metainfo id, icon name, setDesktopFileName()."""

ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
"""The hicolor PNG sizes rendered from the SVG by scripts/render-icons."""


def data_dir() -> Traversable:
    return files("qtmail") / "data"


def hicolor_dir() -> Traversable:
    """The icons in the freedesktop hicolor layout (``<size>x<size>/apps/<id>.png``)."""
    return data_dir() / "icons" / "hicolor"


def app_icon_svg() -> Traversable:
    return hicolor_dir() / "scalable" / "apps" / f"{APP_ID}.svg"


def app_icon_png(size: int) -> Traversable:
    if size not in ICON_SIZES:
        raise ValueError(f"no {size}px icon; sizes are {ICON_SIZES}")
    return hicolor_dir() / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def app_icon_files() -> list[tuple[int, Traversable]]:
    """Every PNG rendering with its size, smallest first."""
    return [(size, app_icon_png(size)) for size in ICON_SIZES]
