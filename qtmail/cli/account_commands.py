"""`qtmail account add|list|remove`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from qtmail.accounts.removal import forget_account
from qtmail.accounts.settings import (
    DEFAULT_PORTS,
    AccountSettings,
    Security,
    ServerSettings,
    SyncPolicy,
)
from qtmail.cli.context import CliContext
from qtmail.core.errors import ConfigError


def _server(kind: str, host: str, port: int | None, security: str, username: str,
            ca_file: str) -> ServerSettings:
    level = Security(security)
    return ServerSettings(host=host, port=port or DEFAULT_PORTS[(kind, level)],
                          security=level, username=username, ca_file=ca_file)


def add(context: CliContext, args: argparse.Namespace) -> int:
    if "@" not in args.email:
        raise ConfigError(f"“{args.email}” is not an email address.")
    if args.ca_file:
        from pathlib import Path

        if not Path(args.ca_file).is_file():
            raise ConfigError(f"The certificate file {args.ca_file} does not exist.")
    smtp = None
    if args.smtp_host:
        smtp = _server("smtp", args.smtp_host, args.smtp_port, args.smtp_security,
                       args.username, args.ca_file)
    imap = _server("imap", args.imap_host, args.imap_port, args.imap_security,
                   args.username, args.ca_file)
    sieve = None
    if args.sieve_host or args.sieve_port:
        # Same security level as IMAP; RFC 5804 has STARTTLS, no implicit-TLS port.
        derived = AccountSettings(name=args.name, email=args.email, imap=imap).sieve_server
        sieve = replace(derived, host=args.sieve_host or derived.host,
                        port=args.sieve_port or derived.port)
    account = AccountSettings(
        name=args.name, email=args.email, display_name=args.display_name,
        imap=imap,
        smtp=smtp,
        sieve=sieve,
        sync=SyncPolicy(days=args.sync_days, check_minutes=args.check_minutes,
                        offline_bodies=args.offline),
    )
    context.accounts.add(account)
    if account.imap.security is Security.NONE:
        print("Warning: this account sends your password and mail without encryption.",
              file=sys.stderr)
    if args.password_stdin:
        password = context.read_stdin_password()
        if not context.credentials.set(account.name, password):
            print(f"qtmail: {context.credentials.last_problem} The password was not saved; "
                  "give it again with --password-stdin.", file=sys.stderr)
    print(f"Added account “{account.name}”.")
    return 0


def list_accounts(context: CliContext, args: argparse.Namespace) -> int:
    for account in context.accounts.load():
        imap = account.imap
        print(f"{account.name}\t{account.email}\t{imap.host}:{imap.port}\t{imap.security}")
    return 0


def remove(context: CliContext, args: argparse.Namespace) -> int:
    account = forget_account(context.accounts, context.credentials,
                             context.profile.cache_file(args.name), args.name)
    print(f"Removed account “{account.name}” and its local cache.")
    return 0
