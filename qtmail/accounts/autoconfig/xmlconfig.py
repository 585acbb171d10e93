"""Thunderbird's autoconfig format (config-v1.1.xml): every incoming and outgoing server
and every authentication kind, placeholders filled in from the address.

The XML comes from the network: it is read with a size cap; expat (2.4.1 and newer, as
bundled with Python 3.11) refuses entity-expansion bombs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from qtmail.accounts.autoconfig.model import Auth, ServerOption
from qtmail.accounts.settings import OAuthSettings, Security

MAX_XML = 512 * 1024
"""Bytes: a real config is a few kilobytes."""

_SOCKET = {"ssl": Security.SSL, "tls": Security.SSL, "starttls": Security.STARTTLS,
           "plain": Security.NONE}
_AUTH = {"password-cleartext": Auth.PASSWORD, "plain": Auth.PASSWORD,
         "password-encrypted": Auth.PASSWORD, "oauth2": Auth.OAUTH2}


class ConfigError(ValueError):
    """Not an autoconfig document qtmail can use."""


def parse_config(data: bytes, address: str
                 ) -> tuple[tuple[ServerOption, ...], tuple[ServerOption, ...]]:
    """(incoming IMAP servers, outgoing SMTP servers) in the document's order."""
    if len(data) > MAX_XML:
        raise ConfigError("too large")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(str(exc)) from exc
    provider = root.find("emailProvider")
    if root.tag != "clientConfig" or provider is None:
        raise ConfigError("not a clientConfig")
    incoming = tuple(option for element in provider.findall("incomingServer")
                     if (option := _server(element, "imap", address)) is not None)
    outgoing = tuple(option for element in provider.findall("outgoingServer")
                     if (option := _server(element, "smtp", address)) is not None)
    if not incoming:
        raise ConfigError("no IMAP server")
    return incoming, outgoing


def parse_oauth(data: bytes, provider: str) -> OAuthSettings | None:
    """Thunderbird's ``<oAuth2>`` block (issuer, scope, authURL, tokenURL), if any;
    only https endpoints (or http to this computer) are taken."""
    from qtmail.accounts.oauth.http import check_url

    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    block = root.find("oAuth2")
    if block is None:
        return None
    auth_url = (block.findtext("authURL") or "").strip()
    token_url = (block.findtext("tokenURL") or "").strip()
    scopes = tuple((block.findtext("scope") or "").split())
    try:
        check_url(auth_url)
        check_url(token_url)
    except ValueError:
        return None
    if not scopes:
        return None
    return OAuthSettings(provider=provider, authorization_endpoint=auth_url,
                         token_endpoint=token_url, scopes=scopes,
                         issuer=(block.findtext("issuer") or "").strip())


def _server(element: ET.Element, protocol: str, address: str) -> ServerOption | None:
    if (element.get("type") or "").lower() != protocol:
        return None  # POP3, Exchange, JMAP...: not what qtmail speaks
    host = (element.findtext("hostname") or "").strip()
    port_text = (element.findtext("port") or "").strip()
    security = _SOCKET.get((element.findtext("socketType") or "").strip().lower())
    if not host or not port_text.isdigit() or security is None:
        return None
    port = int(port_text)
    if not 0 < port < 65536:
        return None
    kinds = tuple(dict.fromkeys(
        kind for text in (a.text for a in element.findall("authentication"))
        if (kind := _AUTH.get((text or "").strip().lower())) is not None))
    username = fill(element.findtext("username") or "%EMAILADDRESS%", address)
    return ServerOption(protocol, fill(host, address), port, security, username,
                        kinds or (Auth.PASSWORD,))


def fill(template: str, address: str) -> str:
    """The placeholders of the format, from the address."""
    local, _, domain = address.strip().rpartition("@")
    return (template.strip().replace("%EMAILADDRESS%", address.strip())
            .replace("%EMAILLOCALPART%", local).replace("%EMAILDOMAIN%", domain))
