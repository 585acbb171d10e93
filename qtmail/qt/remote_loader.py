"""Fetches a message's remote images when, and only when, the user asked (C.23).

Runs off the GUI thread: every URL is one QRunnable on a private QThreadPool using
urllib with an opener that has only the HTTP and HTTPS handlers (no file:, data:, ftp:
handler exists to be reached, not even through a redirect), certificate verification on,
no cookies, no Referer, a generic User-Agent, a timeout and an overall deadline, a size
cap per resource and per message, and at most ``max_resources`` URLs per message.
Only images survive: the Content-Type must be image/*, and the bytes must decode as one
of a few raster formats (SVG is refused: it can reference other resources).
Results reach the GUI thread through a queued signal; those of a cancelled batch (the
user moved to another message) are dropped there.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPMessage, HTTPResponse
from typing import IO
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader

from qtmail.net.remote_guard import (
    AddressPolicy,
    AddressRefused,
    GuardedHTTPHandler,
    GuardedHTTPSHandler,
)

log = logging.getLogger(__name__)

MAX_RESOURCES = 50
"""Remote images fetched per message; further URLs are dropped."""
MAX_RESOURCE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 15.0
"""Socket timeout, and the overall deadline of one resource (redirects and body)."""
MAX_PIXELS = 40_000_000
"""Decoded size limit (a 5 MB PNG can claim 30,000 x 30,000 pixels)."""
MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0"
"""Generic: says nothing about the client, its version or the system."""
IMAGE_FORMATS = frozenset({"png", "jpeg", "jpg", "gif", "webp", "bmp"})
"""Decoders allowed on untrusted bytes (detected from the content, not from the name)."""
_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class RemoteResult:
    batch: int
    url: str
    image: QImage | None
    reason: str = ""
    """Why nothing was loaded (for diagnostics; empty on success)."""


class _Refused(Exception):
    pass


def _allowed_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _SCHEMES and bool(parts.hostname)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows http(s) redirects only, never from https down to http."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                         msg: str, headers: HTTPMessage, newurl: str
                         ) -> urllib.request.Request | None:
        if not _allowed_url(newurl):
            fp.close()
            raise _Refused(f"redirect to a refused scheme: {newurl[:80]}")
        if urlsplit(req.full_url).scheme.lower() == "https" \
                and urlsplit(newurl).scheme.lower() != "https":
            fp.close()
            raise _Refused("redirect from https to http")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.remove_header("Referer")
        return new


def _opener(policy: AddressPolicy) -> urllib.request.OpenerDirector:
    # Built by hand: build_opener() would add FileHandler, FTPHandler and DataHandler.
    # No HTTPCookieProcessor: nothing is sent or kept. Proxies from the environment
    # are honoured as for any other request of the user. Connections go to public
    # addresses only, on every redirect too (remote_guard.py).
    opener = urllib.request.OpenerDirector()
    context = ssl.create_default_context()  # Verifies the certificate and the host name.
    for handler in (
        urllib.request.ProxyHandler(),
        GuardedHTTPHandler(policy),
        GuardedHTTPSHandler(policy, context),
        _RedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener


class _Batch:
    """One message's loads: a cancel flag, the shared byte budget and what is pending."""

    def __init__(self, batch: int, max_total: int) -> None:
        self.id = batch
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._left = max_total
        self.pending = 0

    def take(self, size: int) -> bool:
        with self._lock:
            if size > self._left:
                return False
            self._left -= size
            return True


def decode_image(data: bytes) -> QImage | None:
    """A raster image of an allowed format within MAX_PIXELS, or None."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    if bytes(reader.format().data()).decode("ascii", "replace").lower() not in IMAGE_FORMATS:
        return None
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > MAX_PIXELS:
        return None
    image = reader.read()
    buffer.close()
    return None if image.isNull() else image


class _Fetch(QRunnable):
    def __init__(self, loader: RemoteImageLoader, batch: _Batch, url: str) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._loader = loader
        self._batch = batch
        self._url = url
        self._max_bytes = loader.max_resource_bytes
        self._timeout = loader.timeout
        self._policy = loader.address_policy

    def run(self) -> None:
        image: QImage | None = None
        reason = ""
        try:
            if self._batch.cancelled.is_set():
                raise _Refused("cancelled")
            image = decode_image(self._download())
            if image is None:
                reason = "not a supported image"
        except (_Refused, AddressRefused) as refused:
            reason = str(refused)
        except urllib.error.HTTPError as error:
            error.close()  # It holds the response (a 404 page, a refused redirect).
            reason = f"HTTPError: {error}"
        except urllib.error.URLError as error:
            reason = str(error.reason) if isinstance(error.reason, AddressRefused) \
                else f"URLError: {error}"
        except (OSError, ValueError) as error:
            reason = f"{type(error).__name__}: {error}"
        except Exception as error:  # http.client and ssl have odd failures; never crash.
            log.debug("remote image fetch failed", exc_info=True)
            reason = f"{type(error).__name__}: {error}"
        with contextlib.suppress(RuntimeError):  # The loader was deleted while this ran.
            self._loader._result.emit(RemoteResult(self._batch.id, self._url, image, reason))

    def _download(self) -> bytes:
        if not _allowed_url(self._url):
            raise _Refused("not an http(s) URL")
        deadline = time.monotonic() + self._timeout
        request = urllib.request.Request(self._url, headers={
            "Accept": "image/png,image/jpeg,image/gif,image/webp,image/*;q=0.8",
            "Accept-Encoding": "identity"})
        response = _opener(self._policy).open(request, timeout=self._timeout)
        if not isinstance(response, HTTPResponse):
            raise _Refused("no http response")
        with response:
            if not _allowed_url(response.geturl()):
                raise _Refused("final URL has a refused scheme")
            ctype = response.headers.get_content_type()
            if not ctype.startswith("image/") or "svg" in ctype:
                raise _Refused(f"not an image: {ctype}")
            length = response.headers.get("Content-Length")
            if length is not None and length.strip().isdigit() \
                    and int(length) > self._max_bytes:
                raise _Refused("too large")
            chunks: list[bytes] = []
            total = 0
            while True:
                if self._batch.cancelled.is_set():
                    raise _Refused("cancelled")
                if time.monotonic() > deadline:
                    raise _Refused("too slow")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > self._max_bytes:
                    raise _Refused("too large")
                if not self._batch.take(len(chunk)):
                    raise _Refused("message total too large")
                chunks.append(chunk)
        return b"".join(chunks)


class RemoteImageLoader(QObject):
    """Loads one message's remote images at a time; ``load()`` cancels the previous batch.

    Signals (GUI thread, current batch only): ``image_loaded(int batch, str url, QImage)``,
    ``image_dropped(int batch, str url, str reason)``, ``finished(int batch)`` after the
    last URL of a batch was answered.
    """

    image_loaded = Signal(int, str, QImage)
    image_dropped = Signal(int, str, str)
    finished = Signal(int)
    _result = Signal(object)

    def __init__(self, parent: QObject | None = None, *, threads: int = 4,
                 allow_networks: Sequence[str] = ()) -> None:
        """``allow_networks`` (e.g. "127.0.0.0/8"): private networks to reach anyway;
        for tests with a local HTTP server only, the application passes none."""
        super().__init__(parent)
        self.address_policy = AddressPolicy(allow_networks)
        self.max_resources = MAX_RESOURCES
        self.max_resource_bytes = MAX_RESOURCE_BYTES
        self.max_total_bytes = MAX_TOTAL_BYTES
        self.timeout = TIMEOUT_SECONDS
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(threads)
        self._batch: _Batch | None = None
        self._next = 0
        self._result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._batch is not None and self._batch.pending > 0

    def load(self, urls: Sequence[str]) -> int:
        """Start fetching ``urls`` (first ``max_resources`` distinct ones); the batch id."""
        self.cancel()
        self._next += 1
        batch = _Batch(self._next, self.max_total_bytes)
        self._batch = batch
        wanted = list(dict.fromkeys(urls))
        for url in wanted[self.max_resources:]:
            self._result.emit(RemoteResult(batch.id, url, None, "too many resources"))
            batch.pending += 1
        for url in wanted[: self.max_resources]:
            batch.pending += 1
            self._pool.start(_Fetch(self, batch, url))
        if not wanted:
            self.finished.emit(batch.id)
        return batch.id

    def cancel(self) -> None:
        """Forget the current batch: running fetches stop at their next chunk."""
        if self._batch is not None:
            self._batch.cancelled.set()
            self._batch = None

    def shutdown(self, msecs: int = 5000) -> bool:
        """Cancel and wait for the worker threads; False if some did not stop in time."""
        self.cancel()
        return bool(self._pool.waitForDone(msecs))

    def _on_result(self, result: RemoteResult) -> None:
        batch = self._batch
        if batch is None or result.batch != batch.id:
            return
        batch.pending -= 1
        if result.image is not None:
            self.image_loaded.emit(result.batch, result.url, result.image)
        else:
            log.info("remote image dropped (%s): %.200s", result.reason, result.url)
            self.image_dropped.emit(result.batch, result.url, result.reason)
        if batch.pending == 0:
            self.finished.emit(result.batch)
