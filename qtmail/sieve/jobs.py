"""Rules work for an account's worker: commands in, events out (Qt-free).

The window sends ``LoadRules``/``CheckRules``/``SaveRules``; the worker runs
``run_rules_command`` on its own thread (ManageSieve is a separate, short connection)
and emits one ``RulesLoaded``/``RulesChecked``/``RulesSaved`` or ``RulesFailed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qtmail.accounts.settings import AccountSettings
from qtmail.core.commands import Command
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    ConnectionLost,
    KnownError,
    Sentence,
    ServerUnreachable,
)
from qtmail.core.events import Event
from qtmail.net.sasl import Secret

if TYPE_CHECKING:
    from qtmail.sieve import service
    from qtmail.sieve.errors import ScriptProblem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RulesCommand(Command):
    request_id: int


@dataclass(frozen=True, slots=True)
class LoadRules(RulesCommand):
    pass


@dataclass(frozen=True, slots=True)
class CheckRules(RulesCommand):
    text: str


@dataclass(frozen=True, slots=True)
class SaveRules(RulesCommand):
    script: str
    text: str
    base: str
    """The text the edit started from: a script changed meanwhile elsewhere is not
    overwritten (another device, Roundcube)."""


@dataclass(frozen=True, slots=True)
class UseLocalRules(RulesCommand):
    """The user chose rules on this device, the server having no ManageSieve."""


@dataclass(frozen=True, slots=True)
class MoveRulesToServer(RulesCommand):
    """The server offers ManageSieve now: the local rules go there, then are removed."""


@dataclass(frozen=True, slots=True)
class RulesLoaded(Event):
    request_id: int
    script: str
    text: str
    extensions: tuple[str, ...]
    local: bool = False
    """The rules are kept and run on this device (issue 15 fallback)."""
    server_available: bool = False
    """With ``local``: the server offers ManageSieve now (offer to move them there)."""


@dataclass(frozen=True, slots=True)
class RulesChecked(Event):
    request_id: int
    warnings: str


@dataclass(frozen=True, slots=True)
class RulesSaved(Event):
    request_id: int
    text: str
    warnings: str


@dataclass(frozen=True, slots=True)
class RulesFailed(Event):
    request_id: int
    message: str
    problems: tuple[ScriptProblem, ...] = ()
    offer_local: bool = False
    """The server could not be reached for rules: offer rules on this device."""


def run_rules_command(command: RulesCommand, settings: AccountSettings,
                      password: Callable[[], Secret], emit: Callable[[Event], None]) -> None:
    # ManageSieve is loaded with the first rules command: the scheduler needs only the
    # command classes above to start (issue 18).
    from qtmail.sieve import service
    from qtmail.sieve.errors import SieveScriptError

    account = settings.name
    try:
        client = service.connect(settings, password)
        try:
            emit(_run(command, client, account))
        finally:
            client.logout()
    except SieveScriptError as error:
        emit(RulesFailed(account, command.request_id, error.user_message, error.problems))
    except (ServerUnreachable, ConnectionLost) as error:
        # No ManageSieve there (refused, closed port): the fallback is the user's call.
        log.info("%s: rules: %s (%s)", account, error, error.detail)
        emit(RulesFailed(account, command.request_id, error.user_message,
                         offer_local=isinstance(command, LoadRules)))
    except KnownError as error:
        log.info("%s: rules: %s (%s)", account, error, error.detail)
        emit(RulesFailed(account, command.request_id, error.user_message))


def _run(command: RulesCommand, client: service.ManageSieve, account: str) -> Event:
    from qtmail.sieve import service  # see run_rules_command
    from qtmail.sieve.syntax import SieveSyntaxError

    if isinstance(command, LoadRules):
        name, text, _active = service.active_script(client)
        return RulesLoaded(account, command.request_id, name, text,
                           tuple(sorted(client.extensions)))
    if isinstance(command, CheckRules):
        return RulesChecked(account, command.request_id, client.check_script(command.text))
    assert isinstance(command, SaveRules)
    existing = dict(client.list_scripts())
    current = client.get_script(command.script) if command.script in existing else ""
    if current != command.base:
        return RulesFailed(account, command.request_id, Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The rules were changed on the server since you opened them (by "
            "another program or device). Your changes were not saved; they are still in "
            "the editor. Reload to see the server's rules.")))
    try:
        document = service.SieveDocument.parse(command.text)
    except SieveSyntaxError:
        # Raw text qtmail cannot read: the server's CHECKSCRIPT (in save) is the judge.
        document = service.SieveDocument.parse("")
    script = service.RulesScript(command.script, current, document, client.extensions,
                                 existing.get(command.script, False))
    warnings = service.save(client, script, command.text)
    return RulesSaved(account, command.request_id, command.text, warnings)


@dataclass(frozen=True, slots=True)
class ApplyRulesToFolder(RulesCommand):
    """Run the saved rules on the mail already in ``folder`` (FILTER=SIEVE)."""

    folder: str


@dataclass(frozen=True, slots=True)
class RulesApplied(Event):
    request_id: int
    folder: str
    moved: int


RULES_EVENTS = (RulesLoaded, RulesChecked, RulesSaved, RulesFailed, RulesApplied)
"""The answers to ``RulesCommand``s (their ``request_id`` is theirs alone)."""
