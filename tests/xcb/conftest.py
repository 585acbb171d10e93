"""A real X server for real drags (issue 5): QDrag.exec only runs on xcb.

This directory runs in its own pytest process (scripts/test): the platform cannot
change once a QApplication exists, and xcb drag tests mixed with other window tests
crashed (shared/recipes/qt-headless.md). Without a DISPLAY, an Xvfb is started here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "xcb"
_xvfb: subprocess.Popen[bytes] | None = None


def _start_xvfb() -> None:
    global _xvfb
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        return
    for number in range(90, 140):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        _xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1400x1000x24",
                                  "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                os.environ["DISPLAY"] = f":{number}"
                return
            time.sleep(0.05)
        _xvfb.kill()
        _xvfb.wait()
    raise RuntimeError("Xvfb did not start")


_start_xvfb()


@pytest.fixture(scope="session", autouse=True)
def _x_server() -> Iterator[None]:
    if not os.environ.get("DISPLAY"):
        pytest.fail("No X display: install xvfb (scripts/test does).")
    yield
    if _xvfb is not None:
        _xvfb.terminate()
        _xvfb.wait(timeout=10)
