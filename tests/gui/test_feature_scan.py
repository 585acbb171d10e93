"""PySide6's per-import source scan answered from the file's bytes (qtmail/qt/feature_scan.py):
the same answer as PySide's own for every module loaded, without filling linecache."""

from __future__ import annotations

import sys

import qtmail.qt.widgets.main_window  # noqa: F401  (uses PySide6; installs feature_scan)
from qtmail.qt import feature_scan


def test_installed_and_same_answer_as_pyside() -> None:
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    assert ours.__module__ == feature_scan.__name__
    original = ours.__closure__[0].cell_contents  # what install() wrapped
    loaded = [module for module in list(sys.modules.values()) if module is not None]
    assert [ours(m) for m in loaded] == [original(m) for m in loaded]
    assert ours(sys.modules["qtmail.qt.widgets.main_window"])
    assert not ours(sys.modules["qtmail.core.commands"])
    assert not ours(sys)  # built in: no file


def test_install_is_idempotent() -> None:
    feature = sys.modules["shibokensupport.feature"]
    before = feature._mod_uses_pyside
    feature_scan.install()
    assert feature._mod_uses_pyside is before
