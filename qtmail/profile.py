"""Where a profile lives: platformdirs by default, or one directory (--home / QTMAIL_HOME)."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "qtmail"
HOME_ENV = "QTMAIL_HOME"


def _private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


@dataclass(frozen=True)
class Profile:
    """The folders of one qtmail profile. Created 0700 (RELIABILITY.md H.58)."""

    config_dir: Path
    data_dir: Path

    @classmethod
    def at(cls, home: Path) -> Profile:
        """A portable profile: everything below one directory."""
        home = home.expanduser().resolve()
        return cls(config_dir=home / "config", data_dir=home / "data")

    @classmethod
    def default(cls, environ: dict[str, str] | os._Environ[str] | None = None) -> Profile:
        env = os.environ if environ is None else environ
        if env.get(HOME_ENV):
            return cls.at(Path(env[HOME_ENV]))
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        )

    def ensure(self) -> Profile:
        for path in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            _private_dir(path)
        return self

    @property
    def accounts_file(self) -> Path:
        return self.config_dir / "accounts.json"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "qtmail.ini"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def cache_file(self, account: str) -> Path:
        """The SQLite cache of one account; the name is made filesystem-safe."""
        slug = re.sub(r"[^A-Za-z0-9._-]", "_", account).strip("._")[:40] or "account"
        # The digest keeps "a b" and "a_b" apart.
        digest = hashlib.sha256(account.encode("utf-8")).hexdigest()[:8]
        return self.cache_dir / f"{slug}-{digest}.sqlite3"
