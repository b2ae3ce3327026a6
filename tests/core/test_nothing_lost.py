"""Nothing lost when things go wrong: the failures found by probing CaseApp as bad luck and an attacker would,
each reproduced as a person (or a crash) produces it."""

from __future__ import annotations

import json
import os
import shutil
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
from caseapp.casefile.core import open_core
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


# --- restore -------------------------------------------------------------------------------------------------

KEEP_OPEN = """
import sys, time
from pathlib import Path
from caseapp.casefile.core import open_core
core = open_core(data_dir=Path(sys.argv[1]))
print("open", flush=True)
time.sleep(60)
"""


def test_restore_is_refused_while_another_caseapp_has_the_case_file_open(tmp_path: Path) -> None:
    """Issue repro: with a process adding notes, restore returned 0 and the notes went to the file set aside."""
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    backup = tmp_path / "b.sqlite3"
    assert caseapp(data, "backup", str(backup)).returncode == 0
    env = os.environ | {"CASEAPP_LANG": "en"}
    holder = subprocess.Popen(
        [sys.executable, "-c", KEEP_OPEN, str(data)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = (data / "caseapp.sqlite3").stat().st_ino
        refused = caseapp(data, "restore", str(backup))
        assert refused.returncode == 1 and "open in another program" in refused.stderr
        assert (data / "caseapp.sqlite3").stat().st_ino == before and not list(data.glob("*.replaced-*"))
    finally:
        holder.kill()
        holder.wait()
    assert caseapp(data, "restore", str(backup)).returncode == 0  # once it is closed (or dead), it works


def _damage(path: Path, how: str) -> None:
    raw = bytearray(path.read_bytes())
    if how == "header":
        raw[:100] = bytes(100)
    elif how == "page1":
        raw[100:4096] = b"\xff" * (4096 - 100)
    elif how == "truncated":
        raw = raw[: len(raw) // 3]
    elif how == "garbage":
        raw[4096 * 2 : 4096 * 6] = os.urandom(4096 * 4)
    path.write_bytes(bytes(raw))


DAMAGES = ("header", "page1", "truncated", "garbage", "empty")


def _damaged_copy(tmp_path: Path, how: str) -> tuple[Path, Path]:
    data = tmp_path / how
    assert caseapp(data, "demo").returncode == 0
    assert caseapp(data, "backup").returncode == 0  # a good backup in backups/
    db = data / "caseapp.sqlite3"
    if how == "empty":
        db.write_bytes(b"")
    else:
        _damage(db, how)
    backup = max((data / "backups").glob("*.sqlite3"), key=lambda p: p.stat().st_mtime)
    return data, backup


def test_a_damaged_database_gets_one_line_naming_the_backup_and_restore_puts_it_back(tmp_path: Path) -> None:
    for how in DAMAGES:
        data, backup = _damaged_copy(tmp_path, how)
        damaged_bytes = (data / "caseapp.sqlite3").read_bytes()
        for command in (["cases"], ["show", "1901249"], ["search", "lycée"], ["agenda"], ["audit", "verify"]):
            result = caseapp(data, *command)
            if how == "garbage" and result.returncode == 0:
                continue  # the pages this command reads may be intact
            assert result.returncode == 1, (how, command, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr, (how, command, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1, (how, command, result.stderr)
            if how != "garbage":
                assert "caseapp restore" in result.stderr and backup.name in result.stderr, (how, result.stderr)
        assert (data / "caseapp.sqlite3").read_bytes() == damaged_bytes  # left untouched
        restored = caseapp(data, "restore", str(backup))
        assert restored.returncode == 0, (how, restored.stdout, restored.stderr)
        assert "1901249" in caseapp(data, "cases").stdout
        aside = next(data.glob("caseapp.sqlite3.replaced-*"))
        assert aside.read_bytes() == damaged_bytes  # the damaged file is kept, never deleted


def test_restore_refuses_a_file_that_is_not_a_whole_case_file(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    fake = tmp_path / "fake.sqlite3"
    with sqlite3.connect(fake) as conn:
        conn.execute("CREATE TABLE cases (id TEXT)")
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    before = (data / "caseapp.sqlite3").read_bytes()
    refused = caseapp(data, "restore", str(fake))
    assert refused.returncode == 1 and "not a CaseApp backup" in refused.stderr
    assert (data / "caseapp.sqlite3").read_bytes() == before
    for bad in (tmp_path / "missing.sqlite3", tmp_path):
        result = caseapp(data, "restore", str(bad))
        assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_backup_that_cannot_be_written_warns_and_reading_still_works(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    shutil.rmtree(data / "backups", ignore_errors=True)
    (data / "backups").write_text("not a folder: no backup can be written here")  # like a full disk
    listed = caseapp(data, "cases")
    assert listed.returncode == 0 and "1901249" in listed.stdout
    assert "Warning" in listed.stderr and "backup" in listed.stderr


def test_a_deleted_write_ahead_log_loses_only_its_last_transactions_and_restore_still_works(tmp_path: Path) -> None:
    """The corruption corpus's last kind: the write-ahead log of a killed process deleted by hand. What it held is
    gone (SQLite cannot know), the file stays consistent, every command answers without a traceback, and a
    backup can still be put back."""
    data = tmp_path / "data"
    assert caseapp(data, "demo").returncode == 0
    backup = tmp_path / "b.sqlite3"
    assert caseapp(data, "backup", str(backup)).returncode == 0
    env = os.environ | {"CASEAPP_LANG": "en"}
    script = (
        "import os, sys\nfrom pathlib import Path\nfrom caseapp.casefile.core import open_core\n"
        "from caseapp.services import cases\ncore = open_core(data_dir=Path(sys.argv[1]))\n"
        "cases.create_case(core, title='Dans le journal seulement')\nos.kill(os.getpid(), 9)\n"
    )
    killed = subprocess.run([sys.executable, "-c", script, str(data)], env=env, cwd=ROOT, check=False)
    assert killed.returncode == -signal.SIGKILL
    wal = data / "caseapp.sqlite3-wal"
    assert wal.exists() and wal.stat().st_size > 0
    wal.unlink()
    for command in (["cases"], ["show", "1901249"], ["agenda"], ["search", "lycée"]):
        result = caseapp(data, *command)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (command, result.stderr)
    assert "Dans le journal seulement" not in caseapp(data, "cases").stdout
    assert caseapp(data, "restore", str(backup)).returncode == 0
