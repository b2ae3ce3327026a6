"""Killed at random points around a backup, a restore, an import and an evidence intake, while notes are being
written: afterwards every note a writer was told was saved is in the case file or in the file a restore set aside,
every stored file a record names is in the evidence store, and the case file passes SQLite's integrity check.

``CASEAPP_CRASH_ITERATIONS`` (CI: 200) sets the effort; this harness runs a tenth of it (at least 12 rounds).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = max(12, int(os.environ.get("CASEAPP_CRASH_ITERATIONS", "20")) // 10)

NOTE_WRITER = """
import sys, uuid
from pathlib import Path
from caseapp.casefile.core import open_core
from caseapp.services import cases, hearings
core = open_core(data_dir=Path(sys.argv[1]), author="Writer")
case = next(c for c in cases.list_cases(core) if c.court_number == "1901249")
hearing = cases.get_case(core, case.id).hearings[0]
while True:
    note_id = uuid.uuid4()
    hearings.add_note(core, hearing.id, "note " + str(note_id), record_id=note_id)
    print(note_id, flush=True)
"""

EVIDENCE_TAKER = """
import os, sys
from pathlib import Path
from caseapp.casefile.core import open_core
from caseapp.services import cases, evidence
core = open_core(data_dir=Path(sys.argv[1]), author="Clerk")
case = next(c for c in cases.list_cases(core) if c.court_number == "1901249")
source = Path(sys.argv[2])
source.write_bytes(os.urandom(300_000))
item = evidence.add_evidence_file(core, case.id, source, title="Pièce du test")
print(item.file.sha256, flush=True)
"""


def env() -> dict[str, str]:
    values = os.environ | {"CASEAPP_LANG": "en", "CASEAPP_AUTHOR": "Tester"}
    values.pop("CASEAPP_DB_URL", None)
    return values


def caseapp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseapp.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        check=False,
    )


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=ROOT
    )


def kill(process: subprocess.Popen[str]) -> str:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGKILL)
    out, _err = process.communicate(timeout=60)
    return out


def databases(data: Path) -> list[Path]:
    """The case file and every file a restore set aside (with their write-ahead logs beside them)."""
    return [data / "caseapp.sqlite3", *sorted(data.glob("caseapp.sqlite3.replaced-*"))]


def rows(path: Path, sql: str) -> set[str]:
    if not path.exists() or path.name.endswith(("-wal", "-shm", "-journal")):
        return set()
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return {str(row[0]).replace("-", "") for row in conn.execute(sql)}


@pytest.mark.sqlite_only
def test_killed_around_backup_restore_import_and_intake_nothing_acknowledged_is_lost(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    backup = tmp_path / "good.sqlite3"
    assert caseapp(data, "backup", str(backup)).returncode == 0
    bundle = tmp_path / "vsa.casebundle"
    exported = caseapp(data, "export", "2009485", "-o", str(bundle), "--no-sign", "--no-pdf")
    assert exported.returncode == 0, exported.stderr
    rng = random.Random(20261203)
    acknowledged: set[str] = set()
    taken: set[str] = set()
    operations = ["backup", "restore", "import", "intake"]
    for round_number in range(ROUNDS):
        operation = operations[round_number % len(operations)]
        writer = None if operation == "restore" else start("-c", NOTE_WRITER, str(data))
        if operation == "backup":
            work = start("-m", "caseapp.cli", "--data-dir", str(data), "backup")
        elif operation == "restore":
            work = start("-m", "caseapp.cli", "--data-dir", str(data), "restore", str(backup))
        elif operation == "import":
            work = start(
                "-m", "caseapp.cli", "--data-dir", str(data), "import", str(bundle), "--yes", "--accept-unsigned"
            )
        else:
            work = start("-c", EVIDENCE_TAKER, str(data), str(tmp_path / f"source-{round_number}.bin"))
        time.sleep(rng.uniform(0.3, 2.5))
        output = kill(work)
        if operation == "intake":
            taken.update(line.strip() for line in output.splitlines() if len(line.strip()) == 64)
        if writer is not None:
            acknowledged.update(line.strip().replace("-", "") for line in kill(writer).splitlines() if line.strip())
        after = caseapp(data, "cases")  # the next start puts things right
        assert after.returncode == 0, (operation, after.stderr)
        assert "Traceback" not in after.stderr

    live = data / "caseapp.sqlite3"
    with contextlib.closing(sqlite3.connect(live)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    found: set[str] = set()
    named: set[str] = set()
    for path in databases(data):
        found |= rows(path, "SELECT id FROM hearing_notes")
        named |= rows(path, "SELECT sha256 FROM stored_files")
    assert acknowledged, "the writer never got to write: the harness tested nothing"
    assert acknowledged <= found, f"{len(acknowledged - found)} acknowledged notes are nowhere"
    store = data / "evidence"
    missing = {sha for sha in named | taken if not (store / sha[:2] / sha[2:4] / sha).is_file()}
    assert not missing, f"stored files named by a record but gone: {sorted(missing)[:3]}"
    print(f"\ncrash-and-restore harness: {ROUNDS} kills, {len(acknowledged)} notes acknowledged, all found")
