"""One user action, one transaction, and it says what it changed: the edits the window used to assemble from
several calls (a party and its role, a computed deadline moved with its reason, a deleted hearing, exhibit or
request brought back) are each one service call now, all or nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.services import access, cases, deadlines, evidence, filings, hearings, parties
from caseapp.services.changes import tracking
from caseapp.services.editing import fields_of, values_of
from caseapp.store import models as m


@pytest.fixture
def case_id(core: Core) -> uuid.UUID:
    return cases.create_case(core, title="Lycées", court="TA de Marseille").id


def events(core: Core) -> int:
    with core.db.reader() as session:
        return session.query(m.AuditEvent).count()


def test_a_party_and_its_role_are_edited_together_or_not_at_all(core: Core, case_id: uuid.UUID) -> None:
    link = parties.add_party(core, case_id, name="LQDN", role="applicant")
    with pytest.raises(InvalidInput):
        parties.edit_party(core, link.id, name="La Quadrature du Net", role="nonsense")
    assert cases.get_case(core, case_id).parties[0].name == "LQDN"  # the name was not saved alone
    edited = parties.edit_party(core, link.id, name="La Quadrature du Net", counsel="Me Dupont")
    assert (edited.name, edited.counsel) == ("La Quadrature du Net", "Me Dupont")


def test_a_computed_deadline_is_moved_with_its_reason_in_one_call(core: Core, case_id: uuid.UUID) -> None:
    filings.add_filing(core, case_id, kind="jugement", notified_on="2020-02-28")
    (appeal,) = cases.get_case(core, case_id).deadlines
    with pytest.raises(InvalidInput) as refused:
        deadlines.edit_deadline(core, appeal.id, due_on="2020-06-24")
    assert refused.value.field == "override_reason"
    moved = deadlines.edit_deadline(
        core, appeal.id, due_on="2020-06-24", override_reason="Ordonnance n° 2020-305", status="done"
    )
    assert (moved.due_on, moved.override_reason, moved.status) == (date(2020, 6, 24), "Ordonnance n° 2020-305", "done")
    back = deadlines.edit_deadline(core, appeal.id, due_on="2020-06-24", override_reason="")
    assert back.due_on == date(2020, 4, 29) and back.override_reason is None


def test_a_deleted_hearing_comes_back_with_its_notes_in_one_transaction(core: Core, case_id: uuid.UUID) -> None:
    hearing = hearings.add_hearing(core, case_id, starts_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC))
    hearings.add_note(core, hearing.id, "Le rapporteur public conclut au rejet.")
    hearings.add_note(core, hearing.id, "Renvoi à quinzaine.")
    before = hearings.get_hearing(core, hearing.id)
    hearings.delete_hearing(core, hearing.id)
    with tracking() as changed:
        restored = hearings.restore_hearing(core, case_id, hearing.id, values_of("hearing", before), list(before.notes))
    assert restored.id == hearing.id
    assert [(n.id, n.text, n.at) for n in restored.notes] == [(n.id, n.text, n.at) for n in before.notes]
    assert changed.kinds >= {"hearing", "note"} and changed.case_ids == {case_id}


def test_a_deleted_exhibit_comes_back_with_its_file(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    source = tmp_path / "courrier.pdf"
    source.write_bytes(b"%PDF-1.4 a letter")
    item = evidence.add_evidence_file(core, case_id, source, title="Courrier")
    evidence.delete_evidence(core, item.id)
    source.unlink()  # the original is gone: the store still has the file
    restored = evidence.restore_exhibit(core, case_id, item.id, values_of("evidence", item), item.file)
    assert restored.number == item.number and restored.file is not None
    assert restored.file.sha256 == item.file.sha256
    assert evidence.verify_evidence(core, case_id)[0].problem is None


def test_a_deleted_request_comes_back_with_its_steps(core: Core, case_id: uuid.UUID) -> None:
    request = access.add_request(
        core, case_id=case_id, administration="Ville de Marseille", documents="CCTP", received_on="2026-02-16"
    )
    access.record_step(core, request.id, "referred_to_cada", date(2026, 5, 11))
    before = access.get_request(core, request.id)
    access.delete_request(core, request.id)
    values = {k: v for k, v in values_of("access_request", before).items()}
    restored = access.restore_request(core, request.id, values, list(before.steps))
    assert [(s.id, s.status, s.on) for s in restored.steps] == [(s.id, s.status, s.on) for s in before.steps]
    assert restored.status == "referred_to_cada"
    assert any(d.rule_id == "cada-court" for d in cases.get_case(core, case_id).deadlines)


def test_every_action_reports_what_it_changed(core: Core, case_id: uuid.UUID) -> None:
    with tracking() as changed:
        filings.add_filing(core, case_id, kind="jugement", notified_on="2020-02-28")
    assert changed.kinds == {"filing", "deadline"} and changed.case_ids == {case_id}
    with tracking() as nothing:
        cases.get_case(core, case_id)
    assert not nothing


def test_undo_values_follow_the_description() -> None:
    assert "court_set_on" in fields_of("filing") and "matter" in fields_of("case")
    assert fields_of("hearing") == ("starts_at", "court", "room", "kind", "status", "outcome", "urgent")


def test_many_files_become_exhibits_in_one_transaction(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    files = []
    for name in ("Délibération.pdf", "Courrier CNIL.pdf", "Photo portique.jpg"):
        files.append(tmp_path / name)
        files[-1].write_bytes(name.encode() * 100)
    missing = tmp_path / "absent.pdf"
    before = events(core)
    with tracking() as changed:
        result = evidence.take_in_files(core, case_id, [files[0], missing, files[1], files[2]])
    assert [(v.number, v.title) for v in result.added] == [
        (1, "Délibération"),
        (2, "Courrier CNIL"),
        (3, "Photo portique"),
    ]
    assert [name for name, _why in result.refused] == ["absent.pdf"] and "absent.pdf" in result.refused[0][1]
    assert events(core) == before + 3 and changed.kinds == {"evidence"} and changed.case_ids == {case_id}


def test_a_cancelled_intake_adds_no_exhibit(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    files = [tmp_path / f"piece-{n}.pdf" for n in range(3)]
    for n, path in enumerate(files):
        path.write_bytes(bytes([n]) * 300_000)
    seen: list[str] = []

    def cancelled() -> bool:
        return len(seen) >= 2  # the person presses Cancel while the second file is copied

    result = evidence.take_in_files(core, case_id, files, cancelled=cancelled, announce=seen.append)
    assert result.cancelled and result.added == []
    assert evidence.list_evidence(core, case_id) == []
    assert "piece-1.pdf" in seen[-1]


def test_a_failing_transaction_leaves_no_exhibit(core: Core, case_id: uuid.UUID, tmp_path: Path, monkeypatch) -> None:
    files = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path in files:
        path.write_bytes(path.name.encode() * 50)
    calls = {"n": 0}
    real = evidence._insert

    def insert_then_fail(uow, item, summary, changes=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real(uow, item, summary, changes)

    monkeypatch.setattr(evidence, "_insert", insert_then_fail)
    with pytest.raises(OSError):
        evidence.take_in_files(core, case_id, files)
    assert evidence.list_evidence(core, case_id) == []


def test_documents_are_made_through_the_application_layer(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    from caseapp.services import documents

    hearing = hearings.add_hearing(core, case_id, starts_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC))
    for kind in documents.DOCUMENTS:
        request = documents.DocumentRequest(kind, case_id, hearing_id=hearing.id)
        target = tmp_path / f"{kind}.pdf"
        result = documents.make(core, request, target)
        assert result.pages >= 1 and target.read_bytes().startswith(b"%PDF")
    other = cases.create_case(core, title="Autre", court="TA de Nice").id
    with pytest.raises(InvalidInput):
        documents.sources(core, documents.DocumentRequest(documents.HEARING_SHEET, other, hearing_id=hearing.id))
    with pytest.raises(InvalidInput):
        documents.sources(core, documents.DocumentRequest("poem", case_id))
    rendered = documents.render_preview(
        documents.DocumentRequest(documents.SUMMARY, case_id),
        documents.sources(core, documents.DocumentRequest(documents.SUMMARY, case_id)),
    )
    assert rendered.suggested_name == "Synthese - Lycées.pdf"
    copy = documents.save_copy(rendered, tmp_path / "copie.pdf")
    assert copy.read_bytes() == rendered.path.read_bytes()
    rendered.discard()
    assert not rendered.path.exists()


def test_a_bundle_travels_through_the_application_layer(core: Core, case_id: uuid.UUID, tmp_path: Path) -> None:
    from caseapp.services import bundles

    hearings.add_hearing(core, case_id, starts_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC))
    target = tmp_path / "lycees.casebundle"
    report = bundles.export(core, case_id, target, bundles.ExportOptions(sign=False, include_pdf=False))
    assert report.path == target and bundles.is_bundle(target) and bundles.encryption_of(target) is None
    with bundles.inspect(core, target) as preview:
        assert preview.nothing_to_do
