"""The chronology of a case: every dated event in order on one time line (exhibits at the date of the document, not
of its upload), the exhibits cited inline, a filter by tag, and the PDF annex a lawyer files (no mark, no program
name), read back with pdftotext and rendered to PNG."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.reports.chronology import render_chronology
from caseapp.services import access, cases, documents, evidence, filings, hearings, opinions, parties
from caseapp.services.chronology import build_chronology, chronology, exhibit_citation
from caseapp.services.documents import DOCUMENTS, DocumentRequest
from tests.core.test_reports import flat, needs_poppler, pdf_text


@pytest.fixture
def lycees(core: Core) -> uuid.UUID:
    """The facial-recognition case, entered out of order: exhibits, opinion, hearing, judgment and a CADA request."""
    case = cases.create_case(
        core,
        title="Reconnaissance faciale dans les lycées",
        court="Tribunal administratif de Marseille",
        court_number="1901249",
        opened_on=date(2019, 2, 14),
    )
    parties.add_party(core, case.id, name="La Quadrature du Net", role="applicant", kind="organisation")
    parties.add_party(core, case.id, name="Région Provence-Alpes-Côte d'Azur", role="respondent", kind="public_body")
    requete = filings.add_filing(
        core, case.id, kind="requete", title="Requête en annulation", filed_on=date(2019, 2, 14)
    )
    filings.add_filing(core, case.id, kind="jugement", filed_on=date(2020, 2, 27), outcome="granted")
    hearings.add_hearing(core, case.id, starts_at=datetime(2020, 2, 3, 9, 0, tzinfo=UTC))
    # uploaded today, dated by their document: the time line follows the document's date
    evidence.add_evidence(core, case.id, title="Délibération n° 18-893", document_date=date(2018, 12, 14))
    evidence.add_evidence(
        core, case.id, title="Convention Région–Cisco", document_date=date(2018, 10, 1), filing_id=requete.id
    )
    evidence.add_evidence(
        core, case.id, title="Analyse d'impact", document_date=date(2019, 7, 15), filing_id=requete.id
    )
    evidence.add_evidence(core, case.id, title="Photographie du portique")  # no date: listed apart
    opinions.add_opinion(
        core,
        case_ids=[case.id],
        authority="cnil",
        title="Dispositif de reconnaissance faciale",
        issued_on=date(2019, 10, 29),
        position="unfavourable",
    )
    request = access.add_request(
        core, case_id=case.id, administration="Région PACA", documents="La convention", sent_on=date(2019, 3, 1)
    )
    access.record_step(core, request.id, "implicit_refusal", date(2019, 4, 2))
    return case.id


def test_the_events_come_in_the_order_of_their_dates_with_exhibits_at_their_document_date(
    core: Core, lycees: uuid.UUID
) -> None:
    built = chronology(core, lycees, lang="fr")
    days = [entry.day for entry in built.entries]
    assert days == sorted(days)
    assert built.first == date(2018, 10, 1)  # the agreement (exhibit 2), not the day it was uploaded
    assert built.last == date(2020, 2, 27)
    texts = [(entry.day, entry.kind, entry.text) for entry in built.entries]
    assert (date(2018, 12, 14), "exhibit", "Délibération n° 18-893") in texts
    assert (date(2019, 10, 29), "opinion", "Avis — CNIL : Dispositif de reconnaissance faciale") in texts
    assert (date(2019, 3, 1), "cada", "Demande CADA adressée à Région PACA") in texts
    assert (date(2019, 4, 2), "cada", "Demande CADA : Refus implicite") in [
        (e.day, e.kind, e.text) for e in built.entries
    ]
    hearing = next(e for e in built.entries if e.kind == "hearing")
    judgment = next(e for e in built.entries if e.kind == "decision")
    assert hearing.day == date(2020, 2, 3) and "10 h 00" in hearing.detail  # Paris time
    assert judgment.important and judgment.text == "Jugement"
    assert [e.text for e in built.undated] == ["Photographie du portique"]
    requete = next(e for e in built.entries if e.text == "Requête en annulation")
    assert requete.exhibits == (2, 3)  # the exhibits produced with it


def test_exhibit_citations_read_as_a_lawyer_writes_them() -> None:
    assert exhibit_citation([12], "fr") == "pièce n°\u00a012"
    assert exhibit_citation([5, 3, 4, 9], "fr") == "pièces n°\u00a03 à 5 et 9"
    assert exhibit_citation([1, 2], "fr") == "pièces n°\u00a01 et 2"
    assert exhibit_citation([1, 2], "en") == "exhibits nos.\u00a01 and 2"
    assert exhibit_citation([], "fr") == ""


def test_a_tag_keeps_only_its_entries_and_an_unknown_tag_is_refused(core: Core, lycees: uuid.UUID) -> None:
    detail = cases.get_case(core, lycees)
    decisions = build_chronology(detail, lang="fr", tags=["decision"])
    assert [e.kind for e in decisions.entries] == ["decision"]
    cnil = build_chronology(detail, lang="fr", tags=["cnil", "hearing"])
    assert {e.kind for e in cnil.entries} == {"opinion", "hearing"}
    with pytest.raises(InvalidInput, match="decisoin"):
        build_chronology(detail, tags=["decisoin"])


@needs_poppler
def test_the_annex_is_in_order_cites_exhibits_and_says_nothing_about_the_program(
    core: Core, lycees: uuid.UUID, tmp_path: Path
) -> None:
    assert DOCUMENTS["chronology"].command == "chronology" and DOCUMENTS["chronology"].by_tag
    target = tmp_path / "chronologie.pdf"
    result = documents.make(core, DocumentRequest("chronology", lycees), target)
    assert result.pages == 1
    text = flat(pdf_text(target))
    assert "CHRONOLOGIE DE L'AFFAIRE" in text
    assert "La Quadrature du Net c/ Région Provence-Alpes-Côte d'Azur" in text
    assert "pièce n° 1" in text and "pièces n° 2 et 3" in text  # inline, with the events
    order = [
        text.index(s)
        for s in (
            "1er octobre 2018",
            "14 décembre 2018",
            "14 février 2019",
            "29 octobre 2019",
            "3 février 2020",
            "27 février 2020",
        )
    ]
    assert order == sorted(order)
    assert "Sans date" in text and "Photographie du portique" in text
    assert "CONFIDENTIEL" not in text.upper().replace("CONFIDENTIELLE", "")
    assert "CaseApp" not in text
    info = PdfReader(target).metadata or {}
    assert "CaseApp" not in str(info.get("/Creator", "")) + str(info.get("/Producer", "")) + str(
        info.get("/Author", "")
    )
    _png(target, tmp_path / "chronology")


@needs_poppler
def test_the_annex_filtered_by_tag_and_in_english(core: Core, lycees: uuid.UUID, tmp_path: Path) -> None:
    detail = cases.get_case(core, lycees)
    target = tmp_path / "decisions.pdf"
    render_chronology(detail, target, lang="fr", tags=("decision", "hearing"))
    text = flat(pdf_text(target))
    assert "Événements retenus : Décision, Audience." in text
    assert "Jugement" in text and "Délibération" not in text
    english = tmp_path / "chronology-en.pdf"
    render_chronology(detail, english, lang="en")
    text = flat(pdf_text(english))
    assert "CHRONOLOGY OF THE CASE" in text and "exhibits nos. 2 and 3" in text
    _png(english, tmp_path / "chronology-en")


def test_the_command_line_writes_the_annex_with_a_tag(core: Core, lycees: uuid.UUID, tmp_path: Path) -> None:
    from caseapp.cli import main

    target = tmp_path / "cli.pdf"
    assert main(["chronology", "1901249", "-o", str(target), "--tag", "decision"]) == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert main(["chronology", "1901249", "-o", str(target), "--tag", "nope"]) == 1


def _png(pdf: Path, stem: Path) -> None:
    tool = shutil.which("pdftoppm")
    if tool:
        subprocess.run([tool, "-png", "-r", "50", str(pdf), str(stem)], check=True)
        assert list(stem.parent.glob(f"{stem.name}*.png"))
