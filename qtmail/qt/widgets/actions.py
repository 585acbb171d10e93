"""MainActions: every command of the main window as a QAction with shortcut and names.

Shortcuts follow Thunderbird where it has one (F5, Ctrl+N, Ctrl+R, Ctrl+Shift+R,
Ctrl+L, Del, A, M, S, J/K, Ctrl+Z). Every action has a text and a tool tip a screen
reader can read.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from qtmail.qt.widgets.icons import ACTION_ICONS, action_icon


class MainActions(QObject):
    """Holds the actions; the main window connects their ``triggered`` signals."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.get_messages = self._make("get_messages", self.tr("&Get Messages"), "F5",
                                       self.tr("Check every account for new mail now"))
        self.write = self._make("write", self.tr("&Write"), "Ctrl+N",
                                self.tr("Write a new message"))
        self.reply = self._make("reply", self.tr("&Reply"), "Ctrl+R",
                                self.tr("Reply to the sender of the selected message"))
        self.reply_all = self._make("reply_all", self.tr("Reply &All"), "Ctrl+Shift+R",
                                    self.tr("Reply to the sender and every recipient"))
        self.forward = self._make("forward", self.tr("&Forward"), "Ctrl+L",
                                  self.tr("Forward the selected message with its "
                                          "attachments"))
        self.forward_attached = self._make(
            "", self.tr("Forward as A&ttachment"), "Ctrl+Shift+L",
            self.tr("Forward the selected message as an attached file"))
        self.edit_draft = self._make("", self.tr("&Edit Draft"), "Ctrl+E",
                                     self.tr("Continue writing the selected draft"))
        self.write.setEnabled(False)
        self.delete = self._make("delete", self.tr("&Delete"), "Del",
                                 self.tr("Move the selected messages to the Trash"))
        self.delete_permanently = self._make(
            "", self.tr("Delete &Permanently…"), "Shift+Del",
            self.tr("Delete the selected messages for good, after asking"))
        self.archive = self._make("archive", self.tr("Arc&hive"), "A",
                                  self.tr("Move the selected messages to the Archive folder"))
        self.toggle_read = self._make("toggle_read", self.tr("Mark as &Read/Unread"), "M",
                                      self.tr("Mark the selected messages read, or unread"))
        self.mark_unread = self._make("", self.tr("Mark as &Unread"), "Ctrl+Shift+U",
                                      self.tr("Mark the selected messages unread"))
        self.mark_folder_read = self._make(
            "", self.tr("Mark &Folder Read"), "Shift+C",
            self.tr("Mark every message in the selected folder as read"))
        self.empty_folder = self._make(
            "", self.tr("&Empty Trash…"), "",
            self.tr("Delete every message in the Trash for good, after asking"))
        self.star = self._make("star", self.tr("&Star"), "S",
                               self.tr("Star the selected messages, or remove the star"))
        self.move_to = self._make("move_to", self.tr("&Move To…"), "Ctrl+Shift+M",
                                  self.tr("Move the selected messages to another folder"))
        self.copy_to = self._make("", self.tr("&Copy To…"), "Ctrl+Shift+C",
                                  self.tr("Copy the selected messages to another folder"))
        self.undo = self._make("undo", self.tr("&Undo"), "Ctrl+Z",
                               self.tr("Undo the last change to your mail"))
        self.redo = self._make("", self.tr("&Redo"), "Ctrl+Shift+Z",
                               self.tr("Make again the change you undid"))
        self.open_window = self._make("", self.tr("Open in New &Window"), "",
                                      self.tr("Show the selected messages in windows of "
                                              "their own (Enter, double-click)"))
        self.view_source = self._make("", self.tr("View &Source"), "Ctrl+U",
                                      self.tr("Show the selected message as it was sent, "
                                              "headers and all"))
        self.save_as = self._make("", self.tr("Save &As…"), "Ctrl+S",
                                  self.tr("Save the selected message as an .eml file"))
        self.print_message = self._make("", self.tr("&Print…"), "Ctrl+P",
                                        self.tr("Print the message shown"))
        self.save_pdf = self._make("", self.tr("Save as P&DF…"), "",
                                   self.tr("Save the message shown as a PDF file"))
        self.copy_address = self._make("", self.tr("Copy Sender's A&ddress"), "",
                                       self.tr("Copy the sender's email address"))
        self.junk = self._make("", self.tr("Mark as &Junk"), "Shift+J",
                               self.tr("Move the selected messages to Junk, which teaches "
                                       "the server's junk filter"))
        self.not_junk = self._make("", self.tr("Mark as &Not Junk"), "Ctrl+Shift+J",
                                   self.tr("Move the selected messages back to the Inbox "
                                           "and tell the junk filter they are wanted"))
        self.junk.setIconText(self.tr("Junk"))  # the toolbar button's short name
        self.not_junk.setIconText(self.tr("Not Junk"))  # the same button in Junk
        self.next_message = self._make("", self.tr("&Next Message"), "J",
                                       self.tr("Show the next message in the list"))
        self.previous_message = self._make("", self.tr("&Previous Message"), "K",
                                           self.tr("Show the previous message in the list"))
        self.next_unread = self._make("", self.tr("Next &Unread Message"), "N",
                                      self.tr("Show the next unread message"))
        self.new_folder = self._make("", self.tr("&New Folder…"), "",
                                     self.tr("Create a folder in the selected account"))
        self.rename_folder = self._make("", self.tr("&Rename Folder…"), "F2",
                                        self.tr("Rename the selected folder"))
        self.delete_folder = self._make("", self.tr("Delete &Folder…"), "",
                                        self.tr("Delete the selected folder and its messages"))
        self.layout_below = self._make("", self.tr("Message View &Below the List"), "F8",
                                       self.tr("Show the message below the list instead of "
                                           "beside it"))
        self.layout_below.setCheckable(True)
        self.reading_pane = self._make("", self.tr("&Reading Pane"), "",
                                       self.tr("Show the selected message beside or below "
                                               "the list; without it, Enter opens it in a "
                                               "window"))
        self.reading_pane.setCheckable(True)
        self.reading_pane.setChecked(True)
        self.preview_lines = self._make("", self.tr("&Preview Lines"), "",
                                        self.tr("Show the first words of each message "
                                                "under its subject"))
        self.preview_lines.setCheckable(True)
        self.search = self._make("", self.tr("&Search…"), "Ctrl+K", self.tr("Search mail"))
        self.settings = self._make("settings", self.tr("&Settings…"), "Ctrl+,",
                                   self.tr("Change qtmail's settings"))
        self.account_setup = self._make("", self.tr("&Account Setup…"), "",
                                        self.tr("Add an email account"))
        self.account_settings = self._make(
            "", self.tr("Account Se&ttings…"), "",
            self.tr("Change the servers, user name, password, addresses and signature of "
                    "the selected account"))
        self.remove_account = self._make(
            "", self.tr("Remo&ve Account…"), "",
            self.tr("Remove the selected account and its copy of the mail from this "
                    "computer, after asking"))
        self.shortcuts = self._make("", self.tr("&Keyboard Shortcuts"), "",
                                    self.tr("List the keys of every command"))
        self.zoom_in = self._make("", self.tr("Zoom &In"), "Ctrl++",
                                  self.tr("Larger text in the message"))
        self.zoom_out = self._make("", self.tr("Zoom &Out"), "Ctrl+-",
                                   self.tr("Smaller text in the message"))
        self.zoom_reset = self._make("", self.tr("&Actual Size"), "Ctrl+0",
                                     self.tr("The message's text at its normal size"))
        self.quit = self._make("", self.tr("&Quit"), "Ctrl+Q", self.tr("Close qtmail"))
        self.about = self._make("", self.tr("&About qtmail"), "",
                                self.tr("Show qtmail's version and license"))
        # Named after the attribute, not the text: the same in every language.
        for name, value in vars(self).items():
            if isinstance(value, QAction):
                value.setObjectName(f"{name}Action")

    def _make(self, icon: str, text: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self)
        # What a screen reader and a tool tip say: the text without its "&" marker.
        # Japanese and Chinese put the mnemonic after the text: "取得(&G)" -> "取得".
        plain = re.sub(r"\s*\(&\w\)", "", text).replace("&", "").rstrip("…")
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

    def compose_actions(self) -> list[QAction]:
        """About one message: enabled while one is selected."""
        return [self.reply, self.reply_all, self.forward, self.forward_attached,
                self.edit_draft]

    def selection_actions(self) -> list[QAction]:
        """Enabled only while messages are selected."""
        return [self.delete, self.delete_permanently, self.archive, self.toggle_read,
                self.mark_unread, self.star, self.move_to, self.copy_to, self.junk,
                self.not_junk, self.open_window, self.view_source, self.save_as,
                self.copy_address]

    def row_menu_actions(self) -> list[QAction | None]:
        """The message list's menu (right mouse button), None between groups."""
        return [self.open_window, None, self.reply, self.reply_all, self.forward,
                self.forward_attached, None, self.toggle_read, self.star, self.junk,
                self.not_junk, None, self.move_to, self.copy_to, self.archive, self.delete,
                None, self.save_as, self.print_message, self.view_source, self.copy_address]
