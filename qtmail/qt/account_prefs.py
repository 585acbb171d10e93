"""The window's per-account preferences (SettingsDialog.result_preferences()), kept in
the QSettings INI, and the per-sender remote-content allow lists built on them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from qtmail.accounts.remote_policy import RemoteContentPolicy
from qtmail.qt.prefs import (
    DEFAULT_PREFERENCES,
    PREF_NOTIFICATIONS,
    PREF_REMOTE_CONTENT,
    PREF_THREADING,
    REMOTE_KNOWN_SENDERS,
)
from qtmail.qt.settings import WindowSettings


class AccountPreferences:
    """Reads and writes the preferences; hands out one RemoteContentPolicy per account
    whose changes ("always for this sender") are saved at once."""

    def __init__(self, settings: WindowSettings) -> None:
        self._settings = settings
        self._policies: dict[str, RemoteContentPolicy] = {}

    def get(self, account: str) -> dict[str, object]:
        return self._settings.preferences(account, DEFAULT_PREFERENCES)

    def set(self, account: str, values: Mapping[str, object]) -> None:
        self._settings.set_preferences(account, values)
        self._settings.sync()

    def notifications(self, account: str) -> bool:
        return bool(self.get(account)[PREF_NOTIFICATIONS])

    def threading(self, account: str) -> bool:
        return bool(self.get(account)[PREF_THREADING])

    def loads_known_senders(self, account: str) -> bool:
        return self.get(account)[PREF_REMOTE_CONTENT] == REMOTE_KNOWN_SENDERS

    def remote_policy(self, account: str) -> RemoteContentPolicy:
        policy = self._policies.get(account)
        if policy is None:
            policy = RemoteContentPolicy(self._settings.remote_allowed(account),
                                         partial(self._save_allowed, account))
            self._policies[account] = policy
        return policy

    def _save_allowed(self, account: str, addresses: list[str]) -> None:
        self._settings.set_remote_allowed(account, addresses)
        self._settings.sync()
