"""Search on the real Dovecot (issue 7): the same query locally and by UID SEARCH."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dovecot import MailUser

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.types import FolderInfo
from qtmail.imap.session import ImapSession
from qtmail.search import parse, to_imap_search
from qtmail.store import Store

pytestmark = pytest.mark.dovecot

INBOX = FolderInfo("INBOX", b"INBOX", "/")


def message(subject: str, body: str, *, sender: str = "Alice <alice@example.org>",
            to: str = "bob@example.org", cc: str = "") -> bytes:
    head = (f"From: {sender}\r\nTo: {to}\r\n" + (f"Cc: {cc}\r\n" if cc else "")
            + f"Subject: =?utf-8?b?{_b64(subject)}?=\r\n"
            "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n")
    return (head + "\r\n" + body + "\r\n").encode("utf-8")


def _b64(text: str) -> str:
    import base64
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


MESSAGES = (
    message("Quarterly report", "numbers attached, see zebrafish", cc="carol@example.org"),
    message("Straßenbahn Fahrplan", "Viele Grüße aus Köln", sender="Jürgen <jm@example.de>"),
    message("東京の会議", "明日の会議資料を送ります", to="tanaka@example.jp"),
    message("Lunch", "pizza today?" + " padding" * 400, sender="Dan <dan@example.org>"),
)


@pytest.fixture
def session(mail_user: MailUser) -> Iterator[ImapSession]:
    for raw in MESSAGES:
        mail_user.save(raw)
    other = mail_user.imap()
    other.select_folder("INBOX")
    other.add_flags([1], [b"\\Seen"])
    other.add_flags([3], [b"\\Flagged"])
    other.logout()
    settings = ServerSettings(host=mail_user.host, port=mail_user.port,
                              security=Security.NONE, timeout=10)
    s = ImapSession.connect(settings, mail_user.name, mail_user.password)
    s.select(INBOX)
    yield s
    s.logout()


@pytest.fixture
def store(session: ImapSession, tmp_path: Path) -> Iterator[Store]:
    """The headers of every message cached, but no body."""
    with Store.open(tmp_path / "cache.sqlite") as opened:
        opened.save_folders([INBOX])
        opened.add_summaries("INBOX", session.fetch_summaries("1:*").summaries)
        yield opened


def server(session: ImapSession, text: str) -> list[int]:
    return session.search_query(to_imap_search(parse(text)))


def local(store: Store, text: str) -> list[int]:
    return sorted(summary.uid for _folder, summary in store.search(text))


def test_body_word_found_on_the_server_only(session: ImapSession, store: Store) -> None:
    assert local(store, "zebrafish") == []  # no body cached
    assert server(session, "zebrafish") == [1]
    assert server(session, "body:zebrafish") == [1]


@pytest.mark.parametrize("text", [
    "report", "is:unread", "is:read", "is:flagged", "from:jm@example.de", "to:tanaka",
    "cc:carol", "subject:lunch", "-subject:lunch", "larger:2K", "after:2000-01-01",
    "before:2000-01-01", "report -is:read", "fahrplan", "東京", "Straßenbahn",
])
def test_operators_agree_locally_and_on_the_server(session: ImapSession, store: Store,
                                                   text: str) -> None:
    assert server(session, text) == local(store, text)


def test_japanese_and_german_words_on_the_server(session: ImapSession) -> None:
    assert server(session, "会議資料") == [3]
    assert server(session, "subject:東京") == [3]
    assert server(session, "Grüße") == [2]
    assert server(session, "body:Köln") == [2]
    assert server(session, "from:Jürgen") == [2]


def test_bad_input_reaches_the_server_safely(session: ImapSession) -> None:
    assert server(session, '"unbalanced') == []
    assert server(session, 'subject:"a \\ b"') == []
    assert server(session, "") == [1, 2, 3, 4]
