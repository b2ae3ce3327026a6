"""Putting things right after a process was killed: leftovers of copies and backups.

Each process that opens a data folder leaves a marker ``run/<pid>.open`` and removes it when it closes. A
marker whose process is gone means that process died: its half-copied intake files and half-written backups
are removed. Files in the evidence store are never removed here, even when the database open now names none of
them: the same store serves a restored backup, the team's server and the file set aside by a restore, and a file
one database does not name may be the only copy of another's exhibit. ``caseapp evidence verify`` lists the
files no record names; only ``caseapp evidence prune`` removes them, by name, when the person asks.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from caseapp.store.files import EvidenceStore

_serial = itertools.count()


@dataclass(frozen=True)
class Recovery:
    """What opening the data folder put right: the runs that had ended without closing it, and the leftover files
    (half-copied intakes, half-written backups) removed."""

    crashed_runs: int
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


def recover(data_dir: Path, engine: Engine, files: EvidenceStore) -> Recovery:
    """Clean up after crashed runs. Cheap when nothing crashed: it only lists the ``run`` folder."""
    del engine  # the database is not needed: nothing it names (or does not name) is touched
    leftovers = files.clean_temporary()
    for partial in (data_dir / "backups").glob("*.partial"):
        with contextlib.suppress(OSError):
            partial.unlink()
            leftovers += 1
    folder = data_dir / "run"
    crashed = []
    for marker in folder.glob("*.open") if folder.is_dir() else []:
        try:
            pid = int(marker.stem.split("-")[0])
        except ValueError:
            continue
        if not _alive(pid):
            crashed.append(marker)
    for marker in crashed:
        with contextlib.suppress(OSError):
            marker.unlink()
    if crashed or leftovers:
        logging.getLogger(__name__).info(
            "Recovery in %s: %d run(s) had ended without closing the case file; %d leftover file(s) removed",
            data_dir,
            len(crashed),
            leftovers,
        )
    return Recovery(len(crashed), leftovers)


def open_elsewhere(data_dir: Path) -> list[int]:
    """The other live processes that have this data folder's case file open (their markers)."""
    folder = data_dir / "run"
    pids: set[int] = set()
    for marker in folder.glob("*.open") if folder.is_dir() else []:
        try:
            pid = int(marker.stem.split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and _alive(pid):
            pids.add(pid)
    return sorted(pids)
