"""Find every translatable string in the code (``_("…")``, ``N_("…")``, ``NC_("context", "…")``,
``translate("…", …)`` with or without a literal context, ``ngettext("…", "…", n)`` and Qt's ``self.tr("…")``) and say
which ones the French catalogues lack.

Run ``uv run python -m tests.i18n_strings`` to print the missing entries as ``.po`` stubs, and
``uv run python -m tests.i18n_strings --merge MAPPING.py CATALOGUE.po`` to add translations to a catalogue.

A string with a context is keyed ``context + "\\x04" + text``, as gettext (and ``caseapp.i18n.catalogue``) keys it; a
plural pair by its singular text (its stub is a plural entry: ``msgid_plural``, ``msgstr[0]``, ``msgstr[1]``).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKERS = {"_", "N_", "translate", "tr"}
CONTEXT_MARKERS = {"NC_"}
PLURAL_MARKERS = {"ngettext"}
SEPARATOR = "\x04"
PLURALS: dict[str, str] = {}  # singular → plural, for the stubs of plural entries


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value else None


def translatable(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in PLURAL_MARKERS and len(node.args) >= 2:
            singular, plural = _text(node.args[0]), _text(node.args[1])
            if singular and plural:
                found.add(singular)
                PLURALS[singular] = plural
        elif name in CONTEXT_MARKERS and len(node.args) >= 2:
            context, text = _text(node.args[0]), _text(node.args[1])
            if context and text:
                found.add(context + SEPARATOR + text)
        elif name in MARKERS and (text := _text(node.args[0])):
            context = None
            if name == "translate":
                given = node.args[2] if len(node.args) > 2 else None
                given = next((k.value for k in node.keywords if k.arg == "context"), given)
                context = _text(given)
            found.add(context + SEPARATOR + text if context else text)
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
    from caseapp.i18n import catalogue, forget_catalogues

    forget_catalogues()
    known = catalogue(lang)
    return {text: paths for text, paths in all_strings().items() if text not in known}


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def po_entry(key: str, translation: str) -> str:
    context, _sep, text = key.rpartition(SEPARATOR)
    head = f"msgctxt {po_quote(context)}\n" if _sep else ""
    if key in PLURALS:
        return (
            f"{head}msgid {po_quote(text)}\nmsgid_plural {po_quote(PLURALS[key])}\n"
            f"msgstr[0] {po_quote(translation)}\nmsgstr[1] {po_quote(translation)}\n"
        )
    return f"{head}msgid {po_quote(text)}\nmsgstr {po_quote(translation)}\n"


def write_po(entries: dict[str, str], out: Path) -> None:
    header = (
        f"# French translation of CaseApp ({out.stem}).\n"
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n\n'
    )
    body = "".join(po_entry(k, v) + "\n" for k, v in sorted(entries.items()))
    out.write_text(header + body, encoding="utf-8")


def merge_into(mapping_file: Path, target: Path) -> int:
    """Add the ``FR = {english: french}`` mapping of a Python file to a catalogue (kept entries stay, plural ones
    included). A plural entry is given as ``{singular: (french singular, french plural)}`` with ``PLURALS =
    {singular: english plural}`` in the same file."""
    import runpy

    import polib

    values = runpy.run_path(str(mapping_file))
    mapping: dict[str, str | tuple[str, str]] = values["FR"]
    plurals: dict[str, str] = values.get("PLURALS", {})
    if not target.exists():
        write_po({}, target)
    catalogue_file = polib.pofile(str(target), wrapwidth=10000)
    for key, french in mapping.items():
        context, _sep, text = key.rpartition(SEPARATOR)
        entry = catalogue_file.find(text, msgctxt=context or None)
        if entry is None:
            entry = polib.POEntry(msgid=text, msgctxt=context or None)
            catalogue_file.append(entry)
        if isinstance(french, tuple):
            entry.msgid_plural = plurals[key]
            entry.msgstr_plural = {0: french[0], 1: french[1]}
        else:
            entry.msgstr = french
    catalogue_file.save(str(target))
    return len(catalogue_file.translated_entries())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--merge":
        print(merge_into(Path(sys.argv[2]), Path(sys.argv[3])), "entries")
        sys.exit(0)
    for text, paths in sorted(missing().items()):
        print(f"#: {', '.join(sorted(str(p) for p in paths))}")
        print(po_entry(text, ""))
    sys.exit(0)
