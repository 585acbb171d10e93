"""qtmail: a desktop IMAP email client."""

from qtmail._version import __version__

__all__ = ["__version__"]
