"""Rules that qtmail runs itself (issue 15): on a server without ManageSieve, the local
rules take new INBOX mail only, and two devices never both act on one message; on a
server without FILTER=SIEVE, "apply now" runs them as queued changes; and once the
server has ManageSieve the local rules move there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.accounts import account_for
from helpers.dovecot import MailUser, free_port
from helpers.engine import EngineHarness
from helpers.mailgen import message
from helpers.sieve import sieve_account, sieve_settings

from qtmail.accounts.settings import AccountSettings
from qtmail.core.events import Event
from qtmail.sieve import service
from qtmail.sieve.jobs import (
    ApplyRulesToFolder,
    LoadRules,
    MoveRulesToServer,
    RulesApplied,
    RulesCommand,
    RulesFailed,
    RulesLoaded,
    RulesSaved,
    SaveRules,
    UseLocalRules,
)
from qtmail.sync.engine import connect_session
from qtmail.sync.local_rules import CLAIM_KEYWORD, LocalRules
from qtmail.sync.rules_work import run_rules

pytestmark = pytest.mark.dovecot

RULES = """require ["fileinto"];
# rule:[Lists]
if header :contains "list-id" "dev.lists.example.org" { fileinto "Lists"; }
"""


def list_message(subject: str) -> bytes:
    raw = message(subject)
    return raw.replace(b"\nSubject:", b"\nList-Id: Dev <dev.lists.example.org>\nSubject:", 1)


def server_count(user: MailUser, folder: str) -> int:
    client = user.imap()
    try:
        return int(client.select_folder(folder, readonly=True)[b"EXISTS"])
    finally:
        client.logout()


def runner(settings: AccountSettings, user: MailUser, local: LocalRules
           ) -> Callable[[RulesCommand], Event]:
    """Runs a rules command as the account's worker does; its one answer."""
    def run(command: RulesCommand) -> Event:
        events: list[Event] = []
        run_rules(command, settings, lambda: user.password, connect_session, None,
                  events.append, local=local)
        [answer] = events
        return answer
    return run


@pytest.fixture
def devices(mail_user: MailUser, tmp_path: Path) -> Iterator[list[EngineHarness]]:
    client = mail_user.imap()
    client.create_folder("Lists")
    client.logout()
    made = [EngineHarness(mail_user, tmp_path / f"device{n}.sqlite3") for n in (1, 2)]
    yield made
    for harness in made:
        harness.close()


def test_two_devices_never_both_act_on_a_new_message(
        devices: list[EngineHarness], mail_user: MailUser) -> None:
    mail_user.save(message("before the rules"))
    rules = []
    for harness in devices:
        harness.engine.sync_all()
        local = LocalRules(harness.store.path)
        local.save(RULES)
        assert local.after_inbox_sync(harness.engine) == 0  # existing mail: left alone
        rules.append(local)

    mail_user.save(list_message("to the list"))
    mail_user.save(message("to me"))
    for harness in devices:
        harness.engine.sync_folder("INBOX")  # both see the new mail, as two laptops do
    # Both run their rules; the first claim wins, the second device leaves it.
    assert rules[0].after_inbox_sync(devices[0].engine) == 1
    assert rules[1].after_inbox_sync(devices[1].engine) == 0
    for harness in devices:
        harness.engine.replay()
    assert server_count(mail_user, "Lists") == 1  # moved once, never twice
    assert server_count(mail_user, "INBOX") == 2
    client = mail_user.imap()
    client.select_folder("Lists", readonly=True)
    flags = client.get_flags(client.search("ALL"))
    client.logout()
    assert all(CLAIM_KEYWORD.encode() in f for f in flags.values())


def test_apply_now_without_filter_sieve_queues_undoable_moves(
        devices: list[EngineHarness], mail_user: MailUser) -> None:
    harness = devices[0]
    for n in range(3):
        mail_user.save(list_message(f"list {n}"))
    mail_user.save(message("mine"))
    harness.engine.sync_all()
    session = connect_session(harness.settings, mail_user.password)
    assert not session.has("FILTER=SIEVE")  # this server cannot do it itself
    session.logout()
    local = LocalRules(harness.store.path)
    local.save(RULES)
    events: list[Event] = []
    moved = run_rules(ApplyRulesToFolder(1, "INBOX"), harness.settings,
                      lambda: mail_user.password, connect_session, harness.store,
                      events.append, engine=harness.engine, local=local)
    assert moved
    [applied] = [e for e in events if isinstance(e, RulesApplied)]
    assert applied.moved == 3
    assert harness.store.message_count("INBOX") == 1  # at once, locally
    harness.engine.replay()
    assert server_count(mail_user, "Lists") == 3
    harness.engine.undo()  # an ordinary change: undone like any move
    harness.engine.replay()
    assert server_count(mail_user, "Lists") == 0


def test_without_managesieve_rules_can_live_on_this_device(
        mail_user: MailUser, tmp_path: Path) -> None:
    settings = replace(account_for(mail_user), sieve=replace(
        sieve_settings(mail_user), port=free_port(), timeout=3))  # nobody listens there
    local = LocalRules(tmp_path / "cache.sqlite3")
    run = runner(settings, mail_user, local)
    failed = run(LoadRules(1))
    assert isinstance(failed, RulesFailed) and failed.offer_local
    loaded = run(UseLocalRules(2))
    assert isinstance(loaded, RulesLoaded) and loaded.local and not loaded.server_available
    saved = run(SaveRules(3, "", RULES, ""))
    assert isinstance(saved, RulesSaved) and local.text() == RULES
    broken = run(SaveRules(4, "", 'if header :contains "subject" {', RULES))
    assert isinstance(broken, RulesFailed) and broken.problems
    assert local.text() == RULES  # a broken edit never replaces the rules


def test_local_rules_move_to_the_server_once_it_offers_managesieve(
        sieve_user: MailUser, tmp_path: Path) -> None:
    settings = sieve_account(sieve_user)
    local = LocalRules(tmp_path / "cache.sqlite3")
    local.save(RULES)
    run = runner(settings, sieve_user, local)
    loaded = run(LoadRules(1))
    assert isinstance(loaded, RulesLoaded) and loaded.local and loaded.server_available
    moved = run(MoveRulesToServer(2))
    assert isinstance(moved, RulesLoaded) and not moved.local
    assert not local.enabled  # only once the server accepted them
    client = service.connect(settings, lambda: sieve_user.password)
    try:
        _name, text, active = service.active_script(client)
    finally:
        client.logout()
    assert active and 'fileinto "Lists"' in text
