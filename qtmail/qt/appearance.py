"""Light and dark (issue 14): follow the system's colour scheme, or the user's choice.

Qt 6.8's ``QStyleHints.setColorScheme`` asks the platform theme to switch, which only
some platforms do (GNOME and KDE; not a bare X session, not offscreen); so qtmail also
sets Fusion's palette itself whenever the palette in effect is not the one chosen. On
a desktop whose theme already follows the system, nothing is overridden. HTML mail is
written for white paper: the message view keeps its HTML on a light palette in dark
mode (as Thunderbird and Geary do), while lists, plain text and dialogs go dark.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


class Appearance(Enum):
    SYSTEM = "system"  # stored in the settings: never rename
    LIGHT = "light"
    DARK = "dark"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's) has light text on a dark window."""
    shown = palette if palette is not None else QGuiApplication.palette()
    return shown.color(QPalette.ColorRole.Window).lightness() < 128


def dark_palette() -> QPalette:
    """Fusion in dark colours (the common set Qt's own examples use)."""
    role = QPalette.ColorRole
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    colors = {
        role.Window: window, role.WindowText: text, role.Base: base,
        role.AlternateBase: window, role.ToolTipBase: window, role.ToolTipText: text,
        role.PlaceholderText: QColor(150, 150, 150), role.Text: text, role.Button: window,
        role.ButtonText: text, role.BrightText: QColor(255, 90, 90),
        role.Link: QColor(110, 168, 254), role.LinkVisited: QColor(190, 150, 255),
        role.Highlight: QColor(42, 110, 190), role.HighlightedText: QColor(255, 255, 255),
        role.Light: QColor(70, 70, 74), role.Mid: QColor(60, 60, 64),
        role.Dark: QColor(25, 25, 27), role.Shadow: QColor(0, 0, 0),
    }
    palette = QPalette()
    for name, color in colors.items():
        palette.setColor(name, color)
    for name in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor(127, 127, 127))
    return palette


def light_palette() -> QPalette:
    """The style's own light palette."""
    return QApplication.style().standardPalette()


_platform: list[QPalette] = []
"""The palette the platform gave before qtmail changed anything (kept once)."""


def apply(choice: Appearance) -> None:
    """Make the application light or dark now (widgets repaint by themselves)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if not _platform:
        _platform.append(QPalette(app.palette()))
    hints = app.styleHints()
    if choice is Appearance.SYSTEM:
        hints.unsetColorScheme()
        wanted_dark = hints.colorScheme() == Qt.ColorScheme.Dark
        platform = _platform[0]
        if is_dark(platform) == wanted_dark:
            app.setPalette(platform)  # the platform's theme follows the system already
        else:
            app.setPalette(dark_palette() if wanted_dark else light_palette())
        return
    dark = choice is Appearance.DARK
    hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    if is_dark(app.palette()) != dark:
        app.setPalette(dark_palette() if dark else light_palette())


def warning_color() -> str:
    """Warning text that reads on the palette in effect."""
    return "#ff8080" if is_dark() else "#a40000"

