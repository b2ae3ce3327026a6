"""A bundle made here is read by a colleague whose CaseApp is a version behind, as long as nothing it carries
changed: revisions that only add indexes or local bookkeeping do not make a bundle unreadable."""

from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest

from caseapp.bundle import inspect_bundle
from caseapp.casefile.core import Core
from caseapp.errors import BundleError
from caseapp.identity.keys import MemoryKeyStore
from caseapp.store import migrate
from tests.core import test_bundle_helpers as helpers
from tests.core.test_bundle_helpers import export

alice = helpers.alice
alice_keys = helpers.alice_keys
alice_template = helpers.alice_template
case_id = helpers.case_id


def older_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: str) -> None:
    """Make this process know the migrations up to ``last`` only, as a CaseApp released then did."""
    folder = tmp_path / f"migrations-{last}"
    shutil.copytree(migrate.MIGRATIONS, folder)
    for path in (folder / "versions").glob("*.py"):
        if path.name[:4] > last:
            path.unlink()
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    assert migrate.head_revision() == last


def declared_schema(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/data/case.json"))
        return json.loads(archive.read(name))["schema"]


def test_a_colleague_before_the_search_indexes_reads_a_new_bundle(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, core: Core, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    path = export(alice, case_id, tmp_path / "new.casebundle", alice_keys)
    assert migrate.head_revision() >= "0009"
    assert declared_schema(path) == "0007"  # 0008 (checkouts) and 0009 (indexes) change nothing a bundle carries
    older_app(tmp_path, monkeypatch, "0007")
    preview = inspect_bundle(core, path, keystore=alice_keys)
    assert preview.case_id == case_id


def test_a_colleague_before_a_change_of_records_is_still_told_to_update(
    alice: Core, case_id: uuid.UUID, alice_keys: MemoryKeyStore, core: Core, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    path = export(alice, case_id, tmp_path / "new.casebundle", alice_keys)
    older_app(tmp_path, monkeypatch, "0006")  # 0007 added what the history's events carry
    with pytest.raises(BundleError, match="newer or unknown version of CaseApp"):
        inspect_bundle(core, path, keystore=alice_keys)
