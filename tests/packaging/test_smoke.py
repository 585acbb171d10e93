"""`qtmail --smoke` from the source tree: the check scripts/package-check runs installed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_smoke_passes_offscreen() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run([sys.executable, "-m", "qtmail", "--smoke"], capture_output=True,
                            text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("PASS window", "PASS garbage collection", "PASS fonts", "PASS keyring:",
                  "PASS keyring backends"):
        assert check in result.stdout, result.stdout
    assert "smoke: ok" in result.stdout
