"""The token endpoint's one request: a form POST answered with JSON (RFC 6749 3.2, 5).

https only, certificate checked; plain http only to this computer (127.0.0.1, ::1,
localhost), where no network sees it. No redirects are followed: RFC 6749 3.2 gives
a token endpoint no reason to redirect a client's credentials elsewhere.
"""

from __future__ import annotations

import http.client
import json
import ssl
from typing import Any
from urllib.parse import urlencode, urlsplit

from qtmail.net.https import HttpsConnection

TIMEOUT = 20.0
MAX_ANSWER = 64 * 1024
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class TokenEndpointError(Exception):
    """The endpoint answered with an RFC 6749 5.2 error (``error`` is its code, such as
    "invalid_grant"), or not with a usable answer (``error`` is "")."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error or 'bad answer'}: {description}")
        self.error = error
        self.description = description


def check_url(url: str) -> None:
    """Raise ValueError unless ``url`` is https, or http to this computer."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"not a URL: {url!r}")
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return
    raise ValueError(f"an OAuth2 endpoint must use https: {url!r}")


def post_form(url: str, fields: dict[str, str], *, context: ssl.SSLContext | None = None,
              timeout: float = TIMEOUT) -> dict[str, Any]:
    """POST ``fields``; the JSON object answered. Raises TokenEndpointError for an error
    answer, OSError when the endpoint cannot be reached."""
    check_url(url)
    parts = urlsplit(url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = HttpsConnection(parts.hostname or "", parts.port or 443,
                                     context=context, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80,
                                                timeout=timeout)
    try:
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        connection.request("POST", path, body=urlencode(fields), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read(MAX_ANSWER + 1)
        status = response.status
    except http.client.HTTPException as exc:
        raise OSError(f"{url}: {exc}") from exc
    finally:
        connection.close()
    try:
        answer = json.loads(body) if len(body) <= MAX_ANSWER else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise TokenEndpointError("", f"HTTP {status}, not a JSON object")
    if status != 200 or "error" in answer:
        raise TokenEndpointError(str(answer.get("error", "")),
                                 str(answer.get("error_description", f"HTTP {status}")))
    return answer
