"""The sign-in itself: authorization code with PKCE (RFC 7636, S256) in the system
browser, back through a loopback redirect on 127.0.0.1 and an ephemeral port (RFC 8252
7.3), then the code exchanged for tokens.

Checked on the way back: ``state`` (RFC 6749 10.12, a forged redirect), and ``iss``
(RFC 9207, a response from another provider) wherever the answer carries one.
Blocking: runs in a background thread; ``cancelled`` stops the wait.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from qtmail.accounts.oauth.clients import Client
from qtmail.accounts.oauth.http import TokenEndpointError, check_url, post_form
from qtmail.accounts.settings import OAuthSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, AuthError, KnownError, Sentence

WAIT = 300.0
"""Seconds the browser has to come back: a person reads, types, approves."""

DONE_PAGE = ("You are signed in", "You can close this page and go back to qtmail.")
"""Title and sentence of the page the browser shows at the end (the GUI passes them
translated)."""


class SignInFailed(AuthError):
    """The sign-in did not give qtmail access; the sentence says why."""


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: float


@dataclass
class _Redirect:
    """What the browser brought back, once it has."""

    query: dict[str, str] = field(default_factory=dict)
    arrived: threading.Event = field(default_factory=threading.Event)


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge): 86 characters of 64 random bytes (RFC 7636
    4.1 allows 43 to 128), the challenge base64url of its SHA-256 without padding."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(oauth: OAuthSettings, client: Client, redirect_uri: str, state: str,
                      challenge: str, login_hint: str) -> str:
    parameters = {
        "response_type": "code", "client_id": client.client_id,
        "redirect_uri": redirect_uri, "scope": " ".join(oauth.scopes), "state": state,
        "code_challenge": challenge, "code_challenge_method": "S256",
    }
    if login_hint:
        parameters["login_hint"] = login_hint  # the address typed: no second typing
    parameters.update(dict(oauth.extra_parameters))
    joiner = "&" if "?" in oauth.authorization_endpoint else "?"
    return oauth.authorization_endpoint + joiner + urlencode(parameters)


def authorize(oauth: OAuthSettings, client: Client, login_hint: str,
              open_browser: Callable[[str], bool], *, wait: float = WAIT,
              cancelled: threading.Event | None = None, context: ssl.SSLContext | None = None,
              done_page: tuple[str, str] = DONE_PAGE) -> Tokens:
    """Sign in in the browser; the tokens, or SignInFailed with a sentence."""
    for url in (oauth.authorization_endpoint, oauth.token_endpoint):
        try:
            check_url(url)
        except ValueError as exc:
            raise SignInFailed(QT_TRANSLATE_NOOP(
                "Errors", "The provider's sign-in address is not secure (not https), so "
                "qtmail did not use it."), detail=str(exc)) from exc
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    redirect = _Redirect()
    server = _listen(redirect, done_page)
    try:
        redirect_uri = f"http://127.0.0.1:{server.server_port}/"
        url = authorization_url(oauth, client, redirect_uri, state, challenge, login_hint)
        if not open_browser(url):
            raise SignInFailed(QT_TRANSLATE_NOOP(
                "Errors", "qtmail could not open your web browser for the sign-in page."))
        _wait(redirect, wait, cancelled)
    finally:
        server.shutdown()
        server.server_close()
    query = redirect.query
    _check_redirect(query, state, oauth)
    fields = {"grant_type": "authorization_code", "code": query["code"],
              "redirect_uri": redirect_uri, "client_id": client.client_id,
              "code_verifier": verifier}
    if client.client_secret:
        fields["client_secret"] = client.client_secret
    try:
        answer = post_form(oauth.token_endpoint, fields, context=context)
    except TokenEndpointError as exc:
        raise SignInFailed(QT_TRANSLATE_NOOP(
            "Errors", "The provider refused to give qtmail access after the sign-in."),
            detail=str(exc)) from exc
    except OSError as exc:
        raise KnownError(QT_TRANSLATE_NOOP(
            "Errors", "qtmail could not reach the provider to finish the sign-in. Check "
            "the network connection and try again."), detail=str(exc)) from exc
    return tokens_from(answer, require_refresh=True)


def tokens_from(answer: dict[str, object], *, require_refresh: bool,
                refresh_token: str = "") -> Tokens:
    access = answer.get("access_token")
    refresh = answer.get("refresh_token") or refresh_token
    if not isinstance(access, str) or not access or not isinstance(refresh, str) \
            or (require_refresh and not refresh):
        # Google sends a refresh token only from its consent screen (prompt=consent).
        raise SignInFailed(QT_TRANSLATE_NOOP(
            "Errors", "The provider did not allow qtmail to stay signed in, so it would "
            "ask you again every hour. Sign in again and allow offline access."),
            detail="no access or refresh token in the answer")
    expires = answer.get("expires_in")
    try:
        seconds = float(expires) if isinstance(expires, int | float | str) else 3600.0
    except ValueError:
        seconds = 3600.0  # RFC 6749 5.1 makes it optional; an hour is the usual value
    return Tokens(access, refresh, max(seconds, 0.0))


def _check_redirect(query: dict[str, str], state: str, oauth: OAuthSettings) -> None:
    if not secrets.compare_digest(query.get("state", ""), state):
        raise SignInFailed(QT_TRANSLATE_NOOP(
            "Errors", "The sign-in answer did not come from the page qtmail opened, so "
            "qtmail ignored it. Try again."), detail="state mismatch")
    issuer = query.get("iss")
    if issuer is not None and oauth.issuer and issuer != oauth.issuer:
        raise SignInFailed(QT_TRANSLATE_NOOP(
            "Errors", "The sign-in answer came from another provider than the one qtmail "
            "asked, so qtmail ignored it."), detail=f"iss {issuer!r} != {oauth.issuer!r}")
    error = query.get("error")
    if error == "access_denied":
        raise SignInFailed(QT_TRANSLATE_NOOP(
            "Errors", "You did not give qtmail access to your mail on the sign-in page."),
            detail=query.get("error_description", ""))
    if error or not query.get("code"):
        raise SignInFailed(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The provider's sign-in page ended with an error: {error}."),
            error=error or "no code"), detail=query.get("error_description", ""))


def _wait(redirect: _Redirect, wait: float, cancelled: threading.Event | None) -> None:
    deadline = time.monotonic() + wait
    while not redirect.arrived.wait(0.1):
        if cancelled is not None and cancelled.is_set():
            raise SignInFailed(QT_TRANSLATE_NOOP("Errors", "The sign-in was cancelled."))
        if time.monotonic() > deadline:
            raise SignInFailed(QT_TRANSLATE_NOOP(
                "Errors", "The sign-in page was not finished in time. Try again."))


def _listen(redirect: _Redirect, done_page: tuple[str, str]) -> HTTPServer:
    """The loopback listener, answering in its own thread (RFC 8252 7.3)."""
    title, sentence = (html.escape(part) for part in done_page)
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"</head><body><h1>{title}</h1><p>{sentence}</p></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path != "/" or not ({"code", "error"} & query.keys()) \
                    or redirect.arrived.is_set():
                self.send_error(404)
                return
            redirect.query = query
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            # Nothing on the page may load or run; it must not be kept (RFC 8252 7.3).
            self.send_header("Content-Security-Policy", "default-src 'none'")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            redirect.arrived.set()

        def log_message(self, format: str, *args: object) -> None:
            pass  # the query holds the code: it is not logged

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     name="oauth-redirect", daemon=True).start()
    return server
