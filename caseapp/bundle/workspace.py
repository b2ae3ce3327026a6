"""The private staging folder (``<data folder>/staging``, mode 0700) where bundles are opened and checked.

Nothing from a bundle reaches the evidence store or the database before it has been checked here. Every import
or encrypted export works in its own sub-folder, removed when it ends; leftovers of a crashed run older than a
day are removed the next time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from caseapp.errors import StorageError
from caseapp.i18n import _

STAGING = "staging"
STALE_AFTER = 24 * 3600


def _private(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    return folder


def new_workspace(data_dir: Path, prefix: str) -> Path:
    """A new private folder under the staging folder."""
    try:
        root = _private(data_dir / STAGING)
        clean_stale(root)
        return Path(tempfile.mkdtemp(dir=root, prefix=prefix))
    except OSError as exc:
        raise StorageError(
            _("The staging folder in “{path}” cannot be written: {reason}.").format(path=data_dir, reason=exc)
        ) from exc


def remove(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def clean_stale(root: Path, *, older_than: float = STALE_AFTER) -> None:
    limit = time.time() - older_than
    for leftover in root.iterdir():
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < limit:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink()


def create_private_file(path: Path) -> int:
    """Open a new file (read-write) that nobody else can read, refusing to follow or replace anything."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o600)
