"""The rules the editor shows: conditions and actions, read from and written as Sieve.

``rule_from_command`` turns an ``if`` statement into a ``Rule`` when every part of it
is something the editor can show, and returns None otherwise (the statement then stays
verbatim). ``render_rule`` writes a rule in Roundcube's layout (``# rule:[name]``,
``if false # <test>`` when disabled), the most common third-party form.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from qtmail.sieve.syntax import Argument, Command, SieveSyntaxError, Tag, Test, parse_test

MATCHES = (":contains", ":is", ":matches", ":regex")
_FLAGS = {"\\seen": "\\Seen", "\\flagged": "\\Flagged"}


@dataclass(frozen=True)
class Condition:
    """One test. ``kind``: header, address, size, body, true or currentdate."""

    kind: str
    names: tuple[str, ...] = ()
    """Header names as written (address/header), lower-case compared."""
    match: str = ":contains"
    """:contains :is :matches :regex; :over :under for size; ge/le for currentdate."""
    values: tuple[str, ...] = ()
    size: int = 0
    negated: bool = False
    comparator: str = ""
    address_part: str = ""
    """:all :localpart :domain, when the script said so."""

    @property
    def field(self) -> str:
        """What the editor names it: from, to, cc, recipient, subject, list-id, header,
        size, body, all, date."""
        lowered = tuple(n.lower() for n in self.names)
        if self.kind == "address" and lowered in (("from",), ("to",), ("cc",)):
            return lowered[0]
        if self.kind == "address" and set(lowered) == {"to", "cc"}:
            return "recipient"
        if self.kind == "header" and lowered in (("subject",), ("list-id",)):
            return lowered[0]
        return {"header": "header", "address": "header", "size": "size", "body": "body",
                "true": "all", "currentdate": "date"}[self.kind]


@dataclass(frozen=True)
class Vacation:
    """RFC 5230 vacation: one auto-reply per sender every ``days`` days."""

    text: str
    subject: str = ""
    days: int = 0
    """0: the server's default."""
    addresses: tuple[str, ...] = ()
    sender: str = ""
    """:from, when set."""


@dataclass(frozen=True)
class Action:
    """``kind``: fileinto, redirect, addflag, setflag, discard, stop, keep or vacation."""

    kind: str
    argument: str = ""
    """The folder (UTF-8, as Sieve wants), address, or flag/keyword."""
    copy: bool = False
    create: bool = False
    vacation: Vacation | None = None


@dataclass(frozen=True)
class Rule:
    name: str = ""
    conditions: tuple[Condition, ...] = ()
    any_of: bool = False
    actions: tuple[Action, ...] = ()
    enabled: bool = True
    original: str = field(default="", compare=False)
    """The statement's text as read (comments before it included)."""
    signature: str = field(default="", compare=False)
    """``render_rule`` of the rule as read: unchanged rules are written as ``original``."""

    @property
    def is_vacation(self) -> bool:
        return any(a.kind == "vacation" for a in self.actions)


# -- reading -----------------------------------------------------------------------
def _split(arguments: list[Argument]) -> tuple[dict[str, Argument | None], list[Argument]]:
    """Tagged arguments (with the value that follows :comparator and friends) and the
    positional ones."""
    tags: dict[str, Argument | None] = {}
    rest: list[Argument] = []
    taking: str | None = None
    for argument in arguments:
        if taking is not None:
            tags[taking] = argument
            taking = None
        elif isinstance(argument, Tag):
            if argument.name in tags:
                raise ValueError("repeated tag")
            tags[argument.name] = None
            if argument.name in (":comparator", ":days", ":subject", ":from", ":addresses",
                                 ":handle", ":value"):
                taking = argument.name
        else:
            rest.append(argument)
    return tags, rest


def _strings(argument: Argument) -> tuple[str, ...]:
    if isinstance(argument, str):
        return (argument,)
    if isinstance(argument, list):
        return tuple(argument)
    raise ValueError("not a string list")


def condition_from_test(test: Test) -> Condition:
    """Raise ValueError when the editor cannot show this test exactly."""
    if test.name == "not" and len(test.tests) == 1 and not test.arguments:
        inner = condition_from_test(test.tests[0])
        if inner.negated or inner.kind in ("true", "currentdate"):
            raise ValueError("double negation")
        return Condition(**{**inner.__dict__, "negated": True})
    if test.tests:
        raise ValueError("nested tests")
    if test.name == "true" and not test.arguments:
        return Condition("true")
    tags, rest = _split(test.arguments)
    if test.name == "size" and len(rest) == 1 and isinstance(rest[0], int) and \
            set(tags) in ({":over"}, {":under"}):
        return Condition("size", match=next(iter(tags)), size=rest[0])
    if test.name == "currentdate" and set(tags) == {":value"} and \
            tags[":value"] in ("ge", "le") and rest[:1] == ["date"] and len(rest) == 2:
        return Condition("currentdate", match=str(tags[":value"]), values=(str(rest[1]),))
    matches = [t for t in tags if t in MATCHES]
    allowed = {*MATCHES, ":comparator"}
    if test.name == "address":
        allowed |= {":all", ":localpart", ":domain"}
    if test.name == "body":
        allowed |= {":text"}
    if len(matches) > 1 or set(tags) - allowed:
        raise ValueError("tags the editor does not know")
    comparator = tags.get(":comparator", "") or ""
    if not isinstance(comparator, str):
        raise ValueError("comparator")
    part = next((t for t in tags if t in (":all", ":localpart", ":domain")), "")
    match = matches[0] if matches else ""
    if test.name in ("header", "address") and len(rest) == 2:
        return Condition(test.name, names=_strings(rest[0]), match=match,
                         values=_strings(rest[1]), comparator=comparator, address_part=part)
    if test.name == "body" and len(rest) == 1 and tags.get(":text", 0) is None:
        return Condition("body", match=match, values=_strings(rest[0]),
                         comparator=comparator)
    raise ValueError("unknown test")


def action_from_command(command: Command) -> Action:
    if command.block is not None or command.tests:
        raise ValueError("not a plain action")
    tags, rest = _split(command.arguments)
    name = command.name
    if name in ("discard", "stop", "keep") and not command.arguments:
        return Action(name)
    if name == "fileinto" and set(tags) <= {":copy", ":create"} and len(rest) == 1 and \
            isinstance(rest[0], str):
        return Action(name, rest[0], copy=":copy" in tags, create=":create" in tags)
    if name == "redirect" and set(tags) <= {":copy"} and len(rest) == 1 and \
            isinstance(rest[0], str):
        return Action(name, rest[0], copy=":copy" in tags)
    if name in ("addflag", "setflag") and not tags and len(rest) == 1 and \
            isinstance(rest[0], str) and " " not in rest[0]:
        return Action(name, rest[0])
    if name == "vacation" and len(rest) == 1 and isinstance(rest[0], str) and \
            set(tags) <= {":days", ":subject", ":addresses", ":from"}:
        days = tags.get(":days", 0) or 0
        subject = tags.get(":subject", "") or ""
        sender = tags.get(":from", "") or ""
        addresses = tags.get(":addresses") or []
        if not isinstance(days, int) or not isinstance(subject, str) or \
                not isinstance(sender, str):
            raise ValueError("vacation arguments")
        return Action("vacation", vacation=Vacation(
            text=rest[0], subject=subject, days=days, addresses=_strings(addresses),
            sender=sender))
    raise ValueError("unknown action")


def rule_from_command(command: Command, name: str, original: str) -> Rule | None:
    """A ``Rule`` when the editor can show every part of ``command``; else None."""
    if command.name != "if" or len(command.tests) != 1 or not command.block:
        return None
    test = command.tests[0]
    enabled = True
    try:
        if test.name == "false" and not test.arguments and test.comment_after:
            try:
                test = parse_test(test.comment_after)
            except SieveSyntaxError:
                return None
            enabled = False
        any_of = test.name == "anyof"
        tests = test.tests if test.name in ("allof", "anyof") and not test.arguments \
            else [test]
        conditions = tuple(condition_from_test(t) for t in tests)
        if len(conditions) > 1 and any(c.kind == "true" for c in conditions):
            return None
        actions = tuple(action_from_command(c) for c in command.block)
    except ValueError:
        return None
    if conditions == (Condition("true"),):
        conditions = ()
    rule = Rule(name=name, conditions=conditions, any_of=any_of, actions=actions,
                enabled=enabled, original=original)
    return replace(rule, signature=render_rule(rule, "\n"))


# -- writing -----------------------------------------------------------------------
def quoted(value: str) -> str:
    """RFC 5228 2.4.2: only backslash and double quote need escaping."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list(values: tuple[str, ...]) -> str:
    return quoted(values[0]) if len(values) == 1 else \
        "[" + ", ".join(quoted(v) for v in values) + "]"


def render_test(condition: Condition) -> str:
    if condition.kind == "true":
        text = "true"
    elif condition.kind == "size":
        text = f"size {condition.match} {_size(condition.size)}"
    elif condition.kind == "currentdate":
        text = f'currentdate :value "{condition.match}" "date" {quoted(condition.values[0])}'
    else:
        parts = [condition.kind]
        if condition.kind == "body":
            parts.append(":text")
        if condition.address_part:
            parts.append(condition.address_part)
        if condition.comparator:
            parts += [":comparator", quoted(condition.comparator)]
        if condition.match:
            parts.append(condition.match)
        if condition.kind != "body":
            parts.append(_list(condition.names))
        parts.append(_list(condition.values))
        text = " ".join(parts)
    return f"not {text}" if condition.negated else text


def _size(size: int) -> str:
    """RFC 5228 2.4.1 quantifiers, as people write them."""
    for unit, factor in (("G", 1024 ** 3), ("M", 1024 ** 2), ("K", 1024)):
        if size and size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def render_action(action: Action) -> str:
    if action.kind == "vacation" and action.vacation is not None:
        v = action.vacation
        parts = ["vacation"]
        if v.days:
            parts.append(f":days {v.days}")
        if v.addresses:
            parts.append(":addresses " + "[" + ", ".join(quoted(a) for a in v.addresses) + "]")
        if v.sender:
            parts.append(f":from {quoted(v.sender)}")
        if v.subject:
            parts.append(f":subject {quoted(v.subject)}")
        parts.append(quoted(v.text))
        return " ".join(parts) + ";"
    parts = [action.kind]
    if action.copy:
        parts.append(":copy")
    if action.create:
        parts.append(":create")
    if action.argument:
        value = _FLAGS.get(action.argument.lower(), action.argument)
        parts.append(quoted(value))
    return " ".join(parts) + ";"


def render_condition_line(rule: Rule) -> str:
    if not rule.conditions:
        return "true"
    if len(rule.conditions) == 1:
        return render_test(rule.conditions[0])
    joined = ", ".join(render_test(c) for c in rule.conditions)
    return f"{'anyof' if rule.any_of else 'allof'} ({joined})"


def render_rule(rule: Rule, newline: str) -> str:
    """Roundcube's layout, so that Roundcube can read what we write."""
    test = render_condition_line(rule)
    head = f"if {test}" if rule.enabled else f"if false # {test}"
    lines = [f"# rule:[{rule.name}]"] if rule.name else []
    lines += [head, "{"]
    lines += ["\t" + render_action(a).replace("\n", newline) for a in rule.actions]
    lines.append("}")
    return newline.join(lines) + newline


def requirements(rule: Rule) -> set[str]:
    """The extensions (RFC 5228 3.2 ``require``) a rule needs."""
    needed: set[str] = set()
    for condition in rule.conditions:
        if condition.match == ":regex":
            needed.add("regex")
        if condition.kind == "body":
            needed.add("body")
        if condition.kind == "currentdate":
            needed |= {"date", "relational"}
    for action in rule.actions:
        if action.kind in ("fileinto", "vacation"):
            needed.add(action.kind)
        if action.kind in ("addflag", "setflag"):
            needed.add("imap4flags")
        if action.copy:
            needed.add("copy")
        if action.create:
            needed.add("mailbox")
    return needed
