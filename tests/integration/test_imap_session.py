"""ImapSession and IdleWatcher against the real Dovecot (capabilities, folders, select)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from helpers.dovecot import DovecotServer, MailUser

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import ConnectionLost
from qtmail.core.types import FolderInfo, FolderRole
from qtmail.imap.idle import IdleWatcher
from qtmail.imap.session import ImapSession

pytestmark = pytest.mark.dovecot

MESSAGE = (b"From: Alice <alice@example.org>\r\nTo: bob@example.org\r\n"
           b"Subject: Hello\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
           b"Message-ID: <1@example.org>\r\n\r\nBody\r\n")


def plain(user: MailUser) -> ServerSettings:
    return ServerSettings(host=user.host, port=user.port, security=Security.NONE, timeout=10)


@pytest.fixture
def session(mail_user: MailUser) -> Iterator[ImapSession]:
    s = ImapSession.connect(plain(mail_user), mail_user.name, mail_user.password)
    yield s
    s.logout()


@pytest.fixture
def variant_session(dovecot_servers: Callable[[str], DovecotServer],
                    request: pytest.FixtureRequest) -> Iterator[ImapSession]:
    user = dovecot_servers(request.param).new_user()
    s = ImapSession.connect(plain(user), user.name, user.password)
    yield s
    s.logout()


def by_name(folders: list[FolderInfo]) -> dict[str, FolderInfo]:
    return {f.name: f for f in folders}


def test_capabilities_after_login_include_extensions(session: ImapSession) -> None:
    for capability in ("CONDSTORE", "QRESYNC", "MOVE", "UIDPLUS", "IDLE", "SPECIAL-USE"):
        assert session.has(capability), capability
    assert session.has("condstore")
    assert all(c == c.upper() for c in session.capabilities)
    assert "LOGIN" in session.command_log
    assert not any("secret" in c or session.imap.host in c for c in session.command_log)


@pytest.mark.parametrize(("variant_session", "missing"), [
    ("no-move", {"MOVE"}), ("no-move-no-uidplus", {"MOVE", "UIDPLUS"}),
    ("no-condstore", {"CONDSTORE", "QRESYNC"}), ("no-qresync", {"QRESYNC"}),
    ("no-idle", {"IDLE"})], indirect=["variant_session"])
def test_capability_variants(variant_session: ImapSession, missing: set[str]) -> None:
    assert not missing & variant_session.capabilities
    assert variant_session.has("IMAP4REV1")


def test_list_folders_roles_and_inbox(session: ImapSession) -> None:
    folders = by_name(session.list_folders())
    assert folders["INBOX"].role is FolderRole.INBOX
    expected = {"Sent": FolderRole.SENT, "Drafts": FolderRole.DRAFTS,
                "Trash": FolderRole.TRASH, "Junk": FolderRole.JUNK,
                "Archive": FolderRole.ARCHIVE}
    for name, role in expected.items():
        assert folders[name].role is role
        assert folders[name].subscribed
        assert folders[name].delimiter == "/"
    assert "\\sent" in folders["Sent"].attributes
    assert "LIST RETURN" in session.command_log


def test_roles_guessed_from_names_without_special_use(session: ImapSession,
                                                       mail_user: MailUser) -> None:
    other = mail_user.imap()
    other.create_folder("Gesendet")
    other.create_folder("Projects/Spam")
    other.logout()
    # Without SPECIAL-USE attributes, a German "Gesendet" would be the sent folder.
    folders = by_name(session.list_folders())
    assert folders["Gesendet"].role is FolderRole.NONE  # Sent has \Sent already
    assert folders["Projects/Spam"].role is FolderRole.NONE  # only top level is guessed
    assert folders["Projects/Spam"].parent == "Projects"
    assert not folders["Gesendet"].subscribed


def test_non_ascii_folder_name_decodes(session: ImapSession, mail_user: MailUser) -> None:
    other = mail_user.imap()
    other.create_folder("Entwürfe-Test/日本語")
    other.subscribe_folder("Entwürfe-Test/日本語")
    other.logout()
    folders = by_name(session.list_folders())
    folder = folders["Entwürfe-Test/日本語"]
    assert folder.wire == b"Entw&APw-rfe-Test/&ZeVnLIqe-"
    assert folder.leaf == "日本語" and folder.parent == "Entwürfe-Test"
    assert folder.subscribed
    assert "Entwürfe-Test" in folders
    assert session.select(folder).exists == 0


def test_select_returns_uidvalidity_uidnext_highestmodseq(session: ImapSession,
                                                          mail_user: MailUser) -> None:
    mail_user.save(MESSAGE)
    mail_user.save(MESSAGE)
    inbox = by_name(session.list_folders())["INBOX"]
    status = session.select(inbox)
    assert status.exists == 2
    assert status.uidnext == 3
    assert status.uidvalidity > 0
    assert status.highestmodseq is not None and status.highestmodseq > 0
    assert "SELECT (CONDSTORE)" in session.command_log
    assert session.selected == inbox

    examined = session.select(inbox, readonly=True)
    assert examined == status
    assert session.status(inbox) == status


@pytest.mark.parametrize("variant_session", ["no-condstore"], indirect=True)
def test_select_without_condstore(variant_session: ImapSession) -> None:
    inbox = by_name(variant_session.list_folders())["INBOX"]
    status = variant_session.select(inbox)
    assert status.highestmodseq is None
    assert "SELECT" in variant_session.command_log


def test_qresync_select_reports_vanished(session: ImapSession, mail_user: MailUser) -> None:
    for _ in range(3):
        mail_user.save(MESSAGE)
    assert session.enable("QRESYNC") >= {"QRESYNC", "CONDSTORE"}
    assert "ENABLE QRESYNC" in session.command_log
    inbox = by_name(session.list_folders())["INBOX"]
    first = session.select(inbox)
    assert first.highestmodseq is not None
    other = mail_user.imap()
    other.select_folder("INBOX")
    other.delete_messages([2])
    other.expunge()
    other.logout()
    again = session.select(inbox, qresync=(first.uidvalidity, first.highestmodseq))
    assert session.vanished == [2]
    assert again.exists == 2
    assert "SELECT (QRESYNC)" in session.command_log


def test_failed_select_is_a_server_error(session: ImapSession) -> None:
    from qtmail.core.errors import ServerError
    missing = FolderInfo(name="Nope", wire=b"Nope", delimiter="/")
    with pytest.raises(ServerError) as info:
        session.select(missing)
    assert "Nope" in str(info.value) and "The server said:" in str(info.value)
    session.noop()  # still usable


def test_quota(session: ImapSession, mail_user: MailUser) -> None:
    mail_user.save(MESSAGE * 100)
    quota = session.quota()
    assert quota is not None
    assert quota.limit == 100 * 1024 * 1024
    assert 0 < quota.used < quota.limit


def test_fastfetch_commands_are_logged_without_arguments(session: ImapSession,
                                                         mail_user: MailUser) -> None:
    mail_user.save(MESSAGE)
    status = session.select(by_name(session.list_folders())["INBOX"])
    session.command_log.clear()
    assert session.search_uids("ALL") == [1]
    assert status.highestmodseq is not None
    session.fetch_flags("1:*", changedsince=status.highestmodseq - 1)
    assert session.command_log == ["UID SEARCH RETURN", "UID FETCH (CHANGEDSINCE)"]


def test_logout_never_raises_and_closes(session: ImapSession) -> None:
    session.logout()
    session.logout()
    with pytest.raises(ConnectionLost):
        session.noop()


# -- IDLE ------------------------------------------------------------------------------
def test_idle_reports_append_by_other_device(mail_user: MailUser) -> None:
    watcher = IdleWatcher.connect(plain(mail_user), mail_user.name, mail_user.password)
    try:
        assert watcher.supported
        inbox = FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")
        watcher.start(inbox)
        assert not watcher.wait(0.3)
        other = mail_user.imap()
        other.append("INBOX", MESSAGE)
        other.logout()
        assert watcher.wait(5.0)
    finally:
        watcher.close()


def test_idle_stop_from_another_thread(mail_user: MailUser) -> None:
    watcher = IdleWatcher.connect(plain(mail_user), mail_user.name, mail_user.password)
    inbox = FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")
    watcher.start(inbox)
    result: list[bool] = []
    done = threading.Event()

    def run() -> None:
        result.append(watcher.wait(60.0))
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    watcher.stop()
    assert done.wait(5.0)
    thread.join()
    assert result == [False]
    watcher.close()


def test_idle_reissued_before_server_drops_it(mail_user: MailUser) -> None:
    watcher = IdleWatcher.connect(plain(mail_user), mail_user.name, mail_user.password)
    watcher.reissue_after = 0.0  # RFC 2177: normally ~25 minutes
    try:
        watcher.start(FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/"))
        watcher.session.command_log.clear()
        assert not watcher.wait(0.5)
        assert watcher.session.command_log.count("IDLE") >= 1
        assert "DONE" in watcher.session.command_log
        mail_user.save(MESSAGE)
        assert watcher.wait(5.0)
    finally:
        watcher.close()


@pytest.mark.parametrize("variant", ["no-idle"])
def test_idle_unsupported(dovecot_servers: Callable[[str], DovecotServer],
                          variant: str) -> None:
    user = dovecot_servers(variant).new_user()
    watcher = IdleWatcher.connect(plain(user), user.name, user.password)
    try:
        assert not watcher.supported
    finally:
        watcher.close()
