"""Which senders the user allowed remote content for ("Always for this sender", C.23).

The list is persisted by the caller (settings, per account): it hands in the saved
addresses and a callback that stores the new list. Nothing here touches the disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# One "@", no spaces, brackets, quotes or encoded words: a Mailsploit-style raw header
# (D.34) must never be put on an allow list.
_PLAIN_ADDRESS = re.compile(r"[^\s<>\"'\\@=?]+@[^\s<>\"'\\@=?]+")


def is_plain_address(address: str) -> bool:
    """Whether ``address`` is a simple local@domain that may be remembered."""
    return bool(_PLAIN_ADDRESS.fullmatch(address.strip()))


def normalise_address(address: str) -> str:
    return address.strip().lower()


class RemoteContentPolicy:
    """Per-sender "always load remote content" list.

    ``on_change`` is called with the sorted list after every change, for the caller to
    persist. Addresses are compared case-insensitively.
    """

    def __init__(
        self,
        allowed: Iterable[str] = (),
        on_change: Callable[[list[str]], None] | None = None,
    ) -> None:
        self._allowed = {normalise_address(a) for a in allowed if is_plain_address(a)}
        self._on_change = on_change

    def is_allowed(self, address: str) -> bool:
        return is_plain_address(address) and normalise_address(address) in self._allowed

    def allow(self, address: str) -> bool:
        """Remember ``address``; False (and nothing stored) for a malformed address."""
        if not is_plain_address(address):
            return False
        key = normalise_address(address)
        if key not in self._allowed:
            self._allowed.add(key)
            self._changed()
        return True

    def revoke(self, address: str) -> None:
        key = normalise_address(address)
        if key in self._allowed:
            self._allowed.discard(key)
            self._changed()

    def addresses(self) -> list[str]:
        return sorted(self._allowed)

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self.addresses())
