"""Backups and restores, the same for the window and the command line.

A backup is a consistent copy of the local SQLite case file (SQLite's online backup API), checked with SQLite's
integrity check before it is moved into place. A restore checks the candidate first (a whole case file, a schema
this CaseApp knows), refuses while another CaseApp has the case file open, and keeps the file it replaces aside;
the evidence store is never touched by either.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from caseapp import config
from caseapp.casefile.core import Core
from caseapp.errors import StorageError
from caseapp.i18n import _
from caseapp.store.backup import backup_sqlite, check_backup, default_backup_path, restore_sqlite

_STAMP = re.compile(r"-(\d{8})-(\d{6})-\d+\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup in the data folder's ``backups`` folder: when it was taken, why (``kind``) and its size."""

    path: Path
    kind: str  # "daily", "before-migration", "manual"
    taken_at: datetime
    size: int


def _local_file(core: Core) -> Path:
    source = core.db.sqlite_path
    if source is None:
        raise StorageError(
            _("Backups from CaseApp are for the local SQLite database; back up a server with its own tools.")
        )
    return source


def back_up(core: Core, target: Path | None = None) -> Path:
    """Copy the case file to ``target`` (a file or a folder) or to the ``backups`` folder; return where."""
    source = _local_file(core)
    if target is None:
        target = default_backup_path(core.data_dir)
    return backup_sqlite(source, target)


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The backups in the data folder's ``backups`` folder, newest first (not checked: see ``check``)."""
    folder = data_dir / "backups"
    found: list[BackupInfo] = []
    for path in folder.glob("*.sqlite3") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            stat = path.stat()
            match = _STAMP.search(path.name)
            taken = (
                datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
                if match
                else datetime.fromtimestamp(stat.st_mtime)
            )
            kind = (
                "daily"
                if path.name.startswith("daily-")
                else ("before-migration" if path.name.startswith("before-migration-") else "manual")
            )
            found.append(BackupInfo(path, kind, taken, stat.st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def check(path: Path) -> str:
    """Check a backup without restoring it; return its schema revision (StorageError says what is wrong)."""
    return check_backup(path)


def restore(data_dir: Path | None, backup: Path) -> Path:
    """Put ``backup`` in place of the local case file of ``data_dir`` (the default folder when None), whatever
    state that file is in. Returns where the replaced file was kept. The case file must not be open."""
    folder = data_dir or config.data_dir()
    url = config.database_url(folder)
    if not url.startswith("sqlite:///"):
        raise StorageError(_("Restoring is for the local SQLite database; restore a server with its own tools."))
    return restore_sqlite(Path(backup).expanduser(), Path(url.removeprefix("sqlite:///")), folder)
