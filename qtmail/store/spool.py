"""The outgoing spool: the Outbox's big pieces in files beside the cache (schema 10).

Issue 18 (goal 3): a message with a 10 MB attachment made a 27 MB Outbox row (the
built message and the draft with its attachment), and every insert, state change,
read and delete of it held the account's worker for 40-120 ms. Its bytes now go to
files named by a random token, written and fsynced on the send lane (``put``, as
``.partial`` files), then given their final names by the worker (``adopt``, a rename
and a directory fsync) just before the row that names them commits (RELIABILITY.md H:
what exists only locally is written with synchronous=FULL "or its own fsynced file");
the row stays small, so its state changes are cheap. A file no row refers to any more
is removed by ``sweep``: after sending, after the Sent copy was appended, and at start
(also the partial files of a crash between the files and the row). A sweep on the
worker never takes the partial files of a message a lane is writing meanwhile.

Unlike the rest of the store this holds no SQLite connection: a Spool may be used
from any thread (each call works on files of its own token).
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from collections.abc import Collection, Mapping
from pathlib import Path

from qtmail.core.errors import QT_TRANSLATE_NOOP, StorageError

log = logging.getLogger(__name__)

MESSAGE = "eml"
"""The built message, as sent and appended to Sent (never rename: files on disk)."""
DRAFT = "draft"
"""The Draft as JSON, attachments included (Undo send gives it back)."""

_PARTIAL = ".partial"


def spool_for(cache: Path) -> Spool:
    """The spool of the cache file ``cache``: a directory beside it, so it moves aside
    and is rescued with it (the directory name never changes)."""
    return Spool(Path(f"{cache}.outgoing"))


class Spool:
    """Files ``<token>.<part>`` in one private directory (0700, files 0600)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, parts: Mapping[str, bytes]) -> str:
        """Write ``parts`` ({part: bytes}) as partial files under a new token, each
        fsynced, and return the token (any thread; the long part of the work)."""
        self._make_directory()
        token = secrets.token_hex(16)
        try:
            for part, data in parts.items():
                fd = os.open(self._partial(token, part), os.O_WRONLY | os.O_CREAT
                             | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
                with open(fd, "wb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
        except OSError as error:
            self.remove(token)
            raise _storage_error(error) from error
        return token

    def adopt(self, token: str, parts: Collection[str]) -> None:
        """Give ``put``'s files their final names, durably (the directory fsynced), so
        they are on disk under those names before a row naming ``token`` commits."""
        try:
            for part in parts:
                os.replace(self._partial(token, part), self._file(token, part))
            self._sync_directory()
        except OSError as error:
            raise _storage_error(error) from error

    def read(self, token: str, part: str = MESSAGE) -> bytes:
        try:
            return self._file(token, part).read_bytes()
        except OSError as error:
            raise _storage_error(error) from error

    def head(self, token: str, size: int = 65536, part: str = MESSAGE) -> bytes:
        """The first ``size`` bytes (a message's header, without reading its body)."""
        try:
            with self._file(token, part).open("rb") as file:
                return file.read(size)
        except OSError as error:
            raise _storage_error(error) from error

    def remove(self, token: str) -> None:
        """Every file of ``token`` (finished or not); missing files are no error."""
        if not self.directory.is_dir():
            return
        for path in self.directory.glob(f"{token}.*"):
            try:
                path.unlink()
            except OSError as error:
                log.warning("Could not remove %s: %s", path, error)

    def sweep(self, keep: Collection[str], *, partial: bool = False) -> int:
        """Remove the files of every token not in ``keep``; returns how many tokens.
        Partial files (a message a lane may be writing now) only with ``partial``
        (at start, when no lane has begun)."""
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return 0
        except OSError as error:
            log.warning("Could not list %s: %s", self.directory, error)
            return 0
        writing = set() if partial else \
            {name.split(".", 1)[0] for name in names if name.endswith(_PARTIAL)}
        stale = {name.split(".", 1)[0] for name in names} - set(keep) - writing
        for token in stale:
            self.remove(token)
        return len(stale)

    def _file(self, token: str, part: str) -> Path:
        # Tokens and parts are our own (hex, fixed names): never a path from elsewhere.
        if not token.isalnum() or not part.isalnum():
            raise ValueError(f"bad spool name {token!r}.{part!r}")
        return self.directory / f"{token}.{part}"

    def _partial(self, token: str, part: str) -> Path:
        return self._file(token, part).with_suffix(f".{part}{_PARTIAL}")

    def _make_directory(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise _storage_error(error) from error

    def _sync_directory(self) -> None:
        if os.name == "nt":
            return  # no directory handles there; NTFS journals the rename itself
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _storage_error(error: OSError) -> StorageError:
    # The sentences SQLite's own failures get (store/db.py): nothing new to translate.
    if error.errno == errno.ENOSPC:
        text = QT_TRANSLATE_NOOP(
            "Errors", "The local mail cache could not be written: the disk may be full.")
    else:
        text = QT_TRANSLATE_NOOP(
            "Errors",
            "The local mail cache could not be read or written: the disk reported an error.")
    return StorageError(text, detail=str(error))
