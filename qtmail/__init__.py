"""qtmail: a desktop IMAP email client."""

from __future__ import annotations


def _version() -> str:
    """The installed distribution's version; ``_version.py`` when not installed.

    ``qtmail/_version.py`` is the one place the version is written: hatchling copies
    it into the package metadata, which the frozen app carries too (packaging/qtmail.spec).
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qtmail")
    except PackageNotFoundError:
        from qtmail._version import __version__ as source_version

        return source_version


__version__ = _version()

__all__ = ["__version__"]
