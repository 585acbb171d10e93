"""What every command needs: the profile, the accounts file, passwords, stores."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from qtmail import log as qtmail_log
from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.settings import AccountSettings, AccountsFile
from qtmail.core.errors import ConfigError, NoPasswordError
from qtmail.core.events import Event
from qtmail.net.sasl import Secret
from qtmail.profile import Profile
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine


@dataclass
class CliContext:
    profile: Profile
    credentials: CredentialStore
    password_stdin: bool = False
    _stdin_password: str | None = None
    _stores: list[Store] = field(default_factory=list)
    _engines: list[AccountEngine] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        home = getattr(args, "home", None)
        profile = Profile.at(Path(home)) if home else Profile.default()
        profile.ensure()
        qtmail_log.setup(profile.log_dir, verbose=getattr(args, "verbose", False))
        return cls(profile=profile, credentials=CredentialStore(),
                   password_stdin=getattr(args, "password_stdin", False))

    @property
    def accounts(self) -> AccountsFile:
        return AccountsFile(self.profile.accounts_file)

    def account(self, name: str | None) -> AccountSettings:
        """The named account, or the only one when no name is given."""
        if name is not None:
            return self.accounts.get(name)
        accounts = self.accounts.load()
        if not accounts:
            raise ConfigError("There is no account yet. Add one with “qtmail account add”.")
        if len(accounts) > 1:
            names = ", ".join(a.name for a in accounts)
            raise ConfigError(f"There are several accounts; name one of: {names}.")
        return accounts[0]

    def read_stdin_password(self) -> str:
        if self._stdin_password is None:
            line = sys.stdin.readline()
            self._stdin_password = line.rstrip("\r\n")
        if not self._stdin_password:
            raise NoPasswordError("No password was given on standard input.")
        return self._stdin_password

    def password_for(self, account: AccountSettings) -> Callable[[], Secret]:
        if account.oauth is not None:  # signed in through the browser (issue 16)
            from qtmail.accounts.oauth.tokens import shared_source
            return shared_source(self.credentials, account)

        def lookup() -> str:
            if self.password_stdin:
                return self.read_stdin_password()
            stored = self.credentials.get(account.name)
            if stored:
                return stored
            if sys.stdin.isatty() and os.environ.get("QTMAIL_NO_PROMPT") is None:
                password = getpass.getpass(f"Password for {account.imap_username} "
                                           f"on {account.imap.host}: ")
                if password:
                    self.credentials.remember_for_session(account.name, password)
                    return password
            raise NoPasswordError(
                f"No password is stored for “{account.name}”. Give it with "
                "--password-stdin, or add the account again to save it in the keyring.")
        return lookup

    def store(self, account: AccountSettings) -> Store:
        store = Store.open(self.profile.cache_file(account.name))
        self._stores.append(store)
        return store

    def engine(self, account: AccountSettings,
               emit: Callable[[Event], None] = lambda event: None) -> AccountEngine:
        for engine in self._engines:
            if engine.name == account.name:
                return engine
        engine = AccountEngine(account, self.store(account), self.password_for(account), emit,
                               peers=self._peer)
        self._engines.append(engine)
        return engine

    def _peer(self, name: str) -> AccountEngine | None:
        """Another account's engine, for moves between accounts."""
        try:
            return self.engine(self.accounts.get(name))
        except ConfigError:
            return None

    def close(self) -> None:
        for engine in self._engines:
            engine.close()
        for store in self._stores:
            store.close()
        self._engines.clear()
        self._stores.clear()
