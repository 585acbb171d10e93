"""Known errors (explainable to a user in one sentence) versus bugs.

Anything that is not a ``KnownError`` is a bug and reaches the excepthook / problem
dialog. Every ``KnownError`` carries ``user_message``: a sentence a non-programmer
understands, with no traceback and no protocol jargon.
"""

from __future__ import annotations

from enum import Enum


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for pyside6-lupdate (it reads this call by name) and returns it.

    Error sentences are made here, below the Qt layer; qtmail.qt.error_text translates
    them where they are shown, in context "Errors" (issue 4).
    """
    return text


Piece = tuple[str, dict[str, str] | None]
"""(English template, its parts) of a Sentence; None: a plain text, never formatted."""


class Sentence(str):
    """A sentence for the user that remembers how it was made, so that it can be shown
    translated: the English text is the ``str`` value (logs, the command line); the
    GUI translates each template and then fills in the parts (host and folder names,
    server text), which are never translated.

    ``Sentence(QT_TRANSLATE_NOOP("Errors", "The server {host} stopped answering."),
    host=host)``; sentences add up with ``+`` (a plain ``str`` on either side too).
    """

    pieces: tuple[Piece, ...]

    def __new__(cls, template: str, /, **parts: object) -> Sentence:
        values = {name: str(value) for name, value in parts.items()}
        made = super().__new__(cls, template.format(**values) if values else template)
        made.pieces = ((template, values if values else None),)
        return made

    @classmethod
    def _of(cls, pieces: tuple[Piece, ...]) -> Sentence:
        text = "".join(t.format(**p) if p else t for t, p in pieces)
        made = super().__new__(cls, text)
        made.pieces = pieces
        return made

    @staticmethod
    def _pieces(text: str) -> tuple[Piece, ...]:
        return text.pieces if isinstance(text, Sentence) else ((str(text), None),)

    def __add__(self, other: str) -> Sentence:
        return Sentence._of(self.pieces + Sentence._pieces(other))

    def __radd__(self, other: str) -> Sentence:
        return Sentence._of(Sentence._pieces(other) + self.pieces)


class Fix(Enum):
    """What the user can do about an error, offered as a button beside its sentence
    (issue 13: a sentence that says "open the account settings" opens exactly that)."""

    NONE = ""
    ACCOUNT_SETTINGS = "account_settings"
    """The account's settings page (servers, user name, identities)."""
    PASSWORD = "password"
    """A prompt for the incoming server's (IMAP) password."""
    SMTP_PASSWORD = "smtp_password"
    """A prompt for the outgoing server's (SMTP) password."""
    SIGN_IN = "sign_in"
    """The provider's sign-in page again (an OAuth2 account whose access was revoked or
    has lapsed, issue 16)."""


class KnownError(Exception):
    """An error we can explain. ``str(err)`` is the sentence shown to the user."""

    #: Whether retrying later (reconnect with backoff) may help.
    transient = False
    #: What the user can do about it, unless the raiser says otherwise.
    default_fix = Fix.NONE

    def __init__(self, user_message: str, *, detail: str = "", fix: Fix | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail
        """Technical detail for the log; never shown as the main message."""
        self.fix = self.default_fix if fix is None else fix


class AuthError(KnownError):
    """The server refused the user name or password."""

    default_fix = Fix.PASSWORD


class ServerUnreachable(KnownError):
    """No connection could be made (DNS, refused, network down, connect timeout)."""

    transient = True


class ConnectionLost(KnownError):
    """An established connection dropped or stopped answering."""

    transient = True


class TlsError(KnownError):
    """The secure connection could not be set up (protocol or handshake failure)."""

    # The account settings hold the security choice, and their connection test asks
    # whether to trust a certificate.
    default_fix = Fix.ACCOUNT_SETTINGS


class CertificateNotTrusted(TlsError):
    """The server's certificate is not trusted; the user may pin its fingerprint."""

    def __init__(self, user_message: str, *, fingerprint: str, host: str, port: int,
                 detail: str = "", previous_fingerprint: str = "") -> None:
        super().__init__(user_message, detail=detail)
        self.fingerprint = fingerprint
        """SHA-256 of the DER certificate, as colon-separated upper-case hex."""
        self.previous_fingerprint = previous_fingerprint
        """The fingerprint the user trusted before for this server ("" when none): the
        certificate changed."""
        self.host = host
        self.port = port


class TlsRequired(TlsError):
    """The server does not offer encryption where the account requires it."""


class ServerError(KnownError):
    """The server refused a command; ``server_text`` is what it said.

    ``code`` is the response code in brackets, upper-case, without arguments
    (RFC 5530: TRYCREATE, NONEXISTENT, ALREADYEXISTS, OVERQUOTA, NOPERM, LIMIT, ...),
    or "" when the server gave none.
    """

    def __init__(self, user_message: str, *, server_text: str = "", code: str = "",
                 detail: str = "") -> None:
        super().__init__(user_message, detail=detail)
        self.server_text = server_text
        self.code = code.upper()

    @property
    def permanent(self) -> bool:
        """Whether the refusal will stand on retry (a NO without a transient code).

        RFC 5530 UNAVAILABLE, SERVERBUG and INUSE mean "try again later".
        """
        return self.code not in ("UNAVAILABLE", "SERVERBUG", "INUSE")

    @property
    def transient(self) -> bool:  # type: ignore[override]
        """RFC 5530 3 UNAVAILABLE: the server is busy or throttling (Microsoft 365 answers
        so, at login too, under load): reconnect with backoff instead of failing."""
        return self.code == "UNAVAILABLE"


class ProtocolError(ConnectionLost):
    """The server sent something we cannot accept (oversized, malformed)."""


class StorageError(KnownError):
    """The local cache could not be read or written."""


class ConfigError(KnownError):
    """The account settings or profile are unusable."""


class NoPasswordError(AuthError):
    """No password is stored (or the keyring could not be read): the window asks."""


class ServiceStatus(Enum):
    """An account's connection state, as the status bar shows it."""

    OFFLINE = "offline"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    SYNCING = "syncing"
    AUTH_FAILED = "auth_failed"
    UNREACHABLE = "unreachable"
    TLS_FAILED = "tls_failed"
    ERROR = "error"

    def is_error(self) -> bool:
        return self in (ServiceStatus.AUTH_FAILED, ServiceStatus.UNREACHABLE,
                        ServiceStatus.TLS_FAILED, ServiceStatus.ERROR)

    @classmethod
    def for_error(cls, error: KnownError) -> ServiceStatus:
        if isinstance(error, AuthError):
            return cls.AUTH_FAILED
        if isinstance(error, TlsError):
            return cls.TLS_FAILED
        if isinstance(error, ServerUnreachable | ConnectionLost) or error.transient:
            return cls.UNREACHABLE
        return cls.ERROR
