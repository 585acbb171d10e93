"""The shipped desktop entry and AppStream metainfo validate and agree with the app."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qtmail import __version__
from qtmail.resources import APP_ID

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "resources" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / f"{APP_ID}.metainfo.xml"
# scripts/test sets this after installing the tools: there a missing tool is a failure.
IN_CI = bool(os.environ.get("QTMAIL_REQUIRE_TOOLS"))


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        # scripts/test installs it; a developer machine without it skips.
        if IN_CI:
            pytest.fail(f"{name} is missing: scripts/test installs {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path


def test_desktop_file_validates() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_validates() -> None:
    tool = _tool("appstreamcli", "appstream")
    result = subprocess.run([tool, "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_fields() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Exec"] == "qtmail %u"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].split(";")[:2] == ["Network", "Email"]
    assert set(entry["MimeType"].strip(";").split(";")) == {
        "x-scheme-handler/mailto", "message/rfc822"}
    assert entry["StartupWMClass"] == "qtmail"


def test_metainfo_matches_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    versions = [r.get("version") for r in root.iter("release")]
    assert versions and versions[0] == __version__, (
        f"add a <release version=\"{__version__}\"> (newest first) to {METAINFO.name}")
    assert root.find("content_rating") is not None
    assert root.find("screenshots") is not None
