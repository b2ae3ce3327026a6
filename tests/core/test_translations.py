"""Every string shown to people has a French translation, and the catalogues read correctly."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import enums
from caseapp.i18n import catalogue, read_po, translate
from caseapp.resources import resource_path
from tests.i18n_strings import all_strings, missing


def catalogue_files() -> list[Path]:
    return sorted(Path(resource_path("locale", "fr", "LC_MESSAGES")).glob("*.po"))


def test_every_interface_string_has_a_french_translation() -> None:
    assert len(all_strings()) > 150  # the scan really found the strings
    gaps = {text: sorted(str(p) for p in paths) for text, paths in missing("fr").items()}
    assert gaps == {}, "add these to a catalogue in resources/locale/fr/LC_MESSAGES/ (python -m tests.i18n_strings)"


def test_translations_keep_their_placeholders() -> None:
    import re

    fields = re.compile(r"\{[a-z_]*\}")
    wrong = {
        english: french
        for english, french in catalogue("fr").items()
        if sorted(fields.findall(english)) != sorted(fields.findall(french))
    }
    assert wrong == {}


def test_every_enum_value_has_both_labels_from_the_catalogue() -> None:
    french = catalogue("fr")
    for enum_cls in enums.LabelledEnum.__subclasses__():
        for member in enum_cls:
            context, english = enum_cls._label_table()[member.value]
            assert member.label("en") == english
            assert f"{context}\x04{english}" in french, member  # its own context, not a word of the interface
            assert member.label("fr") == french[f"{context}\x04{english}"]


def test_the_same_word_translates_by_what_it_names() -> None:
    assert enums.CaseStatus.OPEN.label("fr") == "En cours"
    assert enums.DeadlineStatus.OPEN.label("fr") == "À faire"
    assert translate("Open", "fr") == "Ouvrir"  # the button
    assert enums.HearingStatus.CANCELLED.label("fr") == "Annulée"
    assert enums.DeadlineStatus.CANCELLED.label("fr") == "Annulé"
    assert enums.CaseStatus.parse("en cours") is enums.CaseStatus.OPEN  # a label in either language is understood


def test_po_reading_handles_continuations_escapes_contexts_and_fuzzy_entries(tmp_path: Path) -> None:
    path = tmp_path / "sample.po"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr "Bonjour"\n\n'
        'msgid ""\n"Long "\n"line"\nmsgstr ""\n"Longue "\n"ligne \\"citée\\""\n\n'
        'msgctxt "deadline status"\nmsgid "Open"\nmsgstr "À faire"\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n',
        encoding="utf-8",
    )
    assert read_po(path) == {
        "Hello": "Bonjour",
        "Long line": 'Longue ligne "citée"',
        "deadline status\x04Open": "À faire",
    }


def test_translate_in_a_chosen_language() -> None:
    assert translate("Hearings", "fr") == "Audiences"
    assert translate("Hearings", "en") == "Hearings"
    assert translate("A sentence nobody translated", "fr") == "A sentence nobody translated"
    assert translate("Open", "fr", "deadline status") == "À faire"
    assert translate("", "fr") == ""  # never the catalogue's header


def test_catalogues_agree_where_they_share_a_string() -> None:
    """All catalogues are merged into one table: the same English text (in the same context) must get the same
    French in each."""
    seen: dict[str, tuple[str, str]] = {}
    disagreements = []
    for path in catalogue_files():
        for english, french in read_po(path).items():
            first = seen.setdefault(english, (path.name, french))
            if first[1] != french:
                disagreements.append((english, first, (path.name, french)))
    assert disagreements == []


def test_what_translate_reads_is_what_the_catalogues_say() -> None:
    merged: dict[str, str] = {}
    for path in catalogue_files():
        merged.update(read_po(path))
    assert catalogue("fr") == merged


def test_plural_entries_are_found_compiled_and_counted_the_french_way(tmp_path: Path) -> None:
    import gettext
    import io

    from caseapp.i18n import compile_catalogue, ngettext
    from tests.i18n_strings import PLURALS, po_entry, translatable

    source = tmp_path / "sample.py"
    source.write_text('ngettext("{count} file left.", "{count} files left.", n)\n', encoding="utf-8")
    assert translatable(source) == {"{count} file left."}
    assert PLURALS["{count} file left."] == "{count} files left."
    assert "msgid_plural" in po_entry("{count} file left.", "") and "msgstr[1]" in po_entry("{count} file left.", "")
    po = tmp_path / "plural.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "{count} file left."\nmsgid_plural "{count} files left."\n'
        'msgstr[0] "{count} fichier restant."\nmsgstr[1] "{count} fichiers restants."\n',
        encoding="utf-8",
    )
    compiled = gettext.GNUTranslations(io.BytesIO(compile_catalogue("fr", [po])))
    said = [compiled.ngettext("{count} file left.", "{count} files left.", n).format(count=n) for n in (0, 1, 2)]
    assert said == ["0 fichier restant.", "1 fichier restant.", "2 fichiers restants."]  # French: 0 is singular
    assert read_po(po) == {"{count} file left.": "{count} fichier restant."}  # keyed as catalogue() keys it
    assert ngettext("{count} exhibit.", "{count} exhibits.", 1, "fr") == "{count} pièce."
    assert ngettext("{count} exhibit.", "{count} exhibits.", 2, "fr") == "{count} pièces."
    assert ngettext("{count} exhibit.", "{count} exhibits.", 1, "en") == "{count} exhibit."
    assert catalogue("fr")["{count} exhibit."] == "{count} pièce."
