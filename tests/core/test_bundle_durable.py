"""Bundles reach the disk while they are written (``caseapp.bundle.durable``), and every byte is still flushed before
it is published: the bundle before its rename over the target, each imported evidence file before its rename into
the store. A flush that fails stops the export or the import, leaving nothing behind."""

from __future__ import annotations

import errno
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from caseapp.bundle import apply_import, durable, export_bundle, inspect_bundle
from caseapp.bundle import format as fmt
from caseapp.casefile.core import Core
from caseapp.errors import StorageError
from caseapp.identity.keys import MemoryKeyStore
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import Trace, fake_pdf, read_entries, staging_is_empty

alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
bob_keys = helpers.bob_keys
bundle = helpers.bundle
case_id = helpers.case_id


def recording(monkeypatch: pytest.MonkeyPatch, calls: list[tuple[str, int]], *, failing: str | None = None) -> None:
    """Record every flush ``durable`` makes as ``(kind, inode)``; the ``failing`` kind raises EIO instead."""

    def flush(kind: str, real: Callable[[int], None]) -> Callable[[int], None]:
        def run(fd: int) -> None:
            if kind == failing:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            real(fd)
            calls.append((kind, os.fstat(fd).st_ino))

        return run

    monkeypatch.setattr(durable, "_fsync", flush("fsync", durable._fsync))
    monkeypatch.setattr(durable, "_datasync", flush("datasync", durable._datasync))


# --- the two tools ------------------------------------------------------------------------------------------------


def test_a_flusher_flushes_while_the_file_is_written_and_finish_flushes_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    recording(monkeypatch, calls)
    with (tmp_path / "file").open("wb", buffering=0) as out, durable.Flusher(out.fileno(), every=1000) as flusher:
        for _ in range(10):
            out.write(b"x" * 500)
            flusher.wrote(500)
        flusher.finish()
        inode = os.fstat(out.fileno()).st_ino
    assert ("datasync", inode) in calls  # at least one flush ran while writing
    assert calls[-1] == ("fsync", inode)  # and the whole file last


def test_a_flush_that_failed_in_the_background_is_raised_by_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    recording(monkeypatch, calls, failing="datasync")
    with (tmp_path / "file").open("wb", buffering=0) as out, durable.Flusher(out.fileno(), every=10) as flusher:
        out.write(b"x" * 100)
        flusher.wrote(100)
        with pytest.raises(OSError) as raised:
            flusher.finish()
    assert raised.value.errno == errno.EIO and calls == []  # the error is not lost, and not taken for a success


def test_a_syncer_flushes_and_closes_every_file_it_is_handed_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    recording(monkeypatch, calls)
    fds, inodes = [], []
    with durable.Syncer() as syncer:
        for number in range(40):  # more than the queue holds: handing over waits, nothing is dropped
            fd = os.open(tmp_path / f"f{number}", os.O_RDWR | os.O_CREAT, 0o600)
            os.write(fd, b"evidence")
            fds.append(fd)
            inodes.append(os.fstat(fd).st_ino)
            syncer.sync(fd)
        syncer.finish()
    assert calls == [("fsync", inode) for inode in inodes]
    for fd in fds:
        with pytest.raises(OSError):
            os.fstat(fd)  # closed by the syncer


def test_an_abandoned_syncer_closes_the_files_still_waiting_without_flushing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    flushed: list[int] = []

    def slow(fd: int) -> None:
        started.set()
        release.wait(10)
        flushed.append(fd)

    monkeypatch.setattr(durable, "_fsync", slow)
    fds = [os.open(tmp_path / f"f{n}", os.O_RDWR | os.O_CREAT, 0o600) for n in range(3)]
    syncer = durable.Syncer()
    for fd in fds:
        syncer.sync(fd)
    assert started.wait(10)
    abandoning = threading.Thread(target=syncer.abandon)
    abandoning.start()
    release.set()
    abandoning.join(10)
    assert not abandoning.is_alive() and flushed == fds[:1]  # the flush under way ends; the others are skipped
    for fd in fds:
        with pytest.raises(OSError):
            os.fstat(fd)


# --- export and import --------------------------------------------------------------------------------------------


def test_the_bundle_is_flushed_while_it_is_written_then_whole_before_its_rename(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    recording(monkeypatch, calls)
    monkeypatch.setattr(durable, "FLUSH_EVERY", 16)
    path = tmp_path / "vsa.casebundle"
    export_bundle(alice, case_id, path, keystore=alice_keys, pdf_renderer=fake_pdf)
    inode = path.stat().st_ino  # the rename keeps the file: the one flushed is the one published
    assert ("datasync", inode) in calls and ("fsync", inode) in calls
    _root, entries = read_entries(path)
    info = fmt.parse_info(entries[fmt.BAG_INFO])
    payload = [data for name, data in entries.items() if name.startswith("data/")]
    assert fmt.SUMMARY_PDF in entries  # made after the evidence files, counted all the same
    assert fmt.Oxum.parse(info["Payload-Oxum"]) == fmt.Oxum(sum(map(len, payload)), len(payload))


def test_an_export_whose_flush_fails_leaves_no_file(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording(monkeypatch, [], failing="datasync")
    monkeypatch.setattr(durable, "FLUSH_EVERY", 16)
    with pytest.raises(StorageError, match="could not be written"):
        export_bundle(alice, case_id, tmp_path / "vsa.casebundle", keystore=alice_keys, pdf_renderer=fake_pdf)
    assert list(tmp_path.iterdir()) == [tmp_path / "alice"]


def test_imported_evidence_files_are_on_disk_before_they_enter_the_store(
    core: Core, bundle: Path, bob_keys: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    recording(monkeypatch, calls)
    renamed: list[tuple[int, bool]] = []  # (inode, flushed before its rename into the store)
    real_replace = os.replace

    def replace(source: Path, target: Path) -> None:
        if core.db.files.root in Path(target).parents:
            inode = os.stat(source).st_ino
            renamed.append((inode, ("fsync", inode) in calls))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)
    assert preview.staging is not None
    staged = {path.stat().st_ino for path in (preview.staging / "data" / "evidence").iterdir()}
    report = apply_import(core, preview, accept_unsigned=True)
    assert report.files_added == 3 and len(staged) == 3
    assert sorted(renamed) == sorted((inode, True) for inode in staged)
    assert {path.stat().st_ino for path in core.db.files.stored_files()} == staged  # renamed, not copied


def test_an_import_whose_flush_fails_changes_nothing(
    core: Core, bundle: Path, bob_keys: MemoryKeyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording(monkeypatch, [], failing="fsync")
    trace = Trace(core)
    preview = inspect_bundle(core, bundle, keystore=bob_keys)  # the flushes go on while the preview is read
    with pytest.raises(StorageError, match="could not be put in the store"):
        apply_import(core, preview, accept_unsigned=True)
    assert trace.unchanged() and staging_is_empty(core)


def test_a_preview_discarded_stops_flushing_its_files(core: Core, bundle: Path, bob_keys: MemoryKeyStore) -> None:
    trace = Trace(core)
    with inspect_bundle(core, bundle, keystore=bob_keys) as preview:
        syncer = preview.syncer
        assert syncer is not None
    assert preview.syncer is None and trace.unchanged()
    assert syncer._worker._thread is None  # its thread has ended
