"""History anchored outside the database (issue "Nothing lost, nothing leaked", point 6): each event seals the
record it describes, the chain's head is written beside the database, into backups and bundles, imported events
say where they came from, and ``caseapp audit verify`` names what a rewrite contradicts."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from caseapp.bundle import TAKE_THEIRS, apply_import, inspect_bundle
from caseapp.bundle import format as fmt
from caseapp.casefile.core import Core, open_core
from caseapp.identity import signing
from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import access, cases, deadlines, evidence, filings, hearings, history, parties
from caseapp.store import anchors, audit_chain
from caseapp.store import models as m
from caseapp.store.backup import backup_sqlite, default_backup_path, restore_sqlite
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import edit_case_json, export, rebuild

# The shared fixtures, seen by pytest in this module.
alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
case_id = helpers.case_id


def audit_verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    """``caseapp audit verify`` in this process, on the data folder (and server) the test's core uses."""
    from caseapp import cli

    capsys.readouterr()
    mask = os.umask(0o022)
    os.umask(mask)
    try:
        code = cli.main(["audit", "verify", *extra])
    finally:
        os.umask(mask)  # the command line makes its files private; the other tests expect the usual mask
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def signing_key() -> Iterator[MemoryKeyStore]:
    """A signing key in the default key store, as a person who exported a signed bundle has."""
    store = MemoryKeyStore()
    signing.ensure_signer(store)
    set_default_keystore(store)
    yield store
    set_default_keystore(None)


def a_case_with_history(core: Core) -> tuple[Any, Any, Any]:
    case = cases.create_case(core, title="Vidéoprotection", court="Tribunal administratif de Marseille")
    hearing = hearings.add_hearing(core, case.id, starts_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    note = hearings.add_note(core, hearing.id, "Le rapporteur public conclut au rejet.")
    hearings.add_note(core, hearing.id, "Mise en délibéré.")
    deadline = deadlines.add_deadline(core, case.id, title="Mémoire en réplique", due_on=date(2026, 9, 1))
    return case, note, deadline


def last_seq(core: Core) -> int:
    with core.db.reader() as session:
        return anchors.head(session)[0]


def rechain(core: Core) -> None:
    """What someone who knows the format does after editing an event: compute every hash again."""
    with core.db.writer() as session:
        prev = audit_chain.GENESIS
        for event in session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.seq)):
            event.prev_hash = prev
            event.hash = audit_chain.link_hash(prev, event)
            prev = event.hash
        session.commit()


# --- normal use: verify holds ---------------------------------------------------------------------------------


def test_normal_use_holds_together(core: Core, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case, note, deadline = a_case_with_history(core)
    hearings.update_note(core, note.id, "Le rapporteur public conclut au rejet de la requête.")
    deadlines.override_deadline(core, deadline.id, date(2026, 9, 15), "Ordonnance fixant la clôture")
    deadlines.set_status(core, deadline.id, "done")
    filings.add_filing(core, case.id, kind="jugement", filed_on=date(2020, 2, 27), notified_on=date(2020, 3, 2))
    cases.update_case(core, case.id, court="Tribunal administratif de Nice")  # deadlines follow the new seat
    deadlines.recompute_all(core)
    link = parties.add_party(core, case.id, name="La Quadrature du Net", kind="organisation", role="applicant")
    parties.remove_party(core, link.id)
    request = access.add_request(
        core, case_id=case.id, administration="Ville de Marseille", documents="Convention", sent_on=date(2026, 1, 5)
    )
    access.record_step(core, request.id, "implicit_refusal", date(2026, 2, 5))
    view = access.record_step(core, request.id, "referred_to_cada", date(2026, 2, 20))
    access.delete_step(core, next(s.id for s in view.steps if s.status == "referred_to_cada"))
    files = []
    for index in range(3):
        path = tmp_path / f"piece-{index}.txt"
        path.write_text(f"pièce {index}")
        files.append(evidence.add_evidence_file(core, case.id, path, title=f"Pièce {index}"))
    evidence.renumber_evidence(core, case.id, [files[2].id, files[0].id, files[1].id])
    evidence.delete_evidence(core, files[1].id)
    code, out, err = audit_verify(capsys)
    assert code == 0, err
    assert "no link broken" in out and "records match" in out

    # Deletions that take records with them, without an event per record.
    other = cases.create_case(core, title="Référé-liberté", parent_id=case.id, parent_relation="appeal_of")
    hearing = hearings.add_hearing(core, other.id, starts_at=datetime(2026, 4, 1, 14, tzinfo=UTC))
    hearings.add_note(core, hearing.id, "Audience renvoyée.")
    hearings.delete_hearing(core, hearing.id)  # its notes go with it
    cases.delete_case(core, case.id)  # and everything in it; the appeal loses its parent
    code, out, err = audit_verify(capsys)
    assert code == 0, err
    assert "anchors written outside the database agree" in out


def test_the_example_data_holds_together(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    """Every service the example data goes through seals what it writes as the database keeps it."""
    from caseapp.services.demo import load_demo

    load_demo(core)
    with core.db.reader() as session:
        found = audit_chain.scan(session)
        checked, problems = audit_chain.check_records(session, found)
    assert found.broken is None and checked > 50 and problems == []
    assert audit_verify(capsys)[0] == 0


# --- the repros of the issue -------------------------------------------------------------------------------------


def test_deleting_the_last_three_events_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0  # writes an anchor
    end = last_seq(core)
    with core.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq > :seq"), {"seq": end - 3})
    code, _out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert f"events n° {end - 2} to {end} were removed" in message, message
    assert "(the anchor written on" in message and "says the history reached event n°" in message, message


def test_a_note_edited_in_sql_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    case, note, _deadline = a_case_with_history(core)
    with core.db.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE hearing_notes SET text = 'Le rapporteur public conclut à l''annulation.' WHERE text LIKE 'Le%'"
            )
        )
    with core.db.reader() as session:
        sealed_by = session.scalar(select(m.AuditEvent.seq).where(m.AuditEvent.record_id == note.id))
    code, _out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert f"Hearing note {note.id} of the case “{case.title}” was changed outside CaseApp" in message, message
    assert f"after event n° {sealed_by}" in message, message


def test_a_deadline_moved_in_sql_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    case, _note, deadline = a_case_with_history(core)
    with core.db.engine.begin() as connection:
        connection.execute(text("UPDATE deadlines SET due_on = '2027-01-15' WHERE title = 'Mémoire en réplique'"))
    code, _out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert f"Deadline {deadline.id} of the case “{case.title}” was changed outside CaseApp after event n°" in message


def test_a_record_deleted_in_sql_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    case, note, _deadline = a_case_with_history(core)
    with core.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM hearing_notes WHERE text LIKE 'Le%'"))
    code, _out, err = audit_verify(capsys)
    assert code == 1
    assert f"Hearing note {note.id} of the case “{case.title}” was removed outside CaseApp" in one_line(err)


def test_an_event_edited_and_every_hash_recomputed_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0
    end = last_seq(core)
    with core.db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET author = 'Greffe' WHERE seq = 2"))
    rechain(core)
    with core.db.reader() as session:
        assert audit_chain.verify_chain(session)[1] is None  # the chain alone holds together again
    code, _out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert "The history was rewritten: the anchor written on" in message, message
    assert f"says event n° {end} had the hash" in message and "it now has" in message, message


def test_a_forged_event_in_a_bundle_is_imported_marked_and_reported(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    cases.create_case(core, title="Un dossier de Bob")  # Bob ("Tester") writes in this case file
    genuine = export(alice, case_id, tmp_path / "genuine.casebundle", alice_keys)

    def forge(document: dict[str, Any]) -> None:
        events = document["records"]["audit_events"]
        last = events[-1]
        for author, moment in (("Greffe du tribunal administratif de Marseille", "2019-03-12"), ("Tester", None)):
            forged = dict(last)
            forged.update(
                id=str(uuid.uuid4()),
                seq=events[-1]["seq"] + 1,
                prev_hash=events[-1]["hash"],
                origin_hash=None,
                at=f"{moment}T10:00:00.000000+00:00" if moment else last["at"],
                author=author,
                action="create",
                entity="note",
                record_id=str(uuid.uuid4()),
                summary="Hearing note: l'audience a été renvoyée",
                changes={},
                seal=None,
            )
            content = {k: v for k, v in forged.items() if k not in ("seq", "prev_hash", "hash", "origin_hash", "at")}
            for key in ("id", "record_id", "case_id"):
                content[key] = uuid.UUID(content[key])
            event = m.AuditEvent(**content, at=datetime.fromisoformat(forged["at"]))
            forged["hash"] = audit_chain.link_hash(forged["prev_hash"], event)  # a forger knows the format
            events.append(forged)

    forged_bundle = rebuild(
        genuine,
        tmp_path / "forged.casebundle",
        edit_case_json(forge),
        info_change=lambda lines: [line for line in lines if not line.startswith(fmt.INFO_HISTORY_ANCHOR)],
    )
    preview = inspect_bundle(core, forged_bundle, keystore=bob_keys)
    report = apply_import(core, preview, accept_unsigned=True)
    assert report.changed
    shown = {view.author: view for view in history.case_history(core, case_id)}
    registry = shown["Greffe du tribunal administratif de Marseille"]
    assert registry.origin is not None and registry.origin.flags == ("backdated",)
    assert registry.origin.signature == "unsigned" and registry.origin.exported_by == "Alice"
    assert "dated before the case was created" in registry.origin.description
    assert shown["Tester"].origin is not None and shown["Tester"].origin.flags == ("local_author",)
    assert all(view.origin is not None for view in shown.values() if view.entity != "bundle")
    code, out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert "dated before the case “Vidéosurveillance automatisée à Marseille” was created" in message, message
    assert "an unsigned bundle from Alice" in message, message
    assert "claims to be by Tester" in out


# --- imports ----------------------------------------------------------------------------------------------------


def test_imports_are_marked_with_their_origin_and_hold_together(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    signer = signing.ensure_signer(alice_keys)
    signing.TrustedKeys(core.data_dir).trust(signer.fingerprint, name="Alice", author="Bob")
    first = export(alice, case_id, tmp_path / "first.casebundle", alice_keys)
    apply_import(core, inspect_bundle(core, first, keystore=bob_keys))
    views = history.case_history(core, case_id)
    assert views[0].entity == "bundle" and views[0].origin is None  # the import itself was done here
    brought = [v for v in views if v.entity != "bundle"]
    assert brought and all(v.origin is not None and v.origin.exported_by == "Alice" for v in brought)
    assert all(v.origin.signer == signer.fingerprint and not v.origin.flags for v in brought if v.origin)
    assert audit_verify(capsys)[0] == 0

    # Both edit the same filing, Bob takes Alice's; Alice deletes a hearing (its notes go with it).
    detail = cases.get_case(alice, case_id)
    filing = detail.filings[0]
    filings.update_filing(alice, filing.id, summary="Alice's reading")
    filings.update_filing(core, filing.id, summary="Bob's reading")
    hearing = next(h for h in detail.hearings if h.notes)
    hearings.delete_hearing(alice, hearing.id)
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)
    preview = inspect_bundle(core, second, keystore=bob_keys)
    apply_import(core, preview, choices={c.record_id: TAKE_THEIRS for c in preview.conflicts})
    assert filings.get_filing(core, filing.id).summary == "Alice's reading"
    code, _out, err = audit_verify(capsys)
    assert code == 0, err

    # Someone strips the mark of an imported event (the chain does not hash it): the import's seal still lists it.
    with core.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_events SET origin = NULL, origin_hash = NULL WHERE id = :id"),
            {"id": brought[0].id.hex if core.db.dialect == "sqlite" else brought[0].id},
        )
    code, _out, err = audit_verify(capsys)
    assert code == 1
    assert "no longer says so: it passes for an event written here" in one_line(err)


def test_a_bundle_carries_the_head_of_the_history(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    path = export(alice, case_id, tmp_path / "sent.casebundle", alice_keys)
    carried = anchors.anchor_of_file(path)
    assert carried is not None and carried.seq == last_seq(alice)
    written, _bad = anchors.read_file(alice.data_dir)
    assert any(a.kind == anchors.BUNDLE and a.name == "sent.casebundle" and a.key for a in written)


# --- backups, restores, the anchor file ------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_backup_carries_its_anchor_and_a_restore_is_recorded(
    core: Core, capsys: pytest.CaptureFixture[str], signing_key: MemoryKeyStore
) -> None:
    a_case_with_history(core)
    assert core.db.sqlite_path is not None
    backup = backup_sqlite(core.db.sqlite_path, default_backup_path(core.data_dir, "manual"))
    carried = anchors.read_backup(backup)
    assert carried is not None and carried.seq == last_seq(core) and carried.key is not None
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0
    folder, target = core.data_dir, core.db.sqlite_path
    core.close()
    restore_sqlite(backup, target, folder)
    again = open_core(data_dir=folder, author="Tester")
    try:
        assert len(cases.list_cases(again)) == 1  # the restored case file, rewound
        hearings.add_note(again, _first_hearing(again), "Après la restauration.")
        code, _out, err = audit_verify(capsys)
        assert code == 0, err
        restored = [a for a in anchors.read_file(folder)[0] if a.kind == anchors.RESTORE]
        assert len(restored) == 1 and restored[0].replaced is not None and restored[0].signature
    finally:
        again.close()


@pytest.mark.sqlite_only
def test_a_restore_made_before_there_was_a_key_still_counts_once_there_is_one(
    core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    set_default_keystore(MemoryKeyStore())  # no key yet: the restore is recorded unsigned
    try:
        a_case_with_history(core)
        assert core.db.sqlite_path is not None
        backup = backup_sqlite(core.db.sqlite_path, default_backup_path(core.data_dir, "manual"))
        a_case_with_history(core)
        folder, target = core.data_dir, core.db.sqlite_path
        core.close()
        restore_sqlite(backup, target, folder)
        keys = MemoryKeyStore()
        signing.ensure_signer(keys)  # later, a signing key (a signed bundle was exported)
        set_default_keystore(keys)
        again = open_core(data_dir=folder, author="Tester")
        try:
            hearings.add_note(again, _first_hearing(again), "Après la restauration.")
            code, _out, err = audit_verify(capsys)
            assert code == 0, err
            assert audit_verify(capsys)[0] == 0  # and again, now that signed anchors exist
        finally:
            again.close()
    finally:
        set_default_keystore(None)


def _first_hearing(core: Core) -> uuid.UUID:
    with core.db.reader() as session:
        found = session.scalar(select(m.Hearing.id).limit(1))
    assert found is not None
    return found


def test_a_forged_restore_line_excuses_nothing(
    core: Core, capsys: pytest.CaptureFixture[str], signing_key: MemoryKeyStore
) -> None:
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0
    end = last_seq(core)
    with core.db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events WHERE seq > :seq"), {"seq": end - 3})
    with core.db.reader() as session:
        identity = anchors.database_id(session)
        seq, digest = anchors.head(session)
    assert identity is not None
    forged = anchors.Anchor(anchors.RESTORE, identity, seq, digest, datetime.now(UTC), name="backup.sqlite3")
    anchors.append(core.data_dir, forged)  # unsigned: whoever wrote it did not have the key
    code, _out, err = audit_verify(capsys)
    assert code == 1
    message = one_line(err)
    assert "were removed" in message and "is not signed with your key" in message, message


def test_a_signed_anchor_altered_in_the_file_is_caught(
    core: Core, capsys: pytest.CaptureFixture[str], signing_key: MemoryKeyStore
) -> None:
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0
    path = core.data_dir / anchors.ANCHOR_FILE
    lines = path.read_text().splitlines()
    data = json.loads(lines[-1])
    data["seq"] -= 1
    path.write_text("\n".join([*lines[:-1], json.dumps(data)]) + "\n")
    code, _out, err = audit_verify(capsys)
    assert code == 1 and "no longer matches its signature" in one_line(err)


def test_a_history_rewritten_under_a_new_identifier_is_caught(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    a_case_with_history(core)
    assert audit_verify(capsys)[0] == 0
    with core.db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET summary = 'Rien' WHERE seq = 1"))
        connection.execute(
            text("UPDATE app_state SET value = :value WHERE key = 'database_id'"), {"value": str(uuid.uuid4())}
        )
    rechain(core)
    code, _out, err = audit_verify(capsys)
    assert code == 1 and "is about another history of this case file" in one_line(err)


def test_verify_checks_against_a_backup_even_without_the_anchor_file(
    core: Core, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if core.db.sqlite_path is None:
        pytest.skip("backups from CaseApp are SQLite copies")
    a_case_with_history(core)
    backup = backup_sqlite(core.db.sqlite_path, tmp_path / "kept-elsewhere.sqlite3")
    (core.data_dir / anchors.ANCHOR_FILE).unlink()
    with core.db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET author = 'Greffe' WHERE seq = 1"))
    rechain(core)
    assert audit_verify(capsys)[0] == 0  # nothing left here says otherwise
    code, _out, err = audit_verify(capsys, "--against", str(backup))
    assert code == 1 and "(in kept-elsewhere.sqlite3)" in one_line(err)


def test_events_carry_a_seal_and_an_event_without_one_hashes_as_before(core: Core) -> None:
    _case, note, _deadline = a_case_with_history(core)
    with core.db.reader() as session:
        event = session.scalar(select(m.AuditEvent).where(m.AuditEvent.record_id == note.id))
        assert event is not None and event.seal and len(event.seal["digest"]) == 64
        unsealed = m.AuditEvent(
            **{c: getattr(event, c) for c in ("id", "at", "author", "action", "entity", "record_id", "case_id")},
            summary=event.summary,
            changes=event.changes,
        )
    assert "seal" not in json.loads(audit_chain.canonical(unsealed))  # events written before seals keep their hash
