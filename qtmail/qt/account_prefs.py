"""The window's per-account preferences (SettingsDialog.result_preferences()), kept in
the QSettings INI, and the per-sender remote-content allow lists built on them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from qtmail.accounts.remote_policy import RemoteContentPolicy
from qtmail.qt.prefs import (
    DEFAULT_PREFERENCES,
    PREF_MARK_READ,
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
        found = self._settings.preferences(account, DEFAULT_PREFERENCES)
        found[PREF_MARK_READ] = str(self._settings.mark_read_delay_ms())
        return found

    def set(self, account: str, values: Mapping[str, object]) -> None:
        own = dict(values)
        mark_read = own.pop(PREF_MARK_READ, None)
        if mark_read is not None:  # one value for every account (Thunderbird's too)
            self._settings.set_mark_read_delay_ms(int(str(mark_read)))
        self._settings.set_preferences(account, own)
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
