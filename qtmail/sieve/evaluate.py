"""The editor's rules run by qtmail itself (issue 15): for "apply the rules to this folder
now" where the server cannot (no FILTER=SIEVE), and for the local rules of an account
whose server has no ManageSieve. The same ``Rule`` model the editor shows; what cannot
run on this device (redirect, vacation) is reported, never guessed.

Semantics follow RFC 5228: rules run in order, ``stop`` ends them; ``fileinto`` (not
``:copy``) and ``discard`` cancel the implicit keep (2.10.2); comparisons use the
default "i;ascii-casemap" comparator (case-insensitive for ASCII, 2.7.3); ``:matches``
is a glob with ``*`` and ``?`` (2.7.1); ``:regex`` is the draft's extended regex.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses

from qtmail.sieve.rules import Condition, Rule


@dataclass
class Outcome:
    """What the rules decided for one message."""

    move_to: str = ""
    """The first ``fileinto`` without ``:copy``: where the message goes."""
    copy_to: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    discard: bool = False
    """Handled on this device as a move to the Trash, never a deletion."""
    skipped: list[str] = field(default_factory=list)
    """Actions that only the server can take (redirect, vacation)."""

    @property
    def changes(self) -> bool:
        return bool(self.move_to or self.copy_to or self.flags or self.discard)


@dataclass
class MessageFacts:
    """One message as the rules see it: its header (parsed once), size and, only when a
    rule asks, its body text."""

    header: bytes
    size: int
    body: Callable[[], str] = field(default=lambda: "")
    _parsed: Message | None = field(default=None, init=False, repr=False)

    def values(self, name: str) -> list[str]:
        parsed = self._parsed
        if parsed is None:
            parsed = self._parsed = email.message_from_bytes(
                self.header, policy=email.policy.default)
        found: list[str] = []
        for value in parsed.get_all(name, []):
            try:
                found.append(str(value))
            except (ValueError, TypeError):  # a header the parser cannot decode
                found.append(str(value.encode() if hasattr(value, "encode") else value))
        return found


def evaluate(rules: list[Rule], message: MessageFacts) -> Outcome:
    outcome = Outcome()
    keep_cancelled = False
    for rule in rules:
        if not rule.enabled or rule.is_vacation or not _matches(rule, message):
            continue
        stop = False
        for action in rule.actions:
            if action.kind == "fileinto":
                if action.copy or keep_cancelled or outcome.move_to:
                    outcome.copy_to.append(action.argument)
                else:
                    outcome.move_to = action.argument
                    keep_cancelled = True
            elif action.kind in ("addflag", "setflag"):
                outcome.flags.add(action.argument)
            elif action.kind == "discard":
                outcome.discard = not outcome.move_to
                keep_cancelled = True
            elif action.kind in ("redirect", "vacation"):
                outcome.skipped.append(action.kind)
            elif action.kind == "stop":
                stop = True
                break
        if stop:
            break
    outcome.copy_to = [f for f in dict.fromkeys(outcome.copy_to) if f != outcome.move_to]
    return outcome


def _matches(rule: Rule, message: MessageFacts) -> bool:
    if not rule.conditions:
        return True
    results = (_test(condition, message) for condition in rule.conditions)
    return any(results) if rule.any_of else all(results)


def _test(condition: Condition, message: MessageFacts) -> bool:
    result = _test_plain(condition, message)
    return not result if condition.negated else result


def _test_plain(condition: Condition, message: MessageFacts) -> bool:
    kind = condition.kind
    if kind == "true":
        return True
    if kind == "size":
        over = condition.match == ":over"
        return message.size > condition.size if over else message.size < condition.size
    if kind == "body":
        return _any_match(condition, [message.body()])
    if kind == "header":
        texts = [value for name in condition.names for value in message.values(name)]
        return _any_match(condition, texts)
    if kind == "address":
        texts = []
        for name in condition.names:
            for _display, address in getaddresses(message.values(name)):
                texts.append(_address_part(address, condition.address_part))
        return _any_match(condition, texts)
    return False  # currentdate and what else the editor shows but cannot run here


def _address_part(address: str, part: str) -> str:
    local, _, domain = address.rpartition("@")
    if part == ":localpart":
        return local if domain else address
    if part == ":domain":
        return domain
    return address


def _any_match(condition: Condition, texts: list[str]) -> bool:
    match = condition.match or ":is"  # RFC 5228 2.7.1: the default match type
    for text in texts:
        folded = text.casefold()
        for wanted in condition.values:
            key = wanted.casefold()
            if match == ":is" and folded == key:
                return True
            if match == ":contains" and key in folded:
                return True
            if match == ":matches" and _glob(key).fullmatch(folded) is not None:
                return True
            if match == ":regex" and _regex(wanted, text):
                return True
    return False


def _glob(pattern: str) -> re.Pattern[str]:
    """RFC 5228 2.7.1: ``*`` any run, ``?`` one character, ``\\`` quotes the next."""
    out: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL)


def _regex(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text, re.IGNORECASE) is not None
    except re.error:
        return False
