"""Account settings for a test mailbox on the private Dovecot."""

from __future__ import annotations

from helpers.dovecot import MailUser
from qtmail.accounts.settings import AccountSettings, Security, ServerSettings, SyncPolicy


def account_for(user: MailUser, *, name: str = "work", sync: SyncPolicy | None = None,
                body_cache_mb: int = 1024) -> AccountSettings:
    """Plaintext on 127.0.0.1 (an explicit opt-in); TLS is covered in test_tls.py."""
    return AccountSettings(
        name=name, email=f"{user.name}@example.org",
        imap=ServerSettings(host=user.host, port=user.port, security=Security.NONE,
                            username=user.name, timeout=20),
        sync=sync or SyncPolicy(), body_cache_mb=body_cache_mb)
