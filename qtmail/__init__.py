"""qtmail: a desktop IMAP email client."""

from __future__ import annotations


def _installed_version() -> str:
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


def __getattr__(name: str) -> str:
    """``qtmail.__version__``, looked up when first asked for (PEP 562): reading the
    package metadata costs start-up time the first paint does not need (issue 18)."""
    if name == "__version__":
        value = globals()["__version__"] = _installed_version()
        return value
    raise AttributeError(f"module 'qtmail' has no attribute {name!r}")


__all__ = ["__version__"]
