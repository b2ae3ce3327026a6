"""The evidence store: files copied in once, named by their SHA-256, never edited in place.

A file is streamed into a temporary file inside the store (hashing as it goes), flushed to disk with fsync,
then renamed to ``<root>/<aa>/<bb>/<sha256>``. A rename within one file system is atomic, so the store never
holds half a file under a real name; a crash leaves at most a temporary file, cleaned up on the next start.

Every file CaseApp reads because someone named it (an exhibit, a bundle, a key or passphrase file) is opened
with ``open_input``: only a regular file is read — a folder, a device (``/dev/zero`` never ends) or a named
pipe (opening one blocks until someone writes to it) is refused at once with a sentence. ``read_input`` also
bounds how much is read. ``readable_name`` turns a file name that is not UTF-8 (Latin-1, from an old system
or an old zip) into text that can be stored and shown.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import mimetypes
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from caseapp.errors import Cancelled, InvalidInput, StorageError
from caseapp.i18n import _
from caseapp.progress import CancelCheck, Progress

CHUNK = 1024 * 1024
MAX_FILE = 100 * 1024**3  # a bundle carries no larger file (bundle.safety.Limits.max_entry)


@dataclass(frozen=True)
class Intake:
    """What copying a file into the store gave: its SHA-256 and size, its guessed media type, its original name, and
    whether the store already held the same bytes."""

    sha256: str
    size: int
    media_type: str
    original_name: str
    already_stored: bool


_SURROGATES = re.compile("[\ud800-\udfff]")
_SHOWN = 200  # characters of a path quoted in a message
# Non-blocking, so that opening a named pipe returns at once (then refused); no controlling terminal.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _shown(path: object) -> str:
    from caseapp.textsafe import for_terminal

    return for_terminal(path, limit=_SHOWN)


def _unreadable(path: object, exc: OSError) -> InvalidInput:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return InvalidInput(_("The file “{path}” does not exist.").format(path=_shown(path)))
    if exc.errno == errno.ENAMETOOLONG:
        return InvalidInput(_("The path “{path}” is too long for this system.").format(path=_shown(path)))
    return InvalidInput(
        _("The file “{path}” cannot be read: {reason}.").format(path=_shown(path), reason=exc.strerror or exc)
    )


def _check_regular(path: object, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InvalidInput(_("“{path}” is a folder, not a file.").format(path=_shown(path)))
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            _("“{path}” is a device, a pipe or a socket, not a file: CaseApp reads only regular files.").format(
                path=_shown(path)
            )
        )


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a file named from outside for reading, only if it is a regular file (a link to one will do).

    The name is looked at first (a device or a pipe is not even opened), then opened without blocking and
    looked at again through the open handle, so that a name swapped in between is caught too.
    Raises ``InvalidInput`` with a sentence naming the file.
    """
    try:
        _check_regular(path, os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except (ValueError, UnicodeEncodeError):  # a NUL character, or text no file name can hold
        raise InvalidInput(_("“{path}” is not a usable file name.").format(path=_shown(path))) from None
    try:
        _check_regular(path, os.fstat(fd).st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole content of a small regular file (a key, a passphrase), refusing one over ``limit`` bytes."""
    with open_input(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _unreadable(path, exc) from exc
    if len(data) > limit:
        raise InvalidInput(
            _("The file “{path}” is too large for what it should hold ({size} KB at most).").format(
                path=_shown(path), size=max(1, limit // 1024)
            )
        )
    return data


def readable_name(name: str) -> str:
    """A file name as text that can be stored and shown.

    On Linux a name is bytes; Python shows the bytes that are not UTF-8 as lone surrogates, which a database
    refuses. Those bytes are taken back and read as Windows-1252 (Latin-1 and its French letters, as written
    by older systems and zip tools); a surrogate that stands for no byte becomes U+FFFD.
    """
    if not _SURROGATES.search(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def readonly_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only, whatever characters the path holds ("#", "?", spaces…)."""
    return f"{path.resolve().as_uri()}?mode=ro"


def fsync_folder(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (POSIX: fsync the folder). The one way CaseApp does it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomically(path: Path, text: str, *, prefix: str) -> None:
    """Write a small text file whole or not at all: a temporary file beside it, flushed to disk, renamed over it,
    the rename made durable (the bookkeeping files of the data folder: reminders given, the calendar's last sync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)


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
        """Copy ``source`` into the store and return what was taken in. The source is never modified.

        Only a regular file is taken (``open_input``); its name is kept as ``readable_name`` makes it."""
        with open_input(source) as handle:
            total = os.fstat(handle.fileno()).st_size
            return self._take_in(handle, total, readable_name(Path(source).name), progress, cancelled)

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
                    done += len(chunk)
                    if done > MAX_FILE:  # a file that keeps growing while it is read, or a pseudo-file
                        raise InvalidInput(
                            _("The file “{name}” is larger than CaseApp takes in ({size} GB at most).").format(
                                name=_shown(name), size=MAX_FILE // 1024**3
                            )
                        )
                    digest.update(chunk)
                    out.write(chunk)
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
                fsync_folder(target.parent)
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
