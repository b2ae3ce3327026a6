"""Translations for the core and the UI, from gettext ``.po`` catalogues shipped in ``resources/locale``.

The catalogues are read directly (no compiled ``.mo`` files to build or commit). ``_()`` translates into
the interface language; ``N_()`` marks a string for extraction without translating it yet;
``translate(text, lang)`` gives a string in a chosen language (documents for French courts are French
whatever the interface says).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from caseapp.resources import resource_path

SUPPORTED = ("en", "fr")
_current: str | None = None


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(chunk: str) -> str:
    """The text of a quoted .po string (fast: this runs for every line at start-up)."""
    if len(chunk) < 2 or chunk[0] != '"' or chunk[-1] != '"':
        return ""
    body = chunk[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            out.append(_ESCAPES.get(body[index + 1], body[index + 1]))
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def parse_po(text: str) -> dict[str, str]:
    """Return ``{msgid: msgstr}`` for every translated, non-fuzzy entry of a ``.po`` file."""
    catalogue: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal fuzzy
        key, value = "".join(msgid), "".join(msgstr)
        if key and value and not fuzzy:
            catalogue[key] = value
        msgid.clear()
        msgstr.clear()
        fuzzy = False

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            if msgid or msgstr:
                keep_fuzzy = fuzzy
                flush()
                fuzzy = keep_fuzzy
            msgid.append(_unquote(line[6:].strip()))
            target = msgid
        elif line.startswith("msgstr "):
            msgstr.append(_unquote(line[7:].strip()))
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(_unquote(line))
        elif not line:
            if msgid:
                flush()
            target = None
    if msgid:
        flush()
    return catalogue


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Every ``*.po`` file of a language merged (one per area: core, ui, reports…)."""
    folder = resource_path("locale", lang, "LC_MESSAGES")
    merged: dict[str, str] = {}
    if lang == "en" or not folder.is_dir():
        return merged
    for path in sorted(Path(folder).glob("*.po")):
        merged.update(parse_po(path.read_text(encoding="utf-8")))
    return merged


def system_language() -> str:
    for var in ("CASEAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0][:2].lower()
            return code if code in SUPPORTED else "en"
    import locale  # only when no language was chosen

    loc = locale.getlocale()[0] or ""
    return "fr" if loc.lower().startswith("fr") else "en"


def current_language() -> str:
    global _current
    if _current is None:
        _current = system_language()
    return _current


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in SUPPORTED else "en"


def translate(text: str, lang: str | None = None) -> str:
    return catalogue(lang or current_language()).get(text, text)


def _(text: str) -> str:
    return translate(text)


def N_(text: str) -> str:
    return text
