"""OAuth2 sign-in end to end (issue 16): the browser round trip with PKCE against the
tests' authorization server, tokens in the keyring only, IMAP through Dovecot's oauth2
passdb (OAUTHBEARER and XOAUTH2), SMTP XOAUTH2 through aiosmtpd, refresh with rotation,
expiry during a session, and a revoked grant that asks once."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session
from helpers.accounts import account_for
from helpers.dovecot import DovecotServer, MailUser, free_port
from helpers.memory_keyring import MemoryKeyring
from helpers.oauth_server import OAuthServer

from qtmail.accounts.credentials import CredentialStore
from qtmail.accounts.oauth.flow import SignInFailed, authorize
from qtmail.accounts.oauth.tokens import SignInNeeded, TokenSource
from qtmail.accounts.settings import AccountSettings, AccountsFile, Security, ServerSettings
from qtmail.core.errors import AuthError, Fix
from qtmail.imap.session import ImapSession, _open_trusted
from qtmail.net.sasl import Bearer, XOAuth2
from qtmail.smtp.send import send_message
from qtmail.store import Store
from qtmail.sync.engine import AccountEngine

pytestmark = pytest.mark.dovecot


@pytest.fixture
def server(dovecot_servers: Callable[[str], DovecotServer]) -> DovecotServer:
    return dovecot_servers("oauth")


@pytest.fixture
def oauth(server: DovecotServer) -> Iterator[OAuthServer]:
    assert server.oauth is not None
    saved = (server.oauth.lifetime, server.oauth.rotate, server.oauth.send_iss,
             server.oauth.deny, server.oauth.send_refresh)
    yield server.oauth
    (server.oauth.lifetime, server.oauth.rotate, server.oauth.send_iss,
     server.oauth.deny, server.oauth.send_refresh) = saved


def oauth_account(user: MailUser, oauth: OAuthServer) -> AccountSettings:
    return replace(account_for(user), oauth=oauth.settings())


def signed_in(user: MailUser, oauth: OAuthServer) -> tuple[AccountSettings, TokenSource]:
    """An account signed in through the browser, as the account dialog does it."""
    account = oauth_account(user, oauth)
    source = TokenSource(account, CredentialStore())
    assert account.oauth is not None
    tokens = authorize(account.oauth, _client(), user.name, oauth.browser, wait=10)
    assert source.accept(tokens)
    return account, source


def _client() -> Any:
    from qtmail.accounts.oauth.clients import Client
    return Client("qtmail-test")


def test_the_browser_round_trip_checks_pkce_and_keeps_only_the_refresh_token(
        server: DovecotServer, oauth: OAuthServer, memory_keyring: MemoryKeyring,
        tmp_path: Path) -> None:
    user = server.new_user()
    account, source = signed_in(user, oauth)
    request = oauth.authorize_requests[-1]
    assert request["code_challenge_method"] == "S256"
    assert len(request["code_challenge"]) == 43  # base64url SHA-256, no padding
    assert request["login_hint"] == user.name
    assert request["redirect_uri"].startswith("http://127.0.0.1:")
    exchange = oauth.token_requests[-1]
    assert 43 <= len(exchange["code_verifier"]) <= 128  # RFC 7636 4.1
    # Only the refresh token is stored, and only in the keyring.
    stored = memory_keyring.get_password("qtmail", "work:oauth")
    assert stored is not None and oauth.refresh[stored] == user.name
    accounts = AccountsFile(tmp_path / "accounts.json")
    accounts.add(account)
    text = accounts.path.read_text()
    assert stored not in text and source.bearer().token not in text
    assert AccountsFile(accounts.path).get("work").oauth == account.oauth


def test_a_code_is_good_once_and_only_with_its_verifier(oauth: OAuthServer) -> None:
    # What PKCE is for: an intercepted code without the verifier gets nothing.
    location = oauth._authorize(
        oauth.url + "/authorize?client_id=c&redirect_uri=http://127.0.0.1:9/&state=s"
        "&code_challenge=" + "A" * 43 + "&code_challenge_method=S256&login_hint=x")
    code = location.split("code=")[1].split("&")[0]
    status, answer = oauth._token({"grant_type": "authorization_code", "code": code,
                                   "redirect_uri": "http://127.0.0.1:9/", "client_id": "c",
                                   "code_verifier": "wrong" * 10})
    assert (status, answer["error"]) == (400, "invalid_grant")


def test_imap_signs_in_with_oauthbearer_and_with_xoauth2(
        server: DovecotServer, oauth: OAuthServer) -> None:
    user = server.new_user()
    account, source = signed_in(user, oauth)
    token = source.bearer()
    session = ImapSession.connect(account.imap, account.imap_username, token)
    try:
        assert "AUTHENTICATE OAUTHBEARER" in session.command_log
        assert session.list_folders()
    finally:
        session.close()
    # XOAUTH2, which Gmail and Microsoft 365 offer.
    client = _open_trusted(account.imap)
    session = ImapSession(client, account.imap)
    try:
        typ, _data = session._authenticate(XOAuth2(user.name, token.token))
        assert typ == "OK"
    finally:
        session.close()


def test_a_refused_token_fails_at_once_with_a_sentence_and_a_sign_in_fix(
        server: DovecotServer, oauth: OAuthServer) -> None:
    user = server.new_user()
    account = oauth_account(user, oauth)
    started = time.monotonic()
    with pytest.raises(AuthError) as caught:
        ImapSession.connect(account.imap, user.name, Bearer("not-a-token"))
    # The error challenge was answered: no wait for a timeout (20 s here).
    assert time.monotonic() - started < 10
    assert caught.value.fix is Fix.SIGN_IN
    assert "Sign in again" in caught.value.user_message


def test_tokens_are_refreshed_before_expiry_and_rotated_tokens_saved_at_once(
        server: DovecotServer, oauth: OAuthServer, memory_keyring: MemoryKeyring) -> None:
    user = server.new_user()
    oauth.lifetime = 20  # within EARLY (30 s) of expiry from the start
    account, source = signed_in(user, oauth)
    first = memory_keyring.get_password("qtmail", "work:oauth")
    token = source.bearer()
    assert source.refreshes == 1
    second = memory_keyring.get_password("qtmail", "work:oauth")
    assert second != first and first not in oauth.refresh  # rotated, the old one dead
    assert oauth.is_active(token.token)
    # A new process (a restart): the stored refresh token signs in again.
    oauth.lifetime = 3600
    restarted = TokenSource(account, CredentialStore())
    session = ImapSession.connect(account.imap, user.name, restarted.bearer())
    session.close()
    assert memory_keyring.get_password("qtmail", "work:oauth") != second


def test_an_account_syncs_through_a_long_session_while_its_token_expires(
        server: DovecotServer, oauth: OAuthServer, tmp_path: Path) -> None:
    user = server.new_user()
    user.save(b"From: a@example.org\r\nSubject: first\r\n\r\nbody\r\n")
    account, source = signed_in(user, oauth)
    store = Store.open(tmp_path / "cache.sqlite3")
    engine = AccountEngine(account, store, source, lambda _event: None)
    try:
        engine.sync_all()
        assert [m.subject for m in store.summaries("INBOX")] == ["first"]
        # An hour later: the server no longer accepts the old token and the connection
        # is gone; the next connection refreshes first.
        oauth.expire_access_tokens()
        source._expires = 0.0  # the clock moved on an hour
        engine.close()
        user.save(b"From: a@example.org\r\nSubject: second\r\n\r\nbody\r\n")
        engine.sync_all()
        assert sorted(m.subject for m in store.summaries("INBOX")) == ["first", "second"]
        assert source.refreshes == 1
    finally:
        engine.close()
        store.close()


def test_a_revoked_grant_asks_to_sign_in_once_and_does_not_loop(
        server: DovecotServer, oauth: OAuthServer, memory_keyring: MemoryKeyring) -> None:
    user = server.new_user()
    _account, source = signed_in(user, oauth)
    oauth.revoke(user.name)
    source._expires = 0.0
    with pytest.raises(SignInNeeded) as caught:
        source.bearer()
    assert caught.value.fix is Fix.SIGN_IN
    assert "Sign in again" in caught.value.user_message
    assert memory_keyring.get_password("qtmail", "work:oauth") is None
    asked = len(oauth.token_requests)
    with pytest.raises(SignInNeeded):
        source.bearer()  # the next connection attempt: no request, no browser
    assert len(oauth.token_requests) == asked


@pytest.mark.parametrize("problem, sentence", [
    ("deny", "You did not give qtmail access"),
    ("iss", "came from another provider"),
    ("no-refresh", "did not allow qtmail to stay signed in"),
])
def test_a_sign_in_that_does_not_give_access_says_why(
        oauth: OAuthServer, problem: str, sentence: str) -> None:
    settings = oauth.settings()
    if problem == "deny":
        oauth.deny = True
    elif problem == "iss":
        settings = replace(settings, issuer="https://accounts.example.test")
    else:
        oauth.send_refresh = False
    with pytest.raises(SignInFailed) as caught:
        authorize(settings, _client(), "someone", oauth.browser, wait=10)
    assert sentence in caught.value.user_message


def test_a_forged_redirect_with_another_state_is_ignored(oauth: OAuthServer) -> None:
    import urllib.request

    def forger(url: str) -> bool:
        location = oauth._authorize(url.replace("state=", "state=forged"))
        urllib.request.urlopen(location, timeout=5).read()
        return True

    with pytest.raises(SignInFailed) as caught:
        authorize(oauth.settings(), _client(), "someone", forger, wait=10)
    assert "did not come from the page qtmail opened" in caught.value.user_message


class TokenCheckingSmtp:
    """aiosmtpd accepting XOAUTH2 only with a token the authorization server knows."""

    def __init__(self, oauth: OAuthServer) -> None:
        self.oauth = oauth
        self.users: list[str] = []
        self.messages: list[bytes] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        raw = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(part.split("=", 1) for part in raw.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        if self.oauth.is_active(token):
            self.users.append(fields["user"])
            return AuthResult(success=True, handled=False)
        # Google's answer: an error challenge, then 535 once the client replies.
        await server.challenge_auth(json.dumps({"status": "401"}))
        return AuthResult(success=False, handled=False)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope.content if isinstance(envelope.content, bytes)
                             else b"")
        return "250 OK"


def test_smtp_sends_with_the_same_token_by_xoauth2(
        server: DovecotServer, oauth: OAuthServer) -> None:
    user = server.new_user()
    account, source = signed_in(user, oauth)
    sink = TokenCheckingSmtp(oauth)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        smtp = ServerSettings(host="127.0.0.1", port=port, security=Security.NONE,
                              username=user.name, timeout=10)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = account.email, "b@x.test", "hi"
        message.set_content("hello")
        send_message(smtp, user.name, source.bearer(), message, account.email, ["b@x.test"])
        assert sink.users == [user.name] and len(sink.messages) == 1
        started = time.monotonic()
        with pytest.raises(AuthError) as caught:
            send_message(smtp, user.name, Bearer("revoked"), message, account.email,
                         ["b@x.test"])
        assert time.monotonic() - started < 5
        assert caught.value.fix is Fix.SIGN_IN and len(sink.messages) == 1
    finally:
        controller.stop()
