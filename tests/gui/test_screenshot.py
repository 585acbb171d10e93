"""The real app on the demo data under Xvfb (xcb), grabbed to artifacts/screenshot-main.png.

Runs ``scripts/demo --screenshot`` in its own process (a QApplication's platform cannot
change inside the pytest process), and checks that the PNG shows a painted window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "artifacts" / "screenshot-main.png"


def test_demo_window_screenshot_under_xvfb(tmp_path: Path) -> None:
    if not shutil.which("xvfb-run") or not shutil.which("dovecot"):
        pytest.fail("xvfb-run and dovecot are needed: run scripts/test, which installs them.")
    TARGET.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "QTMAIL_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", str(ROOT / "scripts" / "demo"),
         "--messages", "200", "--home", str(tmp_path / "home"), "--screenshot", str(TARGET)],
        capture_output=True, text=True, timeout=240, env=env, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "screenshot: rows=" in result.stdout, output
    rows = int(result.stdout.split("screenshot: rows=")[1].split()[0])
    assert rows > 0
    image = QImage(str(TARGET))
    assert not image.isNull() and image.width() > 600 and image.height() > 400
    # Not blank: many distinct colours across the window.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 50, len(colours)
