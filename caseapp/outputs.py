"""The one way CaseApp writes a file someone asked for (``-o FILE``, ``backup PATH``, ``keys show --export``…).

A name given from outside may be anything: a symbolic link (to a file the person did not mean to replace), a
device (``/dev/sda``, ``/dev/null``), a named pipe (a write would block), a folder. So an output is written only
to a regular file, or to a name that does not exist yet:

1. ``check_output`` looks at the name itself (``lstat``: a link is not followed) and refuses a link, a folder,
   a device, a pipe or a socket with a sentence naming it;
2. the content is written to a fresh file inside a private temporary folder created next to the target (same
   file system, so the final step is a rename), flushed to disk with ``fsync``;
3. the name is checked again, then the file is renamed over it and the folder is flushed: the target is
   either the old file or the whole new one, and a rename replaces a directory entry — it never writes
   through a link or into a device.

``write_bytes`` does it for content in memory; ``staged`` gives code that writes by file name (SQLite's backup,
ReportLab, the bundle and calendar writers) a path to write to, and moves the result into place when its block
ends without an error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from caseapp.errors import InvalidInput, StorageError
from caseapp.i18n import _
from caseapp.store.files import fsync_folder
from caseapp.textsafe import for_terminal

SHOWN_PATH = 200  # characters of a path quoted in a message


def shown(path: object) -> str:
    """A path as it can be quoted in a message: escapes made visible, length bounded."""
    return for_terminal(path, limit=SHOWN_PATH)


def as_path(value: str | os.PathLike[str]) -> Path:
    """``value`` as a path this system can use (``~`` expanded), or an ``InvalidInput`` saying why not."""
    text = os.fspath(value)
    if "\x00" in text:
        raise InvalidInput(_("The path “{path}” contains a NUL character.").format(path=shown(text)))
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise InvalidInput(
            _("The path “{path}” contains characters this system cannot use in a file name.").format(path=shown(text))
        ) from None
    return Path(os.path.expanduser(text))


def path_error(path: object, exc: OSError) -> InvalidInput | StorageError:
    """An ``OSError`` about ``path`` as a sentence: a name too long or a missing folder is the person's mistake
    (``InvalidInput``); anything else is the system's (``StorageError``)."""
    if exc.errno == errno.ENAMETOOLONG:
        return InvalidInput(_("The path “{path}” is too long for this system.").format(path=shown(path)))
    if exc.errno == errno.ENOTDIR:
        return InvalidInput(_("A part of the path “{path}” is a file, not a folder.").format(path=shown(path)))
    if exc.errno == errno.ENOENT:
        return InvalidInput(_("The folder of “{path}” does not exist.").format(path=shown(path)))
    return StorageError(_("“{path}” cannot be written: {reason}.").format(path=shown(path), reason=exc.strerror or exc))


def check_output(value: str | os.PathLike[str]) -> Path:
    """The path to write, if it is a regular file or does not exist yet; otherwise an ``InvalidInput``."""
    path = as_path(value)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise path_error(path, exc) from exc
    if stat.S_ISLNK(mode):
        raise InvalidInput(
            _("“{path}” is a symbolic link: CaseApp does not write through links. Give the file's real name.").format(
                path=shown(path)
            )
        )
    if stat.S_ISDIR(mode):
        raise InvalidInput(_("“{path}” is a folder: give the name of the file to write.").format(path=shown(path)))
    if not stat.S_ISREG(mode):
        raise InvalidInput(
            _("“{path}” is a device, a pipe or a socket, not a file: CaseApp writes only to regular files.").format(
                path=shown(path)
            )
        )
    return path


@contextlib.contextmanager
def staged(value: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh path (same name, in a private folder beside the target) for code that writes by file name.

    When the block ends without an error, the file written there is flushed to disk and renamed over the
    target, which is checked again first; the private folder is removed whatever happens. A block that
    leaves no file there raises ``StorageError``.
    """
    target = check_output(value)
    parent = target.parent
    if not parent.is_dir():  # a typing slip must not create folders: say so
        raise StorageError(_("The folder “{path}” does not exist.").format(path=shown(parent)))
    try:
        private = Path(tempfile.mkdtemp(prefix=".caseapp-", dir=parent))
    except OSError as exc:
        raise path_error(target, exc) from exc
    try:
        staging = private / target.name
        yield staging
        try:
            mode = os.lstat(staging).st_mode
        except FileNotFoundError:
            mode = 0
        if not stat.S_ISREG(mode):
            raise StorageError(_("Nothing was written to “{path}”.").format(path=shown(target)))
        try:
            with open(staging, "rb") as handle:
                os.fsync(handle.fileno())
            check_output(target)  # it may have become a link or a device meanwhile
            os.replace(staging, target)
            fsync_folder(parent)
        except OSError as exc:
            raise path_error(target, exc) from exc
    finally:
        shutil.rmtree(private, ignore_errors=True)


def write_bytes(value: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to the file ``value`` names, atomically, only if it is (or will be) a regular file."""
    target = as_path(value)
    with staged(target) as staging:
        try:
            with open(staging, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            raise path_error(target, exc) from exc
    return target
