"""A real Secret Service for keyring tests (issue 13 item 5): gnome-keyring-daemon on a
private session bus, its keyrings in a temporary home. Never the user's keyring or bus.

States a user meets: ``unlocked`` (logged in), ``locked`` (``lock()``: the screen was
locked, the keyring closed), and ``absent`` (a bus without the service: ``Bus`` alone).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.SecretService
import pytest

from helpers.session_bus import Bus

SECRETS = "org.freedesktop.secrets"
"""The Secret Service's bus name (freedesktop.org Secret Service API)."""


def require_gnome_keyring() -> None:
    """Skip where gnome-keyring is not installed; CI must have it (scripts/test)."""
    import os

    if shutil.which("gnome-keyring-daemon") and shutil.which("dbus-daemon"):
        return
    message = "gnome-keyring-daemon or dbus-daemon is missing: scripts/test installs them"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class SecretService:
    """gnome-keyring-daemon's Secret Service on ``bus``, unlocked with ``password``."""

    def __init__(self, bus: Bus, tmp: Path, password: str = "login-keyring-password") -> None:
        home = tmp / "keyring-home"
        runtime = tmp / "keyring-run"
        for folder in (home, runtime):
            folder.mkdir(mode=0o700, exist_ok=True)
        env = {**bus.env, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
               "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(home / "config")}
        # --unlock reads the login keyring's password from standard input and creates
        # the keyring with it the first time: unlocked, as after a desktop login.
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env)
        assert daemon.stdin is not None
        daemon.stdin.write(password.encode())
        daemon.stdin.close()
        bus.others.append(daemon)
        bus.wait_for_name(SECRETS)
        self.bus = bus

    @contextlib.contextmanager
    def _collection(self) -> Iterator[object]:
        import secretstorage
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(bus=self.bus.address) as connection:
            yield secretstorage.get_default_collection(connection)

    def lock(self) -> None:
        """Lock the login keyring, as a screen lock or "lock keyring" does."""
        with self._collection() as collection:
            collection.lock()  # type: ignore[attr-defined]
            assert collection.is_locked()  # type: ignore[attr-defined]

    def stored(self, service: str, username: str) -> str | None:
        """What the keyring holds for ``service``/``username`` (read while unlocked)."""
        with self._collection() as collection:
            for item in collection.search_items(  # type: ignore[attr-defined]
                    {"service": service, "username": username}):
                return bytes(item.get_secret()).decode()
        return None


def use_secret_service(bus: Bus, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's keyring calls go to ``bus``'s Secret Service, through keyring's
    own backend (the test's in-memory keyring is replaced until the test ends)."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    keyring.set_keyring(keyring.backends.SecretService.Keyring())


def forget_connections() -> None:
    """keyring's Secret Service backend opens a D-Bus connection per call and leaves it
    to the garbage collector; collect them now, quietly, so that their ResourceWarning
    does not surface in whichever test runs next."""
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
