"""The French interface is complete: every string the interface marks for translation has a French entry, with
the same placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from caseapp.i18n import catalogue, read_po

ROOT = Path(__file__).resolve().parents[2]
UI_PO = ROOT / "resources" / "locale" / "fr" / "LC_MESSAGES" / "ui.po"


def marked_strings() -> dict[str, str]:
    """Every literal passed to _() or N_() under ui/, with where it is."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_interface_string_has_a_french_translation() -> None:
    marked = marked_strings()
    assert len(marked) > 300
    french = catalogue("fr")
    missing = [f"{where}: {text!r}" for text, where in marked.items() if not french.get(text)]
    assert missing == []


def test_translations_keep_their_placeholders_and_accelerators() -> None:
    own = read_po(UI_PO)
    wrong = [msgid for msgid, msgstr in own.items() if placeholders(msgid) != placeholders(msgstr)]
    assert wrong == []
    menus = [msgstr for msgid, msgstr in own.items() if re.fullmatch(r"&\w+", msgid)]
    keys = [re.search(r"&(\w)", title).group(1).lower() for title in menus]  # type: ignore[union-attr]
    assert len(keys) == len(set(keys)), menus  # one Alt+letter per menu


def test_the_catalogue_holds_nothing_the_interface_no_longer_uses() -> None:
    own = read_po(UI_PO)
    assert sorted(set(own) - set(marked_strings())) == []
