"""Kill CaseApp with SIGKILL at random moments while it writes, again and again, then check nothing is lost,
half-written or left behind.

A forked child opens the data folder and keeps doing one kind of work (hearing notes, evidence intake,
backups), reporting each operation on a pipe only once the service call has returned — that is, once the
operation told its caller it succeeded. The parent kills it at a random moment. After every kill the parent
checks: the database passes its integrity check; every reported operation is there; no half-row exists; and,
once a new run has opened the folder (which recovers), no orphan or temporary file remains.

``CASEAPP_CRASH_ITERATIONS`` sets how many kills (default 30; CI runs 200).
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import select
import shutil
import signal
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseapp.casefile.core import open_core
from caseapp.services import cases, evidence, hearings
from caseapp.store.backup import backup_sqlite, default_backup_path

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork"),
]
ITERATIONS = int(os.environ.get("CASEAPP_CRASH_ITERATIONS", "30"))


def _child(data: Path, work: str, hearing_id: str, case_id: str, write_fd: int, seed: int) -> None:
    """Runs in the forked process: never returns."""
    try:
        import uuid

        rng = random.Random(seed)
        core = open_core(data_dir=data, author="Crash test")
        n = 0
        while True:
            n += 1
            if work == "notes":
                note = hearings.add_note(core, uuid.UUID(hearing_id), f"note {seed}-{n} " + "x" * rng.randint(1, 3000))
                line = f"note {note.id}\n"
            elif work == "evidence":
                source = data.parent / f"source-{seed}-{n}.bin"
                source.write_bytes(os.urandom(rng.randint(1, 3 * 1024 * 1024)))
                item = evidence.add_evidence_file(core, uuid.UUID(case_id), source, title=f"pièce {seed}-{n}")
                assert item.file is not None
                line = f"evidence {item.id} {item.file.sha256}\n"
            else:
                assert core.db.sqlite_path is not None
                target = backup_sqlite(core.db.sqlite_path, default_backup_path(data, f"crash-{seed}-{n}"))
                line = f"backup {target}\n"
            os.write(write_fd, line.encode())
    except BaseException:
        os._exit(1)


def _run_and_kill(data: Path, work: str, hearing_id: str, case_id: str, seed: int) -> list[list[str]]:
    # SQLite connections must not cross a fork: the parent holds none open when it forks.
    gc.collect()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(data, work, hearing_id, case_id, write_fd, seed)
        os._exit(0)
    os.close(write_fd)
    deadline = time.monotonic() + random.Random(seed).uniform(0.05, 0.6)
    received = b""
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            received += chunk
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        received += chunk
    os.close(read_fd)
    # Only complete lines count: a line cut by the kill was never fully reported.
    return [line.split() for line in received.decode().split("\n")[:-1] if line]


def _check(data: Path, reported: dict[str, set[str]]) -> None:
    db = data / "caseapp.sqlite3"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = {row[0] for row in conn.execute("SELECT id FROM hearing_notes")}
        exhibits = {row[0] for row in conn.execute("SELECT id FROM evidence")}
        files = {row[0] for row in conn.execute("SELECT sha256 FROM stored_files")}
        # No half-written rows: every exhibit with a file points at a stored file row, every note has text.
        assert (
            conn.execute(
                "SELECT count(*) FROM evidence e LEFT JOIN stored_files f ON e.file_id = f.id "
                "WHERE e.file_id IS NOT NULL AND f.id IS NULL"
            ).fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM hearing_notes WHERE text = '' OR text IS NULL").fetchone()[0] == 0
        events = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        rows = len(notes) + len(exhibits)
        assert events >= rows  # every row came with its history entry, in the same transaction
    hexed = lambda ids: {i.replace("-", "") for i in ids}  # noqa: E731 — SQLite keeps UUIDs as hex
    assert hexed(reported["note"]) <= notes
    assert hexed(reported["evidence"]) <= exhibits
    assert reported["sha256"] <= files
    for sha in reported["sha256"]:
        path = data / "evidence" / sha[:2] / sha[2:4] / sha
        assert path.is_file()
    for backup in reported["backup"]:
        with contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _check_recovered(data: Path) -> None:
    """After a fresh start, every file a record names is there, and no half-copied file or backup is left. Files
    copied in by a transaction that never committed stay (the store only grows; `evidence verify` lists them)."""
    core = open_core(data_dir=data)
    try:
        with contextlib.closing(sqlite3.connect(data / "caseapp.sqlite3")) as conn:
            referenced = {row[0] for row in conn.execute("SELECT sha256 FROM stored_files")}
        on_disk = {p.name for p in core.db.files.stored_files()}
        assert referenced <= on_disk, f"missing: {referenced - on_disk}"
        assert not list((data / "evidence" / "tmp").glob("*")) if (data / "evidence" / "tmp").exists() else True
        assert not list((data / "backups").glob("*.partial"))
    finally:
        core.close()


def test_killed_at_random_moments_nothing_is_lost_or_left_behind(data_dir: Path) -> None:
    setup = open_core(data_dir=data_dir)
    case = cases.create_case(setup, title="Crash test")
    hearing = hearings.add_hearing(setup, case.id, starts_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    setup.close()
    reported: dict[str, set[str]] = {"note": set(), "evidence": set(), "sha256": set(), "backup": set()}
    works = ["notes", "evidence", "backup"]
    rng = random.Random(20261128)
    kills_during_work = 0
    backups_confirmed = 0
    for iteration in range(ITERATIONS):
        work = works[iteration % len(works)]
        lines = _run_and_kill(data_dir, work, str(hearing.id), str(case.id), rng.randrange(1 << 30))
        for parts in lines:
            if parts[0] == "note":
                reported["note"].add(parts[1])
            elif parts[0] == "evidence":
                reported["evidence"].add(parts[1])
                reported["sha256"].add(parts[2])
            elif parts[0] == "backup":
                reported["backup"].add(parts[1])
                backups_confirmed += 1
        kills_during_work += 1
        _check(data_dir, reported)
        if iteration % 10 == 9:
            _check_recovered(data_dir)
        for source in data_dir.parent.glob("source-*.bin"):
            source.unlink()
        for backup in list((data_dir / "backups").glob("crash-*.sqlite3"))[:-3]:
            reported["backup"].discard(str(backup))
            backup.unlink()
    _check_recovered(data_dir)
    assert len(reported["note"]) > 0 and len(reported["evidence"]) > 0 and len(reported["backup"]) > 0
    assert kills_during_work == ITERATIONS
    with contextlib.closing(sqlite3.connect(data_dir / "caseapp.sqlite3")) as conn:
        found_notes = conn.execute("SELECT count(*) FROM hearing_notes").fetchone()[0]
        found_exhibits = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    print(
        f"\ncrash harness: {ITERATIONS} runs, {kills_during_work} SIGKILLs; confirmed before the kill: "
        f"{len(reported['note'])} notes, {len(reported['evidence'])} exhibits, {backups_confirmed} backups; "
        f"found after: {found_notes} notes, {found_exhibits} exhibits (a few more than confirmed: committed "
        "just before the kill, not yet reported), integrity ok, no orphan file"
    )
    shutil.rmtree(data_dir / "backups", ignore_errors=True)


def test_a_crash_never_removes_a_stored_file_the_open_database_does_not_name(data_dir: Path) -> None:
    """The store serves other databases too (a restored backup, the file a restore set aside, a team server):
    recovery after a crash removes half-copied intake files, never a stored file."""
    from caseapp.store.recovery import recover

    core = open_core(data_dir=data_dir)
    try:
        other = core.db.files.root / "ab" / "cd" / ("abcd" + "0" * 60)
        other.parent.mkdir(parents=True)
        other.write_bytes(b"an exhibit of another database")
        (core.db.files.tmp_dir).mkdir(parents=True, exist_ok=True)
        half = core.db.files.tmp_dir / "intake-123"
        half.write_bytes(b"half a copy")
        (data_dir / "run" / "999999999-0.open").touch()  # a run that died
        result = recover(data_dir, core.db.engine, core.db.files)
        assert result.crashed_runs == 1 and result.leftovers_removed == 1
        assert other.exists() and not half.exists()
    finally:
        core.close()
