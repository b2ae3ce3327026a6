"""Putting things right after a process was killed: leftovers of copies and backups, and orphaned files.

Each process that opens a data folder leaves a marker ``run/<pid>.open`` and removes it when it closes. A
marker whose process is gone means that process died: then files in the evidence store that no database row
names (copied in, but the transaction never committed) are removed. While other CaseApp processes are alive,
only orphans older than ``GRACE`` are touched, so a copy in progress elsewhere is never pulled from under it.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from caseapp.store.files import EvidenceStore

GRACE = 600.0  # seconds
_serial = itertools.count()


@dataclass(frozen=True)
class Recovery:
    crashed_runs: int
    orphans_removed: int
    leftovers_removed: int


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_open(data_dir: Path) -> Path:
    """One marker per open database (a process may open the folder more than once)."""
    folder = data_dir / "run"
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"{os.getpid()}-{next(_serial)}.open"
    marker.touch()
    return marker


def mark_closed(marker: Path | None) -> None:
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.unlink()


def recover(data_dir: Path, engine: Engine, files: EvidenceStore, *, grace: float = GRACE) -> Recovery:
    """Clean up after crashed runs. Cheap when nothing crashed: it only lists the ``run`` folder."""
    from caseapp.store.models import StoredFile

    leftovers = files.clean_temporary()
    for partial in (data_dir / "backups").glob("*.partial"):
        with contextlib.suppress(OSError):
            partial.unlink()
            leftovers += 1
    folder = data_dir / "run"
    crashed, others_alive = [], False
    for marker in folder.glob("*.open") if folder.is_dir() else []:
        try:
            pid = int(marker.stem.split("-")[0])
        except ValueError:
            continue
        if _alive(pid):  # this process counts too: another of its open databases may be copying a file
            others_alive = True
        else:
            crashed.append(marker)
    removed = 0
    if crashed:
        with engine.connect() as connection:
            referenced = set(connection.execute(select(StoredFile.sha256)).scalars())
        cutoff = time.time() - grace if others_alive else float("inf")
        for path in files.stored_files():
            if path.name not in referenced:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
        for marker in crashed:
            with contextlib.suppress(OSError):
                marker.unlink()
    return Recovery(len(crashed), removed, leftovers)
