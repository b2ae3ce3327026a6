"""The layering rules, checked for real: the core runs without Qt, and the UI never touches the database."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import caseapp

ROOT = Path(__file__).resolve().parents[2]


def all_core_modules() -> list[str]:
    names = ["caseapp"]
    for info in pkgutil.walk_packages(caseapp.__path__, "caseapp."):
        if ".migrations" not in info.name:
            names.append(info.name)
    return names


def test_every_core_module_imports_without_loading_qt() -> None:
    modules = all_core_modules()
    assert len(modules) > 20, modules  # the walk really found the core
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the core loaded Qt or ui modules: {result.stdout}"


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_ui_never_imports_sqlalchemy_or_the_store() -> None:
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        for name in imported_names(path):
            if name.split(".")[0] == "sqlalchemy" or name.startswith(("caseapp.store", "alembic")):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_core_source_never_imports_qt_or_ui() -> None:
    offenders = []
    for path in (ROOT / "caseapp").rglob("*.py"):
        for name in imported_names(path):
            if name.split(".")[0] in ("PySide6", "shiboken6", "ui"):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
