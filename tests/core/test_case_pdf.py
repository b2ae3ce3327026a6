"""The whole case as one PDF (``caseapp case-pdf``): the summary, the bordereau and every exhibit file that is a PDF
or an image, with bookmarks in the bordereau's numbering, a table of contents and "page N / M" on every page; the
Télérecours single file; privileged notes left out unless asked for; exhibits that cannot be included listed, never
dropped.

Read back with three tools that know nothing of each other: pikepdf (qpdf) and pypdf read the bookmarks, poppler's
pdftotext reads each page's text, ``qpdf --check`` the structure."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from caseapp.casefile.core import Core
from caseapp.casefile.views import CaseDetail
from caseapp.errors import Cancelled
from caseapp.reports import case_pdf
from caseapp.reports.bordereau import exhibit_line
from caseapp.reports.case_pdf import render_case_pdf
from caseapp.services import cases, documents, evidence, hearings, parties

pikepdf = pytest.importorskip("pikepdf")

ROOT = Path(__file__).resolve().parents[2]
PDFTOTEXT = shutil.which("pdftotext")
QPDF = shutil.which("qpdf")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
NOTE = "Le rapporteur public penche pour le rejet"  # a hearing note: privileged
FIXED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


# --- the exhibits' files ----------------------------------------------------------------------------------------------


def pdf_file(
    path: Path, marker: str, pages: int = 1, *, landscape_page: int | None = None, image: bool = False
) -> Path:
    """A PDF made with ReportLab: each page says ``marker`` and its number; one may be landscape; ``image`` draws a
    photo-like noise JPEG (a big stream, parked until the merged PDF is written)."""
    canvas = Canvas(str(path), pagesize=A4)
    picture = None
    if image:
        picture = path.with_suffix(".jpg")
        rng = random.Random(marker)
        Image.frombytes("L", (320, 320), bytes(rng.randrange(256) for _ in range(320 * 320))).save(picture, "JPEG")
    for number in range(1, pages + 1):
        if number == landscape_page:
            canvas.setPageSize(landscape(A4))
        else:
            canvas.setPageSize(A4)
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 700 if number != landscape_page else 500, f"{marker} feuillet {number}")
        if picture is not None:
            before = rl_config.useA85
            rl_config.useA85 = 0
            canvas.drawImage(str(picture), 72, 200, 300, 300)
            rl_config.useA85 = before
        canvas.showPage()
    canvas.save()
    return path


def turned(path: Path) -> Path:
    """The same PDF, its first page turned a quarter (a /Rotate 90 scan)."""
    writer = PdfWriter(clone_from=str(path))
    writer.pages[0].rotate(90)
    writer.write(str(path))
    return path


def locked(path: Path, *, user: str) -> Path:
    """The same PDF, encrypted (``user`` is the password needed to open it; "" only restricts it)."""
    writer = PdfWriter(clone_from=str(path))
    writer.encrypt(user_password=user, owner_password="proprietaire", algorithm="AES-256")
    writer.write(str(path))
    return path


def picture(path: Path, fmt: str) -> Path:
    Image.new("RGB", (600, 400), (40, 90, 160)).save(path, fmt)
    return path


@pytest.fixture
def case(core: Core, tmp_path: Path) -> CaseDetail:
    """A case with: 1 a PDF of 2 pages; 2 a PDF with a big image, a landscape page and a turned one; 3 a PNG; 4 a
    .docx; 5 no file; 6 a JPEG; 7 a PDF with a password; 8 a PDF with restrictions only; 9 a damaged PDF. A
    hearing with a note."""
    made = cases.create_case(
        core,
        title="Reconnaissance faciale dans les lycées",
        court="Tribunal administratif de Marseille",
        court_number="1901249",
    )
    parties.add_party(core, made.id, role="applicant", name="La Quadrature du Net")
    parties.add_party(core, made.id, role="respondent", name="Région Provence-Alpes-Côte d'Azur")
    hearing = hearings.add_hearing(core, made.id, starts_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC))
    hearings.add_note(core, hearing.id, NOTE)
    files = tmp_path / "pieces"
    files.mkdir()

    def add(path: Path, title: str) -> None:
        evidence.add_evidence_file(core, made.id, path, title=title, document_date=date(2018, 12, 14))

    add(pdf_file(files / "deliberation.pdf", "PIECE-UN", 2), "Délibération n° 18-893")
    add(turned(pdf_file(files / "cnil.pdf", "PIECE-DEUX", 3, landscape_page=2, image=True)), "Position de la CNIL")
    add(picture(files / "portique.png", "PNG"), "Photographie du portique")
    (files / "memoire.docx").write_bytes(b"PK\x03\x04 not really a document")
    add(files / "memoire.docx", "Mémoire en réplique")
    evidence.add_evidence(core, made.id, title="Courrier du recteur")
    add(picture(files / "badge.jpg", "JPEG"), "Photographie du badge")
    add(locked(pdf_file(files / "secret.pdf", "PIECE-SEPT"), user="secret"), "Rapport protégé")
    add(locked(pdf_file(files / "restreint.pdf", "PIECE-HUIT"), user=""), "Convention Cisco")
    (files / "abime.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a PDF any more")
    add(files / "abime.pdf", "Procès-verbal abîmé")
    return cases.get_case(core, made.id)


INCLUDED = {1: "PIECE-UN", 2: "PIECE-DEUX", 3: None, 6: None, 8: "PIECE-HUIT"}
LEFT_OUT = {4: "format", 5: "no_file", 7: "encrypted", 9: "damaged"}


def make(core: Core, case: CaseDetail, target: Path, **options: Any) -> Any:
    return documents.make(core, documents.DocumentRequest(documents.CASE_PDF, case.id, **options), target)


# --- reading it back ------------------------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Whitespace of any kind (no-break spaces included) made single plain spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def outline_pikepdf(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order, as qpdf reads them."""
    found: list[tuple[int, str, int]] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

        def walk(items: Any, depth: int) -> None:
            for item in items:
                target = item.destination[0] if item.destination is not None else item.action.D[0]
                found.append((depth, flat(str(item.title)), pages[target.objgen]))
                walk(item.children, depth + 1)

        with pdf.open_outline() as outline:
            walk(outline.root, 0)
    return found


def outline_pypdf(path: Path) -> list[tuple[int, str, int]]:
    reader = PdfReader(str(path))
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, flat(str(item.title)), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def page_texts(path: Path) -> list[str]:
    """Each page's text, from pdftotext (one run per page: what is on page N is on page N)."""
    assert PDFTOTEXT is not None
    count = len(PdfReader(str(path)).pages)
    texts = []
    for number in range(1, count + 1):
        args = [PDFTOTEXT, "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(path), "-"]
        text = subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")
        texts.append(flat(text))
    return texts


def qpdf_check(path: Path) -> None:
    if QPDF is None:
        return
    result = subprocess.run([QPDF, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the whole case ---------------------------------------------------------------------------------------------------


@needs_poppler
def test_the_whole_case_in_one_pdf(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "dossier.pdf"
    result = make(core, case, target)
    qpdf_check(target)
    assert {left.number: left.code for left in result.left_out} == LEFT_OUT
    assert result.exhibits == len(INCLUDED) and result.pages == len(PdfReader(str(target)).pages)
    assert {left.number: left.reason("fr") for left in result.left_out}[4] == "DOCX"

    # The bookmarks, read by two libraries, agree with each other and with the bordereau's numbering, one for one.
    marks = outline_pikepdf(target)
    assert marks == outline_pypdf(target)
    assert [title for depth, title, _page in marks if depth == 0] == [
        "Sommaire",
        "Synthèse du dossier",
        "Bordereau de pièces",
        "Pièces",
    ]
    exhibits = [(title, page) for depth, title, page in marks if depth == 1]
    numbers = [e.number for e in sorted(case.evidence, key=lambda e: e.number)]
    assert [title.split(" — ")[0] for title, _page in exhibits] == [f"Pièce n° {n}" for n in numbers]
    for item, (title, _page) in zip(sorted(case.evidence, key=lambda e: e.number), exhibits, strict=True):
        assert title.startswith(f"Pièce n° {item.number} — {item.title}")
        assert ("non incluse" in title) == (item.number in LEFT_OUT)

    texts = page_texts(target)
    total = len(texts)
    # the summary counts the exhibits and leaves their list to the bordereau that follows (not every row twice)
    whole = " ".join(texts)
    assert "listées au bordereau qui suit" in whole and "Fichier et SHA-256" not in whole
    # "page N / M" on every page, the exhibit named on each of its own, and one number only: the summary and the
    # bordereau bound in do not number their pages again ("page 1 / 2" over "page 3 / 40" confused readers).
    for number, text in enumerate(texts, 1):
        assert f"page {number} / {total}" in text, (number, text[-200:])
        assert len(re.findall(r"\bpage \d+ / \d+", text)) == 1, (number, text[-200:])
    firsts = {int(title.split(" — ")[0].removeprefix("Pièce n° ")): page for title, page in exhibits}
    for number, marker in INCLUDED.items():
        page = texts[firsts[number]]
        assert f"Pièce n° {number} — page {firsts[number] + 1} / {total}" in page
        if marker is not None:
            assert f"{marker} feuillet 1" in page  # the bookmark leads to the exhibit's first page
    assert "PIECE-UN feuillet 2" in texts[firsts[1] + 1] and "Pièce n° 1 — page" in texts[firsts[1] + 1]
    assert "PIECE-DEUX feuillet 2" in texts[firsts[2] + 1] and "PIECE-DEUX feuillet 3" in texts[firsts[2] + 2]
    assert "Photographie du portique" in texts[firsts[3]]  # an image: one page, named at its top
    for number in LEFT_OUT:
        assert firsts[number] == 0  # a left-out exhibit's bookmark leads to the contents that say why

    # The contents: a line per part and per exhibit, with its first page or why it is not there.
    contents = " ".join(texts[: marks[1][2]])
    assert "DOSSIER COMPLET" in contents and "Sommaire" in contents
    assert f"Synthèse du dossier {marks[1][2] + 1}" in contents and f"Bordereau de pièces {marks[2][2] + 1}" in contents
    assert f"Pièce n° 1 — Délibération n° 18-893 {firsts[1] + 1}" in contents
    assert "Pièce n° 4 — Mémoire en réplique non incluse (DOCX)" in contents
    assert "Pièce n° 5 — Courrier du recteur non incluse (sans fichier)" in contents
    assert "non incluse (protégée par un mot de passe)" in contents and "non incluse (fichier endommagé)" in contents

    whole = " ".join(texts)
    assert "SYNTHÈSE DU DOSSIER" in whole and "BORDEREAU DES PIÈCES COMMUNIQUÉES" in whole.upper()
    assert NOTE not in whole and "Les notes prises aux audiences ne sont pas incluses." in contents
    assert "PIECE-SEPT" not in whole  # the locked one


@needs_poppler
def test_the_hearing_notes_only_when_asked_for(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "avec-notes.pdf"
    make(core, case, target, include_privileged=True)
    whole = " ".join(page_texts(target))
    assert NOTE in whole and "Les notes prises aux audiences sont incluses" in whole


@needs_poppler
def test_the_telerecours_single_file(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "telerecours.pdf"
    result = make(core, case, target, telerecours=True, include_privileged=True)
    qpdf_check(target)
    marks = outline_pikepdf(target)
    assert marks == outline_pypdf(target)
    kept = [e for e in sorted(case.evidence, key=lambda e: e.number) if e.number in INCLUDED]
    # One bookmark per exhibit in the file, flat, in number order, named as the bordereau lists it.
    assert [(depth, title) for depth, title, _page in marks] == [(0, flat(exhibit_line(e, "fr"))) for e in kept]
    assert marks[0][1].startswith("Pièce n° 1 : Délibération n° 18-893")
    texts = page_texts(target)
    assert "BORDEREAU" in texts[0].upper() and marks[0][2] > 0  # the bordereau first, then the exhibits
    whole = " ".join(texts)
    assert "SYNTHÈSE DU DOSSIER" not in whole and "Sommaire" not in whole and NOTE not in whole
    bordereau = " ".join(texts[: marks[0][2]])
    assert "Mémoire en réplique" not in bordereau and "Position de la CNIL" in bordereau  # it lists what the file holds
    for number, text in enumerate(texts, 1):
        assert f"page {number} / {len(texts)}" in text
    assert {left.number for left in result.left_out} == set(LEFT_OUT)
    with pikepdf.open(target) as pdf:
        assert "/Producer" not in pdf.docinfo and "/Creator" not in pdf.docinfo  # nothing about the program
    request = documents.DocumentRequest(documents.CASE_PDF, case.id, telerecours=True)
    name = documents.suggested_name(request, documents.sources(core, request))
    assert name == "Pieces - 1901249.pdf"


def test_in_english(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    target = tmp_path / "whole-case.pdf"
    make(core, case, target, lang="en")
    titles = [title for _depth, title, _page in outline_pikepdf(target)]
    assert titles[:4] == ["Contents", "Case summary", "List of exhibits", "Exhibits"]
    assert titles[4] == "Exhibit No. 1 — Délibération n° 18-893"
    assert titles[7] == "Exhibit No. 4 — Mémoire en réplique (not included (DOCX))"


# --- memory, files, cancel --------------------------------------------------------------------------------------------


def test_big_streams_stay_in_their_files_and_come_out_unchanged(
    core: Core, case: CaseDetail, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parked: list[int] = []
    real = case_pdf._park

    def park(reader: Any, path: Path, pages: Any) -> int:
        parked.append(real(reader, path, pages))
        return parked[-1]

    monkeypatch.setattr(case_pdf, "_park", park)
    target = tmp_path / "dossier.pdf"
    make(core, case, target)
    assert max(parked) > 16 * 1024  # the scan of exhibit 2 (and the fonts) waited in their files
    item = next(e for e in case.evidence if e.number == 2)
    assert item.file is not None
    source = core.db.files.path_for(item.file.sha256)

    def images(pdf: Any, page: Any) -> list[bytes]:
        return [bytes(x.read_raw_bytes()) for x in page.Resources.XObject.values() if x.Subtype == "/Image"]

    with pikepdf.open(source) as original, pikepdf.open(target) as merged:
        wanted = images(original, original.pages[0])
        found = [raw for page in merged.pages if "/XObject" in page.Resources for raw in images(merged, page)]
        assert wanted and all(raw in found for raw in wanted)


def test_a_missing_or_changed_file_is_listed_and_the_rest_goes_on(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    one = next(e for e in case.evidence if e.number == 1)
    two = next(e for e in case.evidence if e.number == 2)
    assert one.file is not None and two.file is not None
    core.db.files.path_for(one.file.sha256).unlink()
    core.db.files.path_for(two.file.sha256).write_bytes(b"%PDF-1.4 replaced behind CaseApp's back")
    result = make(core, case, tmp_path / "dossier.pdf")
    codes = {left.number: left.code for left in result.left_out}
    assert codes[1] == "missing" and codes[2] == "changed" and result.exhibits == len(INCLUDED) - 2


def test_cancel_leaves_nothing(core: Core, case: CaseDetail, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 12

    detail = cases.get_case(core, case.id)
    with pytest.raises(Cancelled):
        render_case_pdf(
            detail, out / "dossier.pdf", store_path_for=core.db.files.path_for, cancelled=cancelled, generated_at=FIXED
        )
    assert list(out.iterdir()) == []


def test_a_case_without_exhibits(core: Core, tmp_path: Path) -> None:
    empty = cases.create_case(core, title="Sans pièces", court="TA de Nice")
    result = make(core, empty, tmp_path / "vide.pdf")
    assert result.pages >= 3 and result.left_out == () and result.exhibits == 0
    assert [t for _d, t, _p in outline_pikepdf(tmp_path / "vide.pdf")] == [
        "Sommaire",
        "Synthèse du dossier",
        "Bordereau de pièces",
    ]


# --- the command line -------------------------------------------------------------------------------------------------


def caseapp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"}
    env.pop("CASEAPP_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_the_command_line(core: Core, case: CaseDetail, data_dir: Path, tmp_path: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the command line test runs on the SQLite data folder")
    three = next(e for e in case.evidence if e.number == 3)
    assert three.file is not None
    core.db.files.path_for(three.file.sha256).unlink()  # a missing file does not stop it
    plain = caseapp(data_dir, "case-pdf", "1901249", "-o", str(tmp_path / "a.pdf"))
    assert plain.returncode == 0, plain.stderr
    assert "Not included: exhibit n° 3 (file missing from the evidence store)." in plain.stdout
    assert "Not included: exhibit n° 4 (DOCX)." in plain.stdout and "Written:" in plain.stdout
    for options in (["--telerecours"], ["--include-privileged"], ["--telerecours", "--include-privileged"]):
        run = caseapp(data_dir, "case-pdf", str(case.id)[:8], "-o", str(tmp_path / f"{uuid.uuid4()}.pdf"), *options)
        assert run.returncode == 0, run.stderr
    assert PdfReader(str(tmp_path / "a.pdf")).outline
    helped = caseapp(data_dir, "case-pdf", "--help")
    assert "--telerecours" in helped.stdout and "--include-privileged" in helped.stdout


def test_the_registry_entry() -> None:
    kind = documents.DOCUMENTS[documents.CASE_PDF]
    assert (kind.command, kind.menu, kind.telerecours_variant, kind.privileged_optional) == (
        "case-pdf",
        "Whole case as one PDF…",
        True,
        True,
    )


def test_an_image_too_big_or_broken_is_listed(core: Core, tmp_path: Path) -> None:
    made = cases.create_case(core, title="Images", court="TA de Nice")
    broken = tmp_path / "casse.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    evidence.add_evidence_file(core, made.id, broken, title="Image cassée")
    evidence.add_evidence_file(core, made.id, picture(tmp_path / "ok.png", "PNG"), title="Image")
    result = make(core, made, tmp_path / "images.pdf")
    assert [(left.number, left.code) for left in result.left_out] == [(1, "damaged")] and result.exhibits == 1
    assert io.BytesIO((tmp_path / "images.pdf").read_bytes()).getvalue().startswith(b"%PDF")


def test_a_photo_is_turned_as_its_exif_says_and_a_copy_that_fails_is_undone(
    core: Core, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = cases.create_case(core, title="Photos", court="TA de Nice")
    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone upright: stored landscape, seen portrait
    Image.new("RGB", (600, 400), (200, 30, 30)).save(photo, "JPEG", exif=exif)
    evidence.add_evidence_file(core, made.id, photo, title="Photo du portique")
    evidence.add_evidence_file(core, made.id, pdf_file(tmp_path / "deux.pdf", "DEUX", 2), title="Deux pages")
    evidence.add_evidence_file(core, made.id, pdf_file(tmp_path / "trois.pdf", "TROIS", 1), title="Une page")
    real = PdfWriter.add_page
    calls = {"n": 0}

    def add_page(self: PdfWriter, page: Any, excluded_keys: Any = ()) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:  # the second page of exhibit 2
            raise ValueError("a broken object")
        return real(self, page, excluded_keys)

    monkeypatch.setattr(PdfWriter, "add_page", add_page)
    target = tmp_path / "photos.pdf"
    result = make(core, made, target)
    assert [(left.number, left.code) for left in result.left_out] == [(2, "damaged")]
    qpdf_check(target)
    marks = {title.split(" — ")[0]: page for _d, title, page in outline_pikepdf(target)}
    reader = PdfReader(str(target))
    photo_page = reader.pages[marks["Pièce n° 1"]]
    assert photo_page.mediabox.height > photo_page.mediabox.width  # portrait, as the photo is seen
    assert marks["Pièce n° 3"] == marks["Pièce n° 1"] + 1  # nothing of exhibit 2 was left in between
    assert result.pages == len(reader.pages)
