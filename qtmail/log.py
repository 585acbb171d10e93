"""Logging setup: a ring buffer for problem reports and redaction of secrets everywhere."""

from __future__ import annotations

import collections
import logging
import re
from pathlib import Path

# RFC 3501 6.2.3 LOGIN and 6.2.2 AUTHENTICATE carry credentials; so may SMTP AUTH.
_SECRET_PATTERNS = (
    re.compile(r"(?i)(\bLOGIN\s+\S+\s+)(\S+)"),
    re.compile(r"(?i)(\bAUTHENTICATE\s+\S+\s+)(\S+)"),
    re.compile(r"(?i)(\bAUTH\s+(?:PLAIN|LOGIN)\s+)(\S+)"),
    re.compile(r"(?i)(password[\"']?\s*[:=]\s*[\"']?)([^\s\"',}]+)"),
)


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1<redacted>", text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites every record's final message with secrets removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RingBuffer(logging.Handler):
    """Keeps the last lines of the log in memory for the problem dialog."""

    def __init__(self, capacity: int = 500) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def tail(self) -> str:
        return "\n".join(self.lines)


FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def setup(log_dir: Path | None, *, verbose: bool = False) -> RingBuffer:
    """Configure the root logger once; returns the ring buffer for problem reports."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "qtmail_owned", False):  # set up again (tests, --home)
            root.removeHandler(handler)
            handler.close()
    ring = RingBuffer()
    ring.qtmail_owned = True  # type: ignore[attr-defined]
    ring.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(ring)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_dir / "qtmail.log", encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(RedactingFilter())
        handler.qtmail_owned = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return ring
