"""Sieve scripts from other tools survive qtmail's editor byte for byte (issue 15).

Each script is shaped like what a real tool writes (Roundcube's managesieve plugin,
the Thunderbird Sieve add-on's raw editor with CRLF from the server, Horde Ingo, and a
hand-written one with extensions qtmail does not model). Editing ONE rule must change
that rule's text only; everything else, comments included, stays as it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qtmail.sieve.rules import Action, Condition, Rule, Vacation
from qtmail.sieve.script import Opaque, SieveDocument

SCRIPTS = Path(__file__).parent / "sieve_scripts"


def load(name: str) -> tuple[str, SieveDocument]:
    text = (SCRIPTS / name).read_bytes().decode("utf-8")
    return text, SieveDocument.parse(text)


def rule_named(doc: SieveDocument, name: str) -> Rule:
    return next(r for r in doc.rules if r.name == name)


def rule_moving_to(doc: SieveDocument, folder: str) -> Rule:
    return next(r for r in doc.rules if any(a.argument == folder for a in r.actions))


def with_folder(rule: Rule, old: str, new: str) -> Rule:
    actions = tuple(replace(a, argument=new) if a.argument == old else a for a in rule.actions)
    return replace(rule, actions=actions)


def changed_once(original: str, old: str, new: str) -> str:
    assert original.count(old) == 1, "the fragment must be unique in the fixture"
    return original.replace(old, new)


@pytest.mark.parametrize("name", sorted(p.name for p in SCRIPTS.glob("*.sieve")))
def test_unedited_scripts_are_written_back_identically(name: str) -> None:
    text, doc = load(name)
    assert doc.render() == text


def test_roundcube_edit_one_rule() -> None:
    text, doc = load("roundcube.sieve")
    rule = rule_named(doc, "monitoring")
    doc.replace_entry(rule, with_folder(rule, "Monitoring", "Monitoring/Nagios"))
    assert doc.render() == changed_once(
        text,
        '# rule:[monitoring]\nif address :all :is "From" "nagios@ops.example"\n{\n'
        '\tfileinto "Monitoring";\n\tstop;\n}\n',
        '# rule:[monitoring]\nif address :all :is "From" "nagios@ops.example"\n{\n'
        '\tfileinto "Monitoring/Nagios";\n\tstop;\n}\n')


def test_roundcube_disabled_rule_is_understood_and_can_be_enabled() -> None:
    text, doc = load("roundcube.sieve")
    rule = rule_named(doc, "old sizes")
    assert not rule.enabled
    assert rule.conditions == (Condition("size", match=":over", size=2000 * 1024),)
    doc.replace_entry(rule, replace(rule, enabled=True))
    assert doc.render() == changed_once(
        text, "if false # size :over 2000K\n{\n\tfileinto \"Large\";\n}\n",
        "if size :over 2000K\n{\n\tfileinto \"Large\";\n}\n")


def test_roundcube_disabling_keeps_the_condition_in_the_comment() -> None:
    text, doc = load("roundcube.sieve")
    rule = rule_named(doc, "junk")
    doc.replace_entry(rule, replace(rule, enabled=False))
    rendered = doc.render()
    assert rendered == changed_once(
        text, 'if anyof (header :contains "X-Spam-Flag" "YES")\n',
        'if false # header :contains "X-Spam-Flag" "YES"\n')
    again = rule_named(SieveDocument.parse(rendered), "junk")
    assert not again.enabled and again.conditions == rule.conditions


def test_roundcube_unmodelled_statements_stay_opaque() -> None:
    _, doc = load("roundcube.sieve")
    opaque = [e.summary for e in doc.entries if isinstance(e, Opaque)]
    assert opaque == ["if size :over 5000K {", 'fileinto "Archive";',
                      'if envelope :domain :is "From" "ops.example"']
    assert rule_named(doc, "away").actions[0].vacation == Vacation(
        text="# not a comment\nBack on Monday.\n.\n.dots stay\n", days=1)


def test_thunderbird_crlf_edit_one_rule() -> None:
    text, doc = load("thunderbird.sieve")
    assert "\r\n" in text and doc.newline == "\r\n"
    rule = rule_moving_to(doc, "Finanzen/Rechnungen")
    actions = tuple(replace(a, argument="$Rechnung") if a.kind == "addflag" else a
                    for a in rule.actions)
    doc.replace_entry(rule, replace(rule, actions=actions))
    assert doc.render() == changed_once(
        text,
        'if header :regex "subject" "^(Invoice|Rechnung) [0-9]+" {\r\n'
        '    fileinto "Finanzen/Rechnungen";\r\n    addflag "$Invoice";\r\n}\r\n',
        'if header :regex "subject" "^(Invoice|Rechnung) [0-9]+"\r\n{\r\n'
        '\tfileinto "Finanzen/Rechnungen";\r\n\taddflag "$Rechnung";\r\n}\r\n')


def test_thunderbird_if_elsif_else_is_one_verbatim_statement() -> None:
    _, doc = load("thunderbird.sieve")
    chains = [e for e in doc.entries if isinstance(e, Opaque)]
    assert len(chains) == 1 and "} elsif" in chains[0].text and "} else {" in chains[0].text
    assert chains[0].summary.startswith('if address :is "from"')


def test_ingo_edit_one_rule_keeps_its_comment() -> None:
    text, doc = load("ingo.sieve")
    rule = rule_moving_to(doc, "Lists/Debian")
    doc.replace_entry(rule, with_folder(rule, "Lists/Debian", "Lists/Debian-devel"))
    assert doc.render() == changed_once(
        text,
        '# Lists\nif header :comparator "i;ascii-casemap" :contains "List-Id" '
        '"debian-devel.lists.debian.org"  {\nfileinto "Lists/Debian";\nstop;\n}\n',
        '# Lists\nif header :comparator "i;ascii-casemap" :contains "List-Id" '
        '"debian-devel.lists.debian.org"\n{\n\tfileinto "Lists/Debian-devel";\n\tstop;\n}\n')


def test_ingo_vacation_dates_are_read_and_edited() -> None:
    text, doc = load("ingo.sieve")
    vacation = doc.vacation
    assert vacation is not None
    assert [(c.match, c.values) for c in vacation.conditions] == [
        ("ge", ("2026-12-20",)), ("le", ("2027-01-06",))]
    conditions = (vacation.conditions[0], replace(vacation.conditions[1], values=("2027-01-10",)))
    doc.set_vacation(replace(vacation, conditions=conditions))
    assert doc.render() == changed_once(
        text,
        'if allof ( currentdate :value "ge" "date" "2026-12-20", currentdate :value "le" '
        '"date" "2027-01-06" ) {\nvacation :days 7 :addresses "anna@example.org" :subject '
        '"Out of office" "I am away until January 6th.";\n}\n',
        'if allof (currentdate :value "ge" "date" "2026-12-20", currentdate :value "le" '
        '"date" "2027-01-10")\n{\n\tvacation :days 7 :addresses ["anna@example.org"] '
        ':subject "Out of office" "I am away until January 6th.";\n}\n')


def test_handwritten_disable_one_rule() -> None:
    text, doc = load("handwritten.sieve")
    rule = rule_moving_to(doc, "Lists/Dev")
    doc.replace_entry(rule, replace(rule, enabled=False))
    assert doc.render() == changed_once(
        text,
        'if header :is "list-id" "<dev.lists.example.org>" {\n    fileinto "Lists/Dev";\n}\n',
        'if false # header :is "list-id" "<dev.lists.example.org>"\n{\n'
        '\tfileinto "Lists/Dev";\n}\n')


def test_handwritten_utf8_folder_and_unknown_extensions() -> None:
    _, doc = load("handwritten.sieve")
    assert rule_moving_to(doc, "Bücher").actions[0].create
    summaries = [e.summary for e in doc.entries if isinstance(e, Opaque)]
    assert summaries == ['if envelope :detail :matches "to" "*" {',
                         'if spamtest :percent :value "ge" :comparator "i;ascii-numeric" "80" {',
                         'if header :contains "subject" "[me]" {']


@pytest.mark.parametrize("name", sorted(p.name for p in SCRIPTS.glob("*.sieve")))
def test_adding_a_rule_appends_it_and_its_require(name: str) -> None:
    text, doc = load(name)
    doc.add_rule(Rule(name="Lists", conditions=(Condition("address", names=("from",),
                                                          values=("list@example.org",)),),
                      actions=(Action("fileinto", "Lists", create=True),
                               Action("addflag", "\\Seen"))))
    rendered = doc.render()
    nl = doc.newline
    added = (f"# rule:[Lists]{nl}if address :contains \"from\" \"list@example.org\"{nl}{{{nl}"
             f"\tfileinto :create \"Lists\";{nl}\taddflag \"\\\\Seen\";{nl}}}{nl}")
    have = {x for r in doc.requires for x in r.extensions}
    missing = sorted({"fileinto", "mailbox", "imap4flags"} - have)
    # Everything before stays: the requires, then a require for what is missing.
    requires_end = sum(len(r.text) for r in doc.requires)
    expected_require = ("require [" + ", ".join(f'"{m}"' for m in missing) + f"];{nl}"
                        if missing else "")
    tail_at = len(text) - len(doc.tail)
    assert rendered == (text[:requires_end] + expected_require + text[requires_end:tail_at]
                        + added + doc.tail)


def test_reordering_moves_rules_with_their_comments() -> None:
    text, doc = load("ingo.sieve")
    lists = rule_moving_to(doc, "Lists/Debian")
    doc.remove_entry(lists)
    doc.add_rule(lists, first=True)
    rendered = doc.render()
    assert sorted(rendered) == sorted(text)  # same characters, only moved
    assert rendered.index("# Lists\n") < rendered.index("# Vacation\n")


def test_new_script_gets_requires_first() -> None:
    doc = SieveDocument.parse("")
    doc.add_rule(Rule(name="Big", conditions=(Condition("size", match=":over", size=10 << 20),),
                      actions=(Action("discard"),)))
    assert doc.render() == '# rule:[Big]\nif size :over 10M\n{\n\tdiscard;\n}\n'


def test_roundcube_vacation_with_time_zones_is_kept_and_guarded() -> None:
    text, doc = load("roundcube_vacation.sieve")
    assert doc.vacation is None and doc.foreign_vacation
    rule = rule_moving_to(doc, "Rechnungen")
    doc.replace_entry(rule, with_folder(rule, "Rechnungen", "Finanzen"))
    assert doc.render() == changed_once(text, '\tfileinto "Rechnungen";',
                                        '\tfileinto "Finanzen";')
