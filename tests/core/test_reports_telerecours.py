"""The Télérecours exhibit set (file names, the problem list, folder and zip exports) and the document
commands of the CLI."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseapp import cli
from caseapp.casefile import views as v
from caseapp.casefile.core import Core
from caseapp.cli import documents
from caseapp.errors import InvalidInput, StorageError
from caseapp.reports.telerecours import (
    MAX_NAME,
    ExhibitSetError,
    ascii_words,
    check_exhibit_set,
    exhibit_file_name,
    export_exhibit_set,
)
from caseapp.services import cases, evidence, filings, hearings
from caseapp.services.demo import load_demo
from caseapp.store.files import EvidenceStore
from tests.core.test_reports import FIXED, bare_case, exhibit, flat, needs_poppler, pdf_text

RULE = re.compile(r"^\d{2,} - [A-Za-z0-9 _-]+\.[a-z0-9]+$")
HOSTILE_LABELS = [
    "Délibération n° 18-893 du 14 décembre 2018",
    "Courrier du préfet / réponse de la mairie \\ annexe",
    "Rapport v1.2.final... (copie).pdf",
    "x" * 300,
    "Œuvre « spéciale » : l'ÉTÉ à Saint-Étienne — 10 € ?!*<>|\"",
    "📸 Capture d'écran 🚨 de la caméra",
    "🚨📸🎥",
    "   ",
    "Tab\tand\nnew line",
    "CON",
    "..",
]


def assert_valid_name(name: str) -> None:
    assert len(name) <= MAX_NAME, name
    assert name.isascii(), name
    assert name.count(".") == 1, name
    assert RULE.match(name), name


def test_file_names_obey_the_telerecours_rules_for_hostile_labels() -> None:
    case_id = uuid.uuid4()
    for number, title in enumerate(HOSTILE_LABELS, start=1):
        assert_valid_name(exhibit_file_name(exhibit(case_id, number, title, content=b"x")))
    first = exhibit(case_id, 1, HOSTILE_LABELS[0], content=b"x")
    assert exhibit_file_name(first) == "01 - Deliberation n 18-893 du 14 decembre 2018.pdf"
    long = exhibit_file_name(exhibit(case_id, 7, "mot " * 100, content=b"x"))
    assert long.startswith("07 - mot mot") and long.endswith("mot.pdf") and len(long) <= MAX_NAME
    assert exhibit_file_name(exhibit(case_id, 3, "🚨📸🎥", content=b"x")) == "03 - Piece.pdf"
    assert exhibit_file_name(exhibit(case_id, 3, "🚨", content=b"x"), lang="en") == "03 - Exhibit.pdf"
    assert exhibit_file_name(exhibit(case_id, 12, "Scan", content=b"x", file_name="SCAN.JPEG")) == "12 - Scan.jpeg"
    assert exhibit_file_name(exhibit(case_id, 1234, "Annexe", content=b"x"), width=4) == "1234 - Annexe.pdf"
    assert ascii_words("L'œuvre d'Ærø — 5 €") == "L oeuvre d AEro 5 EUR"


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=400), number=st.integers(min_value=1, max_value=99_999), name=st.text(max_size=60))
def test_any_label_and_file_name_give_a_valid_name(title: str, number: int, name: str) -> None:
    item = exhibit(uuid.uuid4(), number, title, content=b"x", file_name=name or "x")
    assert_valid_name(exhibit_file_name(item, width=max(2, len(str(number)))))


def codes(problems: list[Any]) -> list[tuple[str, int | None, bool]]:
    return [(p.code, p.number, p.blocking) for p in problems]


def test_problems_gaps_duplicates_files_and_cut_labels(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "store")
    case_id = uuid.uuid4()
    items = (
        exhibit(case_id, 1, "Requête", content=b"one"),
        exhibit(case_id, 2, "Mémoire", content=b"two"),
        exhibit(case_id, 2, "Mémoire bis", content=b"two bis"),
        exhibit(case_id, 4, "Sans fichier"),
        exhibit(case_id, 5, "Un intitulé beaucoup trop long " * 5, content=b"five"),
    )
    found = check_exhibit_set(bare_case(id=case_id, evidence=items), files=store)
    assert ("duplicate", 2, True) in codes(found)
    assert ("gap", 3, True) in codes(found)
    assert ("no_file", 4, True) in codes(found)
    assert ("missing_file", 1, True) in codes(found)  # nothing was put in the store
    assert ("label_cut", 5, False) in codes(found)
    assert all(p.blocking for p in found[: sum(p.blocking for p in found)])  # blocking ones first
    assert "Number 2 is given to 2 exhibits." in [p.message for p in found]
    assert codes(check_exhibit_set(bare_case())) == [("no_exhibits", None, True)]
    assert check_exhibit_set(bare_case(id=case_id, evidence=items[:2])) == []


@pytest.fixture
def case_with_files(core: Core, tmp_path: Path) -> v.CaseDetail:
    case = cases.create_case(core, title="Vidéosurveillance", court="Tribunal administratif de Marseille")
    sources = tmp_path / "sources"
    sources.mkdir()
    for number, (title, content) in enumerate(
        [("Délibération n° 18-893 du 14 décembre 2018", b"%PDF-1.4 deliberation"), ("Avis de la CNIL", b"%PDF avis")],
        start=1,
    ):
        path = sources / f"source-{number}.pdf"
        path.write_bytes(content)
        evidence.add_evidence_file(core, case.id, path, title=title)
    return cases.get_case(core, case.id)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_zip_export_holds_every_exhibit_and_the_bordereau(core: Core, case_with_files: v.CaseDetail, out: Path) -> None:
    target = out / "pieces.zip"
    result = export_exhibit_set(case_with_files, target, files=core.db.files, generated_at=FIXED)
    assert result.files == (
        "01 - Deliberation n 18-893 du 14 decembre 2018.pdf",
        "02 - Avis de la CNIL.pdf",
        "Bordereau des pieces.pdf",
    )
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == list(result.files)
        assert archive.read(result.files[0]) == b"%PDF-1.4 deliberation"
        assert archive.read(result.files[1]) == b"%PDF avis"
        assert archive.read("Bordereau des pieces.pdf").startswith(b"%PDF-")
        assert archive.testzip() is None
    assert [p.name for p in out.iterdir()] == ["pieces.zip"]  # no temporary file left
    again = out / "again.zip"
    export_exhibit_set(case_with_files, again, files=core.db.files, generated_at=FIXED)
    assert again.read_bytes() == target.read_bytes()  # reproducible
    with pytest.raises(StorageError, match="already exists"):
        export_exhibit_set(case_with_files, target, files=core.db.files)
    export_exhibit_set(case_with_files, target, files=core.db.files, overwrite=True)


@needs_poppler
def test_the_bordereau_in_the_set_lists_the_exhibits(core: Core, case_with_files: v.CaseDetail, out: Path) -> None:
    export_exhibit_set(case_with_files, out / "set", files=core.db.files)
    text = flat(pdf_text(out / "set" / "Bordereau des pieces.pdf"))
    assert "Pièce n° 1 : Délibération n° 18-893 du 14 décembre 2018" in text
    assert "Pièce n° 2 : Avis de la CNIL" in text


def test_folder_export_never_replaces_a_non_empty_folder_by_surprise(
    core: Core, case_with_files: v.CaseDetail, out: Path
) -> None:
    empty = out / "empty"
    empty.mkdir()
    export_exhibit_set(case_with_files, empty, files=core.db.files)
    assert sorted(p.name for p in empty.iterdir()) == [
        "01 - Deliberation n 18-893 du 14 decembre 2018.pdf",
        "02 - Avis de la CNIL.pdf",
        "Bordereau des pieces.pdf",
    ]
    busy = out / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("keep me")
    with pytest.raises(StorageError, match="not empty"):
        export_exhibit_set(case_with_files, busy, files=core.db.files)
    assert [p.name for p in busy.iterdir()] == ["mine.txt"]
    export_exhibit_set(case_with_files, busy, files=core.db.files, overwrite=True)
    assert "mine.txt" not in [p.name for p in busy.iterdir()]
    with pytest.raises(StorageError, match="does not exist"):
        export_exhibit_set(case_with_files, out / "no" / "such", files=core.db.files)
    assert sorted(p.name for p in out.iterdir()) == ["busy", "empty"]  # no temporary folder left


def test_blocking_problems_stop_the_export_unless_forced(core: Core, case_with_files: v.CaseDetail, out: Path) -> None:
    evidence.add_evidence(core, case_with_files.id, title="Pièce annoncée", number=4)
    detail = cases.get_case(core, case_with_files.id)
    with pytest.raises(ExhibitSetError) as caught:
        export_exhibit_set(detail, out / "set.zip", files=core.db.files)
    assert "Exhibit n° 3 is missing from the numbering." in caught.value.message
    assert "Exhibit n° 4 has no file." in caught.value.message
    assert {p.code for p in caught.value.problems} >= {"gap", "no_file"}
    assert list(out.iterdir()) == []
    result = export_exhibit_set(detail, out / "set.zip", files=core.db.files, force=True)
    assert result.skipped == (4,)
    assert len(result.files) == 3


def test_a_file_changed_in_the_store_stops_the_export(core: Core, case_with_files: v.CaseDetail, out: Path) -> None:
    stored = case_with_files.evidence[1].file
    assert stored is not None
    path = core.db.files.path_for(stored.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"tampered")
    with pytest.raises(StorageError, match="has changed since it was added"):
        export_exhibit_set(case_with_files, out / "set.zip", files=core.db.files, force=True)
    with pytest.raises(StorageError, match="has changed since it was added"):
        export_exhibit_set(case_with_files, out / "set", files=core.db.files, force=True)
    assert list(out.iterdir()) == []
    path.unlink()
    found = check_exhibit_set(case_with_files, files=core.db.files)
    assert ("missing_file", 2, True) in codes(found)


def test_export_of_one_filing(core: Core, case_with_files: v.CaseDetail, out: Path, tmp_path: Path) -> None:
    brief = filings.add_filing(core, case_with_files.id, kind="memoire", title="Mémoire", filed_on=date(2021, 1, 4))
    for number, title in ((3, "Courrier du maire"), (5, "Rapport d'activité")):
        source = tmp_path / f"{number}.pdf"
        source.write_bytes(title.encode())
        evidence.add_evidence_file(core, case_with_files.id, source, title=title, number=number, filing_id=brief.id)
    evidence.add_evidence(core, case_with_files.id, title="Autre production", number=4)
    detail = cases.get_case(core, case_with_files.id)
    problems = check_exhibit_set(detail, brief.id, files=core.db.files)
    assert codes(problems) == [("interleaved", 4, False)]
    result = export_exhibit_set(detail, out / "memoire.zip", files=core.db.files, filing_id=brief.id)
    assert result.files == ("03 - Courrier du maire.pdf", "05 - Rapport d activite.pdf", "Bordereau des pieces.pdf")
    with pytest.raises(InvalidInput, match="does not belong"):
        export_exhibit_set(bare_case(), out / "x.zip", files=core.db.files, filing_id=brief.id)


# --- the CLI ------------------------------------------------------------------------------------------------------


@pytest.fixture
def run(data_dir: Path) -> Any:
    """``caseapp`` as the entry point runs it."""

    def caseapp(*args: str) -> int:
        return cli.main(["--data-dir", str(data_dir), *args])

    return caseapp


def test_cli_writes_every_document(run: Any, core: Core, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_demo(core)
    assert run("summary", "1901249", "-o", str(out / "s.pdf")) == 0
    assert run("summary", "1901249", "-o", str(out / "s-en.pdf"), "--lang", "en", "--no-notes") == 0
    assert run("bordereau", "1901249", "-o", str(out / "b.pdf")) == 0
    case = cases.get_case(core, cases.resolve_case(core, "1901249"))
    hearing_prefix = str(case.hearings[0].id)[:8]
    assert run("hearing-sheet", hearing_prefix, "-o", str(out / "h.pdf")) == 0
    printed = capsys.readouterr().out
    assert "Written:" in printed and "pages" in printed
    for name in ("s.pdf", "s-en.pdf", "b.pdf", "h.pdf"):
        assert (out / name).read_bytes().startswith(b"%PDF-")
    assert run("telerecours", "1901249", "-o", str(out / "set.zip")) == 1
    assert "Exhibit n° 1 has no file." in capsys.readouterr().err
    assert run("telerecours", "1901249", "-o", str(out / "set.zip"), "--force") == 0
    assert zipfile.ZipFile(out / "set.zip").namelist() == ["Bordereau des pieces.pdf"]


def test_cli_errors_are_one_clear_line_and_exit_code_1(
    run: Any, core: Core, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(core)
    assert run("summary", "1901249", "-o", str(out / "missing" / "s.pdf")) == 1
    assert "does not exist" in capsys.readouterr().err
    assert run("hearing-sheet", "abc", "-o", str(out / "h.pdf")) == 1
    assert "first 6 characters" in capsys.readouterr().err
    assert run("hearing-sheet", "ffffffff", "-o", str(out / "h.pdf")) == 1
    assert "No hearing matches" in capsys.readouterr().err
    assert run("bordereau", "1901249", "-o", str(out / "b.pdf"), "--filing", "0000000000") == 1
    assert "No filing of this case matches" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_hearing_resolver_by_full_id_and_prefix(core: Core) -> None:
    case = cases.create_case(core, title="Audiences")
    first = hearings.add_hearing(core, case.id, starts_at=FIXED)
    assert documents.resolve_hearing(core, str(first.id)) == first.id
    assert documents.resolve_hearing(core, str(first.id)[:6]) == first.id
    assert documents.resolve_hearing(core, str(first.id)[:13].upper()) == first.id
    with pytest.raises(InvalidInput):
        documents.resolve_hearing(core, "")


def test_zip_entries_are_plain_ascii_names(core: Core, case_with_files: v.CaseDetail, out: Path) -> None:
    target = out / "set.zip"
    export_exhibit_set(case_with_files, target, files=core.db.files)
    with zipfile.ZipFile(target) as archive:
        for info in archive.infolist():
            assert info.filename.isascii() and "/" not in info.filename
            assert info.flag_bits & 0x800 == 0  # no UTF-8 name flag needed
            body = archive.read(info)
            if info.filename != "Bordereau des pieces.pdf":
                item = next(e for e in case_with_files.evidence if info.filename.startswith(f"{e.number:02d} "))
                assert item.file is not None and hashlib.sha256(body).hexdigest() == item.file.sha256
