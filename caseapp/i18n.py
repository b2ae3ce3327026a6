"""Translations for the core and the UI: one path, gettext catalogues.

Source strings are English. ``_()`` translates into the interface language; ``N_()`` marks a string for the
catalogue without translating it yet; ``NC_(context, text)`` does the same with a gettext context (msgctxt), for
words whose French depends on what they name ("Open": a case is "En cours", a deadline "À faire", a button
"Ouvrir"); ``translate(text, lang, context=None)`` gives a text in a chosen language (documents for French courts
are French whatever the interface says). Labels of enums and rules, flags and the deadline engine's sentences
all come through ``translate``. ``ngettext(singular, plural, n, lang=None)`` picks the form a count needs ("1 pièce",
"2 pièces"; French takes the singular for 0 and 1): its French is a plural entry of the catalogue (``msgid_plural``,
``msgstr[0]``, ``msgstr[1]``), counted by the catalogue's ``Plural-Forms``.

The French is in ``resources/locale/fr/LC_MESSAGES/*.po`` (one file per area: core, ui, domain, reports…), the only
source. The first time a language is needed, polib compiles those files into one ``.mo`` file in the user's cache
folder (``CASEAPP_CACHE_DIR`` moves it), named after a checksum of the ``.po`` files so that an edited catalogue is
compiled again (60–80 ms, once), and the standard library's ``gettext.GNUTranslations`` reads it: faster than the
hand-written reader it replaces (about 24 M instructions for the whole French catalogue against 34 M), and the
``.po`` syntax the tools know (contexts, fuzzy and obsolete entries). polib rather than Babel: one small
pure-Python module that reads and writes both formats, where Babel would bring its CLDR data into the package for
nothing; reading the ``.po`` files with polib at each start would cost about 60 ms. No ``.mo`` is committed or
shipped. When the cache folder cannot be written the catalogue is compiled in memory, at each start. English, the
source language, loads nothing.

The interface language: ``CASEAPP_LANG`` (set for one run on purpose), else the language chosen in the settings
(``caseapp.settings``, shared by the command line and the window), else the system's.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from caseapp.resources import resource_path

if TYPE_CHECKING:
    from gettext import NullTranslations

SUPPORTED = ("en", "fr")
SOURCE_LANGUAGE = "en"
CACHE_ENV = "CASEAPP_CACHE_DIR"
# Raise when the way catalogues are compiled changes: every cached .mo is then compiled again.
_COMPILED_FORMAT = "2"  # 2: plural entries, and the Plural-Forms header

_current: str | None = None
_loaded: dict[str, NullTranslations] = {}
_load_lock = threading.Lock()


# --- the language ------------------------------------------------------------------------------------------------


def system_language() -> str:
    for var in ("CASEAPP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0][:2].lower()
            return code if code in SUPPORTED else "en"
    import locale  # only when no language was chosen

    loc = locale.getlocale()[0] or ""
    return "fr" if loc.lower().startswith("fr") else "en"


def preferred_language() -> str:
    """``CASEAPP_LANG``, else the language chosen in the settings (in the window or by hand), else the system's."""
    forced = os.environ.get("CASEAPP_LANG", "")[:2].lower()
    if forced in SUPPORTED:
        return forced
    from caseapp import places  # a small JSON file, read once per process

    chosen = places.chosen("language")
    return chosen if chosen in SUPPORTED else system_language()


def current_language() -> str:
    global _current
    if _current is None:
        _current = preferred_language()
    return _current


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in SUPPORTED else "en"


# --- marking and translating -------------------------------------------------------------------------------------


def translate(text: str, lang: str | None = None, context: str | None = None) -> str:
    """``text`` (an English source string) in ``lang`` (the interface language by default); ``context`` is its
    msgctxt when it has one. A text the catalogue lacks stays English."""
    if lang is None:
        lang = current_language()
    if lang == SOURCE_LANGUAGE or not text:  # English is the source; gettext("") would give the catalogue's header
        return text
    code = lang[:2]
    if code not in SUPPORTED or code == SOURCE_LANGUAGE:
        return text
    found = _loaded.get(code) or translations(code)
    return found.gettext(text) if context is None else found.pgettext(context, text)


def _(text: str) -> str:
    return translate(text)


def ngettext(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    """The form of ``singular`` / ``plural`` (English source strings) that ``count`` needs, in ``lang`` (the
    interface language by default). A text the catalogue lacks stays English (singular for 1, else plural)."""
    if lang is None:
        lang = current_language()
    code = lang[:2]
    if code not in SUPPORTED or code == SOURCE_LANGUAGE:
        return singular if count == 1 else plural
    found = _loaded.get(code) or translations(code)
    return found.ngettext(singular, plural, count)


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue; it is translated where it is shown (``_()`` or ``translate``)."""
    return text


def NC_(context: str, text: str) -> tuple[str, str]:
    """Mark ``text`` for the catalogue with a context; returns ``(context, text)``, to be shown with
    ``translate(text, lang, context)``."""
    return context, text


# --- the catalogues ----------------------------------------------------------------------------------------------


def translations(lang: str) -> NullTranslations:
    """The gettext catalogue of ``lang`` (loaded once per process; English has none)."""
    found = _loaded.get(lang)
    if found is None:
        with _load_lock:
            found = _loaded.get(lang)
            if found is None:
                found = _loaded[lang] = _load(lang)
    return found


def forget_catalogues() -> None:
    """Read the catalogues again at the next translation (after a ``.po`` file changed, in tests and tools)."""
    with _load_lock:
        _loaded.clear()


def catalogue(lang: str) -> dict[str, str]:
    """``{msgid: msgstr}`` of what ``translate`` knows in ``lang``; an entry with a context is keyed
    ``context + "\\x04" + msgid`` (gettext's own form). A plural entry is keyed by its singular msgid, with its first
    form (``msgstr[0]``) as value."""
    found = translations(lang)
    table = getattr(found, "_catalog", {})  # GNUTranslations keeps its entries there; plural entries are tuples
    known = {key: value for key, value in table.items() if isinstance(key, str) and key}
    for key, value in table.items():
        if isinstance(key, tuple) and key[1] == 0 and key[0]:
            known[key[0]] = value
    return known


catalogue.cache_clear = forget_catalogues  # type: ignore[attr-defined]  # its name when the reader was a cache


def sources(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang``, in a stable order."""
    folder = resource_path("locale", lang, "LC_MESSAGES")
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".po"))
    except OSError:
        return []
    return [Path(folder) / name for name in names]


def cache_folder() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser() / "locale"
    from caseapp.places import user_folder

    return user_folder("cache") / "locale"


def _load(lang: str) -> NullTranslations:
    import gettext
    import zlib

    files = sources(lang) if lang != SOURCE_LANGUAGE else []
    if not files:
        return gettext.NullTranslations()
    checksum = zlib.crc32(_COMPILED_FORMAT.encode())
    size = 0
    for path in files:
        data = path.read_bytes()
        checksum = zlib.crc32(path.name.encode() + b"\0" + data, checksum)
        size += len(data)
    folder = cache_folder()
    compiled = folder / f"{lang}-{checksum:08x}-{size:x}.mo"
    table = _read_table(compiled)
    if table is not None:
        return table
    try:
        with open(compiled, "rb") as handle:
            found = gettext.GNUTranslations(handle)
        _keep_table(compiled, found)
        return found
    except FileNotFoundError:
        pass
    except Exception as exc:  # unreadable or damaged (gettext raises OSError, struct.error…): compiled again
        import logging

        logging.getLogger(__name__).warning(
            "The compiled catalogue %s is unusable (%s): compiling it again", compiled, exc
        )
    binary = compile_catalogue(lang, files)
    _keep(folder, compiled, binary, lang)
    import io

    found = gettext.GNUTranslations(io.BytesIO(binary))
    if compiled.exists():
        _keep_table(compiled, found)
    return found


# Beside each compiled catalogue, its entries as gettext read them, in the interpreter's own serial form: reading
# the French ``.mo`` (2,000 entries, one Python step each) took 15 ms of every French start, the window's first
# frame included; the table is read in about 2 ms. Only the interpreter that wrote it reads it (its cache tag is in
# it), and only beside the ``.mo`` of the size it was made from; anything else there — damaged, older, another
# Python's — is ignored and written again from the ``.mo``.
_TABLE = ".table"


def _read_table(compiled: Path) -> NullTranslations | None:
    import marshal
    import sys

    try:
        with open(str(compiled) + _TABLE, "rb") as handle:
            tag, info, charset, plural, entries = marshal.loads(handle.read())
        size = compiled.stat().st_size
    except Exception:  # missing, damaged, or not a table at all (marshal raises several kinds): read the .mo
        return None
    if tag != (_COMPILED_FORMAT, sys.implementation.cache_tag, size) or not isinstance(entries, dict):
        return None
    if not all(isinstance(text, str) for text in entries.values()):  # every translation is text, or none is used
        return None
    if not isinstance(info, dict) or not isinstance(charset, str | None) or not isinstance(plural, str | None):
        return None
    import gettext

    found = gettext.GNUTranslations()  # no file: the entries come from the table
    found._info, found._charset, found._catalog = info, charset, entries  # type: ignore[attr-defined]
    if plural is not None:
        try:
            found.plural = gettext.c2py(plural)  # type: ignore[attr-defined]
        except (ValueError, SyntaxError):
            return None
    else:
        found.plural = lambda n: int(n != 1)  # type: ignore[attr-defined]  # gettext's own default
    return found


def _keep_table(compiled: Path, found: NullTranslations) -> None:
    """Write the table of ``found`` beside ``compiled`` (atomically); never fails."""
    import marshal
    import sys
    import tempfile

    info = dict(getattr(found, "_info", {}))
    plural = None
    forms = info.get("plural-forms", "")
    if forms:
        plural = next((part.split("=", 1)[1] for part in forms.split(";") if part.strip().startswith("plural=")), None)
    entries = getattr(found, "_catalog", None)
    if not isinstance(entries, dict):
        return
    tmp = None
    try:
        tag = (_COMPILED_FORMAT, sys.implementation.cache_tag, compiled.stat().st_size)
        data = marshal.dumps((tag, info, getattr(found, "_charset", None), plural, entries))
        fd, tmp = tempfile.mkstemp(dir=compiled.parent, prefix=".table-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, str(compiled) + _TABLE)
        tmp = None
    except (OSError, ValueError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _keep(folder: Path, compiled: Path, binary: bytes, lang: str) -> None:
    """Write the compiled catalogue to the cache (atomically) and remove older ones; never fails."""
    import tempfile

    tmp = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{lang}-", suffix=".mo")
        with os.fdopen(fd, "wb") as handle:
            handle.write(binary)
        os.replace(tmp, compiled)
        tmp = None
        for old in [*folder.glob(f"{lang}-*.mo"), *folder.glob(f"{lang}-*.mo{_TABLE}")]:
            if old != compiled and old.name != compiled.name + _TABLE:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only home: compiled in memory at each start, which still works
        import logging

        logging.getLogger(__name__).info("The compiled catalogue cannot be kept in %s: %s", folder, exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def read_po(path: Path) -> dict[str, str]:
    """``{msgid: msgstr}`` of the translated entries of one ``.po`` file (neither fuzzy nor obsolete), keyed like
    ``catalogue`` (a plural entry by its singular msgid, with its first form)."""
    import polib

    return {
        entry.msgid_with_context: entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        for entry in polib.pofile(str(path)).translated_entries()
    }


PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}  # French: singular for 0 and 1


def compile_catalogue(lang: str, files: list[Path]) -> bytes:
    """The ``.po`` files of a language merged into one gettext ``.mo`` (bytes); the translated entries only."""
    import polib

    merged = polib.POFile(wrapwidth=0)
    merged.metadata = {
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": lang,
    }
    entries: dict[str, polib.POEntry] = {}
    for path in files:
        catalogue_file = polib.pofile(str(path))
        forms = catalogue_file.metadata.get("Plural-Forms") or PLURAL_FORMS.get(lang)
        if forms:
            merged.metadata["Plural-Forms"] = forms
        for entry in catalogue_file.translated_entries():
            entries[entry.msgid_with_context] = entry
    for entry in entries.values():
        merged.append(entry)
    return bytes(merged.to_binary())
