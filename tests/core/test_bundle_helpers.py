"""Shared fixtures and tools of the bundle tests (no tests here).

Two colleagues: Alice (a data folder copied from one prepared once per test session: the example data, plus
hearing notes, evidence files, a linked opinion and a hand-made deadline) exports; Bob (the ``core`` fixture:
SQLite, or PostgreSQL when the suite runs on it) imports.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import uuid
import warnings
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from sqlalchemy import select

from caseapp.bundle import content as bundle_content
from caseapp.bundle import format as fmt
from caseapp.bundle.export import export_bundle
from caseapp.casefile.core import Core, open_core
from caseapp.casefile.views import CaseDetail
from caseapp.config import DB_FILE
from caseapp.identity.keys import MemoryKeyStore
from caseapp.services import evidence, hearings, opinions
from caseapp.services.demo import demo_id, load_demo
from caseapp.store import models as m
from tests.core.test_cases import snapshot

CASE_KEY = "case/vsa-2020"
FAKE_PDF = b"%PDF-1.4\n% a stand-in for the case summary\n%%EOF\n"


def fake_pdf(_detail: CaseDetail, out: BinaryIO) -> None:
    out.write(FAKE_PDF)


def open_sqlite_core(folder: Path, author: str) -> Core:
    return open_core(data_dir=folder, url=f"sqlite:///{folder / DB_FILE}", author=author)


_prepared: dict[Path, Path] = {}  # each test module sees its own copy of the fixture: prepare once per session


@pytest.fixture(scope="session")
def alice_template(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    session = tmp_path_factory.getbasetemp()
    if session not in _prepared:
        _prepared[session] = _prepare_alice(tmp_path_factory, template_db)
    return _prepared[session]


def _prepare_alice(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Path:
    folder = tmp_path_factory.mktemp("alice-template")
    shutil.copyfile(template_db, folder / DB_FILE)
    core = open_sqlite_core(folder, "Alice")
    try:
        load_demo(core)
        case_id = demo_id(CASE_KEY)
        hearing_id = demo_id(f"{CASE_KEY}/hearing/0")
        hearings.add_note(
            core, hearing_id, "Le rapporteur public conclut au rejet.", at=datetime(2020, 3, 2, 13, 5, tzinfo=UTC)
        )
        sources = tmp_path_factory.mktemp("alice-files")
        for index, size in enumerate((150_000, 40_000)):
            path = sources / f"pièce-{index}.bin"
            path.write_bytes(hashlib.sha256(str(index).encode()).digest() * (size // 32))
            evidence.add_evidence_file(core, case_id, path, title=f"Courrier n° {index}", source="CADA")
        opinions.link_opinion(core, demo_id("opinion/cnil-lycees"), case_id)
        from caseapp.services.deadlines import add_deadline

        add_deadline(core, case_id, title="Mémoire en réplique", due_on=date(2026, 9, 1))
    finally:
        core.close()
    return folder


@pytest.fixture
def alice(alice_template: Path, tmp_path: Path) -> Iterator[Core]:
    folder = tmp_path / "alice"
    shutil.copytree(alice_template, folder)
    core = open_sqlite_core(folder, "Alice")
    yield core
    core.close()


@pytest.fixture
def alice_keys() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def bob_keys() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture
def case_id() -> uuid.UUID:
    return demo_id(CASE_KEY)


def export(core: Core, case: uuid.UUID, path: Path, keys: MemoryKeyStore, **options: Any) -> Path:
    options.setdefault("sign", True)
    options.setdefault("pdf_renderer", fake_pdf)
    export_bundle(core, case, path, keystore=keys, **options)
    return path


@pytest.fixture(scope="session")
def valid_bundle(alice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MemoryKeyStore]:
    """One signed bundle of Alice's case for the whole session (hostile bundles are built from it), and the
    key store holding the key that signed it."""
    folder = tmp_path_factory.mktemp("valid")
    shutil.copytree(alice_template, folder / "alice")
    keys = MemoryKeyStore()
    core = open_sqlite_core(folder / "alice", "Alice")
    try:
        return export(core, demo_id(CASE_KEY), folder / "valid.casebundle", keys), keys
    finally:
        core.close()


@pytest.fixture(scope="session")
def omitted_bundle(alice_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MemoryKeyStore]:
    """Like ``valid_bundle``, exported without the evidence files (``--no-evidence``)."""
    folder = tmp_path_factory.mktemp("omitted")
    shutil.copytree(alice_template, folder / "alice")
    keys = MemoryKeyStore()
    core = open_sqlite_core(folder / "alice", "Alice")
    try:
        return export(core, demo_id(CASE_KEY), folder / "omitted.casebundle", keys, include_evidence=False), keys
    finally:
        core.close()


@pytest.fixture
def bundle(alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, tmp_path: Path) -> Path:
    """Alice's case, exported and signed."""
    return export(alice, case_id, tmp_path / "vsa.casebundle", alice_keys)


def store_files(core: Core) -> dict[str, bytes]:
    root = core.data_dir / "evidence"
    if not root.is_dir():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "tmp" not in p.relative_to(root).parts
    }


def staging_is_empty(core: Core) -> bool:
    staging = core.data_dir / "staging"
    return not staging.exists() or not any(staging.iterdir())


class Trace:
    """What a refused import must leave exactly as it was: every table, the evidence store, no staging."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.rows = snapshot(core)
        self.files = store_files(core)

    def unchanged(self) -> bool:
        return snapshot(self.core) == self.rows and store_files(self.core) == self.files and staging_is_empty(self.core)

    def records_unchanged(self) -> bool:
        """What a failed or cancelled import leaves: every table as it was, no staging, and the evidence store
        only grown (files it copied in stay: the store never shrinks behind the person's back; the files no
        record names are listed by ``evidence verify``)."""
        files = store_files(self.core)
        kept = all(files.get(name) == content for name, content in self.files.items())
        return snapshot(self.core) == self.rows and kept and staging_is_empty(self.core)


def case_records(core: Core, case: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every record of a case as JSON values; history events without their place in the local chain."""
    with core.db.reader() as session:
        rows = bundle_content.collect(session, case)
    result = {name: [bundle_content.encode_row(r) for r in rows[name]] for name in bundle_content.tables()}
    chain = ("seq", "prev_hash", "hash", "origin_hash")
    result["audit_events"] = [
        {k: v for k, v in row.items() if k not in chain} for row in result["audit_events"] if row["entity"] != "bundle"
    ]
    return result


def search_entries(core: Core, case: uuid.UUID) -> set[tuple[str, str, str, str]]:
    with core.db.reader() as session:
        return {
            (e.kind, str(e.record_id), e.title, e.body)
            for e in session.scalars(select(m.SearchEntry).where(m.SearchEntry.case_id == case))
        }


# --- building bundles by hand ---------------------------------------------------------------------------------


def read_entries(path: Path) -> tuple[str, dict[str, bytes]]:
    """The bag folder and ``{name in the bag: bytes}`` of a (small, trusted) bundle."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = names[0].split("/", 1)[0]
        return root, {name[len(root) + 1 :]: archive.read(name) for name in names}


def write_zip(path: Path, entries: list[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some tests write on purpose
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return path


def rebuild(
    source: Path,
    target: Path,
    change: Callable[[dict[str, bytes]], object] | None = None,
    *,
    fix_manifests: bool = True,
    keep_signature: bool = False,
    info_change: Callable[[list[str]], list[str]] | None = None,
    unlisted: tuple[str, ...] = (),
    phantom: tuple[str, ...] = (),
    hidden_bytes: int = 0,
) -> Path:
    """A copy of a bundle with ``change`` applied to its files; manifests recomputed (unless told not to),
    leaving out ``unlisted`` files and listing ``phantom`` ones that are not there; ``hidden_bytes`` are left out
    of Payload-Oxum (for a bundle whose zip headers will lie about a size)."""
    root, entries = read_entries(source)
    if not keep_signature:
        entries.pop(fmt.SIGNATURE, None)
    if change is not None:
        change(entries)
    if info_change is not None:
        lines = entries[fmt.BAG_INFO].decode().splitlines()
        entries[fmt.BAG_INFO] = ("\n".join(info_change(lines)) + "\n").encode()
    if fix_manifests:
        payload = {name: data for name, data in entries.items() if name.startswith("data/")}
        listed = [(n, hashlib.sha256(d).hexdigest()) for n, d in payload.items() if n not in unlisted]
        listed += [(name, name.rsplit("/", 1)[-1]) for name in phantom]
        entries[fmt.MANIFEST] = fmt.write_manifest(listed)
        lines = [
            f"Payload-Oxum: {sum(len(d) for d in payload.values()) - hidden_bytes}.{len(payload)}"
            if line.startswith("Payload-Oxum")
            else line
            for line in entries[fmt.BAG_INFO].decode().splitlines()
        ]
        entries[fmt.BAG_INFO] = ("\n".join(lines) + "\n").encode()
        entries[fmt.TAG_MANIFEST] = fmt.write_manifest(
            (n, hashlib.sha256(entries[n]).hexdigest()) for n in (fmt.BAGIT, fmt.BAG_INFO, fmt.MANIFEST)
        )
    return write_zip(target, [(f"{root}/{name}", data) for name, data in entries.items()])


def edit_case_json(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    import json

    def apply(entries: dict[str, bytes]) -> None:
        document = json.loads(entries[fmt.CASE_JSON])
        change(document)
        entries[fmt.CASE_JSON] = json.dumps(document).encode()

    return apply


def patch_entry(
    path: Path, name_suffix: str, *, local: dict[str, int] | None = None, central: dict[str, int] | None = None
) -> Path:
    """Overwrite the CRC or size fields of one entry's local header and/or central directory record."""
    data = bytearray(path.read_bytes())
    offsets = {"crc": 0, "compressed": 4, "size": 8}
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(name_suffix))
    for field, value in (local or {}).items():
        struct.pack_into("<L", data, info.header_offset + 14 + offsets[field], value)
    if central:
        raw = info.orig_filename.encode()
        position = data.find(b"PK\x01\x02", 0)
        while position >= 0:
            length = struct.unpack_from("<H", data, position + 28)[0]
            if data[position + 46 : position + 46 + length] == raw:
                break
            position = data.find(b"PK\x01\x02", position + 4)
        for field, value in central.items():
            struct.pack_into("<L", data, position + 16 + offsets[field], value)
    path.write_bytes(bytes(data))
    return path
