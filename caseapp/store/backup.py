"""Backups of the SQLite database with SQLite's online backup API (safe while the app is running)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from caseapp.errors import StorageError
from caseapp.i18n import _


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only, whatever characters the path holds ("#", "?", spaces…)."""
    return f"{path.resolve().as_uri()}?mode=ro"


def default_backup_path(
    folder: Path, label: str = "caseapp", *, in_backups: bool = True, when: datetime | None = None
) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return (folder / "backups" if in_backups else folder) / f"{label}-{stamp}.sqlite3"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database to ``target`` page by page, check the copy, then move it into place."""
    if target.is_dir():
        target = default_backup_path(target, in_backups=False)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(readonly_uri(source), uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"integrity check: {verdict}")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(
            _("The backup could not be written to “{path}”: {reason}.").format(path=target, reason=exc)
        ) from exc
    return target


DAILY_PREFIX = "daily"
KEEP_DAILY = 14
KEEP_BEFORE_MIGRATION = 5


def rotate(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete the oldest backups named ``prefix-*`` beyond the newest ``keep``. Returns what was removed."""
    backups = sorted(folder.glob(f"{prefix}-*.sqlite3"))
    removed = backups[:-keep] if len(backups) > keep else []
    for old in removed:
        with contextlib.suppress(OSError):
            old.unlink()
    return removed


def daily_backup(source: Path, data_dir: Path, *, today: datetime | None = None) -> Path | None:
    """Take the day's automatic backup if there is none yet (first start of the day); keep two weeks of them."""
    if not source.exists() or source.stat().st_size == 0:
        return None
    folder = data_dir / "backups"
    now = today or datetime.now()
    if any(folder.glob(f"{DAILY_PREFIX}-{now:%Y%m%d}-*.sqlite3")):
        return None
    written = backup_sqlite(source, default_backup_path(data_dir, DAILY_PREFIX, when=now))
    rotate(folder, DAILY_PREFIX, KEEP_DAILY)
    return written


def check_backup(path: Path) -> str | None:
    """Open a backup read-only and check it; return its schema revision. Raises StorageError if unusable."""
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise StorageError(
            _("The backup “{path}” cannot be read: {reason}.").format(path=path, reason=exc.strerror)
        ) from exc
    if header != b"SQLite format 3\x00":
        raise StorageError(_("“{path}” is not a CaseApp backup (it is not an SQLite file).").format(path=path))
    try:
        with contextlib.closing(sqlite3.connect(readonly_uri(path), uri=True)) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StorageError(_("The backup “{path}” is damaged: {verdict}.").format(path=path, verdict=verdict))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "cases" not in tables or "alembic_version" not in tables:
                raise StorageError(_("“{path}” is an SQLite file but not a CaseApp backup.").format(path=path))
            return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise StorageError(_("The backup “{path}” cannot be read: {reason}.").format(path=path, reason=exc)) from exc


def restore_sqlite(backup: Path, target: Path) -> Path:
    """Put a checked backup in place of the database; the current file is kept aside, never deleted.

    Returns where the replaced database was kept. Refuses while another program holds the database.
    """
    from caseapp.store import migrate

    revision = check_backup(backup)
    if revision not in migrate.known_revisions():
        raise StorageError(
            _("The backup was written by a newer version of CaseApp (schema {revision}); nothing was changed.").format(
                revision=revision
            )
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.replaced-{stamp}")
    partial = target.with_name(target.name + ".restoring")
    if target.exists():
        # Folding the write-ahead log into the file needs the database to ourselves: refuse if CaseApp is open.
        try:
            with contextlib.closing(sqlite3.connect(target, timeout=0.5)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("BEGIN EXCLUSIVE")
                conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise StorageError(_("The database is in use (is CaseApp open?). Close it and try again.")) from exc
    try:
        with (
            contextlib.closing(sqlite3.connect(readonly_uri(backup), uri=True)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            os.replace(target, aside)
            for suffix in ("-wal", "-shm"):
                side = target.with_name(target.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StorageError(_("The backup could not be restored: {reason}.").format(reason=exc)) from exc
    return aside
