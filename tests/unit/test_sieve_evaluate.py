"""qtmail runs the editor's rules itself (issue 15: no FILTER=SIEVE, or local rules):
the same results the server's Sieve would give for the rules the editor writes."""

from __future__ import annotations

from qtmail.sieve.evaluate import MessageFacts, evaluate
from qtmail.sieve.script import SieveDocument

SCRIPT = """require ["fileinto", "imap4flags", "copy"];
# rule:[Lists]
if header :contains "list-id" "<dev.lists.example.org>" { fileinto "Lists"; stop; }
# rule:[Boss]
if address :is "from" "boss@example.org" { addflag "\\\\Flagged"; }
# rule:[Invoices]
if anyof (header :matches "subject" "Invoice *", address :domain "from" "billing.example")
{ fileinto :copy "Receipts"; }
# rule:[Big]
if size :over 1M { fileinto "Big"; }
# rule:[Off]
if false # header :contains "subject" "x"
{ discard; }
"""


def facts(header: str, size: int = 1000) -> MessageFacts:
    return MessageFacts(header.replace("\n", "\r\n").encode(), size)


def rules() -> list:  # type: ignore[type-arg]
    return SieveDocument.parse(SCRIPT).rules


def test_a_list_message_moves_and_stops() -> None:
    outcome = evaluate(rules(), facts(
        "From: Boss <boss@example.org>\nList-Id: Dev <dev.lists.example.org>\n"
        "Subject: Invoice 7\n\n", size=2_000_000))
    assert outcome.move_to == "Lists"  # and stop: no flag, no copy, no "Big"
    assert not outcome.flags and not outcome.copy_to


def test_flags_copies_and_size_add_up_with_the_implicit_keep() -> None:
    outcome = evaluate(rules(), facts(
        "From: The Boss <BOSS@example.org>\nSubject: invoice March\n\n"))
    assert outcome.move_to == ""  # :copy keeps the message where it is
    assert outcome.copy_to == ["Receipts"]
    assert outcome.flags == {"\\Flagged"}
    big = evaluate(rules(), facts("From: billing@billing.example\nSubject: x\n\n", 3_000_000))
    assert big.move_to == "Big" and big.copy_to == ["Receipts"]


def test_a_disabled_rule_and_an_ordinary_message_change_nothing() -> None:
    outcome = evaluate(rules(), facts("From: a@b.example\nSubject: x\n\n"))
    assert not outcome.changes


def test_glob_is_not_a_character_class() -> None:
    outcome = evaluate(SieveDocument.parse(
        'require "fileinto";\nif header :matches "subject" "[ann?]*" { fileinto "A"; }\n'
    ).rules, facts("Subject: [anne] party\n\n"))
    assert outcome.move_to == "A"
    assert not evaluate(SieveDocument.parse(
        'require "fileinto";\nif header :matches "subject" "[ann?]*" { fileinto "A"; }\n'
    ).rules, facts("Subject: a party\n\n")).changes
