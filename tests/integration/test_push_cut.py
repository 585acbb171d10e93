"""A push connection that is cut asks the account to look at the server at once: the
account's own connection, idle meanwhile, is cut too, and nobody reads its BYE."""

from __future__ import annotations

import threading

import pytest
from helpers.dovecot import MailUser
from helpers.proxy import SwitchableProxy

from qtmail.accounts.settings import Security, ServerSettings
from qtmail.core.types import FolderInfo
from qtmail.imap.idle import IdleWatcher
from qtmail.sync.push import PushMonitor

pytestmark = pytest.mark.dovecot

INBOX = FolderInfo(name="INBOX", wire=b"INBOX", delimiter="/")


def test_a_server_shutting_down_is_reported_as_a_change_to_look_at(
        mail_user: MailUser) -> None:
    """The window said "Connected" for as long as its account had nothing to send
    after Dovecot shut down (tests/gui/test_replay_resume.py timed out 9 of 20 runs
    once commands no longer waited for delayed ACKs)."""
    proxy = SwitchableProxy((mail_user.host, mail_user.port))
    proxy.start()
    settings = ServerSettings(host="127.0.0.1", port=proxy.port, security=Security.NONE,
                              timeout=10)
    changes: list[str] = []
    told = threading.Semaphore(0)

    def changed(folder: str) -> None:
        changes.append(folder)
        told.release()

    monitor = PushMonitor(lambda: IdleWatcher.connect(settings, mail_user.name,
                                                      mail_user.password),
                          INBOX, changed)
    monitor.start()
    try:
        assert monitor.watching.wait(10), "IDLE never began"
        assert told.acquire(timeout=10)  # the look when the watch begins
        proxy.stop()  # Dovecot's "* BYE Server shutting down." and the cut
        assert told.acquire(timeout=10), "the cut watch asked for no look at the server"
        assert changes == ["INBOX", "INBOX"]
    finally:
        monitor.stop()
        proxy.stop()
