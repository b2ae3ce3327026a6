"""Owner-only at rest: the data folder is 0700 and its files 0600 (older ones tightened), and the log file never
holds a statement's parameters, a note's text or a password. The tests run as root: modes are read with ``stat``,
never inferred from an access being refused."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseapp import config
from caseapp.cli import main
from caseapp.logs import LOG_FILE, LOG_FOLDER, Private, Scrubber, hide_passwords, install_log_file, scrub

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

NOTE = "Le témoin confirme que la caméra filmait la cour du lycée Ampère dès 7h45"
PASSWORD = "s3cr3t-Passw0rd-for-the-team"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Tests that set the process umask give the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def old_version_folder(folder: Path) -> Path:
    """A data folder as older versions left it: 0755 folders and 0644 files."""
    for sub in ("evidence/ab", "backups", "run"):
        (folder / sub).mkdir(parents=True)
    (folder / "caseapp.sqlite3").write_bytes(b"")
    (folder / "settings.json").write_text("{}")
    (folder / "backups" / "daily-1.sqlite3").write_bytes(b"x")
    (folder / "evidence" / "ab" / "abcdef").write_bytes(b"exhibit")
    (folder / "caseapp-ui.log").write_text("old log\n")
    (folder / "script").write_text("#!/bin/sh\n")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() or path.name == "script" else 0o644)
    (folder / "evidence" / "ab" / "abcdef").chmod(0o444)  # evidence kept read-only
    return folder


def test_secure_process_sets_an_owner_only_umask(umask: None, tmp_path: Path) -> None:
    config.secure_process()
    current = os.umask(0o077)
    assert current == 0o077
    (tmp_path / "new").write_text("x")
    (tmp_path / "dir").mkdir()
    assert mode(tmp_path / "new") == 0o600 and mode(tmp_path / "dir") == 0o700


def test_a_new_data_folder_is_created_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "data"
    assert config.make_private(folder) == []
    assert mode(folder) == 0o700


def test_an_older_data_folder_is_tightened_never_loosened(tmp_path: Path) -> None:
    folder = old_version_folder(tmp_path / "data")
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours to change")
    outside.chmod(0o644)
    (folder / "link").symlink_to(outside)
    (folder / "private").write_text("already right")
    (folder / "private").chmod(0o400)

    assert config.make_private(folder) == []  # nothing to say when all went well
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        assert mode(path) & 0o077 == 0, path
    assert mode(folder) == mode(folder / "evidence" / "ab") == mode(folder / "backups") == 0o700
    assert mode(folder / "caseapp.sqlite3") == mode(folder / "backups" / "daily-1.sqlite3") == 0o600
    assert mode(folder / "script") == 0o600
    assert mode(folder / "evidence" / "ab" / "abcdef") == 0o400  # stays read-only: tightened, not loosened
    assert mode(folder / "private") == 0o400
    assert mode(outside) == 0o644  # links are not followed


def test_a_folder_of_another_account_is_left_alone_with_a_warning(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another account needs root")
    theirs = old_version_folder(tmp_path / "theirs")
    os.chown(theirs, 54321, 54321)
    warnings = config.make_private(theirs)
    assert len(warnings) == 1 and "another account" in warnings[0] and str(theirs) in warnings[0]
    assert mode(theirs) == 0o755 and mode(theirs / "settings.json") == 0o644

    mixed = old_version_folder(tmp_path / "mixed")
    os.chown(mixed / "settings.json", 54321, 54321)
    warnings = config.make_private(mixed)
    assert len(warnings) == 1 and "settings.json" in warnings[0]
    assert mode(mixed / "settings.json") == 0o644 and mode(mixed / "caseapp.sqlite3") == 0o600


def test_the_command_line_makes_the_data_folder_private_and_writes_owner_only(umask: None, tmp_path: Path) -> None:
    folder = old_version_folder(tmp_path / "data")
    (folder / "caseapp.sqlite3").unlink()
    os.umask(0o022)  # what a login shell usually gives
    assert main(["--data-dir", str(folder), "demo"]) == 0
    assert main(["--data-dir", str(folder), "backup"]) == 0
    everything = [folder, *folder.rglob("*")]
    assert len(everything) > 10
    loose = [str(path) for path in everything if not path.is_symlink() and mode(path) & 0o077]
    assert loose == []
    assert mode(folder / "caseapp.sqlite3") == 0o600


# --- the log ----------------------------------------------------------------------------------------------------


def integrity_error() -> sa.exc.IntegrityError:
    """A real SQLAlchemy error whose parameters hold a hearing note's text."""
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)"))
        connection.execute(sa.text("INSERT INTO note (id, body) VALUES (1, :body)"), {"body": NOTE})
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO note (id, body) VALUES (2, :body)"), {"body": NOTE})
    except sa.exc.IntegrityError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the insert should have failed")


def test_scrub_drops_parameters_row_values_and_passwords() -> None:
    error = str(integrity_error())
    assert NOTE in error and "[parameters:" in error  # what used to reach the log
    cleaned = scrub(error)
    assert NOTE not in cleaned
    assert "INSERT INTO note" in cleaned  # the statement stays, with its placeholders
    postgres = (
        'duplicate key value violates unique constraint "note_body_key"\n'
        f"DETAIL:  Key (body)=({NOTE}) already exists.\n"
        f"Failing row contains (2, {NOTE})."
    )
    assert NOTE not in scrub(postgres) and "note_body_key" in scrub(postgres)
    address = f"postgresql+psycopg://lawyer:{PASSWORD}@db.example:5432/caseapp"
    assert hide_passwords(address) == "postgresql+psycopg://lawyer:***@db.example:5432/caseapp"
    assert PASSWORD not in scrub(f"cannot open {address}")
    assert "postgresql://lawyer@db.example/caseapp" in scrub("postgresql://lawyer@db.example/caseapp")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[tuple[Path, logging.Handler]]:
    folder = tmp_path / "data"
    levels = {name: logging.getLogger(name).level for name in ("caseapp", "ui")}
    handler = install_log_file(folder)
    yield folder / LOG_FOLDER / LOG_FILE, handler
    logging.getLogger().removeHandler(handler)
    handler.close()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_the_log_file_never_holds_parameters_or_note_text(log_file: tuple[Path, logging.Handler]) -> None:
    path, handler = log_file
    log = logging.getLogger("caseapp.services.hearings")
    try:
        raise integrity_error()
    except sa.exc.IntegrityError:
        log.exception("The note could not be saved")
    log.warning("Saving failed: %s", integrity_error())
    log.info("Note %s saved: %s", 42, Private(NOTE))
    log.info("Keyword form: %(text)s", {"text": Private(NOTE)})
    log.info(f"Formatted early: {Private(NOTE)}")
    logging.getLogger("sqlalchemy.engine.Engine").warning("[generated in 0.0001s] %r", (NOTE, 2))
    log.info("Opening %s", f"postgresql://lawyer:{PASSWORD}@db.example/caseapp")
    handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "The note could not be saved" in text and "Traceback" in text and "INSERT INTO note" in text
    assert "Note 42 saved" in text and "hidden:" in text
    assert NOTE not in text and PASSWORD not in text


def test_the_log_file_is_owner_only_rotated_and_installed_once(
    umask: None, tmp_path: Path, log_file: tuple[Path, logging.Handler]
) -> None:
    path, handler = log_file
    os.umask(0o022)
    assert install_log_file(tmp_path / "data") is handler
    assert mode(path.parent) == 0o700 and mode(path) == 0o600
    assert Scrubber in {type(f) for f in handler.filters}
    handler.maxBytes = 200  # type: ignore[attr-defined]
    for number in range(20):
        logging.getLogger("caseapp").warning("line %s of a long enough message", number)
    rotated = sorted(path.parent.glob(LOG_FILE + ".*"))
    assert rotated and all(mode(old) == 0o600 for old in [path, *rotated])


def test_an_older_log_file_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "data" / LOG_FOLDER
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    (folder / LOG_FILE).write_text("older\n")
    (folder / LOG_FILE).chmod(0o644)
    levels = {name: logging.getLogger(name).level for name in ("caseapp", "ui")}
    handler = install_log_file(tmp_path / "data")
    try:
        assert mode(folder) == 0o700 and mode(folder / LOG_FILE) == 0o600
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
