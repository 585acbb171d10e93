"""A local HTTPS server with its own test CA, for host names that do not exist
(autoconfig.example.test...): the client maps them to 127.0.0.1 and still checks the
certificate against the name. The CA and certificate are made with openssl."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from pathlib import Path


def make_ca_and_cert(folder: Path, names: list[str]) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate, server key) for ``names``."""
    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)

    ca_key, ca = folder / "ca.key", folder / "ca.pem"
    key, csr, cert = folder / "server.key", folder / "server.csr", folder / "server.pem"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=qtmail test CA", "-keyout", str(ca_key), "-out", str(ca))
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={names[0]}",
            "-keyout", str(key), "-out", str(csr))
    extensions = folder / "san.cnf"
    extensions.write_text("subjectAltName=" + ",".join(f"DNS:{n}" for n in names) + "\n")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
            "-CAcreateserial", "-days", "2", "-extfile", str(extensions), "-out", str(cert))
    return ca, cert, key


class HttpsServer:
    """Serves ``pages[(host, path-with-query)]`` (bytes); 404 otherwise. Records
    every request as (host, path)."""

    def __init__(self, folder: Path, names: list[str],
                 pages: dict[tuple[str, str], bytes], port: int = 0) -> None:
        self.ca, cert, key = make_ca_and_cert(folder, names)
        self.pages = pages
        self.requests: list[tuple[str, str]] = []
        self.posts: list[tuple[str, bytes, dict[str, str]]] = []
        """(path, body, headers) of every POST."""
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0]
                owner.requests.append((host, self.path))
                body = owner.pages.get((host, self.path))
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/xml")
                self.end_headers()
                if body is not None:
                    self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner.posts.append((self.path, self.rfile.read(length),
                                    {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
