"""Decode header values (RFC 2047 words, 8-bit bytes), addresses, dates and message ids.

Every function here accepts anything a hostile or broken sender can put in a header and
never raises: the IMAP header parser calls them for every message in a folder.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import codecs
import email.utils
import logging
import re
from datetime import datetime

from qtmail.core.types import Address
from qtmail.mime.addresses import AddressSyntaxError, is_addr_spec, parse_address_list

log = logging.getLogger(__name__)

# Labels seen in real mail that Python's codec registry does not know, or knows under
# another name (RELIABILITY E.45). Keys are lower-case with "_" normalised to "-".
_CHARSET_ALIASES: dict[str, str] = {
    "ks-c-5601-1987": "cp949",
    "ks-c-5601": "cp949",
    "ksc5601": "cp949",
    "ksc-5601": "cp949",
    "euc-kr": "cp949",  # cp949 is a superset; Outlook labels cp949 text as euc-kr.
    "x-euc-kr": "cp949",
    "gb2312": "gb18030",  # Superset: mislabelled GBK text decodes instead of failing.
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cn-gb": "gb18030",
    "x-sjis": "cp932",
    "shift-jis": "cp932",  # Windows extensions (NEC/IBM rows) are common in practice.
    "sjis": "cp932",
    "x-mac-japanese": "cp932",
    "iso-2022-jp-ms": "iso2022-jp-ext",
    "big5-hkscs": "big5hkscs",
    "x-big5": "big5",
    "unicode-1-1-utf-7": "utf-7",
    "x-unicode20utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
    "x-user-defined": "windows-1252",
    "us-ascii": "windows-1252",  # Declared ASCII with 8-bit text is usually cp1252.
    "ascii": "windows-1252",
    "ansi-x3.4-1968": "windows-1252",
    "iso-8859-1": "windows-1252",  # WHATWG: browsers treat latin-1 labels as cp1252.
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "cp-850": "cp850",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
}

# Codecs that can decode but are not text charsets (rot13, base64, zlib...). A header
# naming one must not make us run a decompressor on attacker bytes.
_TEXT_CODEC_BLOCKLIST = frozenset({"rot-13", "base64", "hex", "zlib", "bz2", "quopri", "uu"})


def lookup_charset(label: str | None, default: str = "utf-8") -> str:
    """The Python codec name for a MIME charset label; ``default`` when unknown."""
    if not label:
        return default
    key = label.strip().strip("\"'").lower().replace("_", "-")
    # RFC 2231 section 5: a charset may carry a language suffix, "utf-8*en".
    key = key.split("*", 1)[0]
    key = _CHARSET_ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except (LookupError, ValueError, TypeError):
        return default
    if not getattr(info, "_is_text_encoding", True) or info.name in _TEXT_CODEC_BLOCKLIST:
        return default
    return info.name


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode body or header bytes with a declared charset, never raising.

    Without a (usable) charset: UTF-8 when valid, else windows-1252, else latin-1.
    A declared UTF-8 that does not decode falls back the same way (E.45: utf8 declared
    on Shift_JIS or cp1252 bytes).
    """
    codec = lookup_charset(charset, default="") if charset else ""
    if codec and codec not in ("utf-8", "windows-1252", "cp1252"):
        try:
            return data.decode(codec, errors="replace")
        except Exception:  # Buggy codecs (utf-7 on odd input) can raise anything.
            log.debug("codec %s failed", codec, exc_info=True)
    if codec in ("windows-1252", "cp1252") and not _is_utf8(data):
        return _decode_8bit(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("windows-1252")
    except UnicodeDecodeError:
        # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined; latin-1 maps every byte.
        return data.decode("latin-1")


# C0 controls and DEL, plus C1 controls: invisible, and NUL/CR/LF/ESC in a decoded
# subject or name can forge lines in logs or terminals (RELIABILITY D.39).
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# RFC 5322 section 2.2.3: unfolding removes the CRLF before folding whitespace.
_FOLD = re.compile(r"\r?\n(?=[ \t])|\r(?=[ \t])")
_SURROGATES = re.compile("[\udc80-\udcff]")

# RFC 2047 section 2: =?charset?encoding?encoded-text?= ; charset may carry "*lang"
# (RFC 2231 section 5). Real mail puts spaces and "?" inside Q text, so the text part
# is matched lazily up to the first "?=".
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,60})\?([bBqQ])\?(.{0,2000}?)\?=", re.DOTALL)
_WSP_ONLY = re.compile(r"[ \t\r\n]*")


def clean_text(text: str) -> str:
    """Unfold and strip control characters; tabs become spaces."""
    text = _FOLD.sub("", text).replace("\t", " ")
    return _CONTROLS.sub("", text).strip()


def decode_header(value: str | bytes) -> str:
    """A header value as display text: encoded words decoded, unfolded, no controls."""
    try:
        return _decode_header(value)
    except Exception:  # Never raise on a header: the folder must still list.
        log.warning("header decoding failed", exc_info=True)
        if isinstance(value, bytes):
            return clean_text(value.decode("latin-1"))
        return clean_text(_SURROGATES.sub("\ufffd", str(value)))


def _decode_header(value: str | bytes) -> str:
    if isinstance(value, bytes):
        text = decode_bytes(value)
    elif not isinstance(value, str):
        text = str(value)
    else:
        text = value
        if _SURROGATES.search(text):
            # email's parsers keep undecodable 8-bit header bytes as surrogateescape.
            raw = text.encode("utf-8", errors="surrogateescape")
            text = decode_bytes(raw)
    if text.isascii() and "=?" not in text:
        return clean_text(text)
    text = _FOLD.sub("", text)
    return clean_text(_decode_encoded_words(text))


def _decode_encoded_words(text: str) -> str:
    out: list[str] = []
    pos = 0
    # Runs of adjacent words in one charset are joined as bytes before decoding:
    # senders split multi-byte characters across words (RFC 2047 section 5 forbids it).
    run_charset: str | None = None
    run_bytes = bytearray()

    def flush() -> None:
        nonlocal run_charset
        if run_charset is not None:
            out.append(decode_bytes(bytes(run_bytes), run_charset))
            run_bytes.clear()
            run_charset = None

    for match in _ENCODED_WORD.finditer(text):
        between = text[pos:match.start()]
        # RFC 2047 section 6.2: whitespace between adjacent encoded words is dropped.
        if run_charset is None or not _WSP_ONLY.fullmatch(between):
            flush()
            out.append(between)
        charset, encoding, payload = match.groups()
        data = _decode_word_payload(encoding, payload)
        codec = lookup_charset(charset, default="utf-8")
        if run_charset is not None and codec != run_charset:
            flush()
        run_charset = codec
        run_bytes.extend(data)
        pos = match.end()
    flush()
    out.append(text[pos:])
    return "".join(out)


def _decode_word_payload(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        compact = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        if len(compact) % 4 == 1:  # A truncated word: one stray sextet is no byte.
            compact = compact[:-1]
        try:
            return base64.b64decode(compact + "=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            return payload.encode("ascii", errors="replace")
    # RFC 2047 section 4.2: "_" is space, "=XX" a hex byte; keep malformed "=" as is.
    raw = payload.replace("_", " ").encode("utf-8", errors="surrogateescape")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def has_encoded_controls(value: str) -> bool:
    """Whether an encoded word hides a control character (NUL, CR, LF...) in ``value``.

    Legitimate names never need them; Mailsploit (RELIABILITY D.34) uses them to cut
    the display of a From header short of its real address.
    """
    try:
        for match in _ENCODED_WORD.finditer(str(value)):
            data = _decode_word_payload(match.group(2), match.group(3))
            if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", data):
                return True
    except Exception:
        return True
    return False


# --- addresses -------------------------------------------------------------------------

_MAX_ADDRESS_HEADER = 64 * 1024


def parse_addresses(value: str) -> tuple[Address, ...]:
    """Addresses in a raw (undecoded) To/From/Cc value, with decoded display names.

    Pass the header as received: RFC 2047 section 5 allows encoded words only in the
    display name, so the address part is never decoded (Mailsploit, RELIABILITY D.34).
    Our strict parser (mime/addresses.py) decides, identically on every Python; only
    when it refuses the value does a best-effort split keep the header readable, and
    then a piece whose address is not a valid addr-spec keeps no address at all.
    """
    try:
        return _parse_addresses(value)
    except Exception:
        log.warning("address parsing failed", exc_info=True)
        fallback = decode_header(value) if isinstance(value, str | bytes) else ""
        return (Address(fallback, ""),) if fallback else ()


def _parse_addresses(value: str | bytes) -> tuple[Address, ...]:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="surrogateescape")
    if _SURROGATES.search(value):
        # RFC 6532: raw UTF-8 headers reach us as surrogate escapes from email's parser;
        # decode the bytes so a reply goes to the real address, never to U+FFFD.
        value = decode_bytes(value.encode("utf-8", errors="surrogateescape"))
    value = _FOLD.sub("", value)[:_MAX_ADDRESS_HEADER]
    if not value.strip():
        return ()
    try:
        parsed = parse_address_list(value, comments=True, decode=decode_header)
    except AddressSyntaxError:
        parsed = None
    if parsed is not None:
        # Names are decoded once, by the parser (decoding twice would let an encoded
        # word smuggle another one in).
        return tuple(Address(a.name, clean_text(a.addr)) for a in parsed)
    # No "@" at all ("undisclosed-recipients", a bare name): no address to split out.
    result = _split_addresses(value) if "@" in value else []
    if not result and value.strip(" \t\"',;:<>()") and not _EMPTY_GROUP.fullmatch(value):
        # E.43: keep what the sender wrote visible rather than showing no one.
        result = [Address(decode_header(value), "")]
    return tuple(result)


_EMPTY_GROUP = re.compile(r"[^:]*:\s*;?\s*")


def _make_address(name: str, addr: str) -> Address:
    return Address(decode_header(name), clean_text(_SURROGATES.sub("\ufffd", addr)))


def _split_addresses(value: str) -> list[Address]:
    """Best effort for headers the stdlib rejects: split on commas outside quotes."""
    pieces: list[str] = []
    current: list[str] = []
    quoted = False
    depth = 0
    for ch in value:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "<(":
            depth += 1
        elif not quoted and ch in ">)" and depth:
            depth -= 1
        if ch in ",;" and not quoted and not depth:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    out: list[Address] = []
    for piece in pieces:
        piece = piece.strip()
        # Group syntax, RFC 5322 section 3.4: "name: member, member;" - drop the label.
        if ":" in piece and "<" not in piece.split(":", 1)[0] and '"' not in piece:
            piece = piece.split(":", 1)[1].strip()
        if not piece:
            continue
        angle = re.search(r"<([^<>]*)>", piece)
        if angle and is_addr_spec(angle.group(1).strip()) \
                and not piece[angle.end():].strip() and "<" not in piece[:angle.start()]:
            name = piece[: angle.start()].strip().strip('"').strip()
            out.append(_make_address(name, angle.group(1).strip()))
        elif is_addr_spec(piece.strip()):
            out.append(_make_address("", piece.strip()))
        else:
            # Not an address we could stand behind: shown as written, undecoded, and
            # nobody to reply to (RELIABILITY D.34: never assemble an address).
            out.append(Address(clean_text(_SURROGATES.sub("\ufffd", piece.strip('"'))), ""))
    return [a for a in out if a.name or a.addr]


# --- dates and ids -----------------------------------------------------------------------


def parse_date(value: str) -> int | None:
    """RFC 5322 section 3.3 date as epoch seconds (UTC); None when unparsable."""
    try:
        text = clean_text(str(value))[:200]
        if not text:
            return None
        parts = email.utils.parsedate_tz(text)
        stamp: int | None
        if parts is not None:
            # A date without a zone is read as UTC, not the local time (RFC 5322 4.3
            # "-0000" means unknown zone); mktime_tz would make the result host-dependent.
            stamp = calendar.timegm((*parts[:6], 0, 1, -1)) - (parts[9] or 0)
        else:
            stamp = _parse_iso(text)
        if stamp is None:
            return None
        # Year 1 to 9999: outside that range no datetime can show the value.
        if -62135596800 <= stamp <= 253402300799:
            return stamp
    except Exception:  # parsedate_tz raises on some inputs (bpo-45239 and friends).
        log.debug("unparsable date %r", value, exc_info=True)
    return None


def _parse_iso(text: str) -> int | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return calendar.timegm(parsed.timetuple())
    return int(parsed.timestamp())


_MSG_ID = re.compile(r"<([^<>]*)>")


def parse_message_ids(value: str) -> tuple[str, ...]:
    """The ``<id>`` values of References / In-Reply-To / Message-ID, without brackets."""
    try:
        text = _FOLD.sub("", str(value))
        ids = [re.sub(r"\s+", "", clean_text(m)) for m in _MSG_ID.findall(text)]
        if not ids:
            # Some mailers omit the brackets (RFC 5322 3.6.4 requires them).
            ids = [clean_text(t) for t in text.split() if "@" in t]
        seen: set[str] = set()
        out: list[str] = []
        for msg_id in ids:
            if msg_id and msg_id not in seen:
                seen.add(msg_id)
                out.append(msg_id)
        return tuple(out)
    except Exception:
        log.debug("unparsable message ids %r", value, exc_info=True)
        return ()
