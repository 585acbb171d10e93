"""`qtmail rules ACCOUNT list|show|add|remove|enable|disable|vacation` (issue 15).

Server-side rules over ManageSieve: every change is read from the server, applied to
the active script (what qtmail cannot model stays as it is) and written back.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import replace
from pathlib import Path

from qtmail.cli.context import CliContext
from qtmail.core.errors import ConfigError
from qtmail.sieve import service
from qtmail.sieve.rules import Action, Condition, Rule, Vacation
from qtmail.sieve.script import Entry, Opaque

FIELDS = {
    "from": ("address", ("from",)), "to": ("address", ("to",)),
    "cc": ("address", ("cc",)), "recipient": ("address", ("to", "cc")),
    "subject": ("header", ("subject",)), "list_id": ("header", ("list-id",)),
}


def describe(rule: Rule) -> str:
    """One line in English for the command line (the window has its own, translated)."""
    def condition(c: Condition) -> str:
        if c.kind == "size":
            return f"size {c.match[1:]} {c.size} bytes"
        if c.kind == "currentdate":
            return f"date {'from' if c.match == 'ge' else 'until'} {c.values[0]}"
        what = c.field if c.field != "header" else ",".join(c.names)
        values = " or ".join(f"“{v}”" for v in c.values)
        return f"{'not ' if c.negated else ''}{what} {c.match[1:]} {values}"

    def action(a: Action) -> str:
        if a.kind == "vacation" and a.vacation is not None:
            return f"auto-reply “{a.vacation.subject}”"
        names = {"fileinto": "copy to" if a.copy else "move to",
                 "redirect": "forward a copy to" if a.copy else "redirect to",
                 "addflag": "add flag", "setflag": "set flag"}
        return f"{names.get(a.kind, a.kind)} {a.argument}".strip()

    joiner = " or " if rule.any_of else " and "
    when = joiner.join(condition(c) for c in rule.conditions) or "every message"
    return f"if {when}: {', '.join(action(a) for a in rule.actions)}"


def _entry_label(entry: Entry) -> str:
    if isinstance(entry, Opaque):
        return f"(kept as written) {entry.summary}"
    state = "" if entry.enabled else " [disabled]"
    return f"{entry.name or '(no name)'}{state}: {describe(entry)}"


def _find(entries: list[Entry], which: str) -> Rule:
    for index, entry in enumerate(entries, 1):
        if isinstance(entry, Rule) and (entry.name == which or str(index) == which):
            return entry
    raise ConfigError(f"There is no rule “{which}” that qtmail can edit. "
                      "See “qtmail rules ACCOUNT list”.")


def run(context: CliContext, args: argparse.Namespace) -> int:
    account = context.account(args.name)
    client = service.connect(account, context.password_for(account))
    try:
        action = args.rules_command
        if action == "show":  # also a script qtmail cannot read
            sys.stdout.write(service.active_script(client)[1])
            return 0
        script = service.load(client)
        entries = script.document.entries
        if action == "list":
            for index, entry in enumerate(entries, 1):
                print(f"{index}\t{_entry_label(entry)}")
            return 0
        if action == "add":
            rule = rule_from_args(args, script.extensions)
            script.document.add_rule(rule)
            message = f"Added rule “{rule.name}”."
        elif action == "remove":
            rule = _find(entries, args.rule)
            script.document.remove_entry(rule)
            message = f"Removed rule “{rule.name or args.rule}”."
        elif action in ("enable", "disable"):
            rule = _find(entries, args.rule)
            script.document.replace_entry(rule, replace(rule, enabled=action == "enable"))
            message = f"Rule “{rule.name or args.rule}” {action}d."
        else:
            message = _vacation(script, args, account.email)
        warnings = service.save(client, script)
        print(message + (f" The server warns: {warnings}" if warnings else ""))
        return 0
    finally:
        client.logout()


def rule_from_args(args: argparse.Namespace, extensions: frozenset[str]) -> Rule:
    match = f":{args.match}"
    conditions: list[Condition] = []
    for option, (kind, names) in FIELDS.items():
        for value in getattr(args, option) or []:
            conditions.append(Condition(kind, names=names, match=match, values=(value,)))
    for header in args.header or []:
        name, _, value = header.partition(":")
        if not name or not _:
            raise ConfigError(f"“{header}” is not NAME:VALUE.")
        conditions.append(Condition("header", names=(name.strip(),), match=match,
                                    values=(value.strip(),)))
    for value in args.body or []:
        conditions.append(Condition("body", match=match, values=(value,)))
    if args.size_over:
        conditions.append(Condition("size", match=":over", size=args.size_over))
    if args.size_under:
        conditions.append(Condition("size", match=":under", size=args.size_under))
    create = "mailbox" in extensions  # RFC 5490 :create, when offered
    actions: list[Action] = []
    if args.mark_read:
        actions.append(Action("addflag", "\\Seen"))
    if args.flag:
        actions.append(Action("addflag", "\\Flagged"))
    actions += [Action("addflag", keyword) for keyword in args.keyword or []]
    actions += [Action("fileinto", service.sieve_folder(f), copy=True, create=create)
                for f in args.copy_to or []]
    actions += [Action("redirect", a, copy=True) for a in args.forward or []]
    if args.move_to:
        actions.append(Action("fileinto", service.sieve_folder(args.move_to), create=create))
    if args.redirect:
        actions.append(Action("redirect", args.redirect))
    if args.discard:
        actions.append(Action("discard"))
    if args.stop:
        actions.append(Action("stop"))
    if not actions:
        raise ConfigError("Say what the rule does: --move-to, --copy-to, --mark-read, "
                          "--flag, --keyword, --forward, --redirect or --discard.")
    return Rule(name=args.rule_name, conditions=tuple(conditions), any_of=args.any,
                actions=tuple(actions))


def _vacation(script: service.RulesScript, args: argparse.Namespace, email: str) -> str:
    current = script.document.vacation
    old = next((a.vacation for a in current.actions if a.vacation), None) if current else None
    if args.off:
        if current is None:
            return "There is no auto-reply to turn off."
        script.document.replace_entry(current, replace(current, enabled=False))
        return "Auto-reply turned off."
    if current is None and script.document.foreign_vacation:
        raise ConfigError("The script already has an automatic reply written by another "
                          "program, which qtmail cannot edit; change it with "
                          "“qtmail rules ACCOUNT show” and a Sieve editor.")
    text = Path(args.text_file).read_text(encoding="utf-8") if args.text_file else args.text
    if text is None and old is None:
        raise ConfigError("Give the auto-reply's text with --text or --text-file.")
    vacation = Vacation(
        text=text if text is not None else old.text if old else "",
        subject=args.subject if args.subject is not None else old.subject if old else "",
        days=args.days if args.days is not None else old.days if old else 1,
        addresses=tuple(args.address) if args.address else old.addresses if old else (email,),
        sender=old.sender if old else "")
    conditions = []
    for date, relation in ((args.start, "ge"), (args.until, "le")):
        if date:
            conditions.append(Condition("currentdate", match=relation,
                                        values=(_date(date),)))
    rule = Rule(name=current.name if current else "Vacation", conditions=tuple(conditions),
                actions=(Action("vacation", vacation=vacation),), enabled=True,
                original=current.original if current else "",
                signature=current.signature if current else "")
    script.document.set_vacation(rule)
    return "Auto-reply turned on."


def _date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ConfigError(f"“{text}” is not a date like 2027-01-06.") from None


def add_parser(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
               common: argparse.ArgumentParser) -> None:
    rules = commands.add_parser("rules", parents=[common],
                                help="server-side filter rules (Sieve over ManageSieve)")
    rules.add_argument("name", metavar="ACCOUNT")
    password = argparse.ArgumentParser(add_help=False)
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    common = argparse.ArgumentParser(add_help=False, parents=[common, password])
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    sub.add_parser("list", parents=[common], help="the rules, numbered")
    sub.add_parser("show", parents=[common], help="the script as the server has it")
    add = sub.add_parser("add", parents=[common], help="add a rule at the end")
    add.add_argument("--name", dest="rule_name", default="")
    for option in ("from", "to", "cc", "recipient", "subject", "list-id", "body"):
        add.add_argument(f"--{option}", action="append", metavar="TEXT")
    add.add_argument("--header", action="append", metavar="NAME:TEXT")
    add.add_argument("--size-over", type=int, metavar="BYTES")
    add.add_argument("--size-under", type=int, metavar="BYTES")
    add.add_argument("--match", choices=["contains", "is", "matches", "regex"],
                     default="contains")
    add.add_argument("--any", action="store_true", help="any condition (default: all)")
    add.add_argument("--move-to", metavar="FOLDER")
    add.add_argument("--copy-to", action="append", metavar="FOLDER")
    add.add_argument("--mark-read", action="store_true")
    add.add_argument("--flag", action="store_true")
    add.add_argument("--keyword", action="append")
    add.add_argument("--forward", action="append", metavar="ADDRESS",
                     help="send a copy (redirect :copy)")
    add.add_argument("--redirect", metavar="ADDRESS", help="send on instead of keeping")
    add.add_argument("--discard", action="store_true")
    add.add_argument("--stop", action="store_true", help="no further rules")
    for verb in ("remove", "enable", "disable"):
        one = sub.add_parser(verb, parents=[common], help=f"{verb} a rule")
        one.add_argument("rule", metavar="NAME|NUMBER")
    vacation = sub.add_parser("vacation", parents=[common], help="the auto-reply")
    state = vacation.add_mutually_exclusive_group(required=True)
    state.add_argument("--on", action="store_true")
    state.add_argument("--off", action="store_true")
    vacation.add_argument("--start", metavar="YYYY-MM-DD")
    vacation.add_argument("--until", metavar="YYYY-MM-DD")
    vacation.add_argument("--subject")
    vacation.add_argument("--text")
    vacation.add_argument("--text-file", metavar="FILE")
    vacation.add_argument("--days", type=int, help="one reply per sender every N days")
    vacation.add_argument("--address", action="append",
                          help="an address of yours it answers for (default: the account's)")
    rules.set_defaults(handler=run)
