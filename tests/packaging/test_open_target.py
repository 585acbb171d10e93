"""`qtmail FILE.eml`, `qtmail file://...` and `qtmail mailto:...` as the desktop passes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from qtmail.cli.open_target import message_path, split_target
from qtmail.mime.parse import parse_message

COMMANDS = {"account", "sync", "list", "show", "folders"}
RAW = (b"From: Ann <ann@example.org>\r\nTo: bob@example.org\r\nSubject: Hello there\r\n"
       b"Date: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nThe body text.\r\n")


@pytest.mark.parametrize(("argv", "expected"), [
    (["mail.eml"], ([], "mail.eml")),
    (["--home", "/tmp/p", "MAIL.EML"], (["--home", "/tmp/p"], "MAIL.EML")),
    (["mailto:bob@example.org?subject=hi"], ([], "mailto:bob@example.org?subject=hi")),
    (["file:///tmp/a%20b.eml"], ([], "file:///tmp/a%20b.eml")),
    (["show", "mail.eml"], (["show", "mail.eml"], None)),
    (["list"], (["list"], None)),
    (["--home", "/tmp/p"], (["--home", "/tmp/p"], None)),
    (["-v", "mail.eml"], (["-v", "mail.eml"], None)),
    ([], ([], None)),
])
def test_split_target(argv: list[str], expected: tuple[list[str], str | None]) -> None:
    assert split_target(argv, COMMANDS) == expected


def test_file_url_becomes_a_path() -> None:
    assert message_path("file:///tmp/a%20b.eml") == Path("/tmp/a b.eml")
    assert message_path("x.eml") == Path("x.eml")


def test_eml_window_shows_the_message(qtbot: QtBot) -> None:
    from qtmail.qt.eml_window import EmlWindow

    window = EmlWindow(parse_message(RAW), "hello.eml")
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("Hello there")
    assert window.view.objectName() == "messageView"


def test_missing_file_is_one_sentence(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qtmail", str(tmp_path / "gone.eml")],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("qtmail: cannot open")
