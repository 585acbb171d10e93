"""Notifier: a real notification server (dunst on a private bus under Xvfb), the tray
fallback, and nothing at all without bus and tray. ``unread_title`` for the window.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.session_bus import Bus
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from qtmail.qt.notify import Notifier, unread_title


class FakeTray(QSystemTrayIcon):
    """A tray icon that records messages instead of showing them (offscreen has no tray)."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title: str, body: str, *args: object) -> None:  # type: ignore[override]
        self.messages.append((title, body))


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[Bus]:
    if not shutil.which("dbus-daemon"):
        pytest.fail("dbus-daemon is missing: run scripts/test, which installs it.")
    made = Bus(tmp_path)
    yield made
    made.stop()


@pytest.fixture
def notifiers() -> Iterator[list[Notifier]]:
    made: list[Notifier] = []
    yield made
    for notifier in made:
        notifier.close()


def test_unread_title() -> None:
    assert unread_title("Inbox — qtmail", 0) == "Inbox — qtmail"
    assert unread_title("Inbox — qtmail", 3) == "(3) Inbox — qtmail"


def test_nothing_to_show_it_with_is_not_an_error(
        qtbot: QtBot, notifiers: list[Notifier], caplog: pytest.LogCaptureFixture) -> None:
    notifier = Notifier(bus_address=None)  # offscreen: no bus given, no tray
    notifiers.append(notifier)
    assert not QSystemTrayIcon.isSystemTrayAvailable()
    caplog.set_level(logging.DEBUG, logger="qtmail.qt.notify")
    with qtbot.waitSignal(notifier.shown) as blocker:
        notifier.notify("New mail", "From Ann: Lunch?")
    assert blocker.args == ["none"]
    assert "notification not shown" in caplog.text
    assert notifier.tray_icon() is None


def test_the_tray_is_used_without_a_bus(qtbot: QtBot, notifiers: list[Notifier]) -> None:
    tray = FakeTray()
    notifier = Notifier(bus_address=None, tray_icon=tray)
    notifiers.append(notifier)
    with qtbot.waitSignal(notifier.shown) as blocker:
        notifier.notify("New mail", "From Ann: Lunch?")
    assert blocker.args == ["tray"]
    assert tray.messages == [("New mail", "From Ann: Lunch?")]


@pytest.mark.slow
def test_a_bus_without_a_notification_server_falls_back_to_the_tray(
        qtbot: QtBot, bus: Bus, notifiers: list[Notifier]) -> None:
    tray = FakeTray()
    notifier = Notifier(bus_address=bus.address, tray_icon=tray)
    notifiers.append(notifier)
    assert notifier.uses_dbus
    with qtbot.waitSignal(notifier.shown, timeout=10_000) as blocker:
        notifier.notify("New mail", "From Ann")
    assert blocker.args == ["tray"]
    assert not notifier.uses_dbus  # the next one goes to the tray at once
    with qtbot.waitSignal(notifier.shown) as blocker:
        notifier.notify("New mail", "From Bob")
    assert tray.messages == [("New mail", "From Ann"), ("New mail", "From Bob")]


@pytest.mark.slow
def test_dunst_shows_the_notification(qtbot: QtBot, bus: Bus,
                                      notifiers: list[Notifier]) -> None:
    if not shutil.which("dunst") or not shutil.which("Xvfb"):
        pytest.fail("dunst or Xvfb is missing: run scripts/test, which installs them.")
    bus.start_dunst()
    notifier = Notifier(icon=QIcon(), bus_address=bus.address)
    notifiers.append(notifier)
    subject = "Lunch <b>today</b>? <img src=\"http://tracker.example/x.png\">"
    with qtbot.waitSignal(notifier.shown, timeout=10_000) as blocker:
        notifier.notify("New mail from Ann", subject)
    assert blocker.args == ["dbus"]
    assert bus.dunstctl("count", "displayed").strip() == "1"
    with qtbot.waitSignal(notifier.shown, timeout=10_000):
        notifier.notify("New mail from Bob", "Minutes")
    # the second replaces the first rather than piling up
    assert bus.dunstctl("count", "displayed").strip() == "1"
    bus.dunstctl("close-all")
    history = json.loads(bus.dunstctl("history"))["data"][0]
    shown = {item["summary"]["data"]: item for item in history}
    assert set(shown) == {"New mail from Bob"}
    assert shown["New mail from Bob"]["appname"]["data"] == "qtmail"
    assert shown["New mail from Bob"]["category"]["data"] == "email.arrived"
