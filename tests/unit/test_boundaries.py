"""ARCHITECTURE.md's boundaries: only qt/ imports PySide6, only imap/ imports imapclient,
only store/ imports sqlite3."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "qtmail"

RULES = {
    "PySide6": "qt",
    "imapclient": "imap",
    "sqlite3": "store",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(("module", "home"), sorted(RULES.items()))
def test_only_one_package_imports(module: str, home: str) -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        allowed = relative.parts[0] == home or (relative.name == "app.py" and module == "PySide6")
        if module in imported_modules(path) and not allowed:
            offenders.append(str(relative))
    assert offenders == [], f"{module} may only be imported in qtmail/{home}/"


def test_everything_but_qt_imports_without_pyside6() -> None:
    modules = sorted(
        ".".join(("qtmail", *p.relative_to(PACKAGE).with_suffix("").parts))
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] not in ("qt", "app.py")
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'PySide6':\n"
        "            raise ImportError('PySide6 is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
