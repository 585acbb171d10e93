"""Modified UTF-7 mailbox names (RFC 3501 section 5.1.3), decoded strictly.

We decode folder names ourselves (imapclient's ``folder_encode`` is switched off) so that
one bad name in a LIST response cannot break the whole folder list (RELIABILITY A.9).
"""

from __future__ import annotations

import base64
import binascii

# RFC 3501 5.1.3: modified BASE64 uses "," instead of "/" and no "=" padding.
_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,")


class Utf7Error(ValueError):
    """A mailbox name that is not valid modified UTF-7."""


def decode(wire: bytes) -> str:
    """Decode a modified UTF-7 name; raise ``Utf7Error`` when it is not valid."""
    out: list[str] = []
    i = 0
    length = len(wire)
    while i < length:
        byte = wire[i]
        if byte == 0x26:  # "&" starts a shifted run, "&-" is a literal "&"
            end = wire.find(b"-", i + 1)
            if end < 0:
                raise Utf7Error(f"unterminated shift sequence at offset {i}")
            run = wire[i + 1:end]
            out.append("&" if not run else _decode_run(run))
            i = end + 1
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
            i += 1
        else:
            # RFC 3501 5.1.3: only printable US-ASCII appears outside a shifted run.
            raise Utf7Error(f"byte 0x{byte:02x} outside printable US-ASCII at offset {i}")
    return "".join(out)


def _decode_run(run: bytes) -> str:
    if not set(run) <= _B64_ALPHABET:
        raise Utf7Error("invalid character in modified BASE64")
    if len(run) % 4 == 1:
        raise Utf7Error("truncated modified BASE64")
    padded = run.replace(b",", b"/") + b"=" * (-len(run) % 4)
    try:
        raw = base64.b64decode(padded, validate=True)
    except binascii.Error as exc:
        raise Utf7Error(str(exc)) from exc
    if len(raw) % 2:
        raise Utf7Error("odd number of UTF-16 bytes")
    try:
        text = raw.decode("utf-16-be")
    except UnicodeDecodeError as exc:
        raise Utf7Error("invalid UTF-16 in shifted run") from exc
    if any(0x20 <= ord(ch) <= 0x7E for ch in text):
        # RFC 3501 5.1.3: printable US-ASCII must represent itself, never be shifted.
        raise Utf7Error("printable ASCII encoded in a shifted run")
    return text


def encode(name: str) -> bytes:
    """Encode a folder name as modified UTF-7."""
    out = bytearray()
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            encoded = base64.b64encode(raw).rstrip(b"=").replace(b"/", b",")
            out.extend(b"&" + encoded + b"-")
            pending.clear()

    for ch in name:
        if ch == "&":
            flush()
            out.extend(b"&-")
        elif 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append(ord(ch))
        else:
            pending.append(ch)
    flush()
    return bytes(out)


def decode_name(wire: bytes) -> tuple[str, bool]:
    """Return ``(display name, valid)`` for a name as the server sent it.

    Valid modified UTF-7 decodes normally. Raw UTF-8 (sent by servers that ignore RFC
    3501, or after ENABLE UTF8=ACCEPT, RFC 6855) is shown as UTF-8. Anything else is
    shown with its undecodable bytes escaped (``\\xff``); the caller keeps the wire bytes
    so the folder stays selectable.
    """
    try:
        return decode(wire), True
    except Utf7Error:
        pass
    if any(b >= 0x80 for b in wire):
        try:
            text = wire.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if text.isprintable():
                return text, False
    return escape(wire), False


def escape(wire: bytes) -> str:
    """Printable ASCII as itself, every other byte as ``\\xNN``."""
    return "".join(chr(b) if 0x20 <= b <= 0x7E and b != 0x5C else f"\\x{b:02x}"
                   for b in wire)
