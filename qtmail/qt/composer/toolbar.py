"""The composer's actions and toolbar (split from window.py; STYLE.md "Shape").

Texts are translated in the "ComposerWindow" context, as the window's own tr() calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from qtmail.qt.composer.body import BodyEdit


class ComposerWindow(Protocol):
    """What the actions are made for: the composer window (a protocol, not an import of
    window.py, which imports this module)."""

    body: BodyEdit
    send_action: QAction
    attach_action: QAction
    save_action: QAction
    bcc_action: QAction
    rich_action: QAction
    bold_action: QAction
    italic_action: QAction
    link_action: QAction
    bullets_action: QAction
    numbers_action: QAction
    close_action: QAction

    def window(self) -> QWidget: ...
    def addAction(self, action: QAction, /) -> None: ...
    def addToolBar(self, toolbar: QToolBar, /) -> None: ...
    def send_message(self) -> bool: ...
    def choose_files(self) -> None: ...
    def save_draft(self) -> None: ...
    def show_bcc(self, shown: bool) -> None: ...
    def set_rich(self, rich: bool) -> None: ...
    def insert_link(self) -> None: ...
    def bullet_list(self) -> None: ...
    def numbered_list(self) -> None: ...
    def close(self) -> bool: ...


def _action(window: ComposerWindow, name: str, text: str, shortcuts: Sequence[str],
            tip: str, slot: Callable[..., object], *, checkable: bool = False) -> QAction:
    action = QAction(text, window.window())  # the window itself: a top-level widget
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(s) for s in shortcuts])
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.setCheckable(checkable)
    (action.toggled if checkable else action.triggered).connect(slot)
    window.addAction(action)  # a window shortcut even where the toolbar is hidden
    return action


def build_actions(w: ComposerWindow) -> QToolBar:
    """Sets ``w.send_action`` and the others; returns the toolbar, added to ``w``."""
    translate = QCoreApplication.translate
    w.send_action = _action(
        w, "sendAction", translate("ComposerWindow", "&Send"), ("Ctrl+Return", "Ctrl+Enter"),
        translate("ComposerWindow", "Send the message now (Ctrl+Enter)"), w.send_message)
    w.attach_action = _action(
        w, "attachAction", translate("ComposerWindow", "&Attach…"), ("Ctrl+Shift+A",),
        translate("ComposerWindow", "Attach files to the message"), w.choose_files)
    w.save_action = _action(
        w, "saveDraftAction", translate("ComposerWindow", "Save &Draft"), ("Ctrl+S",),
        translate("ComposerWindow", "Keep the message in the Drafts folder"), w.save_draft)
    w.bcc_action = _action(
        w, "bccAction", translate("ComposerWindow", "&Bcc"), ("Ctrl+Shift+B",),
        translate("ComposerWindow", "Show the blind copy field: those recipients are "
                                    "hidden from the others"), w.show_bcc, checkable=True)
    w.rich_action = _action(
        w, "richTextAction", translate("ComposerWindow", "&Formatting"), (),
        translate("ComposerWindow", "Write with bold, italic, links and lists (sent with "
                                    "a plain-text copy)"), w.set_rich, checkable=True)
    w.bold_action = _action(
        w, "boldAction", translate("ComposerWindow", "&Bold"), ("Ctrl+B",),
        translate("ComposerWindow", "Bold text"), w.body.toggle_bold, checkable=True)
    w.italic_action = _action(
        w, "italicAction", translate("ComposerWindow", "&Italic"), ("Ctrl+I",),
        translate("ComposerWindow", "Italic text"), w.body.toggle_italic, checkable=True)
    w.link_action = _action(
        w, "linkAction", translate("ComposerWindow", "&Link…"), ("Ctrl+K",),
        translate("ComposerWindow", "Make the selected text a link"), w.insert_link)
    w.bullets_action = _action(
        w, "bulletListAction", translate("ComposerWindow", "Bulleted &List"), (),
        translate("ComposerWindow", "Start a bulleted list"), w.bullet_list)
    w.numbers_action = _action(
        w, "numberedListAction", translate("ComposerWindow", "&Numbered List"), (),
        translate("ComposerWindow", "Start a numbered list"), w.numbered_list)
    w.close_action = _action(
        w, "closeAction", translate("ComposerWindow", "&Close"), ("Escape", "Ctrl+W"),
        translate("ComposerWindow", "Close the message, keeping it as a draft or not"),
        w.close)
    toolbar = QToolBar(translate("ComposerWindow", "Composer toolbar"), w.window())
    toolbar.setObjectName("composerToolBar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for action in (w.send_action, w.attach_action, w.save_action, None, w.bcc_action,
                   w.rich_action, w.bold_action, w.italic_action, w.link_action,
                   w.bullets_action, w.numbers_action):
        if action is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(action)
    w.addToolBar(toolbar)
    update_format_actions(w)
    return toolbar


def update_format_actions(w: ComposerWindow) -> None:
    """Formatting only applies to rich text."""
    for action in (w.bold_action, w.italic_action, w.link_action, w.bullets_action,
                   w.numbers_action):
        action.setEnabled(w.body.rich)
