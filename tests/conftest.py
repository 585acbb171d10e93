"""Shared fixtures: a private Dovecot per capability variant, fresh users, a memory keyring."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from helpers.corpus import require_corpus
from helpers.dns_server import DnsServer
from helpers.dovecot import DovecotServer, MailUser, make_root
from helpers.memory_keyring import MemoryKeyring

# Never the desktop keyring, also in subprocesses started by tests (RELIABILITY.md G.54).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Real drags under X run in a process of their own (scripts/test sets QTMAIL_XCB_TESTS).
collect_ignore = [] if os.environ.get("QTMAIL_XCB_TESTS") else ["xcb"]
# Never the user's real profile either: a test that forgets --home lands here.
os.environ["QTMAIL_HOME"] = tempfile.mkdtemp(prefix="qtmail-test-home-")
# Nor the world's DNS: account setup's lookups (and the ISPDB or autoconfig hosts they
# would reach) ask a DNS server on 127.0.0.1 that knows no name unless a test says so
# (QTMAIL_DNS is what --dns is to the command line). Tests never reach beyond 127.0.0.1.
_NOWHERE = DnsServer({})
os.environ["QTMAIL_DNS"] = f"{_NOWHERE.address[0]}:{_NOWHERE.address[1]}"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def dovecot_root() -> Iterator[Path]:
    if not shutil.which("dovecot"):
        pytest.fail("Dovecot is not installed: run scripts/test, which installs it.")
    root = make_root()
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_servers(dovecot_root: Path) -> Iterator[Callable[[str], DovecotServer]]:
    """Start a Dovecot for a capability variant on first use; stop all at the end."""
    servers: dict[str, DovecotServer] = {}

    def get(variant: str = "full") -> DovecotServer:
        if variant not in servers:
            servers[variant] = DovecotServer(dovecot_root, variant).start()
        return servers[variant]

    yield get
    # Each stop waits for Dovecot's processes to end: stop them side by side.
    stoppers = [threading.Thread(target=server.stop) for server in servers.values()]
    for thread in stoppers:
        thread.start()
    for thread in stoppers:
        thread.join()


@pytest.fixture
def dovecot(dovecot_servers: Callable[[str], DovecotServer]) -> DovecotServer:
    return dovecot_servers("full")


@pytest.fixture
def mail_user(dovecot: DovecotServer) -> MailUser:
    """A fresh, empty mailbox on the full-featured Dovecot."""
    return dovecot.new_user()


@pytest.fixture
def sieve_user(dovecot_servers: Callable[[str], DovecotServer]) -> MailUser:
    """A fresh mailbox on the Dovecot with ManageSieve, LMTP and Pigeonhole (issue 15)."""
    return dovecot_servers("sieve").new_user()


@pytest.fixture
def corpus_dir() -> Path:
    """The shared corpus: skipped with its reason on a plain clone, a failure in CI."""
    return require_corpus()
