"""Which CaseApp is the first on a data folder, known in a microsecond: an exclusive lock on a file in that folder.

The first CaseApp takes the lock and keeps it while it runs; the operating system drops it when the process ends,
however it ends (a crash or a power cut leaves a file, never a lock). A later CaseApp that finds the lock taken
knows another one is running and hands its arguments over (``ui.single_instance``). Only then does anything load
the network module: the common case — the first CaseApp of the day — starts without it and opens its socket
after the window has painted.

Pure Python, no Qt.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import IO

FILE_NAME = ".caseapp-running.lock"


class LockState(Enum):
    ACQUIRED = "acquired"  # this CaseApp is the first on the folder
    TAKEN = "taken"  # another CaseApp holds the folder
    UNAVAILABLE = "unavailable"  # no lock can be taken here (the folder cannot be written): ask the socket instead


class InstanceLock:
    """A held lock; ``release`` (or the end of the process) gives it back."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle: IO[bytes] | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            handle, self._handle = self._handle, None
            _unlock(handle)
            handle.close()


def _lock(handle: IO[bytes]) -> bool:
    """Try to take the lock without waiting; False when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass  # closing the file releases it anyway


def try_lock(folder: Path) -> tuple[LockState, InstanceLock | None]:
    """Take the folder's lock if nobody holds it. The folder is created if it does not exist yet (a first start)."""
    path = folder / FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # noqa: SIM115 - kept open for as long as the lock is held
    except OSError:
        return LockState.UNAVAILABLE, None
    try:
        taken = _lock(handle)
    except OSError:  # a file system without locks (some network shares)
        handle.close()
        return LockState.UNAVAILABLE, None
    if not taken:
        handle.close()
        return LockState.TAKEN, None
    try:  # who holds it, for a person looking at the folder; the lock itself is what counts
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
    except OSError:
        pass
    return LockState.ACQUIRED, InstanceLock(path, handle)
