"""An account's rules work (issue 15), run by its scheduler: ManageSieve commands, and
"apply the rules to this folder now" over a separate IMAP connection (so the engine's
selected folder and a sync in progress are not disturbed)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, Sentence
from qtmail.core.events import Event
from qtmail.imap.sieve_filter import filter_folder
from qtmail.sieve.jobs import (
    ApplyRulesToFolder,
    RulesApplied,
    RulesCommand,
    RulesFailed,
    run_rules_command,
)
from qtmail.store import Store
from qtmail.sync.engine import Connector

log = logging.getLogger(__name__)


def run_rules(command: RulesCommand, settings: AccountSettings, password: Callable[[], str],
              connector: Connector, store: Store | None, emit: Callable[[Event], None]
              ) -> bool:
    """Run ``command``; True when mail moved on the server (the caller syncs)."""
    if not isinstance(command, ApplyRulesToFolder):
        run_rules_command(command, settings, password, emit)
        return False
    account = settings.name
    try:
        folder = store.folder(command.folder) if store is not None else None
        if folder is None:
            raise KnownError(Sentence(QT_TRANSLATE_NOOP(
                "Errors", "The folder “{folder}” is not known yet; try again after the "
                "next sync."), folder=command.folder))
        session = connector(settings, password())
        try:
            result = filter_folder(session, folder)
        finally:
            session.logout()
    except KnownError as error:
        log.info("%s: applying rules: %s (%s)", account, error, error.detail)
        emit(RulesFailed(account, command.request_id, error.user_message))
        return False
    emit(RulesApplied(account, command.request_id, command.folder, len(result.removed)))
    return bool(result.removed) or result.filtered > 0
