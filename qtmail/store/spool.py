"""The outgoing spool: the Outbox's big pieces in files beside the cache (schema 10).

Issue 18 (goal 3): a message with a 10 MB attachment made a 27 MB Outbox row (the
built message and the draft with its attachment), and every insert, state change,
read and delete of it held the account's worker for 40-120 ms. Its bytes now go to
files named by a random token, written, fsynced and named durably on the send lane
(``put``) before the row that names them commits (RELIABILITY.md H: what exists only
locally is written with synchronous=FULL "or its own fsynced file"); the row stays
small, so its state changes are cheap. A file no row refers to any more is removed by
``sweep``: after sending, after the Sent copy was appended, and at start (the files of
a crash between the files and the row). Until its row names it (``claim``) a token is
kept from every sweep: a lane may have just written it.

Unlike the rest of the store this holds no SQLite connection: a Spool may be used
from any thread (each call works on files of its own token; the unclaimed tokens are
guarded by a lock). One per cache (``Store.spool``), like its one writer.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import threading
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
        self._lock = threading.Lock()
        self._unclaimed: set[str] = set()
        """Tokens ``put`` wrote whose row is not stored yet: no sweep takes them."""

    def put(self, parts: Mapping[str, bytes]) -> str:
        """Write ``parts`` ({part: bytes}) durably under a new token and return it: each
        file is fsynced, renamed into place, and the directory fsynced, so the files
        are on disk before a row naming the token commits (any thread: the long part
        of the work). The token is unclaimed until ``claim``."""
        self._make_directory()
        token = secrets.token_hex(16)
        with self._lock:
            self._unclaimed.add(token)
        try:
            for part, data in parts.items():
                partial = self._partial(token, part)
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o600)
                with open(fd, "wb") as file:
                    file.write(data)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(partial, self._file(token, part))
            self._sync_directory()
        except OSError as error:
            self.claim(token)
            self.remove(token)
            raise _storage_error(error) from error
        return token

    def claim(self, token: str) -> None:
        """A row names ``token`` now (or never will): sweeps judge it by the rows."""
        with self._lock:
            self._unclaimed.discard(token)

    def read(self, token: str, part: str = MESSAGE) -> bytes:
        """Raises SpoolFileMissing when the file is gone (removed by hand or by a
        cleaning tool): no retry can bring it back."""
        try:
            return self._file(token, part).read_bytes()
        except FileNotFoundError as error:
            raise SpoolFileMissing(QT_TRANSLATE_NOOP(
                "Errors", "The message's copy kept on this computer is missing (the file "
                "was removed), so this cannot be done."), detail=str(error)) from error
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

    def sweep(self, keep: Collection[str]) -> int:
        """Remove the files of every token not in ``keep`` and not unclaimed; returns
        how many tokens."""
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return 0
        except OSError as error:
            log.warning("Could not list %s: %s", self.directory, error)
            return 0
        with self._lock:
            writing = set(self._unclaimed)
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


class SpoolFileMissing(StorageError):
    """A spool file a row names is gone: the work that needs it fails for good (a
    transient StorageError, a full disk say, is retried instead)."""


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
