"""The layering rules, checked for real: the core runs without Qt, and the UI never touches the database."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

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


# --- the command line sits on top ---------------------------------------------------------------------------------

CLI = ROOT / "caseapp" / "cli"


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_anywhere(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function (a command's lazy import is an edge all the
    same), relative imports resolved, ``importlib.import_module("…")`` included. ``from caseapp.cli import cases``
    imports the module ``caseapp.cli.cases`` (and only runs the package's ``__init__``); ``from caseapp.cli import
    main`` imports ``caseapp.cli`` itself."""
    return imports_in(ast.parse(path.read_text(encoding="utf-8")), path)


def imports_in(tree: ast.AST, path: Path) -> set[str]:
    """``imports_anywhere`` of a parsed file."""
    here = module_of(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            submodules = {f"{module}.{alias.name}" for alias in node.names if is_module(f"{module}.{alias.name}")}
            found |= submodules
            if len(submodules) < len(node.names):
                found.add(module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_command_line_has_no_import_cycle() -> None:
    """One module per group of commands; what they share is in ``common`` and ``output``; the package's
    ``__init__`` (``main``, the parser) imports the groups, and none of them imports it back."""
    paths = sorted(CLI.glob("*.py"))
    assert {p.stem for p in paths} >= {"__init__", "common", "output", "cases", "deadlines", "bundles"}, paths
    graph = {
        module_of(p): {name for name in imports_anywhere(p) if within(name, "caseapp.cli") and name != module_of(p)}
        for p in paths
    }
    back = sorted(name for name, edges in graph.items() if "caseapp.cli" in edges and name != "caseapp.cli.__main__")
    assert back == [], f"these modules import caseapp.cli (its __init__) back: {back}"
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        for edge in sorted(graph.get(name, ())):
            if edge in trail:
                cycles.append([*trail[trail.index(edge) :], edge])
            elif edge not in done:
                visit(edge, [*trail, edge])
        done.add(name)

    done: set[str] = set()
    for start in sorted(graph):
        visit(start, [start])
    assert cycles == [], " ; ".join(" → ".join(cycle) for cycle in cycles)


def test_nothing_below_the_command_line_imports_it() -> None:
    """The command line sits on top of the core: no module of ``caseapp`` outside ``caseapp/cli/`` (but
    ``caseapp/__main__.py``, which runs it) and no module of ``ui`` imports it."""
    offenders = []
    for folder in ("caseapp", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            if CLI in path.parents or path == ROOT / "caseapp" / "__main__.py":
                continue
            offenders += [
                f"{path.relative_to(ROOT)}: {name}" for name in imports_anywhere(path) if within(name, "caseapp.cli")
            ]
    assert offenders == []


@pytest.mark.parametrize(
    ("package", "above"),
    [
        ("reports", "caseapp.services"),
        ("reports", "caseapp.cli"),
        ("bundle", "caseapp.cli"),
        ("bundle", "caseapp.services"),
    ],
)
def test_documents_and_bundles_import_neither_the_services_nor_the_command_line(package: str, above: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "caseapp" / package).rglob("*.py"))
        for name in imports_anywhere(path)
        if within(name, above)
    ]
    assert offenders == []


def test_python_m_caseapp_runs_the_command_line_and_version_loads_no_command() -> None:
    for module in ("caseapp", "caseapp.cli"):
        result = subprocess.run(
            [sys.executable, "-m", module, "--version"], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert result.returncode == 0 and result.stdout.startswith("CaseApp "), (module, result.stderr)
    script = (
        "import sys\n"
        "from caseapp.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('caseapp.cli.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "", f"--version loaded command modules: {result.stdout}"


# --- the layers of the core ---------------------------------------------------------------------------------------

# From the top down. A module may import its own layer and the ones below, never one above — lazy imports inside
# functions included (they are edges all the same). Unlisted modules (``domain``, ``errors``, ``i18n``, ``places``,
# ``dates``, ``progress``, ``textsafe``…) are the ground floor.
LAYERS: list[tuple[str, ...]] = [
    ("caseapp.cli", "caseapp.__main__"),
    ("caseapp.services",),  # the application layer: every user action
    ("caseapp.bundle", "caseapp.reports"),  # made from the case file, never from the actions
    ("caseapp.casefile",),  # the foundation: engine, unit of work, read models, the kinds of records
    (
        "caseapp.store",
        "caseapp.identity",
        "caseapp.config",
        "caseapp.settings",
        "caseapp.secrets",
        "caseapp.outputs",
        "caseapp.logs",
    ),
]


def layer_of(module: str) -> int:
    for depth, packages in enumerate(LAYERS):
        if any(within(module, package) for package in packages):
            return len(LAYERS) - depth
    return 0


def core_files() -> list[Path]:
    return [p for p in sorted((ROOT / "caseapp").rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_of_the_core_imports_a_layer_above_its_own() -> None:
    offenders = [
        f"{module_of(path)} → {name}"
        for path in core_files()
        for name in imports_anywhere(path)
        if name.startswith("caseapp") and layer_of(name) > layer_of(module_of(path))
    ]
    assert offenders == []


def test_the_layer_check_sees_a_planted_upward_import(tmp_path: Path) -> None:
    planted = ROOT / "caseapp" / "casefile" / "_planted_for_test.py"
    planted.write_text("def f():\n    from caseapp.services import cases\n", encoding="utf-8")
    try:
        assert any(layer_of(name) > layer_of(module_of(planted)) for name in imports_anywhere(planted))
    finally:
        planted.unlink()


# The window's whole vocabulary of the core: the application layer, the errors it raises, the translations and the
# words of the domain (enums). Everything else (the store, the case file, bundles, reports, configuration) is
# reached through ``caseapp.services``.
UI_MAY_IMPORT = ("caseapp.services", "caseapp.errors", "caseapp.i18n", "caseapp.domain.enums")


def test_the_window_imports_only_the_application_layer_errors_i18n_and_enums() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for name in imports_anywhere(path)
        if name.split(".")[0] == "caseapp" and not any(within(name, allowed) for allowed in UI_MAY_IMPORT)
    ]
    assert offenders == []


def runtime_imports(path: Path) -> set[str]:
    """``imports_anywhere`` without what is imported only for the type checker (``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    return imports_in(tree, path)


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in sorted(graph.get(node, ())):
            if edge not in graph:
                continue
            if edge not in index:
                connect(edge)
                low[node] = min(low[node], low[edge])
            elif edge in on_stack:
                low[node] = min(low[node], index[edge])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def test_no_import_cycle_anywhere_in_the_core() -> None:
    """Counting the imports inside functions: a lazy import that closes a loop is a loop all the same."""
    graph = {
        module_of(path): {
            name for name in runtime_imports(path) if name.startswith("caseapp") and name != module_of(path)
        }
        for path in core_files()
    }
    assert len(graph) > 100
    assert import_cycles(graph) == []
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
