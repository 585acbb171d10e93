"""The write commands of the command line, online and with --offline."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.mailgen import message

from qtmail.cli import main

pytestmark = pytest.mark.dovecot


@pytest.fixture
def home(tmp_path: Path, mail_user: MailUser, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> str:
    for n in range(4):
        mail_user.save(message(f"m{n}"))
    home = str(tmp_path / "profile")
    monkeypatch.setattr(sys, "stdin", io.StringIO(mail_user.password + "\n"))
    assert main(["--home", home, "account", "add", "acct", "--email", "me@example.org",
                 "--imap-host", mail_user.host, "--imap-port", str(mail_user.port),
                 "--imap-security", "none", "--username", mail_user.name,
                 "--password-stdin"]) == 0
    assert main(["--home", home, "sync"]) == 0
    capsys.readouterr()
    return home


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def server_folder(user: MailUser, folder: str) -> dict[str, set[bytes]]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        uids = client.search(["NOT", "DELETED"])
        data = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]) if uids else {}
        return {item[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip():
                set(item[b"FLAGS"]) - {b"\\Recent"} for item in data.values()}
    finally:
        client.logout()


def uid_of(capsys: pytest.CaptureFixture[str], home: str, folder: str, subject: str) -> str:
    _, out, _ = run(capsys, "--home", home, "list", folder)
    for line in out.splitlines():
        fields = line.split("\t")
        if fields[4] == subject:
            return fields[0]
    raise AssertionError(f"{subject} not listed in {folder}")


def test_offline_changes_wait_then_sync_sends_them(home: str, mail_user: MailUser,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    m0, m1 = uid_of(capsys, home, "INBOX", "m0"), uid_of(capsys, home, "INBOX", "m1")
    code, _, err = run(capsys, "--home", home, "move", "acct", "INBOX", m0, "--to", "Archive",
                       "--offline")
    assert code == 0 and "waiting" in err
    assert run(capsys, "--home", home, "mark", "acct", "INBOX", m1, "--flag",
               "--offline")[0] == 0
    _, out, _ = run(capsys, "--home", home, "pending")
    assert [line.split("\t")[3] for line in out.splitlines()] == ["move", "flags"]
    assert "m0" in server_folder(mail_user, "INBOX")  # nothing sent yet

    code, out, err = run(capsys, "--home", home, "sync")

    assert code == 0, err
    assert run(capsys, "--home", home, "pending")[1] == ""
    assert "m0" in server_folder(mail_user, "Archive")
    assert b"\\Flagged" in server_folder(mail_user, "INBOX")["m1"]


def test_delete_archive_folder_import_export(home: str, mail_user: MailUser, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    m2, m3 = uid_of(capsys, home, "INBOX", "m2"), uid_of(capsys, home, "INBOX", "m3")
    assert run(capsys, "--home", home, "delete", "acct", "INBOX", m2)[0] == 0
    assert run(capsys, "--home", home, "archive", "acct", "INBOX", m3)[0] == 0
    assert "m2" in server_folder(mail_user, "Trash")
    assert "m3" in server_folder(mail_user, "Archive")

    assert run(capsys, "--home", home, "folder", "acct", "create", "Reisen")[0] == 0
    assert run(capsys, "--home", home, "folder", "acct", "rename", "Reisen", "Urlaub")[0] == 0
    eml = tmp_path / "in.eml"
    eml.write_bytes(message("imported"))
    assert run(capsys, "--home", home, "import", "acct", "Urlaub", str(eml))[0] == 0
    assert list(server_folder(mail_user, "Urlaub")) == ["imported"]

    run(capsys, "--home", home, "sync")
    uid = uid_of(capsys, home, "Urlaub", "imported")
    out_file = tmp_path / "out.eml"
    assert run(capsys, "--home", home, "export", "acct", "Urlaub", uid, "--output",
               str(out_file))[0] == 0
    assert out_file.read_bytes() == eml.read_bytes()
    code, _, err = run(capsys, "--home", home, "export", "acct", "Urlaub", uid, "--output",
                       str(out_file))
    assert code == 1 and "already exists" in err


def test_refusals_are_one_sentence(home: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--home", home, "folder", "acct", "delete", "INBOX")
    assert code == 1 and "special folder" in err
    code, _, err = run(capsys, "--home", home, "move", "acct", "INBOX", "9999", "--to",
                       "Archive")
    assert code == 1 and "None of those messages" in err
    code, _, err = run(capsys, "--home", home, "undo", "acct")
    assert code == 1 and "nothing to undo" in err
    assert "Traceback" not in err


def test_undo_and_redo_from_the_command_line(home: str, mail_user: MailUser,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    m0 = uid_of(capsys, home, "INBOX", "m0")
    assert run(capsys, "--home", home, "move", "acct", "INBOX", m0, "--to", "Archive")[0] == 0
    code, _, err = run(capsys, "--home", home, "undo", "acct")
    assert code == 0 and "Undone." in err
    assert "m0" in server_folder(mail_user, "INBOX")
    code, _, err = run(capsys, "--home", home, "redo", "acct")
    assert code == 0 and "Redone." in err
    assert "m0" in server_folder(mail_user, "Archive")
    assert "m0" not in server_folder(mail_user, "INBOX")
    code, _, err = run(capsys, "--home", home, "redo", "acct")
    assert code != 0 and "There is nothing to redo." in err

