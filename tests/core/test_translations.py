"""Every string shown to people has a French translation, and the catalogues read correctly."""

from __future__ import annotations

from caseapp.domain import enums
from caseapp.i18n import parse_po, translate
from tests.i18n_strings import all_strings, missing


def test_every_interface_string_has_a_french_translation() -> None:
    assert len(all_strings()) > 150  # the scan really found the strings
    gaps = {text: sorted(str(p) for p in paths) for text, paths in missing("fr").items()}
    assert gaps == {}, "add these to a catalogue in resources/locale/fr/LC_MESSAGES/ (python -m tests.i18n_strings)"


def test_translations_keep_their_placeholders() -> None:
    import re

    from caseapp.i18n import catalogue

    fields = re.compile(r"\{[a-z_]*\}")
    wrong = {
        english: french
        for english, french in catalogue("fr").items()
        if sorted(fields.findall(english)) != sorted(fields.findall(french))
    }
    assert wrong == {}


def test_every_enum_value_has_both_labels() -> None:
    for enum_cls in enums.LabelledEnum.__subclasses__():
        for member in enum_cls:
            assert member.label("en") and member.label("fr"), member


def test_po_parsing_handles_continuations_escapes_and_fuzzy_entries() -> None:
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr "Bonjour"\n\n'
        'msgid ""\n"Long "\n"line"\nmsgstr ""\n"Longue "\n"ligne \\"citée\\""\n\n'
        '#, fuzzy\nmsgid "Draft"\nmsgstr "Brouillon"\n'
    )
    assert parse_po(text) == {"Hello": "Bonjour", "Long line": 'Longue ligne "citée"'}


def test_translate_in_a_chosen_language() -> None:
    assert translate("Hearings", "fr") == "Audiences"
    assert translate("Hearings", "en") == "Hearings"
    assert translate("A sentence nobody translated", "fr") == "A sentence nobody translated"


def test_catalogues_agree_where_they_share_a_string() -> None:
    """All catalogues are merged into one table: the same English text must get the same French in each."""
    from pathlib import Path

    from caseapp.resources import resource_path

    seen: dict[str, tuple[str, str]] = {}
    disagreements = []
    for path in sorted(Path(resource_path("locale", "fr", "LC_MESSAGES")).glob("*.po")):
        for english, french in parse_po(path.read_text(encoding="utf-8")).items():
            first = seen.setdefault(english, (path.name, french))
            if first[1] != french:
                disagreements.append((english, first, (path.name, french)))
    assert disagreements == []
