"""Nothing lost when things go wrong: the failures found by probing CaseApp as bad luck and an attacker would,
each reproduced as a person (or a crash) produces it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def caseapp(data: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data), "CASEAPP_LANG": "en"}
    env.pop("CASEAPP_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


ADD_EXHIBIT = """
import os, sys, uuid
from pathlib import Path
from caseapp.services.core import open_core
from caseapp.services import cases, evidence
core = open_core(data_dir=Path(sys.argv[1]))
case = cases.list_cases(core)[0]
item = evidence.add_evidence_file(core, case.id, Path(sys.argv[2]), title="Pièce ajoutée")
print(item.file.sha256, flush=True)
os.kill(os.getpid(), 9)  # the process dies without closing anything
"""


def test_a_crash_then_a_restore_never_deletes_an_evidence_file(tmp_path: Path) -> None:
    """Issue repro: demo; backup; add an exhibit from a file, delete the original; kill -9; restore the backup →
    the stored file was gone, and restoring the set-aside database back said "the stored file is missing"."""
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    backup = tmp_path / "b.sqlite3"
    assert caseapp(data, "backup", str(backup)).returncode == 0
    original = tmp_path / "courrier.pdf"
    original.write_bytes(b"%PDF-1.4 only copy of this exhibit\n")
    env = os.environ | {"CASEAPP_LANG": "en"}
    added = subprocess.run(
        [sys.executable, "-c", ADD_EXHIBIT, str(data), str(original)], capture_output=True, text=True, env=env
    )
    assert added.returncode == -signal.SIGKILL, added.stderr
    sha = added.stdout.split()[0]
    original.unlink()  # the only other copy is gone
    stored = data / "evidence" / sha[:2] / sha[2:4] / sha
    assert stored.is_file()

    restored = caseapp(data, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert stored.is_file()  # the backup does not name it: it is kept all the same
    listed = json.loads(caseapp(data, "evidence", "verify", "--json").stdout)
    assert {row["sha256"] for row in listed if row.get("unreferenced")} == {sha}

    aside = next(data.glob("caseapp.sqlite3.replaced-*"))
    back = caseapp(data, "restore", str(aside))
    assert back.returncode == 0, back.stdout + back.stderr
    assert "All" in back.stdout and stored.is_file()
    checked = json.loads(caseapp(data, "evidence", "verify", "--json").stdout)
    mine = [row for row in checked if row["sha256"] == sha and not row.get("unreferenced")]
    assert mine and mine[0]["problem"] is None


def test_only_an_explicit_prune_removes_a_file_and_only_an_unnamed_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    loose = data / "evidence" / "ab" / "cd" / ("abcd" + "1" * 60)
    loose.parent.mkdir(parents=True, exist_ok=True)
    loose.write_bytes(b"from another database")
    named = next(
        row["sha256"]
        for row in json.loads(caseapp(data, "evidence", "verify", "--json").stdout)
        if row["sha256"] and not row.get("unreferenced")
    )
    refused = caseapp(data, "evidence", "prune", loose.name, named, "--yes")
    assert refused.returncode == 1 and "still named" in refused.stderr and loose.exists()
    dry = caseapp(data, "evidence", "prune", loose.name)
    assert dry.returncode == 0 and "Nothing was removed" in dry.stdout and loose.exists()
    done = caseapp(data, "evidence", "prune", loose.name, "--yes")
    assert done.returncode == 0 and not loose.exists()
