"""The system asks qtmail to end (qt/session_end.py): SIGTERM when the session logs out or
the computer shuts down, SIGHUP when its terminal closes. The app ends as Quit does: it
exits normally, with the window's layout saved, even with a dialog open (the first-run
account setup here). Python's default was to die on the spot, saving nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qtmail.profile import Profile
from qtmail.qt.instance import socket_path


@pytest.mark.slow
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_qtmail_as_quit_does(tmp_path: Path, number: signal.Signals) -> None:
    profile = Profile.at(tmp_path / "profile").ensure()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "qtmail", "--home", str(tmp_path / "profile")], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # It listens for a second start once its window is up (qt/instance.py).
        listening = socket_path(profile.config_dir)
        deadline = time.monotonic() + 60
        while not listening.exists() and process.poll() is None:
            assert time.monotonic() < deadline, "qtmail did not start"
            time.sleep(0.05)
        assert "geometry" not in saved(profile)
        process.send_signal(number)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "geometry" in saved(profile), "the layout was not saved"


def saved(profile: Profile) -> str:
    path = profile.settings_file
    return path.read_text() if path.exists() else ""
