"""A keyring backend for benchmarks that start qtmail in a process of their own: the
passwords come from QTMAIL_BENCH_PASSWORDS (JSON, key -> password) and nothing is
ever written. Chosen with PYTHON_KEYRING_BACKEND=bench_keyring.EnvironmentKeyring."""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend


class EnvironmentKeyring(KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        passwords: dict[str, str] = json.loads(os.environ.get("QTMAIL_BENCH_PASSWORDS", "{}"))
        return passwords.get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError("the benchmark keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError("the benchmark keyring is read-only")
