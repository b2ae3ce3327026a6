"""A Télérecours-ready exhibit set: one file per exhibit, named from its number and label, plus the bordereau,
in a folder or a zip.

File names follow the rules Télérecours users go by: they start with the exhibit number, then the label
("01 - Deliberation n 18-893 du 14 decembre 2018.pdf"); at most 80 characters; plain ASCII letters, digits,
spaces, hyphens and underscores only; no dot but the one before the extension.

``check_exhibit_set`` lists every problem first: gaps or duplicates in the numbering, exhibits without a file,
files missing from the store, empty files (0 bytes), files over the size Télérecours accepts, files that are not
PDF (Télérecours refuses them; CaseApp converts nothing), one file under two numbers, labels that will be cut.
``export_exhibit_set`` refuses to run while any of them is blocking, unless forced: then the exhibits without a
usable file (none, missing or empty) are left out, and the bordereau lists only the exhibits the set holds. Files
are copied from the evidence store while their SHA-256 is checked again, into a temporary folder or zip next to
the target, which is renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import mimetypes
import os
import re
import shutil
import unicodedata
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from caseapp.casefile.views import CaseDetail, EvidenceView
from caseapp.errors import Cancelled, InvalidInput, StorageError
from caseapp.i18n import _, current_language
from caseapp.progress import CancelCheck, Progress
from caseapp.reports.base import Generation, check_folder, publish, reserve_temporary
from caseapp.reports.bordereau import exhibits_for, find_filing, render_bordereau
from caseapp.reports.formatting import PARIS, document_language, format_size
from caseapp.store.files import CHUNK, EvidenceStore

MAX_NAME = 80
# The largest file Télérecours accepts for one document. The figure (150 Mo per file) is the one given to users of
# Télérecours avocats ("about 150 MB"); it is not taken from a text CaseApp can cite, and the service also bounds
# the total size of one upload, which is not checked here because no figure for it is established. Check both in
# the current Télérecours user guide before relying on them. Counted in decimal megabytes, the smaller reading of
# "150 Mo", so that a file this lets through is not refused.
TELERECOURS_MAX_FILE_BYTES = 150 * 1000 * 1000
UNUSABLE = ("no_file", "missing_file", "empty_file")  # left out of a forced export (and of its bordereau)
Advance = Callable[[int], None]  # bytes copied since the last call
_SEPARATOR = " - "
_REPLACEMENTS = {
    "œ": "oe",
    "Œ": "OE",
    "æ": "ae",
    "Æ": "AE",
    "ß": "ss",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "€": "EUR",
    "n°": "n",
    "N°": "N",
    "º": "",
    "°": "",
}
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9 _-]+")
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an exhibit set. ``blocking`` problems stop the export unless it is forced."""

    # no_exhibits, gap, duplicate, no_file, missing_file, empty_file, too_large, not_pdf (blocking); interleaved,
    # same_file, label_cut, label_empty (warnings)
    code: str
    message: str
    blocking: bool
    number: int | None = None
    evidence_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ExportResult:
    """What exporting an exhibit set wrote: the folder or zip, its files in order, and the exhibits left out when the
    export was forced."""

    path: Path
    files: tuple[str, ...]  # names written, bordereau included, in order
    skipped: tuple[int, ...]  # exhibit numbers left out (forced export of exhibits without a usable file)
    problems: tuple[Problem, ...]
    listed: tuple[int, ...] = ()  # exhibit numbers the bordereau lists: the exhibits written, and only them


class ExhibitSetError(InvalidInput):
    """The exhibit set has blocking problems; ``problems`` lists all of them."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def ascii_words(text: str) -> str:
    """Text reduced to ASCII letters, digits, spaces, hyphens and underscores, accents taken off
    ("Délibération n° 18-893" → "Deliberation n 18-893")."""
    for source, target in _REPLACEMENTS.items():
        text = text.replace(source, target)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    plain = _NOT_ALLOWED.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip(" -_")


def extension_of(item: EvidenceView) -> str:
    """The file's extension, lower case and plain ("pdf"); from its media type when its name has none."""
    if item.file is None:
        return "pdf"
    suffix = Path(item.file.original_name).suffix.lower().lstrip(".")
    suffix = ascii_words(suffix).replace(" ", "").replace("-", "").replace("_", "").lower()
    if _EXTENSION.match(suffix):
        return suffix
    guessed = mimetypes.guess_extension(item.file.media_type or "") or ".bin"
    return guessed.lstrip(".").lower()


def number_width(items: list[EvidenceView]) -> int:
    """Digits of the exhibit numbers in file names: at least 2, so names sort in number order."""
    return max([2, *(len(str(item.number)) for item in items)])


@dataclass(frozen=True)
class _Name:
    """An exhibit's file name in the set, whether its label was cut to fit, and whether the label kept no letter or
    digit (``empty``: a fallback stands in)."""

    name: str
    cut: bool
    empty: bool


def _make_name(number: int, title: str, extension: str, width: int, fallback: str) -> _Name:
    prefix = f"{number:0{width}d}{_SEPARATOR}"
    suffix = f".{extension}"
    room = MAX_NAME - len(prefix) - len(suffix)
    label = ascii_words(title)
    empty = not label
    label = label or fallback
    cut = len(label) > room
    if cut:
        shortened = label[:room]
        space = shortened.rfind(" ")
        if space >= room * 0.6:
            shortened = shortened[:space]
        label = shortened.rstrip(" -_")
    return _Name(prefix + label + suffix, cut, empty)


def exhibit_file_name(item: EvidenceView, *, width: int = 2, lang: str = "fr") -> str:
    """ "01 - Deliberation n 18-893 du 14 decembre 2018.pdf": number, label, extension; ≤ 80 characters."""
    fallback = "Piece" if document_language(lang) == "fr" else "Exhibit"
    return _make_name(item.number, item.title, extension_of(item), width, fallback).name


def bordereau_file_name(lang: str = "fr") -> str:
    return "Bordereau des pieces.pdf" if document_language(lang) == "fr" else "List of exhibits.pdf"


def check_exhibit_set(
    detail: CaseDetail,
    filing_id: uuid.UUID | None = None,
    *,
    files: EvidenceStore | None = None,
    lang: str = "fr",
) -> list[Problem]:
    """Every problem of the exhibit set of a case (or of one of its filings), blocking ones first.

    With ``files``, also checks that each file is really in the evidence store. Messages are in the
    interface language; ``lang`` is the language of the file names.
    """
    items = exhibits_for(detail, filing_id)
    problems: list[Problem] = []
    if not items:
        message = (
            _("This filing has no exhibit to export.")
            if filing_id is not None
            else _("This case has no exhibit to export.")
        )
        return [Problem("no_exhibits", message, True)]
    counts = Counter(item.number for item in items)
    for number, count in sorted(counts.items()):
        if count > 1:
            problems.append(
                Problem(
                    "duplicate",
                    _("Number {number} is given to {count} exhibits.").format(number=number, count=count),
                    True,
                    number,
                )
            )
    case_numbers = {item.number for item in detail.evidence}
    wanted = sorted(counts)
    first = 1 if filing_id is None else wanted[0]
    for number in range(first, wanted[-1] + 1):
        if number not in case_numbers:
            problems.append(
                Problem(
                    "gap", _("Exhibit n° {number} is missing from the numbering.").format(number=number), True, number
                )
            )
        elif number not in counts:
            problems.append(
                Problem(
                    "interleaved",
                    _("Exhibit n° {number} belongs to another filing but is numbered among this one's.").format(
                        number=number
                    ),
                    False,
                    number,
                )
            )
    width = number_width(items)
    fallback = "Piece" if document_language(lang) == "fr" else "Exhibit"
    for item in items:
        if item.file is None:
            problems.append(
                Problem(
                    "no_file",
                    _("Exhibit n° {number} has no file.").format(number=item.number),
                    True,
                    item.number,
                    item.id,
                )
            )
            continue
        if files is not None and not _stored(files, item.file.sha256):
            problems.append(
                Problem(
                    "missing_file",
                    _("The file of exhibit n° {number} (“{name}”) is missing from the evidence store.").format(
                        number=item.number, name=item.file.original_name
                    ),
                    True,
                    item.number,
                    item.id,
                )
            )
        name = _make_name(item.number, item.title, extension_of(item), width, fallback)
        if name.empty:
            problems.append(
                Problem(
                    "label_empty",
                    _("The label of exhibit n° {number} has no letter or digit a file name can keep.").format(
                        number=item.number
                    ),
                    False,
                    item.number,
                    item.id,
                )
            )
        elif name.cut:
            problems.append(
                Problem(
                    "label_cut",
                    _("The label of exhibit n° {number} is cut in its file name: “{name}”.").format(
                        number=item.number, name=name.name
                    ),
                    False,
                    item.number,
                    item.id,
                )
            )
        problems += _file_problems(item)
    problems += _same_files(items)
    return sorted(problems, key=lambda p: (not p.blocking, p.number or 0))


def _file_problems(item: EvidenceView) -> list[Problem]:
    """What Télérecours would refuse in one exhibit's file: an empty file, one too large, one that is not a PDF."""
    assert item.file is not None
    name = item.file.original_name
    found: list[Problem] = []
    if item.file.size == 0:
        found.append(
            Problem(
                "empty_file",
                _("The file of exhibit n° {number} (“{name}”) is empty (0 bytes): there is nothing to file.").format(
                    number=item.number, name=name
                ),
                True,
                item.number,
                item.id,
            )
        )
    elif item.file.size > TELERECOURS_MAX_FILE_BYTES:
        lang = current_language()
        found.append(
            Problem(
                "too_large",
                _(
                    "The file of exhibit n° {number} (“{name}”, {size}) is larger than Télérecours accepts for one "
                    "file ({limit}): split or compress it."
                ).format(
                    number=item.number,
                    name=name,
                    size=format_size(item.file.size, lang),
                    limit=format_size(TELERECOURS_MAX_FILE_BYTES, lang),
                ),
                True,
                item.number,
                item.id,
            )
        )
    if extension_of(item) != "pdf":
        found.append(
            Problem(
                "not_pdf",
                _(
                    "Exhibit n° {number} is not a PDF file (“{name}”): Télérecours will refuse it. Make a PDF of it "
                    "and add that to the exhibit."
                ).format(number=item.number, name=name),
                True,
                item.number,
                item.id,
            )
        )
    return found


def _same_files(items: list[EvidenceView]) -> list[Problem]:
    """One problem for each file filed under several numbers (the same SHA-256): a warning, as an exhibit may be
    produced again on purpose, but it is usually a mistake."""
    numbers: dict[str, list[EvidenceView]] = {}
    for item in items:
        if item.file is not None and item.file.size > 0:
            numbers.setdefault(item.file.sha256, []).append(item)
    found: list[Problem] = []
    for same in numbers.values():
        if len({item.number for item in same}) < 2:
            continue
        listed = ", ".join(f"n° {n}" for n in sorted({item.number for item in same}))
        found.append(
            Problem(
                "same_file",
                _(
                    "Exhibits {numbers} are the same file (same SHA-256): check that it is meant to be produced twice."
                ).format(numbers=listed),
                False,
                min(item.number for item in same),
                same[0].id,
            )
        )
    return found


def _stored(files: EvidenceStore, sha256: str) -> bool:
    try:
        return files.has(sha256)
    except InvalidInput:
        return False


def export_exhibit_set(
    detail: CaseDetail,
    target: str | os.PathLike[str],
    *,
    files: EvidenceStore,
    filing_id: uuid.UUID | None = None,
    force: bool = False,
    overwrite: bool = False,
    lang: str = "fr",
    signature_city: str | None = None,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Write the exhibit set of a case (or of a filing) and its bordereau into a folder, or a zip when
    ``target`` ends in ``.zip``.

    Refuses (ExhibitSetError) while the set has blocking problems, unless ``force``: then the exhibits without a
    usable file (none, missing from the store, empty) are left out, of the files and of the bordereau, which lists
    only the exhibits the set holds; the others are written as they are (CaseApp converts nothing). Never replaces
    an existing zip or non-empty folder unless ``overwrite``. A file whose content no longer matches its SHA-256
    always stops the export (StorageError). ``signature_city`` is the town of the bordereau's "Fait à …".
    ``generated_at`` makes the zip and the bordereau reproducible.
    """
    lang = document_language(lang)
    find_filing(detail, filing_id)
    path = Path(target).expanduser()
    as_zip = path.suffix.lower() == ".zip"
    problems = check_exhibit_set(detail, filing_id, files=files, lang=lang)
    blocking = [p for p in problems if p.blocking]
    if blocking and not force:
        lines = "\n".join(f"- {p.message}" for p in blocking)
        raise ExhibitSetError(
            _(
                "The exhibit set cannot be exported until these problems are solved (or export it anyway):\n{problems}"
            ).format(problems=lines),
            problems,
        )
    _check_target(path, as_zip=as_zip, overwrite=overwrite)

    items = exhibits_for(detail, filing_id)
    unusable = {p.evidence_id for p in problems if p.code in UNUSABLE}
    exported = [item for item in items if item.file is not None and item.id not in unusable]
    skipped = tuple(item.number for item in items if item not in exported)
    names = _unique_names(exported, lang)
    moment = Generation.at(generated_at).moment

    bordereau = io.BytesIO()
    render_bordereau(
        detail,
        bordereau,
        filing_id=filing_id,
        lang=lang,
        only=[item.id for item in exported],
        signature_city=signature_city,
        generated_at=generated_at,
        cancelled=cancelled,
    )
    total = sum(item.file.size for item in exported if item.file) + 1
    done = 0

    def advance(amount: int) -> None:
        nonlocal done
        done += amount
        if progress is not None:
            progress(done, max(total, done))
        if cancelled is not None and cancelled():
            raise Cancelled()

    plan = _Plan(exported, names, bordereau.getvalue(), bordereau_file_name(lang), files, moment, overwrite, advance)
    if as_zip:
        _write_zip(path, plan)
    else:
        _write_folder(path, plan)
    if progress is not None:
        progress(total, total)
    written = (*(names[item.id] for item in exported), plan.bordereau_name)
    return ExportResult(
        path=path,
        files=written,
        skipped=skipped,
        problems=tuple(problems),
        listed=tuple(item.number for item in exported),
    )


def _unique_names(items: list[EvidenceView], lang: str) -> dict[uuid.UUID, str]:
    """File names per exhibit; a forced export of duplicate numbers gets "-2", "-3"… before the extension."""
    width = number_width(items)
    names: dict[uuid.UUID, str] = {}
    taken: set[str] = set()
    for item in items:
        name = exhibit_file_name(item, width=width, lang=lang)
        stem, dot, extension = name.rpartition(".")
        counter = 2
        while name.lower() in taken:
            tag = f"-{counter}"
            name = f"{stem[: MAX_NAME - len(tag) - len(dot + extension)].rstrip(' -_')}{tag}{dot}{extension}"
            counter += 1
        taken.add(name.lower())
        names[item.id] = name
    return names


def _already_exists(path: Path) -> StorageError:
    return StorageError(_("“{path}” already exists; choose another name or allow replacing it.").format(path=path))


def _not_empty(path: Path) -> StorageError:
    return StorageError(
        _("The folder “{path}” is not empty; choose an empty or new folder, or allow replacing it.").format(path=path)
    )


def _cannot_write(path: Path, exc: OSError) -> StorageError:
    return StorageError(_("“{path}” could not be written: {reason}.").format(path=path, reason=exc.strerror or exc))


def _check_target(path: Path, *, as_zip: bool, overwrite: bool) -> None:
    check_folder(path.parent)
    if path.is_symlink():
        raise StorageError(_("“{path}” is a link: CaseApp never writes through one.").format(path=path))
    if as_zip:
        from caseapp.outputs import check_output

        check_output(path)  # a regular file or nothing: never a device, a pipe or a socket
        if path.is_dir():
            raise StorageError(_("“{path}” is a folder: give a file name ending in .zip.").format(path=path))
        if path.exists() and not overwrite:
            raise _already_exists(path)
        return
    if path.exists() and not path.is_dir():
        raise StorageError(_("“{path}” is a file, not a folder.").format(path=path))
    if path.is_dir() and any(path.iterdir()) and not overwrite:
        raise _not_empty(path)


@dataclass(frozen=True)
class _Plan:
    """What an export writes, wherever it writes it."""

    items: list[EvidenceView]
    names: dict[uuid.UUID, str]
    bordereau: bytes
    bordereau_name: str
    files: EvidenceStore
    moment: datetime
    overwrite: bool
    advance: Advance

    def copy(self, item: EvidenceView, out: IO[bytes]) -> None:
        """Copy one stored file into ``out`` while re-hashing it; a changed file stops everything."""
        assert item.file is not None
        digest = hashlib.sha256()
        try:
            with self.files.path_for(item.file.sha256).open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    self.advance(len(chunk))
        except FileNotFoundError as exc:
            raise StorageError(
                _("The file of exhibit n° {number} is missing from the evidence store.").format(number=item.number)
            ) from exc
        if digest.hexdigest() != item.file.sha256:
            raise StorageError(
                _(
                    "The file of exhibit n° {number} has changed since it was added (its SHA-256 no longer matches): "
                    "the export was stopped."
                ).format(number=item.number)
            )


def _write_zip(path: Path, plan: _Plan) -> None:
    stamp = max(plan.moment.astimezone(PARIS).timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    temporary = reserve_temporary(path)
    try:
        with temporary.open("wb") as raw:
            with zipfile.ZipFile(raw, "w") as archive:
                for item in plan.items:
                    with archive.open(entry(plan.names[item.id]), "w") as out:
                        plan.copy(item, out)
                archive.writestr(entry(plan.bordereau_name), plan.bordereau)
            raw.flush()
            os.fsync(raw.fileno())
        if path.exists() and not plan.overwrite:  # appeared while we were writing
            raise _already_exists(path)
        publish(temporary, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _write_folder(path: Path, plan: _Plan) -> None:
    """Fill a temporary folder beside the target, then rename it into place (the old one set aside first)."""
    temporary = reserve_temporary(path, directory=True)
    old: Path | None = None
    try:
        for item in plan.items:
            with (temporary / plan.names[item.id]).open("wb") as out:
                plan.copy(item, out)
                out.flush()
                os.fsync(out.fileno())
        (temporary / plan.bordereau_name).write_bytes(plan.bordereau)
        os.chmod(temporary, 0o755)
        if path.is_dir():
            if any(path.iterdir()):
                if not plan.overwrite:
                    raise _not_empty(path)
                old = Path(f"{temporary}.old")
                os.rename(path, old)
            else:
                path.rmdir()
        os.rename(temporary, path)
    except OSError as exc:
        if old is not None and not path.exists():
            with contextlib.suppress(OSError):
                os.rename(old, path)  # put the previous folder back
            old = None
        raise _cannot_write(path, exc) from exc
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
