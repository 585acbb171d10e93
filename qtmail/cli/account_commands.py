"""`qtmail account add|discover|list|remove`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from qtmail.accounts.autoconfig.lookup import Attempt, attempts, make_lookups
from qtmail.accounts.autoconfig.model import Found, ServerOption, SourceKind
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


def _lookups(args: argparse.Namespace, context: CliContext) -> list[Attempt]:
    dns = args.dns or os.environ.get("QTMAIL_DNS", "")
    ca = args.ca or os.environ.get("QTMAIL_CA", "")
    if ca and not Path(ca).is_file():
        raise ConfigError(f"The certificate file {ca} does not exist.")
    try:
        lookups = make_lookups(dns=dns, ca_file=ca, send_address=not args.no_send_address,
                               local_dir=context.profile.config_dir / "isp")
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    address = getattr(args, "address", None) or args.email
    found = attempts(address, lookups)
    if not any(a.found is not None and a.found.best_incoming for a in found):
        from qtmail.accounts.autoconfig.probe import probe  # imports IMAP and SMTP

        started = time.monotonic()
        probed = probe(address, lookups.resolver if dns else None)
        found.append(Attempt(SourceKind.PROBE, probed[0] if probed else None,
                             time.monotonic() - started))
    return found


def _option_text(option: ServerOption | None) -> str:
    if option is None:
        return "none"
    auth = "+".join(a.value for a in option.auth)
    return (f"{option.host}:{option.port} {option.security.value} user {option.username} "
            f"({auth})")


def _print_attempts(found: list[Attempt]) -> Found | None:
    for attempt in found:
        took = "no answer" if attempt.seconds is None else f"{attempt.seconds * 1000:.0f} ms"
        if attempt.found is None:
            result = attempt.problem or "nothing"
        else:
            result = attempt.found.source.where
            if attempt.found.source.unverified:
                result += " (unverified: DNS or a guess)"
        print(f"{attempt.kind.value:<11}{took:>11}  {result}")
    best = next((a.found for a in found if a.found is not None and a.found.best_incoming),
                None)
    if best is None:
        print("No settings were found.")
        return None
    print(f"Best: {best.source.kind.value} ({best.source.where})")
    print(f"  incoming: {_option_text(best.best_incoming)}")
    print(f"  outgoing: {_option_text(best.best_outgoing)}")
    if best.oauth is not None and best.signs_in_with_oauth:
        print(f"  sign-in page: {best.oauth.authorization_endpoint}")
    return best


def discover(context: CliContext, args: argparse.Namespace) -> int:
    if "@" not in args.address:
        raise ConfigError(f"“{args.address}” is not an email address.")
    return 0 if _print_attempts(_lookups(args, context)) is not None else 1


def _discovered(context: CliContext, args: argparse.Namespace) -> Found:
    """The servers looked up for ``args.email``, printed; ConfigError when none."""
    best = _print_attempts(_lookups(args, context))
    if best is None:
        raise ConfigError(f"No settings were found for {args.email}: give them with "
                          "--imap-host and --smtp-host.")
    return best


def add(context: CliContext, args: argparse.Namespace) -> int:
    if "@" not in args.email:
        raise ConfigError(f"“{args.email}” is not an email address.")
    if args.ca_file and not Path(args.ca_file).is_file():
        raise ConfigError(f"The certificate file {args.ca_file} does not exist.")
    if not args.imap_host:
        return _add_discovered(context, args, _discovered(context, args))
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
        _store_password(context, account)
    print(f"Added account “{account.name}”.")
    return 0


def _add_discovered(context: CliContext, args: argparse.Namespace, found: Found) -> int:
    incoming, outgoing = found.best_incoming, found.best_outgoing
    assert incoming is not None
    oauth = found.oauth if found.signs_in_with_oauth else None
    if oauth is not None and not found.takes_password and not args.sign_in:
        raise ConfigError("This provider signs in on its own page: add --sign-in to sign "
                          "in with the web browser.")
    def server(option: ServerOption) -> ServerSettings:
        return ServerSettings(host=option.host, port=option.port, security=option.security,
                              username="" if option.username == args.email
                              else option.username, ca_file=args.ca_file)

    account = AccountSettings(
        name=args.name, email=args.email, display_name=args.display_name,
        imap=server(incoming), smtp=server(outgoing) if outgoing is not None else None,
        sync=SyncPolicy(days=args.sync_days, check_minutes=args.check_minutes,
                        offline_bodies=args.offline),
        oauth=oauth if args.sign_in else None)
    if args.sign_in:
        _sign_in(context, account)
    context.accounts.add(account)
    if args.password_stdin and account.oauth is None:
        _store_password(context, account)
    print(f"Added account “{account.name}”.")
    return 0


def _sign_in(context: CliContext, account: AccountSettings) -> None:
    """The browser sign-in, before the account is saved: no half-made account."""
    import webbrowser

    from qtmail.accounts.oauth.clients import client_for
    from qtmail.accounts.oauth.flow import authorize
    from qtmail.accounts.oauth.tokens import shared_source

    if account.oauth is None:
        raise ConfigError("The servers found do not offer a sign-in page (OAuth2); use "
                          "--password-stdin instead.")
    client = client_for(account.oauth)
    if client is None:
        raise ConfigError("This copy of qtmail has no OAuth2 client ID for this provider "
                          "(see the README, “OAuth2 client IDs”).")

    def browser(url: str) -> bool:
        print("Sign in on the page opened in your web browser; if none opened, visit:\n"
              f"{url}", file=sys.stderr)
        return webbrowser.open(url) or True  # the printed link is the fallback

    tokens = authorize(account.oauth, client, account.email, browser)
    if not shared_source(context.credentials, account).accept(tokens):
        print(f"qtmail: {context.credentials.last_problem} You will have to sign in again "
              "next time.", file=sys.stderr)


def _store_password(context: CliContext, account: AccountSettings) -> None:
    password = context.read_stdin_password()
    if not context.credentials.set(account.name, password):
        print(f"qtmail: {context.credentials.last_problem} The password was not saved; "
              "give it again with --password-stdin.", file=sys.stderr)


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
