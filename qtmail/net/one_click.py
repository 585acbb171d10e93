"""RFC 8058 one-click unsubscription: one POST of ``List-Unsubscribe=One-Click``, with
no cookies and no credentials, to an https URI the sender signed (qtmail.mime.
unsubscribe decides when). Blocking: run it in a worker thread."""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

from qtmail.core.errors import QT_TRANSLATE_NOOP, KnownError, Sentence
from qtmail.mime.unsubscribe import ONE_CLICK_BODY
from qtmail.net.https import HttpsConnection


def one_click(url: str, *, context: ssl.SSLContext | None = None, timeout: float = 15.0,
              addresses: dict[str, tuple[str, int]] | None = None) -> None:
    """Raises KnownError with a sentence when the list did not accept it."""
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme != "https" or not host:
        raise KnownError(QT_TRANSLATE_NOOP(
            "Errors", "This list's unsubscribe address is not a secure web address."))
    connection = HttpsConnection(host, parts.port or 443, context=context, timeout=timeout,
                                 addresses=addresses)
    try:
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        connection.request("POST", path, body=ONE_CLICK_BODY.encode("ascii"), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        status = connection.getresponse().status
    except (OSError, ssl.SSLError) as exc:
        raise KnownError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The list at {host} could not be reached to unsubscribe you. Try "
            "again later."), host=host), detail=repr(exc)) from exc
    finally:
        connection.close()
    if not 200 <= status < 300:
        raise KnownError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The list at {host} did not confirm the unsubscription (answer "
            "{status})."), host=host, status=status))
