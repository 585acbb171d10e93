"""Folder paths as the user sees them, whatever the server's hierarchy delimiter and
personal namespace (issue 16): the tree, the "new folder" prompt and the commands that
create folders agree on one mapping."""

from __future__ import annotations

from collections.abc import Sequence

from qtmail.core.types import FolderInfo


def personal_prefix(folders: Sequence[FolderInfo]) -> str:
    """"INBOX." (with the server's delimiter) where the user's folders live below INBOX,
    the personal namespace of Courier, Cyrus and many hosts (RFC 2342 5); "" otherwise.
    Told by the folders themselves: every folder but INBOX lies below it."""
    inbox = next((f for f in folders if f.name.upper() == "INBOX"), None)
    others = [f for f in folders if f.name.upper() != "INBOX"]
    if inbox is None or not inbox.delimiter or not others:
        return ""
    prefix = "INBOX" + inbox.delimiter
    return prefix if all(f.name.startswith(prefix) for f in others) else ""


def display_path(name: str, delimiter: str | None, prefix: str) -> str:
    """The path a user reads and types: no namespace prefix, "/" between levels."""
    if prefix and name.startswith(prefix):
        name = name[len(prefix):]
    return name.replace(delimiter, "/") if delimiter and delimiter != "/" else name


def server_path(typed: str, delimiter: str | None, prefix: str) -> str:
    """The server's name for a path the user typed with "/" (a new folder): the
    server's delimiter, inside the personal namespace."""
    name = typed.strip().strip("/")
    if delimiter and delimiter != "/":
        name = name.replace("/", delimiter)
    if prefix and name.upper() != "INBOX" and not name.startswith(prefix):
        name = prefix + name
    return name
