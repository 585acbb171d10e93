"""Fixtures for engine-level integration tests: an account on a fresh Dovecot mailbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.dovecot import DovecotServer, MailUser
from helpers.engine import EngineHarness

pytestmark = pytest.mark.dovecot


@pytest.fixture
def harness_factory(tmp_path: Path) -> Iterator[Callable[..., EngineHarness]]:
    made: list[EngineHarness] = []

    def make(user: MailUser, path: Path | None = None, **settings: object) -> EngineHarness:
        harness = EngineHarness(user, path or tmp_path / f"cache{len(made)}.sqlite3",
                                **settings)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


@pytest.fixture
def harness(mail_user: MailUser,
            harness_factory: Callable[..., EngineHarness]) -> EngineHarness:
    return harness_factory(mail_user)


@pytest.fixture
def variant_user(dovecot_servers: Callable[[str], DovecotServer],
                 request: pytest.FixtureRequest) -> MailUser:
    return dovecot_servers(request.param).new_user()
