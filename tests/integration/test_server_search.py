"""Search on the real Dovecot (issue 7): the same query locally and by UID SEARCH."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.dovecot import MailUser
from helpers.engine import EngineHarness

from qtmail.accounts.settings import Security, ServerSettings, SyncPolicy
from qtmail.core.commands import SearchServer
from qtmail.core.events import Event, MessagesAdded, SearchDone, SearchHits
from qtmail.core.types import FolderInfo
from qtmail.imap.session import ImapSession
from qtmail.search import parse, to_imap_search
from qtmail.store import Store
from qtmail.sync.server_search import ServerSearch

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


# -- the worker's server search (qtmail.sync.server_search) ---------------------------


def run_search(harness: EngineHarness, text: str,
               folders: tuple[str, ...] | None = None) -> tuple[list[SearchHits], SearchDone]:
    """Every step of one search, as the worker runs them between event-loop turns."""
    search = ServerSearch(SearchServer(7, text, folders), harness.store.folders())
    events: list[Event] = []
    while not search.done:
        search.step(harness.engine, events.append)
    search.finish(harness.engine, events.append)
    harness.events.extend(events)
    hits = [e for e in events if isinstance(e, SearchHits)]
    done = events[-1]
    assert isinstance(done, SearchDone) and done.search_id == 7
    return hits, done


def test_server_search_adds_what_the_cache_cannot_find(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    import datetime as dt

    from helpers.mailgen import message as make
    recent = dt.datetime.now(dt.UTC)
    old = dt.datetime(2019, 5, 1, tzinfo=dt.UTC)
    imap = mail_user.imap()
    for subject, body, when, attachment in (
            ("Tank", "the zebrafish tank", recent, None),
            ("Old tank", "zebrafish eggs", old, b"data"),
            ("Zebrafish in the subject", "nothing", recent, None),
            ("Archived", "zebrafish archive", recent, None)):
        folder = "Archive" if subject == "Archived" else "INBOX"
        if folder == "Archive" and not imap.folder_exists("Archive"):
            imap.create_folder("Archive")
        imap.append(folder, make(subject, body=body + "\n", date=when, attachment=attachment),
                    msg_time=when)
    imap.logout()
    harness = harness_factory(mail_user, sync=SyncPolicy(days=30))
    harness.engine.sync_all()
    store = harness.store
    assert store.message_count("INBOX") == 2  # the 2019 message is outside the range
    assert [s.subject for _f, s in store.search("zebrafish")] == ["Zebrafish in the subject"]
    assert store.unindexed_count() == 0  # the writer caught up before searching

    hits, done = run_search(harness, "zebrafish")
    found = {(h.folder, store.summary(h.folder, uid).subject)  # type: ignore[union-attr]
             for h in hits for uid in h.uids}
    assert found == {("INBOX", "Tank"), ("INBOX", "Old tank"), ("Archive", "Archived")}
    assert done.found == 3 and not done.failed
    # The old message's headers were fetched, cached and announced before the hit.
    added = [e for e in harness.events if isinstance(e, MessagesAdded)
             and e.folder == "INBOX"]
    assert store.message_count("INBOX") == 3 and added and len(added[-1].uids) == 1
    # has:attachment has no SEARCH key: checked on the cached summaries.
    hits, done = run_search(harness, "zebrafish has:attachment")
    assert [(h.folder, len(h.uids)) for h in hits] == [("INBOX", 1)] and done.found == 1
    # Scope and folder: terms narrow the folders searched.
    hits, _done = run_search(harness, "zebrafish", ("Archive",))
    assert [h.folder for h in hits] == ["Archive"]
    hits, _done = run_search(harness, "zebrafish folder:archive")
    assert [h.folder for h in hits] == ["Archive"]
    # Nothing beyond the cache: no hit event, found 0.
    hits, done = run_search(harness, "subject:zebrafish")
    assert hits == [] and done.found == 0


def test_server_search_skips_a_folder_whose_uidvalidity_changed(
        mail_user: MailUser, harness_factory: Callable[..., EngineHarness]) -> None:
    mail_user.save(message("Before", "walrus"))
    harness = harness_factory(mail_user)
    harness.engine.sync_all()
    state = harness.store.folder_state("INBOX")
    assert state is not None
    harness.store.set_folder_state("INBOX", replace(state, uidvalidity=state.uidvalidity + 1))
    hits, done = run_search(harness, "walrus", ("INBOX",))
    assert hits == [] and done.found == 0
