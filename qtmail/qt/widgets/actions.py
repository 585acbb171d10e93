"""MainActions: every command of the main window as a QAction with shortcut and names.

Shortcuts follow Thunderbird where it has one (F5, Ctrl+N, Ctrl+R, Ctrl+Shift+R,
Ctrl+L, Del, A, M, S, J/K, Ctrl+Z). Every action has a text and a tool tip a screen
reader can read; the composition actions wait for the composer (a later issue).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence

from qtmail.qt.widgets.icons import ACTION_ICONS, action_icon


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainActions", text)


class MainActions(QObject):
    """Holds the actions; the main window connects their ``triggered`` signals."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        coming = _tr("Coming soon: writing mail arrives with the composer.")
        self.get_messages = self._make("get_messages", _tr("&Get Messages"), "F5",
                                       _tr("Check every account for new mail now"))
        self.write = self._make("write", _tr("&Write"), "Ctrl+N", coming)
        self.reply = self._make("reply", _tr("&Reply"), "Ctrl+R", coming)
        self.reply_all = self._make("reply_all", _tr("Reply &All"), "Ctrl+Shift+R", coming)
        self.forward = self._make("forward", _tr("&Forward"), "Ctrl+L", coming)
        for action in (self.write, self.reply, self.reply_all, self.forward):
            action.setEnabled(False)
        self.delete = self._make("delete", _tr("&Delete"), "Del",
                                 _tr("Move the selected messages to the Trash"))
        self.delete_permanently = self._make(
            "", _tr("Delete &Permanently…"), "Shift+Del",
            _tr("Delete the selected messages for good, after asking"))
        self.archive = self._make("archive", _tr("Arc&hive"), "A",
                                  _tr("Move the selected messages to the Archive folder"))
        self.toggle_read = self._make("toggle_read", _tr("Mark as &Read/Unread"), "M",
                                      _tr("Mark the selected messages read, or unread"))
        self.mark_unread = self._make("", _tr("Mark as &Unread"), "Ctrl+Shift+U",
                                      _tr("Mark the selected messages unread"))
        self.star = self._make("star", _tr("&Star"), "S",
                               _tr("Star the selected messages, or remove the star"))
        self.move_to = self._make("move_to", _tr("&Move To…"), "Ctrl+Shift+M",
                                  _tr("Move the selected messages to another folder"))
        self.copy_to = self._make("", _tr("&Copy To…"), "Ctrl+Shift+C",
                                  _tr("Copy the selected messages to another folder"))
        self.undo = self._make("undo", _tr("&Undo"), "Ctrl+Z",
                               _tr("Undo the last change to your mail"))
        self.next_message = self._make("", _tr("&Next Message"), "J",
                                       _tr("Show the next message in the list"))
        self.previous_message = self._make("", _tr("&Previous Message"), "K",
                                           _tr("Show the previous message in the list"))
        self.next_unread = self._make("", _tr("Next &Unread Message"), "N",
                                      _tr("Show the next unread message"))
        self.new_folder = self._make("", _tr("&New Folder…"), "",
                                     _tr("Create a folder in the selected account"))
        self.rename_folder = self._make("", _tr("&Rename Folder…"), "F2",
                                        _tr("Rename the selected folder"))
        self.delete_folder = self._make("", _tr("Delete &Folder…"), "",
                                        _tr("Delete the selected folder and its messages"))
        self.layout_below = self._make("", _tr("Message View &Below the List"), "F8",
                                       _tr("Show the message below the list instead of "
                                           "beside it"))
        self.layout_below.setCheckable(True)
        self.search = self._make("", _tr("&Search…"), "Ctrl+K", _tr("Search mail"))
        self.settings = self._make("settings", _tr("&Settings…"), "Ctrl+,",
                                   _tr("Change qtmail's settings"))
        self.account_setup = self._make("", _tr("&Account Setup…"), "",
                                        _tr("Add an email account"))
        self.quit = self._make("", _tr("&Quit"), "Ctrl+Q", _tr("Close qtmail"))

    def _make(self, icon: str, text: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self)
        # What a screen reader and a tool tip say: the text without its "&" marker.
        plain = text.replace("&", "").rstrip("…")
        action.setObjectName(plain.lower().replace(" ", "_").replace("/", "_") + "Action")
        action.setIconText(plain)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip_text = f"{tip} ({native})"
        else:
            tip_text = tip
        action.setToolTip(tip_text)
        action.setStatusTip(tip)
        action.setWhatsThis(tip)
        if icon in ACTION_ICONS:
            action.setIcon(action_icon(icon))
        return action

    def all(self) -> list[QAction]:
        return [value for value in vars(self).values() if isinstance(value, QAction)]

    def selection_actions(self) -> list[QAction]:
        """Enabled only while messages are selected."""
        return [self.delete, self.delete_permanently, self.archive, self.toggle_read,
                self.mark_unread, self.star, self.move_to, self.copy_to]
