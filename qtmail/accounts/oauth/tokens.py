"""An account's access tokens, one source shared by IMAP, SMTP and ManageSieve.

Only the refresh token is kept, in the keyring (``<account>:oauth``); access tokens live
in memory. A token is refreshed 30 seconds before it expires (as Thunderbird does), a
rotated refresh token is saved at once (RFC 6749 6, RFC 9700 4.14.2: the old one may
already be dead). ``invalid_grant`` (revoked, expired, password changed) forgets the
refresh token and raises one "sign in again" error: no retry loop, no browser opened by
itself. Thread-safe: the sync, push and send threads ask at once.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.oauth.clients import client_for
from qtmail.accounts.oauth.flow import Tokens, tokens_from
from qtmail.accounts.oauth.http import TokenEndpointError, post_form
from qtmail.accounts.settings import AccountSettings, OAuthSettings
from qtmail.core.errors import (
    QT_TRANSLATE_NOOP,
    AuthError,
    Fix,
    Sentence,
    ServerUnreachable,
)
from qtmail.net.sasl import Bearer

log = logging.getLogger(__name__)

PROTOCOL = "oauth"
"""The keyring entry's suffix: ``<account>:oauth`` holds the refresh token."""
EARLY = 30.0
"""Seconds before expiry when a token counts as expired (clock skew, a slow login)."""


class SignInNeeded(AuthError):
    """No usable refresh token: the user must sign in on the provider's page again."""

    default_fix = Fix.SIGN_IN


Post = Callable[[str, dict[str, str]], dict[str, object]]


class TokenSource:
    def __init__(self, account: AccountSettings, credentials: CredentialStore, *,
                 post: Post | None = None, clock: Callable[[], float] = time.monotonic,
                 context: ssl.SSLContext | None = None) -> None:
        if account.oauth is None:
            raise ValueError(f"{account.name} does not sign in with OAuth2")
        self._name = account.name
        self._oauth: OAuthSettings = account.oauth
        self._credentials = credentials
        self._post = post or (lambda url, fields: post_form(url, fields, context=context))
        self._clock = clock
        self._lock = threading.Lock()
        self._access = ""
        self._expires = 0.0
        self.refreshes = 0
        """How many times a token was refreshed (tests and the log)."""

    def __call__(self) -> Bearer:
        return self.bearer()

    def bearer(self) -> Bearer:
        """A valid access token, refreshed first if it expires within EARLY seconds."""
        with self._lock:
            if self._access and self._clock() < self._expires - EARLY:
                return Bearer(self._access)
            self._refresh()
            return Bearer(self._access)

    def accept(self, tokens: Tokens) -> bool:
        """Take the tokens of a sign-in; False when the keyring could not keep the
        refresh token (it is kept in memory for this session)."""
        with self._lock:
            self._take(tokens)
            return self._credentials.set(self._name, tokens.refresh_token, PROTOCOL)

    def forget_access(self) -> None:
        """The server refused the access token: fetch a new one next time."""
        with self._lock:
            self._access = ""

    def _take(self, tokens: Tokens) -> None:
        self._access = tokens.access_token
        self._expires = self._clock() + tokens.expires_in

    def _refresh(self) -> None:
        refresh = self._credentials.get(self._name, PROTOCOL)
        if not refresh:
            raise self._sign_in_needed("no refresh token stored")
        client = client_for(self._oauth)
        if client is None:
            raise self._sign_in_needed("no client ID")
        fields = {"grant_type": "refresh_token", "refresh_token": refresh,
                  "client_id": client.client_id}
        if client.client_secret:
            fields["client_secret"] = client.client_secret
        try:
            answer = self._post(self._oauth.token_endpoint, fields)
        except TokenEndpointError as exc:
            if exc.error in ("invalid_grant", "unauthorized_client", "invalid_client"):
                # Dead for good: forget it, so the next attempt asks the user instead of
                # the endpoint (never a loop).
                self._credentials.delete(self._name, PROTOCOL)
                raise self._sign_in_needed(str(exc)) from exc
            raise self._unreachable(str(exc)) from exc
        except OSError as exc:
            raise self._unreachable(str(exc)) from exc
        tokens = tokens_from(answer, require_refresh=False, refresh_token=refresh)
        # Rotation: the old token may already be refused; keep the new one now.
        if tokens.refresh_token != refresh \
                and not self._credentials.set(self._name, tokens.refresh_token, PROTOCOL):
            log.warning("oauth: the rotated refresh token is kept only in memory")
        self._take(tokens)
        self.refreshes += 1

    def _sign_in_needed(self, detail: str) -> SignInNeeded:
        return SignInNeeded(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "qtmail's access to the account “{account}” has ended (it was "
            "withdrawn, or lapsed). Sign in again to keep reading your mail."),
            account=self._name), detail=detail)

    def _unreachable(self, detail: str) -> ServerUnreachable:
        error = ServerUnreachable(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "qtmail could not renew its access to the account “{account}”: the "
            "provider's sign-in server did not answer."), account=self._name),
            detail=detail)
        return error


_shared: dict[tuple[str, OAuthSettings], TokenSource] = {}
_shared_lock = threading.Lock()


def shared_source(credentials: CredentialStore, account: AccountSettings) -> TokenSource:
    """The one source of ``account`` in this process, shared by IMAP, SMTP, ManageSieve
    and the account dialog: one refresh serves them all, and a rotation one of them
    causes cannot strand the others with a dead refresh token."""
    assert account.oauth is not None
    key = (account.name, account.oauth)
    with _shared_lock:
        source = _shared.get(key)
        if source is None:
            source = _shared[key] = TokenSource(account, credentials)
        return source
