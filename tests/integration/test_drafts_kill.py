"""Drafts survive kill -9 of the real app (issue 6): type in the composer, wait for the
autosave, SIGKILL the qtmail GUI process, start it again: the draft is in Drafts on the
server, once, with the text.

The app runs offscreen in a subprocess on a temporary profile (--home). Its password
is handed over on stdin into an in-memory keyring (RELIABILITY.md G.54: never the
desktop keyring, never a file). "offline": the first run cannot reach the IMAP server,
so only the store holds the draft when it dies; "online": it dies right after the
durable save, whether or not its APPEND went out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.dovecot import MailUser, free_port
from test_drafts import account_for, copies, text_of

from qtmail.accounts.settings import AccountsFile
from qtmail.profile import Profile

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Kill me softly: these words were typed before the crash."

LAUNCHER = """
import sys
sys.path.insert(0, {tests!r})
import keyring
from helpers.memory_keyring import MemoryKeyring
keyring.set_keyring(MemoryKeyring())
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from qtmail.accounts.credentials import CredentialStore
from qtmail.app import run_gui
from qtmail.profile import Profile

home, mode, text = sys.argv[1], sys.argv[2], sys.argv[3]
credentials = CredentialStore()
credentials.set("work", sys.stdin.readline().rstrip("\\n"))

def type_a_draft(gui):
    composer = gui.window.compose.write(account="work")
    QTest.keyClicks(composer.subject_edit, "Kill test")
    QTest.keyClicks(composer.body, text)

def after_show(gui):
    if mode == "write":
        QTimer.singleShot(0, lambda: type_a_draft(gui))

sys.exit(run_gui(Profile.at(Path(home)), credentials=credentials, after_show=after_show))
"""


def start_app(home: Path, mode: str, password: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER.format(tests=str(ROOT / "tests")), str(home), mode,
         TEXT], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=env, cwd=str(home))
    assert process.stdin is not None
    process.stdin.write(password.encode() + b"\n")
    process.stdin.close()
    return process


def saved_locally(cache: Path) -> bool:
    """Whether the store holds the typed text as a draft (read-only look at the file)."""
    if not cache.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as db:
            rows = db.execute("SELECT draft FROM drafts").fetchall()
    except sqlite3.OperationalError:  # not migrated yet
        return False
    return any(row[0] and TEXT in row[0] for row in rows)


def wait_for(condition: object, process: subprocess.Popen[bytes], what: str,
             timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert callable(condition)
        if condition():
            return
        assert process.poll() is None, f"qtmail ended ({process.returncode}) before {what}"
        time.sleep(0.05)  # polling another process's files and server, not a sync
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.parametrize("network", ["offline", "online"])
def test_draft_survives_kill_9_and_reaches_drafts_after_restart(
        network: str, mail_user: MailUser, tmp_path: Path) -> None:
    home = tmp_path / "home"
    profile = Profile.at(home).ensure()
    online = account_for(mail_user)
    first = replace(online, imap=replace(online.imap, port=free_port(), timeout=5)) \
        if network == "offline" else online
    accounts = AccountsFile(profile.accounts_file)
    accounts.add(first)
    cache = profile.cache_file("work")

    app = start_app(home, "write", mail_user.password)
    try:
        wait_for(lambda: saved_locally(cache), app, "the autosave")
    finally:
        os.kill(app.pid, signal.SIGKILL)
        app.wait()
    if network == "offline":
        assert copies(mail_user) == []
        accounts.update(online)

    app = start_app(home, "run", mail_user.password)
    try:
        wait_for(lambda: any(TEXT in text_of(raw) for _, raw, _ in copies(mail_user)), app,
                 "the draft in Drafts")
    finally:
        os.kill(app.pid, signal.SIGKILL)
        app.wait()
    ((_, raw, flags),) = copies(mail_user)
    assert text_of(raw).startswith(TEXT)
    assert b"\\Draft" in flags
    with contextlib.closing(sqlite3.connect(cache)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
