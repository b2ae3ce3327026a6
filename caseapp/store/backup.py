"""Backups of the SQLite database with SQLite's online backup API (safe while the app is running)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from caseapp.errors import StorageError
from caseapp.i18n import _


def default_backup_path(folder: Path, label: str = "caseapp", *, in_backups: bool = True) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return (folder / "backups" if in_backups else folder) / f"{label}-{stamp}.sqlite3"


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database to ``target`` page by page, check the copy, then move it into place."""
    if target.is_dir():
        target = default_backup_path(target, in_backups=False)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
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
