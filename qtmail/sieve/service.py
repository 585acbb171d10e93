"""Load and save the account's rules: the one place that knows which script to edit.

qtmail edits the server's active script, whoever wrote it (Roundcube's "roundcube",
a hand-written one...), so the rules that run are the rules shown. With no active
script it creates "qtmail" and activates it. A save is checked (CHECKSCRIPT) and
measured (HAVESPACE) before the script is replaced; PUTSCRIPT replaces it atomically
on the server, so a cut connection leaves the old rules running (RFC 5804 2.6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qtmail.accounts.settings import AccountSettings
from qtmail.core.errors import QT_TRANSLATE_NOOP, Sentence, ServerError
from qtmail.imap import utf7
from qtmail.net.sasl import Secret, mechanism_for
from qtmail.sieve.client import ManageSieve as ManageSieve
from qtmail.sieve.client import open_trusted
from qtmail.sieve.rules import requirements
from qtmail.sieve.script import SieveDocument as SieveDocument
from qtmail.sieve.syntax import SieveSyntaxError

NEW_SCRIPT = "qtmail"


@dataclass
class RulesScript:
    name: str
    """The script's name on the server."""
    text: str
    """Its text as read."""
    document: SieveDocument
    extensions: frozenset[str]
    active: bool


def connect(account: AccountSettings, password: Callable[[], Secret]) -> ManageSieve:
    """Signed in with the account's password, or its OAuth2 token (the same one IMAP
    uses, issue 16)."""
    settings = account.sieve_server
    client = open_trusted(settings)
    try:
        client.authenticate(mechanism_for(settings.username or account.imap_username,
                                          password(), client.sasl))
    except BaseException:
        client.close()
        raise
    return client


def active_script(client: ManageSieve) -> tuple[str, str, bool]:
    """(name, text, whether it is active): the active script, else an empty "qtmail"
    (or the text of an inactive script of that name, which saving will activate)."""
    scripts = dict(client.list_scripts())
    active = next((name for name, is_active in scripts.items() if is_active), None)
    name = active or NEW_SCRIPT
    text = client.get_script(name) if name in scripts else ""
    return name, text, active is not None


def load(client: ManageSieve) -> RulesScript:
    """The active script parsed; a sentence when it is not Sieve qtmail can read."""
    name, text, active = active_script(client)
    try:
        document = SieveDocument.parse(text)
    except SieveSyntaxError as exc:
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "qtmail cannot read the filter script “{script}” on the server, so it "
            "does not change it. Correct it in the rule editor's Script tab."), script=name),
            detail=str(exc)) from exc
    return RulesScript(name, text, document, client.extensions, active)


def unsupported(script: RulesScript) -> set[str]:
    """Extensions the changed rules need that the server does not offer."""
    needed: set[str] = set()
    for rule in script.document.rules:
        needed |= requirements(rule)
    have = {x.lower() for r in script.document.requires for x in r.extensions}
    return {name for name in needed - have if name not in script.extensions}


def save(client: ManageSieve, script: RulesScript, text: str | None = None) -> str:
    """Check, then replace the script and make it active; returns the server's warnings."""
    missing = unsupported(script) if text is None else set()
    if missing:
        raise ServerError(Sentence(QT_TRANSLATE_NOOP(
            "Errors", "The server does not support the Sieve extension “{extension}” that "
            "the rules need."), extension=", ".join(sorted(missing))))
    body = script.document.render() if text is None else text
    client.check_script(body)
    client.have_space(script.name, len(body.encode("utf-8")))
    warnings = client.put_script(script.name, body)
    if not script.active:
        client.set_active(script.name)
        script.active = True
    script.text = body
    return warnings


def sieve_folder(imap_name: str) -> str:
    """A folder name as Sieve wants it (UTF-8, RFC 5228 4.1), from an IMAP wire name.

    IMAP lists names in modified UTF-7 (RFC 3501 5.1.3); a name that is not valid
    modified UTF-7 is taken to be UTF-8 already.
    """
    if "&" not in imap_name:
        return imap_name
    try:
        return utf7.decode(imap_name.encode("ascii"))
    except (utf7.Utf7Error, UnicodeEncodeError):
        return imap_name
