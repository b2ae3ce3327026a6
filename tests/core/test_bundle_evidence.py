"""Bundles exported without their evidence files (``caseapp export --no-evidence``): what they carry and say,
importing one, the full bundle bringing the files later, and a flag that can be neither flipped nor abused."""

from __future__ import annotations

import argparse
import hashlib
import json
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from caseapp.bundle import apply_import, export_bundle, inspect_bundle, merge
from caseapp.bundle import format as fmt
from caseapp.casefile.core import Core
from caseapp.errors import BundleError, CaseAppError
from caseapp.identity import signing
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import history
from caseapp.services.evidence import verify_evidence
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import (
    Trace,
    case_records,
    edit_case_json,
    export,
    fake_pdf,
    read_entries,
    rebuild,
    store_files,
)
from tests.core.test_cases import snapshot

# The shared fixtures, seen by pytest in this module.
alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
bundle = helpers.bundle
case_id = helpers.case_id
omitted_bundle = helpers.omitted_bundle
valid_bundle = helpers.valid_bundle

MISSING = "The stored file is missing."


def trust_alice(bob: Core, alice_keys: MemoryKeyStore) -> None:
    signer = signing.load_signer(alice_keys)
    assert signer is not None
    signing.TrustedKeys(bob.data_dir).trust(signer.fingerprint, name="Alice", author="Bob")


def same_records(alice: Core, bob: Core, case: uuid.UUID) -> None:
    sent, received = case_records(alice, case), case_records(bob, case)
    for name in sent:
        assert received[name] == sent[name], name


def file_checks(core: Core, case: uuid.UUID) -> dict[str, str | None]:
    """What ``caseapp evidence verify`` finds, per stored file."""
    return {r.evidence.file.sha256: r.problem for r in verify_evidence(core, case) if r.evidence.file is not None}


def test_a_bundle_without_evidence_carries_every_record_and_the_files_metadata_and_says_so(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path
) -> None:
    path = tmp_path / "light.casebundle"
    report = export_bundle(
        alice, case_id, path, keystore=alice_keys, sign=True, pdf_renderer=fake_pdf, include_evidence=False
    )
    assert not report.evidence_included and report.files_omitted == 3
    assert report.files == 0 and report.evidence_bytes == 0
    _root, entries = read_entries(path)
    assert not [name for name in entries if name.startswith(fmt.EVIDENCE_DIR)]
    assert f"{fmt.INFO_EVIDENCE}: {fmt.EVIDENCE_OMITTED}" in entries[fmt.BAG_INFO].decode().splitlines()
    document = json.loads(entries[fmt.CASE_JSON])
    assert document["evidence_files"] == fmt.EVIDENCE_OMITTED
    stored = document["records"]["stored_files"]
    assert len(stored) == 3 and all(row["original_name"] and row["sha256"] and row["size"] for row in stored)
    assert {f["sha256"]: f["size"] for f in document["files"]} == {row["sha256"]: row["size"] for row in stored}
    full = read_entries(export(alice, case_id, tmp_path / "full.casebundle", alice_keys))[1]
    assert document["records"] == json.loads(full[fmt.CASE_JSON])["records"]
    assert document["files"] == json.loads(full[fmt.CASE_JSON])["files"]
    # Both statements are under the tag manifest, which the signature covers.
    tags = fmt.parse_manifest(entries[fmt.TAG_MANIFEST], fmt.TAG_MANIFEST)
    manifest = fmt.parse_manifest(entries[fmt.MANIFEST], fmt.MANIFEST)
    assert tags[fmt.BAG_INFO] == hashlib.sha256(entries[fmt.BAG_INFO]).hexdigest()
    assert manifest[fmt.CASE_JSON] == hashlib.sha256(entries[fmt.CASE_JSON]).hexdigest()
    signer = signing.load_signer(alice_keys)
    assert signer is not None
    assert signing.verify(signer.public_key, entries[fmt.TAG_MANIFEST], entries[fmt.SIGNATURE])
    bagit = pytest.importorskip("bagit")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "out")
    bag = bagit.Bag(str(next((tmp_path / "out").iterdir())))
    bag.validate()
    assert bag.info[fmt.INFO_EVIDENCE] == fmt.EVIDENCE_OMITTED
    # Without the files, the evidence store is not read: a file missing there does not stop the export.
    alice.db.files.remove(stored[0]["sha256"])
    assert export_bundle(alice, case_id, path, keystore=alice_keys, include_pdf=False, include_evidence=False).path


def test_importing_it_brings_the_records_then_the_full_bundle_brings_the_files(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    bundle: Path,
    alice_keys: MemoryKeyStore,
    bob_keys: MemoryKeyStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trust_alice(core, alice_keys)
    light = export(alice, case_id, tmp_path / "light.casebundle", alice_keys, include_evidence=False)
    preview = inspect_bundle(core, light, keystore=bob_keys)
    assert not preview.evidence_included and preview.files == 0 and preview.new_files == 0
    assert preview.files_omitted == preview.missing_files == 3
    assert preview.evidence_message == (
        "3 evidence files are not in this bundle; the exhibits arrive without them: ask the sender for a bundle "
        "with evidence, or attach the files later."
    )
    assert {"evidence", "cases", "filings"} <= {change.table for change in preview.additions}
    report = apply_import(core, preview)
    assert report.changed and report.files_added == 0 and report.files_missing == 3
    same_records(alice, core, case_id)
    assert store_files(core) == {}
    checks = file_checks(core, case_id)
    assert len(checks) == 3 and set(checks.values()) == {MISSING}
    event = history.case_history(core, case_id)[0]
    assert event.action == "import" and event.summary.endswith("without its evidence files (3 missing here)")
    assert event.changes["evidence_files"] == "omitted" and event.changes["files_missing"] == 3
    with inspect_bundle(core, light, keystore=bob_keys) as again:
        assert again.nothing_to_do and again.missing_files == 3

    # A full import that fails writes no record; the files it had copied stay in the store (it never shrinks
    # behind the person's back) — and since they are the very files the exhibits name, checked by their SHA-256,
    # the exhibits now find them.
    trace = Trace(core)
    real_write = merge.write

    def failing_write(*args: object, **kwargs: object) -> object:
        assert len(store_files(core)) == 3  # the files are in the store by now
        real_write(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk unplugged")

    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    with monkeypatch.context() as patched:
        patched.setattr(merge, "write", failing_write)
        with pytest.raises(OSError, match="disk unplugged"):
            apply_import(core, preview)
    assert trace.records_unchanged() and len(store_files(core)) == 3
    assert set(file_checks(core, case_id).values()) == {None}
    for stored in core.db.files.stored_files():  # as if they had never come, for the rest of this test
        core.db.files.remove(stored.name)

    # The full bundle of the same case: not one record changes, the files arrive and check out.
    counts = snapshot(core)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.evidence_included and preview.evidence_message is None and preview.files_omitted == 0
    assert not (preview.additions or preview.updates or preview.conflicts or preview.new_history)
    assert preview.new_files == 3 and not preview.nothing_to_do
    report = apply_import(core, preview)
    assert report.changed and report.files_added == 3 and not (report.added or report.updated or report.files_missing)
    assert snapshot(core) == counts | {"audit_events": counts["audit_events"] + 1}  # the import, recorded
    same_records(alice, core, case_id)
    assert store_files(core) == store_files(alice)
    assert set(file_checks(core, case_id).values()) == {None}
    with inspect_bundle(core, bundle, keystore=bob_keys) as again:
        assert again.nothing_to_do
    with inspect_bundle(core, light, keystore=bob_keys) as again:
        assert again.nothing_to_do and again.missing_files == 0
        assert again.evidence_message == (
            "The evidence files are not in this bundle, but the 3 its exhibits need are already here."
        )


def run(argv: list[str], data_dir: Path) -> int:
    from caseapp.cli import bundles, safety

    parser = argparse.ArgumentParser(prog="caseapp")
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command")
    bundles.register(sub)
    safety.register(sub)
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    try:
        return int(args.handler(args))
    except CaseAppError as exc:
        print(f"Error: {exc}")
        return 1


def test_cli_export_no_evidence_then_the_full_bundle_and_evidence_verify(
    core: Core,
    alice: Core,
    case_id: uuid.UUID,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if core.db.dialect != "sqlite":
        pytest.skip("the command line opens the data folder's own database")
    alice_store = MemoryKeyStore()
    monkeypatch.setattr("caseapp.identity.keys._default", alice_store)
    light, full = tmp_path / "light.casebundle", tmp_path / "full.casebundle"
    assert run(["export", str(case_id), "-o", str(light), "--no-pdf", "--sign", "--no-evidence"], alice.data_dir) == 0
    out = capsys.readouterr().out
    assert "0 evidence files" in out and "Without the evidence files: the 3 files of the exhibits were left out" in out
    assert run(["export", str(case_id), "-o", str(full), "--no-pdf"], alice.data_dir) == 0
    assert "3 evidence files" in capsys.readouterr().out

    monkeypatch.setattr("caseapp.identity.keys._default", MemoryKeyStore())
    trust_alice(core, alice_store)
    assert run(["verify", str(light)], core.data_dir) == 0
    assert "3 evidence files are not in this bundle; the exhibits arrive without them" in capsys.readouterr().out
    assert run(["import", str(light), "--yes"], core.data_dir) == 0
    out = capsys.readouterr().out
    assert "Imported:" in out and "3 evidence files are missing here" in out
    assert run(["evidence", "verify", str(case_id)], core.data_dir) == 1
    out = capsys.readouterr().out
    assert out.count(MISSING) == 3 and "3 with a problem" in out

    assert run(["import", str(full), "--yes"], core.data_dir) == 0
    out = capsys.readouterr().out
    assert "0 added, 0 updated" in out and "3 evidence files" in out and "missing here" not in out
    assert run(["evidence", "verify", str(case_id)], core.data_dir) == 0
    assert "0 with a problem" in capsys.readouterr().out
    same_records(alice, core, case_id)


# --- the flag, tampered with -----------------------------------------------------------------------------------


def _info(value: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [
        f"{fmt.INFO_EVIDENCE}: {value}" if line.startswith(fmt.INFO_EVIDENCE) else line for line in lines
    ]


def _json(value: object) -> Callable[[dict[str, bytes]], None]:
    return edit_case_json(lambda document: document.__setitem__("evidence_files", value))


def test_the_evidence_flag_cannot_be_flipped_nor_claimed_to_skip_checks(
    core: Core,
    omitted_bundle: tuple[Path, MemoryKeyStore],
    valid_bundle: tuple[Path, MemoryKeyStore],
    tmp_path: Path,
) -> None:
    light, full = omitted_bundle[0], valid_bundle[0]
    forgeries = [
        # "omitted" turned into "included" to make the bundle look complete…
        (
            "flag-only",
            light,
            {"info_change": _info("included"), "fix_manifests": False, "keep_signature": True},
            "bag-info.txt is not the one it announces",
        ),
        (
            "flag-and-manifests",
            light,
            {"info_change": _info("included"), "keep_signature": True},
            "signature does not match its content",
        ),
        (
            "unsigned-flag",
            light,
            {"info_change": _info("included")},
            "bag-info.txt and case.json disagree about whether it includes the evidence files",
        ),
        (
            "unsigned-both",
            light,
            {"change": _json("included"), "info_change": _info("included")},
            "a file the case needs is not in it",
        ),
        # … or a bundle that carries files claiming "omitted", so that they would not be checked.
        (
            "carries-files",
            full,
            {"change": _json("omitted"), "info_change": _info("omitted")},
            "says its evidence files were left out, yet it contains one: data/evidence/",
        ),
        (
            "carries-files-info-only",
            full,
            {"info_change": _info("omitted")},
            "says its evidence files were left out, yet it contains one",
        ),
        ("json-only", full, {"change": _json("omitted")}, "disagree about whether it includes the evidence files"),
        ("unknown-value", light, {"info_change": _info("partly")}, "is not valid: “CaseApp-Evidence: partly”"),
        ("unknown-json-value", light, {"change": _json(None)}, "the field “evidence_files” is missing or wrong"),
    ]
    trace = Trace(core)
    for name, source, options, message in forgeries:
        path = rebuild(source, tmp_path / f"{name}.casebundle", **options)  # type: ignore[arg-type]
        with pytest.raises(BundleError, match=message):
            inspect_bundle(core, path, keystore=MemoryKeyStore())
        assert trace.unchanged(), name
    with inspect_bundle(core, light, keystore=MemoryKeyStore()) as preview:  # the untouched one is fine
        assert preview.files_omitted == 3 and preview.signature.status == "unknown"
