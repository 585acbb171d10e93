"""A Sieve script as rules plus everything else, written back without loss.

The script is cut into pieces, one per top-level statement, each holding the exact text
it came from (the comments and blank lines before it included). Statements the editor
can show become ``Rule``s; the rest stay ``Opaque`` and are written back byte for byte,
in place. A rule nobody changed is also written back as it was read; a changed or new
one is written in Roundcube's layout, after the comments that stood before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qtmail.sieve.rules import Rule, render_rule, requirements, rule_from_command
from qtmail.sieve.syntax import Command, parse

_NAME_LINE = re.compile(r"^[ \t]*#[ \t]*rule:\[(.*)\][ \t]*\r?$", re.MULTILINE)
_LINE_REST = re.compile(r"[ \t]*(?:#[^\n]*)?\r?\n?")


@dataclass(frozen=True)
class Opaque:
    """A statement the editor does not model, kept verbatim (comments before it too)."""

    text: str
    summary: str = ""
    """Its first line of code, for the rule list."""
    has_vacation: bool = False
    """It holds a ``vacation`` action (another program's auto-reply): the Vacation page
    must not add a second one beside it."""


@dataclass(frozen=True)
class Require:
    extensions: tuple[str, ...]
    text: str


Entry = Rule | Opaque


@dataclass
class SieveDocument:
    requires: list[Require]
    entries: list[Entry]
    tail: str
    """What follows the last statement (comments, blank lines)."""
    newline: str = "\n"

    @classmethod
    def parse(cls, source: str) -> SieveDocument:
        """Raises ``SieveSyntaxError`` for text that is not Sieve."""
        newline = "\r\n" if "\r\n" in source else "\n"
        requires: list[Require] = []
        entries: list[Entry] = []
        position = 0
        for command in parse(source):
            rest = _LINE_REST.match(source, command.end)
            end = rest.end() if rest else command.end
            text = source[position:end]
            prefix = source[position:command.start]
            position = end
            if command.name == "require" and not entries and len(command.arguments) == 1:
                names = command.arguments[0]
                if isinstance(names, str | list):
                    requires.append(Require(
                        tuple([names] if isinstance(names, str) else names), text))
                    continue
            if command.name in ("elsif", "else") and entries:
                # One if/elsif/else chain is one statement: kept whole, verbatim.
                before = entries.pop()
                summary = before.summary if isinstance(before, Opaque) else ""
                entries.append(Opaque(
                    _text(before) + text, summary or _first_line(_text(before)),
                    _has_vacation(command) or (isinstance(before, Opaque) and before.has_vacation)
                    or (isinstance(before, Rule) and before.is_vacation)))
                continue
            labels = list(_NAME_LINE.finditer(prefix))
            rule = rule_from_command(command, labels[-1].group(1) if labels else "", text)
            entries.append(rule if rule is not None else Opaque(
                text, source[command.start:end].splitlines()[0].strip(),
                _has_vacation(command)))
        return cls(requires, entries, source[position:], newline)

    # -- reading -------------------------------------------------------------------
    @property
    def rules(self) -> list[Rule]:
        return [e for e in self.entries if isinstance(e, Rule)]

    @property
    def vacation(self) -> Rule | None:
        return next((r for r in self.rules if r.is_vacation), None)

    @property
    def foreign_vacation(self) -> bool:
        """An auto-reply qtmail cannot show (e.g. Roundcube's with time zones): the
        Vacation page stays read-only so that no second reply is added beside it."""
        return any(isinstance(e, Opaque) and e.has_vacation for e in self.entries)

    # -- editing -------------------------------------------------------------------
    def replace_entry(self, old: Entry, new: Entry) -> None:
        self.entries[self._index(old)] = new

    def remove_entry(self, entry: Entry) -> None:
        del self.entries[self._index(entry)]

    def add_rule(self, rule: Rule, *, first: bool = False) -> None:
        self.entries.insert(0 if first else len(self.entries), rule)

    def set_vacation(self, rule: Rule) -> None:
        """Replace the vacation rule, or add it first (before rules that ``stop``)."""
        current = self.vacation
        if current is None:
            self.add_rule(rule, first=True)
        else:
            self.replace_entry(current, rule)

    def _index(self, entry: Entry) -> int:
        for index, candidate in enumerate(self.entries):
            if candidate is entry:
                return index
        raise ValueError("not an entry of this script")

    # -- writing -------------------------------------------------------------------
    def render(self) -> str:
        nl = self.newline
        parts = [r.text for r in self.requires]
        have = {name.lower() for r in self.requires for name in r.extensions}
        needed: set[str] = set()
        for rule in self.rules:
            if not _unchanged(rule):  # what is written back as read keeps its requires
                needed |= requirements(rule)
        missing = sorted(needed - have)
        if missing:
            listed = ", ".join(f'"{name}"' for name in missing)
            line = f"require [{listed}];{nl}"
            # After the existing requires, which must stay before any other command
            # (RFC 5228 3.2); a script with none gets it first.
            if parts and not parts[-1].endswith(("\n", "\r")):
                line = nl + line
            parts.append(line)
        for entry in self.entries:
            parts.append(entry.text if isinstance(entry, Opaque) else _rule_text(entry, nl))
        return "".join(parts) + self.tail


def _has_vacation(command: Command) -> bool:
    return command.name == "vacation" or any(_has_vacation(c) for c in command.block or ())


def _text(entry: Entry) -> str:
    return entry.text if isinstance(entry, Opaque) else entry.original


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines()
                 if line.strip() and not line.strip().startswith(("#", "/*"))), "")


def _unchanged(rule: Rule) -> bool:
    return bool(rule.original) and render_rule(rule, "\n") == rule.signature


def _rule_text(rule: Rule, nl: str) -> str:
    if _unchanged(rule):
        return rule.original
    text = render_rule(rule, nl)
    if rule.original:
        # Keep the comments and blank lines that stood before the rule (not its name).
        lead = _leading(rule.original)
        return lead + text
    return text


def _leading(original: str) -> str:
    """The comments and blank lines before the statement, minus a ``# rule:[..]`` line."""
    lines = original.splitlines(keepends=True)
    lead: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        lead.append(line)
    return "".join(line for line in lead if not _NAME_LINE.match(line.rstrip("\n")))

