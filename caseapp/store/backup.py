"""Backups of the SQLite database with SQLite's online backup API (safe while the app is running)."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

from caseapp.errors import StorageError
from caseapp.i18n import _
from caseapp.store.files import fsync_folder, readonly_uri

log = logging.getLogger(__name__)


def default_backup_path(
    folder: Path, label: str = "caseapp", *, in_backups: bool = True, when: datetime | None = None
) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return (folder / "backups" if in_backups else folder) / f"{label}-{stamp}.sqlite3"


def backup_sqlite(source: Path, target: Path, *, anchors_dir: Path | None = None, reason: str = "by hand") -> Path:
    """Copy a live SQLite database to ``target`` page by page, check the copy, then move it into place. The head
    of the history is written into the copy (its ``app_state``) and to the anchor file of ``anchors_dir`` (the
    database's folder by default; see ``caseapp.store.anchors``). ``reason`` is for the log ("daily", "before
    migration", "by hand")."""
    from caseapp.store import anchors

    if target.is_dir():
        target = default_backup_path(target, in_backups=False)
    partial = target.with_name(target.name + ".partial")
    anchor = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(readonly_uri(source), uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                with contextlib.suppress(Exception):  # an anchor that cannot be written never stops a backup
                    anchor = anchors.embed_in_backup(dst, target.name, f"sqlite:{source.name}")
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
        log.warning("Backup (%s) of %s to %s failed: %s", reason, source, target, exc)
        raise StorageError(
            _("The backup could not be written to “{path}”: {reason}.").format(path=target, reason=exc)
        ) from exc
    if anchor is not None:
        with contextlib.suppress(OSError):
            anchors.append(anchors_dir or source.parent, anchor)
    log.info("Backup (%s) of %s written to %s", reason, source, target)
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
    written = backup_sqlite(
        source, default_backup_path(data_dir, DAILY_PREFIX, when=now), anchors_dir=data_dir, reason="daily"
    )
    rotate(folder, DAILY_PREFIX, KEEP_DAILY)
    return written


# The tables every CaseApp database has had since its first schema: a file without them is not a case file.
REQUIRED_TABLES = frozenset(
    {
        "alembic_version", "audit_events", "cases", "opinions", "parties", "search_entries", "stored_files",
        "access_requests", "case_parties", "case_tags", "filings", "hearings", "opinion_cases",
        "access_request_steps", "deadlines", "evidence", "hearing_notes",
    }
)  # fmt: skip


def check_backup(path: Path) -> str:
    """Open a backup read-only and check it: SQLite's integrity check, every table of a case file, a schema
    revision this CaseApp knows. Returns the revision; raises StorageError (saying why) if unusable."""
    from caseapp.store import migrate

    if not path.is_file():
        raise StorageError(_("“{path}” is not a file.").format(path=path))
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
            missing = REQUIRED_TABLES - tables
            if missing:
                raise StorageError(
                    _("“{path}” is an SQLite file but not a CaseApp backup (it lacks {tables}).").format(
                        path=path, tables=", ".join(sorted(missing)[:4])
                    )
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(_("The backup “{path}” cannot be read: {reason}.").format(path=path, reason=exc)) from exc
    revision = row[0] if row else None
    if revision not in migrate.known_revisions():
        raise StorageError(
            _(
                "The backup “{path}” was written by a newer or unknown version of CaseApp (schema {revision}); "
                "nothing was changed."
            ).format(path=path, revision=revision)
        )
    return str(revision)


def newest_good_backup(data_dir: Path) -> Path | None:
    """The newest backup in ``backups/`` that passes ``check_backup`` (checked newest first, stopping at the first
    good one), or None."""
    folder = data_dir / "backups"
    candidates = (
        sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
    )
    for candidate in candidates:
        try:
            check_backup(candidate)
        except StorageError:
            continue
        return candidate
    return None


def damaged(data_dir: Path, database: Path | str, reason: object) -> StorageError:
    """The message for a database that cannot be used because it is damaged: what happened, the newest good
    backup and the command that puts it back. The damaged file is never touched."""
    backup = newest_good_backup(data_dir)
    log.warning(
        "Damaged database found: %s (%s); newest good backup: %s",
        database,
        str(reason).splitlines()[0][:200] if str(reason) else "",
        backup or "none",
    )
    if backup is None:
        text = _(
            "The database “{path}” is damaged ({reason}) and no good backup was found in “{folder}”. It was left "
            "untouched: keep a copy of it before anything else."
        ).format(path=database, reason=str(reason).splitlines()[0][:200], folder=data_dir / "backups")
    else:
        text = _(
            "The database “{path}” is damaged ({reason}). It was left untouched. The newest good backup is “{backup}”: "
            "put it back with: caseapp restore “{backup}”"
        ).format(path=database, reason=str(reason).splitlines()[0][:200], backup=backup)
    error = StorageError(text)
    error.backup = backup  # type: ignore[attr-defined]
    return error


def looks_damaged(error: BaseException) -> bool:
    """Whether a database error says the file itself is damaged (not busy, not read-only)."""
    text = str(getattr(error, "orig", error)).lower()
    return any(
        words in text
        for words in (
            "malformed",
            "not a database",
            "disk image",
            "file is encrypted",
            "database corrupt",
            "short read",
        )
    )


def restore_sqlite(backup: Path, target: Path, data_dir: Path | None = None) -> Path:
    """Put a checked backup in place of the database, whatever state the database is in; the current file (with
    its write-ahead log) is kept aside, never deleted. Returns where it was kept.

    Refuses while another CaseApp process has the case file open (its writes would go to the file set aside),
    and holds the database's write lock while it works when the database can still be opened."""
    from caseapp.store.recovery import open_elsewhere

    folder = data_dir or target.parent
    check_backup(backup)

    def refuse_if_open() -> None:
        others = open_elsewhere(folder)
        if others:
            raise StorageError(
                _(
                    "CaseApp has this case file open in another program (process {pids}): close it, then restore. "
                    "Nothing was changed."
                ).format(pids=", ".join(str(pid) for pid in others))
            )

    refuse_if_open()
    from caseapp.store import anchors

    before = None  # the head of the history being replaced, for the anchor file's record of the restore
    if target.is_file() and target.stat().st_size > 0:
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(readonly_uri(target), uri=True)) as current,
        ):
            before = anchors.sqlite_head(current)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = target.with_name(f"{target.name}.replaced-{stamp}")
    partial = target.with_name(target.name + ".restoring")
    if target.exists() and target.is_file() and target.stat().st_size > 0:
        _quiesce(target)
    try:
        with (
            contextlib.closing(sqlite3.connect(readonly_uri(backup), uri=True)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("the copy of the backup does not pass SQLite's integrity check")
            dst.execute("PRAGMA journal_mode = DELETE")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        refuse_if_open()
        if target.exists():
            os.replace(target, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
        os.replace(partial, target)
        fsync_folder(target.parent)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        log.warning("Restoring backup %s to %s failed: %s", backup, target, exc)
        raise StorageError(_("The backup could not be restored: {reason}.").format(reason=exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    anchors.record_restore(folder, target, before, backup.name)  # the rewind, signed: later checks expect it
    log.info("Backup %s restored to %s; the database it replaced is kept as %s", backup, target, aside)
    return aside


def _quiesce(target: Path) -> None:
    """Take the write lock of a database that can still be opened and fold its write-ahead log in, so the file
    set aside is whole by itself; a damaged database is left as it is (its log is set aside with it)."""
    try:
        with contextlib.closing(sqlite3.connect(target, timeout=2.0)) as conn:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise StorageError(
                _("The database is in use by another program: close it and try again. Nothing was changed.")
            ) from exc
    except sqlite3.DatabaseError:
        pass  # damaged: nothing to fold in safely, the file and its log are kept aside as they are
