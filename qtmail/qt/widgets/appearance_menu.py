"""View > Appearance (issue 14): Follow System, Light or Dark, kept in the window's
settings and applied at once (qtmail/qt/appearance.py does the switching)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from qtmail.qt.appearance import Appearance, apply
from qtmail.qt.settings import WindowSettings


def install_appearance_menu(window: QMainWindow, settings: WindowSettings) -> QActionGroup:
    """View > Appearance: Follow System, Light, Dark (checked: the one in effect);
    the choice is applied now and kept in ``settings``."""
    translate = QCoreApplication.translate
    titles = {Appearance.SYSTEM: translate("MainWindow", "Follow &System"),
              Appearance.LIGHT: translate("MainWindow", "&Light"),
              Appearance.DARK: translate("MainWindow", "&Dark")}
    view_menu = next((action.menu() for action in window.menuBar().actions()
                      if action.menu() is not None
                      and action.text() == translate("MainWindow", "&View")), None)
    menu = QMenu(translate("MainWindow", "&Appearance"), window)
    menu.setObjectName("appearanceMenu")
    group = QActionGroup(window)
    group.setExclusive(True)
    current = settings.appearance()
    for choice, title in titles.items():
        action = QAction(title, group)
        action.setObjectName(f"appearance_{choice.value}Action")
        action.setCheckable(True)
        action.setChecked(choice is current)
        action.setData(choice.value)
        menu.addAction(action)
    group.triggered.connect(lambda action: _chosen(settings, Appearance(action.data())))
    if isinstance(view_menu, QMenu):
        view_menu.addSeparator()
        view_menu.addMenu(menu)
    apply(current)
    return group


def _chosen(settings: WindowSettings, choice: Appearance) -> None:
    settings.set_appearance(choice)
    apply(choice)
