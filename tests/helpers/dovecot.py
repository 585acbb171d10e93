"""A private Dovecot IMAP server on 127.0.0.1 for tests (see shared/recipes/dovecot.md).

One ``DovecotServer`` per capability variant, started once per test session; each test
gets its own user (a fresh, empty mailbox) on it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from helpers import mailgen
from helpers.oauth_server import OAuthServer

MAIL_UID = 65534  # Dovecot refuses uid 0 as a mail owner (recipe pitfall 1).
PASSWORD = "secret-pw"
USER_BATCH = 200
SPECIAL_USE = {"Drafts": "\\Drafts", "Sent": "\\Sent", "Trash": "\\Trash",
               "Junk": "\\Junk", "Archive": "\\Archive"}
# Gmail's folders (labels): no \Archive, "All Mail" holds everything (issue 16).
GMAIL_SPECIAL_USE = {"[Gmail]/Drafts": "\\Drafts", "[Gmail]/Sent Mail": "\\Sent",
                     "[Gmail]/Trash": "\\Trash", "[Gmail]/Spam": "\\Junk",
                     "[Gmail]/All Mail": "\\All"}

# Capabilities Dovecot 2.3 advertises after login; variants remove some of them.
FULL_CAPABILITY = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY "
    "THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL "
    "CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE "
    "QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE "
    "SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE "
    "QUOTA"
)
VARIANTS: dict[str, frozenset[str]] = {
    "full": frozenset(),
    "no-move": frozenset({"MOVE"}),
    "no-move-no-uidplus": frozenset({"MOVE", "UIDPLUS"}),
    "no-condstore": frozenset({"CONDSTORE", "QRESYNC"}),
    "no-qresync": frozenset({"QRESYNC"}),
    "no-idle": frozenset({"IDLE"}),
    # No RFC 8970 PREVIEW: preview lines come from a partial body fetch (issue 14).
    "no-preview": frozenset({"PREVIEW", "PREVIEW=FUZZY", "SNIPPET=FUZZY"}),
    # Pigeonhole: ManageSieve + LMTP delivery running Sieve (shared/recipes/
    # rules-accounts-reading.md 1b); opt-in, the other variants start no extra daemons.
    "sieve": frozenset(),
    # OAuth2 sign-in (issue 16): Dovecot's oauth2 passdb asks the tests' authorization
    # server (helpers.oauth_server) to introspect each token; passwords still work.
    "oauth": frozenset(),
    # A "." hierarchy separator and the personal namespace under "INBOX." (Courier,
    # Cyrus and many hosting providers): the tree must look as on a "/" server.
    "dot-namespace": frozenset(),
    # Gmail's folder layout and X-GM-EXT-1 in CAPABILITY (qtmail sends no X-GM command;
    # it only leaves the Sent copy to the server, as Gmail files it itself).
    "gmail-like": frozenset(),
}
SIEVE_EXTENSIONS = "+vacation-seconds +editheader"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class MailUser:
    """One test user: its own mailbox on a running Dovecot."""

    name: str
    password: str
    server: DovecotServer

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int:
        return self.server.tls_port

    @property
    def maildir(self) -> Path:
        return self.server.dir / "mail" / self.name / "Maildir"

    def fill_bulk(self, count: int, batch: int = 500) -> None:
        """``count`` messages ("Bulk 0", "Bulk 1", ...) in INBOX, fast: MULTIAPPEND
        (RFC 3502) in batches."""
        imap = self.imap()
        try:
            for start in range(0, count, batch):
                imap.multiappend("INBOX", [mailgen.message(f"Bulk {n}", body=f"Message {n}.\n")
                                           for n in range(start, min(count, start + batch))])
        finally:
            imap.logout()

    def save(self, message: bytes, folder: str = "INBOX") -> None:
        """Deliver a message with doveadm (as a local delivery agent would)."""
        self.server.doveadm("save", "-u", self.name, "-m", folder, stdin=message)

    @property
    def sieve_port(self) -> int:
        return self.server.sieve_port

    @property
    def sieve_dir(self) -> Path:
        return self.server.dir / "mail" / self.name / "sieve"

    def deliver(self, message: bytes, sender: str = "sender@example.org") -> None:
        """Deliver over LMTP (RFC 2033), so that the user's active Sieve script runs."""
        if not self.server.lmtp_port:
            raise RuntimeError("this Dovecot has no LMTP listener (variant 'sieve')")
        with smtplib.LMTP("127.0.0.1", self.server.lmtp_port, timeout=30) as lmtp:
            refused = lmtp.sendmail(sender, [self.name], message)
        if refused:
            raise RuntimeError(f"LMTP refused the delivery: {refused}")

    def imap(self, *, tls: bool = False):  # type: ignore[no-untyped-def]
        """An independent IMAP connection: the "other device" of two-device tests."""
        import imapclient

        if tls:
            context = ssl.create_default_context(cafile=str(self.server.ca_file))
            client = imapclient.IMAPClient(self.host, self.tls_port, ssl=True,
                                           ssl_context=context, timeout=30)
        else:
            client = imapclient.IMAPClient(self.host, self.port, ssl=False, timeout=30)
        client.login(self.name, self.password)
        return client

    def folder_names(self) -> set[str]:
        """Every folder the server lists for the user, seen through another connection."""
        client = self.imap()
        try:
            return {name for _flags, _delimiter, name in client.list_folders()}
        finally:
            client.logout()


class SubmissionSink:
    """Where Dovecot's vacation replies go (``submission_host``): an aiosmtpd on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[tuple[str, list[str], bytes]] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        with self._lock:
            self.messages.append((envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return "250 OK"

    def sent_to(self, address: str) -> list[bytes]:
        with self._lock:
            return [m for _, rcpts, m in self.messages if address in rcpts]

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class DovecotServer:
    """A private Dovecot instance with plain/STARTTLS and implicit-TLS listeners."""

    _user_ids = itertools.count(1)

    def __init__(self, root: Path, variant: str = "full") -> None:
        self.variant = variant
        self.dir = root / f"dovecot-{variant}"
        self.port = free_port()
        self.tls_port = free_port()
        self.config = self.dir / "dovecot.conf"
        self.users_file = self.dir / "users"
        self.log_file = self.dir / "log" / "dovecot.log"
        self.ca_file = self.dir / "tls" / "cert.pem"
        self._spare: list[str] = []
        self._started = False
        self.sieve = variant == "sieve"
        self.sieve_port = free_port() if self.sieve else 0
        self.lmtp_port = free_port() if self.sieve else 0
        self.submissions = SubmissionSink() if self.sieve else None
        self.oauth = OAuthServer() if variant == "oauth" else None
        self.capability = " ".join(
            c for c in FULL_CAPABILITY.split() if c not in VARIANTS[variant])
        if variant == "gmail-like":
            self.capability += " X-GM-EXT-1"
        if self.sieve:
            # Pigeonhole's imap_filter_sieve (draft-bosch-imap-filter-sieve): "apply my
            # rules to this folder now".
            self.capability += " FILTER=SIEVE"

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> DovecotServer:
        if self.dir.exists():
            shutil.rmtree(self.dir)
        for sub in ("run", "state", "log", "tls", "mail"):
            (self.dir / sub).mkdir(parents=True)
        for path in (self.dir, *self.dir.iterdir()):
            path.chmod(0o755)
        if os.geteuid() == 0:
            os.chown(self.dir / "mail", MAIL_UID, MAIL_UID)
        self._make_certificate()
        self.users_file.write_text("")
        self._add_users([f"user{next(self._user_ids)}" for _ in range(USER_BATCH)])
        self.config.write_text(self._config_text() + self._sieve_config())
        if self.sieve:
            self._junk_report_script()
        if self.submissions is not None:
            self.submissions.start()
        # The daemon keeps inherited pipes open: send its output to a file instead.
        startup_log = self.dir / "log" / "startup.log"
        with startup_log.open("wb") as out:
            result = subprocess.run(["dovecot", "-c", str(self.config)], stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    timeout=30)
        if result.returncode != 0:
            raise RuntimeError(f"Dovecot did not start:\n{startup_log.read_text()}\n"
                               f"{self.log_text()}")
        self._wait_for_greeting()
        self._started = True
        return self

    def stop(self) -> None:
        if self.submissions is not None:
            self.submissions.stop()
        if self.oauth is not None:
            self.oauth.stop()
        subprocess.run(["doveadm", "-c", str(self.config), "stop"], capture_output=True,
                       timeout=30, check=False)
        pid_file = self.dir / "run" / "master.pid"
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-5000:]
        except FileNotFoundError:
            return "(no Dovecot log)"

    # -- users ---------------------------------------------------------------------
    def new_user(self, prefix: str = "user") -> MailUser:
        """A user nobody has used yet.

        Dovecot looks at a changed passwd-file at most once a second, so a user appended
        just after a lookup stays unknown for up to a second. Users are therefore
        written in batches ahead of use; after writing a batch we wait for the next
        second once, instead of once per user.
        """
        if not self._spare:
            self._add_users([f"{prefix}{next(self._user_ids)}" for _ in range(USER_BATCH)])
        name = self._spare.pop(0)
        if not name.startswith(prefix):
            self._spare.insert(0, name)
            name = f"{prefix}{next(self._user_ids)}"
            self._add_users([name])
            self._spare.remove(name)
        return MailUser(name=name, password=PASSWORD, server=self)

    def _add_users(self, names: list[str]) -> None:
        with self.users_file.open("a") as handle:
            # passwd-file is re-read when it changes, so users can be added live.
            for name in names:
                home = self.dir / "mail" / name
                handle.write(f"{name}:{{PLAIN}}{PASSWORD}:{MAIL_UID}:{MAIL_UID}::{home}::\n")
        self._spare.extend(names)
        if self._started:
            written = int(time.time())
            while int(time.time()) == written:
                time.sleep(0.05)

    def doveadm(self, *args: str, stdin: bytes | None = None) -> bytes:
        result = subprocess.run(["doveadm", "-c", str(self.config), *args], input=stdin,
                                capture_output=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {args[0]} failed: {result.stderr.decode()}")
        return result.stdout

    # -- internals -----------------------------------------------------------------
    def _make_certificate(self) -> None:
        tls = self.dir / "tls"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
             "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
            check=True, capture_output=True, timeout=60)
        (tls / "key.pem").chmod(0o600)

    def _wait_for_greeting(self) -> None:
        deadline = time.monotonic() + 20
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    if sock.recv(200).startswith(b"* OK"):
                        return
            except OSError as exc:
                last_error = exc
            time.sleep(0.05)
        raise RuntimeError(f"Dovecot gave no greeting ({last_error}):\n{self.log_text()}")

    def _sieve_config(self) -> str:
        """ManageSieve (RFC 5804) and LMTP listeners; Sieve runs on LMTP delivery."""
        if not self.sieve:
            return ""
        assert self.submissions is not None
        chroot = "  chroot =\n" if os.geteuid() != 0 else ""
        return f"""
protocols = imap lmtp sieve
postmaster_address = postmaster@example.test
hostname = mail.example.test
submission_host = 127.0.0.1:{self.submissions.port}
protocol lmtp {{
  mail_plugins = $mail_plugins sieve
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {self.lmtp_port}
  }}
}}
service managesieve-login {{
{chroot}  inet_listener sieve {{
    address = 127.0.0.1
    port = {self.sieve_port}
  }}
}}
plugin {{
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_extensions = {SIEVE_EXTENSIONS}
  sieve_quota_max_storage = 1M
  sieve_plugins = sieve_imapsieve
  imapsieve_mailbox1_name = Junk
  imapsieve_mailbox1_causes = COPY APPEND
  imapsieve_mailbox1_before = file:{self.dir}/imapsieve/junk-copy.sieve
}}
"""

    JUNK_REPORTED = "$ReportedSpam"
    """Set by the server's IMAPSIEVE script on mail copied or moved into Junk (RFC 6785):
    proof that the server saw the move that trains its filter (issue 14)."""

    def _junk_report_script(self) -> None:
        script = self.dir / "imapsieve" / "junk-copy.sieve"
        script.parent.mkdir(mode=0o755)
        script.write_text('require ["imapsieve", "environment", "imap4flags"];\n'
                          'if environment :is "imap.cause" ["COPY", "APPEND"] {\n'
                          f'  addflag "{self.JUNK_REPORTED}";\n}}\n')
        # Compiled here: Dovecot cannot write the .svbin beside a global script
        # (rules-accounts-reading.md 1b, pitfall); with this server's configuration, so
        # that the imapsieve extension (and its "imap.cause") is known.
        subprocess.run(["sievec", "-c", str(self.config), str(script)], check=True,
                       capture_output=True)
        for path in (script.parent, *script.parent.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)

    def _config_text(self) -> str:
        d = self.dir
        own = os.geteuid() != 0
        user = os.environ.get("USER", "nobody")
        special = GMAIL_SPECIAL_USE if self.variant == "gmail-like" else SPECIAL_USE
        mailboxes = "\n".join(
            f"  mailbox \"{name}\" {{\n    special_use = {use}\n    auto = subscribe\n  }}"
            for name, use in special.items())
        login_user = user if own else "dovenull"
        internal_user = user if own else "dovecot"
        internal_group = subprocess.run(["id", "-gn"], capture_output=True, text=True,
                                        check=True).stdout.strip() if own else "dovecot"
        chroot = "  chroot =\n" if own else ""
        return f"""
instance_name = qtmail-test-{self.variant}-{self.port}
base_dir = {d}/run
state_dir = {d}/state
protocols = imap
listen = 127.0.0.1
log_path = {d}/log/dovecot.log
info_log_path = {d}/log/dovecot.log
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
ssl = yes
ssl_cert = <{d}/tls/cert.pem
ssl_key = <{d}/tls/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if self.oauth else ""}
auth_failure_delay = 0
# Logins by the full address work too ("user1@any.domain" is user1), as at most hosts:
# RFC 6186 SRV records give no user name, so the address is the login (issue 16).
auth_username_format = %Ln
{self._oauth_passdb()}passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
{"  mechanisms = plain login" + chr(10) if self.oauth else ""}}}
userdb {{
  driver = passwd-file
  args = username_format=%u {d}/users
}}
mail_location = maildir:~/Maildir
# A folder of 1,000,000 messages (bench/bench_sync.py) needs more than the default
# 256 MB per imap process: its maildir uidlist alone is read into one block.
default_vsz_limit = 2G
first_valid_uid = 1
mail_plugins = quota
namespace inbox {{
  inbox = yes
  separator = {"." if self.variant == "dot-namespace" else "/"}
{"  prefix = INBOX." + chr(10) if self.variant == "dot-namespace" else ""}{mailboxes}
}}
plugin {{
  quota = maildir:User quota
  quota_rule = *:storage=100M
}}
protocol imap {{
  mail_max_userip_connections = 200
  mail_plugins = $mail_plugins imap_quota{" imap_sieve imap_filter_sieve" if self.sieve else ""}
  imap_capability = {self.capability}
}}
service anvil {{
{chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
"""


    def _oauth_passdb(self) -> str:
        """rules-accounts-reading.md 2, run against this Dovecot: introspection by POST."""
        if self.oauth is None:
            return ""
        args = self.dir / "oauth2.conf"
        args.write_text(f"introspection_mode = post\n"
                        f"introspection_url = {self.oauth.url}/introspect\n"
                        "username_attribute = username\nactive_attribute = active\n"
                        "active_value = true\n")
        args.chmod(0o644)
        return (f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
                f"  args = {args}\n}}\n")


def make_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="qtmail-dovecot-"))
    root.chmod(0o755)  # dovecot and dovenull must traverse it (recipe pitfall 2)
    return root
