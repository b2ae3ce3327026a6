"""Case bundles between two colleagues: round trip, re-import, updates, conflicts, signatures, BagIt, the CLI."""

from __future__ import annotations

import argparse
import itertools
import json
import stat
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from caseapp.bundle import KEEP_MINE, TAKE_THEIRS, apply_import, export_bundle, inspect_bundle
from caseapp.bundle import format as fmt
from caseapp.bundle.merge import CHANGED_BOTH, NUMBER
from caseapp.casefile import search
from caseapp.casefile.core import Core
from caseapp.errors import BundleError, Cancelled, CaseAppError, InvalidInput
from caseapp.identity import signing
from caseapp.identity.keys import MemoryKeyStore, set_default_keystore
from caseapp.services import evidence, filings, hearings, history
from caseapp.store import models as m
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import (
    FAKE_PDF,
    Trace,
    case_records,
    export,
    fake_pdf,
    rebuild,
    search_entries,
    staging_is_empty,
    store_files,
)

# The shared fixtures, seen by pytest in this module.
alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
bundle = helpers.bundle
case_id = helpers.case_id


def trust_alice(bob: Core, alice_keys: MemoryKeyStore) -> None:
    signer = signing.load_signer(alice_keys)
    assert signer is not None
    signing.TrustedKeys(bob.data_dir).trust(signer.fingerprint, name="Alice", author="Bob")


def import_bundle(core: Core, path: Path, keys: MemoryKeyStore, **options: object) -> object:
    preview = inspect_bundle(core, path, keystore=keys)
    return apply_import(core, preview, **options)  # type: ignore[arg-type]


def test_round_trip_brings_every_record_and_file_identical(
    core: Core, alice: Core, case_id: uuid.UUID, bundle: Path, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore
) -> None:
    trust_alice(core, alice_keys)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.signature.status == "trusted" and preview.signature.name == "Alice"
    assert preview.case_title == "Vidéosurveillance automatisée à Marseille"
    kinds = {change.table for change in preview.additions}
    assert {"cases", "parties", "case_parties", "filings", "hearings", "hearing_notes", "opinions"} <= kinds
    assert {"access_requests", "access_request_steps", "deadlines", "evidence"} <= kinds
    assert not preview.updates and not preview.conflicts
    assert preview.files == 3 and preview.new_files == 3
    report = apply_import(core, preview)
    assert report.changed and report.files_added == 3 and not report.accepted_unsigned
    assert staging_is_empty(core)

    sent, received = case_records(alice, case_id), case_records(core, case_id)
    for name in sent:
        assert received[name] == sent[name], name
    assert store_files(core) == store_files(alice)
    for item in evidence.list_evidence(core, case_id):
        if item.file is not None:
            assert core.db.files.verify(item.file.sha256) is None
    assert search_entries(core, case_id) == search_entries(alice, case_id)
    assert [hit.record_id for hit in search.search(core, "rapporteur rejet")]
    # The history arrived, kept the hashes it had at Alice's, and the import itself is recorded.
    with core.db.reader() as session:
        imported = session.scalars(select(m.AuditEvent).where(m.AuditEvent.case_id == case_id)).all()
    with alice.db.reader() as session:
        origin = {e.id: e.hash for e in session.scalars(select(m.AuditEvent).where(m.AuditEvent.case_id == case_id))}
    assert all(e.origin_hash == origin[e.id] for e in imported if e.entity != "bundle")
    assert history.case_history(core, case_id)[0].action == "import"
    from caseapp.store.audit_chain import verify_chain

    with core.db.reader() as session:
        assert verify_chain(session)[1] is None


def test_reimporting_the_same_bundle_changes_nothing(
    core: Core, bundle: Path, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    trace = Trace(core)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.nothing_to_do and not preview.conflicts and preview.unchanged > 20
    report = apply_import(core, preview)
    assert not report.changed
    assert trace.unchanged()


def test_reimport_after_the_sender_edited_updates_and_never_duplicates(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    first_filing = filings.get_filing(alice, sorted(f.id for f in case_detail_filings(alice, case_id))[0])
    filings.update_filing(alice, first_filing.id, summary="Mémoire complémentaire attendu.")
    hearing_id = hearings_of(alice, case_id)[0]
    hearings.add_note(alice, hearing_id, "Renvoi possible.")
    source = tmp_path / "new.pdf"
    source.write_bytes(b"%PDF new exhibit")
    evidence.add_evidence_file(alice, case_id, source, title="Nouvelle pièce")
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)

    preview = inspect_bundle(core, second, keystore=bob_keys)
    assert [c.table for c in preview.updates] == ["filings"] and preview.updates[0].fields == ("summary",)
    assert sorted(c.table for c in preview.additions) == ["evidence", "hearing_notes"]
    assert not preview.conflicts
    apply_import(core, preview)
    sent, received = case_records(alice, case_id), case_records(core, case_id)
    for name in sent:
        assert received[name] == sent[name], name
    assert len(evidence.list_evidence(core, case_id)) == len(evidence.list_evidence(alice, case_id))


def case_detail_filings(core: Core, case: uuid.UUID) -> list[m.Filing]:
    with core.db.reader() as session:
        return list(session.scalars(select(m.Filing).where(m.Filing.case_id == case)))


def hearings_of(core: Core, case: uuid.UUID) -> list[uuid.UUID]:
    with core.db.reader() as session:
        return list(session.scalars(select(m.Hearing.id).where(m.Hearing.case_id == case)))


@pytest.mark.parametrize("choice", [KEEP_MINE, TAKE_THEIRS])
def test_a_local_edit_since_the_last_import_is_a_conflict_with_both_choices(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
    choice: str,
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    filing = sorted(case_detail_filings(alice, case_id), key=lambda f: str(f.id))[0]
    filings.update_filing(core, filing.id, summary="Bob's reading")
    filings.update_filing(alice, filing.id, summary="Alice's reading")
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)
    preview = inspect_bundle(core, second, keystore=bob_keys)
    assert [(c.record_id, c.reason) for c in preview.conflicts] == [(filing.id, CHANGED_BOTH)]
    conflict = preview.conflicts[0]
    assert conflict.conflicting == ("summary",)
    assert conflict.mine == {"summary": "Bob's reading"} and conflict.theirs == {"summary": "Alice's reading"}
    assert conflict.base == {"summary": filing.summary}  # what both had before
    report = apply_import(core, preview, choices={filing.id: choice})
    expected, other = ("Bob's reading", "Alice's reading")[:: 1 if choice == KEEP_MINE else -1]
    assert filings.get_filing(core, filing.id).summary == expected
    assert (report.conflicts_kept, report.conflicts_taken) == ((1, 0) if choice == KEEP_MINE else (0, 1))
    decision = [e for e in history.case_history(core, case_id) if e.action == "merge"]
    assert [e.changes for e in decision] == [{"summary": [other, expected, choice]}]  # the other can be restored
    again = inspect_bundle(core, second, keystore=bob_keys)
    assert again.conflicts == [] and again.nothing_to_do  # decided once: the same bundle does not ask again


def test_an_older_bundle_replayed_after_a_local_edit_changes_nothing_and_asks_nothing(
    core: Core, case_id: uuid.UUID, bundle: Path, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    with core.db.reader() as session:
        filing = session.scalars(select(m.Filing).where(m.Filing.case_id == case_id)).first()
    assert filing is not None
    filings.update_filing(core, filing.id, summary="Bob's addition")
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.conflicts == [] and preview.updates == []
    trace = Trace(core)
    assert not apply_import(core, preview).changed
    assert trace.unchanged()


def test_two_exhibits_wanting_the_same_number_is_a_conflict(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    mine = evidence.add_evidence(core, case_id, title="Pièce de Bob")
    theirs = evidence.add_evidence(alice, case_id, title="Pièce d'Alice")
    assert mine.number == theirs.number
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)
    preview = inspect_bundle(core, second, keystore=bob_keys)
    assert [(c.record_id, c.reason, c.other_id) for c in preview.conflicts] == [(theirs.id, NUMBER, mine.id)]
    report = apply_import(core, preview, choices={theirs.id: TAKE_THEIRS})
    assert report.renumbered == 1
    assert evidence.get_evidence(core, theirs.id).number == theirs.number
    assert evidence.get_evidence(core, mine.id).number == theirs.number + 1
    assert history.case_history(core, case_id)[1].action == "renumber"


def test_the_default_keeps_the_local_number(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    mine = evidence.add_evidence(core, case_id, title="Pièce de Bob")
    theirs = evidence.add_evidence(alice, case_id, title="Pièce d'Alice")
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)
    import_bundle(core, second, bob_keys)
    assert evidence.get_evidence(core, mine.id).number == mine.number
    assert evidence.get_evidence(core, theirs.id).number == mine.number + 1
    trace = Trace(core)
    assert not import_bundle(core, second, bob_keys).changed  # type: ignore[attr-defined]
    assert trace.unchanged()


def test_a_parent_case_that_is_not_here_is_left_out_with_a_note(
    core: Core, alice: Core, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    from caseapp.services.demo import demo_id

    appeal = demo_id("case/vsa-snef-appel")
    path = export(alice, appeal, tmp_path / "appeal.casebundle", alice_keys)
    preview = inspect_bundle(core, path, keystore=bob_keys)
    assert any("parent case is not here" in note for note in preview.notes)
    apply_import(core, preview, accept_unsigned=True)
    from caseapp.services.cases import get_case

    assert get_case(core, appeal).parent_id is None
    assert inspect_bundle(core, path, keystore=bob_keys).nothing_to_do


# --- signatures ---------------------------------------------------------------------------------------------


def test_an_unknown_signer_is_refused_without_confirmation_and_recorded_with_it(
    core: Core, case_id: uuid.UUID, bundle: Path, bob_keys: MemoryKeyStore
) -> None:
    trace = Trace(core)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.signature.status == "unknown" and preview.signature.fingerprint
    with pytest.raises(BundleError, match="not trusted here"):
        apply_import(core, preview)
    assert trace.unchanged()
    report = import_bundle(core, bundle, bob_keys, accept_unsigned=True)
    assert report.accepted_unsigned  # type: ignore[attr-defined]
    event = history.case_history(core, case_id)[0]
    assert event.action == "import" and event.author == "Tester"
    assert event.changes["signer"] == "unknown" and event.changes["accepted_unsigned"] is True
    assert event.changes["fingerprint"] == preview.signature.fingerprint


def test_an_unsigned_bundle_needs_confirmation(
    core: Core, alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    path = export(alice, case_id, tmp_path / "unsigned.casebundle", alice_keys, sign=False)
    _root, entries = read_bag(path)
    assert fmt.SIGNATURE not in entries and fmt.INFO_SIGNING_KEY.encode() not in entries[fmt.BAG_INFO]
    trace = Trace(core)
    with pytest.raises(BundleError, match="not signed"):
        import_bundle(core, path, bob_keys)
    assert trace.unchanged()
    import_bundle(core, path, bob_keys, accept_unsigned=True)
    assert history.case_history(core, case_id)[0].changes["signer"] == "unsigned"


def test_sign_none_signs_only_once_a_key_exists(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    first = export_bundle(alice, case_id, tmp_path / "a.casebundle", keystore=alice_keys, pdf_renderer=fake_pdf)
    assert first.signed_by is None
    signer = signing.ensure_signer(alice_keys)
    second = export_bundle(alice, case_id, tmp_path / "b.casebundle", keystore=alice_keys, pdf_renderer=fake_pdf)
    assert second.signed_by == signer.fingerprint
    assert signing.load_signer(alice_keys).public_key == signer.public_key  # type: ignore[union-attr]


def test_a_bundle_re_signed_by_someone_else_is_not_trusted(
    core: Core, bundle: Path, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    trust_alice(core, alice_keys)
    mallory = signing.ensure_signer(MemoryKeyStore())

    def swap_key(lines: list[str]) -> list[str]:
        kept = [line for line in lines if not line.startswith(("CaseApp-Signing-Key", "CaseApp-Signer"))]
        return [*kept, f"CaseApp-Signing-Key: {signing.encode_public(mallory.public_key)}"]

    forged = rebuild(bundle, tmp_path / "forged.casebundle", info_change=swap_key)
    root, entries = read_bag(forged)
    entries[fmt.SIGNATURE] = mallory.sign(entries[fmt.TAG_MANIFEST])
    from tests.core.test_bundle_helpers import write_zip

    write_zip(forged, [(f"{root}/{name}", data) for name, data in entries.items()])
    preview = inspect_bundle(core, forged, keystore=bob_keys)
    assert preview.signature.status == "unknown" and preview.signature.fingerprint == mallory.fingerprint
    preview.discard()


def read_bag(path: Path) -> tuple[str, dict[str, bytes]]:
    from tests.core.test_bundle_helpers import read_entries

    return read_entries(path)


def test_keys_live_in_caseapps_secrets_store_and_say_when_it_forgets_them() -> None:
    from keyring.backends import fail

    from caseapp.identity.keys import SecretsKeyStore, default_keystore
    from caseapp.secrets import Secrets

    store = SecretsKeyStore(Secrets(backend=fail.Keyring()))
    assert not store.persistent and store.warning and "this session only" in store.warning
    signer = signing.ensure_signer(store)
    assert signing.load_signer(store).public_key == signer.public_key  # type: ignore[union-attr]
    assert isinstance(default_keystore(), SecretsKeyStore)


def test_trusted_keys_file_and_fingerprints(core: Core) -> None:
    keys = signing.TrustedKeys(core.data_dir)
    signer = signing.ensure_signer(MemoryKeyStore())
    shown = signing.show_fingerprint(signer.fingerprint)
    assert len(shown.split()) == 10 and "  " in shown
    assert signing.parse_fingerprint(shown.lower().replace(" ", ":")) == signer.fingerprint
    with pytest.raises(InvalidInput, match="not a key fingerprint"):
        signing.parse_fingerprint("1234")
    keys.trust(signer.fingerprint, name="Alice", author="Bob")
    assert json.loads((core.data_dir / "trusted-keys.json").read_text())["keys"][0]["name"] == "Alice"
    assert [k.fingerprint for k in keys.all()] == [signer.fingerprint]
    keys.forget(signer.fingerprint)
    assert keys.all() == []
    (core.data_dir / "trusted-keys.json").write_text("{not json")
    with pytest.raises(CaseAppError, match="damaged"):
        keys.all()


# --- BagIt, PDF, export failures -------------------------------------------------------------------------------


def test_the_extracted_bundle_is_a_valid_bag_for_the_bagit_reference_tool(bundle: Path, tmp_path: Path) -> None:
    bagit = pytest.importorskip("bagit")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "out")
        infos = {i.filename.rsplit("/", 1)[-1]: i for i in archive.infolist()}
    folder = next((tmp_path / "out").iterdir())
    bag = bagit.Bag(str(folder))
    bag.validate()
    assert bag.info["CaseApp-Case-Id"] == folder.name.removeprefix("case-")
    assert bag.info["Payload-Oxum"] and bag.info["Bagging-Date"] and bag.info["CaseApp-Schema"]
    evidence_entries = [i for name, i in infos.items() if len(name) == 64]
    assert evidence_entries and all(i.compress_type == zipfile.ZIP_STORED for i in evidence_entries)
    assert infos["case.json"].compress_type == zipfile.ZIP_DEFLATED
    assert (folder / "data" / "summary.pdf").read_bytes() == FAKE_PDF
    document = json.loads((folder / "data" / "case.json").read_text())
    assert document["format"] == 1 and document["schema"] and document["records"]["audit_events"]


def test_the_real_summary_pdf_goes_in(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    pytest.importorskip("caseapp.reports.summary")
    path = tmp_path / "real.casebundle"
    report = export_bundle(alice, case_id, path, keystore=alice_keys, sign=False)
    assert report.summary_pdf
    assert read_bag(path)[1][fmt.SUMMARY_PDF].startswith(b"%PDF")


def test_a_summary_that_cannot_be_made_stops_the_export_with_the_reason(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    def broken(_detail: object, _out: object) -> None:
        raise RuntimeError("no fonts")

    with pytest.raises(BundleError, match=r"summary \(PDF\) could not be made: RuntimeError: no fonts"):
        export_bundle(alice, case_id, tmp_path / "x.casebundle", keystore=alice_keys, pdf_renderer=broken)
    assert list(tmp_path.iterdir()) == [tmp_path / "alice"]
    report = export_bundle(alice, case_id, tmp_path / "x.casebundle", keystore=alice_keys, include_pdf=False)
    assert not report.summary_pdf and fmt.SUMMARY_PDF not in read_bag(tmp_path / "x.casebundle")[1]


def test_a_cancelled_or_failed_export_leaves_no_file(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        export_bundle(
            alice,
            case_id,
            tmp_path / "x.casebundle",
            keystore=alice_keys,
            pdf_renderer=fake_pdf,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: len(seen) > 1,
        )
    assert not (tmp_path / "x.casebundle").exists() and list(tmp_path.iterdir()) == [tmp_path / "alice"]
    with pytest.raises(InvalidInput, match="does not exist"):
        export_bundle(alice, case_id, tmp_path / "nowhere" / "x.casebundle", keystore=alice_keys)
    stored = next(e.file for e in evidence.list_evidence(alice, case_id) if e.file)
    path = alice.db.files.path_for(stored.sha256)
    path.chmod(0o644)
    path.write_bytes(b"x" * stored.size)  # same size, other bytes: caught while streaming
    with pytest.raises(BundleError, match="has changed since it was added"):
        export(alice, case_id, tmp_path / "x.casebundle", alice_keys)
    assert list(tmp_path.iterdir()) == [tmp_path / "alice"]
    path.unlink()
    with pytest.raises(BundleError, match="missing from the evidence store"):
        export(alice, case_id, tmp_path / "x.casebundle", alice_keys)


def test_progress_reaches_the_total(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    export(alice, case_id, tmp_path / "x.casebundle", alice_keys, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


# --- the command line -------------------------------------------------------------------------------------------


def run(argv: list[str], data_dir: Path) -> int:
    from caseapp.cli import bundles

    parser = argparse.ArgumentParser(prog="caseapp")
    parser.add_argument("--data-dir")
    bundles.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    try:
        return int(args.handler(args))
    except CaseAppError as exc:
        print(f"Error: {exc}")
        return 1


def test_cli_export_verify_import_and_keys(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if core.db.dialect != "sqlite":
        pytest.skip("the command line opens the data folder's own database")
    alice_store, bob_store = MemoryKeyStore(), MemoryKeyStore()
    monkeypatch.setattr("caseapp.identity.keys._default", alice_store)
    card = tmp_path / "alice.pub"
    assert run(["keys", "show", "--export", str(card)], alice.data_dir) == 0
    path = tmp_path / "cli.casebundle"
    assert run(["export", str(case_id)[:8], "-o", str(path), "--no-pdf"], alice.data_dir) == 0
    out = capsys.readouterr().out
    assert "Bundle written" in out and "Signed with your key" in out

    set_default_keystore(bob_store)
    trace = Trace(core)
    assert run(["verify", str(path)], core.data_dir) == 0
    assert "not trusted here" in capsys.readouterr().out
    assert run(["import", str(path), "--dry-run"], core.data_dir) == 0
    assert "Dry run: nothing was imported." in capsys.readouterr().out
    assert run(["import", str(path), "--yes"], core.data_dir) == 1
    assert "no trusted signature" in capsys.readouterr().out
    assert trace.unchanged()
    assert run(["keys", "trust", str(card)], core.data_dir) == 0
    assert run(["keys", "list"], core.data_dir) == 0
    assert "Tester" in capsys.readouterr().out  # the name on Alice's card (the tests' author)
    assert run(["import", str(path), "--yes"], core.data_dir) == 0
    assert "Imported:" in capsys.readouterr().out
    assert run(["import", str(path), "--yes"], core.data_dir) == 0
    assert "already here" in capsys.readouterr().out
    fingerprint = signing.TrustedKeys(core.data_dir).all()[0].fingerprint
    assert run(["keys", "forget", fingerprint], core.data_dir) == 0
    assert run(["keys", "forget", fingerprint], core.data_dir) == 1
    set_default_keystore(None)


# --- failures during an import -------------------------------------------------------------------------------


def test_a_failure_in_the_transaction_leaves_no_rows_and_no_files(
    core: Core, bundle: Path, bob_keys: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseapp.bundle import merge

    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    staging = preview.staging
    assert staging is not None and stat.S_IMODE(staging.stat().st_mode) == 0o700
    assert stat.S_IMODE(staging.parent.stat().st_mode) == 0o700
    trace = Trace(core)
    real_write = merge.write
    placed: list[int] = []

    def failing_write(*args: object, **kwargs: object) -> object:
        placed.append(len(store_files(core)))  # the evidence files are in the store by now
        real_write(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk unplugged")

    monkeypatch.setattr(merge, "write", failing_write)
    with pytest.raises(OSError, match="disk unplugged"):
        apply_import(core, preview, accept_unsigned=True)
    assert placed == [3]
    assert trace.records_unchanged() and not staging.exists()
    loose = {f.sha256 for f in evidence.unreferenced_files(core)}
    assert len(loose) == 3  # kept, and listed by `caseapp evidence verify`
    with pytest.raises(BundleError, match="already done or abandoned"):
        apply_import(core, preview, accept_unsigned=True)


def test_cancelling_an_inspection_or_an_import_leaves_nothing(
    core: Core, bundle: Path, bob_keys: MemoryKeyStore
) -> None:
    trace = Trace(core)
    with pytest.raises(Cancelled):
        inspect_bundle(core, bundle, keystore=bob_keys, cancelled=lambda: True)
    assert trace.unchanged()
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    steps: list[int] = []
    with pytest.raises(Cancelled):  # cancelled once the first evidence file is in the store
        apply_import(
            core,
            preview,
            accept_unsigned=True,
            progress=lambda done, total: steps.append(done),
            cancelled=lambda: bool(steps),
        )
    assert steps and trace.records_unchanged()


def test_changes_made_here_after_the_preview_are_not_overwritten(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
) -> None:
    trust_alice(core, alice_keys)
    import_bundle(core, bundle, bob_keys)
    filing = sorted(case_detail_filings(alice, case_id), key=lambda f: str(f.id))[0]
    filings.update_filing(alice, filing.id, summary="Alice's reading")
    second = export(alice, case_id, tmp_path / "second.casebundle", alice_keys)
    preview = inspect_bundle(core, second, keystore=bob_keys)
    assert [c.record_id for c in preview.updates] == [filing.id] and not preview.conflicts
    filings.update_filing(core, filing.id, summary="Bob's reading, typed while the preview was open")
    with pytest.raises(BundleError, match="changed since the bundle was opened"):
        apply_import(core, preview)
    assert filings.get_filing(core, filing.id).summary == "Bob's reading, typed while the preview was open"
    assert staging_is_empty(core)


def test_every_table_travels_in_bundles_or_is_rebuilt() -> None:
    """A new table is a kind of record (``caseapp.casefile.kinds``: it then travels and merges), a link table, or
    is said here to be rebuilt."""
    from caseapp.bundle.content import tables
    from caseapp.bundle.merge import RULES

    TABLES = tables()
    rebuilt = {"search_entries"}  # the search index, rebuilt from the records on import
    rebuilt |= {"app_state"}  # facts about one case file itself (which deadline rules it follows): never sent
    rebuilt |= {"checkouts"}  # which cases were taken offline from this database: its own bookkeeping, never sent
    assert set(m.Base.metadata.tables) == set(TABLES) | rebuilt
    assert set(RULES) == set(TABLES) - {"case_tags", "opinion_cases", "audit_events"}


def test_colleagues_who_both_loaded_the_examples_can_exchange_an_example_case(
    tmp_path: Path, alice_keys: MemoryKeyStore, bob_keys: MemoryKeyStore
) -> None:
    """The example cases have the same identifiers everywhere, their parties included: an example case sent by a
    colleague who also loaded them is recognised as already here, not refused as a clash."""
    from caseapp.services import demo

    alice = helpers.open_sqlite_core(tmp_path / "alice", "Alice")
    bob = helpers.open_sqlite_core(tmp_path / "bob", "Bob")
    try:
        demo.load_demo(alice)
        demo.load_demo(bob)
        lycees = demo.demo_id("case/lycees")
        path = export(alice, lycees, tmp_path / "lycees.casebundle", alice_keys, sign=False)
        preview = inspect_bundle(bob, path, keystore=bob_keys)
        assert not preview.conflicts
        assert not preview.additions and not preview.updates and preview.unchanged > 10  # only their history is new
    finally:
        alice.close()
        bob.close()
