"""Every document CaseApp writes, rendered page by page as a person would see it: each document of the example
case and each letter is laid out, checked with qpdf, and every page drawn to a PNG in the tests' artefacts
(``CASEAPP_TEST_ARTEFACTS``, else the test's own folder), where CI keeps them to be looked at.

The pages are checked the way a reader would notice a fault: every page has ink on it (a blank page in the
middle of a bordereau is a page a clerk asks about), and the French documents say nothing in English."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.reports.letters import KINDS as LETTERS
from caseapp.services import cases, demo, documents
from caseapp.services.documents import DOCUMENTS, DocumentRequest
from caseapp.services.letters import LetterRequest, make_letter

PDFTOPPM = shutil.which("pdftoppm")
QPDF = shutil.which("qpdf")
pytestmark = pytest.mark.skipif(PDFTOPPM is None, reason="needs pdftoppm (poppler-utils) to draw the pages")


def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CASEAPP_TEST_ARTEFACTS") or tmp_path) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pgm_ink(path: Path) -> float:
    """The share of a grey page image (binary PGM) darker than light grey."""
    data = path.read_bytes()
    fields: list[bytes] = []
    index = 0
    while len(fields) < 4:  # magic, width, height, maximum
        while data[index : index + 1].isspace():
            index += 1
        start = index
        while not data[index : index + 1].isspace():
            index += 1
        fields.append(data[start:index])
    pixels = data[index + 1 :]
    assert fields[0] == b"P5" and int(fields[3]) == 255
    return sum(1 for value in pixels if value < 200) / max(len(pixels), 1)


def draw(pdf: Path, folder: Path) -> list[float]:
    """Draw every page to ``folder/<name>-N.png`` (the artefacts) and return each page's share of ink."""
    assert PDFTOPPM is not None
    stem = folder / pdf.stem
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(pdf), str(stem)], check=True, timeout=300)
    grey = folder / f".{pdf.stem}-grey"
    subprocess.run([PDFTOPPM, "-gray", "-r", "20", str(pdf), str(grey)], check=True, timeout=300)
    pages = sorted(folder.glob(f".{pdf.stem}-grey*.pgm"))
    try:
        return [_pgm_ink(page) for page in pages]
    finally:
        for page in pages:
            page.unlink()


def check(pdf: Path, folder: Path, *, french: bool = True) -> int:
    """qpdf finds nothing wrong, every page is drawn with ink on it; returns the number of pages."""
    if QPDF is not None:
        result = subprocess.run([QPDF, "--check", str(pdf)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{pdf.name}: {result.stdout[-500:]}"
    count = len(PdfReader(pdf).pages)
    ink = draw(pdf, folder)
    assert len(ink) == count and len(list(folder.glob(f"{pdf.stem}-*.png"))) == count
    blank = [number for number, share in enumerate(ink, start=1) if share < 0.002]
    assert not blank, f"{pdf.name}: blank page(s) {blank}"
    if french:
        text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        for english in ("Page ", "Exhibit", "Hearing", "Case summary", "Generated"):
            assert english not in text, f"{pdf.name} says “{english}” in a French document"
    return count


@pytest.fixture
def example_case(core: Core) -> uuid.UUID:
    demo.load_demo(core)
    found = [item for item in cases.list_cases(core) if item.court_number == "1901249"]
    assert found, "the example case of the Marseille high schools is missing"
    return found[0].id


@pytest.mark.sqlite_only
def test_every_document_of_the_example_case_is_drawn_page_by_page(
    core: Core, example_case: uuid.UUID, tmp_path: Path
) -> None:
    folder = artefacts(tmp_path)
    detail = cases.get_case(core, example_case)
    hearing = detail.hearings[0].id if detail.hearings else None
    drawn: dict[str, int] = {}
    for key, kind in DOCUMENTS.items():
        request = DocumentRequest(key, example_case, hearing_id=hearing if kind.per_hearing else None)
        target = folder / f"{key}.pdf"
        documents.make(core, request, target)
        drawn[key] = check(target, folder)
    assert set(drawn) == set(DOCUMENTS)
    assert all(pages >= 1 for pages in drawn.values())


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", LETTERS)
def test_every_letter_is_drawn_page_by_page(core: Core, example_case: uuid.UUID, tmp_path: Path, kind: str) -> None:
    folder = artefacts(tmp_path)
    target = folder / f"letter-{kind}.pdf"
    # the referral to the CADA is about a request already sent: the example case that has one
    candidates = [example_case] + [item.id for item in cases.list_cases(core) if item.id != example_case]
    for case_id in candidates:
        try:
            make_letter(core, LetterRequest(kind, case_id), target)
            break
        except InvalidInput:
            continue
    else:
        pytest.fail(f"no example case can make the letter {kind}")
    assert check(target, folder) >= 1
