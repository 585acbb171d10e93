"""Remote images never reach private addresses (issue 4, RELIABILITY C.23).

Loopback, private, link-local, multicast, reserved and unspecified addresses, IPv4 and
IPv6 (IPv4-mapped too) are refused before any connection, on the first URL and on
every redirect; the address checked is the address connected to (DNS rebinding).
Local HTTP servers on 127.0.0.1 / 127.0.0.2 count every connection they accept.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from test_remote_content import PIXEL

from qtmail.net.remote_guard import AddressPolicy
from qtmail.qt.remote_loader import RemoteImageLoader


class CountingServer:
    """Serves /img.png and /go?URL (a 302 to URL); counts accepted connections."""

    def __init__(self, host: str) -> None:
        self.connections = 0
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.paths.append(self.path)
                if self.path.startswith("/go?"):
                    self.send_response(302)
                    self.send_header("Location", self.path[4:])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PIXEL)))
                self.end_headers()
                self.wfile.write(PIXEL)

            def log_message(self, format: str, *args: object) -> None:
                return

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> tuple[socket.socket, Any]:
                owner.connections += 1
                return super().get_request()

        self.httpd = Server((host, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       name="test-http", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def first() -> Iterator[CountingServer]:
    server = CountingServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def second() -> Iterator[CountingServer]:
    """On 127.0.0.2: loopback, but outside the tests' allowance of 127.0.0.1/32."""
    server = CountingServer("127.0.0.2")
    yield server
    server.stop()


def load(qtbot: QtBot, loader: RemoteImageLoader, urls: list[str]
         ) -> tuple[list[str], dict[str, str]]:
    loaded: list[str] = []
    dropped: dict[str, str] = {}
    loader.image_loaded.connect(lambda _b, url, _image: loaded.append(url))
    loader.image_dropped.connect(lambda _b, url, why: dropped.__setitem__(url, why))
    with qtbot.waitSignal(loader.finished, timeout=20_000):
        loader.load(urls)
    assert loader.shutdown(10_000)
    return loaded, dropped


def test_private_addresses_are_refused_without_a_connection(
        qtbot: QtBot, first: CountingServer) -> None:
    port = first.port
    urls = [f"http://127.0.0.1:{port}/img.png", f"http://localhost:{port}/img.png",
            f"http://[::1]:{port}/img.png", f"http://[::ffff:127.0.0.1]:{port}/img.png",
            f"http://0.0.0.0:{port}/img.png", f"http://2130706433:{port}/img.png",
            "http://10.1.2.3/img.png", "http://192.168.1.1/img.png",
            "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/img.png",
            "http://[fd00::1]/img.png", "http://224.0.0.1/img.png",
            "https://100.64.0.1/img.png", "https://[::ffff:10.0.0.1]/img.png"]
    loader = RemoteImageLoader()  # what the application makes: no allowance
    loaded, dropped = load(qtbot, loader, urls)
    assert loaded == []
    assert set(dropped) == set(urls)
    for url, why in dropped.items():
        assert why.startswith("not a public address"), (url, why)
    assert first.connections == 0 and first.paths == []


def test_the_test_allowance_is_explicit_and_narrow(
        qtbot: QtBot, first: CountingServer, second: CountingServer) -> None:
    loader = RemoteImageLoader(allow_networks=("127.0.0.1/32",))
    loaded, dropped = load(qtbot, loader, [first.base + "/img.png", second.base + "/img.png"])
    assert loaded == [first.base + "/img.png"]
    assert dropped == {second.base + "/img.png": "not a public address: 127.0.0.2"}
    assert (first.connections, second.connections) == (1, 0)


def test_a_redirect_to_a_private_address_is_refused(
        qtbot: QtBot, first: CountingServer, second: CountingServer) -> None:
    targets = [second.base + "/img.png", "http://10.0.0.1/img.png",
               f"http://[::1]:{first.port}/img.png", "http://169.254.169.254/"]
    urls = [f"{first.base}/go?{target}" for target in targets]
    loader = RemoteImageLoader(allow_networks=("127.0.0.1/32",))
    loaded, dropped = load(qtbot, loader, urls)
    assert loaded == []
    assert set(dropped) == set(urls)
    for why in dropped.values():
        assert why.startswith("not a public address"), why
    assert sorted(first.paths) == sorted(f"/go?{t}" for t in targets)
    assert second.connections == 0


def test_the_checked_address_is_the_one_connected_to(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        first: CountingServer, second: CountingServer) -> None:
    """DNS rebinding: a name that answers an allowed address, then a private one. The
    loader resolves once and connects to what it checked."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, *args, **kwargs)
        answers.append("127.0.0.1" if not answers else "127.0.0.2")
        return real(answers[-1], *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    loader = RemoteImageLoader(allow_networks=("127.0.0.1/32",))
    url = f"http://rebind.example:{first.port}/img.png"
    loaded, dropped = load(qtbot, loader, [url])
    assert loaded == [url] and dropped == {}
    assert answers == ["127.0.0.1"]
    assert (first.connections, second.connections) == (1, 0)


@pytest.mark.parametrize("text", [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.1.1",
    "100.64.0.1", "0.0.0.0", "224.0.0.251", "239.255.255.250", "240.0.0.1",
    "255.255.255.255", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
    "ff02::1", "::ffff:127.0.0.1", "::ffff:192.168.1.1", "2002:7f00:1::1",
    "2002:c0a8:101::1", "2001:db8::1", "64:ff9b::a00:1"])
def test_policy_refuses(text: str) -> None:
    assert not AddressPolicy().permits(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", [
    "8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8",
    "2002:808:808::1"])
def test_policy_permits_public_addresses(text: str) -> None:
    assert AddressPolicy().permits(ipaddress.ip_address(text))
