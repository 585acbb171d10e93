"""The message list's menu on the right mouse button (issue 14): the window's own
actions, so a menu entry and its key always do the same thing.

A right click on a row outside the selection highlights that row first: the menu then
acts on what the user sees highlighted (issue 13), as in Thunderbird.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget


def install_row_menu(views: Sequence[QAbstractItemView], actions: Sequence[QAction | None],
                     parent: QWidget) -> QMenu:
    menu = QMenu(parent)
    menu.setObjectName("rowMenu")
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    for view in views:
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(partial(_show, view, menu))
    return menu


def _show(view: QAbstractItemView, menu: QMenu, pos: QPoint) -> None:
    index = view.indexAt(pos)
    if not index.isValid():
        return
    selection = view.selectionModel()
    if not selection.isSelected(index.siblingAtColumn(0)) \
            and not selection.isRowSelected(index.row(), index.parent()):
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
    menu.popup(view.viewport().mapToGlobal(pos))
