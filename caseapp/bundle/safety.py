"""Reading a zip that may be hostile: every check happens before anything is written, or while streaming.

``open_archive`` reads the archive's index and refuses, with a reason for people, any of:

- a file that is not a zip, is truncated, or has bytes before, after or between its entries (the entries must
  follow each other exactly, from offset 0 to the central directory, and the end record must end the file);
- a split archive, encrypted entries, compression methods other than stored and deflated;
- names that leave their folder (``..``), are absolute, carry a drive letter or a backslash, hold control,
  format or bidirectional characters, are too long, appear twice, or collide with another name once letter case
  or Unicode normalisation is ignored, or are both a file and a folder;
- symbolic links and special files (the Unix mode or the Windows reparse-point flag in the external attributes);
- too many entries, entries or a total too large, or compressed too much (a zip bomb) — from the index first;
- local headers that disagree with the central directory.

``BundleArchive.stream`` then reads one entry without trusting its header: it never decompresses more than the
declared size, checks the compression ratio and the running total as it goes, and at the end checks that the
compressed data ended exactly where declared, that the size is right and that the CRC-32 matches.
"""

from __future__ import annotations

import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from caseapp.errors import BundleError
from caseapp.i18n import _

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
CHUNK = 1 * MiB

LOCAL_HEADER = struct.Struct("<4s5H3L2H")
END_RECORD = struct.Struct("<4s4H2LH")
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_END = struct.Struct("<4sQ2H2L4Q")
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class Limits:
    """What CaseApp accepts in a bundle. Generous for real cases, small enough that a bomb cannot fill a disk."""

    max_entries: int = 50_000
    max_total: int = 200 * GiB
    max_entry: int = 100 * GiB
    max_ratio: int = 100  # uncompressed / compressed, checked once an entry is past ``ratio_floor``
    ratio_floor: int = 1 * MiB
    max_name: int = 512
    max_small_file: int = 16 * MiB  # tag files and manifests, read in memory
    max_case_json: int = 32 * MiB  # parsed in memory: a case with thousands of history events is a few MB


@dataclass(frozen=True)
class Entry:
    """One file of the bundle's zip, as its checked index says: its sizes, CRC-32, compression method and where its data
    starts (``stream`` checks them again while reading it)."""

    name: str  # relative to the bag folder
    full_name: str
    header_offset: int
    compressed_size: int
    size: int
    crc: int
    method: int
    data_offset: int = 0


def shown(name: str, limit: int = 120) -> str:
    """A name as it can be printed safely: invisible and control characters escaped, length bounded."""
    out = []
    for char in name:
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES or char in BIDI:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse(message: str, **values: object) -> BundleError:
    return BundleError(message.format(**values))


def name_problem(name: str, limits: Limits) -> str | None:
    """Why an entry name is unacceptable, as a sentence, or None."""
    for char in name:
        if char in BIDI:
            return _("The bundle contains a name with a bidirectional control character: {name}").format(
                name=shown(name)
            )
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            return _("The bundle contains a name with a control or invisible character: {name}").format(
                name=shown(name)
            )
    if "\\" in name:
        return _("The bundle contains a name with a backslash: {name}").format(name=shown(name))
    if name.startswith("/"):
        return _("The bundle contains an absolute path: {name}").format(name=shown(name))
    if len(name) >= 2 and name[1] == ":" and name[0].isascii() and name[0].isalpha():
        return _("The bundle contains a path with a drive letter: {name}").format(name=shown(name))
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return _("The bundle contains a path that leaves its folder: {name}").format(name=shown(name))
    if any(part in ("", ".") for part in parts):
        return _("The bundle contains a malformed path: {name}").format(name=shown(name))
    if len(name.encode("utf-8")) > limits.max_name or any(len(p.encode("utf-8")) > 255 for p in parts):
        return _("The bundle contains a name that is too long: {name}").format(name=shown(name))
    return None


def _special_file(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return _("The bundle contains a symbolic link: {name}").format(name=shown(info.filename))
    if mode and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return _("The bundle contains a special file (device, pipe or socket): {name}").format(
            name=shown(info.filename)
        )
    if info.external_attr & 0x400:  # FILE_ATTRIBUTE_REPARSE_POINT: a Windows link or junction
        return _("The bundle contains a symbolic link: {name}").format(name=shown(info.filename))
    return None


class BundleArchive:
    """A bundle's zip whose index passed every check; entries are read with ``read`` and ``stream``."""

    def __init__(self, path: Path, handle: BinaryIO, root: str, entries: dict[str, Entry], limits: Limits) -> None:
        self.path = path
        self._handle = handle
        self.root = root
        self.entries = entries
        self.limits = limits
        self.streamed = 0

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> BundleArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, name: str, limit: int) -> bytes:
        """A small entry, whole, checked like any other."""
        entry = self.entries[name]
        if entry.size > limit:
            raise refuse(_("The bundle's {name} is larger than CaseApp accepts."), name=name)
        return b"".join(self.stream(name))

    def stream(self, name: str) -> Iterator[bytes]:
        """The entry's content in chunks, checked while it is read (size, ratio, total, CRC)."""
        entry = self.entries[name]
        handle = self._handle
        handle.seek(entry.data_offset)
        left = entry.compressed_size
        produced = 0
        crc = 0
        decompressor = zlib.decompressobj(-15) if entry.method == DEFLATED else None
        pending = b""
        while True:
            if decompressor is None:
                if not left:
                    break
                data = handle.read(min(CHUNK, left))
                if not data:
                    raise self._truncated()
                left -= len(data)
                out = data
            else:
                if pending:
                    data = pending
                elif left:
                    data = handle.read(min(CHUNK, left))
                    if not data:
                        raise self._truncated()
                    left -= len(data)
                elif not decompressor.eof:
                    data = b""
                else:
                    break
                try:
                    out = decompressor.decompress(data, CHUNK) if data else decompressor.flush()
                except zlib.error as exc:
                    raise refuse(
                        _("The bundle's {name} is damaged (its compressed data is invalid)."), name=name
                    ) from exc
                pending = decompressor.unconsumed_tail
                if not data and not out and not decompressor.eof:
                    raise refuse(_("The bundle's {name} is damaged (its compressed data ends too early)."), name=name)
            produced += len(out)
            self.streamed += len(out)
            if produced > entry.size:
                raise refuse(_("The bundle's {name} holds more data than its header says: its size lies."), name=name)
            if self.streamed > self.limits.max_total:
                raise refuse(
                    _(
                        "Once opened, the bundle would take far more room than CaseApp accepts: it may be a trap, "
                        "and was not opened."
                    )
                )
            consumed = entry.compressed_size - left - len(pending)
            if (
                decompressor is not None
                and produced > self.limits.ratio_floor
                and produced > self.limits.max_ratio * max(consumed, 1)
            ):
                raise refuse(
                    _(
                        "The bundle's file {name} is compressed suspiciously much: once opened it would take far "
                        "more room than it should; it may be a trap, and was not opened."
                    ),
                    name=name,
                )
            crc = zlib.crc32(out, crc)
            if out:
                yield out
            if decompressor is not None and decompressor.eof:
                if pending or decompressor.unused_data or left:
                    raise refuse(_("The bundle's {name} has data after its end: its size lies."), name=name)
                break
        if produced != entry.size:
            raise refuse(_("The bundle's {name} is not the size its header says: its size lies."), name=name)
        if crc != entry.crc:
            raise refuse(_("The bundle's {name} does not match its checksum (CRC-32): it was altered."), name=name)

    def _truncated(self) -> BundleError:
        return BundleError(_("The bundle is truncated: part of it is missing."))


def _read_at(handle: BinaryIO, offset: int, size: int) -> bytes:
    handle.seek(offset)
    return handle.read(size)


def _end_of_central_directory(handle: BinaryIO, size: int, limits: Limits) -> tuple[int, int, int, int]:
    """``(entries, directory offset, directory size, where the directory must end)`` from the end records."""
    not_zip = BundleError(
        _("This file is not a CaseApp bundle, or it is damaged or incomplete (cut short during a copy or a download?).")
    )
    if size < END_RECORD.size:
        raise not_zip
    tail_size = min(size, END_RECORD.size + 65_535)
    tail = _read_at(handle, size - tail_size, tail_size)
    found = tail.rfind(b"PK\x05\x06")
    while found >= 0 and found + END_RECORD.size > len(tail):
        found = tail.rfind(b"PK\x05\x06", 0, found)
    if found < 0:
        raise not_zip
    position = size - tail_size + found
    _sig, disk, cd_disk, _here, total, cd_size, cd_offset, comment = END_RECORD.unpack_from(tail, found)
    end = position + END_RECORD.size + comment
    if end > size:
        raise not_zip
    if end < size or comment:
        raise refuse(
            _("The bundle was changed after it was made: {count} bytes were added after its end."),
            count=size - position - END_RECORD.size,
        )
    if disk or cd_disk:
        raise BundleError(_("The bundle is a split (multi-part) archive, which CaseApp does not accept."))
    directory_end = position
    locator_at = position - ZIP64_LOCATOR.size
    if locator_at >= 0:
        locator = _read_at(handle, locator_at, ZIP64_LOCATOR.size)
        if locator[:4] == b"PK\x06\x07":
            _sig, _disk, record_offset, _disks = ZIP64_LOCATOR.unpack(locator)
            record_at = locator_at - ZIP64_END.size
            record = _read_at(handle, record_at, ZIP64_END.size) if record_at >= 0 else b""
            if len(record) != ZIP64_END.size or record[:4] != b"PK\x06\x06" or ZIP64_END.unpack(record)[1] != 44:
                raise not_zip
            fields = ZIP64_END.unpack(record)
            total, cd_size, cd_offset = fields[7], fields[8], fields[9]
            if record_offset != record_at:
                raise _prepended(record_at - record_offset)
            directory_end = record_at
    if total > limits.max_entries:
        raise refuse(
            _("The bundle has too many files ({count}; at most {limit})."), count=total, limit=limits.max_entries
        )
    start = directory_end - cd_size
    if start < 0:
        raise not_zip
    if start != cd_offset:
        if start > cd_offset:
            raise _prepended(start - cd_offset)
        raise not_zip
    return total, cd_offset, cd_size, directory_end


def _prepended(count: int) -> BundleError:
    return refuse(
        _("The bundle was changed after it was made: {count} bytes before its start were added."), count=count
    )


def open_archive(path: Path, limits: Limits | None = None) -> BundleArchive:
    """Open a bundle's zip and check its whole index; nothing is extracted."""
    limits = limits or Limits()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BundleError(_("The bundle “{path}” cannot be read: {reason}.").format(path=path, reason=exc)) from exc
    try:
        return _open(path, handle, limits)
    except BaseException:
        handle.close()
        raise


def _open(path: Path, handle: BinaryIO, limits: Limits) -> BundleArchive:
    size = path.stat().st_size
    total, cd_offset, _cd_size, _end = _end_of_central_directory(handle, size, limits)
    if not total:
        raise BundleError(_("This file is not a CaseApp bundle: the archive is empty."))
    if _read_at(handle, 0, 4) != b"PK\x03\x04":
        raise BundleError(_("The bundle was changed after it was made: something was added before its start."))
    handle.seek(0)
    try:
        infos = zipfile.ZipFile(handle).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise BundleError(
            _("This file is not a CaseApp bundle, or it is damaged: its table of contents cannot be read.").format(
                reason=exc
            )
        ) from exc
    if len(infos) != total:
        raise BundleError(
            _("This file is not a CaseApp bundle, or it is damaged: its table of contents cannot be read.")
        )
    if not infos:
        raise BundleError(_("This file is not a CaseApp bundle: the archive is empty."))
    _check_entries(infos, limits)
    root = _single_folder(infos)
    entries = _check_layout(handle, infos, cd_offset, root)
    return BundleArchive(path, handle, root, entries, limits)


def _check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = 0
    for info in infos:
        problem = name_problem(info.orig_filename, limits) or _special_file(info)
        if problem:
            raise BundleError(problem)
        if info.filename != info.orig_filename:
            raise refuse(_("The bundle contains a malformed path: {name}"), name=shown(info.orig_filename))
        if info.flag_bits & 0x1:
            raise refuse(_("The bundle contains a password-protected entry: {name}"), name=shown(info.filename))
        if info.compress_type not in (STORED, DEFLATED):
            raise refuse(_("The bundle uses a compression CaseApp does not accept: {name}"), name=shown(info.filename))
        if info.is_dir() and info.file_size:
            raise refuse(_("The bundle contains a malformed path: {name}"), name=shown(info.filename))
        if info.compress_type == STORED and info.compress_size != info.file_size:
            raise refuse(
                _("The bundle's {name} is not the size its header says: its size lies."), name=shown(info.filename)
            )
        if info.file_size > limits.max_entry:
            raise refuse(_("The bundle's {name} is larger than CaseApp accepts."), name=shown(info.filename))
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise refuse(
                _(
                    "The bundle's file {name} is compressed suspiciously much: once opened it would take far more room "
                    "than it should; it may be a trap, and was not opened."
                ),
                name=shown(info.filename),
            )
        total += info.file_size
    if total > limits.max_total:
        raise BundleError(
            _(
                "Once opened, the bundle would take far more room than CaseApp accepts: it may be a trap, and was "
                "not opened."
            )
        )
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    normal: dict[str, str] = {}
    for info in infos:
        name = info.filename.rstrip("/")
        if name in seen:
            raise refuse(_("The bundle contains the same name twice: {name}"), name=shown(name))
        seen[name] = name
        nfc = unicodedata.normalize("NFC", name)
        if nfc in normal:
            raise refuse(
                _("The bundle contains two names that are the same text in two Unicode forms: {first} and {second}"),
                first=shown(normal[nfc]),
                second=shown(name),
            )
        normal[nfc] = name
        key = unicodedata.normalize("NFKC", nfc.casefold())
        if key in folded:
            raise refuse(
                _("The bundle contains two names that differ only in letter case: {first} and {second}"),
                first=shown(folded[key]),
                second=shown(name),
            )
        folded[key] = name
    files = {info.filename for info in infos if not info.is_dir()}
    for name in files:
        for parent in PurePosixPath(name).parents:
            if str(parent) in files:
                raise refuse(
                    _("The bundle contains a name that is both a file and a folder: {name}"), name=shown(str(parent))
                )


def _single_folder(infos: list[zipfile.ZipInfo]) -> str:
    roots = {info.filename.split("/", 1)[0] for info in infos}
    top_files = [info.filename for info in infos if "/" not in info.filename.rstrip("/") and not info.is_dir()]
    if len(roots) != 1 or top_files:
        raise BundleError(_("This file is not a CaseApp bundle: it should hold exactly one folder (the bag)."))
    return roots.pop()


def _check_layout(handle: BinaryIO, infos: list[zipfile.ZipInfo], cd_offset: int, root: str) -> dict[str, Entry]:
    """The entries must follow each other exactly: no gap (hidden data), no overlap (a classic bomb)."""
    entries: dict[str, Entry] = {}
    position = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != position:
            if position == 0:
                raise BundleError(_("The bundle was changed after it was made: something was added before its start."))
            raise BundleError(
                _("The bundle was changed after it was made: data is hidden between its files, or its files overlap.")
            )
        header = _read_at(handle, info.header_offset, LOCAL_HEADER.size)
        if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise BundleError(
                _(
                    "The bundle is damaged or was changed after it was made: its table of contents points at something "
                    "that is not one of its files."
                )
            )
        _sig, _version, flags, method, _time, _date, crc, csize, usize, name_length, extra_length = LOCAL_HEADER.unpack(
            header
        )
        raw_name = handle.read(name_length)
        encoding = "utf-8" if flags & 0x800 else "cp437"
        try:
            local_name = raw_name.decode(encoding)
        except UnicodeDecodeError:
            local_name = None
        if local_name != info.orig_filename or method != info.compress_type:
            raise refuse(
                _("The bundle's entry {name} has a local header that disagrees with the index: it was altered."),
                name=shown(info.filename),
            )
        if not flags & 0x8 and (
            (crc != info.CRC)
            or (csize not in (info.compress_size, 0xFFFFFFFF))
            or (usize not in (info.file_size, 0xFFFFFFFF))
        ):
            raise refuse(
                _("The bundle's entry {name} has a local header that disagrees with the index: its size or CRC lies."),
                name=shown(info.filename),
            )
        data_offset = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
        end = data_offset + info.compress_size
        if flags & 0x8:
            end += _descriptor_length(handle, end, info)
        position = end
        if not info.is_dir():
            relative = info.filename[len(root) + 1 :]
            entries[relative] = Entry(
                name=relative,
                full_name=info.filename,
                header_offset=info.header_offset,
                compressed_size=info.compress_size,
                size=info.file_size,
                crc=info.CRC,
                method=info.compress_type,
                data_offset=data_offset,
            )
    if position != cd_offset:
        raise BundleError(
            _("The bundle was changed after it was made: data is hidden between its files, or its files overlap.")
        )
    return entries


def _descriptor_length(handle: BinaryIO, offset: int, info: zipfile.ZipInfo) -> int:
    """The length of the data descriptor after an entry written in one pass (flag bit 3)."""
    data = _read_at(handle, offset, 24)
    expected = (info.CRC, info.compress_size, info.file_size)
    for signed in (True, False):
        if signed and data[:4] != b"PK\x07\x08":
            continue
        body, extra = (data[4:], 4) if signed else (data, 0)
        if len(body) >= 12 and struct.unpack_from("<3L", body) == expected:
            return extra + 12
        if len(body) >= 20 and struct.unpack_from("<L2Q", body) == expected:
            return extra + 20
    raise refuse(
        _("The bundle's entry {name} has a data descriptor that disagrees with the index: its size or CRC lies."),
        name=shown(info.filename),
    )
