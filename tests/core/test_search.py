"""Full-text search: accent-insensitive, prefix as you type, across every kind of record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caseapp.casefile.core import Core
from caseapp.casefile.search import fts_query, search
from caseapp.services import cases, evidence, filings, hearings, opinions


def test_search_finds_every_kind_ignoring_accents(core: Core) -> None:
    case = cases.create_case(core, title="Référé-suspension vidéosurveillance", court="TA de Marseille")
    filings.add_filing(core, case.id, kind="memoire", title="Mémoire en réplique", summary="Sur l'urgence")
    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2020, 3, 2, 13, 0, tzinfo=UTC))
    hearings.add_note(core, hearing.id, "Le juge des référés s'interroge sur la proportionnalité")
    opinions.add_opinion(core, authority="cnil", title="Capteurs sonores à Saint-Étienne")
    evidence.add_evidence(core, case.id, title="Délibération", description="Cahier des clauses techniques")

    assert {h.kind for h in search(core, "refere")} == {"case", "note"}
    assert [h.kind for h in search(core, "memoire")] == ["filing"]
    assert [h.kind for h in search(core, "saint etienne")] == ["opinion"]
    assert [h.kind for h in search(core, "clauses techn")] == ["evidence"]
    note_hit = next(h for h in search(core, "proportionnal") if h.kind == "note")
    assert note_hit.case_id == case.id and note_hit.case_title == case.title
    assert "«" in note_hit.snippet


def test_search_follows_edits_and_deletions(core: Core) -> None:
    case = cases.create_case(core, title="Lycées Ampère")
    assert search(core, "ampere")
    cases.update_case(core, case.id, title="Lycée Les Eucalyptus")
    assert search(core, "ampere") == []
    assert search(core, "eucalyptus")
    cases.delete_case(core, case.id)
    assert search(core, "eucalyptus") == []


def test_typed_punctuation_never_breaks_the_query(core: Core) -> None:
    cases.create_case(core, title="L'audience du 3 février")
    for typed in ['"', "NEAR(", "a AND OR", "*", "-", "audience)", "l'audience"]:
        search(core, typed)  # never raises
    assert fts_query("   ") is None
    assert search(core, "") == []
    assert search(core, "l'audience")


def test_a_title_that_matches_comes_before_newer_texts_that_do(core: Core) -> None:
    if core.db.dialect != "sqlite":
        pytest.skip("PostgreSQL orders every match newest first")
    case = cases.create_case(core, title="Vidéoprotection à Nice")
    filing = filings.add_filing(core, case.id, kind="memoire", title="Mémoire sur la proportionnalité")
    for number in range(3):
        evidence.add_evidence(core, case.id, title=f"Pièce {number}", description="Étude de proportionnalité")
    hits = search(core, "proportionnalite")
    assert (hits[0].kind, hits[0].record_id) == ("filing", filing.id)
    assert [hit.kind for hit in hits[1:]] == ["evidence"] * 3
    assert search(core, "proportionnalite", limit=2)[0].record_id == filing.id


def test_a_whole_word_comes_before_longer_words_that_begin_with_it(core: Core) -> None:
    if core.db.dialect != "sqlite":
        pytest.skip("PostgreSQL orders every match newest first")
    case = cases.create_case(core, title="Vidéoprotection à Nice")
    older = evidence.add_evidence(core, case.id, title="Pièce 1", description="Ordonnance de référé du 27 février")
    newer = evidence.add_evidence(core, case.id, title="Pièce 2", description="Audience devant le juge des référés")
    assert [hit.record_id for hit in search(core, "référé")] == [older.id, newer.id]
    assert [hit.record_id for hit in search(core, "réfé")] == [newer.id, older.id]  # still typing: newest first
    assert [hit.record_id for hit in search(core, "référés")] == [newer.id]
    assert [hit.record_id for hit in search(core, "référé", limit=1)] == [older.id]
