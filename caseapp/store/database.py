"""Opening a CaseApp database: check the data folder and the file, back up, migrate, hand out sessions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from caseapp import config
from caseapp.errors import StorageError
from caseapp.i18n import _
from caseapp.logs import log_to_data_folder
from caseapp.store import migrate
from caseapp.store.backup import (
    KEEP_BEFORE_MIGRATION,
    backup_sqlite,
    damaged,
    default_backup_path,
    looks_damaged,
    newest_good_backup,
    readonly_uri,
    rotate,
)
from caseapp.store.backup import daily_backup as take_daily_backup
from caseapp.store.engine import make_engine, make_sessionmaker
from caseapp.store.files import EvidenceStore
from caseapp.store.recovery import Recovery, mark_closed, mark_open, recover

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class Database:
    """An open case file: its engine, the data folder and its evidence store, what was cleaned up after crashed runs,
    and this run's marker in ``run/`` (None once closed)."""

    url: str
    engine: Engine
    data_dir: Path
    files: EvidenceStore
    recovery: Recovery | None = None
    marker: Path | None = None
    # What went wrong without stopping the work (a daily backup that could not be written): said to the person.
    warnings: list[str] = field(default_factory=list)

    # The sessions are made on first use: opening a database does not import the ORM, so the reads that need none
    # (``casefile.core_reads``: the commands that only read, the window's first agenda) never pay for it.
    @cached_property
    def reader(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine, writing=False)

    @cached_property
    def writer(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine, writing=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        if self.dialect != "sqlite":
            return None
        database = make_url(self.url).database
        return Path(database) if database and database != ":memory:" else None

    def close(self) -> None:
        from caseapp.store.anchors import on_close

        on_close(self)  # the head of the history, written beside the database (never fails)
        self.engine.dispose()
        mark_closed(self.marker)
        self.marker = None


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise StorageError(
            _(
                "The data folder “{path}” cannot be written: {reason}. Choose another folder with CASEAPP_DATA_DIR."
            ).format(path=folder, reason=exc.strerror or exc)
        ) from exc


def _check_sqlite_file(path: Path, folder: Path) -> None:
    """Refuse, untouched, a file that is not a usable SQLite database, naming the newest good backup when the
    folder has one (a case file that became unreadable is a damaged one). The file is read through SQLite, never
    opened directly: closing any other handle on a database drops every lock this process holds on it (POSIX),
    and a CaseApp in another process could then delete the write-ahead log under this one's open connections."""
    if not path.exists():
        return
    if path.is_dir():
        raise StorageError(_("“{path}” is a folder, not a CaseApp database.").format(path=path))
    if path.stat().st_size == 0:
        if newest_good_backup(folder) is not None:  # a case file that was emptied, not a new one
            raise damaged(folder, path, _("the file is empty"))
        return
    try:
        with contextlib.closing(sqlite3.connect(readonly_uri(path), uri=True)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:  # "file is not a database", and SQLITE_NOTADB's kin
        if newest_good_backup(folder) is not None or "not a database" not in str(exc):
            raise damaged(folder, path, exc) from exc
        raise StorageError(
            _("“{path}” is not a CaseApp database (it is not an SQLite file). It was left untouched.").format(path=path)
        ) from exc
    if not os.access(path, os.W_OK):
        raise StorageError(_("The database “{path}” is read-only.").format(path=path))


def _has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with contextlib.closing(sqlite3.connect(readonly_uri(path), uri=True)) as conn:
        tables: int = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        return tables > 0


def password_when_asked(engine: Engine, url: str) -> None:
    """Connect to a server without a password first, as ``psql`` does, and look one up (the keyring, or a prompt)
    only if the server asks for it: a server that authenticates otherwise (trust, peer, certificates) costs no
    keyring lookup — 0.4 s of every command on a machine whose keyring answers slowly — and a server that wants
    one costs one refused attempt. The password found is kept for the engine's later connections."""
    found: list[str] = []

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        if found:
            cparams["password"] = found[0]
            return None  # the dialect connects with it
        try:
            return dialect.loaded_dbapi.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as exc:
            if "password" not in str(exc).lower():
                raise
            secret = config.password_for(url)
            if not secret:
                raise
        found.append(secret)
        cparams["password"] = secret
        return None


def open_database(
    *,
    data_dir: Path | None = None,
    url: str | None = None,
    upgrade: bool = True,
    check_schema: bool = True,
    daily_backup: bool = False,
) -> Database:
    """Open (creating and migrating as needed) the database CaseApp works on."""
    folder = data_dir or config.data_dir()
    _check_writable(folder)
    log_to_data_folder(folder)  # the command line's log (the window has installed its own): once per process
    chosen = url is None  # the settings' or CASEAPP_DB_URL's: its password, if any, is looked up when asked for
    url = url or config.database_url(folder, keyring=False)
    parsed = make_url(url)
    sqlite_file: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        sqlite_file = Path(parsed.database)
        _check_sqlite_file(sqlite_file, folder)
    engine = make_engine(url)
    if chosen and sqlite_file is None and parsed.get_backend_name() != "sqlite" and not parsed.password:
        password_when_asked(engine, url)
    warnings: list[str] = []
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if upgrade:

            def backup_first(current: str | None) -> None:
                if sqlite_file is not None and current is not None and _has_tables(sqlite_file):
                    backup_sqlite(
                        sqlite_file,
                        default_backup_path(folder, f"before-migration-{current}"),
                        reason="before migration",
                    )
                    rotate(folder / "backups", f"before-migration-{current}", KEEP_BEFORE_MIGRATION)

            if daily_backup and sqlite_file is not None and _has_tables(sqlite_file):
                try:
                    take_daily_backup(sqlite_file, folder)
                except StorageError as exc:  # a full disk must not stop anyone from reading their cases
                    warnings.append(
                        _("Today's backup could not be written: {reason} Your cases can still be read.").format(
                            reason=exc.message
                        )
                    )

            migrate.upgrade(engine, before=backup_first)
        elif check_schema and migrate.current_revision(engine) != migrate.head_revision():
            raise StorageError(_("The database needs an upgrade: run “caseapp db upgrade”."))
    except StorageError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        if sqlite_file is not None and looks_damaged(exc):
            raise damaged(folder, sqlite_file, getattr(exc, "orig", exc)) from exc
        if sqlite_file is None and "password" in str(exc).lower() and not parsed.password:
            raise StorageError(config.password_help(url)) from exc
        raise StorageError(
            _("The database at “{url}” cannot be opened: {reason}").format(
                url=parsed.render_as_string(hide_password=True), reason=str(exc).splitlines()[0]
            )
        ) from exc
    files = EvidenceStore(folder / "evidence")
    recovery = recover(folder, engine, files)
    return Database(
        recovery=recovery,
        marker=mark_open(folder),
        url=url,
        engine=engine,
        data_dir=folder,
        files=files,
        warnings=warnings,
    )
