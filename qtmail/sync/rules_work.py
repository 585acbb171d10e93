"""An account's rules work (issue 15), run by its scheduler: ManageSieve commands, and
"apply the rules to this folder now" over a separate IMAP connection (so the engine's
selected folder and a sync in progress are not disturbed) where the server can
(FILTER=SIEVE), else by qtmail itself as queued operations (sync/local_rules.py).

When the user chose rules on this device (the server has no ManageSieve), the same
commands read and write the local rules instead, and "move them to the server" is
offered once the server has ManageSieve.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, Sentence
from qtmail.core.events import Event
from qtmail.imap.sieve_filter import CAPABILITY as FILTER_SIEVE
from qtmail.imap.sieve_filter import filter_folder
from qtmail.net.sasl import Secret
from qtmail.sieve import service
from qtmail.sieve.errors import ScriptProblem
from qtmail.sieve.jobs import (
    ApplyRulesToFolder,
    CheckRules,
    LoadRules,
    MoveRulesToServer,
    RulesApplied,
    RulesChecked,
    RulesCommand,
    RulesFailed,
    RulesLoaded,
    RulesSaved,
    SaveRules,
    UseLocalRules,
    run_rules_command,
)
from qtmail.sieve.rules import Rule
from qtmail.sieve.script import SieveDocument
from qtmail.sieve.syntax import SieveSyntaxError
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine, Connector
from qtmail.sync.local_rules import LocalRules, apply_rules

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 5.0
"""Seconds to find out whether the server offers ManageSieve now (local rules shown)."""
LOCAL_EXTENSIONS = ("copy", "fileinto", "imap4flags", "mailbox", "regex", "body")
"""What the local rules can run; the editor offers no more than this."""


def run_rules(command: RulesCommand, settings: AccountSettings, password: Callable[[], Secret],
              connector: Connector, store: Store | None, emit: Callable[[Event], None],
              engine: AccountEngine | None = None, local: LocalRules | None = None
              ) -> bool:
    """Run ``command``; True when mail moved or changes were queued (the caller syncs
    and replays)."""
    account = settings.name
    if isinstance(command, ApplyRulesToFolder):
        return _apply_now(command, settings, password, connector, store, emit, engine, local)
    if local is not None and (local.enabled or isinstance(command, UseLocalRules)):
        try:
            if isinstance(command, UseLocalRules) and not local.enabled and store is not None:
                local.save("")
                local.start(store)  # from now on: the Inbox as it is stays as it is
            emit(_run_local(command, settings, password, local))
        except KnownError as error:
            log.info("%s: local rules: %s (%s)", account, error, error.detail)
            emit(RulesFailed(account, command.request_id, error.user_message))
        return False
    run_rules_command(command, settings, password, emit)
    return False


def _apply_now(command: ApplyRulesToFolder, settings: AccountSettings,
               password: Callable[[], Secret], connector: Connector, store: Store | None,
               emit: Callable[[Event], None], engine: AccountEngine | None,
               local: LocalRules | None) -> bool:
    account = settings.name
    try:
        folder = store.folder(command.folder) if store is not None else None
        if folder is None:
            raise KnownError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” is not known yet; try again after the "
                "next sync."), folder=command.folder))
        local_rules = local is not None and local.enabled
        session = connector(settings, password())
        try:
            server_filters = session.has(FILTER_SIEVE) and not local_rules
            result = filter_folder(session, folder) if server_filters else None
        finally:
            session.logout()
        if result is not None:
            emit(RulesApplied(account, command.request_id, command.folder,
                              len(result.removed)))
            return bool(result.removed) or result.filtered > 0
        # The server cannot run them on stored mail: qtmail does, as queued changes.
        if engine is None:
            raise KnownError(QT_TRANSLATE_NOOP(
                "Errors", "The rules cannot be applied to stored mail here."))
        rules = local.rules() if local is not None and local_rules else _server_rules(
            settings, password)
        changed = apply_rules(engine, command.folder, engine.store.uids(command.folder),
                              rules, claim=False)
    except KnownError as error:
        log.info("%s: applying rules: %s (%s)", account, error, error.detail)
        emit(RulesFailed(account, command.request_id, error.user_message))
        return False
    emit(RulesApplied(account, command.request_id, command.folder, changed))
    return changed > 0


def _server_rules(settings: AccountSettings, password: Callable[[], Secret]) -> list[Rule]:
    client = service.connect(settings, password)
    try:
        return service.load(client).document.rules
    finally:
        client.logout()


def _run_local(command: RulesCommand, settings: AccountSettings,
               password: Callable[[], Secret], local: LocalRules) -> Event:
    account = settings.name
    if isinstance(command, UseLocalRules):
        if not local.enabled:
            local.save("")
        return _loaded(command.request_id, account, local, settings, password)
    if isinstance(command, LoadRules):
        return _loaded(command.request_id, account, local, settings, password)
    if isinstance(command, CheckRules):
        problem = _syntax_problem(command.text)
        if problem is not None:
            return RulesFailed(account, command.request_id, _BAD_SCRIPT, (problem,))
        return RulesChecked(account, command.request_id, "")
    if isinstance(command, SaveRules):
        problem = _syntax_problem(command.text)
        if problem is not None:
            return RulesFailed(account, command.request_id, _BAD_SCRIPT, (problem,))
        local.save(command.text)
        return RulesSaved(account, command.request_id, command.text, "")
    if isinstance(command, MoveRulesToServer):
        return _move_to_server(command.request_id, account, local, settings, password)
    raise KnownError(QT_TRANSLATE_NOOP("Errors", "This does not work with local rules."))


def _loaded(request_id: int, account: str, local: LocalRules, settings: AccountSettings,
            password: Callable[[], Secret]) -> RulesLoaded:
    return RulesLoaded(account, request_id, "", local.text(), LOCAL_EXTENSIONS, local=True,
                       server_available=_server_offers_rules(settings, password))


def _server_offers_rules(settings: AccountSettings, password: Callable[[], Secret]) -> bool:
    """Whether ManageSieve answers now (a short try: it usually is simply not there)."""
    quick = replace(settings, sieve=replace(settings.sieve_server, timeout=PROBE_TIMEOUT))
    try:
        client = service.connect(quick, password)
    except KnownError:
        return False
    client.logout()
    return True


def _move_to_server(request_id: int, account: str, local: LocalRules,
                    settings: AccountSettings, password: Callable[[], Secret]) -> Event:
    """The local rules after the server's own, saved there (checked by the server);
    the local copy goes only once the server accepted them."""
    client = service.connect(settings, password)
    try:
        script = service.load(client)
        for rule in local.rules():
            # Written afresh there, so the server script gains the requires they need.
            script.document.add_rule(replace(rule, original="", signature=""))
        text = script.document.render()
        service.save(client, script, text)
        name = script.name
    finally:
        client.logout()
    local.remove()
    return RulesLoaded(account, request_id, name, text, tuple(sorted(script.extensions)))


_BAD_SCRIPT = QT_TRANSLATE_NOOP(
    "Errors", "The rules have an error, so they were not saved. Correct the marked line.")


def _syntax_problem(text: str) -> ScriptProblem | None:
    """qtmail's own reading of the text stands in for the server's CHECKSCRIPT."""
    try:
        SieveDocument.parse(text)
    except SieveSyntaxError as exc:
        return ScriptProblem(line=getattr(exc, "line", None), text=str(exc))
    return None
