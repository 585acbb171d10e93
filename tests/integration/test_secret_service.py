"""CredentialStore against a real Secret Service (issue 13 item 5): gnome-keyring-daemon
on a private bus, unlocked, locked and absent. Nothing here touches the desktop keyring.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.SecretService
import pytest
from helpers.secret_service import (
    SecretService,
    forget_connections,
    require_gnome_keyring,
    use_secret_service,
)
from helpers.session_bus import Bus

from qtmail.accounts.credentials import SERVICE, CredentialStore

# keyring's Secret Service backend leaves each call's D-Bus socket to the garbage
# collector (keyring 25, backends/SecretService.py): not ours to close.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

QUICK_S = 5.0
"""A locked or missing keyring answers at once: never a hang waiting for a prompt."""


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[Bus]:
    require_gnome_keyring()
    made = Bus(tmp_path, activation=False)  # never a keyring started on demand
    yield made
    made.stop()
    forget_connections()


@pytest.fixture
def secrets(bus: Bus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SecretService:
    service = SecretService(bus, tmp_path)
    use_secret_service(bus, monkeypatch)
    return service


def test_unlocked_keyring_keeps_the_passwords_across_starts(secrets: SecretService) -> None:
    store = CredentialStore()
    assert store.can_remember()
    assert store.set("work", "pässword one")
    assert store.set("work", "smtp secret", "smtp")
    assert secrets.stored(SERVICE, "work:imap") == "pässword one"  # in the real keyring

    later = CredentialStore()  # the next start: nothing in memory
    assert later.get("work") == "pässword one"
    assert later.get("work", "smtp") == "smtp secret"
    assert not later.keyring_missing and not later.last_problem

    later.delete("work")
    assert secrets.stored(SERVICE, "work:imap") is None
    assert secrets.stored(SERVICE, "work:smtp") is None
    assert CredentialStore().get("work") is None


def test_locked_keyring_is_said_quickly_and_the_typed_password_holds(
        secrets: SecretService) -> None:
    assert CredentialStore().set("work", "kept before the lock")
    secrets.lock()

    store = CredentialStore()
    started = time.monotonic()
    assert store.get("work") is None
    assert time.monotonic() - started < QUICK_S
    assert store.last_problem == "The system keyring could not be unlocked."
    assert not store.keyring_missing  # there is one: it is locked, not absent

    started = time.monotonic()
    assert not store.set("work", "typed into the prompt")
    assert time.monotonic() - started < QUICK_S
    assert store.get("work") == "typed into the prompt"  # for this session


def test_absent_secret_service_means_no_keyring_and_memory_only(
        bus: Bus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A desktop session bus without a Secret Service (a bare X server, a minimal WM).
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no keyringrc.cfg
    # keyring's own choice, as at qtmail's start, among its real backends (this test
    # process also knows the in-memory one the other tests use).
    # (get_all_keyring() is computed once per process: ask the classes again.)
    real = [kind() for kind in keyring.backend.KeyringBackend.get_viable_backends()
            if kind.__module__.startswith("keyring.backends.")
            and kind is not keyring.backends.chainer.ChainerBackend]
    assert not any(isinstance(backend, keyring.backends.SecretService.Keyring)
                   for backend in real)  # it says it cannot work here
    chosen = max(real, key=keyring.backend.by_priority, default=None)
    keyring.set_keyring(chosen or keyring.backends.fail.Keyring())

    store = CredentialStore()
    started = time.monotonic()
    assert not store.can_remember()
    assert store.get("work") is None
    assert store.keyring_missing
    assert "No system keyring is available" in store.last_problem
    assert not store.set("work", "typed")
    assert store.get("work") == "typed"
    assert time.monotonic() - started < QUICK_S
