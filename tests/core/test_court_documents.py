"""Documents a court and a colleague accept as they are: what the bordereau and the Télérecours set's bordereau say
(and do not say), roles that agree with the party, the signature block, exhibits grouped by filing, a forced
export's bordereau, the exhibit set's file checks, the hearing sheet of a référé, and plurals. Read back with
pdftotext, as a reader gets them."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from caseapp import __version__
from caseapp.casefile import views as v
from caseapp.casefile.core import Core
from caseapp.domain.holidays_fr import court_city
from caseapp.i18n import ngettext
from caseapp.reports.bordereau import render_bordereau
from caseapp.reports.hearing_sheet import render_hearing_sheet
from caseapp.reports.summary import render_summary
from caseapp.reports.telerecours import TELERECOURS_MAX_FILE_BYTES, check_exhibit_set, export_exhibit_set
from caseapp.services import cases, documents, evidence, filings, hearings, parties
from caseapp.services.documents import DocumentRequest
from caseapp.settings import Settings, save_settings
from tests.core.test_reports import FIXED, bare_case, exhibit, flat, make, needs_poppler, pdf_text

PARIS = ZoneInfo("Europe/Paris")
APPLICANT_F = re.compile(r"\bRequérante\b")
APPLICANT_M = re.compile(r"\bRequérant\b")
HEADINGS = {"Parties et conseils", "Dates clés", "Échéances en cours", "Notes prises à l'audience", "Notes"}


def party(name: str, role: str, kind: str, counsel: str | None = None) -> v.PartyView:
    return make(
        v.PartyView,
        id=uuid.uuid4(),
        party_id=uuid.uuid4(),
        name=name,
        kind=kind,
        residence="france",
        role=role,
        counsel=counsel,
        version=1,
    )


@pytest.fixture
def lawsuit(core: Core, tmp_path: Path) -> v.CaseDetail:
    """An association against a région before the TA de Marseille, with counsel, a reply and four exhibits: two
    produced with the reply (files), two with no filing (one with a file)."""
    case = cases.create_case(
        core, title="Caméras du lycée", court="Tribunal administratif de Marseille", court_number="1901249"
    )
    lqdn = parties.add_party(core, case.id, name="La Quadrature du Net", role="applicant", kind="organisation")
    parties.edit_party(core, lqdn.id, counsel="Me Claire Martin")
    parties.add_party(core, case.id, name="Région Provence-Alpes-Côte d'Azur", role="respondent", kind="public_body")
    reply = filings.add_filing(
        core, case.id, kind="replique", title="Mémoire en réplique", filed_on=date(2019, 11, 4), party_id=lqdn.party_id
    )
    sources = tmp_path / "sources"
    sources.mkdir()
    for number, (title, content, filing_id) in enumerate(
        [
            ("Délibération n° 18-893", b"%PDF-1.4 deliberation", None),
            ("Courrier de la Région", None, None),
            ("Avis de la CNIL", b"%PDF-1.4 cnil", reply.id),
            ("Article de presse", b"%PDF-1.4 presse", reply.id),
        ],
        start=1,
    ):
        if content is None:
            evidence.add_evidence(core, case.id, title=title, number=number)
            continue
        path = sources / f"{number}.pdf"
        path.write_bytes(content)
        evidence.add_evidence_file(core, case.id, path, title=title, number=number, filing_id=filing_id)
    return cases.get_case(core, case.id)


def court_text(path: Path | bytes) -> str:
    text = flat(pdf_text(path))
    for said in ("CONFIDENTIEL", "Confidentiel", "CONFIDENTIAL", "CaseApp", __version__, "Généré", "Generated"):
        assert said not in text, said
    return text


def creator_and_author(path: Path) -> str:
    if shutil.which("pdfinfo") is None:
        return ""
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


# --- what a document for the court says, and does not say -----------------------------------------------------------


@needs_poppler
def test_the_bordereau_has_no_mark_and_no_program_and_is_signed(lawsuit: v.CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "bordereau.pdf"
    render_bordereau(lawsuit, target, generated_at=FIXED)
    text = court_text(target)
    assert "Requête n° 1901249" in text and text.rstrip().endswith("page 1 / 1")  # the footer: number and page
    assert "Fait à Marseille, le 3 février 2020" in text  # the court's seat, the day it is made
    assert "Pour La Quadrature du Net, Me Claire Martin" in text
    assert "La Quadrature du Net Requérante" in text and "Région Provence-Alpes-Côte d'Azur Défenderesse" in text
    info = creator_and_author(target)
    assert "CaseApp" not in info and __version__ not in info
    render_bordereau(lawsuit, target, signature_city="Nice", generated_at=FIXED)
    assert "Fait à Nice, le 3 février 2020" in court_text(target)


@needs_poppler
def test_a_name_or_a_town_that_is_not_recorded_is_a_line_to_fill(tmp_path: Path) -> None:
    detail = bare_case(
        court="Tribunal administratif de la Guadeloupe",  # its town is not in its name: not guessed
        parties=(party("Ligue des droits de l'Homme", "applicant", "organisation"),),
    )
    render_bordereau(detail, tmp_path / "b.pdf", generated_at=FIXED)
    text = court_text(tmp_path / "b.pdf")
    assert re.search(r"Fait à _{10,}, le 3 février 2020", text)
    assert re.search(r"Pour Ligue des droits de l'Homme, _{10,}", text)  # no counsel recorded: no name invented


def test_the_town_of_a_court() -> None:
    assert court_city("Tribunal administratif de Marseille") == "Marseille"
    assert court_city("TA de Nice") == "Nice"
    assert court_city("Cour administrative d'appel de Lyon") == "Lyon"
    assert court_city("Conseil d'État") == "Paris"
    assert court_city("Tribunal administratif d'Orléans") == "Orléans"
    assert court_city("TA de la Guadeloupe") is None and court_city("TA de La Réunion") is None
    assert court_city("Juge des référés") is None and court_city("") is None


@needs_poppler
def test_the_whole_case_bordereau_groups_exhibits_by_filing(lawsuit: v.CaseDetail, tmp_path: Path) -> None:
    render_bordereau(lawsuit, tmp_path / "b.pdf", generated_at=FIXED)
    text = court_text(tmp_path / "b.pdf")
    loose = text.index("Pièces non rattachées à un mémoire")
    reply = text.index("Mémoire en réplique (4 novembre 2019)")
    assert loose < text.index("Pièce n° 1 :") < text.index("Pièce n° 2 :") < reply
    assert reply < text.index("Pièce n° 3 : Avis de la CNIL") < text.index("Pièce n° 4 : Article de presse")
    assert "Réplique — Mémoire en réplique" not in text  # the title says it all
    assert "4 pièces." in text
    one = tmp_path / "one.pdf"
    render_bordereau(lawsuit, one, filing_id=lawsuit.evidence[2].filing_id, generated_at=FIXED)
    text = court_text(one)
    assert "Pièces produites avec Mémoire en réplique (4 novembre 2019)" in text
    assert "Pièce n° 1" not in text and "2 pièces." in text


@needs_poppler
def test_a_forced_telerecours_export_lists_only_what_it_holds(
    core: Core, lawsuit: v.CaseDetail, tmp_path: Path
) -> None:
    result = export_exhibit_set(lawsuit, tmp_path / "set", files=core.db.files, force=True, generated_at=FIXED)
    assert result.skipped == (2,) and result.listed == (1, 3, 4)
    text = court_text(tmp_path / "set" / "Bordereau des pieces.pdf")
    assert "Pièce n° 1 :" in text and "Pièce n° 3 :" in text and "Pièce n° 4 :" in text
    assert "Pièce n° 2" not in text and "Courrier de la Région" not in text and "3 pièces." in text
    assert "Fait à Marseille, le 3 février 2020" in text and "Requérante" in text


# --- internal documents and the setting -------------------------------------------------------------------------------


@needs_poppler
def test_internal_documents_are_marked_unless_the_setting_is_off(
    core: Core, lawsuit: v.CaseDetail, tmp_path: Path
) -> None:
    hearing = hearings.add_hearing(core, lawsuit.id, starts_at=datetime(2020, 2, 3, 10, 0, tzinfo=PARIS))
    requests = {
        "summary": DocumentRequest("summary", lawsuit.id),
        "hearing_sheet": DocumentRequest("hearing_sheet", lawsuit.id, hearing_id=hearing.id),
        "bordereau": DocumentRequest("bordereau", lawsuit.id),
    }

    def texts() -> dict[str, str]:
        made = {}
        for key, request in requests.items():
            documents.make(core, request, tmp_path / f"{key}.pdf")
            made[key] = flat(pdf_text(tmp_path / f"{key}.pdf"))
        return made

    marked = texts()
    assert "CONFIDENTIEL" in marked["summary"] and "CONFIDENTIEL" in marked["hearing_sheet"]
    assert "Généré le" in marked["summary"] and "CaseApp" not in marked["summary"]  # no program in the footer
    court_text(tmp_path / "bordereau.pdf")
    save_settings(None, Settings(confidential_mark=False, signature_city="Aix-en-Provence"))
    plain = texts()
    assert "CONFIDENTIEL" not in plain["summary"] and "CONFIDENTIEL" not in plain["hearing_sheet"]
    assert "Fait à Aix-en-Provence, le" in plain["bordereau"]
    english = render_summary(lawsuit, tmp_path / "en.pdf", lang="en", confidential=False)
    assert "CONFIDENTIAL" not in flat(pdf_text(english.path or Path()))


def test_the_summary_in_a_bundle_follows_the_setting(core: Core, lawsuit: v.CaseDetail, tmp_path: Path) -> None:
    import zipfile

    from caseapp.services import bundles

    def summary_of_bundle(name: str) -> str:
        target = tmp_path / f"{name}.casebundle"
        bundles.export(core, lawsuit.id, target, bundles.ExportOptions(sign=False))
        with zipfile.ZipFile(target) as archive:
            inside = [entry for entry in archive.namelist() if entry.endswith(".pdf")]
            assert inside, "the bundle carries no summary"
            (tmp_path / f"{name}.pdf").write_bytes(archive.read(inside[0]))
        return flat(pdf_text(tmp_path / f"{name}.pdf"))

    assert "CONFIDENTIEL" in summary_of_bundle("marked")
    save_settings(None, Settings(confidential_mark=False))
    assert "CONFIDENTIEL" not in summary_of_bundle("plain")


# --- roles that agree with the party ----------------------------------------------------------------------------------


@needs_poppler
def test_roles_agree_with_the_party_in_every_document(core: Core, tmp_path: Path) -> None:
    case_id = uuid.uuid4()
    hearing = make(
        v.HearingView,
        id=uuid.uuid4(),
        case_id=case_id,
        starts_at=FIXED,
        kind="merits",
        status="scheduled",
        urgent=False,
        version=1,
    )
    association = bare_case(
        id=case_id,
        court="TA de Nice",
        court_number="2000001",
        parties=(
            party("Ligue des droits de l'Homme", "applicant", "organisation"),
            party("Commune de Nice", "respondent", "public_body"),
        ),
        hearings=(hearing,),
        evidence=(exhibit(case_id, 1, "Arrêté municipal"),),
    )
    person = dataclasses.replace(
        association,
        parties=(
            party("Camille Dupont", "applicant", "person"),  # a first name says nothing: as recorded, masculine
            party("État — ministre de l'intérieur", "respondent", "public_body"),
        ),
    )
    for detail, applicant, respondent in (
        (association, APPLICANT_F, "Défenderesse"),
        (person, APPLICANT_M, "Défendeur"),
    ):
        texts = [
            flat(pdf_text(render_summary(detail, tmp_path / "s.pdf").path or Path())),
            flat(pdf_text(render_hearing_sheet(detail, hearing, tmp_path / "h.pdf").path or Path())),
            court_text(render_bordereau(detail, tmp_path / "b.pdf").path or Path()),
        ]
        for text in texts:
            assert applicant.search(text), text
            assert re.search(rf"\b{respondent}\b", text), text
        if applicant is APPLICANT_M:
            assert not any(APPLICANT_F.search(text) or "Défenderesse" in text for text in texts)
    english = flat(pdf_text(render_summary(association, tmp_path / "e.pdf", lang="en").path or Path()))
    assert "Applicant" in english and "Respondent" in english


# --- the hearing sheet of a référé -----------------------------------------------------------------------------------


@needs_poppler
def test_the_hearing_sheet_of_a_refere(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(
        core, title="Référé caméras", court="TA de Marseille", procedure="refere_suspension", court_number="2000002"
    )
    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), kind="urgent")
    detail = cases.get_case(core, case.id)
    assert {d.rule_id for d in detail.deadlines} == {"refere-hearing"}  # the planner: no R711-2, no R613-2
    render_hearing_sheet(detail, hearing, tmp_path / "fiche.pdf", generated_at=datetime(2026, 2, 27, tzinfo=UTC))
    text = flat(pdf_text(tmp_path / "fiche.pdf"))
    # No date of the ordinary procedure (the référé rule's own note may say that they do not apply).
    for ordinary in ("CJA R613-2", "CJA R711-2", "Avis d'audience à envoyer", "Clôture de l'instruction à la fin"):
        assert ordinary not in text, ordinary
    assert "Clôture de l'instruction à l'issue de l'audience du lundi 2 mars 2026" in text
    for blank in ("Formation :", "Rapporteur public :", "Sens des conclusions (R711-3) :"):
        assert blank in text, blank
    assert "CJA R522-6" in text and "CONFIDENTIEL" in text


@needs_poppler
def test_the_notes_heading_is_never_alone_at_the_bottom_of_a_page(tmp_path: Path) -> None:
    """Whatever the sheet holds before it, "Notes" is on the last page, with the lines it heads; no heading ends a
    page."""
    case_id = uuid.uuid4()
    hearing = make(
        v.HearingView,
        id=uuid.uuid4(),
        case_id=case_id,
        starts_at=FIXED,
        kind="merits",
        status="scheduled",
        urgent=False,
        version=1,
    )
    tall = make(
        v.DeadlineView,
        id=uuid.uuid4(),
        case_id=case_id,
        due_on=date(2020, 3, 16),
        title="Saisine de la CADA",
        legal_basis="CRPA R343-1",
        status="open",
        explanation_fr="Délai de deux mois à compter du refus, compté date à date, reporté au jour ouvré suivant. " * 6,
        flags=(),
        version=1,
    )
    for count in range(0, 40):
        briefs = tuple(
            make(
                v.FilingView,
                id=uuid.uuid4(),
                case_id=case_id,
                kind="memoire",
                is_decision=False,
                title=f"Mémoire n° {n}",
                filed_on=date(2019, 1, 1 + n % 28),
            )
            for n in range(count)
        )
        detail = bare_case(id=case_id, hearings=(hearing,), filings=briefs, deadlines=(tall,))
        render_hearing_sheet(detail, hearing, tmp_path / "h.pdf")
        pages = [page for page in pdf_text(tmp_path / "h.pdf").split("\f") if page.strip()]
        assert re.search(r"^Notes$", pages[-1], re.MULTILINE), (count, pages[-1][:200])
        assert not any(re.search(r"^Notes$", page, re.MULTILINE) for page in pages[:-1]), count
        for page in pages[:-1]:  # no other heading ends a page either
            body = [line for line in page.split("Généré le")[0].splitlines() if line.strip()]
            assert body[-1] not in HEADINGS, (count, body[-1])


# --- the summary ----------------------------------------------------------------------------------------------------


@needs_poppler
def test_the_summary_reads_well(tmp_path: Path) -> None:
    case_id = uuid.uuid4()
    title = (
        "Expérimentation de la vidéosurveillance automatisée dans les transports en commun de la métropole "
        "Aix-Marseille-Provence pendant les Jeux olympiques"
    )
    hearing = make(
        v.HearingView,
        id=uuid.uuid4(),
        case_id=case_id,
        starts_at=FIXED,
        room="Salle 3",
        kind="merits",
        status="scheduled",
        urgent=False,
        version=1,
    )
    children = tuple(
        make(v.CaseRow, id=uuid.uuid4(), title=f"Référé n° {i}", status="open", example=False, updated_at=FIXED)
        for i in range(21)
    )
    detail = bare_case(
        id=case_id,
        title=title,
        court="Tribunal administratif de Marseille",
        court_number="2400001",
        hearings=(hearing,),
        evidence=(exhibit(case_id, 1, "Arrêté préfectoral", content=b"%PDF-1.4 arrete"),),
        children=children,
        history_head="ab" * 32,
        history_seq=57,
    )
    result = render_summary(detail, tmp_path / "s.pdf", generated_at=FIXED)
    raw = pdf_text(tmp_path / "s.pdf")
    text = flat(raw)
    assert "salle Salle 3" not in text and "Salle 3" in text
    assert "1 pièce, avec son fichier." in text and "dont 1" not in text and "1 pièces" not in text
    assert "et 1 autre" in text and "et 1 autres" not in text
    assert "Annexe — empreinte de l'historique : permet de vérifier que l'historique n'a pas été modifié" in text
    assert "n° 57" in text and "ab" * 16 in text and "audit verify" not in text and "CaseApp" not in text
    pages = [flat(page) for page in raw.split("\f") if page.strip()]
    assert result.pages >= 2 and "Chronologie" in pages[0]  # no half-empty cover page
    for page in pages:
        assert title in page and "…" not in page.split(title)[0]  # the running header wraps, never cuts the title
    several = dataclasses.replace(
        detail,
        evidence=(exhibit(case_id, 1, "Arrêté"), exhibit(case_id, 2, "Courrier")),
        children=children[:20],
        history_head=None,
    )
    render_summary(several, tmp_path / "t.pdf", generated_at=FIXED)
    text = flat(pdf_text(tmp_path / "t.pdf"))
    assert "2 pièces." in text and "dont 0" not in text and "SHA-256 de chaque fichier" not in text


def test_plurals_for_one_and_two() -> None:
    assert ngettext("{count} exhibit.", "{count} exhibits.", 1, "fr").format(count=1) == "1 pièce."
    assert ngettext("{count} exhibit.", "{count} exhibits.", 2, "fr").format(count=2) == "2 pièces."
    assert ngettext("{count} exhibit.", "{count} exhibits.", 0, "fr").format(count=0) == "0 pièce."  # French
    assert ngettext("{count} exhibit.", "{count} exhibits.", 0, "en").format(count=0) == "0 exhibits."
    one = ngettext("Written: {path} ({pages} page).", "Written: {path} ({pages} pages).", 1, "fr")
    two = ngettext("Written: {path} ({pages} page).", "Written: {path} ({pages} pages).", 2, "fr")
    assert one.format(path="x", pages=1) == "Écrit\u00a0: x (1 page)."
    assert two.format(path="x", pages=2) == "Écrit\u00a0: x (2 pages)."


@needs_poppler
def test_bordereau_counts_one_exhibit_in_the_singular(tmp_path: Path) -> None:
    case_id = uuid.uuid4()
    detail = bare_case(id=case_id, evidence=(exhibit(case_id, 1, "Arrêté"),))
    render_bordereau(detail, tmp_path / "b.pdf")
    assert "1 pièce." in court_text(tmp_path / "b.pdf")


# --- the Télérecours set's checks -------------------------------------------------------------------------------------


def test_empty_large_duplicate_and_non_pdf_files_are_reported() -> None:
    case_id = uuid.uuid4()
    same = exhibit(case_id, 2, "Courrier", content=b"%PDF-1.4 same")
    big = exhibit(case_id, 4, "Vidéo", content=b"%PDF-1.4 big")
    assert big.file is not None
    big = dataclasses.replace(big, file=dataclasses.replace(big.file, size=TELERECOURS_MAX_FILE_BYTES + 1))
    items = (
        exhibit(case_id, 1, "Vide", content=b""),
        same,
        dataclasses.replace(same, id=uuid.uuid4(), number=3, title="Le même courrier"),
        big,
        exhibit(case_id, 5, "Photo", content=b"jpeg", file_name="photo.jpg"),
    )
    found = {(p.code, p.number): p for p in check_exhibit_set(bare_case(id=case_id, evidence=items))}
    assert found[("empty_file", 1)].blocking
    assert not found[("same_file", 2)].blocking and "n° 2, n° 3" in found[("same_file", 2)].message
    assert found[("too_large", 4)].blocking
    assert found[("not_pdf", 5)].blocking and "Télérecours will refuse it" in found[("not_pdf", 5)].message
    assert not any(code == "same_file" and number == 3 for code, number in found)  # one warning per file


def test_a_forced_export_leaves_an_empty_file_out(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(core, title="Pièces", court="TA de Nice")
    for number, content in ((1, b""), (2, b"%PDF-1.4 ok")):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(content)
        evidence.add_evidence_file(core, case.id, path, title=f"Pièce {number}", number=number)
    detail = cases.get_case(core, case.id)
    result = export_exhibit_set(detail, tmp_path / "set", files=core.db.files, force=True)
    assert result.skipped == (1,) and result.listed == (2,)
    assert sorted(p.name for p in (tmp_path / "set").iterdir()) == ["02 - Piece 2.pdf", "Bordereau des pieces.pdf"]
