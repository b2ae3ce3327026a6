"""Opening the database: its settings, a file that is not a database, a folder that cannot be written, backups."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from caseapp.casefile.core import Core, open_core
from caseapp.errors import StorageError
from caseapp.services import cases
from caseapp.store.backup import backup_sqlite

pytestmark = pytest.mark.sqlite_only


def test_sqlite_is_set_up_for_safety(core: Core) -> None:
    with core.db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_data_dir_moves_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("CASEAPP_DB_URL", raising=False)
    core = open_core()
    cases.create_case(core, title="Ici")
    core.close()
    assert (tmp_path / "elsewhere" / "caseapp.sqlite3").is_file()


def test_db_url_selects_another_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "team.sqlite3"
    monkeypatch.setenv("CASEAPP_DB_URL", f"sqlite:///{target}")
    core = open_core(data_dir=tmp_path / "data")
    cases.create_case(core, title="Partagé")
    core.close()
    assert target.is_file() and not (tmp_path / "data" / "caseapp.sqlite3").exists()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "caseapp.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a CaseApp database"):
        open_core(data_dir=tmp_path)
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="cannot be written"):
            open_core(data_dir=locked)
    finally:
        locked.chmod(0o700)


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """Works for root too: a data folder path that is a regular file cannot hold a database."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="cannot be written"):
        open_core(data_dir=blocker)


def test_backup_is_a_consistent_copy(core: Core, tmp_path: Path) -> None:
    cases.create_case(core, title="À sauvegarder")
    assert core.db.sqlite_path is not None
    written = backup_sqlite(core.db.sqlite_path, tmp_path / "backup.sqlite3")
    with sqlite3.connect(written) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT title FROM cases").fetchall() == [("À sauvegarder",)]
    assert not list(tmp_path.glob("*.partial"))


def test_backup_to_an_impossible_place_says_so(core: Core, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert core.db.sqlite_path is not None
    with pytest.raises(StorageError, match="could not be written"):
        backup_sqlite(core.db.sqlite_path, blocker / "sub" / "backup.sqlite3")


def test_opening_the_case_file_again_keeps_the_locks_of_the_connections_already_open(tmp_path: Path) -> None:
    """Reading the file to check it is a database must not drop this process's locks (POSIX drops them all when
    any handle on the file closes): another process would then take itself for the last one, checkpoint and
    delete the write-ahead log under connections that are still open."""
    import subprocess
    import sys

    folder = tmp_path / "data"
    first = open_core(data_dir=folder, author="Me A")
    try:
        cases.create_case(first, title="Recours contre l'arrêté")
        again = open_core(data_dir=folder, author="Me B")  # a second opening in the same process
        again.close()
        database = folder / "caseapp.sqlite3"
        script = (
            f"import sqlite3; c = sqlite3.connect({str(database)!r}); "
            "c.execute('SELECT count(*) FROM cases').fetchall(); c.close()"
        )
        subprocess.run([sys.executable, "-c", script], check=True)
        assert (folder / "caseapp.sqlite3-wal").exists()  # the other process knew it was not the last
        cases.create_case(first, title="Référé-liberté")
        assert sorted(c.title for c in cases.list_cases(first)) == ["Recours contre l'arrêté", "Référé-liberté"]
    finally:
        first.close()


def test_a_data_folder_whose_name_holds_uri_characters_opens(tmp_path: Path) -> None:
    folder = tmp_path / "Dossiers #2 ?urgent 100%"
    core = open_core(data_dir=folder, author="Me A")
    try:
        cases.create_case(core, title="Une affaire")
    finally:
        core.close()
    reopened = open_core(data_dir=folder, author="Me A")  # checks the existing file, backs it up
    try:
        assert [c.title for c in cases.list_cases(reopened)] == ["Une affaire"]
    finally:
        reopened.close()


def test_an_identifier_is_read_back_as_uuid_reads_it_and_a_damaged_one_is_refused_as_before(core: Core) -> None:
    """Identifiers are read on SQLite without ``uuid.UUID``'s handling of every written form (the case list reads
    18,000 of them): what a case file holds, and what a hand-edited or hostile one may hold, reads as before."""
    import uuid

    from caseapp.store.types import uuid_from_text

    some = uuid.uuid4()
    for stored in (some.hex, some.hex.upper(), "0" * 32, "f" * 32):
        read, expected = uuid_from_text(stored), uuid.UUID(stored)
        assert read == expected and hash(read) == hash(expected) and str(read) == str(expected)
        assert read.is_safe == expected.is_safe and read.version == expected.version
    for written in (str(some), "{" + str(some) + "}", "urn:uuid:" + str(some)):  # forms an older tool may have left
        assert uuid_from_text(written) == some
    for damaged in ("-" + "1" * 31, "g" * 32, "1" * 31, "1" * 33, " " + "1" * 31, "", "１" * 32):
        try:
            expected: object = uuid.UUID(damaged)
        except ValueError:
            expected = ValueError
        if expected is ValueError:
            with pytest.raises(ValueError):
                uuid_from_text(damaged)
        else:
            assert uuid_from_text(damaged) == expected
    assert uuid_from_text(None) is None

    # through the database: a case whose identifier was written as SQLite holds it reads back equal
    from caseapp.services.reads import list_cases

    created = cases.create_case(core, title="Lecture des identifiants").id
    with core.db.engine.begin() as connection:
        stored = connection.execute(text("SELECT id FROM cases")).scalar_one()
    assert stored == created.hex
    assert [row.id for row in list_cases(core)] == [created]
