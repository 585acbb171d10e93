"""qtmail.imap has no import cycle, typing-only imports included (issue 12)."""

from __future__ import annotations

import ast
from pathlib import Path

import qtmail.imap

PACKAGE = Path(qtmail.imap.__file__).parent


def imports_of(path: Path) -> set[str]:
    """Modules of qtmail.imap that ``path`` imports anywhere (under TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "qtmail.imap":
                found.update(f"qtmail.imap.{a.name}" for a in node.names)
            elif node.module.startswith("qtmail.imap."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("qtmail.imap."))
    return found


def test_no_import_cycle_in_imap() -> None:
    graph = {f"qtmail.imap.{p.stem}": imports_of(p) for p in PACKAGE.glob("*.py")}
    assert "qtmail.imap.writes" in graph["qtmail.imap.session"]  # the test sees edges
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = [*path[path.index(module):], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
