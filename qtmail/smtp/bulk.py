"""Big attachments base64-encoded outside the email package, a slice at a time (issue 18).

The email package encodes a 10 MB attachment a line at a time into a 14 MB string and
writes it out again: 0.2 s of the build lane holding Python's lock in pieces of up to
13 ms, each of them a wait for the account's worker (another thread of the process),
which answers the user's clicks. Such an attachment is given to the email package as
a stand-in of one random line instead; once the message (headers, structure, the small
parts) is serialised and checked, each stand-in line is replaced by the attachment's
base64 lines, the same lines the email package would have written (contentmanager's
``_encode_base64``), encoded a slice at a time.
"""

from __future__ import annotations

import binascii
import os
from collections.abc import Iterator

from qtmail.core.yielding import pause_lane

BULK = 1 << 16
"""Attachments of this many bytes or more are encoded here."""

SLICE_LINES = 1024
"""Base64 lines encoded at a time (57 KB of an attachment: well under a millisecond)."""


class Bulk:
    """The big attachments of one message being built, by their stand-in lines."""

    def __init__(self, max_line_length: int | None) -> None:
        if max_line_length is None:
            raise ValueError("base64 lines need a length limit")
        # contentmanager._encode_base64: 57 bytes a line under a 78-character limit.
        self._line_bytes = max_line_length // 4 * 3
        self._data: dict[bytes, bytes] = {}

    @staticmethod
    def wants(data: bytes) -> bool:
        return len(data) >= BULK

    def stand_in(self, data: bytes) -> bytes:
        """One line's worth of random bytes for the email package to encode in place of
        ``data``: its base64 line (456 random bits, found nowhere else) marks where
        ``data``'s lines go."""
        while True:
            stand_in = os.urandom(self._line_bytes)
            line = binascii.b2a_base64(stand_in, newline=False) + b"\r\n"
            if line not in self._data:
                self._data[line] = data
                return stand_in

    def splice(self, skeleton: bytes) -> bytes:
        """``skeleton`` (the message serialised with CRLF, its parts in order) with each
        stand-in line replaced by its data's lines. The join lets go of Python's lock
        (bytes.join over 1 MB, CPython 3.9+)."""
        pieces: list[bytes] = []
        rest = skeleton
        for line, data in self._data.items():
            head, found, rest = rest.partition(line)
            if not found:
                raise AssertionError("a stand-in line is missing from the message")
            pieces.append(head)
            pieces.extend(self._lines(data))
        pieces.append(rest)
        return b"".join(pieces)

    def _lines(self, data: bytes) -> Iterator[bytes]:
        """``data`` in base64 lines, the last one shorter, each ending with CRLF."""
        width = self._line_bytes // 3 * 4
        step = self._line_bytes * SLICE_LINES
        for start in range(0, len(data), step):
            pause_lane()  # a worker answering the user goes first
            text = binascii.b2a_base64(data[start:start + step], newline=False)
            yield b"\r\n".join([text[i:i + width] for i in range(0, len(text), width)])
            yield b"\r\n"
