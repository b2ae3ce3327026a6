"""The log a support person reads: backups, restores, recoveries after a crash, migrations, bundles refused, a
damaged database — in the data folder, for the command line too, and never a note's text or a statement's
values."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.config import DB_FILE
from caseapp.logs import LOG_FILE, LOG_FOLDER, install_log_file, one_line

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log(tmp_path: Path) -> Iterator[Path]:
    """This process logs to a file of its own for the test; the text written is read with ``read()``."""
    levels = {name: logging.getLogger(name).level for name in ("caseapp", "ui")}
    handler = install_log_file(tmp_path / "logged")
    yield tmp_path / "logged" / LOG_FOLDER / LOG_FILE
    logging.getLogger().removeHandler(handler)
    handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_backups_restores_recoveries_and_damage_are_logged(log: Path, data_dir: Path) -> None:
    from caseapp.store.backup import backup_sqlite, daily_backup, damaged, restore_sqlite
    from caseapp.store.files import EvidenceStore
    from caseapp.store.recovery import recover

    database = data_dir / DB_FILE
    daily = daily_backup(database, data_dir)
    assert daily is not None
    by_hand = backup_sqlite(database, data_dir / "mine.sqlite3")
    aside = restore_sqlite(by_hand, database, data_dir)
    (data_dir / "run").mkdir(exist_ok=True)
    (data_dir / "run" / f"{_dead_pid()}-0.open").touch()  # a run that was killed
    recover(data_dir, None, EvidenceStore(data_dir / "evidence"))  # type: ignore[arg-type]
    damaged(data_dir, database, "database disk image is malformed\nand more")
    text = read(log)
    assert f"Backup (daily) of {database} written to {daily}" in text
    assert f"Backup (by hand) of {database} written to {by_hand}" in text
    assert f"Backup {by_hand} restored to {database}; the database it replaced is kept as {aside}" in text
    assert "1 run(s) had ended without closing the case file" in text
    assert f"Damaged database found: {database} (database disk image is malformed); newest good backup:" in text
    assert "and more" not in text


def test_a_failed_backup_is_logged(log: Path, tmp_path: Path) -> None:
    from caseapp.errors import StorageError
    from caseapp.store.backup import backup_sqlite

    with pytest.raises(StorageError):
        backup_sqlite(tmp_path / "missing.sqlite3", tmp_path / "out.sqlite3", reason="daily")
    assert "WARNING caseapp.store.backup: Backup (daily) of" in read(log)


def test_a_migration_is_logged(log: Path, tmp_path: Path) -> None:
    from caseapp.store.database import open_database

    folder = tmp_path / "new"
    open_database(data_dir=folder, url=f"sqlite:///{folder / DB_FILE}").close()
    text = read(log)
    assert "Migrating the database sqlite:///" in text and "(none: a new case file)" in text
    assert "Database migrated to schema" in text


def test_a_refused_bundle_is_logged_with_its_reason_and_nothing_of_its_content(log: Path, core: object) -> None:
    from caseapp.bundle.importer import inspect_bundle
    from caseapp.errors import BundleError
    from caseapp.identity.keys import MemoryKeyStore

    hostile = Path(str(core.data_dir)).parent / "evil\nforged line.casebundle"  # type: ignore[attr-defined]
    hostile.write_bytes(b"PK\x03\x04 not really a zip: NOTE-TEXT-NEVER-LOGGED")
    with pytest.raises(BundleError) as refused:
        inspect_bundle(core, hostile, keystore=MemoryKeyStore())  # type: ignore[arg-type]
    text = read(log)
    assert f"Bundle evil forged line.casebundle refused: {one_line(refused.value.message)}" in text
    assert "NOTE-TEXT-NEVER-LOGGED" not in text and "\nforged line" not in text


def test_the_command_line_logs_to_the_data_folder(data_dir: Path, tmp_path: Path) -> None:
    env = os.environ | {"CASEAPP_DATA_DIR": str(data_dir), "CASEAPP_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "caseapp.cli", "backup", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = data_dir / LOG_FOLDER / LOG_FILE
    text = path.read_text(encoding="utf-8")
    assert "INFO caseapp.store.backup: Backup (daily)" in text  # the first start of the day
    assert "INFO caseapp.store.backup: Backup (by hand)" in text
    assert path.stat().st_mode & 0o077 == 0
    shutil.rmtree(data_dir / LOG_FOLDER)


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1
