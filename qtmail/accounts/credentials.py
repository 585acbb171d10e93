"""Passwords live in the system keyring and nowhere else (RELIABILITY.md G)."""

from __future__ import annotations

import logging
from types import ModuleType
from typing import Any

from qtmail.core.errors import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

SERVICE = "qtmail"


def _keyring() -> ModuleType:
    """keyring, imported when first used: in a worker thread, after the window's first
    paint (its import and backend discovery take ~40 ms; issue 18)."""
    import keyring
    import keyring.backends.fail
    import keyring.backends.null
    import keyring.errors

    return keyring


class CredentialStore:
    """Looks up and saves passwords in the keyring.

    When no keyring backend works, passwords are kept in memory for this session only
    and ``keyring_missing`` says so; nothing is ever written to a plaintext file.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service
        self._session: dict[str, str] = {}
        self.keyring_missing = False
        self.last_problem = ""
        """A sentence for the user when the keyring could not be used."""

    @staticmethod
    def key(account: str, protocol: str = "imap") -> str:
        return f"{account}:{protocol}"

    def get(self, account: str, protocol: str = "imap") -> str | None:
        key = self.key(account, protocol)
        if key in self._session:
            return self._session[key]
        kr = _keyring()
        try:
            if not _stores_anything(kr.get_keyring()):
                self._note_missing()
                return None
            password: str | None = kr.get_password(self._service, key)
            return password
        except kr.errors.NoKeyringError:
            self._note_missing()
        except kr.errors.KeyringError as exc:
            # A locked keyring or a cancelled unlock: ask again on the next connect.
            self.last_problem = QT_TRANSLATE_NOOP(
                "Errors", "The system keyring could not be unlocked.")
            log.warning("keyring lookup failed: %s", type(exc).__name__)
        return None

    def set(self, account: str, password: str, protocol: str = "imap") -> bool:
        """Store a password; returns False when it is only kept for this session."""
        kr = _keyring()
        key = self.key(account, protocol)
        # Kept in memory too, whatever the keyring does: a keyring that accepts and
        # forgets (keyring's "null" backend) must not lose the password the user typed.
        self._session[key] = password
        try:
            if not _stores_anything(kr.get_keyring()):
                self._note_missing()
                return False
            kr.set_password(self._service, key, password)
            return True
        except kr.errors.NoKeyringError:
            self._note_missing()
        except kr.errors.KeyringError as exc:
            self.last_problem = QT_TRANSLATE_NOOP(
                "Errors", "The system keyring refused to save the password.")
            log.warning("keyring save failed: %s", type(exc).__name__)
        return False

    def can_remember(self) -> bool:
        """Whether a keyring that keeps passwords exists (may block: not on the GUI
        thread). Sets ``keyring_missing`` when none does."""
        kr = _keyring()
        try:
            stores = _stores_anything(kr.get_keyring())
        except kr.errors.KeyringError:
            stores = False
        if not stores:
            self._note_missing()
        return stores

    def remember_for_session(self, account: str, password: str, protocol: str = "imap") -> None:
        self._session[self.key(account, protocol)] = password

    def delete(self, account: str, *protocols: str) -> None:
        """Forget ``account``'s secrets: those of ``protocols``, or all of them (the
        passwords and the OAuth2 refresh token)."""
        kr = _keyring()
        for protocol in protocols or ("imap", "smtp", "oauth"):
            key = self.key(account, protocol)
            self._session.pop(key, None)
            try:
                kr.delete_password(self._service, key)
            except kr.errors.PasswordDeleteError:
                pass
            except kr.errors.KeyringError as exc:
                log.warning("keyring delete failed: %s", type(exc).__name__)

    def _note_missing(self) -> None:
        self.keyring_missing = True
        self.last_problem = (
            "No system keyring is available, so your password is kept only until "
            "qtmail closes."
        )


def _stores_anything(backend: Any) -> bool:
    """False for keyring's stand-ins when no real keyring exists: "fail" raises, "null"
    accepts and forgets (PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring)."""
    kr = _keyring()
    return not isinstance(backend, kr.backends.fail.Keyring | kr.backends.null.Keyring)
