"""An OAuth2 authorization server on 127.0.0.1, written for the tests (issue 16):
authorize (PKCE S256 checked), token (code and refresh grants, refresh tokens rotated),
introspection (RFC 7662) for Dovecot's oauth2 passdb. The tests play the browser.

Only what a real provider must do, strictly: a code is good once, for its redirect URI
and verifier; a rotated refresh token is dead; a revoked user's tokens all are.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from qtmail.accounts.settings import OAuthSettings


@dataclass
class Grant:
    user: str
    client_id: str
    redirect_uri: str
    challenge: str
    scope: str


@dataclass
class OAuthServer:
    lifetime: float = 3600.0
    """Seconds an access token lives (expires_in)."""
    rotate: bool = True
    send_iss: bool = True
    send_refresh: bool = True
    user_for_hint: dict[str, str] = field(default_factory=dict)
    """login_hint -> user name at Dovecot (default: the hint itself)."""
    deny: bool = False
    """The user presses "Cancel" on the consent page."""
    codes: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, tuple[str, float]] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)
    revoked_users: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    introspections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer._get(self)

            def do_POST(self) -> None:
                outer._post(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = self.url
        threading.Thread(target=self.httpd.serve_forever, daemon=True,
                         name="oauth-server").start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- what the tests use ----------------------------------------------------------
    def settings(self, *, provider: str = "test", client_id: str = "qtmail-test"
                 ) -> OAuthSettings:
        return OAuthSettings(provider=provider, authorization_endpoint=self.url + "/authorize",
                             token_endpoint=self.url + "/token", scopes=("mail",),
                             client_id=client_id, issuer=self.issuer)

    def browser(self, url: str) -> bool:
        """The system browser: follow the authorize URL to the loopback redirect (in a
        thread, as a real browser runs beside qtmail)."""
        def visit() -> None:
            location = self._authorize(url)
            with urllib.request.urlopen(location, timeout=10) as page:
                page.read()
        threading.Thread(target=visit, daemon=True, name="test-browser").start()
        return True

    def revoke(self, user: str) -> None:
        with self._lock:
            self.revoked_users.add(user)
            self.access = {k: v for k, v in self.access.items() if v[0] != user}
            self.refresh = {k: v for k, v in self.refresh.items() if v != user}

    def expire_access_tokens(self) -> None:
        with self._lock:
            self.access = {k: (user, 0.0) for k, (user, _t) in self.access.items()}

    def issue(self, user: str) -> tuple[str, str]:
        """(access, refresh) for ``user`` without a browser."""
        with self._lock:
            return self._new_tokens(user)

    # -- endpoints ------------------------------------------------------------------------
    def _authorize(self, url: str) -> str:
        """The consent page's answer: the redirect location."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        self.authorize_requests.append(query)
        redirect = query["redirect_uri"]
        answer: dict[str, str] = {"state": query.get("state", "")}
        if self.send_iss:
            answer["iss"] = self.issuer
        if self.deny:
            answer["error"] = "access_denied"
        elif query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            answer["error"] = "invalid_request"
        else:
            code = secrets.token_urlsafe(16)
            hint = query.get("login_hint", "")
            user = self.user_for_hint.get(hint, hint)
            with self._lock:
                self.codes[code] = Grant(user, query["client_id"], redirect,
                                         query["code_challenge"], query.get("scope", ""))
            answer["code"] = code
        return redirect + "?" + urlencode(answer)

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.startswith("/authorize"):
            handler.send_response(302)
            handler.send_header("Location", self._authorize(handler.path))
            handler.end_headers()
            return
        handler.send_error(404)

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        path = urlsplit(handler.path).path
        if path == "/token":
            self.token_requests.append(form)
            status, answer = self._token(form)
        elif path == "/introspect":
            status, answer = 200, self._introspect(form.get("token", ""))
        else:
            status, answer = 404, {"error": "not_found"}
        body = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if form.get("grant_type") == "authorization_code":
                grant = self.codes.pop(form.get("code", ""), None)
                if grant is None or grant.redirect_uri != form.get("redirect_uri") \
                        or grant.client_id != form.get("client_id"):
                    return 400, {"error": "invalid_grant"}
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
                    return 400, {"error": "invalid_grant",
                                 "error_description": "PKCE verification failed"}
                access, refresh = self._new_tokens(grant.user)
                answer: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                          "expires_in": self.lifetime}
                if self.send_refresh:
                    answer["refresh_token"] = refresh
                return 200, answer
            if form.get("grant_type") == "refresh_token":
                old = form.get("refresh_token", "")
                user = self.refresh.get(old)
                if user is None or user in self.revoked_users:
                    return 400, {"error": "invalid_grant"}
                access, refresh = self._new_tokens(user)
                answer = {"access_token": access, "token_type": "Bearer",
                          "expires_in": self.lifetime}
                if self.rotate:
                    del self.refresh[old]
                    answer["refresh_token"] = refresh
                else:
                    del self.refresh[refresh]
                return 200, answer
        return 400, {"error": "unsupported_grant_type"}

    def _new_tokens(self, user: str) -> tuple[str, str]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.access[access] = (user, time.time() + self.lifetime)
        self.refresh[refresh] = user
        return access, refresh

    def _introspect(self, token: str) -> dict[str, Any]:
        with self._lock:
            self.introspections += 1
            user, expires = self.access.get(token, ("", 0.0))
            if not user or expires < time.time() or user in self.revoked_users:
                return {"active": False}
            return {"active": True, "username": user}

    def is_active(self, token: str) -> bool:
        return bool(self._introspect(token)["active"])

