"""PDF documents checked as a reader gets them: real PDFs rendered from read models, their text extracted with
pdftotext (poppler-utils), their fonts and metadata read with pdffonts and pdfinfo."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from caseapp import __version__
from caseapp.casefile import views as v
from caseapp.casefile.core import Core
from caseapp.errors import Cancelled, InvalidInput, StorageError
from caseapp.i18n import catalogue
from caseapp.reports.bordereau import exhibit_line, render_bordereau
from caseapp.reports.formatting import format_date, format_moment, format_size, markup
from caseapp.reports.hearing_sheet import render_hearing_sheet
from caseapp.reports.summary import render_summary
from caseapp.services import cases, evidence, filings, hearings
from caseapp.services.demo import load_demo

PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
FIXED = datetime(2020, 2, 3, 9, 0, tzinfo=UTC)  # 10 h 00 in Paris
NOW = datetime(2024, 1, 1, tzinfo=UTC)


# --- helpers shared with test_reports_telerecours.py ------------------------------------------------------------


def make(cls: type[Any], **values: Any) -> Any:
    """A read model with the given fields and None for every other required one (the views grow new fields)."""
    for field in dataclasses.fields(cls):
        required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        if required and field.name not in values:
            values[field.name] = None
    return cls(**values)


def bare_case(**values: Any) -> v.CaseDetail:
    base: dict[str, Any] = {
        "id": uuid.uuid4(),
        "title": "Dossier vide",
        "status": "open",
        "children": (),
        "tags": (),
        "example": False,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
    }
    return make(v.CaseDetail, **(base | values))


def exhibit(
    case_id: uuid.UUID, number: int, title: str, *, content: bytes | None = None, **values: Any
) -> v.EvidenceView:
    stored = None
    if content is not None:
        name = values.pop("file_name", f"piece-{number}.pdf")
        stored = make(
            v.FileView,
            id=uuid.uuid4(),
            sha256=hashlib.sha256(content).hexdigest(),
            original_name=name,
            size=len(content),
            media_type="application/pdf",
            added_by="Tester",
            added_at=NOW,
        )
    base = {"id": uuid.uuid4(), "case_id": case_id, "number": number, "title": title, "file": stored}
    return make(v.EvidenceView, **({"example": False, "version": 1} | base | values))


def pdf_text(path: Path | bytes, *, layout: bool = False) -> str:
    assert PDFTOTEXT is not None
    data = path if isinstance(path, bytes) else path.read_bytes()
    args = [PDFTOTEXT, "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace of any kind (no-break spaces included) made single plain spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def page_count(text: str) -> int:
    return text.count("\f")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the documents (``tmp_path`` also holds the test's data folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def demo(core: Core) -> v.CaseDetail:
    """The example case of the lycées (TA Marseille n° 1901249), with one exhibit that has a real file."""
    load_demo(core)
    case_id = cases.resolve_case(core, "1901249")
    return cases.get_case(core, case_id)


@pytest.fixture
def demo_with_file(core: Core, demo: v.CaseDetail, tmp_path: Path) -> v.CaseDetail:
    source = tmp_path / "avis-cnil.pdf"
    source.write_bytes(b"%PDF-1.4 avis de la CNIL (exemple)\n")
    evidence.add_evidence_file(core, demo.id, source, title="Avis de la CNIL — lettre du 29 octobre 2019")
    return cases.get_case(core, demo.id)


# --- dates, numbers and markup ------------------------------------------------------------------------------------


def test_french_and_english_dates() -> None:
    assert format_date(date(2020, 2, 27), "fr") == "27 février 2020"
    assert format_date(date(2020, 3, 1), "fr") == "1er mars 2020"
    assert format_date(date(2020, 2, 27), "en") == "27 February 2020"
    assert format_date(None, "fr") == "—"
    hearing = datetime(2020, 2, 3, 9, 0, tzinfo=UTC)
    assert format_moment(hearing, "fr") == "lundi 3 février 2020 à 10\u00a0h\u00a000"
    assert format_moment(hearing, "en") == "Monday 3 February 2020 at 10:00"
    summer = datetime(2024, 7, 1, 8, 30, tzinfo=UTC)  # CEST: two hours ahead
    assert format_moment(summer, "fr") == "lundi 1er juillet 2024 à 10\u00a0h\u00a030"
    assert format_moment(datetime(2020, 2, 3, 9, 0), "fr").endswith("10\u00a0h\u00a000")  # naive means UTC
    assert format_size(1536, "fr") == "1,5\u00a0Ko" and format_size(1536, "en") == "1.5\u00a0KB"


def test_user_text_is_escaped_for_paragraph_markup() -> None:
    assert markup("a < b & c > d\nsuite\x00") == "a &lt; b &amp; c &gt; d<br/>suite"


def test_every_document_string_has_a_french_translation() -> None:
    from tests.i18n_strings import translatable

    root = Path(__file__).resolve().parents[2] / "caseapp" / "reports"
    strings = set().union(*(translatable(path) for path in root.glob("*.py")))
    assert len(strings) > 80
    catalogue.cache_clear()
    french = catalogue("fr")
    assert sorted(s for s in strings if s not in french) == []
    fields = re.compile(r"\{[a-z_]*\}")
    assert [s for s in strings if sorted(fields.findall(s)) != sorted(fields.findall(french[s]))] == []


# --- the case summary -------------------------------------------------------------------------------------------


@needs_poppler
def test_summary_of_the_example_case_in_french(demo_with_file: v.CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "synthese.pdf"
    result = render_summary(demo_with_file, target, generated_at=FIXED)
    assert result.path == target and result.pages >= 2 and target.stat().st_size == result.size
    raw = pdf_text(target)
    text = flat(raw)
    for expected in (
        "SYNTHÈSE DU DOSSIER",
        "CONFIDENTIEL",
        "Reconnaissance faciale à l'entrée des lycées Ampère et Les Eucalyptus",
        "Tribunal administratif de Marseille",
        "1901249",
        "Recours pour excès de pouvoir",
        "Jugée",
        "La Quadrature du Net",
        "Requérante",  # an association: the role agrees with it
        "Région Provence-Alpes-Côte d'Azur",
        "Défenderesse",
        "Chronologie",
        "14 février 2019",
        "27 février 2020",
        "Avis — CNIL",
        "Défavorable",
        "Échéances en cours",
        "Notes d'audience",
        "lundi 3 février 2020 à 10 h 00 — Audience au fond",
        "Le rapporteur public conclut à l'annulation",
        "Pièce",
        "Délibération n° 18-893 du 14 décembre 2018",
        "Généré le 3 février 2020 à 10 h 00 page",  # no program name, no version in the footer
        f"page 1 / {result.pages}",
        f"page {result.pages} / {result.pages}",
    ):
        assert expected in text, expected
    for english in ("Generated on", "CASE SUMMARY", "Chronology", "Applicant", "Hearing notes", "Exhibits"):
        assert english not in text, english
    assert "par CaseApp" not in text and __version__ not in text
    stored = next(e for e in demo_with_file.evidence if e.file is not None)
    assert stored.file is not None
    assert stored.file.sha256 in "".join(raw.split())  # printed on two lines of 32 characters
    assert page_count(raw) == result.pages


@needs_poppler
def test_summary_in_english(demo: v.CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    render_summary(demo, target, lang="en", generated_at=FIXED)
    text = flat(pdf_text(target))
    for expected in (
        "CASE SUMMARY",
        "CONFIDENTIAL",
        "Annulment action",
        "Applicant",
        "Respondent",
        "Chronology",
        "14 February 2019",
        "Monday 3 February 2020 at 10:00 — Hearing on the merits",
        "Generated on 3 February 2020 at 10:00 page",
        "page 1 / ",
    ):
        assert expected in text, expected
    for french in ("Généré le", "SYNTHÈSE", "Chronologie", "Requérant", "février", "Juridiction", "Pièces"):
        assert french not in text, french


@needs_poppler
def test_summary_without_hearing_notes(demo: v.CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "sans-notes.pdf"
    render_summary(demo, target, notes=False)
    text = flat(pdf_text(target))
    assert "Notes d'audience" not in text and "rapporteur public" not in text
    assert "Chronologie" in text


def test_pdf_metadata_and_embedded_fonts(demo: v.CaseDetail, tmp_path: Path) -> None:
    if not (shutil.which("pdfinfo") and shutil.which("pdffonts")):
        pytest.skip("pdfinfo/pdffonts (poppler-utils) are not installed")
    target = tmp_path / "synthese.pdf"
    render_summary(demo, target)
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "Title:" in info and "Synthèse du dossier — Reconnaissance faciale" in info
    assert f"Creator:         CaseApp {__version__}" in info
    assert "Subject:         Tribunal administratif de Marseille — n° 1901249" in info
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("DejaVuSans" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows), fonts  # the "emb" column: every font embedded


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_every_document_passes_qpdf_check(demo: v.CaseDetail, out: Path) -> None:
    from caseapp.reports.bordereau import render_bordereau
    from caseapp.reports.hearing_sheet import render_hearing_sheet

    targets = [out / "summary.pdf", out / "bordereau.pdf", out / "sheet.pdf"]
    render_summary(demo, targets[0])
    render_bordereau(demo, targets[1])
    render_hearing_sheet(demo, demo.hearings[0], targets[2])
    for target in targets:
        check = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "No syntax or stream encoding errors found" in check.stdout


def test_deterministic_mode_gives_identical_bytes(demo: v.CaseDetail, tmp_path: Path) -> None:
    first, second, later = io.BytesIO(), io.BytesIO(), io.BytesIO()
    render_summary(demo, first, generated_at=FIXED)
    render_summary(demo, second, generated_at=FIXED)
    render_summary(demo, later, generated_at=FIXED + timedelta(days=1))
    assert first.getvalue().startswith(b"%PDF-")
    assert first.getvalue() == second.getvalue()
    assert first.getvalue() != later.getvalue()
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_bordereau(demo, a, generated_at=FIXED)
    render_bordereau(demo, b, generated_at=FIXED)
    assert a.read_bytes() == b.read_bytes()
    assert b"/CreationDate (D:20200203090000+00'00')" in a.read_bytes()
    ordinary = io.BytesIO()
    render_bordereau(demo, ordinary)  # not deterministic: the clock's date, not ReportLab's fixed 2000-01-01
    assert b"/CreationDate (D:2000" not in ordinary.getvalue()


def test_progress_is_reported_and_cancel_leaves_nothing(demo: v.CaseDetail, out: Path) -> None:
    seen: list[tuple[int, int]] = []
    render_summary(demo, out / "ok.pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen and all(0 <= done <= total for done, total in seen)
    assert seen[-1][0] == seen[-1][1]
    target = out / "cancelled.pdf"
    with pytest.raises(Cancelled):
        render_summary(demo, target, cancelled=lambda: True)
    assert sorted(p.name for p in out.iterdir()) == ["ok.pdf"]


@needs_poppler
def test_a_thousand_exhibits_run_over_many_pages(tmp_path: Path) -> None:
    case_id = uuid.uuid4()
    items = tuple(
        exhibit(
            case_id,
            number,
            f"Courrier n° {number} de la préfecture des Bouches-du-Rhône",
            content=f"pièce {number}".encode(),
            document_date=date(2020, 3, 1) + timedelta(days=number % 300),
            description="Obtenu par une demande CADA. " * (number % 4),
        )
        for number in range(1, 1001)
    )
    detail = bare_case(id=case_id, court="Tribunal administratif de Marseille", court_number="2009485", evidence=items)
    target = tmp_path / "mille.pdf"
    result = render_summary(detail, target, generated_at=FIXED)
    assert result.pages > 20
    raw = pdf_text(target)
    text = flat(raw)
    assert f"page {result.pages} / {result.pages}" in text
    assert "1000 pièces, chacune avec son fichier." in text
    assert "Courrier n° 1000 de la préfecture des Bouches-du-Rhône" in text
    pages = raw.split("\f")[:-1]
    with_table = [page for page in pages if "Fichier et SHA-256" in page]
    assert len(with_table) >= result.pages - 2  # the header row repeats on every page…
    assert all(page.count("Fichier et SHA-256") == 1 for page in with_table)  # …once, at the top
    compact = "".join(raw.split())
    assert all(item.file is not None and item.file.sha256 in compact for item in items[::97])


@needs_poppler
def test_a_case_with_nothing_in_it_still_gives_sound_documents(tmp_path: Path) -> None:
    detail = bare_case()
    hearing = make(
        v.HearingView,
        id=uuid.uuid4(),
        case_id=detail.id,
        starts_at=datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
        kind="urgent",
        status="scheduled",
        urgent=False,
        version=1,
    )
    summary = flat(pdf_text(render_summary(detail, tmp_path / "s.pdf").path or Path()))
    assert "Aucune partie n'est enregistrée dans ce dossier." in summary
    assert "Aucune pièce n'est enregistrée dans ce dossier." in summary
    assert "Aucun acte, aucune audience ni aucun avis n'est encore enregistré." in summary
    bordereau = flat(pdf_text(render_bordereau(detail, tmp_path / "b.pdf").path or Path()))
    assert "BORDEREAU DES PIÈCES COMMUNIQUÉES" in bordereau and "Aucune pièce n'est communiquée." in bordereau
    sheet = flat(pdf_text(render_hearing_sheet(detail, hearing, tmp_path / "h.pdf").path or Path()))
    assert "FICHE D'AUDIENCE" in sheet and "lundi 2 mars 2026 à 14 h 00 (heure de Paris)" in sheet


@needs_poppler
def test_hostile_and_huge_texts(tmp_path: Path) -> None:
    hostile = "Œuvre « spéciale » <b>pas gras</b> & </para> 10 € — x < y\x00\x07"
    huge = ("Une phrase assez longue, avec des accents : éèàçùœ. " * 300 + "\n\n") * 8
    case_id = uuid.uuid4()
    hearing_id = uuid.uuid4()
    note = make(v.NoteView, id=uuid.uuid4(), hearing_id=hearing_id, at=FIXED, author="Me <X>", text=huge, version=1)
    hearing = make(
        v.HearingView,
        id=hearing_id,
        case_id=case_id,
        starts_at=FIXED,
        court=hostile,
        room="<2>",
        kind="merits",
        status="held",
        outcome=huge,
        urgent=True,
        version=1,
        notes=(note,),
    )
    party = make(
        v.PartyView,
        id=uuid.uuid4(),
        party_id=uuid.uuid4(),
        name=hostile,
        kind="organisation",
        residence="france",
        role="applicant",
        counsel="Me Y & associés",
        counsel_contact="x" * 2000,
        version=1,
    )
    items = (exhibit(case_id, 1, hostile * 4, content=b"x", description=huge, source="A" * 3000),)
    crowd = tuple(
        dataclasses.replace(party, id=uuid.uuid4(), party_id=uuid.uuid4(), name=f"Association n° {i} " * 4)
        for i in range(80)
    )
    children = tuple(
        make(v.CaseRow, id=uuid.uuid4(), title=f"Référé n° {i}", status="open", example=False, updated_at=NOW)
        for i in range(60)
    )
    detail = bare_case(
        id=case_id,
        title=hostile,
        court=hostile,
        subject=huge,
        summary="B" * 5000,
        parties=(party, *crowd),
        hearings=(hearing,),
        tags=tuple(f"étiquette {i}" for i in range(500)),
        children=children,
    )
    detail = dataclasses.replace(detail, evidence=items)
    summary = render_summary(detail, tmp_path / "s.pdf")
    assert summary.pages > 10
    text = flat(pdf_text(tmp_path / "s.pdf"))
    assert "<b>pas gras</b> & </para> 10 € — x < y" in text
    sheet = render_hearing_sheet(detail, hearing, tmp_path / "h.pdf")
    assert sheet.pages > 5
    assert "Notes prises à l'audience" in flat(pdf_text(tmp_path / "h.pdf"))
    render_bordereau(detail, tmp_path / "b.pdf")
    assert "Pièce n° 1 : Œuvre « spéciale » <b>pas gras</b>" in flat(pdf_text(tmp_path / "b.pdf"))


# --- writing safely -------------------------------------------------------------------------------------------------


def test_a_target_that_cannot_be_written_gives_a_clear_error_and_no_file(demo: v.CaseDetail, out: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        render_summary(demo, out / "missing" / "s.pdf")
    blocker = out / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="is not a folder"):
        render_summary(demo, blocker / "s.pdf")
    with pytest.raises(StorageError, match="is a folder"):
        render_summary(demo, out)
    assert sorted(p.name for p in out.iterdir()) == ["a-file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_a_read_only_folder_is_refused(demo: v.CaseDetail, out: Path) -> None:
    locked = out / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="cannot be written"):
            render_summary(demo, locked / "s.pdf")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_failed_render_keeps_the_previous_file(demo: v.CaseDetail, out: Path) -> None:
    target = out / "s.pdf"
    target.write_bytes(b"previous version")
    with pytest.raises(Cancelled):
        render_summary(demo, target, cancelled=lambda: True)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in out.iterdir()] == ["s.pdf"]
    render_summary(demo, target)
    assert target.read_bytes().startswith(b"%PDF-")


# --- the bordereau ------------------------------------------------------------------------------------------------


@needs_poppler
def test_bordereau_of_the_example_case(demo: v.CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "bordereau.pdf"
    render_bordereau(demo, target, generated_at=FIXED)
    text = flat(pdf_text(target))
    for expected in (
        "TRIBUNAL ADMINISTRATIF DE MARSEILLE",
        "Requête n° 1901249",
        "POUR La Quadrature du Net",
        "CONTRE Région Provence-Alpes-Côte d'Azur",
        "BORDEREAU DES PIÈCES COMMUNIQUÉES",
        "Pièce n° 1 : Délibération n° 18-893 du 14 décembre 2018",
        "Pièce n° 2 : Position de la CNIL du 29 octobre 2019",
        "2 pièces.",
        "page 1 / 1",
    ):
        assert expected in text, expected
    english = tmp_path / "exhibits.pdf"
    render_bordereau(demo, english, lang="en")
    text = flat(pdf_text(english))
    assert "LIST OF EXHIBITS COMMUNICATED" in text and "Case No. 1901249" in text
    assert "Exhibit No. 1: Délibération n° 18-893 du 14 décembre 2018" in text
    assert "FOR La Quadrature du Net" in text and "AGAINST" in text


def test_exhibit_lines_give_the_date_unless_the_label_does() -> None:
    case_id = uuid.uuid4()
    dated = exhibit(case_id, 3, "Capture de l'article de presse", document_date=date(2019, 12, 11))
    assert exhibit_line(dated, "fr") == "Pièce n°\u00a03\u00a0: Capture de l'article de presse — 11 décembre 2019"
    already = exhibit(case_id, 1, "Délibération du 14 décembre 2018", document_date=date(2018, 12, 14))
    assert exhibit_line(already, "fr").endswith("Délibération du 14 décembre 2018")
    assert exhibit_line(dated, "en") == "Exhibit No. 3: Capture de l'article de presse — 11 December 2019"
    assert exhibit_line(already, "en") == "Exhibit No. 1: Délibération du 14 décembre 2018"
    digits = exhibit(case_id, 2, "Courrier du 01/03/2020", document_date=date(2020, 3, 1))
    assert exhibit_line(digits, "fr").endswith("Courrier du 01/03/2020")


@needs_poppler
def test_bordereau_of_one_filing_keeps_the_case_numbering(core: Core, tmp_path: Path) -> None:
    case = cases.create_case(
        core, title="Capteurs sonores", court="Tribunal administratif de Lyon", court_number="2100001"
    )
    brief = filings.add_filing(core, case.id, kind="memoire", title="Mémoire en réplique", filed_on=date(2021, 5, 3))
    evidence.add_evidence(core, case.id, title="Requête initiale")
    evidence.add_evidence(core, case.id, title="Courrier de la CNIL du 3 mai 2019", filing_id=brief.id)
    evidence.add_evidence(core, case.id, title="Délibération du conseil municipal", filing_id=brief.id)
    detail = cases.get_case(core, case.id)
    target = tmp_path / "b.pdf"
    render_bordereau(detail, target, filing_id=brief.id)
    text = flat(pdf_text(target))
    assert "Pièce n° 2 : Courrier de la CNIL du 3 mai 2019" in text
    assert "Pièce n° 3 : Délibération du conseil municipal" in text
    assert "Requête initiale" not in text
    assert "Pièces produites avec Mémoire en réplique (3 mai 2021)" in text  # the title says the kind already
    assert "Mémoire — Mémoire" not in text
    other = cases.create_case(core, title="Autre")
    with pytest.raises(InvalidInput, match="does not belong"):
        render_bordereau(cases.get_case(core, other.id), tmp_path / "x.pdf", filing_id=brief.id)
    assert not (tmp_path / "x.pdf").exists()


# --- the hearing sheet --------------------------------------------------------------------------------------------


@needs_poppler
def test_hearing_sheet_before_and_after_the_hearing(core: Core, demo: v.CaseDetail, tmp_path: Path) -> None:
    held = demo.hearings[0]
    after = tmp_path / "apres.pdf"
    render_hearing_sheet(demo, held, after, generated_at=FIXED)
    text = flat(pdf_text(after))
    for expected in (
        "FICHE D'AUDIENCE",
        "lundi 3 février 2020 à 10 h 00 (heure de Paris)",
        "Tribunal administratif de Marseille",
        "Audience au fond",
        "La Quadrature du Net",
        "Dates clés",
        "la présente audience",
        "Notes prises à l'audience",
        "Le rapporteur public conclut à l'annulation",
    ):
        assert expected in text, expected
    upcoming = hearings.add_hearing(
        core, demo.id, starts_at=datetime(2026, 7, 6, 7, 30, tzinfo=UTC), room="Salle 2", kind="urgent", urgent=True
    )
    before = tmp_path / "avant.pdf"
    render_hearing_sheet(cases.get_case(core, demo.id), upcoming, before, lang="en")
    text = flat(pdf_text(before))
    assert "Monday 6 July 2026 at 09:30 (Paris time)" in text and "Room Salle 2" in text
    assert "Notes taken at the hearing" not in text and "Notes" in text
    with pytest.raises(InvalidInput, match="does not belong"):
        render_hearing_sheet(bare_case(), upcoming, tmp_path / "x.pdf")
