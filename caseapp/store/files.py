"""The evidence store: files copied in once, named by their SHA-256, never edited in place.

A file is streamed into a temporary file inside the store (hashing as it goes), flushed to disk with fsync,
then renamed to ``<root>/<aa>/<bb>/<sha256>``. A rename within one file system is atomic, so the store never
holds half a file under a real name; a crash leaves at most a temporary file, cleaned up on the next start.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from caseapp.errors import Cancelled, InvalidInput, StorageError
from caseapp.i18n import _

CHUNK = 1024 * 1024
Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class Intake:
    sha256: str
    size: int
    media_type: str
    original_name: str
    already_stored: bool


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def tmp_dir(self) -> Path:
        return self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InvalidInput(_("“{value}” is not a SHA-256 digest.").format(value=sha256))
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add_file(
        self,
        source: Path,
        *,
        progress: Progress | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Intake:
        """Copy ``source`` into the store and return what was taken in. The source is never modified."""
        try:
            total = source.stat().st_size
            handle = source.open("rb")
        except FileNotFoundError as exc:
            raise InvalidInput(_("The file “{path}” does not exist.").format(path=source)) from exc
        except IsADirectoryError as exc:
            raise InvalidInput(_("“{path}” is a folder, not a file.").format(path=source)) from exc
        except OSError as exc:
            raise InvalidInput(
                _("The file “{path}” cannot be read: {reason}.").format(path=source, reason=exc.strerror)
            ) from exc
        with handle:
            if not source.is_file():
                raise InvalidInput(_("“{path}” is not a regular file.").format(path=source))
            return self._take_in(handle, total, source.name, progress, cancelled)

    def _take_in(
        self,
        handle: object,
        total: int,
        name: str,
        progress: Progress | None,
        cancelled: CancelCheck | None,
    ) -> Intake:
        try:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix="intake-")
        except OSError as exc:
            raise StorageError(
                _("The evidence store “{path}” cannot be written: {reason}.").format(
                    path=self.root, reason=exc.strerror
                )
            ) from exc
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        done = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := handle.read(CHUNK):  # type: ignore[attr-defined]
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, max(total, done))
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            existed = target.is_file()
            if existed:
                tmp.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)
                _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StorageError(
                _("The file “{name}” could not be copied into the evidence store: {reason}.").format(
                    name=name, reason=exc.strerror or exc
                )
            ) from exc
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Intake(sha, done, media_type, name, existed)

    def verify(self, sha256: str) -> str | None:
        """Re-hash a stored file. Returns None when it matches, or a sentence saying what is wrong."""
        path = self.path_for(sha256)
        if not path.is_file():
            return _("The stored file is missing.")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        actual = digest.hexdigest()
        if actual != sha256:
            return _("The stored file has changed: its SHA-256 is now {actual}.").format(actual=actual)
        return None

    def remove(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(sha256).unlink()

    def stored_files(self) -> list[Path]:
        """Every file in the store (not the temporary intake folder)."""
        if not self.root.is_dir():
            return []
        return [
            path
            for path in self.root.glob("??/??/*")
            if path.is_file() and len(path.name) == 64 and path.parent.parent.parent == self.root
        ]

    def clean_temporary(self) -> int:
        """Delete intake leftovers of a crashed copy. Returns how many were removed."""
        removed = 0
        if self.tmp_dir.is_dir():
            for leftover in self.tmp_dir.glob("intake-*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
                    removed += 1
        return removed
