"""Recipients are exactly what the composer shows (issue 17, family 2).

Typed, pasted and completed addresses go through the same strict parser; anything it
refuses is marked in the field and sending is refused with a sentence naming it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from qtmail.accounts.identity import Identity
from qtmail.core.commands import Command, SendMail
from qtmail.core.types import Address
from qtmail.qt.composer import dialogs
from qtmail.qt.composer.recipients import INVALID_STYLE
from qtmail.qt.composer.window import ComposerWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ANN = Identity("work", Address("Ann Example", "ann@example.org"), "")

# Each hides another recipient than the one it seems to name, or cannot be parsed
# strictly (RFC 5322 3.4): never sent, always marked.
HOSTILE = [
    "alice@example.org <bob@evil.example>",
    '"ceo@yourco.example" <x@evil.example>',
    "=?utf-8?q?boss=40corp.example?= <x@evil.example>",
    "Bob (the boss) <bob@example.org>",
    "bob(comment)@example.org",
    "a@b@example.org",
    '"a<b"@example.org',
    "Team: bob@example.org",
    "Bob <bob@example.org> Eve <eve@evil.example>",
]


class Sent:
    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.informed: list[str] = []

    def __call__(self, _account: str, command: Command) -> None:
        self.commands.append(command)


@pytest.fixture
def composer(qtbot: QtBot) -> Iterator[tuple[ComposerWindow, Sent]]:
    sent = Sent()
    window = ComposerWindow([ANN], sent)
    window.dialogs.inform = lambda _t, text: sent.informed.append(text)  # type: ignore[method-assign]
    window.dialogs.ask = lambda _t, _q: True  # type: ignore[method-assign]
    window.dialogs.ask_keep = lambda: dialogs.DISCARD  # type: ignore[method-assign]
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    yield window, sent
    QGuiApplication.clipboard().clear()
    if isValid(window):
        window.close()
        window.deleteLater()


def refused(qtbot: QtBot, window: ComposerWindow, sent: Sent, piece: str) -> None:
    window.subject_edit.setText("s")
    qtbot.keyClick(window.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not [c for c in sent.commands if isinstance(c, SendMail)]
    assert sent.informed and "not valid email addresses" in sent.informed[-1]
    assert piece in sent.informed[-1]
    assert window.to_edit.styleSheet() == INVALID_STYLE


@pytest.mark.parametrize("piece", HOSTILE)
def test_typed_hostile_recipient_is_marked_and_refused(
        composer: tuple[ComposerWindow, Sent], qtbot: QtBot, piece: str) -> None:
    window, sent = composer
    qtbot.keyClicks(window.to_edit, "carol@example.org, " + piece)
    window.subject_edit.setFocus()
    assert window.to_edit.invalid == [piece]
    refused(qtbot, window, sent, piece)


def test_pasted_hostile_recipient_is_marked_and_refused(
        composer: tuple[ComposerWindow, Sent], qtbot: QtBot) -> None:
    window, sent = composer
    QGuiApplication.clipboard().setText("carol@example.org\nalice@example.org <bob@evil.example>")
    window.to_edit.setFocus()
    window.to_edit.paste()
    assert window.to_edit.invalid == ["alice@example.org <bob@evil.example>"]
    refused(qtbot, window, sent, "alice@example.org <bob@evil.example>")


def test_completed_hostile_recipient_is_marked_and_refused(
        composer: tuple[ComposerWindow, Sent], qtbot: QtBot) -> None:
    window, sent = composer
    # Completion offers what the cache saw in received mail, names included.
    window.to_edit.set_known([Address("ceo@yourco.example", "x@evil.example").display()])
    qtbot.keyClicks(window.to_edit, "ceo")
    popup = window.to_edit.completer_.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=5_000)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert window.to_edit.invalid == ["ceo@yourco.example <x@evil.example>"]
    refused(qtbot, window, sent, "ceo@yourco.example")


def test_honest_recipients_go_to_exactly_the_shown_addresses(
        composer: tuple[ComposerWindow, Sent], qtbot: QtBot) -> None:
    window, sent = composer
    qtbot.keyClicks(window.to_edit, 'John Q. Public <jqp@example.org>, "Doe, Jane" '
                                    "<jane@example.org>; carol@example.org")
    window.subject_edit.setText("s")
    qtbot.keyClick(window.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(isinstance(c, SendMail) for c in sent.commands))
    (send,) = [c for c in sent.commands if isinstance(c, SendMail)]
    assert [a.addr for a in send.draft.to] == ["jqp@example.org", "jane@example.org",
                                                "carol@example.org"]
