"""The argument parser of every command."""

from __future__ import annotations

import argparse
from typing import Any

from qtmail import __version__
from qtmail.accounts.settings import Security
from qtmail.cli import account_commands, mail_commands, rules_commands, write_commands


def _common() -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="keep the whole profile in DIR (also QTMAIL_HOME)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log more detail")
    return common


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")


def _discovery_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dns", metavar="HOST:PORT", default="",
                        help="ask this DNS server (also QTMAIL_DNS), e.g. a test server")
    parser.add_argument("--ca", metavar="FILE", default="",
                        help="trust this CA too for the lookups over https (also QTMAIL_CA)")
    parser.add_argument("--no-send-address", action="store_true",
                        help="do not send the address to the domain's autoconfig server")


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="qtmail", parents=[common],
        description="qtmail, a desktop email client. Without a command it opens the window.")
    parser.add_argument("--version", action="version", version=f"qtmail {__version__}")
    # Read (and removed) by qtmail.cli.take_lang before parsing; here for --help.
    parser.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS,
                        help="the window's language, en or ja (default: the system's; "
                             "also QTMAIL_LANG)")
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    account = commands.add_parser("account", parents=[common], help="add, list or remove accounts")
    account_sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    add = account_sub.add_parser(
        "add", parents=[common], help="add an IMAP account",
        description="Add an account. Without --imap-host the servers are looked up from "
                    "the address (as `qtmail account discover` does) and printed first.")
    add.add_argument("name", help="a name of your choice for the account")
    add.add_argument("--email", required=True)
    add.add_argument("--display-name", default="")
    add.add_argument("--imap-host", help="default: looked up from the address")
    add.add_argument("--imap-port", type=int)
    add.add_argument("--imap-security", choices=[s.value for s in Security],
                     default=Security.SSL.value,
                     help="ssl (default, implicit TLS), starttls, or none (no encryption)")
    add.add_argument("--username", default="", help="login name, if not the address")
    add.add_argument("--ca-file", default="", help="trust this CA certificate file too")
    add.add_argument("--smtp-host")
    add.add_argument("--smtp-port", type=int)
    add.add_argument("--smtp-security", choices=[s.value for s in Security],
                     default=Security.SSL.value)
    add.add_argument("--sieve-host", help="ManageSieve server for rules (default: IMAP host)")
    add.add_argument("--sieve-port", type=int, help="ManageSieve port (default 4190)")
    add.add_argument("--sync-days", type=int, help="keep only the last N days in sync")
    add.add_argument("--check-minutes", type=int,
                     help="check every N minutes instead of push")
    add.add_argument("--offline", action="store_true",
                     help="download message bodies for offline reading")
    _password_option(add)
    add.add_argument("--sign-in", action="store_true",
                     help="sign in on the provider's page in the web browser (OAuth2: "
                          "Gmail, Microsoft 365) instead of a password")
    _discovery_options(add)
    add.set_defaults(handler=account_commands.add)
    discover = account_sub.add_parser(
        "discover", parents=[common], help="look up an address's servers and print them",
        description="Ask every source at once (local files, the domain's autoconfig, the "
                    "provider table, the ISPDB, MX and SRV records) and print what each "
                    "found and how long it took. Nothing is sent but the address.")
    discover.add_argument("address")
    _discovery_options(discover)
    discover.set_defaults(handler=account_commands.discover)
    listing = account_sub.add_parser("list", parents=[common], help="list accounts")
    listing.set_defaults(handler=account_commands.list_accounts)
    remove = account_sub.add_parser("remove", parents=[common],
                                    help="remove an account, its cache and its password")
    remove.add_argument("name")
    remove.set_defaults(handler=account_commands.remove)

    sync = commands.add_parser("sync", parents=[common], help="synchronise with the server")
    sync.add_argument("name", nargs="?", help="account (default: all)")
    sync.add_argument("--folder", help="only this folder")
    _password_option(sync)
    sync.set_defaults(handler=mail_commands.sync)

    watch = commands.add_parser("watch", parents=[common],
                                help="keep an account in sync until interrupted (push)")
    watch.add_argument("name", nargs="?", help="account (default: the only one)")
    watch.add_argument("--folder", help="also watch this folder (the Inbox always is)")
    _password_option(watch)
    watch.set_defaults(handler=mail_commands.watch)

    folders = commands.add_parser("folders", parents=[common],
                                  help="cached folders with total and unread counts")
    folders.add_argument("name", nargs="?")
    folders.set_defaults(handler=mail_commands.folders)

    lister = commands.add_parser("list", parents=[common],
                                 help="cached messages of a folder, newest first")
    lister.add_argument("where", nargs="+", metavar="[NAME] FOLDER")
    lister.add_argument("--limit", type=int, default=50)
    lister.set_defaults(handler=mail_commands.list_messages)

    show = commands.add_parser("show", parents=[common],
                               help="show a message: FILE, - (stdin), or NAME FOLDER UID")
    show.add_argument("what", nargs="+", metavar="FILE|NAME FOLDER UID")
    _password_option(show)
    show.set_defaults(handler=mail_commands.show)
    _add_write_commands(commands, common)
    rules_commands.add_parser(commands, common)
    return parser


def _change_options(parser: argparse.ArgumentParser) -> None:
    _password_option(parser)
    parser.add_argument("--offline", action="store_true",
                        help="change the local cache only; the next sync sends it")


def _add_write_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    mark = commands.add_parser("mark", parents=[common], help="mark messages")
    mark.add_argument("name")
    mark.add_argument("folder")
    mark.add_argument("uids", nargs="+", type=int, metavar="UID")
    which = mark.add_mutually_exclusive_group(required=True)
    for flag in write_commands.MARKS:
        which.add_argument(f"--{flag}", dest="mark", action="store_const", const=flag)
    _change_options(mark)
    mark.set_defaults(handler=write_commands.mark)

    for verb in ("move", "copy"):
        move = commands.add_parser(verb, parents=[common], help=f"{verb} messages")
        move.add_argument("name")
        move.add_argument("folder")
        move.add_argument("uids", nargs="+", type=int, metavar="UID")
        move.add_argument("--to", required=True, metavar="FOLDER")
        move.add_argument("--to-account", metavar="NAME2")
        _change_options(move)
        move.set_defaults(handler=write_commands.move)

    delete = commands.add_parser("delete", parents=[common],
                                 help="move messages to Trash, or delete them for good")
    delete.add_argument("name")
    delete.add_argument("folder")
    delete.add_argument("uids", nargs="+", type=int, metavar="UID")
    delete.add_argument("--permanent", action="store_true", help="delete for good")
    _change_options(delete)
    delete.set_defaults(handler=write_commands.delete)

    archive = commands.add_parser("archive", parents=[common], help="archive messages")
    archive.add_argument("name")
    archive.add_argument("folder")
    archive.add_argument("uids", nargs="+", type=int, metavar="UID")
    _change_options(archive)
    archive.set_defaults(handler=write_commands.archive)

    folder = commands.add_parser("folder", parents=[common],
                                 help="create, delete, rename or (un)subscribe a folder")
    folder.add_argument("name")
    folder.add_argument("action", choices=["create", "delete", "rename", "subscribe",
                                           "unsubscribe"])
    folder.add_argument("paths", nargs="+", metavar="PATH")
    _change_options(folder)
    folder.set_defaults(handler=write_commands.folder)

    importer = commands.add_parser("import", parents=[common],
                                   help="add .eml files to a folder")
    importer.add_argument("name")
    importer.add_argument("folder")
    importer.add_argument("files", nargs="+", metavar="FILE.eml")
    _change_options(importer)
    importer.set_defaults(handler=write_commands.import_files)

    export = commands.add_parser("export", parents=[common], help="save a message as .eml")
    export.add_argument("name")
    export.add_argument("folder")
    export.add_argument("uid", type=int)
    export.add_argument("--output", required=True, metavar="FILE.eml")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    _password_option(export)
    export.set_defaults(handler=write_commands.export)

    pending = commands.add_parser("pending", parents=[common],
                                  help="changes waiting for the server, and conflicts")
    pending.add_argument("name", nargs="?")
    pending.set_defaults(handler=write_commands.pending)

    undo = commands.add_parser("undo", parents=[common], help="undo the last change")
    undo.add_argument("name")
    undo.add_argument("--operation", type=int, help="the change to undo (see pending)")
    _change_options(undo)
    undo.set_defaults(handler=write_commands.undo)

    redo = commands.add_parser("redo", parents=[common],
                               help="make again the change the last undo reverted")
    redo.add_argument("name")
    _change_options(redo)
    redo.set_defaults(handler=write_commands.redo)
