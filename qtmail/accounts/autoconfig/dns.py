"""Just enough DNS for account setup: SRV (RFC 2782, for RFC 6186/8314) and MX records,
asked over UDP of the system's resolver (RFC 1035 4), with a short timeout.

Our own ~120 lines instead of a dependency: two record types, one question each. What
DNS says is not authenticated (no DNSSEC here), so the dialog marks it as such.
"""

from __future__ import annotations

import secrets
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

A = 1
SRV = 33
MX = 15
_IN = 1
_RESOLV_CONF = Path("/etc/resolv.conf")


class DnsError(OSError):
    """No usable answer (timeout, a malformed or truncated reply, a server failure)."""


@dataclass(frozen=True)
class SrvRecord:
    priority: int
    weight: int
    port: int
    target: str
    """"" for RFC 2782's "." target: the service is decidedly not offered (RFC 6186 3.4)."""


def system_nameserver() -> tuple[str, int]:
    try:
        for line in _RESOLV_CONF.read_text(encoding="ascii", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver":
                return parts[1], 53
    except OSError:
        pass
    return "127.0.0.1", 53


class Resolver:
    """Asks ``server`` (host, port); ``timeout`` seconds a question."""

    def __init__(self, server: tuple[str, int] | None = None, timeout: float = 3.0) -> None:
        self.server = server or system_nameserver()
        self.timeout = timeout

    def srv(self, name: str) -> list[SrvRecord]:
        """Sorted by priority, then weight, highest first (RFC 2782's order)."""
        records = []
        for rdata, message in self._answers(name, SRV):
            if len(rdata[1]) < 7:
                raise DnsError("short SRV record")
            priority, weight, port = struct.unpack("!HHH", rdata[1][:6])
            target, _end = _name(message, rdata[0] + 6)
            records.append(SrvRecord(priority, weight, port, target.rstrip(".")))
        return sorted(records, key=lambda r: (r.priority, -r.weight))

    def mx(self, name: str) -> list[str]:
        """Mail exchangers, most preferred first."""
        found = []
        for rdata, message in self._answers(name, MX):
            if len(rdata[1]) < 3:
                raise DnsError("short MX record")
            preference = struct.unpack("!H", rdata[1][:2])[0]
            host, _end = _name(message, rdata[0] + 2)
            found.append((preference, host.rstrip(".")))
        return [host for _p, host in sorted(found)]

    def a(self, name: str) -> list[str]:
        """IPv4 addresses of ``name`` (used only when the user names a DNS server, to
        reach test servers by made-up names: the system's resolver does the rest)."""
        return [socket.inet_ntoa(rdata[1]) for rdata, _message in self._answers(name, A)
                if len(rdata[1]) == 4]

    def _answers(self, name: str, qtype: int) -> list[tuple[tuple[int, bytes], bytes]]:
        """((offset of rdata in the message, rdata), message) of each answer of ``qtype``;
        [] for NXDOMAIN or no record."""
        ident = secrets.randbits(16)
        query = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + _encode(name) \
            + struct.pack("!HH", qtype, _IN)
        with socket.socket(socket.AF_INET6 if ":" in self.server[0] else socket.AF_INET,
                           socket.SOCK_DGRAM) as sock:
            sock.settimeout(self.timeout)
            try:
                sock.sendto(query, self.server)
                while True:
                    message, _peer = sock.recvfrom(4096)
                    if len(message) >= 12 and struct.unpack("!H", message[:2])[0] == ident:
                        break  # an answer to another question: keep listening
            except OSError as exc:
                raise DnsError(str(exc)) from exc
        _id, flags, qdcount, ancount, _ns, _ar = struct.unpack("!HHHHHH", message[:12])
        if flags & 0x0200:
            raise DnsError("truncated answer")
        rcode = flags & 0x000F
        if rcode == 3:
            return []  # NXDOMAIN
        if rcode != 0:
            raise DnsError(f"server answered rcode {rcode}")
        offset = 12
        for _ in range(qdcount):
            _qname, offset = _name(message, offset)
            offset += 4
        answers = []
        for _ in range(ancount):
            _rname, offset = _name(message, offset)
            if offset + 10 > len(message):
                raise DnsError("short answer")
            rtype, _cls, _ttl, length = struct.unpack("!HHIH", message[offset:offset + 10])
            offset += 10
            rdata = message[offset:offset + length]
            if len(rdata) != length:
                raise DnsError("short record")
            if rtype == qtype:
                answers.append(((offset, rdata), message))
            offset += length
        return answers


def _encode(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("idna") if label else b""
        if not raw or len(raw) > 63:
            raise DnsError(f"not a DNS name: {name!r}")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def _name(message: bytes, offset: int) -> tuple[str, int]:
    """A (possibly compressed, RFC 1035 4.1.4) name at ``offset``; (name, offset after)."""
    labels: list[str] = []
    end = -1
    jumps = 0
    while True:
        if offset >= len(message):
            raise DnsError("name runs past the message")
        length = message[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(message) or jumps > 20:
                raise DnsError("bad name pointer")
            if end < 0:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | message[offset + 1]
            jumps += 1
            continue
        offset += 1
        if length == 0:
            break
        labels.append(message[offset:offset + length].decode("ascii", "replace"))
        offset += length
    return ".".join(labels) + ".", end if end >= 0 else offset
