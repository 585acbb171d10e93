"""The record of IMAP commands a session sent: names and modifiers, never arguments.

Tests use it to check which path sync took ("UID FETCH (CHANGEDSINCE)", "ENABLE
QRESYNC"). Commands the session sends itself are named by the session; commands sent
straight on the imaplib object (qtmail.imap.fastfetch) are named from the wire here.
Mailbox names, search criteria, UIDs and credentials are never recorded.
"""

from __future__ import annotations

import imaplib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# Top-level parenthesised groups of a command line, e.g. "(UID FLAGS)".
_GROUP = re.compile(rb"\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_KEYWORD = re.compile(rb"^[A-Z][A-Z0-9.\-]*$")


def describe(line: bytes) -> str:
    """``b"A12 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)\\r\\n"`` -> ``UID FETCH (CHANGEDSINCE)``."""
    words = line.split(b"\r\n", 1)[0].split(b" ")
    if len(words) < 2:
        return "?"
    name = [words[1].upper()]
    if name[0] == b"UID" and len(words) > 2:
        name.append(words[2].upper())
    if name[0] in (b"LOGIN", b"AUTHENTICATE"):
        return name[0].decode()
    text = " ".join(n.decode("ascii", "replace") for n in name)
    groups = _GROUP.findall(line)
    modifiers: list[bytes] = []
    if name[-1] == b"FETCH" and len(groups) >= 2:
        modifiers = groups[-1].split()  # RFC 7162 3.1.4: modifiers follow the item list
    elif name[-1] == b"SEARCH" and b" RETURN " in line.upper():
        text += " RETURN"
    keywords = [m.upper().decode() for m in modifiers if _KEYWORD.match(m.upper())]
    return text + (f" ({' '.join(keywords)})" if keywords else "")


class CommandLog(list[str]):
    """A list of command descriptions that also watches ``imap.send`` for raw commands."""

    def __init__(self, imap: imaplib.IMAP4) -> None:
        super().__init__()
        self._imap = imap
        self._own = False
        send: Callable[[bytes], None] = imap.send
        tags = imap.tagged_commands

        def watching_send(data: bytes) -> None:
            # A command line starts with a tag imaplib has just handed out and not yet
            # seen completed; literals and continuation data never do.
            if not self._own:
                tag = data.split(b" ", 1)[0]
                if tag in tags and tags[tag] is None:
                    self.append(describe(data))
            send(data)

        setattr(imap, "send", watching_send)  # noqa: B010 - instance hook, not a method

    @contextmanager
    def own(self, name: str) -> Iterator[None]:
        """Record ``name`` and do not also record what is sent inside the block."""
        self.append(name)
        previous, self._own = self._own, True
        try:
            yield
        finally:
            self._own = previous
