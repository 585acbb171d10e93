"""Conversation threads from References / In-Reply-To (a JWZ-style parent search).

Qt-free: the message list's thread proxy feeds it the keys the store keeps. RELIABILITY
D.40: a message with several Message-ID headers is known by the first one only (the
store keeps that one), and when two messages claim the same Message-ID the oldest keeps
it, so a forged duplicate cannot adopt somebody else's replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ThreadKey = tuple[int, str, str, tuple[str, ...]]
"""(uid, Message-ID, In-Reply-To, References), as Store.thread_keys() gives them."""


@dataclass
class ThreadNode:
    position: int
    """Index of the message in the keys handed in (the list's row, newest first)."""
    parent: ThreadNode | None = None
    children: list[ThreadNode] = field(default_factory=list)


def _norm(message_id: str) -> str:
    return message_id.strip().strip("<>").strip().lower()


def build_threads(keys: Sequence[ThreadKey]) -> list[ThreadNode]:
    """The thread roots for ``keys`` (newest first, as the list shows them).

    Roots are ordered by their thread's newest message, newest first; replies below
    their parent oldest first, as a conversation reads.
    """
    count = len(keys)
    owner: dict[str, int] = {}
    # Oldest first, so the oldest claimant of a Message-ID keeps it.
    for position in range(count - 1, -1, -1):
        mid = _norm(keys[position][1])
        if mid and mid not in owner:
            owner[mid] = position
    nodes = [ThreadNode(position) for position in range(count)]
    for position in range(count - 1, -1, -1):
        _uid, mid, in_reply_to, references = keys[position]
        # The nearest ancestor we have: the last reference first, then further back.
        candidates = [_norm(ref) for ref in reversed(references)]
        if in_reply_to:
            candidates.insert(0, _norm(in_reply_to.split()[0]))
        node = nodes[position]
        for candidate in candidates:
            parent_position = owner.get(candidate)
            if parent_position is None or parent_position == position:
                continue
            parent = nodes[parent_position]
            if _is_ancestor(node, parent):
                continue  # a loop: forged or broken headers
            node.parent = parent
            break
    roots: list[ThreadNode] = []
    newest: dict[int, int] = {}
    for node in nodes:  # newest first
        if node.parent is None:
            roots.append(node)
        else:
            node.parent.children.append(node)
    for node in nodes:
        root = node
        while root.parent is not None:
            root = root.parent
        newest.setdefault(root.position, node.position)
    for node in nodes:
        node.children.reverse()  # oldest first under a parent
    roots.sort(key=lambda root: newest[root.position])
    return roots


def _is_ancestor(node: ThreadNode, other: ThreadNode) -> bool:
    """Whether ``node`` is ``other`` or one of its ancestors."""
    current: ThreadNode | None = other
    while current is not None:
        if current is node:
            return True
        current = current.parent
    return False
