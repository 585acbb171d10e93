"""What a ManageSieve NO means, as a sentence (RFC 5804 1.3 response codes).

A script the server refuses comes back as Pigeonhole-style text, one problem a line:
``line 2: error: expected end of command ';' ...``. Those are kept with their line
numbers so the raw view can mark them; an unknown ``require`` is told as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.sieve.wire import Response

_LINE = re.compile(r"^(?:[^:\n]*:\s*)?line (\d+)(?:[:,]\s*|\s+)(.*)$", re.IGNORECASE)
_SEVERITY = re.compile(r"^error:\s*", re.IGNORECASE)
_SUMMARY = re.compile(r"^error: (parse|validation) failed\.?$", re.IGNORECASE)
"""Pigeonhole's closing line after the real problems: nothing to show."""
_UNKNOWN_EXTENSION = re.compile(r"unknown Sieve capability [`'\"]([^`'\"]+)['`\"]",
                                re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ScriptProblem:
    line: int | None
    """1-based line of the script, or None when the server named none."""
    text: str


class SieveScriptError(ServerError):
    """The server refused a script (PUTSCRIPT/CHECKSCRIPT): its problems, by line."""

    def __init__(self, user_message: str, *, problems: tuple[ScriptProblem, ...],
                 server_text: str = "", code: str = "") -> None:
        super().__init__(user_message, server_text=server_text, code=code)
        self.problems = problems


class QuotaExceeded(ServerError):
    """HAVESPACE or PUTSCRIPT said no: too large, too many scripts (QUOTA/MAX*)."""


def problems_of(text: str) -> tuple[ScriptProblem, ...]:
    """Split the server's error text into problems with their line numbers."""
    found: list[ScriptProblem] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match:
            found.append(ScriptProblem(int(match.group(1)), _SEVERITY.sub(
                "", match.group(2).strip())))
        elif not _SUMMARY.match(line):
            found.append(ScriptProblem(None, line))
    return tuple(found)


def script_error(response: Response) -> SieveScriptError:
    problems = problems_of(response.text)
    extension = _UNKNOWN_EXTENSION.search(response.text)
    first = next((p for p in problems if p.line is not None), None)
    if extension:
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server does not support the Sieve extension “{extension}” that "
            "the rules need."), extension=extension.group(1))
    elif first is not None:
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server found an error in the rules at line {line}: {problem}"),
            line=first.line, problem=first.text)
    else:
        message = Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server refused the rules: {problem}"),
            problem=problems[0].text if problems else response.text)
    return SieveScriptError(message, problems=problems, server_text=response.text,
                            code=response.code)


def refused(response: Response, host: str, *, script: str = "") -> ServerError:
    """A NO to any command other than a script upload or check."""
    code = response.code.split("/")[0]
    text = response.text
    if code == "QUOTA":
        return QuotaExceeded(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "There is no room for the rules on {host}: the server's limit for "
            "filter scripts is reached."), host=host), server_text=text, code=response.code)
    if code == "NONEXISTENT":
        return ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The filter script “{script}” does not exist on {host}."),
            script=script, host=host), server_text=text, code=code)
    if code == "ALREADYEXISTS":
        return ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "A filter script named “{script}” already exists on {host}."),
            script=script, host=host), server_text=text, code=code)
    if code == "ACTIVE":
        return ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The filter script “{script}” is in use; another one must be made "
            "active first."), script=script), server_text=text, code=code)
    return ServerError(Sentence(QT_TRANSLATE_NOOP(
        "Errors", "The filter server {host} refused: {text}"), host=host, text=text),
        server_text=text, code=code)
