"""What the desktop passes to `qtmail %u`: a message file, a file: URL or a mailto: link."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

MESSAGE_SUFFIXES = (".eml",)


def split_target(argv: list[str], commands: set[str]) -> tuple[list[str], str | None]:
    """(options, target) when the last argument is something to open, else (argv, None).

    Only ``[--home DIR] TARGET`` qualifies, so no command line is ever taken for a file.
    """
    if not argv or argv[-1].startswith("-") or argv[-1] in commands:
        return argv, None
    options, target = argv[:-1], argv[-1]
    if options and not (len(options) == 2 and options[0] == "--home"):
        return argv, None
    if target.lower().startswith(("mailto:", "file:")):
        return options, target
    if target.lower().endswith(MESSAGE_SUFFIXES) or Path(target).is_file():
        return options, target
    return argv, None


def is_mailto(target: str) -> bool:
    return target.lower().startswith("mailto:")


def message_path(target: str) -> Path:
    """The local path of a file argument or a ``file://`` URL (Desktop Entry spec %u)."""
    if target.lower().startswith("file:"):
        return Path(unquote(urlsplit(target).path))
    return Path(target)


def open_message_file(target: str, lang: str | None = None) -> int:
    """Show the message in its own window until it is closed."""
    path = message_path(target)
    try:
        raw = path.read_bytes()
    except OSError as error:
        print(f"qtmail: cannot open {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    from qtmail.app import create_application
    from qtmail.mime.parse import parse_message
    from qtmail.qt.eml_window import EmlWindow
    from qtmail.qt.i18n import install_translations

    app = create_application()
    install_translations(app, lang)
    window = EmlWindow(parse_message(raw), path.name)
    window.show()
    return int(app.exec())
