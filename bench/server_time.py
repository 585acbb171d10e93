"""The server's own time on the way to a new profile's first rows (bench_first_rows.py).

Dovecot ends each tagged reply with how long the command ran in the server, how long
it waited in its I/O loop and, for a command that paused, how long since it last ran:
"OK Select completed (0.063 + 0.000 + 0.062 secs)." (src/imap/imap-client.c,
client_cmd_append_timing_stats). The first figure is time the client can only wait for.

Loaded into the launcher's process before qtmail: it wraps imaplib's line reader and
sender, which every qtmail IMAP connection goes through for its tagged replies.
"""

from __future__ import annotations

import imaplib
import re
from collections.abc import Callable

_RUNNING = re.compile(rb"\((\d+)\.(\d{3}) \+ \d+\.\d{3} (?:\+ \d+\.\d{3} )?secs\)\.?\r?\n?$")


def _command(line: bytes) -> bytes:
    """The command of a line a client sends ("UID FETCH" is FETCH), in capitals."""
    words = line.rstrip(b"\r\n").upper().split(b" ", 3)[1:]  # after the tag
    if words[:1] == [b"UID"]:
        words = words[1:]
    return words[0] if words else b""


def watch_server_time() -> Callable[[], float]:
    """Wrap imaplib; returns a function giving, in ms, the server's running time of the
    commands that the connection which sent the first SELECT (the account's own: the
    side and push connections EXAMINE) sent before its first FETCH."""
    spent: dict[int, float] = {}
    selecting: list[int] = []
    fetching: set[int] = set()
    send, readline = imaplib.IMAP4.send, imaplib.IMAP4.readline

    def sending(self: imaplib.IMAP4, data: bytes) -> None:
        command = _command(data)
        if command == b"SELECT" and not selecting:
            selecting.append(id(self))
        elif command == b"FETCH" and id(self) in selecting:
            fetching.add(id(self))
        send(self, data)

    def reading(self: imaplib.IMAP4) -> bytes:
        line = readline(self)
        if line[:1] not in (b"*", b"+") and id(self) not in fetching:
            found = _RUNNING.search(line)
            if found:
                spent[id(self)] = (spent.get(id(self), 0.0)
                                   + int(found[1]) * 1000 + int(found[2]))
        return line

    imaplib.IMAP4.send = sending  # type: ignore[method-assign, assignment]
    imaplib.IMAP4.readline = reading  # type: ignore[method-assign]
    return lambda: spent.get(selecting[0], 0.0) if selecting else 0.0
