"""Evidence: numbering, files taken into the content-addressed store, verification, and what goes wrong."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest

from caseapp.casefile.core import Core
from caseapp.errors import Cancelled, InvalidInput
from caseapp.services import cases, evidence
from tests.core.test_cases import snapshot


@pytest.fixture
def case_id(core: Core) -> uuid.UUID:
    return cases.create_case(core, title="Lycées").id


def test_exhibits_get_the_next_number(core: Core, case_id: uuid.UUID) -> None:
    first = evidence.add_evidence(core, case_id, title="Délibération n° 18-893")
    second = evidence.add_evidence(core, case_id, title="Position de la CNIL")
    fifth = evidence.add_evidence(core, case_id, title="Courrier", number=5)
    sixth = evidence.add_evidence(core, case_id, title="Article de presse")
    assert [first.number, second.number, fifth.number, sixth.number] == [1, 2, 5, 6]


def test_duplicate_exhibit_number_is_refused_and_nothing_changes(core: Core, case_id: uuid.UUID) -> None:
    evidence.add_evidence(core, case_id, title="Pièce 1")
    before = snapshot(core)
    with pytest.raises(InvalidInput, match="n° 1 already exists") as caught:
        evidence.add_evidence(core, case_id, title="Autre", number=1)
    assert caught.value.field == "number"
    with pytest.raises(InvalidInput, match="whole number"):
        evidence.add_evidence(core, case_id, title="Autre", number="un")
    assert snapshot(core) == before


def test_file_is_hashed_copied_and_described(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    source = tmp_path / "délibération 18-893.pdf"
    content = b"%PDF-1.4 example\n" * 1000
    source.write_bytes(content)
    seen: list[tuple[int, int]] = []
    item = evidence.add_evidence_file(core, case_id, source, progress=lambda done, total: seen.append((done, total)))
    assert item.number == 1 and item.title == "délibération 18-893"
    assert item.file is not None
    assert item.file.sha256 == hashlib.sha256(content).hexdigest()
    assert item.file.size == len(content) and item.file.original_name == source.name
    assert item.file.media_type == "application/pdf" and item.file.added_by == "Tester"
    stored = evidence.file_path(core, item.id)
    assert stored is not None and stored.read_bytes() == content and stored.name == item.file.sha256
    assert seen[-1] == (len(content), len(content))
    assert source.read_bytes() == content  # the original is never touched


def test_missing_or_unreadable_file_is_refused_cleanly(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    before = snapshot(core)
    with pytest.raises(InvalidInput, match="does not exist"):
        evidence.add_evidence_file(core, case_id, tmp_path / "nowhere.pdf")
    with pytest.raises(InvalidInput, match="folder, not a file"):
        evidence.add_evidence_file(core, case_id, tmp_path)
    if os.geteuid() != 0:  # root reads everything
        locked = tmp_path / "locked.pdf"
        locked.write_bytes(b"secret")
        locked.chmod(0)
        with pytest.raises(InvalidInput, match="cannot be read"):
            evidence.add_evidence_file(core, case_id, locked)
    assert snapshot(core) == before
    assert not any((core.data_dir / "evidence").rglob("*")) or all(
        p.is_dir() for p in (core.data_dir / "evidence").rglob("*")
    )


def test_cancelled_intake_leaves_no_file_and_no_row(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024))
    before = snapshot(core)
    with pytest.raises(Cancelled):
        evidence.add_evidence_file(core, case_id, source, cancelled=lambda: True)
    assert snapshot(core) == before
    assert [p for p in (core.data_dir / "evidence").rglob("*") if p.is_file()] == []


def test_failed_transaction_keeps_the_copied_file_and_lists_it(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    """The store only grows from CaseApp's side: the file copied in stays, named by no record, and is listed."""
    evidence.add_evidence(core, case_id, title="Pièce 1")
    source = tmp_path / "second.txt"
    source.write_text("unique content for this test")
    with pytest.raises(InvalidInput, match="already exists"):
        evidence.add_evidence_file(core, case_id, source, number=1)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert core.db.files.has(digest)
    assert [f.sha256 for f in evidence.unreferenced_files(core)] == [digest]
    assert [e.number for e in cases.get_case(core, case_id).evidence] == [1]


def test_same_file_twice_is_stored_once(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("same")
    one = evidence.add_evidence_file(core, case_id, source)
    two = evidence.add_evidence_file(core, case_id, source, title="copie")
    assert one.file and two.file and one.file.sha256 == two.file.sha256
    assert len([p for p in (core.data_dir / "evidence").rglob("*") if p.is_file()]) == 1


def test_verify_reports_a_tampered_or_missing_file(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    good, bad, gone = (tmp_path / n for n in ("good.txt", "bad.txt", "gone.txt"))
    good.write_text("good")
    bad.write_text("bad")
    gone.write_text("gone")
    for path in (good, bad, gone):
        evidence.add_evidence_file(core, case_id, path)
    bad_path = core.db.files.path_for(hashlib.sha256(b"bad").hexdigest())
    bad_path.write_text("tampered")
    core.db.files.path_for(hashlib.sha256(b"gone").hexdigest()).unlink()
    results = {r.evidence.title: r.problem for r in evidence.verify_evidence(core, case_id)}
    assert results["good"] is None
    assert results["bad"] is not None and "has changed" in results["bad"]
    assert results["gone"] is not None and "missing" in results["gone"]


def test_renumber_closes_gaps_and_follows_a_new_order(core: Core, case_id: uuid.UUID) -> None:
    a = evidence.add_evidence(core, case_id, title="A", number=2)
    b = evidence.add_evidence(core, case_id, title="B", number=5)
    c = evidence.add_evidence(core, case_id, title="C", number=9)
    assert [(e.title, e.number) for e in evidence.renumber_evidence(core, case_id)] == [("A", 1), ("B", 2), ("C", 3)]
    reordered = evidence.renumber_evidence(core, case_id, [c.id, a.id, b.id])
    assert [(e.title, e.number) for e in reordered] == [("C", 1), ("A", 2), ("B", 3)]
    with pytest.raises(InvalidInput, match="every exhibit"):
        evidence.renumber_evidence(core, case_id, [a.id, b.id])
    with pytest.raises(InvalidInput, match="every exhibit"):
        evidence.renumber_evidence(core, case_id, [a.id, a.id, b.id])


def test_leftover_temporary_intake_files_are_cleaned_at_start(data_dir: Path) -> None:
    from caseapp.casefile.core import open_core

    leftovers = data_dir / "evidence" / "tmp"
    leftovers.mkdir(parents=True)
    (leftovers / "intake-crashed").write_bytes(b"half a file")
    open_core(data_dir=data_dir).close()
    assert list(leftovers.iterdir()) == []


def test_a_missing_stored_file_is_supplied_only_by_the_same_bytes(
    core: Core, case_id: uuid.UUID, tmp_path: Path
) -> None:
    source = tmp_path / "original.pdf"
    source.write_bytes(b"%PDF-1.4 the original")
    item = evidence.add_evidence_file(core, case_id, source)
    assert item.file is not None
    core.db.files.path_for(item.file.sha256).unlink()  # the store lost it (or a bundle came without it)
    impostor = tmp_path / "other.pdf"
    impostor.write_bytes(b"%PDF-1.4 something else")
    with pytest.raises(InvalidInput, match="not the file of exhibit"):
        evidence.supply_missing_file(core, item.id, impostor)
    impostor_digest = hashlib.sha256(b"%PDF-1.4 something else").hexdigest()
    assert impostor_digest in {f.sha256 for f in evidence.unreferenced_files(core)}  # kept, named by nobody
    back = evidence.supply_missing_file(core, item.id, source)
    assert back.version == item.version and back.file == item.file  # the record itself did not change
    assert evidence.verify_evidence(core, case_id)[0].problem is None


def test_an_empty_file_or_one_the_case_holds_is_held_back_not_taken_silently(
    core: Core, case_id: uuid.UUID, tmp_path: Path
) -> None:
    letter = tmp_path / "courrier-cada.pdf"
    letter.write_bytes(b"%PDF-1.4 demande CADA")
    first = evidence.take_in_files(core, case_id, [letter])
    assert [e.number for e in first.added] == [1] and first.held_back == []

    empty = tmp_path / "scan-rate.pdf"
    empty.write_bytes(b"")
    same = tmp_path / "courrier-cada (copie).pdf"
    same.write_bytes(letter.read_bytes())
    fresh = tmp_path / "avis-cnil.pdf"
    fresh.write_bytes(b"%PDF-1.4 avis")
    result = evidence.take_in_files(core, case_id, [empty, same, fresh, fresh])
    assert [e.title for e in result.added] == ["avis-cnil"]  # the good one goes in
    assert [(p.name, why) for p, why in result.held_back] == [
        ("scan-rate.pdf", "the file is empty (0 bytes)"),
        ("courrier-cada (copie).pdf", "the case already holds this file, as exhibit n° 1 — courrier-cada"),
        ("avis-cnil.pdf", "the same file as “avis-cnil.pdf”, chosen just before"),
    ]
    assert len(cases.get_case(core, case_id).evidence) == 2

    # kept knowingly: they go in as new exhibits
    kept = evidence.take_in_files(core, case_id, [empty, same], keep_doubtful=True)
    assert [e.number for e in kept.added] == [3, 4] and kept.held_back == []
