"""Rules that qtmail runs itself (issue 15), as ordinary queued, undoable operations.

Two uses: "apply the rules to this folder now" on a server without FILTER=SIEVE, and
the explicit per-account fallback for servers without ManageSieve: the rules are then
kept on this device (a Sieve script beside the account's cache, so they can move to the
server later unchanged) and applied to new INBOX mail only, while qtmail runs.

Two devices running the same local rules must not both act on a message: each message
is claimed first with a keyword, set only if nobody changed the message since it was
read (RFC 7162 3.1.3 UNCHANGEDSINCE); the device whose STORE lands first acts.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qtmail.core.commands import DeleteMessages, MoveMessages, Operation, SetFlags
from qtmail.core.types import MessageSummary
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

if TYPE_CHECKING:
    from qtmail.sieve.evaluate import MessageFacts, Outcome
    from qtmail.sieve.rules import Rule

log = logging.getLogger(__name__)

CLAIM_KEYWORD = "$QtmailRules"
"""Set on a message once a device's local rules took it (RFC 3501 2.3.2 keyword)."""
INBOX = "INBOX"
_SUMMARY_HEADERS = frozenset({"from", "to", "cc", "subject"})
"""Headers the cached summary holds: rules on others need the message itself."""


def rules_file(cache: Path) -> Path:
    return cache.with_name(cache.stem + ".rules.sieve")


def state_file(cache: Path) -> Path:
    return cache.with_name(cache.stem + ".rules.json")


class LocalRules:
    """The local rules of one account: present means on (the user chose them)."""

    def __init__(self, cache: Path) -> None:
        self.path = rules_file(cache)
        self._state = state_file(cache)

    @property
    def enabled(self) -> bool:
        return self.path.exists()

    def text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def save(self, text: str) -> None:
        """Atomically (temp file + rename): a crash leaves the old rules or the new."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".rules-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        self._state.unlink(missing_ok=True)

    def rules(self) -> list[Rule]:
        # The Sieve parser loads with the first local rules run: most accounts have none,
        # and the worker starts without it (issue 18).
        from qtmail.sieve.script import SieveDocument
        from qtmail.sieve.syntax import SieveSyntaxError

        try:
            return SieveDocument.parse(self.text()).rules
        except SieveSyntaxError:
            log.warning("the local rules in %s cannot be read; none run", self.path)
            return []

    # -- which INBOX mail is new -----------------------------------------------------------
    def start(self, store: Store) -> None:
        """Turned on now: the mail already in the Inbox is left alone."""
        state = store.folder_state(INBOX)
        if state is not None:
            self._mark(state.uidvalidity, max(store.uids(INBOX), default=0))

    def new_uids(self, engine: AccountEngine) -> list[int]:
        """INBOX UIDs above the last one the rules saw. The first time: none (mail that
        was there before the rules were made is left alone)."""
        state = engine.store.folder_state(INBOX)
        if state is None:
            return []
        uids = engine.store.uids(INBOX)
        seen = self._seen()
        if seen is None or seen[0] != state.uidvalidity:
            self._mark(state.uidvalidity, max(uids, default=0))
            return []
        return [uid for uid in uids if uid > seen[1]]

    def _seen(self) -> tuple[int, int] | None:
        try:
            data = json.loads(self._state.read_text(encoding="utf-8"))
            return int(data["uidvalidity"]), int(data["last_uid"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def _mark(self, uidvalidity: int, last_uid: int) -> None:
        self._state.write_text(json.dumps({"uidvalidity": uidvalidity, "last_uid": last_uid}),
                               encoding="utf-8")

    def after_inbox_sync(self, engine: AccountEngine) -> int:
        """Run the rules on new INBOX mail; the number of messages they changed."""
        if not self.enabled:
            return 0
        uids = self.new_uids(engine)
        if not uids:
            return 0
        rules = self.rules()
        changed = apply_rules(engine, INBOX, uids, rules, claim=True) if rules else 0
        state = engine.store.folder_state(INBOX)
        if state is not None:
            self._mark(state.uidvalidity, max(uids))
        return changed


@dataclass(frozen=True)
class _Plan:
    move_to: str
    copy_to: tuple[str, ...]
    flags: frozenset[str]
    discard: bool


def apply_rules(engine: AccountEngine, folder: str, uids: Iterable[int], rules: list[Rule],
                *, claim: bool) -> int:
    """Evaluate ``rules`` on ``uids`` of ``folder`` and queue what they decide, grouped
    into one undoable change per kind of outcome. ``claim``: take each message with
    CLAIM_KEYWORD first (local rules on new mail), skipping those another device took.
    Returns how many messages were changed."""
    from qtmail.sieve.evaluate import evaluate  # see LocalRules.rules

    needs_message = _needs_message(rules)
    plans: dict[_Plan, list[int]] = defaultdict(list)
    for summary in engine.store.summaries_for(folder, uids):
        if CLAIM_KEYWORD.lower() in {f.lower() for f in summary.flags}:
            continue  # already taken by some device's rules
        outcome = evaluate(rules, _facts(engine, folder, summary, needs_message))
        if outcome.skipped:
            log.info("%s: rules: %s only run on the server", engine.name,
                     ", ".join(sorted(set(outcome.skipped))))
        if not outcome.changes:
            continue
        if claim and not _claim(engine, folder, summary):
            continue
        plans[_plan(outcome)].append(summary.uid)
    targets = {target for plan in plans for target in (plan.move_to, *plan.copy_to) if target}
    if any(engine.store.folder(target) is None for target in targets):
        # A folder made since the last listing (on another device, say): list again
        # rather than fail the sync that ran the rules.
        engine.sync_folder_list()
    for plan, group in plans.items():
        for command in _commands(folder, tuple(sorted(group)), plan):
            engine.apply(command)
    return sum(len(group) for group in plans.values())


def _plan(outcome: Outcome) -> _Plan:
    return _Plan(outcome.move_to, tuple(outcome.copy_to), frozenset(outcome.flags),
                 outcome.discard)


def _commands(folder: str, uids: tuple[int, ...], plan: _Plan) -> list[Operation]:
    """Flags first (on these UIDs), then copies, then the move that gives new UIDs."""
    commands: list[Operation] = []
    if plan.flags:
        commands.append(SetFlags(folder, uids, add=plan.flags))
    commands += [MoveMessages(folder, uids, dest, copy=True) for dest in plan.copy_to]
    if plan.move_to:
        commands.append(MoveMessages(folder, uids, plan.move_to))
    elif plan.discard:
        commands.append(DeleteMessages(folder, uids))  # to the Trash: never for good here
    return commands


def _claim(engine: AccountEngine, folder: str, summary: MessageSummary) -> bool:
    info = engine.store.folder(folder)
    if info is None:
        return False
    with engine.online() as session:
        session.select(info)
        modseq = summary.modseq if session.tracks_modseq else None
        return session.writes.claim(summary.uid, CLAIM_KEYWORD, modseq)


def _needs_message(rules: list[Rule]) -> bool:
    for rule in rules:
        for condition in rule.conditions:
            if condition.kind == "body":
                return True
            if condition.kind in ("header", "address") and any(
                    name.lower() not in _SUMMARY_HEADERS for name in condition.names):
                return True
    return False


def _facts(engine: AccountEngine, folder: str, summary: MessageSummary,
           needs_message: bool) -> MessageFacts:
    from qtmail.sieve.evaluate import MessageFacts  # see LocalRules.rules

    if needs_message:
        raw = engine.body(folder, summary.uid)
        if raw is not None:
            header, _, body = raw.partition(b"\r\n\r\n")
            return MessageFacts(header + b"\r\n", summary.size,
                                body=lambda: body.decode("utf-8", "replace"))
    return MessageFacts(_summary_header(summary), summary.size)


def _summary_header(summary: MessageSummary) -> bytes:
    """A header block from the cached summary (the list's fields), for rules that ask
    only about those: no download needed."""
    lines = [f"From: {summary.sender.display()}",
             f"To: {', '.join(a.display() for a in summary.to)}",
             f"Cc: {', '.join(a.display() for a in summary.cc)}",
             f"Subject: {summary.subject}"]
    text = "\r\n".join(line.replace("\r", " ").replace("\n", " ") for line in lines)
    return text.encode("utf-8") + b"\r\n"
