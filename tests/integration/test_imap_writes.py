"""Write primitives of ImapSession against the real Dovecot, checked from another device.

Every effect is read back through ``mail_user.imap()``, an independent connection, so
what these tests see is what any other client of the mailbox would see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from helpers.dovecot import DovecotServer, MailUser
from helpers.mailgen import message

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.errors import ServerError
from qtmail.core.types import DELETED, FLAGGED, SEEN, FolderInfo
from qtmail.imap.errors import quoted_response_code, response_code
from qtmail.imap.session import ImapSession
from qtmail.imap.writecmd import Reply, refused
from qtmail.imap.writes import internaldate_text, uid_batches

pytestmark = pytest.mark.dovecot

# 2023-11-14 22:13:20 UTC
WHEN = 1_700_000_000


def connect(user: MailUser) -> ImapSession:
    settings = ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                              timeout=10)
    return ImapSession.connect(settings, user.name, user.password)


class Account:
    """A user, our session and the other device's connection."""

    def __init__(self, user: MailUser) -> None:
        self.user = user
        self.session = connect(user)
        self.other: Any = user.imap()

    def folder(self, name: str) -> FolderInfo:
        return {f.name: f for f in self.session.list_folders()}[name]

    def open(self, name: str = "INBOX") -> None:
        self.session.select(self.folder(name))

    def subjects(self, folder: str) -> dict[int, str]:
        """UID -> Subject in ``folder``, as the other device sees it."""
        self.other.select_folder(folder)
        fetched = self.other.fetch(self.other.search("ALL"),
                                   ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"])
        return {uid: data[b"BODY[HEADER.FIELDS (SUBJECT)]"].decode().split(":", 1)[1].strip()
                for uid, data in fetched.items()}

    def flags(self, folder: str) -> dict[int, set[str]]:
        self.other.select_folder(folder)
        fetched = self.other.fetch(self.other.search("ALL"), ["FLAGS"])
        return {uid: _flags(data) for uid, data in fetched.items()}

    def close(self) -> None:
        self.session.logout()
        self.other.logout()


def _flags(data: dict[bytes, Any]) -> set[str]:
    """FLAGS without \\Recent, which is per session (RFC 3501 2.3.2)."""
    return {f.decode() for f in data[b"FLAGS"]} - {"\\Recent"}


def _account(user: MailUser) -> Iterator[Account]:
    for n in range(1, 4):
        user.save(message(f"m{n}"))
    account = Account(user)
    yield account
    account.close()


@pytest.fixture
def account(mail_user: MailUser) -> Iterator[Account]:
    yield from _account(mail_user)


@pytest.fixture
def variant(dovecot_servers: Callable[[str], DovecotServer],
            request: pytest.FixtureRequest) -> Iterator[Account]:
    yield from _account(dovecot_servers(request.param).new_user())


ALL_VARIANTS = ["full", "no-move", "no-move-no-uidplus"]


# --- flags ---------------------------------------------------------------------------------


def test_store_flags_add_and_remove_with_keyword(account: Account) -> None:
    account.open()
    session = account.session
    session.writes.store_flags([1, 3], add=frozenset({SEEN, FLAGGED, "$Work"}))
    assert account.flags("INBOX") == {1: {SEEN, FLAGGED, "$Work"}, 2: set(),
                                      3: {SEEN, FLAGGED, "$Work"}}
    session.writes.store_flags([1], remove=frozenset({FLAGGED, "$Work"}))
    session.writes.store_flags([], add=frozenset({SEEN}))  # nothing to do: no command
    assert account.flags("INBOX")[1] == {SEEN}
    assert session.command_log.count("UID STORE") == 2


def test_store_refuses_keyword_the_folder_cannot_keep(account: Account) -> None:
    account.open()
    session = account.session
    # RFC 3501 7.1: without "\*" only the listed keywords are permanent.
    session.permanent_flags = frozenset({"\\seen", "\\deleted", "$known"})
    sent = len(session.command_log)
    with pytest.raises(ServerError) as caught:
        session.writes.store_flags([1], add=frozenset({"$Other"}))
    assert caught.value.code == "CANNOT" and "$Other" in str(caught.value)
    assert len(session.command_log) == sent  # refused before anything was sent
    session.writes.store_flags([1], add=frozenset({"$Known", SEEN}))  # case-insensitive match
    assert account.flags("INBOX")[1] == {SEEN, "$Known"}


@pytest.mark.parametrize("bad", ["two words", "(paren", "Entwurf-ü", 'quo"te', ""])
def test_invalid_flag_name_is_refused(account: Account, bad: str) -> None:
    account.open()
    with pytest.raises(ServerError) as caught:
        account.session.writes.store_flags([1], add=frozenset({bad}))
    assert caught.value.code == "CANNOT"


# --- copy and move ----------------------------------------------------------------------


@pytest.mark.parametrize("variant", ALL_VARIANTS, indirect=True)
def test_copy_messages_maps_uids(variant: Account) -> None:
    variant.open()
    copied = variant.session.writes.copy_messages([1, 3], variant.folder("Archive"))
    archive = variant.subjects("Archive")
    assert sorted(archive.values()) == ["m1", "m3"]
    # Dovecot sends COPYUID even where UIDPLUS is not advertised.
    assert {src: archive[dst] for src, dst in copied.uid_map.items()} == {1: "m1", 3: "m3"}
    # The new UIDs hold under the destination's UIDVALIDITY, named by COPYUID.
    status = variant.other.folder_status("Archive", [b"UIDVALIDITY"])
    assert copied.dest_uidvalidity == status[b"UIDVALIDITY"]
    assert variant.subjects("INBOX") == {1: "m1", 2: "m2", 3: "m3"}
    assert "UID COPY" in variant.session.command_log


@pytest.mark.parametrize("variant", ALL_VARIANTS, indirect=True)
def test_move_messages_by_capability(variant: Account) -> None:
    server = variant.user.server.variant
    # The other device marked m2 \Deleted: a move must never expunge it.
    variant.other.select_folder("INBOX")
    variant.other.add_flags([2], [DELETED])
    variant.open()
    log = variant.session.command_log
    result = variant.session.writes.move_messages([1, 3], "Archive")

    archive = variant.subjects("Archive")
    assert sorted(archive.values()) == ["m1", "m3"]
    assert {src: archive[dst] for src, dst in result.uid_map.items()} == {1: "m1", 3: "m3"}
    inbox = variant.flags("INBOX")
    assert DELETED in inbox[2]
    assert "EXPUNGE" not in log  # a plain EXPUNGE would take m2 too
    if server == "full":
        assert "UID MOVE" in log and "UID COPY" not in log
        assert result.expunged and set(inbox) == {2}
    elif server == "no-move":
        assert "UID MOVE" not in log
        assert log[-3:] == ["UID COPY", "UID STORE", "UID EXPUNGE"]
        assert result.expunged and set(inbox) == {2}
    else:
        assert log[-2:] == ["UID COPY", "UID STORE"] and "UID EXPUNGE" not in log
        assert not result.expunged
        assert inbox == {1: {DELETED}, 2: {DELETED}, 3: {DELETED}}


def test_move_many_messages_in_batches(account: Account) -> None:
    for n in range(4, 41):
        account.user.save(message(f"m{n}"))
    account.open()
    uids = list(range(1, 41, 2))  # 20 separate UIDs: one set part each
    assert len(uid_batches(uids, max_length=40)) > 1
    result = account.session.writes.move_messages(uids, "Archive")
    assert len(result.uid_map) == 20
    archive = account.subjects("Archive")
    assert {archive[result.uid_map[u]] for u in uids} == {f"m{u}" for u in uids}


def test_move_into_folder_the_other_device_deleted(account: Account) -> None:
    account.session.writes.create_folder("Projects")
    projects = account.folder("Projects")
    account.other.delete_folder("Projects")
    account.open()
    for attempt in (lambda: account.session.writes.move_messages([1], projects),
                    lambda: account.session.writes.copy_messages([1], "Projects"),
                    lambda: account.session.writes.append(projects, message("late"))):
        with pytest.raises(ServerError) as caught:
            attempt()
        error = caught.value
        assert error.code in ("TRYCREATE", "NONEXISTENT")
        assert error.permanent
        assert str(error) == "The folder “Projects” no longer exists on the server."
        assert error.server_text
    assert account.subjects("INBOX") == {1: "m1", 2: "m2", 3: "m3"}


# --- delete --------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["full", "no-move-no-uidplus"], indirect=True)
def test_delete_messages(variant: Account) -> None:
    uidplus = variant.user.server.variant == "full"
    variant.open()
    log = variant.session.command_log
    gone = variant.session.writes.delete_messages([1], expunge=False)
    if uidplus:
        # RFC 4315 2.1: UID EXPUNGE only touches our UIDs, so it is always safe.
        assert gone and log[-2:] == ["UID STORE", "UID EXPUNGE"]
        assert set(variant.flags("INBOX")) == {2, 3}
    else:
        assert not gone and log[-1] == "UID STORE" and "EXPUNGE" not in log
        assert variant.flags("INBOX")[1] == {DELETED}
        # The user asked to delete for good: a plain EXPUNGE is allowed now.
        assert variant.session.writes.delete_messages([1], expunge=True)
        assert log[-1] == "EXPUNGE"
        assert set(variant.flags("INBOX")) == {2, 3}


# --- append --------------------------------------------------------------------------------


def test_append_keeps_date_and_flags(account: Account) -> None:
    raw = message("draft")
    uid = account.session.writes.append("Drafts", raw, flags=frozenset({SEEN, "$Draft2"}),
                                 internaldate=WHEN)
    account.other.select_folder("Drafts")
    fetched = account.other.fetch([uid], ["INTERNALDATE", "FLAGS", "BODY.PEEK[]"])[uid]
    assert fetched[b"BODY[]"] == raw
    assert _flags(fetched) == {SEEN, "$Draft2"}
    date = fetched[b"INTERNALDATE"]
    assert date.astimezone(dt.UTC).timestamp() == WHEN
    assert "APPEND" in account.session.command_log


def test_append_without_literal_plus(account: Account) -> None:
    session = account.session
    # The synchronizing literal path: wait for "+" before the message (RFC 3501 7.5).
    session.capabilities = session.capabilities - {"LITERAL+"}
    session.writes.create_folder("Entwürfe/日本")
    uid = session.writes.append("Entwürfe/日本", message("sync literal"))
    assert account.subjects("Entwürfe/日本") == {uid: "sync literal"}
    with pytest.raises(ServerError) as caught:  # refused before the literal is sent
        session.writes.append("Missing", message("never"))
    assert caught.value.code == "TRYCREATE"
    session.writes.create_folder("After")  # the connection is still in step
    assert not session.closed


def test_internaldate_text() -> None:
    assert internaldate_text(WHEN) == b'"14-Nov-2023 22:13:20 +0000"'
    assert internaldate_text(0) == b'" 1-Jan-1970 00:00:00 +0000"'  # date-day-fixed


# --- folders ------------------------------------------------------------------------------


def test_create_rename_delete_subscribe_non_ascii(account: Account) -> None:
    session, other = account.session, account.other
    session.writes.create_folder("Entwürfe")
    session.writes.create_folder("Entwürfe/日本")
    names = {name for _flags, _delim, name in other.list_folders()}
    assert {"Entwürfe", "Entwürfe/日本"} <= names
    with pytest.raises(ServerError) as caught:
        session.writes.create_folder("Entwürfe/日本")
    assert caught.value.code == "ALREADYEXISTS"
    assert str(caught.value) == "A folder named “Entwürfe/日本” already exists on the server."

    session.writes.subscribe("Entwürfe/日本")
    assert "Entwürfe/日本" in {n for _f, _d, n in other.list_sub_folders()}
    session.writes.subscribe(account.folder("Entwürfe/日本"), subscribed=False)
    assert "Entwürfe/日本" not in {n for _f, _d, n in other.list_sub_folders()}

    session.writes.subscribe("Entwürfe")
    session.writes.create_folder("Entwürfe2")  # a name that merely starts the same
    session.writes.subscribe("Entwürfe2")
    session.writes.rename_folder(account.folder("Entwürfe"), "Vorlagen ✓")
    names = {name for _flags, _delim, name in other.list_folders()}
    assert {"Vorlagen ✓", "Vorlagen ✓/日本"} <= names  # RFC 3501 6.3.5: children follow
    assert not {"Entwürfe", "Entwürfe/日本"} & names
    # Subscriptions move with the folder (Dovecot itself leaves them behind).
    subscribed = {n for _f, _d, n in other.list_sub_folders()}
    assert {"Vorlagen ✓", "Entwürfe2"} <= subscribed
    assert not {"Entwürfe", "Vorlagen ✓/日本"} & subscribed

    session.writes.delete_folder("Vorlagen ✓/日本")
    session.writes.delete_folder(account.folder("Vorlagen ✓"))
    names = {name for _flags, _delim, name in other.list_folders()}
    assert not any(n.startswith("Vorlagen") for n in names)
    log = session.command_log
    for command in ("CREATE", "SUBSCRIBE", "UNSUBSCRIBE", "RENAME", "DELETE"):
        assert command in log


def test_rename_and_delete_the_selected_folder(account: Account) -> None:
    session = account.session
    session.writes.create_folder("Open")
    account.open("Open")
    session.writes.rename_folder("Open", "Renamed")
    assert session.selected is None and session.uidvalidity() is None
    assert "UNSELECT" in session.command_log
    account.open("Renamed")
    session.writes.delete_folder("Renamed")
    assert session.selected is None
    account.open()  # still connected and usable
    assert session.uidvalidity() is not None


def test_rename_selected_folder_without_unselect(account: Account) -> None:
    session = account.session
    session.capabilities = session.capabilities - {"UNSELECT"}
    session.writes.create_folder("Open")
    account.open("Open")
    session.writes.rename_folder("Open", "Renamed")
    assert session.command_log[-3:] == ["EXAMINE", "LSUB", "RENAME"]
    assert session.selected is None
    account.open()
    session.writes.store_flags([1], add=frozenset({SEEN}))
    assert account.flags("INBOX")[1] == {SEEN}


def test_missing_folder_and_permission_sentences(account: Account) -> None:
    with pytest.raises(ServerError) as caught:
        account.session.writes.delete_folder("Nowhere")
    assert caught.value.code == "NONEXISTENT"
    assert str(caught.value) == "The folder “Nowhere” no longer exists on the server."
    with pytest.raises(ServerError) as caught:
        account.session.writes.rename_folder("Nowhere", "Somewhere")
    assert caught.value.code == "NONEXISTENT" and caught.value.permanent


# --- replay checks ------------------------------------------------------------------------


def test_find_message_ids(account: Account) -> None:
    ids = [f"replay-{n}@example.org" for n in range(55)]
    for n, msg_id in enumerate(ids[:3]):
        raw = re.sub(rb"Message-ID: <[^>]*>", b"Message-ID: <" + msg_id.encode() + b">",
                     message(f"r{n}"))
        account.session.writes.append("Archive", raw)
    dup = account.session.writes.append("Archive", raw)
    account.open("Archive")
    found = account.session.writes.find_message_ids([*ids, "<unknown@example.org>"])
    assert found[ids[0]] == [1] and found[ids[1]] == [2]
    assert found[ids[2]] == [3, dup]
    assert all(found[i] == [] for i in ids[3:])
    assert found["<unknown@example.org>"] == []
    assert account.session.writes.find_message_ids([f"<{ids[1]}>"]) == {f"<{ids[1]}>": [2]}
    assert account.session.writes.find_message_ids([ids[0], "", "ünï@x"]) == {
        ids[0]: [1], "": [], "ünï@x": []}
    assert account.session.writes.find_message_ids([]) == {}


def test_uidvalidity_of_selected_folder(account: Account) -> None:
    assert account.session.uidvalidity() is None
    account.open()
    theirs = account.other.select_folder("INBOX")[b"UIDVALIDITY"]
    assert account.session.uidvalidity() == theirs


# --- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "sentence", "permanent"), [
    ("[OVERQUOTA] Quota exceeded (mailbox for user is full)",
     "The server refused: not enough storage space (over quota).", True),
    ("[NOPERM] Permission denied", "You do not have permission to change “Team”.", True),
    ("[LIMIT] Too many", "The server refused: too many messages or too much data at once.",
     True),
    ("[UNAVAILABLE] Try later",
     "The server cannot do this right now; it will be tried again later.", False),
    ("[TRYCREATE] Mailbox doesn't exist", "The folder “Team” no longer exists on the server.",
     True),
    ("Something odd", "The messages could not be moved to “Team”. The server said: "
     "“Something odd”", True),
])
def test_refusal_sentences(text: str, sentence: str, permanent: bool) -> None:
    error = refused(Reply("NO", text), "The messages could not be moved to “Team”.",
                    folder="Team", changing=True)
    assert str(error) == sentence
    assert error.server_text == text
    assert error.code == response_code(text)
    assert error.permanent is permanent


# --- response codes -------------------------------------------------------------------------


def test_response_code_parsing() -> None:
    assert response_code("[TRYCREATE] Mailbox doesn't exist") == "TRYCREATE"
    assert response_code("[overquota] Quota exceeded") == "OVERQUOTA"
    assert response_code("[COPYUID 5 1:2 3:4] Done") == "COPYUID"
    assert response_code("No code [NOPERM] here") == ""
    assert quoted_response_code("UID command error: BAD [b'[CANNOT] no']") == "CANNOT"
    assert quoted_response_code("BAD [b'Error in IMAP command']") == ""
