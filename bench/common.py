"""Reusable benchmark pieces: a private Dovecot, a fast folder filler, the raw floor.

Used by bench_fetch.py; the sync engine's full-sync benchmark imports the same helpers.
"""

from __future__ import annotations

import os
import random
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from helpers.dovecot import MAIL_UID, DovecotServer, MailUser, make_root  # noqa: E402

from qtmail.imap.summary import SUMMARY_FIELDS  # noqa: E402

ENVELOPE_FETCH = b"UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)"
SUMMARY_FETCH = (b"UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ "
                 b"BODY.PEEK[HEADER.FIELDS (" + " ".join(SUMMARY_FIELDS).encode() + b")])")
"""What qtmail's first sync asks for (imap/fastfetch.py), in one command."""


@contextmanager
def dovecot(variant: str = "full") -> Iterator[DovecotServer]:
    """A private Dovecot for the duration of the block (its directory removed after)."""
    import shutil

    root = make_root()
    server = DovecotServer(root, variant).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# --- message generation -------------------------------------------------------------------

_FIRST = ["Anna", "Bernd", "Chloé", "Dmitri", "Eve", "François", "Grace", "Hiro", "Ines",
          "José", "Kai", "Lena", "Mohammed", "Nora", "Olaf", "Priya", "Quentin", "Rosa",
          "Søren", "Tomasz", "Uma", "Viktor", "Wen", "Xavier", "Yusuf", "Zoë"]
_LAST = ["Müller", "Smith", "García", "Nakamura", "Kowalski", "O'Brien", "Dubois",
         "Rossi", "Ivanova", "Chen", "Andersson", "Novak", "Silva", "Khan", "Weber"]
_DOMAINS = ["example.org", "mail.example.com", "lists.example.net", "corp.example",
            "university.example.edu"]
_WORDS = ["meeting", "budget", "report", "release", "draft", "review", "quarterly",
          "invoice", "schedule", "update", "question", "proposal", "agenda", "minutes",
          "travel", "security", "patch", "build", "deadline", "feedback", "contract",
          "design", "roadmap", "hiring", "outage"]
_ZONES = ["+0000", "-0700", "+0100", "+0200", "-0500", "+0530", "+0900"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _encoded_word(text: str) -> str:
    import base64

    return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    addr = f"{first.lower()}.{last.lower()}@{rng.choice(_DOMAINS)}".encode(
        "ascii", "ignore").decode().replace("'", "")
    return f"{first} {last}", addr


def _mailbox(rng: random.Random) -> str:
    name, addr = _person(rng)
    roll = rng.random()
    if roll < 0.15:
        return addr
    if not name.isascii():
        return f"{_encoded_word(name)} <{addr}>"
    if roll < 0.35:
        return f'"{name}" <{addr}>'
    return f"{name} <{addr}>"


def make_template(i: int, rng: random.Random) -> bytes:
    """One realistic message with ``@DATE@``/``@ID@`` markers (LF ends, as in a Maildir)."""
    subject = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 9))).capitalize()
    roll = rng.random()
    if roll < 0.08:
        subject = _encoded_word(subject + " – Ünïcode ✓")
    elif roll < 0.12:
        subject = subject + " " + " ".join(rng.choice(_WORDS) for _ in range(12))
        subject = subject[:60] + "\n " + subject[60:]  # folded
    if rng.random() < 0.3:
        subject = "Re: " + subject
    lines = [
        f"Return-Path: <bounce-{i}@{rng.choice(_DOMAINS)}>",
        f"Received: from mx{rng.randint(1, 9)}.example.org (mx.example.org [192.0.2.{i % 250}])"
        "\n\tby imap.example.org with ESMTPS id @ID@; @DATE@",
        f"From: {_mailbox(rng)}",
        "To: " + ", ".join(_mailbox(rng) for _ in range(rng.choice((1, 1, 1, 2, 3)))),
    ]
    if rng.random() < 0.3:
        lines.append("Cc: " + ", ".join(_mailbox(rng) for _ in range(rng.randint(1, 4))))
    lines += [f"Subject: {subject}", "Date: @DATE@", f"Message-ID: <@ID@@{rng.choice(_DOMAINS)}>"]
    if subject.startswith("Re:"):
        refs = [f"<{rng.getrandbits(40):x}@{rng.choice(_DOMAINS)}>"
                for _ in range(rng.randint(1, 6))]
        lines.append(f"In-Reply-To: {refs[-1]}")
        lines.append("References: " + "\n ".join(refs))
    lines += ["MIME-Version: 1.0", "X-Mailer: bench"]
    text = "\n".join(" ".join(rng.choice(_WORDS) for _ in range(12)) for _ in range(
        rng.randint(3, 30)))
    if rng.random() < 0.15:
        lines.append('Content-Type: multipart/mixed; boundary="b1"')
        body = (f"--b1\nContent-Type: text/plain; charset=utf-8\n\n{text}\n"
                f"--b1\nContent-Type: application/pdf; name=\"doc{i}.pdf\"\n"
                f"Content-Transfer-Encoding: base64\n\n{'JVBERi0xLjQK' * 40}\n--b1--\n")
    else:
        lines.append("Content-Type: text/plain; charset=utf-8")
        body = text + "\n"
    return ("\n".join(lines) + "\n\n" + body).encode("utf-8")


def _rfc5322_date(when: float, zone: str) -> bytes:
    hours, minutes = int(zone[1:3]), int(zone[3:5])
    shift = (hours * 3600 + minutes * 60) * (-1 if zone[0] == "-" else 1)
    tm = time.gmtime(when + shift)
    return (f"{_DAYS[tm.tm_wday]}, {tm.tm_mday} {_MONTHS[tm.tm_mon - 1]} {tm.tm_year} "
            f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} {zone}").encode()


def populate(server: DovecotServer, user: MailUser, count: int, *, seed: int = 1,
             templates: int = 1009) -> float:
    """Fill the user's INBOX with ``count`` messages; return the seconds it took.

    Messages come from ``templates`` varied templates with a unique Date, Message-ID
    and arrival time each. Writes Maildir files directly (owned by the mail uid:
    recipe pitfall 1, mtime = INTERNALDATE), with S=/W= sizes in the names so Dovecot
    need not stat them, then lets doveadm index the folder (UIDs in name order,
    oldest first).
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    pool = [make_template(i, rng) for i in range(templates)]
    home = user.maildir.parent
    maildir = user.maildir
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    now = time.time()
    oldest = now - 3 * 365 * 86400
    step = (now - oldest) / max(count, 1)
    cur = str(maildir / "cur")
    owner = MAIL_UID if os.geteuid() == 0 else -1
    flag_choices = ["S"] * 80 + [""] * 12 + ["FS"] * 3 + ["RS"] * 4 + ["F"]
    for i in range(count):
        when = oldest + i * step + rng.random() * step
        date = _rfc5322_date(when, _ZONES[i % len(_ZONES)])
        data = pool[(i * 7919) % templates].replace(b"@DATE@", date).replace(
            b"@ID@", b"%d.%x" % (i, rng.getrandbits(32)))
        vsize = len(data) + data.count(b"\n")
        name = (f"{cur}/{int(when)}.M{i}P1.bench,S={len(data)},W={vsize}:2,"
                f"{flag_choices[i % len(flag_choices)]}")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.utime(fd, (when, when))
            if owner >= 0:
                os.fchown(fd, owner, owner)
        finally:
            os.close(fd)
    if owner >= 0:
        for path in (home, maildir, *(maildir / s for s in ("cur", "new", "tmp"))):
            os.chown(path, owner, owner)
    server.doveadm("index", "-u", user.name, "INBOX")
    return time.perf_counter() - started


# --- the raw protocol floor ---------------------------------------------------------------


def _command(sock: socket.socket, tag: bytes, command: bytes) -> int:
    """Send a command, read until its tagged completion without parsing; bytes read."""
    sock.sendall(tag + b" " + command + b"\r\n")
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = 0
    tail = b"\n"  # the completion may be the first line read
    while True:
        n = sock.recv_into(view)
        if n == 0:
            raise ConnectionError("server closed the connection")
        total += n
        tail = (tail + bytes(view[max(0, n - 4096):n]))[-4096:]
        if tail.endswith(b"\r\n"):
            last = tail[tail.rfind(b"\n", 0, len(tail) - 2) + 1:]
            if last.startswith(tag + b" "):
                return total


def raw_connection(user: MailUser, folder: str = "INBOX") -> socket.socket:
    sock = socket.create_connection((user.host, user.port), timeout=60)
    sock.recv(4096)  # greeting
    _command(sock, b"L1", f'LOGIN "{user.name}" "{user.password}"'.encode())
    _command(sock, b"L2", f'SELECT "{folder}"'.encode())
    return sock


def raw_floor(user: MailUser, command: bytes = ENVELOPE_FETCH) -> tuple[float, int]:
    """Seconds and bytes to read ``command``'s whole answer off the socket, unparsed."""
    sock = raw_connection(user)
    try:
        started = time.perf_counter()
        size = _command(sock, b"F1", command)
        elapsed = time.perf_counter() - started
        _command(sock, b"F2", b"LOGOUT")
    finally:
        sock.close()
    return elapsed, size
