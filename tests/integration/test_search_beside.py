"""Server searches run beside the account's worker (issue 18, goal 3).

The scheduler with the real engine on Dovecot and a SearchLane whose connection goes
through a proxy that delays every chunk (a server slow to search): the search gives the
same hits as on the account's own connection, and a message is opened meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser
from helpers.fault_proxy import FaultPlan, FaultProxy
from helpers.mailgen import message

from qtmail.core.commands import FetchBody, SearchServer
from qtmail.core.events import BodyReady, Event, SearchDone, SearchHits
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, connect_session
from qtmail.sync.scheduler import AccountScheduler, Parts
from qtmail.sync.search_lane import SearchLane

pytestmark = pytest.mark.dovecot


def step_until(scheduler: AccountScheduler, done: Callable[[], bool], limit: float = 60.0
               ) -> None:
    deadline = time.monotonic() + limit
    while not done():
        assert time.monotonic() < deadline, "the account never got there"
        wait = scheduler.step()
        if wait:
            time.sleep(min(wait, 0.05))


def test_a_slow_server_search_does_not_hold_up_reading(mail_user: MailUser,
                                                       tmp_path: Path) -> None:
    mail_user.save(message("Read me", body="Nothing about fish.\n"))
    mail_user.save(message("Tank", body="the zebrafish tank\n"))  # a word in the body only
    events: list[Event] = []
    scheduler = AccountScheduler("work", events.append)
    settings = account_for(mail_user)
    store = Store.open(tmp_path / "cache.sqlite3")
    engine = AccountEngine(settings, store, lambda: mail_user.password,
                           scheduler.engine_event)
    with FaultProxy((mail_user.host, mail_user.port),
                    FaultPlan(cut_min=0, cut_max=0, delay=0.3)) as slow:
        searcher = SearchLane(replace(settings, imap=replace(settings.imap, port=slow.port)),
                              lambda: mail_user.password, connect_session)
        scheduler.attach(Parts(engine, store, searcher=searcher))
        engine.sync_all()
        first = store.summaries("INBOX", limit=2)
        read_me = next(s.uid for s in first if s.subject == "Read me")

        scheduler.submit(SearchServer(5, "zebrafish", ("INBOX",)))
        step_until(scheduler, lambda: searcher.busy)
        scheduler.submit(FetchBody("INBOX", read_me, request_id=9))
        scheduler.step()
        assert [e.request_id for e in events if isinstance(e, BodyReady)] == [9]
        assert not [e for e in events if isinstance(e, SearchDone)]  # still searching

        step_until(scheduler, lambda: any(isinstance(e, SearchDone) for e in events))
        hits = [e for e in events if isinstance(e, SearchHits)]
        assert [(h.folder, [store.summary("INBOX", u).subject  # type: ignore[union-attr]
                            for u in h.uids]) for h in hits] == [("INBOX", ["Tank"])]
        done = next(e for e in events if isinstance(e, SearchDone))
        assert done.found == 1 and not done.failed
        scheduler.close()


def test_a_click_while_the_hits_are_compared_with_the_cache_is_answered_first(
        mail_user: MailUser, tmp_path: Path) -> None:
    """Issue 18 goal 3: comparing a folder's hits with the cache reads it twice (up to
    30 ms each on 20,000 messages); a click taken in between is answered there."""
    mail_user.save(message("Read me", body="Nothing about fish.\n"))
    mail_user.save(message("Tank", body="the zebrafish tank\n"))  # a word in the body only
    events: list[Event] = []
    clicks: list[FetchBody] = []

    def take() -> None:  # the front end hands over what the user asked meanwhile
        while clicks:
            scheduler.submit(clicks.pop())

    scheduler = AccountScheduler("work", events.append, take=take)
    settings = account_for(mail_user)
    store = Store.open(tmp_path / "cache.sqlite3")
    engine = AccountEngine(settings, store, lambda: mail_user.password,
                           scheduler.engine_event)
    searcher = SearchLane(settings, lambda: mail_user.password, connect_session)
    scheduler.attach(Parts(engine, store, searcher=searcher))
    engine.sync_all()
    read_me = next(s.uid for s in store.summaries("INBOX", limit=2) if s.subject == "Read me")
    engine.body("INBOX", read_me)  # cached: answered without the account's connection

    scheduler.submit(SearchServer(5, "zebrafish", ("INBOX",)))
    step_until(scheduler, lambda: searcher.busy)
    clicks.append(FetchBody("INBOX", read_me, request_id=9))
    step_until(scheduler, lambda: any(isinstance(e, SearchDone) for e in events))
    kinds = [type(e) for e in events if isinstance(e, BodyReady | SearchHits)]
    assert kinds == [BodyReady, SearchHits]
    scheduler.close()
