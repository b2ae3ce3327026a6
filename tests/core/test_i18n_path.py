"""One translation path: the ``.po`` catalogues, compiled once by polib into a cached ``.mo``, read by the standard
library's gettext; English, the source language, loads nothing."""

from __future__ import annotations

import gettext
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp import i18n
from caseapp.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and catalogues read afresh."""
    monkeypatch.setenv(i18n.CACHE_ENV, str(tmp_path / "cache"))
    i18n.forget_catalogues()
    yield tmp_path / "cache" / "locale"
    i18n.forget_catalogues()


def compiled(cache: Path) -> list[Path]:
    return sorted(cache.glob("fr-*.mo"))


def test_the_catalogue_is_compiled_once_and_read_by_the_standard_gettext(cache: Path) -> None:
    assert i18n.translate("Hearings", "fr") == "Audiences"
    assert isinstance(i18n.translations("fr"), gettext.GNUTranslations)
    [mo] = compiled(cache)
    written = mo.stat().st_mtime_ns
    i18n.forget_catalogues()  # a later start
    assert i18n.translate("Open", "fr", "deadline status") == "À faire"
    assert compiled(cache) == [mo] and mo.stat().st_mtime_ns == written  # read again, not compiled again


def french_samples() -> tuple[str, str, str, str]:
    """A plain entry, one with a context, and a plural entry's two French forms (0 and 1 take the singular)."""
    return (
        i18n.translate("Hearings", "fr"),
        i18n.translate("Open", "fr", "deadline status"),
        i18n.ngettext("Encrypted for {count} key.", "Encrypted for {count} keys.", 0, "fr"),
        i18n.ngettext("Encrypted for {count} key.", "Encrypted for {count} keys.", 2, "fr"),
    )


EXPECTED = ("Audiences", "À faire", "Chiffré pour {count} clé.", "Chiffré pour {count} clés.")


def test_a_later_start_reads_the_table_beside_the_catalogue_not_the_catalogue(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert french_samples() == EXPECTED
    [mo] = compiled(cache)
    table = Path(str(mo) + ".table")
    assert table.is_file()

    def no_parsing(self: gettext.GNUTranslations, fp: object) -> None:
        raise AssertionError("the .mo was parsed again")

    monkeypatch.setattr(gettext.GNUTranslations, "_parse", no_parsing)
    i18n.forget_catalogues()  # a later start
    assert french_samples() == EXPECTED
    assert isinstance(i18n.translations("fr"), gettext.GNUTranslations)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00" * 64, b"not marshal at all", None, "not text"],
    ids=["empty", "zeros", "garbage", "another-python", "not-text"],
)
def test_a_damaged_or_foreign_table_is_ignored_and_written_again(cache: Path, content: bytes | str | None) -> None:
    import marshal

    french_samples()
    [mo] = compiled(cache)
    table = Path(str(mo) + ".table")
    if content is None:  # well formed, but written by another interpreter
        content = marshal.dumps((("2", "cpython-99", mo.stat().st_size), {}, "UTF-8", "(n > 1)", {"Hearings": "Faux"}))
    elif content == "not text":  # this interpreter's, but a translation that is no text
        tag = ("2", sys.implementation.cache_tag, mo.stat().st_size)
        content = marshal.dumps((tag, {}, "UTF-8", "(n > 1)", {"Hearings": 7}))
    table.write_bytes(content)
    i18n.forget_catalogues()
    assert french_samples() == EXPECTED
    i18n.forget_catalogues()
    assert french_samples() == EXPECTED  # from the table written again
    assert table.read_bytes() != content


def test_an_edited_catalogue_is_compiled_again(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tmp_path / "sample.po"
    monkeypatch.setattr(i18n, "sources", lambda lang: [po] if lang == "fr" else [])
    po.write_text(HEADER + 'msgid "Hello"\nmsgstr "Bonjour"\n', encoding="utf-8")
    assert i18n.translate("Hello", "fr") == "Bonjour"
    po.write_text(HEADER + 'msgid "Hello"\nmsgstr "Salut"\n\n#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n')
    i18n.forget_catalogues()
    assert i18n.translate("Hello", "fr") == "Salut"
    assert i18n.translate("Draft", "fr") == "Draft"  # a fuzzy entry is not a translation
    assert len(compiled(cache)) == 1  # the older one is removed


def test_a_damaged_compiled_catalogue_is_compiled_again(cache: Path) -> None:
    i18n.translate("Hearings", "fr")
    [mo] = compiled(cache)
    mo.write_bytes(b"\x00" * 64)
    i18n.forget_catalogues()
    assert i18n.translate("Hearings", "fr") == "Audiences"
    assert mo.read_bytes()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # a gettext catalogue again


def test_without_a_cache_folder_the_catalogue_is_compiled_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv(i18n.CACHE_ENV, str(blocked))
    i18n.forget_catalogues()
    try:
        assert i18n.translate("Hearings", "fr") == "Audiences"
    finally:
        i18n.forget_catalogues()


def test_english_is_the_source_and_loads_nothing(cache: Path) -> None:
    assert i18n.translate("Hearings", "en") == "Hearings"
    assert i18n.translate("Open", "en", "deadline status") == "Open"
    assert not cache.exists() and i18n.catalogue("en") == {}


def test_a_start_with_a_compiled_catalogue_needs_only_the_standard_library(cache: Path) -> None:
    i18n.translate("Hearings", "fr")  # compiled by this process
    script = (
        "import sys; from caseapp.i18n import translate; "
        "assert translate('Hearings', 'fr') == 'Audiences'; print('polib' in sys.modules)"
    )
    env = os.environ | {i18n.CACHE_ENV: str(cache.parent)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_compiled_catalogue_is_shipped() -> None:
    assert list(Path(resource_path("locale")).rglob("*.mo")) == []
    assert list(Path(resource_path("locale", "fr", "LC_MESSAGES")).glob("*.po"))


def test_rule_labels_and_engine_sentences_come_from_the_catalogue(cache: Path) -> None:
    from datetime import date

    from caseapp.domain.deadline_rules import RULES, TRIGGERS
    from caseapp.domain.deadlines import compute_deadline

    rep = RULES["rep"]
    assert (rep.label_en, rep.label_fr) == ("Annulment action", "Recours pour excès de pouvoir")
    assert rep.label("fr") == i18n.translate(rep.label_en, "fr") and rep.note("en") == rep.note_en
    assert TRIGGERS["hearing_date"].step_fr == "Audience le {d}."
    computed = compute_deadline("rep", date(2020, 1, 31))
    assert computed.steps_fr[1] == i18n.translate("{phrase}: nominal end on {day}{capped}.", "fr").format(
        phrase="Délai de 2 mois (CJA R421-1)", day="mardi 31 mars 2020", capped=""
    )
    assert computed.steps_en[1] == "Time limit of 2 months (CJA R421-1): nominal end on Tuesday 31 March 2020."
