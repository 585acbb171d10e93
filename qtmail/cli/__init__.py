"""The command line: `qtmail` alone starts the window; `qtmail COMMAND` runs a command.

This package and ``qtmail/app.py`` are the only places where objects are wired
together (ARCHITECTURE.md boundary 5).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from qtmail.cli.open_target import is_mailto, open_message_file, split_target
from qtmail.core.errors import KnownError

log = logging.getLogger(__name__)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--smoke"]:
        from qtmail.smoke import main as smoke_main

        return smoke_main(argv[1:])
    lang, argv = take_lang(argv)
    if not argv or (len(argv) == 2 and argv[0] == "--home"):
        return _start_gui(argv, lang)  # the window: no command modules to import first
    from qtmail.cli.parser import build_parser  # every command's module (issue 18)

    parser = build_parser()
    options, target = split_target(argv, _command_names(parser))
    if target is not None:
        if is_mailto(target):
            # The window with a composer filled from the link (a running qtmail on the
            # same profile gets the link instead: qtmail.qt.instance).
            return _start_gui(options, lang, mailto=target)
        return open_message_file(target, lang)
    if not argv or (len(argv) == 2 and argv[0] == "--home"):
        return _start_gui(argv, lang)
    args = parser.parse_args(argv)
    if args.command is None:
        return _start_gui(argv, lang)
    # The commands' wiring (the sync engine, the store): never imported for the window,
    # which imports what it needs after its first paint (issue 18).
    from qtmail.cli.context import CliContext

    context = CliContext.from_args(args)
    try:
        result: int = args.handler(context, args)
        return result
    except KnownError as error:
        print(f"qtmail: {error.user_message}", file=sys.stderr)
        if error.detail:
            log.debug("detail: %s", error.detail)
        return 1
    except KeyboardInterrupt:
        print("qtmail: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        context.close()


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            names.update(action.choices)
    return names


def take_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang LANG`` / ``--lang=LANG`` (the window's language) and the other arguments.

    Taken out before parsing so that it may stand anywhere, as with a file to open.
    """
    rest: list[str] = []
    lang: str | None = None
    args = iter(argv)
    for arg in args:
        if arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        elif arg == "--lang":
            value = next(args, None)
            if value is None:
                rest.append(arg)  # argparse says what is missing
            else:
                lang = value
        else:
            rest.append(arg)
    return lang, rest


def _start_gui(argv: list[str], lang: str | None = None, *,
               mailto: str | None = None) -> int:
    from qtmail import heap

    heap.hold_during_startup()  # until the window has painted (run_gui)
    import qtmail.qt  # noqa: F401  (PySide6 with its import hook made cheap: qt/feature_scan.py)
    from qtmail.app import run_gui
    from qtmail.profile import Profile

    home = argv[1] if len(argv) == 2 and argv[0] == "--home" else None
    profile = Profile.at(Path(home)) if home else Profile.default()
    return run_gui(profile.ensure(), lang=lang, mailto=mailto)
