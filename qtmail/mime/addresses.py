"""A strict RFC 5322 section 3.4 address-list parser of our own.

The standard library's ``getaddresses`` is lenient: it turns ``a@b@c``, ``alice@x <bob@y>``
or a comment inside a local part into *some* address, and its ``strict=True`` mode
(CVE-2023-27043) exists only on newer patch releases, so the same header would give
different recipients on different Pythons. This parser decides alone and the same way
everywhere; tests/unit/test_mime_addresses.py pins it with vectors.

What it accepts: ``mailbox`` (``addr-spec`` or ``[phrase] <addr-spec>``) and ``group``
lists, separated by commas (empty elements allowed, RFC 5322 4.4 obs-addr-list), the
obs-phrase "." in names ("John Q. Public"), RFC 6532 UTF-8 in atoms and quoted strings,
and comments (CFWS) only when ``comments=True``. What it refuses: anything else, in
particular a stray ``@``, a ``(``, ``<`` or ``@`` inside a local part, and two mailboxes
without a comma between them. Encoded words (RFC 2047) are decoded in display names only,
*after* the structure is known, so whatever they decode to (quotes, brackets, commas,
CR, LF, NUL) can never change which address a name belongs to (RELIABILITY D.34).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qtmail.core.types import Address

MAX_HEADER = 64 * 1024
"""Longer values are refused: no real address list is this long."""


class AddressSyntaxError(ValueError):
    """The value is not a valid address list; ``reason`` is a short key for messages."""

    def __init__(self, reason: str, position: int) -> None:
        super().__init__(f"{reason} at {position}")
        self.reason = reason
        self.position = position


# RFC 5322 3.2.3 atext, extended by RFC 6532 3.2 to every non-ASCII character except
# C1 controls (invisible, and never part of a real name or address). Spelt as what it
# is not, the same set as [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u00a0-\U0010ffff] (a test
# checks every code point): that spelling took 2 ms to compile at start-up (issue 18).
_ATEXT = re.compile(r"[^\x00-\x20\"(),.:;<>@\[\\\]\x7f-\x9f]+")
# An RFC 2047 encoded word is one token even when its text holds specials (":" or "@"
# in Q text is not allowed in a phrase, RFC 2047 5(3), but senders write it).
_ENCODED_WORD = re.compile(r"=\?[^?\s]{1,60}\?[bBqQ]\?[^?\s]{0,2000}\?=")
# RFC 5322 3.2.4 qtext plus WSP inside quotes; quoted-pair is handled by the loop.
_QTEXT = re.compile(r"[^\"\\\x00-\x08\x0a-\x1f\x7f\x80-\x9f]+")
_WSP = re.compile(r"[ \t\r\n]+")
# Characters that have no business in a quoted local part we would deliver to: they
# make "several addresses in one" look-alikes ("a<b@c>"@d, "x(y)"@z).
_LOCAL_FORBIDDEN = re.compile(r"[@<>(),;:\\\[\]\"\t]")


def parse_address_list(value: str, *, comments: bool = True, groups: bool = True,
                       decode: Callable[[str], str] = str.strip) -> tuple[Address, ...]:
    """Every mailbox of ``value`` (group members flattened), or AddressSyntaxError.

    ``comments=False`` additionally refuses RFC 5322 comments anywhere (the composer's
    rule: a recipient is exactly what the user sees), ``groups=False`` group syntax (a
    label that names no one has no place in a recipient field). ``decode`` turns a display name as
    written into display text (headers.decode_header for received mail).
    """
    if len(value) > MAX_HEADER:
        raise AddressSyntaxError("too-long", MAX_HEADER)
    parser = _Parser(value, comments, decode)
    parser.groups = groups
    return tuple(parser.address_list())


def is_addr_spec(addr: str) -> bool:
    """Whether ``addr`` alone is a valid RFC 5322 addr-spec (no name, no brackets)."""
    try:
        parser = _Parser(addr, False, str.strip)
        local, domain = parser.addr_spec()
        return parser.at_end() and bool(local and domain)
    except AddressSyntaxError:
        return False


class _Parser:
    def __init__(self, text: str, comments: bool, decode: Callable[[str], str]) -> None:
        self.text = text
        self.decode = decode
        self.pos = 0
        self.comments = comments
        self.comment_text: list[str] = []
        self.groups = True

    # -- lexical ---------------------------------------------------------------------
    def fail(self, reason: str) -> AddressSyntaxError:
        return AddressSyntaxError(reason, self.pos)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_end(self) -> bool:
        self.skip_cfws()
        return self.pos >= len(self.text)

    def skip_cfws(self) -> None:
        while True:
            match = _WSP.match(self.text, self.pos)
            if match:
                self.pos = match.end()
            if self.peek() != "(":
                return
            if not self.comments:
                raise self.fail("comment")
            self.comment_text.append(self.comment())

    def comment(self) -> str:
        # RFC 5322 3.2.2: comments nest and may hold quoted-pairs.
        start = self.pos
        depth = 0
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            self.pos += 1
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return self.text[start + 1:self.pos - 1].strip()
        raise self.fail("unclosed-comment")

    def quoted_string(self) -> str:
        self.pos += 1  # the opening quote
        out: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == '"':
                self.pos += 1
                return "".join(out)
            if ch == "\\":
                if self.pos + 1 >= len(self.text):
                    break
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            match = _QTEXT.match(self.text, self.pos)
            if match is None:
                raise self.fail("control-character")
            out.append(match.group(0))
            self.pos = match.end()
        raise self.fail("unclosed-quote")

    def atom(self) -> str:
        match = _ENCODED_WORD.match(self.text, self.pos) or _ATEXT.match(self.text, self.pos)
        if match is None:
            return ""
        self.pos = match.end()
        return match.group(0)

    # -- grammar ---------------------------------------------------------------------
    def address_list(self) -> list[Address]:
        out: list[Address] = []
        while True:
            self.skip_cfws()
            if self.pos >= len(self.text):
                return out
            if self.peek() == ",":  # RFC 5322 4.4: empty list elements are obsolete, legal
                self.pos += 1
                continue
            out.extend(self.address())
            self.skip_cfws()
            if self.pos >= len(self.text):
                return out
            if self.peek() != ",":
                raise self.fail("missing-comma" if self.peek() != "@" else "stray-at")
            self.pos += 1

    def address(self) -> list[Address]:
        start = self.pos
        self.comment_text = []
        words = self.phrase()
        self.skip_cfws()
        ch = self.peek()
        if ch == "<":
            return [self.angle_addr(words)]
        if ch == ":" and words:
            if not self.groups:
                raise self.fail("group")
            return self.group()
        # No phrase-then-bracket: it must be a bare addr-spec; parse it again from the top.
        self.pos = start
        self.comment_text = []
        local, domain = self.addr_spec()
        self.skip_cfws()
        name = " ".join(self.comment_text)  # "a@b (Name)": the old comment convention
        return [Address(self.decode(name), f"{local}@{domain}")]

    def phrase(self) -> list[tuple[str, bool]]:
        """Words of a display name: (text, space before it); obs-phrase allows "."."""
        words: list[tuple[str, bool]] = []
        while True:
            before = self.pos
            self.skip_cfws()
            spaced = self.pos > before
            ch = self.peek()
            if ch == '"':
                words.append((self.quoted_string(), spaced))
            elif ch == "." and words:
                self.pos += 1
                words.append((".", spaced))
            else:
                atom = self.atom()
                if not atom:
                    return words
                words.append((atom, spaced))

    def angle_addr(self, words: list[tuple[str, bool]]) -> Address:
        self.pos += 1  # "<"
        self.skip_cfws()
        local, domain = self.addr_spec()
        self.skip_cfws()
        if self.peek() != ">":
            raise self.fail("stray-at" if self.peek() == "@" else "unclosed-angle")
        self.pos += 1
        return Address(self.decode(_join_phrase(words)), f"{local}@{domain}")

    def group(self) -> list[Address]:
        # RFC 5322 3.4: display-name ":" [group-list] ";" - the label names no one.
        self.pos += 1
        members: list[Address] = []
        while True:
            self.skip_cfws()
            ch = self.peek()
            if ch == ";":
                self.pos += 1
                return members
            if not ch:  # a missing ";" at the very end is common and harmless
                return members
            if ch == ",":
                self.pos += 1
                continue
            members.extend(a for a in self.address() if a.addr)
            self.skip_cfws()
            if self.peek() not in (",", ";", ""):
                raise self.fail("missing-comma")

    def addr_spec(self) -> tuple[str, str]:
        self.skip_cfws()
        if self.peek() == '"':
            local = self.quoted_string()
            if not local or _LOCAL_FORBIDDEN.search(local):
                raise self.fail("bad-local-part")
            local = '"' + local + '"'
        else:
            local = self.dot_atom("bad-local-part")
        self.skip_cfws()
        if self.peek() != "@":
            raise self.fail("no-at" if self.peek() != "(" else "comment")
        self.pos += 1
        self.skip_cfws()
        if self.peek() == "[":
            end = self.text.find("]", self.pos)
            literal = self.text[self.pos:end + 1] if end > 0 else ""
            if not re.fullmatch(r"\[[\x21-\x5a\x5e-\x7e]*\]", literal):
                raise self.fail("bad-domain")
            self.pos = end + 1
            return local, literal
        return local, self.dot_atom("bad-domain")

    def dot_atom(self, reason: str) -> str:
        # RFC 5322 3.2.3: atoms joined by single dots; no leading, trailing or double dot.
        parts = [self.plain_atom()]
        while self.peek() == ".":
            self.pos += 1
            parts.append(self.plain_atom())
        if not all(parts):
            raise self.fail(reason)
        return ".".join(parts)

    def plain_atom(self) -> str:
        match = _ATEXT.match(self.text, self.pos)
        if match is None:
            return ""
        self.pos = match.end()
        return match.group(0)


def _join_phrase(words: list[tuple[str, bool]]) -> str:
    # Words keep the spacing they were written with ("J.R. Smith" stays as is).
    out = ""
    for text, spaced in words:
        out += (" " if spaced and out else "") + text
    return out
