"""The main window's menus and toolbar (split from main_window.py; STYLE.md "Shape")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QToolBar, QToolButton, QWidget

from qtmail.qt.about import show_about
from qtmail.qt.shortcuts import ShortcutsDialog
from qtmail.qt.widgets.actions import MainActions
from qtmail.qt.widgets.message_lists import MessageLists


def build_menus(self: QMainWindow, a: MainActions, lists: MessageLists, *,
                search_bar: QWidget, folder_view: QWidget, empty_button: QAbstractButton,
                junk_button: JunkButton,
                on_settings: Callable[[], None] | None,
                on_account_setup: Callable[[], None] | None) -> QToolBar:
    """The menu bar and the toolbar of the main window ``self``; every action also as a
    window shortcut. Gets the widgets it fills, not the window's type (no import cycle)."""
    bar = self.menuBar()
    # translate("MainWindow", ...), not self.tr(): outside a class lupdate finds no context.
    menus: dict[str, list[QAction | None]] = {
        QCoreApplication.translate("MainWindow", "&File"): [
            a.get_messages, None, a.new_folder, a.rename_folder, a.delete_folder,
            a.empty_folder, None, a.quit],
        QCoreApplication.translate("MainWindow", "&Edit"): [
            a.undo, a.redo, None, a.delete, a.delete_permanently, None, a.search, None, a.settings,
            a.account_setup, a.account_settings, a.remove_account],
        QCoreApplication.translate("MainWindow", "&View"): [
            a.reading_pane, a.layout_below, a.preview_lines, lists.threaded_action, None,
            a.zoom_in, a.zoom_out, a.zoom_reset],
        QCoreApplication.translate("MainWindow", "&Go"): [
            a.next_message, a.previous_message, a.next_unread],
        QCoreApplication.translate("MainWindow", "&Message"): [
            a.write, a.reply, a.reply_all, a.forward, a.forward_attached, a.edit_draft, None,
            a.open_window, a.view_source, a.save_as, a.print_message, a.save_pdf, None,
            a.toggle_read, a.mark_unread, a.mark_folder_read,
            a.star, a.junk, a.not_junk, None, a.archive, a.move_to, a.copy_to],
        QCoreApplication.translate("MainWindow", "&Help"): [a.shortcuts, a.about],
    }
    for title, actions in menus.items():
        menu = bar.addMenu(title)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
    toolbar = QToolBar(QCoreApplication.translate("MainWindow", "Main toolbar"), self)
    toolbar.setObjectName("mainToolBar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (a.get_messages, a.write, None, a.reply, a.reply_all, a.forward, None,
                   a.delete, a.archive, a.junk, a.toggle_read, a.star, a.move_to, None,
                   a.undo):
        if action is None:
            toolbar.addSeparator()
        elif action is a.junk:
            junk_button.follow(toolbar)
            toolbar.addWidget(junk_button)
        else:
            toolbar.addAction(action)
    # Icons only for the less used ones, so the search field keeps its place.
    for action in (a.reply_all, a.forward, a.toggle_read, a.move_to, a.undo):
        button = toolbar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                         spacer.sizePolicy().Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(search_bar)
    self.addToolBar(toolbar)
    # Window-wide shortcuts also when the menu bar is hidden (every action is here).
    self.addActions(a.all())
    self.addAction(lists.threaded_action)
    separators = [QAction(folder_view), QAction(folder_view)]
    for separator in separators:
        separator.setSeparator(True)
    for action in (a.mark_folder_read, a.empty_folder, separators[0], a.new_folder,
                   a.rename_folder,
                   a.delete_folder, separators[1], a.account_settings, a.remove_account):
        folder_view.addAction(action)
    a.about.triggered.connect(lambda: show_about(self))  # same thread: no queued slot needed
    a.shortcuts.triggered.connect(lambda: ShortcutsDialog(
        [*a.all(), lists.threaded_action], self).open())
    a.settings.setEnabled(on_settings is not None)
    a.account_setup.setEnabled(on_account_setup is not None)
    empty_button.setEnabled(on_account_setup is not None)
    if on_settings is not None:
        a.settings.triggered.connect(on_settings)
    if on_account_setup is not None:
        a.account_setup.triggered.connect(on_account_setup)
        empty_button.clicked.connect(on_account_setup)
    return toolbar


class JunkButton(QToolButton):
    """The toolbar's Junk button; "Not Junk" while the Junk folder is shown, as in
    Thunderbird: there the message is rescued, not marked again. The menus keep both."""

    def __init__(self, actions: MainActions) -> None:
        super().__init__()
        self._actions = actions
        self.setDefaultAction(actions.junk)

    def follow(self, toolbar: QToolBar) -> None:
        """Look like the buttons ``toolbar`` makes of its actions."""
        self.setToolButtonStyle(toolbar.toolButtonStyle())
        self.setIconSize(toolbar.iconSize())
        toolbar.toolButtonStyleChanged.connect(self.setToolButtonStyle)
        toolbar.iconSizeChanged.connect(self.setIconSize)

    def show_junk_folder(self, in_junk: bool) -> None:
        """The folder shown is (not) a Junk folder."""
        wanted = self._actions.not_junk if in_junk else self._actions.junk
        current = self.defaultAction()
        if wanted is not current:
            self.setDefaultAction(wanted)
            # setDefaultAction adds the action to the button's own; with two, the button
            # counts as having a menu (a drop-down arrow, a press-and-hold popup).
            self.removeAction(current)

