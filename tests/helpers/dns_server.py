"""A tiny authoritative DNS server on 127.0.0.1 (UDP) for account setup tests: SRV and
MX records from a dict, NXDOMAIN for the rest. Written for the tests (RFC 1035 4)."""

from __future__ import annotations

import socket
import struct
import threading

A, SRV, MX = 1, 33, 15

Records = dict[tuple[str, int], list[tuple[int, ...] | tuple[int, str] | tuple]]


def _encode(name: str) -> bytes:
    if name in ("", "."):
        return b"\0"
    return b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"


class DnsServer:
    """``records[(name, type)]``: for SRV (priority, weight, port, target), for MX
    (preference, host), for A (address,). Counts the questions it was asked."""

    def __init__(self, records: Records) -> None:
        self.records = {(name.lower().rstrip("."), kind): value
                        for (name, kind), value in records.items()}
        self.asked: list[tuple[str, int]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.address = self.sock.getsockname()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                query, peer = self.sock.recvfrom(4096)
            except (TimeoutError, OSError):
                continue
            self.sock.sendto(self._answer(query), peer)

    def _answer(self, query: bytes) -> bytes:
        ident = query[:2]
        offset, labels = 12, []
        while query[offset]:
            length = query[offset]
            labels.append(query[offset + 1:offset + 1 + length].decode())
            offset += 1 + length
        qtype = struct.unpack("!H", query[offset + 1:offset + 3])[0]
        question = query[12:offset + 5]
        name = ".".join(labels).lower()
        self.asked.append((name, qtype))
        answers = self.records.get((name, qtype))
        if answers is None:
            return ident + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0) + question
        body = b""
        for value in answers:
            if qtype == A:
                rdata = socket.inet_aton(value[0])
            elif qtype == SRV:
                priority, weight, port, target = value
                rdata = struct.pack("!HHH", priority, weight, port) + _encode(target)
            else:
                preference, host = value
                rdata = struct.pack("!H", preference) + _encode(host)
            body += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + rdata
        return ident + struct.pack("!HHHHH", 0x8180, 1, len(answers), 0, 0) + question + body
