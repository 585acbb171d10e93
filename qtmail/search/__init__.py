"""Search (issue 7): one query language for the local index and IMAP SEARCH."""

from __future__ import annotations

from qtmail.search.imap_keys import to_imap_search
from qtmail.search.query import Query, Term, fold, parse

__all__ = ["Query", "Term", "fold", "parse", "to_imap_search"]
