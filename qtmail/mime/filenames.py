"""Attachment file names that are safe to show and save, and saving without overwriting.

RELIABILITY F.49-F.51: a name chosen by the sender must never escape the folder the
user picked, replace an existing file, follow a planted symlink, or disguise its
extension with bidi controls.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 200
"""Common file systems allow 255 bytes; the rest leaves room for " (12)" suffixes."""

_MAX_EXTENSION_CHARS = 16
_MAX_UNIQUE_ATTEMPTS = 10_000

# Bidi embeddings/overrides/isolates and marks (U+202E turns "gpj.exe" into "exe.jpg"),
# zero-width characters, and the BOM: invisible, so they only ever deceive in a name.
_INVISIBLE = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# Characters Windows refuses in names; "/" and "\\" are handled as separators first.
_WINDOWS_INVALID = re.compile(r'[<>:"|?*]')
# Percent-encoded separators survive a naive RFC 2231 decode ("..%2F..%2Fetc%2Fx").
_ENCODED_SEPARATOR = re.compile(r"%(?:2f|5c)", re.IGNORECASE)
# Windows device names, also with an extension ("nul.txt") and superscript digits.
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)",
                       re.IGNORECASE)


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A basename that is safe on Windows, macOS and Linux; ``fallback`` when nothing is left."""
    cleaned = _clean(name if isinstance(name, str) else "")
    if not cleaned:
        cleaned = _clean(fallback) or "attachment"
    return cleaned


def _clean(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub(" ", text)
    text = _ENCODED_SEPARATOR.sub("/", text)
    # Basename only: the last component after any separator either OS uses.
    text = re.split(r"[/\\]", text)[-1]
    text = _WINDOWS_INVALID.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    # Leading dots hide the file (or mean ".." itself); Windows drops trailing dots/spaces.
    text = text.strip(" .")
    if not text:
        return ""
    stem = text.split(".", 1)[0].strip()
    if _RESERVED.fullmatch(stem):
        text = "_" + text
    return _truncate(text)


def _truncate(name: str, limit: int = MAX_NAME_BYTES) -> str:
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > _MAX_EXTENSION_CHARS:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = limit - len(suffix.encode("utf-8"))
    # Cut on a character boundary, never inside a UTF-8 sequence.
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return (cut or "attachment") + suffix


def _numbered(name: str, number: int) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > _MAX_EXTENSION_CHARS:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    tag = f" ({number})"
    budget = MAX_NAME_BYTES - len((tag + suffix).encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return f"{cut}{tag}{suffix}"


def save_bytes(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as a new file in ``directory``; returns the path actually written.

    The name is sanitised; an existing file or symlink of that name is left alone and
    "name (2).ext" is used instead (O_CREAT|O_EXCL never follows a symlink, POSIX
    open(2)). Raises OSError when the folder cannot be written.
    """
    folder = Path(directory).resolve(strict=True)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    base = safe_filename(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(1, _MAX_UNIQUE_ATTEMPTS + 1):
        candidate = base if attempt == 1 else _numbered(base, attempt)
        target = folder / candidate
        # Belt and braces on top of safe_filename: the parent must be the chosen folder.
        if target.parent != folder or os.path.commonpath([folder, target]) != str(folder):
            raise PermissionError(f"refusing to write outside {folder}")
        try:
            fd = os.open(target, flags, 0o644)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
    raise FileExistsError(f"no free name for {base!r} in {folder}")
