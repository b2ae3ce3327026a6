"""Find every translatable string in the code (``_("…")``, ``N_("…")``, ``translate("…", …)``, and Qt's
``self.tr("…")``) and say which ones the French catalogues lack.

Run ``uv run python -m tests.i18n_strings`` to print the missing entries as ``.po`` stubs, and
``uv run python -m tests.i18n_strings --merge MAPPING.py CATALOGUE.po`` to add translations to a catalogue.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKERS = {"_", "N_", "translate", "tr"}


def translatable(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        first = node.args[0]
        if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
            found.add(first.value)
    return found


def all_strings() -> dict[str, set[Path]]:
    where: dict[str, set[Path]] = {}
    for folder in ("caseapp", "ui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for text in translatable(path):
                where.setdefault(text, set()).add(path.relative_to(ROOT))
    return where


def missing(lang: str = "fr") -> dict[str, set[Path]]:
    from caseapp.i18n import catalogue

    catalogue.cache_clear()
    known = catalogue(lang)
    return {text: paths for text, paths in all_strings().items() if text not in known}


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(entries: dict[str, str], out: Path) -> None:
    header = (
        f"# French translation of CaseApp ({out.stem}).\n"
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
    )
    body = "".join(f"msgid {po_quote(k)}\nmsgstr {po_quote(v)}\n\n" for k, v in sorted(entries.items()))
    out.write_text(header + body, encoding="utf-8")


def merge_into(mapping_file: Path, target: Path) -> int:
    """Add the ``FR = {english: french}`` mapping of a Python file to a catalogue (kept entries stay)."""
    import runpy

    from caseapp.i18n import parse_po

    mapping: dict[str, str] = runpy.run_path(str(mapping_file))["FR"]
    existing = parse_po(target.read_text(encoding="utf-8")) if target.exists() else {}
    write_po(existing | mapping, target)
    return len(existing | mapping)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--merge":
        print(merge_into(Path(sys.argv[2]), Path(sys.argv[3])), "entries")
        sys.exit(0)
    for text, paths in sorted(missing().items()):
        print(f"#: {', '.join(sorted(str(p) for p in paths))}")
        print(f"msgid {po_quote(text)}")
        print('msgstr ""\n')
    sys.exit(0)
