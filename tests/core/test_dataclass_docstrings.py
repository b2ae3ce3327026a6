"""Every dataclass of the application has a docstring.

On Python 3.11, ``dataclasses`` builds a ``__doc__`` for a class that has none from ``inspect.signature(cls)``,
which costs about 0.6 ms per class when the module is imported — on the start-up path of every command and of the
window. A docstring avoids that, and says what the class is for.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _is_dataclass(node: ast.ClassDef) -> bool:
    return any("dataclass" in ast.unparse(decorator) for decorator in node.decorator_list)


def test_every_dataclass_has_a_docstring() -> None:
    seen = 0
    missing = []
    for package in ("caseapp", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and _is_dataclass(node):
                    seen += 1
                    if ast.get_docstring(node) is None:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert seen > 50, seen  # the walk really found the dataclasses
    assert missing == [], (
        "These dataclasses have no docstring: on Python 3.11 ``dataclasses`` then computes inspect.signature(cls) "
        "to make one, about 0.6 ms per class at import time, on the start-up path of every command and of the "
        "window. Give each a short docstring saying what it is for:\n" + "\n".join(missing)
    )
