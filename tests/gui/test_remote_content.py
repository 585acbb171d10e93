"""Remote images load only when the user asks, through RemoteImageLoader (C.23, C.24).

A local HTTP server on 127.0.0.1 records every request: showing a message makes none;
"Load for this message" fetches exactly its <img> URLs (never CSS url(), @import, link,
fonts) and shows them; non-images and oversized answers are dropped; "Always for this
sender" loads later messages from that exact address by themselves.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot

from qtmail.accounts.remote_policy import RemoteContentPolicy
from qtmail.core.types import MessageRef
from qtmail.mime.html import sanitize_html
from qtmail.mime.parse import ParsedMessage, parse_message
from qtmail.qt.remote_loader import RemoteImageLoader, decode_image
from qtmail.qt.widgets.message_view import MessageView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

REF = MessageRef("work", "INBOX", 7, 42)
MAILSPLOIT = (b"From: =?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?==?utf-8?Q?=00?="
              b"=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3Y=?=@mailsploit.com\r\n")


def png(width: int, height: int, noise: bool = False) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 30, 30))
    if noise:  # Incompressible: the file is about width * height * 3 bytes.
        seed = 12345
        for y in range(height):
            for x in range(width):
                seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
                image.setPixel(x, y, seed & 0xFFFFFF)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide6 takes str
    buffer.close()
    return bytes(data.data())


PIXEL = png(37, 23)
BIG = png(120, 120, noise=True)
"""About 43 KB; the tests lower the per-resource cap below it."""
SMALL_CAP = 16 * 1024
LOCAL = ("127.0.0.0/8",)
"""The test server's network: reachable only because the tests say so."""


class Server:
    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        self.paths: list[str] = []
        self.release = threading.Event()
        """/slow.png answers only once this is set."""
        self.headers: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.paths.append(self.path)
                owner.headers.append({k.lower(): v for k, v in self.headers.items()})
                path = self.path.split("?")[0]
                if path == "/slow.png":
                    owner.release.wait(10)
                    self._send(200, "image/png", PIXEL)
                elif path.startswith("/img/"):
                    self._send(200, "image/png", PIXEL)
                elif path == "/notimage.png":
                    self._send(200, "text/html", b"<html>not an image</html>")
                elif path == "/svg.png":
                    self._send(200, "image/png", b'<svg xmlns="http://www.w3.org/2000/svg" '
                               b'width="40" height="40"><image href="file:///etc/hostname"/>'
                               b'</svg>')
                elif path == "/big.png":
                    self._send(200, "image/png", BIG)
                elif path == "/big-unsized.png":
                    self._send(200, "image/png", BIG, length=False)
                elif path == "/to-file":
                    self.send_response(302)
                    self.send_header("Location", "file:///etc/hostname")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path == "/to-img":
                    self.send_response(302)
                    self.send_header("Location", "/img/redirected.png")
                    self.send_header("Set-Cookie", "track=1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._send(404, "text/plain", b"no")

            def _send(self, code: int, ctype: str, body: bytes, length: bool = True) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Set-Cookie", "track=1")
                if length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.base = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       name="test-http",
                                       daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.stop()


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[MessageView]:
    widget = MessageView(remote_loader=RemoteImageLoader(allow_networks=LOCAL))
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    yield widget
    assert widget.remote_loader.shutdown(10_000)


def html_message(sender: bytes, body: str) -> ParsedMessage:
    return parse_message(b"From: " + sender + b"\r\nSubject: s\r\n"
                         b"Content-Type: text/html; charset=utf-8\r\n\r\n" + body.encode())


def newsletter(server: Server, tag: str = "a") -> str:
    u = server.url
    return (
        f'<html><head><link rel="stylesheet" href="{u("/link.css")}">'
        f'<link rel="preload" as="font" href="{u("/font-link.woff2")}">'
        f'<style>@import url("{u("/import.css")}");'
        f'@font-face {{ font-family: X; src: url({u("/font.woff")}); }}'
        f'body {{ background: url({u("/css-bg.png")}); }}</style></head>'
        f'<body background="{u("/body-bg.png")}">'
        f'<p style="background-image: url(\'{u("/inline-bg.png")}\')">Hello</p>'
        f'<img src="{u(f"/img/{tag}1.png")}"><img src="{u(f"/img/{tag}2.png?x=1&amp;y=2")}">'
        f'<img src="{u(f"/img/{tag}1.png")}">'
        f'<img srcset="{u("/srcset.png")} 2x">'
        f'<img src="file:///etc/hostname"><img src="/etc/hostname">'
        f'</body></html>')


CSS_PATHS = {"/link.css", "/font-link.woff2", "/import.css", "/font.woff", "/css-bg.png",
             "/body-bg.png", "/inline-bg.png", "/srcset.png"}


def image_size(view: MessageView, url: str) -> tuple[int, int]:
    ref = view.remote_refs[url]
    resource = view.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(ref))
    assert isinstance(resource, QImage)
    return resource.width(), resource.height()


def load_and_wait(qtbot: QtBot, view: MessageView, always: bool = False) -> None:
    with qtbot.waitSignal(view.remote_loader.finished, timeout=10_000):
        (view.load_always_button if always else view.load_once_button).click()


def test_showing_a_message_makes_no_request(server: Server, view: MessageView) -> None:
    view.show_message(html_message(b"news@example.org", newsletter(server)), REF)
    assert view.remote_bar.isVisible() and view.blocked_remote == 13
    assert not view.remote_loader.busy and view.remote_refs == {}
    assert server.paths == []
    assert not any(r.answered for r in view.browser.requests)


def test_load_for_this_message_fetches_exactly_the_images(
        qtbot: QtBot, server: Server, view: MessageView) -> None:
    view.show_message(html_message(b"news@example.org", newsletter(server)), REF)
    width_before = view.browser.document().idealWidth()
    load_and_wait(qtbot, view)
    assert sorted(server.paths) == ["/img/a1.png", "/img/a2.png?x=1&y=2"]
    assert not CSS_PATHS & set(server.paths)
    assert image_size(view, server.url("/img/a1.png")) == (37, 23)
    assert image_size(view, server.url("/img/a2.png?x=1&y=2")) == (37, 23)
    assert view.remote_loaded == 2
    assert "2 of 2" in view.remote_label.text() and not view.load_once_button.isVisible()
    # Laid out with the real size, not the 1x1 placeholder's.
    qtbot.waitUntil(lambda: view.browser.document().idealWidth() >= 37 * 3 > width_before)
    # Privacy: no Referer, no cookie (the server set one), a generic User-Agent.
    for headers in server.headers:
        assert "referer" not in headers and "cookie" not in headers
        assert headers["user-agent"] == "Mozilla/5.0"
    # Only the two internal references reach the document; no file name is answered.
    asked = {r.url for r in view.browser.requests}
    assert {"qtmail-remote:0", "qtmail-remote:1"} <= asked
    assert not any(r.answered for r in view.browser.requests
                   if not r.url.startswith("qtmail-remote:"))
    # Another message: nothing more is requested, nothing of the first one survives.
    view.show_message(html_message(b"news@example.org", newsletter(server, "b")), REF)
    assert view.remote_refs == {} and len(server.paths) == 2


def test_non_images_oversized_and_redirects_to_file_are_dropped(
        qtbot: QtBot, server: Server, view: MessageView) -> None:
    view.remote_loader.max_resource_bytes = SMALL_CAP
    paths = ["/img/ok.png", "/notimage.png", "/svg.png", "/big.png", "/big-unsized.png",
             "/to-file", "/missing.png"]
    body = "".join(f'<img src="{server.url(p)}">' for p in paths)
    view.show_message(html_message(b"news@example.org", body), REF)
    dropped: list[tuple[str, str]] = []
    view.remote_loader.image_dropped.connect(lambda _b, url, why: dropped.append((url, why)))
    load_and_wait(qtbot, view)
    assert sorted(server.paths) == sorted(paths)
    assert view.remote_loaded == 1
    assert image_size(view, server.url("/img/ok.png")) == (37, 23)
    assert {url for url, _why in dropped} == {server.url(p) for p in paths[1:]}
    reasons = dict(dropped)
    assert "not an image" in reasons[server.url("/notimage.png")]
    assert reasons[server.url("/big.png")] == "too large"
    assert reasons[server.url("/big-unsized.png")] == "too large"
    assert "redirect" in reasons[server.url("/to-file")].lower()
    for path in paths[1:]:
        assert image_size(view, server.url(path)) == (1, 1)


def test_a_redirect_to_another_image_is_followed_without_cookies(
        qtbot: QtBot, server: Server) -> None:
    loader = RemoteImageLoader(allow_networks=LOCAL)
    loaded: list[QImage] = []
    loader.image_loaded.connect(lambda _b, _url, image: loaded.append(image))
    with qtbot.waitSignal(loader.finished, timeout=10_000):
        loader.load([server.url("/to-img")])
    assert loader.shutdown()
    assert server.paths == ["/to-img", "/img/redirected.png"]
    assert "cookie" not in server.headers[1] and "referer" not in server.headers[1]
    assert [(i.width(), i.height()) for i in loaded] == [(37, 23)]


def test_loader_refuses_other_schemes_and_caps_the_count(
        qtbot: QtBot, server: Server) -> None:
    loader = RemoteImageLoader(allow_networks=LOCAL)
    loader.max_resources = 5
    dropped: dict[str, str] = {}
    loader.image_dropped.connect(lambda _b, url, why: dropped.__setitem__(url, why))
    urls = ["file:///etc/hostname", "data:image/png;base64,AAAA", "ftp://127.0.0.1/x.png",
            *(server.url(f"/img/n{i}.png") for i in range(5))]
    with qtbot.waitSignal(loader.finished, timeout=10_000):
        loader.load(urls)
    assert loader.shutdown()
    assert set(dropped) == set(urls) - {server.url("/img/n0.png"), server.url("/img/n1.png")}
    assert dropped["file:///etc/hostname"] == "not an http(s) URL"
    assert dropped[server.url("/img/n4.png")] == "too many resources"
    assert dropped[server.url("/img/n3.png")] == "too many resources"
    assert sorted(server.paths) == ["/img/n0.png", "/img/n1.png"]


def test_svg_and_bombs_are_not_decoded() -> None:
    assert decode_image(b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>') \
        is None
    assert decode_image(b"GIF89a garbage") is None
    image = decode_image(PIXEL)
    assert image is not None and image.width() == 37


def test_local_files_are_never_read(qtbot: QtBot, server: Server, view: MessageView) -> None:
    body = ('<img src="file:///etc/hostname"><img src="/etc/hostname">'
            f'<img src="{server.url("/img/x.png")}">')
    safe = sanitize_html(body, allow_remote_images=True)
    assert safe.remote_images == (server.url("/img/x.png"),)
    view.show_message(html_message(b"news@example.org", body), REF)
    load_and_wait(qtbot, view)
    assert server.paths == ["/img/x.png"]
    document = view.browser.document()
    for name in ("file:///etc/hostname", "/etc/hostname"):
        resource = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert not isinstance(resource, QImage) or resource.size().width() <= 1


def test_always_for_this_sender(qtbot: QtBot, server: Server, view: MessageView) -> None:
    saved: list[list[str]] = []
    view.remote_policy = RemoteContentPolicy(on_change=saved.append)
    view.show_message(html_message(b"News <news@example.org>", newsletter(server, "a")), REF)
    assert server.paths == []
    with qtbot.waitSignal(view.load_remote_requested) as requested:
        load_and_wait(qtbot, view, always=True)
    assert requested.args == [REF, "news@example.org", True]
    assert saved == [["news@example.org"]]
    assert sorted(server.paths) == ["/img/a1.png", "/img/a2.png?x=1&y=2"]
    # The next message from the same address loads by itself.
    with qtbot.waitSignal(view.remote_loader.finished, timeout=10_000):
        view.show_message(html_message(b"NEWS@Example.org", newsletter(server, "b")), REF)
    assert sorted(server.paths)[2:] == ["/img/b1.png", "/img/b2.png?x=1&y=2"]
    assert image_size(view, server.url("/img/b1.png")) == (37, 23)
    assert not CSS_PATHS & set(server.paths)
    seen = len(server.paths)
    # Another sender, a look-alike and a Mailsploit header: nothing is fetched.
    view.remote_policy.allow("potus@whitehouse.gov")
    for sender in (b"other@example.org", b'"news@example.org" <news@evil.example>',
                   MAILSPLOIT.removeprefix(b"From: ").removesuffix(b"\r\n")):
        view.show_message(html_message(sender, newsletter(server, "c")), REF)
        assert view.remote_refs == {} and not view.remote_loader.busy
        assert view.load_once_button.isVisible()
    assert len(server.paths) == seen


def test_sanitizer_keeps_only_live_img_src() -> None:
    body = ('<img src="https://a.example/1.png" srcset="https://a.example/2.png 2x">'
            '<template><img src="https://a.example/hidden.png"></template>'
            '<script><img src="https://a.example/script.png"></script>'
            '<img src="qtmail-remote:0"><img src="javascript:alert(1)">'
            '<table background="https://a.example/bg.png"><tr><td>x</td></tr></table>'
            '<style>@import "https://a.example/i.css";'
            ' p { background: url(https://a.example/c.png) }</style><link rel=stylesheet href="https://a.example/l.css">')
    plain = sanitize_html(body)
    safe = sanitize_html(body, allow_remote_images=True)
    assert plain.remote_images == () and "a.example" not in plain.html
    assert safe.remote_images == ("https://a.example/1.png",)
    assert safe.html.count('src="qtmail-remote:0"') == 1  # The message's own one is gone.
    assert "a.example" not in safe.html and "javascript" not in safe.html
    assert safe.blocked_remote == plain.blocked_remote - 1


def test_a_late_answer_for_the_previous_message_is_dropped(
        qtbot: QtBot, server: Server, view: MessageView) -> None:
    loaded: list[str] = []
    view.remote_loader.image_loaded.connect(lambda _b, url, _image: loaded.append(url))
    view.show_message(html_message(b"a@example.org", f'<img src="{server.url("/slow.png")}">'))
    view.load_once_button.click()
    qtbot.waitUntil(lambda: server.paths == ["/slow.png"])
    assert view.remote_loader.busy
    view.show_message(html_message(b"b@example.org", "<p>next</p>"))
    assert not view.remote_loader.busy and view.remote_refs == {}
    server.release.set()
    assert view.remote_loader.shutdown(10_000)
    QCoreApplication.processEvents()
    assert loaded == [] and view.remote_loaded == 0
    assert not view.remote_bar.isVisible()


def test_an_untrusted_certificate_is_refused(
        qtbot: QtBot, tmp_path: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60)
    server = Server((tmp_path / "cert.pem", tmp_path / "key.pem"))
    try:
        loader = RemoteImageLoader(allow_networks=LOCAL)
        dropped: list[str] = []
        loader.image_dropped.connect(lambda _b, _url, why: dropped.append(why))
        with qtbot.waitSignal(loader.finished, timeout=10_000):
            loader.load([server.url("/img/x.png")])
        assert loader.shutdown()
    finally:
        server.stop()
    assert len(dropped) == 1 and "CERTIFICATE_VERIFY_FAILED" in dropped[0]
    assert server.paths == []
