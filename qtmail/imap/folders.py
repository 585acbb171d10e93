"""Turn LIST responses into FolderInfo: names decoded, roles found, subscriptions merged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from qtmail.core.types import FolderInfo, FolderRole
from qtmail.imap import utf7

# RFC 6154 section 2: SPECIAL-USE attributes (lower-cased, as FolderInfo keeps them).
_SPECIAL_USE = {
    "\\sent": FolderRole.SENT,
    "\\drafts": FolderRole.DRAFTS,
    "\\trash": FolderRole.TRASH,
    "\\junk": FolderRole.JUNK,
    "\\archive": FolderRole.ARCHIVE,
    "\\all": FolderRole.ALL,
    "\\flagged": FolderRole.FLAGGED,
}

# Names servers and other clients commonly use when SPECIAL-USE is missing (lower-case).
_COMMON_NAMES: dict[str, FolderRole] = {
    **dict.fromkeys(("sent", "sent items", "sent messages", "sent mail", "gesendet",
                     "gesendete objekte", "gesendete elemente", "envoyés", "enviados",
                     "inviata", "posta inviata", "verzonden"), FolderRole.SENT),
    **dict.fromkeys(("drafts", "draft", "entwürfe", "brouillons", "borradores", "bozze",
                     "concepten"), FolderRole.DRAFTS),
    **dict.fromkeys(("trash", "deleted items", "deleted messages", "deleted", "bin",
                     "papierkorb", "gelöschte elemente", "gelöschte objekte", "corbeille",
                     "papelera", "cestino", "prullenbak"), FolderRole.TRASH),
    **dict.fromkeys(("junk", "spam", "junk e-mail", "junk email", "bulk mail",
                     "unerwünscht", "indésirables", "correo no deseado"), FolderRole.JUNK),
    **dict.fromkeys(("archive", "archives", "archiv", "archivio", "archivo", "archief"),
                    FolderRole.ARCHIVE),
}


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One ``* LIST`` (or ``* LSUB``) response, after parsing but before decoding."""

    attributes: tuple[bytes, ...]
    delimiter: bytes | None
    wire: bytes


def to_folder(entry: ListEntry) -> FolderInfo:
    """Decode one entry; a name that does not decode is kept, escaped (RELIABILITY A.9)."""
    name, _valid = utf7.decode_name(entry.wire)
    delimiter = entry.delimiter.decode("ascii", "replace") if entry.delimiter else None
    attributes = frozenset(a.decode("ascii", "replace").lower() for a in entry.attributes)
    # RFC 3501 5.1: INBOX is case-insensitive; show it under one spelling.
    if name.upper() == "INBOX":
        name = "INBOX"
    return FolderInfo(name=name, wire=entry.wire, delimiter=delimiter,
                      attributes=attributes, role=_special_use_role(name, attributes))


def _special_use_role(name: str, attributes: frozenset[str]) -> FolderRole:
    if name == "INBOX":
        return FolderRole.INBOX
    for attribute in attributes:
        role = _SPECIAL_USE.get(attribute)
        if role is not None:
            return role
    return FolderRole.NONE


def _guessed_role(folder: FolderInfo) -> FolderRole:
    """A role from the name, for top-level folders or direct children of INBOX."""
    parent = folder.parent
    if parent is not None and parent.upper() != "INBOX":
        return FolderRole.NONE
    return _COMMON_NAMES.get(folder.leaf.casefold(), FolderRole.NONE)


def build_folder_list(entries: Iterable[ListEntry],
                      subscribed: Iterable[bytes] | None = None) -> list[FolderInfo]:
    """FolderInfo for every listed folder, roles assigned, subscriptions merged.

    ``subscribed`` holds wire names from LSUB; None means the entries carry
    ``\\Subscribed`` themselves (LIST-EXTENDED ``RETURN (SUBSCRIBED)``, RFC 5258 3.4).
    Each role goes to one folder: SPECIAL-USE wins, then the first name that fits.
    """
    folders: list[FolderInfo] = []
    seen: set[bytes] = set()
    for entry in entries:
        if entry.wire in seen:  # a server may repeat a name; keep the first
            continue
        seen.add(entry.wire)
        folders.append(to_folder(entry))

    wanted = None if subscribed is None else set(subscribed)
    taken = {f.role for f in folders if f.role is not FolderRole.NONE}
    result: list[FolderInfo] = []
    for folder in folders:
        # INBOX is always shown, subscribed or not.
        is_subscribed = folder.role is FolderRole.INBOX or (
            "\\subscribed" in folder.attributes if wanted is None else folder.wire in wanted)
        role = folder.role
        if role is FolderRole.NONE and folder.selectable:
            guess = _guessed_role(folder)
            if guess is not FolderRole.NONE and guess not in taken:
                role = guess
                taken.add(guess)
        result.append(replace(folder, role=role, subscribed=is_subscribed))
    return result

