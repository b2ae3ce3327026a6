"""Hostile bundles: each is built here as real bytes, each must be refused with a clear reason, and each must
leave the database, the evidence store and the staging folder exactly as they were."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import unicodedata
import uuid
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.bundle import apply_import, inspect_bundle
from caseapp.bundle import format as fmt
from caseapp.bundle.safety import Limits
from caseapp.casefile.core import Core
from caseapp.config import DB_FILE
from caseapp.errors import BundleError, CaseAppError
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import cases, evidence
from caseapp.store.audit_chain import link_hash
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import (
    Trace,
    edit_case_json,
    open_sqlite_core,
    patch_entry,
    read_entries,
    rebuild,
    write_zip,
)
from tests.core.test_cases import snapshot

# The shared fixtures, seen by pytest in this module.
alice_template = helpers.alice_template
valid_bundle = helpers.valid_bundle

Build = Callable[[Path, Path], Path]


def _root(valid: Path) -> str:
    return read_entries(valid)[0]


def raw(data: bytes) -> Build:
    return lambda _valid, out: _write(out, data)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def zipped(*names: str, data: bytes = b"x", mode: int = 0o100644) -> Build:
    def build(valid: Path, out: Path) -> Path:
        with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about duplicate names
            for name in names:
                info = zipfile.ZipInfo(name.replace("ROOT", _root(valid)), date_time=(2026, 1, 1, 0, 0, 0))
                info.external_attr = mode << 16
                info.create_system = 3
                archive.writestr(info, data)
        return out

    return build


def plus(*extra: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Build:
    """The valid bundle with more entries (``ROOT`` stands for its folder)."""

    def build(valid: Path, out: Path) -> Path:
        root, entries = read_entries(valid)
        items = [(f"{root}/{name}", data) for name, data in entries.items()]
        items += [(name.replace("ROOT", root), data) for name, data in extra]
        return write_zip(out, items, method=method)

    return build


def changed(change: Callable[[dict[str, bytes]], object] | None = None, **options: Any) -> Build:
    return lambda valid, out: rebuild(valid, out, change, **options)


def patched(**fields: Any) -> Build:
    def build(valid: Path, out: Path) -> Path:
        out.write_bytes(valid.read_bytes())
        return patch_entry(out, "data/case.json", **fields)

    return build


def same_size_substitution(entries: dict[str, bytes]) -> None:
    name = next(n for n in entries if fmt.is_evidence_name(n))
    entries[name] = bytes(b ^ 0xFF for b in entries[name])


def edit_text(entries: dict[str, bytes]) -> None:
    entries[fmt.CASE_JSON] = entries[fmt.CASE_JSON].replace(b"Marseille", b"Marseillx", 1)


def with_records(change: Callable[[dict[str, Any]], None]) -> Build:
    return changed(edit_case_json(lambda document: change(document["records"])))


def _filing(records: dict[str, Any]) -> dict[str, Any]:
    return records["filings"][0]  # type: ignore[no-any-return]


def bomb(size: int) -> bytes:
    return b"\0" * size


def deflate_bomb_with_lying_size(valid: Path, out: Path) -> Path:
    honest = len(read_entries(valid)[1][fmt.CASE_JSON])
    padding = 4_000_000
    path = rebuild(
        valid, out, lambda e: e.__setitem__(fmt.CASE_JSON, e[fmt.CASE_JSON] + b" " * padding), hidden_bytes=padding
    )
    return patch_entry(path, "data/case.json", local={"size": honest}, central={"size": honest})


def encrypted_flag(valid: Path, out: Path) -> Path:
    data = bytearray(valid.read_bytes())
    with zipfile.ZipFile(valid) as archive:
        info = archive.infolist()[0]
    data[info.header_offset + 6] |= 1
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1
    return _write(out, bytes(data))


def overlapping(valid: Path, out: Path) -> Path:
    data = bytearray(valid.read_bytes())
    first = data.index(b"PK\x01\x02")
    second = data.index(b"PK\x01\x02", first + 4)
    data[second + 42 : second + 46] = data[first + 42 : first + 46]  # both entries point at the same bytes
    return _write(out, bytes(data))


def newer_info(field: str, value: str) -> Build:
    return changed(
        info_change=lambda lines: [f"{field}: {value}" if line.startswith(field) else line for line in lines]
    )


def duplicate_json_key(entries: dict[str, bytes]) -> None:
    entries[fmt.CASE_JSON] = b'{"format": 1, ' + entries[fmt.CASE_JSON].lstrip()[1:]


def drop_file_keep_record(entries: dict[str, bytes]) -> None:
    del entries[next(n for n in entries if fmt.is_evidence_name(n))]


def altered_history(records: dict[str, Any]) -> None:
    records["audit_events"][0]["summary"] = "Nothing happened here."


NFC, NFD = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
SHA = hashlib.sha256(b"smuggled").hexdigest()

HOSTILE: list[tuple[str, Build, str, Limits | None]] = [
    ("not-a-zip", raw(b"%PDF-1.4 this is a PDF " * 50), "damaged or incomplete", None),
    ("empty-file", raw(b""), "damaged or incomplete", None),
    ("truncated", lambda v, o: _write(o, v.read_bytes()[: v.stat().st_size // 2]), "incomplete", None),
    ("empty-zip", raw(b"PK\x05\x06" + b"\0" * 18), "the archive is empty", None),
    ("path-traversal", zipped("../../etc/passwd"), "path that leaves its folder: ../../etc/passwd", None),
    ("traversal-inside", zipped("ROOT/data/../../../x"), "path that leaves its folder", None),
    ("absolute-path", zipped("/etc/passwd"), "absolute path: /etc/passwd", None),
    ("drive-letter", zipped("C:/Windows/evil.dll"), "drive letter: C:/Windows/evil.dll", None),
    ("backslash", zipped("ROOT\\..\\evil.txt"), "backslash", None),
    ("symlink", zipped("ROOT/data/link", data=b"/etc/passwd", mode=stat.S_IFLNK | 0o777), "symbolic link", None),
    ("fifo", zipped("ROOT/data/pipe", mode=stat.S_IFIFO | 0o644), "special file", None),
    ("char-device", zipped("ROOT/data/tty", mode=stat.S_IFCHR | 0o644), "special file", None),
    ("duplicate-name", zipped("ROOT/bagit.txt", "ROOT/bagit.txt"), "same name twice: .*bagit.txt", None),
    ("duplicate-case-json", plus(("ROOT/data/case.json", b"{}")), "same name twice: .*data/case.json", None),
    ("case-fold", plus(("ROOT/BAGIT.txt", b"x")), "differ only in letter case", None),
    (
        "unicode-forms",
        zipped(f"ROOT/data/{NFC}", f"ROOT/data/{NFD}"),
        "different Unicode forms|two Unicode forms",
        None,
    ),
    ("file-and-folder", zipped("ROOT/data/x", "ROOT/data/x/y"), "both a file and a folder", None),
    ("control-char", zipped("ROOT/data/\x1b[31mred"), r"control or invisible character: .*\\u001b", None),
    ("newline", zipped("ROOT/data/a\nb"), "control or invisible character", None),
    ("bidi", zipped("ROOT/data/evil\u202etxt.exe"), r"bidirectional control character: .*\\u202e", None),
    ("too-many-entries", lambda v, o: _write(o, v.read_bytes()), "too many files", Limits(max_entries=5)),
    ("bomb-ratio", plus(("ROOT/data/zeros", bomb(4_000_000))), "compressed suspiciously much", None),
    ("bomb-total", lambda v, o: _write(o, v.read_bytes()), "more room than CaseApp accepts", Limits(max_total=10_000)),
    ("bomb-lying-size", deflate_bomb_with_lying_size, "holds more data than its header says", None),
    ("crc-lie", patched(local={"crc": 1234}, central={"crc": 1234}), r"checksum \(CRC-32\)", None),
    ("local-central-mismatch", patched(central={"crc": 99}), "disagrees with the index", None),
    ("encrypted-entry", encrypted_flag, "password-protected", None),
    ("overlapping-entries", overlapping, "overlap|disagrees", None),
    ("prepended-bytes", lambda v, o: _write(o, b"MZ" + b"\0" * 998 + v.read_bytes()), "1000 bytes before", None),
    ("appended-bytes", lambda v, o: _write(o, v.read_bytes() + b"<script>"), "bytes were added after its end", None),
    ("not-a-bag", zipped("bagit.txt", "data/case.json"), "exactly one folder", None),
    ("unlisted-tag-file", plus(("ROOT/notes.txt", b"hi")), "it does not announce: notes.txt", None),
    (
        "unlisted-payload",
        changed(lambda e: e.__setitem__(f"data/evidence/{SHA}", b"smuggled"), unlisted=(f"data/evidence/{SHA}",)),
        "it does not announce: data/evidence/",
        None,
    ),
    ("listed-but-missing", changed(phantom=(f"data/evidence/{SHA}",)), "a file it announces is missing", None),
    ("unknown-payload", changed(lambda e: e.__setitem__("data/run.sh", b"rm -rf")), "does not know: data/run.sh", None),
    (
        "payload-hash-mismatch",
        changed(edit_text, fix_manifests=False, keep_signature=True),
        "data/case.json is not the one",
        None,
    ),
    (
        "same-size-substitution",
        changed(same_size_substitution, fix_manifests=False, keep_signature=True),
        "data/evidence/.* is not the one",
        None,
    ),
    (
        "tag-file-mismatch",
        changed(info_change=lambda lines: [*lines, "X: y"], fix_manifests=False),
        "bag-info.txt is not the one",
        None,
    ),
    ("signature-broken", changed(edit_text, keep_signature=True), "signature does not match its content", None),
    (
        "bagit-version",
        changed(lambda e: e.__setitem__(fmt.BAGIT, b"BagIt-Version: 0.96\n")),
        "made by a program CaseApp does not know",
        None,
    ),
    ("newer-format", newer_info(fmt.INFO_FORMAT, "2"), "newer version of CaseApp .bundle format 2", None),
    ("newer-schema", newer_info(fmt.INFO_SCHEMA, "9999_future"), "newer or unknown version of CaseApp", None),
    ("newer-format-in-json", changed(edit_case_json(lambda d: d.__setitem__("format", 7))), "bundle format 7", None),
    (
        "case-json-not-json",
        changed(lambda e: e.__setitem__(fmt.CASE_JSON, b"{not json")),
        "case.json is not valid: it is not JSON",
        None,
    ),
    ("case-json-duplicate-key", changed(duplicate_json_key), "“format” appears twice", None),
    ("case-json-missing", changed(lambda e: e.pop(fmt.CASE_JSON)), r"\(data/case.json\) is missing", None),
    (
        "dangling-reference",
        with_records(lambda r: r.__setitem__("hearings", [])),
        "refers to a hearing that is not in the bundle",
        None,
    ),
    (
        "record-of-another-case",
        with_records(lambda r: _filing(r).__setitem__("case_id", str(uuid.uuid4()))),
        "belongs to another case",
        None,
    ),
    (
        "unknown-field",
        with_records(lambda r: _filing(r).__setitem__("colour", "blue")),
        "fields CaseApp does not know: colour",
        None,
    ),
    (
        "wrong-type",
        with_records(lambda r: _filing(r).__setitem__("filed_on", 20200117)),
        "“filed_on” is wrong: it must be text",
        None,
    ),
    ("duplicate-id", with_records(lambda r: r["filings"].append(dict(r["filings"][0]))), "is used twice", None),
    ("file-listed-not-there", changed(drop_file_keep_record), "a file the case needs is not in it", None),
    (
        "evidence-omitted-yet-present",  # claiming "exported without evidence" so the files would go unchecked
        changed(
            edit_case_json(lambda d: d.__setitem__("evidence_files", fmt.EVIDENCE_OMITTED)),
            info_change=lambda lines: [
                f"{fmt.INFO_EVIDENCE}: {fmt.EVIDENCE_OMITTED}" if line.startswith(fmt.INFO_EVIDENCE) else line
                for line in lines
            ],
        ),
        "says its evidence files were left out, yet it contains one",
        None,
    ),
    ("history-altered", with_records(altered_history), "history in the bundle was altered", None),
]


@pytest.mark.parametrize(("build", "message", "limits"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_bundle_is_refused_and_leaves_no_trace(
    core: Core,
    valid_bundle: tuple[Path, MemoryKeyStore],
    tmp_path: Path,
    build: Build,
    message: str,
    limits: Limits | None,
) -> None:
    path = build(valid_bundle[0], tmp_path / "hostile.casebundle")
    trace = Trace(core)
    with pytest.raises(BundleError, match=message):
        inspect_bundle(core, path, keystore=MemoryKeyStore(), limits=limits)
    assert trace.unchanged()


def test_the_corpus_is_large_enough() -> None:
    assert len(HOSTILE) >= 25


def test_the_valid_bundle_itself_passes(core: Core, valid_bundle: tuple[Path, MemoryKeyStore]) -> None:
    with inspect_bundle(core, valid_bundle[0], keystore=MemoryKeyStore()) as preview:
        assert preview.additions and preview.signature.status == "unknown"


class _Unseekable:
    """A file zipfile cannot seek in, as when a zip is streamed: entries then carry data descriptors."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("wb")

    def write(self, data: bytes) -> int:
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


@pytest.mark.parametrize("variant", ["zip64", "data-descriptors"])
def test_zip_variants_other_tools_write_are_accepted(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path, variant: str
) -> None:
    root, entries = read_entries(valid_bundle[0])
    path = tmp_path / f"{variant}.casebundle"
    target: Any = _Unseekable(path) if variant == "data-descriptors" else path
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=variant == "zip64") as out:
                out.write(data)
    if variant == "data-descriptors":
        target.close()
        with zipfile.ZipFile(path) as archive:
            assert all(info.flag_bits & 0x08 for info in archive.infolist())
    with inspect_bundle(core, path, keystore=MemoryKeyStore()) as preview:
        assert preview.signature.status == "unknown" and preview.additions


def test_records_that_collide_with_other_content_are_refused(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path
) -> None:
    _root, entries = read_entries(valid_bundle[0])
    exhibit = json.loads(entries[fmt.CASE_JSON])["records"]["evidence"][0]
    other = cases.create_case(core, title="Une autre affaire")
    evidence.add_evidence(core, other.id, title="Pièce sans rapport", record_id=uuid.UUID(exhibit["id"]))
    trace = Trace(core)
    with pytest.raises(BundleError, match=r"already here as something else \(its “case_id” differs\)"):
        inspect_bundle(core, valid_bundle[0], keystore=MemoryKeyStore())
    assert trace.unchanged()


def test_a_history_event_rewritten_with_a_fresh_hash_is_refused(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path
) -> None:
    apply_import(core, inspect_bundle(core, valid_bundle[0], keystore=MemoryKeyStore()), accept_unsigned=True)

    def rewrite(records: dict[str, Any]) -> None:
        """Edit the first event, then re-hash it and re-link the events after it, as a forger would."""
        from caseapp.bundle.content import decode_row
        from caseapp.bundle.history import _event

        events = records["audit_events"]
        events[0]["summary"] = "Rien ne s'est passé."
        for index, event in enumerate(events):
            if index and event["seq"] == events[index - 1]["seq"] + 1:
                event["prev_hash"] = events[index - 1]["hash"]
            elif index:
                break
            row = decode_row("audit_events", event, index=index, older_schema=False)
            event["hash"] = link_hash(event["prev_hash"], _event(row))

    forged = with_records(rewrite)(valid_bundle[0], tmp_path / "forged.casebundle")
    trace = Trace(core)
    with pytest.raises(BundleError, match=r"history event \S+ is already here as something else"):
        inspect_bundle(core, forged, keystore=MemoryKeyStore())
    assert trace.unchanged()


# --- mutations: never an unhandled error, never a partial import ---------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_byte_mutations_never_crash_and_never_half_import(
    core: Core, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path, data: st.DataObject
) -> None:
    original = valid_bundle[0].read_bytes()
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
    position = data.draw(st.integers(0, len(original) - 1))
    if kind == "flip":
        mutated = (
            original[:position]
            + bytes([original[position] ^ data.draw(st.integers(1, 255))])
            + original[position + 1 :]
        )
    elif kind == "truncate":
        mutated = original[:position]
    elif kind == "insert":
        mutated = original[:position] + data.draw(st.binary(min_size=1, max_size=8)) + original[position:]
    else:
        mutated = original[:position] + original[position + data.draw(st.integers(1, 8)) :]
    path = tmp_path / "mutated.casebundle"
    path.write_bytes(mutated)
    trace = Trace(core)
    try:
        preview = inspect_bundle(core, path, keystore=MemoryKeyStore())
    except CaseAppError:
        assert trace.unchanged()
        return
    # The mutation hit bytes nothing depends on (a timestamp in a zip header…): the import is whole.
    apply_import(core, preview, accept_unsigned=True)
    with inspect_bundle(core, valid_bundle[0], keystore=MemoryKeyStore()) as again:
        assert again.nothing_to_do


# --- a process killed in the middle of an import ---------------------------------------------------------------

KILLED_IMPORT = """
import sys, time
from pathlib import Path
from caseapp.bundle import apply_import, inspect_bundle
from caseapp.identity.keys import MemoryKeyStore
from caseapp.casefile.core import open_core

folder, bundle, marker = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
core = open_core(data_dir=folder, url=f"sqlite:///{folder / 'caseapp.sqlite3'}", author="Bob")
preview = inspect_bundle(core, bundle, keystore=MemoryKeyStore())

def progress(done, total):
    if done >= total:  # every record written, the transaction not yet committed
        marker.write_text("now")
        time.sleep(120)

apply_import(core, preview, accept_unsigned=True, progress=progress)
"""


def test_a_process_killed_in_the_middle_of_an_import_leaves_the_database_as_it_was(
    template_db: Path, valid_bundle: tuple[Path, MemoryKeyStore], tmp_path: Path
) -> None:
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / DB_FILE).write_bytes(template_db.read_bytes())
    bob = open_sqlite_core(folder, "Bob")
    before = snapshot(bob)
    bob.close()
    marker = tmp_path / "marker"
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(folder), str(valid_bundle[0]), str(marker)],
        cwd=root,
        env=os.environ | {"PYTHONPATH": str(root)},
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the import never reached its last step"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    bob = open_sqlite_core(folder, "Bob")
    try:
        assert snapshot(bob) == before
        with bob.db.reader() as session:
            from sqlalchemy import text

            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        with inspect_bundle(bob, valid_bundle[0], keystore=MemoryKeyStore()) as preview:
            assert not preview.nothing_to_do  # nothing of it is here
    finally:
        bob.close()
