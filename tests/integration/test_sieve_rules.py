"""Server-side rules end to end (issue 15): the CLI edits the rules over ManageSieve,
mail DELIVERED over LMTP is sorted by Dovecot's Sieve, checked over IMAP."""

from __future__ import annotations

import email
import io
import sys
import time
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.sieve import sieve_settings

from qtmail.cli import main
from qtmail.net.sasl import Plain
from qtmail.sieve.client import open_trusted

pytestmark = pytest.mark.dovecot

SCRIPTS = Path(__file__).parents[1] / "unit" / "sieve_scripts"


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, home: Path,
        *argv: str, password: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    extra = ["--password-stdin"] if password else []
    code = main(["--home", str(home), *argv, *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(tmp_path: Path, sieve_user: MailUser, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`qtmail ...` on a profile with account "work": IMAP and ManageSieve over STARTTLS."""
    home = tmp_path / "profile"
    user = sieve_user
    code, _, err = run(capsys, monkeypatch, home, "account", "add", "work",
                       "--email", f"{user.name}@example.org", "--imap-host", user.host,
                       "--imap-port", str(user.port), "--imap-security", "starttls",
                       "--ca-file", str(user.server.ca_file), "--username", user.name,
                       "--sieve-port", str(user.sieve_port), password=user.password)
    assert code == 0, err

    def call(*argv: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, home, *argv, password=user.password)
    return call


def mail(subject: str, sender: str = "friend@example.net", to: str = "",
         extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: {to or 'someone@example.org'}\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}.{time.monotonic_ns()}@example.net>\r\n"
            f"{extra}\r\nHello.\r\n").encode()


def subjects(user: MailUser, folder: str) -> list[str]:
    client = user.imap()
    try:
        client.select_folder(folder, readonly=True)
        fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        return sorted(email.message_from_bytes(v[b"BODY[HEADER.FIELDS (SUBJECT)]"])["Subject"]
                      for v in fetched.values())
    finally:
        client.logout()


def server_script(user: MailUser) -> tuple[str, str]:
    with open_trusted(sieve_settings(user)) as client:
        client.authenticate(Plain(user.name, user.password))
        name = client.active_script() or ""
        return name, client.get_script(name) if name else ""


def test_rule_added_on_the_command_line_sorts_the_next_delivered_message(
        cli, sieve_user: MailUser) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("rules", "work", "add", "--name", "Lists",
                         "--from", "list@example.org", "--move-to", "Lists")
    assert code == 0, err
    assert out.strip() == "Added rule “Lists”."
    sieve_user.deliver(mail("from the list", sender="list@example.org"))
    sieve_user.deliver(mail("from a friend"))
    # Dovecot filed it (fileinto :create made the folder); another device sees it there.
    assert subjects(sieve_user, "Lists") == ["from the list"]
    assert subjects(sieve_user, "INBOX") == ["from a friend"]
    code, out, _ = cli("rules", "work", "list")
    assert out == "1\tLists: if from contains “list@example.org”: move to Lists\n"


def test_disable_enable_remove(cli, sieve_user: MailUser) -> None:  # type: ignore[no-untyped-def]
    assert cli("rules", "work", "add", "--name", "Big", "--size-over", "100",
               "--move-to", "Big")[0] == 0
    assert cli("rules", "work", "disable", "Big")[0] == 0
    sieve_user.deliver(mail("large enough to be over one hundred bytes, disabled"))
    assert subjects(sieve_user, "INBOX") == [
        "large enough to be over one hundred bytes, disabled"]
    _, out, _ = cli("rules", "work", "list")
    assert "[disabled]" in out
    _, text = server_script(sieve_user)
    assert "if false # size :over 100\n" in text
    assert cli("rules", "work", "enable", "1")[0] == 0
    sieve_user.deliver(mail("large enough to be over one hundred bytes, enabled"))
    assert subjects(sieve_user, "Big") == ["large enough to be over one hundred bytes, enabled"]
    assert cli("rules", "work", "remove", "Big")[0] == 0
    assert cli("rules", "work", "list")[1] == ""
    code, _, err = cli("rules", "work", "remove", "Big")
    assert code != 0 and "no rule “Big”" in err


def test_vacation_sends_exactly_one_auto_reply(
        cli, sieve_user: MailUser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    away = tmp_path / "away.txt"
    away.write_text("I am away until January.\nUrgent: call the office.\n", encoding="utf-8")
    code, _, err = cli("rules", "work", "vacation", "--on", "--until", "2099-01-06",
                         "--subject", "Away", "--text-file", str(away))
    assert code == 0, err
    me = f"{sieve_user.name}@example.org"
    sink = sieve_user.server.submissions
    assert sink is not None
    sender = f"friend-{sieve_user.name}@example.net"
    sieve_user.deliver(mail("are you there?", sender=sender, to=me), sender=sender)
    sieve_user.deliver(mail("are you there now?", sender=sender, to=me), sender=sender)
    # Pigeonhole submits the reply during the delivery: LMTP answers after the sink did.
    replies = sink.sent_to(sender)
    assert len(replies) == 1, replies
    reply = email.message_from_bytes(replies[0])
    assert reply["Auto-Submitted"].startswith("auto-replied")
    assert reply["Subject"] == "Away"
    assert "I am away until January." in reply.get_payload(decode=True).decode()
    assert subjects(sieve_user, "INBOX") == ["are you there now?", "are you there?"]
    assert cli("rules", "work", "vacation", "--off")[1].strip() == "Auto-reply turned off."
    _, text = server_script(sieve_user)
    assert 'if false # currentdate :value "le" "date" "2099-01-06"' in text


@pytest.mark.parametrize(("fixture", "rule", "old", "new"), [
    ("roundcube.sieve", "junk", 'if anyof (header :contains "X-Spam-Flag" "YES")\n',
     'if false # header :contains "X-Spam-Flag" "YES"\n'),
    ("ingo.sieve", "2", "if address :all :comparator \"i;ascii-casemap\" :is \"From\" "
     "[ \"spam@bad.example\", \"ads@bad.example\" ]  {\ndiscard;\nstop;\n}\n",
     "if false # address :all :comparator \"i;ascii-casemap\" :is \"From\" "
     "[\"spam@bad.example\", \"ads@bad.example\"]\n{\n\tdiscard;\n\tstop;\n}\n"),
    ("roundcube_vacation.sieve", "Rechnungen",
     'if header :contains "subject" "Rechnung"\n',
     'if false # header :contains "subject" "Rechnung"\n'),
    ("thunderbird.sieve", "1", 'if header :matches "List-Id" "*<news.*.example>*" {\r\n'
     '    fileinto :copy "Newsletters";\r\n    setflag "\\\\Seen";\r\n}\r\n',
     'if false # header :matches "List-Id" "*<news.*.example>*"\r\n{\r\n'
     '\tfileinto :copy "Newsletters";\r\n\tsetflag "\\\\Seen";\r\n}\r\n'),
])
def test_third_party_script_on_the_server_changes_only_the_disabled_rule(
        cli, sieve_user: MailUser, fixture: str, rule: str, old: str, new: str
        ) -> None:  # type: ignore[no-untyped-def]
    text = (SCRIPTS / fixture).read_bytes().decode()
    with open_trusted(sieve_settings(sieve_user)) as client:
        client.authenticate(Plain(sieve_user.name, sieve_user.password))
        client.put_script("theirs", text)
        client.set_active("theirs")
    code, _, err = cli("rules", "work", "disable", rule)
    assert code == 0, err
    name, after = server_script(sieve_user)
    assert name == "theirs"  # the active script is edited in place, not replaced
    assert text.count(old) == 1
    assert after == text.replace(old, new)


def test_vacation_beside_another_programs_auto_reply_is_refused(
        cli, sieve_user: MailUser) -> None:  # type: ignore[no-untyped-def]
    text = (SCRIPTS / "roundcube_vacation.sieve").read_text(encoding="utf-8")
    with open_trusted(sieve_settings(sieve_user)) as client:
        client.authenticate(Plain(sieve_user.name, sieve_user.password))
        client.put_script("roundcube", text)
        client.set_active("roundcube")
    code, _, err = cli("rules", "work", "vacation", "--on", "--text", "Away")
    assert code != 0 and "already has an automatic reply" in err
    assert server_script(sieve_user) == ("roundcube", text)

