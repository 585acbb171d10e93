"""The command line run in-process, as a user would run it from a shell."""

from __future__ import annotations

import io
import sys

import pytest

from qtmail.cli import main


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str,
        stdin: str = "") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``qtmail *argv`` with ``stdin`` as its input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
