"""Sieve's lexical and command syntax (RFC 5228 section 2, 8), keeping source positions.

The parser finds each top-level statement's exact span in the text, so that a script
can be split into pieces that are written back byte for byte when nobody changed them.
Comments are kept as tokens: Roundcube's ``if false # <test>`` needs the comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<hash>\#[^\n]*)
  | (?P<bracket>/\*.*?\*/)
  | (?P<text>text:[ \t]*(?:\#[^\n]*)?\r?\n(?:.*?\r?\n)??\.\r?\n)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<number>[0-9]+[KkMmGg]?)
  | (?P<tag>:[A-Za-z_][A-Za-z0-9_]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<special>[\[\](){},;])
""", re.VERBOSE | re.DOTALL)


class SieveSyntaxError(ValueError):
    """Text that is not Sieve (the server's CHECKSCRIPT gives the user-facing error)."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    """ws, hash, bracket (comments), text, string, number, tag, ident, special."""
    text: str
    start: int
    end: int

    @property
    def value(self) -> str:
        """A string's value: escapes removed (RFC 5228 2.4.2), dot-stuffing undone."""
        if self.kind == "string":
            return re.sub(r"\\(.)", r"\1", self.text[1:-1], flags=re.DOTALL)
        if self.kind == "text":
            body = self.text.split("\n", 1)[1]
            body = body[:body.rfind(".")]
            lines = body.split("\n")
            return "\n".join(line[1:] if line.startswith("..") else line for line in lines
                             ).replace("\r\n", "\n")
        return self.text


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise SieveSyntaxError(f"unexpected text at offset {pos}: {source[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(), pos, match.end()))
        pos = match.end()
    return tokens


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    """With its colon, lower-case: ":contains"."""


Argument = str | int | list[str] | Tag


@dataclass(slots=True)
class Test:
    name: str
    arguments: list[Argument] = field(default_factory=list)
    tests: list[Test] = field(default_factory=list)
    comment_after: str = ""
    """A ``#`` comment on the same line right after this test (Roundcube's disabled rules)."""


@dataclass(slots=True)
class Command:
    name: str
    arguments: list[Argument] = field(default_factory=list)
    tests: list[Test] = field(default_factory=list)
    block: list[Command] | None = None
    start: int = 0
    end: int = 0
    """Offsets of the command in the source: from its name to its ``;`` or ``}``."""


def _number(text: str) -> int:
    scale = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}.get(text[-1].upper(), 1)
    return int(text.rstrip("KkMmGg")) * scale


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.all = tokens
        self.tokens = [t for t in tokens if t.kind not in ("ws", "hash", "bracket")]
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, kind: str | None = None, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (kind and token.kind != kind) or (text and token.text != text):
            found = token.text if token else "the end"
            raise SieveSyntaxError(f"expected {text or kind}, found {found}")
        self.i += 1
        return token

    def commands(self, until: str | None) -> list[Command]:
        found: list[Command] = []
        while (token := self.peek()) is not None and not (until and token.text == until):
            found.append(self.command())
        return found

    def command(self) -> Command:
        name = self.take("ident")
        command = Command(name.text.lower(), start=name.start)
        command.arguments, command.tests = self.arguments()
        token = self.take("special")
        if token.text == "{":
            command.block = self.commands("}")
            token = self.take("special", "}")
        elif token.text != ";":
            raise SieveSyntaxError(f"expected ; or {{ after {name.text}")
        command.end = token.end
        return command

    def arguments(self) -> tuple[list[Argument], list[Test]]:
        arguments: list[Argument] = []
        tests: list[Test] = []
        while (token := self.peek()) is not None:
            if token.kind in ("string", "text"):
                arguments.append(self.take().value)
            elif token.kind == "number":
                arguments.append(_number(self.take().text))
            elif token.kind == "tag":
                arguments.append(Tag(self.take().text.lower()))
            elif token.text == "[":
                arguments.append(self.string_list())
            else:
                break
        token = self.peek()
        if token is not None and token.text == "(":
            tests = self.test_list()
        elif token is not None and token.kind == "ident":
            tests = [self.test()]
        return arguments, tests

    def string_list(self) -> list[str]:
        self.take("special", "[")
        values = [self.take("string").value]
        while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
            self.take()
            values.append(self.take("string").value)
        self.take("special", "]")
        return values

    def test_list(self) -> list[Test]:
        self.take("special", "(")
        tests = [self.test()]
        while self.peek() is not None and self.peek().text == ",":  # type: ignore[union-attr]
            self.take()
            tests.append(self.test())
        self.take("special", ")")
        return tests

    def test(self) -> Test:
        name = self.take("ident")
        test = Test(name.text.lower())
        test.arguments, test.tests = self.arguments()
        last = self.tokens[self.i - 1]
        test.comment_after = self._same_line_comment(last)
        return test

    def _same_line_comment(self, after: Token) -> str:
        index = next(i for i, t in enumerate(self.all) if t.start == after.start)
        for token in self.all[index + 1:]:
            if token.kind == "hash":
                return token.text[1:].strip()
            if token.kind != "ws" or "\n" in token.text:
                return ""
        return ""


def parse(source: str) -> list[Command]:
    """The top-level commands of a script, each with its span; raises SieveSyntaxError."""
    parser = _Parser(tokenize(source))
    return parser.commands(None)


def parse_test(source: str) -> Test:
    """One test, e.g. the text of Roundcube's ``if false # <test>`` comment."""
    parser = _Parser(tokenize(source))
    test = parser.test()
    if parser.peek() is not None:
        raise SieveSyntaxError("text after the test")
    return test
