"""Remote images reach public addresses only: no request from a message to the user's
own machine, router, intranet or cloud metadata service (RELIABILITY C.23; issue 4).

The check is made on the address actually connected to: the host name is resolved
once, every address it gave is checked, and the socket connects to a checked address
(never a second resolution, which a DNS rebinding attack would answer differently),
then its peer is checked again. urllib opens a new connection for every redirect, so
every hop is checked the same way. Through a proxy (the user's own, from the
environment) the connection goes to the proxy and the target's name is checked by a
local resolution before anything is sent.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(OSError):
    """The URL's host is not a public address (or does not resolve)."""


class AddressPolicy:
    """Public unicast addresses only, plus the networks a test hands in explicitly."""

    def __init__(self, allow_networks: Sequence[str] = ()) -> None:
        self._allowed: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(n) for n in allow_networks)

    def permits(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address):
            # ::ffff:127.0.0.1 reaches 127.0.0.1 (RFC 4291 2.5.5.2); 6to4 and Teredo
            # embed IPv4 addresses too: judge the embedded one.
            mapped = address.ipv4_mapped or address.sixtofour
            if mapped is not None:
                return self.permits(mapped)
            if address.teredo is not None:
                return self.permits(address.teredo[1])
        if any(address in network for network in self._allowed):
            return True
        # is_global is False for loopback, RFC 1918 / ULA private, link-local, CGNAT
        # shared space, documentation and other IANA special-purpose ranges.
        return address.is_global and not (
            address.is_multicast or address.is_reserved or address.is_unspecified
            or address.is_loopback or address.is_link_local or address.is_private)

    def resolve(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """getaddrinfo for a TCP connection; refuses unless every address is permitted
        (a name with one private address among public ones is a rebinding trap)."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise AddressRefused(f"host not found: {host}") from error
        if not infos:
            raise AddressRefused(f"host not found: {host}")
        for *_rest, sockaddr in infos:
            self.check(str(sockaddr[0]))
        return infos

    def check(self, text: str) -> None:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # fe80::1%eth0
        if not self.permits(address):
            raise AddressRefused(f"not a public address: {address}")

    def connect(self, address: tuple[str, int], timeout: float | None = None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """socket.create_connection, to checked addresses only (see the module doc)."""
        host, port = address
        last: OSError | None = None
        for family, kind, proto, _name, sockaddr in self.resolve(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                if source_address is not None:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                self.check(str(sock.getpeername()[0]))
                return sock
            except OSError as error:
                sock.close()
                if isinstance(error, AddressRefused):
                    raise
                last = error
        assert last is not None
        raise last


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, policy: AddressPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._policy = policy
        self._create_connection = policy.connect  # used by connect()


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, policy: AddressPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._policy = policy
        self._create_connection = policy.connect  # TLS wraps it, for the host name


def _proxied(request: urllib.request.Request, policy: AddressPolicy) -> bool:
    """The request goes to a proxy: check its target by name (the proxy connects)."""
    if not request.has_proxy() and getattr(request, "_tunnel_host", None) is None:
        return False
    parts = urlsplit(request.full_url)
    if parts.hostname is not None:
        policy.resolve(parts.hostname, parts.port or 443)
    return True


class GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__()
        self._policy = policy

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        if _proxied(req, self._policy):
            return super().http_open(req)
        connection = functools.partial(_GuardedHTTPConnection, policy=self._policy)
        return self.do_open(connection, req)


class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, policy: AddressPolicy, context: Any) -> None:
        super().__init__(context=context)
        self._policy = policy
        self._context = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        if _proxied(req, self._policy):
            return super().https_open(req)
        connection = functools.partial(_GuardedHTTPSConnection, policy=self._policy)
        return self.do_open(connection, req, context=self._context)
