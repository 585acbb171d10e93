"""The command line against a real Dovecot, run in-process (and once as a real process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import run
from helpers.dovecot import MailUser
from helpers.mailgen import message
from helpers.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.dovecot


NOT_MAIL = ("LICENSE", "COPYING", "NOTICE", "README", ".gitattributes")


def corpus_messages(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.rglob("*")
                  if p.is_file() and not p.name.startswith(NOT_MAIL))


def add_account(home: Path, user: MailUser, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch, name: str = "work") -> None:
    code, _, err = run(capsys, monkeypatch, "--home", str(home), "account", "add", name,
                         "--email", f"{user.name}@example.org", "--imap-host", user.host,
                         "--imap-port", str(user.port), "--imap-security", "none",
                         "--username", user.name, "--password-stdin",
                         stdin=user.password + "\n")
    assert code == 0, err
    assert "without encryption" in err


def test_account_add_list_remove_keeps_password_in_keyring_only(
        tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "profile"
    add_account(home, mail_user, capsys, monkeypatch)

    assert ("qtmail", "work:imap") in memory_keyring.passwords
    for path in home.rglob("*"):
        if path.is_file():
            assert mail_user.password.encode() not in path.read_bytes(), path
    assert (home / "config").stat().st_mode & 0o777 == 0o700
    code, out, _ = run(capsys, monkeypatch, "--home", str(home), "account", "list")
    assert code == 0 and out.startswith("work\t")

    run(capsys, monkeypatch, "--home", str(home), "sync")
    code, out, _ = run(capsys, monkeypatch, "account", "remove", "work", "--home", str(home))
    assert code == 0
    assert memory_keyring.passwords == {}
    assert not list((home / "data" / "cache").glob("*.sqlite3"))
    code, out, _ = run(capsys, monkeypatch, "--home", str(home), "account", "list")
    assert out == ""


def test_sync_folders_list_and_show(tmp_path: Path, mail_user: MailUser,
                                    capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    home = str(tmp_path / "p")
    add_account(Path(home), mail_user, capsys, monkeypatch)
    mail_user.save(message("Hello\tworld", body="Plain body text.\n"))
    mail_user.save(message("Second", sender="Zoë <zoe@example.de>"))

    code, out, err = run(capsys, monkeypatch, "--home", home, "sync")
    assert code == 0, err
    assert "INBOX\t2 new\t0 removed\t0 changed\t2 messages" in out.splitlines()

    code, out, _ = run(capsys, monkeypatch, "--home", home, "folders")
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert rows["INBOX"][1:3] == ["2", "2"]
    assert rows["Sent"][3] == "sent"

    code, out, _ = run(capsys, monkeypatch, "--home", home, "list", "work", "INBOX")
    lines = out.splitlines()
    assert len(lines) == 2
    _uid, date, flags, _sender, subject = lines[0].split("\t")
    assert subject in ("Hello world", "Second")
    assert flags == "-"
    assert "T" in date

    first_uid = min(int(line.split("\t")[0]) for line in lines)
    code, out, err = run(capsys, monkeypatch, "--home", home, "show", "work", "INBOX",
                         str(first_uid))
    assert code == 0, err
    assert "Plain body text." in out


def test_sync_reports_a_wrong_password_in_one_line(
        tmp_path: Path, mail_user: MailUser, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    home = str(tmp_path / "p")
    add_account(Path(home), mail_user, capsys, monkeypatch)
    memory_keyring.passwords[("qtmail", "work:imap")] = "wrong"

    code, _, err = run(capsys, monkeypatch, "--home", home, "sync")

    assert code == 1
    assert "password" in err.lower()
    assert "Traceback" not in err


def test_commands_without_account_explain_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(capsys, monkeypatch, "--home", str(tmp_path), "folders")
    assert code == 1
    assert "qtmail account add" in err


def test_show_reads_standard_input_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "QTMAIL_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "qtmail", "show", "-"],
                            input=message("Piped", body="From a pipe.\n"),
                            capture_output=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"From a pipe." in result.stdout
    assert b"Piped" in result.stdout


def test_every_corpus_message_renders_with_show(corpus_dir: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    files = corpus_messages(corpus_dir)
    assert len(files) > 200
    for path in files:
        code, out, err = run(capsys, monkeypatch, "--home", str(tmp_path), "show", str(path))
        assert code == 0, f"{path}: {err}"
        assert out.strip(), path


def test_watch_follows_new_mail_by_push_until_interrupted(
        tmp_path: Path, mail_user: MailUser, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import select
    import signal
    import time

    home = tmp_path / "profile"
    add_account(home, mail_user, capsys, monkeypatch)
    mail_user.save(message("Already here"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "qtmail", "--home", str(home), "watch", "work",
         "--password-stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=env, text=True)
    assert watcher.stdin is not None and watcher.stdout is not None
    watcher.stdin.write(mail_user.password + "\n")
    watcher.stdin.close()

    def next_line(deadline: float) -> str:
        """The next line the watcher prints, waiting at most until ``deadline``."""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([watcher.stdout], [], [], 0.5)
            if ready:
                return watcher.stdout.readline()
        raise AssertionError("qtmail watch printed nothing in time")

    try:
        deadline = time.monotonic() + 30
        while "INBOX\t1 new" not in (line := next_line(deadline)):
            assert line, "qtmail watch ended early"
        imap = mail_user.imap()
        try:
            # Delivered after the first sync: only push (IDLE) can tell the watcher.
            deadline = time.monotonic() + 30
            imap.append("INBOX", message("Pushed while watching"))
            while "INBOX\t1 new" not in (line := next_line(deadline)):
                assert line, "qtmail watch ended early"
        finally:
            imap.logout()
    finally:
        watcher.send_signal(signal.SIGINT)
        code = watcher.wait(timeout=30)
        stderr = watcher.stderr.read() if watcher.stderr else ""
        watcher.stdout.close()
        if watcher.stderr is not None:
            watcher.stderr.close()
    assert code == 0, stderr
    assert "Traceback" not in stderr
