"""kill -9 at random moments of a large move: nothing lost, nothing moved twice.

RELIABILITY.md H: pending operations are durable, replay is idempotent. Each run moves
600 messages with `qtmail move` in a subprocess, kills it with SIGKILL after a
random delay, checks the cache's integrity, then lets `qtmail sync` finish the queue.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.dovecot import DovecotServer, MailUser
from helpers.mailgen import message

from qtmail.cli import main

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

MESSAGES = 600
RUNS = 12


def message_ids(user: MailUser, folder: str) -> list[str]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED"])
        data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
        return [item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip()
                for item in data.values()]
    finally:
        client.logout()


def wait_for_record(process: subprocess.Popen[bytes], cache: Path) -> None:
    """Block until the subprocess has recorded its move (or ended)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as db:
            if db.execute("SELECT count(*) FROM pending").fetchone()[0]:
                return
        time.sleep(0.005)  # polling a file for a condition, not waiting for a sync


def cli(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(list(argv))


@pytest.mark.parametrize("variant", ["full", "no-move-no-uidplus"])
def test_kill_during_a_large_move_loses_and_duplicates_nothing(
        variant: str, dovecot_servers: Callable[[str], DovecotServer], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    server = dovecot_servers(variant)
    rng = random.Random(f"crash-{variant}")
    interrupted = 0
    window = 0.0
    for run in range(RUNS):
        user = server.new_user()
        client = user.imap()
        client.multiappend("INBOX", [message(f"m{n}") for n in range(MESSAGES)])
        client.logout()
        original = Counter(message_ids(user, "INBOX"))
        home = str(tmp_path / f"run{run}")
        assert cli(monkeypatch, "--home", home, "account", "add", "acct", "--email",
                   f"{user.name}@example.org", "--imap-host", user.host, "--imap-port",
                   str(user.port), "--imap-security", "none", "--username", user.name,
                   "--password-stdin", stdin=user.password + "\n") == 0
        assert cli(monkeypatch, "--home", home, "sync") == 0
        uids = [str(uid) for uid in range(1, MESSAGES + 1)]

        process = subprocess.Popen(
            [sys.executable, "-m", "qtmail", "--home", home, "move", "acct", "INBOX", *uids,
             "--to", "Archive", "--password-stdin"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "QTMAIL_NO_PROMPT": "1"})
        assert process.stdin is not None
        process.stdin.write(user.password.encode() + b"\n")
        process.stdin.close()
        cache = Path(home) / "data" / "cache"
        started = time.monotonic()
        wait_for_record(process, next(cache.glob("*.sqlite3")))
        recorded_at = time.monotonic()
        if run == 0:
            # Calibration: how long the server phase takes on this machine, unkilled.
            process.wait(timeout=120)
            window = max(time.monotonic() - recorded_at, 0.05)
        else:
            # Most kills somewhere in the server phase, some anywhere from the start.
            late = rng.uniform(0.0, window)
            delay = late if run % 3 else rng.uniform(0.0, recorded_at - started + window)
            wait_from = recorded_at if run % 3 else started
            try:
                process.wait(timeout=max(0.0, wait_from + delay - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        with sqlite3.connect(next(cache.glob("*.sqlite3"))) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            recorded = db.execute("SELECT state FROM pending").fetchall()
        db.close()
        interrupted += recorded == [("queued",)]
        delay_text = "calibration" if run == 0 else f"{time.monotonic() - started:.2f} s"
        assert cli(monkeypatch, "--home", home, "sync") == 0, capsys.readouterr().err
        capsys.readouterr()

        moved = Counter(message_ids(user, "Archive"))
        left = Counter(message_ids(user, "INBOX"))
        pending = cli(monkeypatch, "--home", home, "pending")
        out = capsys.readouterr().out
        assert pending == 0 and out.strip() == "", f"run {run}: still pending:\n{out}"
        assert moved + left == original, f"run {run} ({delay_text}): lost or doubled"
        assert max(moved.values(), default=1) == 1
        if recorded:
            assert left == Counter(), f"run {run}: the move did not complete"
        else:  # killed before the move was recorded: as if it was never asked for
            assert moved == Counter(), f"run {run}: moved without a record"
    # Enough kills must land between recording the move and finishing it on the server.
    assert interrupted >= RUNS // 3, f"only {interrupted} of {RUNS} kills came mid-move"
    assert window > 0
