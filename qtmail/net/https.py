"""One HTTPS connection, certificate checked for the host name (SNI too), optionally to
another address (tests map made-up host names to 127.0.0.1). No proxies, no cookies,
no redirects followed: the callers decide what a redirect would mean."""

from __future__ import annotations

import http.client
import socket
import ssl


class HttpsConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, context: ssl.SSLContext | None = None,
                 timeout: float = 15.0,
                 addresses: dict[str, tuple[str, int]] | None = None) -> None:
        tls = context or ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=tls)
        self._target = (addresses or {}).get(host, (host, port))
        self._tls = tls

    def connect(self) -> None:
        raw = socket.create_connection(self._target, self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)
