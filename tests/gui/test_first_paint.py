"""What waits for the window's first paint (issue 18): on a first start the account
setup opens over a window the user already sees, instead of keeping it blank while the
dialog is built; a window that is never painted still gets its dialog."""

from __future__ import annotations

from pathlib import Path

from helpers.paints import PaintCounter
from helpers.window import POPUPS_SHOWN
from pytestqt.qtbot import QtBot

from qtmail.accounts.credentials import CredentialStore
from qtmail.app import FIRST_PAINT_WAIT_MS, Gui, after_first_paint, build
from qtmail.profile import Profile

pytestmark = POPUPS_SHOWN


def new_profile_window(qtbot: QtBot, home: Path) -> Gui:
    gui = build(Profile.at(home).ensure(), CredentialStore())
    qtbot.addWidget(gui.window)
    assert gui.window.accounts() == []
    return gui


def test_first_start_asks_for_an_account_after_the_window_is_painted(
        qtbot: QtBot, tmp_path: Path) -> None:
    gui = new_profile_window(qtbot, tmp_path)
    watch = PaintCounter()
    gui.window.installEventFilter(watch)
    paints_when_asked: list[int] = []
    after_first_paint(gui.window, lambda: paints_when_asked.append(watch.paints))
    gui.window.show()
    qtbot.waitUntil(lambda: bool(paints_when_asked))
    assert paints_when_asked[0] >= 1, "the dialog was built before the window was painted"
    gui.window.update()  # later paints do not ask again
    qtbot.waitUntil(lambda: watch.paints > paints_when_asked[0])
    qtbot.wait(50)
    assert len(paints_when_asked) == 1
    gui.window.shutdown()


def test_a_window_never_painted_still_asks(qtbot: QtBot, tmp_path: Path) -> None:
    gui = new_profile_window(qtbot, tmp_path)  # never shown: started minimized, say
    asked: list[bool] = []
    after_first_paint(gui.window, lambda: asked.append(True))
    qtbot.waitUntil(lambda: bool(asked), timeout=FIRST_PAINT_WAIT_MS + 2000)
    qtbot.wait(50)
    assert asked == [True]
    gui.window.shutdown()
