"""Removing an account from this computer: its settings, its cache, its passwords.

The mail itself stays on the server; only qtmail's copy goes (issue 13 item 4). Shared
by the window (Remove Account…) and ``qtmail account remove``.
"""

from __future__ import annotations

from pathlib import Path

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import AccountSettings, AccountsFile

CACHE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The SQLite database and its write-ahead log, shared-memory and rollback files."""
BESIDE_THE_CACHE = (".rules.sieve", ".rules.json")
"""Local rules and their progress (sync/local_rules.py), named after the cache."""


def delete_cache(cache: Path) -> None:
    """The cache file, SQLite's companions and the account's local rules; missing ones
    are fine."""
    for suffix in CACHE_SUFFIXES:
        cache.with_name(cache.name + suffix).unlink(missing_ok=True)
    for suffix in BESIDE_THE_CACHE:
        cache.with_name(cache.stem + suffix).unlink(missing_ok=True)


def forget_account(accounts: AccountsFile, credentials: CredentialStore, cache: Path,
                   name: str) -> AccountSettings:
    """Remove ``name`` from the accounts file, the keyring (incoming and outgoing
    passwords) and the disk. Blocking (the keyring): never on the GUI thread. The
    account's worker must have stopped first, or its cache would be written again."""
    account = accounts.remove(name)
    credentials.delete(account.name)
    delete_cache(cache)
    return account
