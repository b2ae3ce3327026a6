"""The whole case as one PDF: what a lawyer takes to a hearing, or files with Télérecours as one document.

The whole case (the default): a cover with the table of contents, the case summary (without the hearing notes
unless they are asked for: they are privileged), the bordereau, then every exhibit whose file is a PDF or an image
(a JPEG or PNG becomes one A4 page), in number order. Bookmarks: the contents, the summary, the bordereau, and under
"Pièces" one per exhibit, "Pièce n° 3 — Délibération …", in the bordereau's numbering.

The Télérecours variant (``telerecours=True``): the bordereau then the exhibits, nothing else — no cover, no
summary, no note. One bookmark per exhibit, in number order, named as the bordereau lists it ("Pièce n° 1 :
Délibération n° 18-893 du 14 décembre 2018"): exhibits filed as one file are each marked by a bookmark naming them as
the inventory does (CJA, art. R. 412-2). Its bordereau lists only the exhibits the file holds.

Nothing is dropped silently. An exhibit without a file, whose file is missing from the evidence store or has changed
since it was added (its SHA-256 is checked again), is neither a PDF nor an image, is protected by a password or cannot
be read, is in ``CasePdfResult.left_out`` (the command line lists them) and the rest goes on. In the whole case it is
listed in the table of contents as "not included (DOCX)" (the reason) and keeps its bookmark (it leads to the
contents); the Télérecours file leaves it out of its bookmarks and of its bordereau, which list what the file holds.
(Exhibits have no "privileged" mark; the hearing notes are the only privileged content.)

Page numbers: "page N / M" is stamped at the foot of every page of the merged document, under the footer of our own
pages, in a small white box on the exhibits' ("Pièce n° 3 — page 14 / 120", the exhibit named on each of its pages).
Each stamp is a page of one ReportLab overlay (turned as its page is, so a landscape or rotated scan gets it at its
foot too), given to its page as a form XObject drawn after the page's own content (``q`` … ``Q``, then the stamp
moved to the page's visible box): the page's content streams are never parsed or rewritten, as qpdf's overlay does.
The contents, the summary and the bordereau keep their own footers but leave out their own page numbers
(``base.bound_into_a_larger_document``): the stamp is the one page number of each page. The table of contents needs
the pages of everything after it and its own length: it is laid out once with wide placeholder numbers to learn how
many pages it takes, then again with the real numbers.

Memory: pypdf writes a PDF from objects it holds in memory, and its writer keeps every reader alive until then, so
merging 300 MB of exhibits would take 300 MB and more. The big streams copied from an exhibit (page images, fonts:
16 KB or more) are therefore "parked" once its pages are copied: each is found in the exhibit's file (at the offset
the file's cross-reference gives, its first and last bytes compared with what pypdf read), and what pypdf holds
becomes a ``_Stored`` note of where the bytes are; the writer's output (``_Output``) copies them from the file when
pypdf writes them. A stream that cannot be found that way (an encrypted or repaired file) simply stays in memory. This
reaches into pypdf (``StreamObject._data``, ``PdfReader.resolved_objects`` and ``xref``, pinned below 7 in
pyproject.toml): tests/core/test_case_pdf.py checks that the parked images come out byte for byte. The exhibits'
files are open only while they are read (``_Source`` opens them again if pypdf needs them later, ``_Idle`` drops the
read buffer the reader would keep), so a case of thousands of exhibits runs out of neither file handles nor memory.
The page content streams are parked like the rest: the stamp leaves them as they are.

The PDF is written to a temporary file in the target folder, then renamed over the target (never half a PDF); image
pages are laid out in a temporary folder beside it, removed at the end. Measured (tests/benchmarks, ``case_pdf``):
1,000 exhibits, 304 MB, 2,288 pages in 8.6 s with a peak of 180 MB, where qpdf alone merges the files in 5.0 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

# pypdf is imported here only: this module is imported when the document is made.
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from caseapp import __version__
from caseapp.casefile.views import CaseDetail, EvidenceView
from caseapp.errors import Cancelled, InvalidInput, StorageError
from caseapp.i18n import N_, _, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import (
    DocumentInfo,
    Generation,
    RenderResult,
    Steps,
    bound_into_a_larger_document,
    publish,
    render,
    reserve_temporary,
)
from caseapp.reports.bordereau import exhibit_line, exhibits_for, render_bordereau
from caseapp.reports.formatting import clean_text, document_language, markup, shorten
from caseapp.reports.styles import Para
from caseapp.reports.summary import render_summary
from caseapp.reports.telerecours import extension_of
from caseapp.store.files import CHUNK, open_input

log = logging.getLogger(__name__)
# pypdf says what it repairs in a damaged file as warnings; an exhibit it cannot read is listed in the document.
logging.getLogger("pypdf").setLevel(logging.ERROR)

StorePath = Callable[[str], Path]  # an exhibit file's SHA-256 → where the evidence store keeps it

PARK_MIN = 16 * 1024  # streams this big or bigger are parked in their file until the PDF is written
_HEAD = 16 * 1024  # what is read at a stream object's offset to find where its data starts
_SAMPLE = 4096  # bytes compared at each end of a stream found in its file
_STREAM_DATA = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_SOURCE_BUFFER = 256 * 1024
_WRITE_CHECK = 8 * 1024 * 1024  # bytes written between two cancel checks
_STAMP_SIZE = 7.5
_STAMP_BASELINE = 5.5 * mm  # from the bottom of the page: under our pages' footer (MARGIN_BOTTOM - 9 mm)
_IMAGE_MARGIN = 15 * mm
_IMAGE_DPI = 150  # the size an image without a resolution is given (never enlarged beyond it)

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

WHOLE_CASE = N_("Whole case")
CONTENTS = N_("Contents")
NOT_INCLUDED = N_("not included ({reason})")
REASONS = {
    "no_file": N_("no file"),
    "missing": N_("file missing from the evidence store"),
    "changed": N_("file changed since it was added"),
    "encrypted": N_("protected by a password"),
    "damaged": N_("damaged file"),
}


@dataclass(frozen=True)
class LeftOut:
    """An exhibit whose file is not in the document, and why (``code``: no_file, missing, changed, format,
    encrypted, damaged; ``format``: the file's format, "DOCX", when that is why)."""

    number: int
    title: str
    code: str
    format: str = ""

    def reason(self, lang: str | None = None) -> str:
        """Why, in ``lang`` (the interface language by default): "DOCX", "protected by a password"…"""
        if self.code == "format":
            return self.format or "?"
        return translate(REASONS[self.code], lang)


@dataclass(frozen=True)
class CasePdfResult(RenderResult):
    """What writing the whole-case PDF gave: the file, how many exhibits it carries, and which it leaves out and why."""

    left_out: tuple[LeftOut, ...] = ()
    exhibits: int = 0  # exhibits whose file is in the document


@dataclass
class _Part:
    """One stretch of the document: a part of ours, or one exhibit (``item``)."""

    label: str  # in the contents and the bookmarks
    stamp: str  # before "page N / M" at the foot of its pages
    item: EvidenceView | None = None
    first: int = 0  # its first page (from 0)
    pages: int = 0
    left_out: LeftOut | None = None
    ours: bool = True  # laid out by CaseApp (the stamp needs no box)


# -- the files ------------------------------------------------------------------------------------------------------


class _Stored:
    """The bytes of a stream left in a file until the PDF is written: ``_Output`` copies them across."""

    __slots__ = ("length", "offset", "path")

    def __init__(self, path: Path, offset: int, length: int) -> None:
        self.path, self.offset, self.length = path, offset, length

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:  # should anything else want the bytes themselves
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return handle.read(self.length)


class _Source(io.RawIOBase):
    """An exhibit's file as pypdf reads it: opened when read, closed by ``park`` and opened again if pypdf comes
    back to it (it may, for a link, when the PDF is written) — thousands of exhibits never hold thousands of
    file handles."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: io.BufferedReader | None = None
        self._position = 0
        self._size = path.stat().st_size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._file is None:
            self._file = self.path.open("rb")
        self._file.seek(self._position)
        count = self._file.readinto(buffer) or 0
        self._position += count
        return count

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def park(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def close(self) -> None:
        self.park()
        super().close()


class _Idle:
    """An exhibit's file once its pages are copied: pypdf's reader keeps it (the writer keeps the reader), and may
    come back to it; its read buffer is made again only then (a thousand readers kept a thousand buffers)."""

    def __init__(self, source: _Source) -> None:
        self._source = source
        self._buffered: io.BufferedReader | None = None

    def __getattr__(self, name: str) -> Any:
        if self._buffered is None:
            self._buffered = io.BufferedReader(self._source, _SOURCE_BUFFER)
        return getattr(self._buffered, name)


class _Output:
    """What pypdf writes the PDF to: the temporary file, with the parked streams copied in from their files as
    they come, progress reported and cancel heard on the way."""

    def __init__(self, handle: IO[bytes], advance: Callable[[int], None]) -> None:
        self._handle = handle
        self._write = handle.write
        self._advance = advance
        self._open: tuple[Path, IO[bytes]] | None = None
        self._since_check = 0

    def write(self, data: Any) -> int:
        if data.__class__ is _Stored:
            return self._copy(data)
        return self._write(data)

    def tell(self) -> int:
        return self._handle.tell()

    def flush(self) -> None:
        self._handle.flush()

    def _copy(self, stored: _Stored) -> int:
        if self._open is None or self._open[0] != stored.path:
            self.close_source()
            self._open = (stored.path, stored.path.open("rb"))
        source = self._open[1]
        source.seek(stored.offset)
        left = stored.length
        while left:
            chunk = source.read(min(left, CHUNK))
            if not chunk:
                raise StorageError(
                    _("“{path}” was cut short while the document was being written.").format(path=stored.path)
                )
            self._write(chunk)
            left -= len(chunk)
        self._since_check += stored.length
        if self._since_check >= _WRITE_CHECK:
            self._advance(self._since_check)
            self._since_check = 0
        return stored.length

    def close_source(self) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None


def _stored_at(raw: IO[bytes], path: Path, offset: int, data: bytes) -> _Stored | None:
    """Where ``data`` (a stream's bytes as pypdf read them) lies in the file, found from the stream object's
    offset (the first ``stream`` keyword after its dictionary) and checked at both ends; None if it is not there
    as it is (then it stays in memory). The evidence store's files never change: each was checked against its
    SHA-256 just before."""
    raw.seek(offset)
    head = raw.read(_HEAD)
    found = _STREAM_DATA.search(head)
    if found is None:
        return None
    start = offset + found.end()
    for at in {0, max(0, len(data) - _SAMPLE)}:  # its first and last bytes (a wrong place shows at once)
        raw.seek(start + at)
        if raw.read(_SAMPLE) != data[at : at + _SAMPLE]:
            return None
    return _Stored(path, start, len(data))


def _streams(pages: Sequence[Any]) -> Iterator[StreamObject]:
    """Every stream the pages reach (resources, forms, annotations' appearances), each once."""
    seen: set[int] = set()
    stack: list[Any] = [page for page in pages]
    while stack:
        value = stack.pop()
        if isinstance(value, IndirectObject):
            if value.idnum in seen:
                continue
            seen.add(value.idnum)
            value = value.get_object()
        if isinstance(value, StreamObject):
            yield value
        if isinstance(value, DictionaryObject):
            stack.extend(v for k, v in value.items() if k not in ("/Parent", "/P"))
        elif isinstance(value, ArrayObject):
            stack.extend(value)


def _park(reader: PdfReader, path: Path, pages: Sequence[Any]) -> int:
    """Park the big streams of an exhibit just copied: in the reader (which the writer keeps alive) and in the
    copies the writer made of them (they share their bytes). Returns the bytes parked."""
    parked: dict[int, tuple[bytes, _Stored]] = {}
    with path.open("rb") as raw:
        for (generation, idnum), obj in list(reader.resolved_objects.items()):
            if not isinstance(obj, StreamObject) or obj.get("/Type") in ("/ObjStm", "/XRef"):
                continue
            data = obj._data
            if data.__class__ is not bytes or len(data) < PARK_MIN:
                continue
            offset = reader.xref.get(generation, {}).get(idnum)
            if not isinstance(offset, int):
                continue
            hit = parked.get(id(data))
            stored = hit[1] if hit is not None else _stored_at(raw, path, offset, data)
            if stored is None:
                continue
            parked[id(data)] = (data, stored)
            cast(Any, obj)._data = stored
    for obj in _streams(pages):
        hit = parked.get(id(obj._data))
        if hit is not None and hit[0] is obj._data:
            cast(Any, obj)._data = hit[1]
    return sum(len(stored) for _data, stored in parked.values())


class _NotIncluded(Exception):
    def __init__(self, code: str, format: str = "") -> None:
        super().__init__(code)
        self.code, self.format = code, format


def _check(item: EvidenceView, store_path_for: StorePath, advance: Callable[[int], None]) -> tuple[str, Path]:
    """The exhibit's file in the store, checked against its SHA-256: ("pdf" | "jpeg" | "png", path). Raises
    _NotIncluded."""
    if item.file is None:
        raise _NotIncluded("no_file")
    try:
        path = store_path_for(item.file.sha256)
        handle = open_input(path)
    except InvalidInput as exc:
        log.warning("exhibit %s: %s", item.number, exc)
        raise _NotIncluded("missing") from None
    digest = hashlib.sha256()
    head = b""
    with handle:
        while chunk := handle.read(CHUNK):
            if not head:
                head = chunk[:1024]
            digest.update(chunk)
            advance(len(chunk))
    if digest.hexdigest() != item.file.sha256:
        raise _NotIncluded("changed")
    if PDF_MAGIC in head:
        return "pdf", path
    if head.startswith(JPEG_MAGIC):
        return "jpeg", path
    if head.startswith(PNG_MAGIC):
        return "png", path
    raise _NotIncluded("format", extension_of(item).upper())


def _add_pdf(writer: PdfWriter, path: Path) -> tuple[list[Any], PdfReader, _Source]:
    """Copy every page of the PDF at ``path`` to the end of ``writer``, all or none: (the copies, the reader, its
    file). Raises _NotIncluded (encrypted, damaged)."""
    source = _Source(path)
    try:
        reader = PdfReader(io.BufferedReader(source, _SOURCE_BUFFER), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # a file with restrictions but no password to open it is read
            except MemoryError:
                raise
            except Exception:
                opened = False
            if not opened:
                raise _NotIncluded("encrypted")
        pages = list(reader.pages)
        if not pages:
            raise _NotIncluded("damaged")
    except _NotIncluded:
        source.close()
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pypdf says a damaged file in many ways
        source.close()
        log.warning("%s cannot be read as a PDF: %r", path.name, exc)
        raise _NotIncluded("damaged") from None
    start = len(writer.pages)
    added: list[Any] = []
    try:
        for page in pages:
            added.append(writer.add_page(page))
    except MemoryError:
        raise
    except Exception as exc:
        while len(writer.pages) > start:
            writer.remove_page(len(writer.pages) - 1)
        source.close()
        log.warning("%s cannot be copied: %r", path.name, exc)
        raise _NotIncluded("damaged") from None
    return added, reader, source


# -- our own pages ----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _plain_streams() -> Iterator[None]:
    """ReportLab writes streams in ASCII85 by default, in pure Python (a second per megabyte), which pypdf then
    decodes, in pure Python too: not for images of exhibits nor for the stamps. The setting is read once by each
    image or page as it is made, so another document laid out meanwhile only gets plain streams too."""
    with _IMAGES:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


_IMAGES = threading.Lock()
# EXIF orientation → degrees the stored image turns clockwise to be seen upright (mirrored ones as their turn)
_TURNS = {3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270}


def _image_page(path: Path, target: Path, label: str, lang: str) -> None:
    """One A4 page (portrait or landscape, as the image) with the image fitted inside the margins, its exhibit
    named at the top. Raises _NotIncluded (damaged) for an image that cannot be read."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            width, height = image.size
            turn = _TURNS.get(image.getexif().get(0x0112, 1), 0)
            dpi = image.info.get("dpi") or (_IMAGE_DPI, _IMAGE_DPI)
    except MemoryError:
        raise
    except Exception as exc:
        log.warning("%s cannot be read as an image: %r", path.name, exc)
        raise _NotIncluded("damaged") from None
    seen_w, seen_h = (height, width) if turn in (90, 270) else (width, height)
    page_w, page_h = s.PAGE_SIZE if seen_h >= seen_w else (s.PAGE_SIZE[1], s.PAGE_SIZE[0])
    room_w = page_w - 2 * _IMAGE_MARGIN
    room_h = page_h - 2 * _IMAGE_MARGIN - 6 * mm  # the caption
    natural = 72 / max(float(dpi[0] or _IMAGE_DPI), 1.0), 72 / max(float(dpi[1] or _IMAGE_DPI), 1.0)
    scale = min(room_w / max(seen_w * natural[0], 1), room_h / max(seen_h * natural[1], 1), 1.0)
    draw_w, draw_h = seen_w * natural[0] * scale, seen_h * natural[1] * scale
    x = (page_w - draw_w) / 2
    y = _IMAGE_MARGIN + (room_h - draw_h) / 2
    canvas = Canvas(str(target), pagesize=(page_w, page_h), pageCompression=1, lang=_pdf_lang(lang))
    s.register_fonts()
    canvas.setFont(s.SANS, 8)
    canvas.setFillColor(s.MUTED)
    canvas.drawString(_IMAGE_MARGIN, page_h - _IMAGE_MARGIN, _fit(label, s.SANS, 8, room_w))
    canvas.saveState()
    # Drawn turned as its EXIF orientation says (in (0, 0)-(w, h) of the image as stored, turned into place).
    stored_w, stored_h = (draw_h, draw_w) if turn in (90, 270) else (draw_w, draw_h)
    if turn == 90:
        canvas.translate(x, y + draw_h)
        canvas.rotate(-90)
    elif turn == 180:
        canvas.translate(x + draw_w, y + draw_h)
        canvas.rotate(180)
    elif turn == 270:
        canvas.translate(x + draw_w, y)
        canvas.rotate(90)
    else:
        canvas.translate(x, y)
    try:
        with _plain_streams():
            canvas.drawImage(str(path), 0, 0, width=stored_w, height=stored_h, mask="auto")
        canvas.restoreState()
        canvas.showPage()
        canvas.save()
    except MemoryError:
        raise
    except Exception as exc:
        log.warning("%s cannot be laid out: %r", path.name, exc)
        raise _NotIncluded("damaged") from None


def _pdf_lang(lang: str) -> str:
    return "fr-FR" if document_language(lang) == "fr" else "en-GB"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 10))]
    return text.rstrip() + "…"


def _exhibit_label(item: EvidenceView, lang: str, telerecours: bool) -> str:
    """The exhibit's bookmark and line in the contents: as the bordereau lists it for Télérecours ("Pièce n° 1 :
    Délibération … — 14 décembre 2018"), else "Pièce n° 3 — Délibération …"."""
    if telerecours:
        return shorten(exhibit_line(item, lang), 500)
    title = " ".join(clean_text(item.title).split()) or "—"
    return f"{translate('Exhibit No. {number}', lang).format(number=item.number)} — {shorten(title, 300)}"


def _exhibit_stamp(item: EvidenceView, lang: str) -> str:
    return translate("Exhibit No. {number}", lang).format(number=item.number)


def _contents_story(
    detail: CaseDetail, entries: list[_Part], numbers: list[str], lang: str, *, notes: bool
) -> list[Flowable]:
    """The cover: what the document is, then one line per part and per exhibit with its first page."""
    st = s.styles()
    flow: list[Flowable] = [
        Para(markup(translate(WHOLE_CASE, lang).upper()), st.kicker),
        parts.para(detail.title, st.title),
    ]
    facts: list[tuple[str, Flowable]] = []
    if detail.court:
        facts.append((translate("Court", lang), parts.para(detail.court, st.cell_bold)))
    if detail.court_number:
        facts.append((translate("Case number", lang), parts.para(detail.court_number, st.cell_bold)))
    if facts:
        flow += [s.key_values(facts), Spacer(1, 3 * mm)]
    what = translate(
        "This file holds the case summary, the list of exhibits and the files of the exhibits, in the order of "
        "their numbers. An exhibit whose file is not a PDF or an image, or cannot be read, is listed below as not "
        "included.",
        lang,
    )
    privileged = (
        translate("The notes taken at the hearings are included: do not hand this file to anyone else.", lang)
        if notes
        else translate("The notes taken at the hearings are left out.", lang)
    )
    flow += [Para(markup(what), st.body), Para(markup(privileged), st.muted)]
    flow.append(Para(markup(translate(CONTENTS, lang)), st.h1))
    rows: list[list[Flowable | str]] = [
        [Para(markup(translate("Part", lang)), st.cell_head), Para(markup(translate("Page", lang)), st.cell_head)]
    ]
    # Plain strings on one line each (a thousand rows lay out much faster than Paragraphs); a left-out exhibit's
    # reason on a second line, in red.
    page_width = 20 * mm
    room = s.FRAME_WIDTH - page_width - 6
    font, size = s.CELL_FONT[0], s.CELL_FONT[1]
    extra: list[tuple[Any, ...]] = [("ALIGN", (1, 0), (1, -1), "RIGHT")]
    for row, (entry, number) in enumerate(zip(entries, numbers, strict=True), start=1):
        text = _fit(entry.label, s.SANS_BOLD if entry.item is None else font, size, room)
        if entry.item is None:
            extra.append(("FONT", (0, row), (0, row), s.SANS_BOLD, size, s.CELL_FONT[2]))
        if entry.left_out is not None:
            reason = translate(NOT_INCLUDED, lang).format(reason=entry.left_out.reason(lang))
            text += "\n" + _fit(reason, font, size, room)
            extra.append(("TEXTCOLOR", (0, row), (-1, row), s.ALERT))
        rows.append([text, number])
    flow.append(s.table(rows, [s.FRAME_WIDTH - page_width, page_width], extra=extra))
    return flow


# -- the stamp ------------------------------------------------------------------------------------------------------


def _stamps(writer: PdfWriter, labels: list[tuple[str, bool]], lang: str, steps: Steps) -> None:
    """Stamp "… page N / M" at the foot of every page (see the module's docstring)."""
    total = len(writer.pages)
    page_label = translate("page {number} / {total}", lang)
    geometry: list[tuple[float, float, float, float, int]] = []
    for page in writer.pages:
        box = page.cropbox
        turn = int(page.get("/Rotate", 0) or 0) % 360
        geometry.append(
            (float(box.left), float(box.bottom), float(box.width), float(box.height), turn if turn % 90 == 0 else 0)
        )
    overlay = io.BytesIO()
    s.register_fonts()
    with _plain_streams():
        _draw_stamps(overlay, geometry, labels, page_label, total, steps)
    stamps = PdfReader(overlay)
    fonts = stamps.pages[0]["/Resources"].clone(writer) if total else None  # the overlay's font, copied once
    opening = writer._add_object(_stream(b"q\n"))  # the page's own drawing, its state kept to itself
    closings: dict[tuple[float, float], Any] = {}
    for index, page in enumerate(writer.pages):
        if index % 50 == 0:
            steps.check()
            steps.report(index, total)
        x, y, width, height, _turn = geometry[index]
        form = _stream(_content_of(stamps.pages[index]))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [FloatObject(0), FloatObject(0), FloatObject(abs(width)), FloatObject(abs(height))]
                ),
                NameObject("/Resources"): fonts,
            }
        )
        _give_stamp(page, writer._add_object(form))
        if (x, y) not in closings:
            closings[(x, y)] = writer._add_object(
                _stream(f"\nQ\nq 1 0 0 1 {x:.4f} {y:.4f} cm {_STAMP_NAME} Do Q\n".encode())
            )
        contents = page.get("/Contents")
        if contents is None:
            drawn: list[Any] = []
        elif isinstance(contents.get_object(), ArrayObject):
            drawn = list(contents.get_object())
        else:
            drawn = [page.raw_get("/Contents")]
        page[NameObject("/Contents")] = ArrayObject([opening, *drawn, closings[(x, y)]])


_STAMP_NAME = "/CaseAppStamp"


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _content_of(page: Any) -> bytes:
    """The drawing operators of one page of the overlay (ReportLab writes them uncompressed: ``pageCompression=0``)."""
    contents = page["/Contents"].get_object()
    items = contents if isinstance(contents, ArrayObject) else [contents]
    return b"\n".join(item.get_object().get_data() for item in items)


def _give_stamp(page: Any, form: Any) -> None:
    """Name the stamp ``_STAMP_NAME`` in the page's own resources: a copy of them, for pages often share theirs
    (the page's fonts and images are still shared: only the two dictionaries are new)."""
    resources = page.get("/Resources")
    mine = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    forms = mine.get("/XObject")
    named = DictionaryObject(forms.get_object()) if forms is not None else DictionaryObject()
    named[NameObject(_STAMP_NAME)] = form
    mine[NameObject("/XObject")] = named
    page[NameObject("/Resources")] = mine


def _draw_stamps(
    overlay: IO[bytes],
    geometry: list[tuple[float, float, float, float, int]],
    labels: list[tuple[str, bool]],
    page_label: str,
    total: int,
    steps: Steps,
) -> None:
    """One overlay page per page: its size, turned as the page is, the stamp at the foot."""
    canvas = Canvas(overlay, pageCompression=0)  # read by pypdf at once: nothing to gain compressing it
    for number, ((_x, _y, width, height, turn), (label, boxed)) in enumerate(zip(geometry, labels, strict=True), 1):
        if number % 200 == 0:
            steps.check()
        canvas.setPageSize((abs(width), abs(height)))
        seen_w = abs(height) if turn in (90, 270) else abs(width)
        if turn == 90:
            canvas.translate(abs(width), 0)
            canvas.rotate(90)
        elif turn == 180:
            canvas.translate(abs(width), abs(height))
            canvas.rotate(180)
        elif turn == 270:
            canvas.translate(0, abs(height))
            canvas.rotate(270)
        text = f"{label} — {page_label.format(number=number, total=total)}" if label else ""
        text = _fit(text, s.SANS, _STAMP_SIZE, max(seen_w - 10 * mm, 20 * mm))
        text_width = stringWidth(text, s.SANS, _STAMP_SIZE)
        centre = seen_w / 2
        # As few drawing operators as it takes: pypdf parses the stamp's every time it merges one.
        if boxed:
            canvas.setFillColor(colors.white)
            canvas.rect(centre - text_width / 2 - 2 * mm, _STAMP_BASELINE - 1.6 * mm, text_width + 4 * mm, 5 * mm, 0, 1)
            canvas.setFillColor(s.INK)
        else:
            canvas.setFillColor(s.MUTED)
        canvas.setFont(s.SANS, _STAMP_SIZE)
        canvas.drawCentredString(centre, _STAMP_BASELINE, text)
        canvas.showPage()
    canvas.save()


# -- the document ---------------------------------------------------------------------------------------------------


@dataclass
class _Work:
    """What one rendering holds: the writer, the exhibits' files it reads, the temporary folder."""

    writer: PdfWriter
    scratch: Path
    sources: list[_Source] = field(default_factory=list)
    readers: list[PdfReader] = field(default_factory=list)

    def close(self) -> None:
        for source in self.sources:
            with contextlib.suppress(OSError):
                source.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


def render_case_pdf(
    detail: CaseDetail,
    target: str | os.PathLike[str],
    *,
    lang: str = "fr",
    store_path_for: StorePath,
    telerecours: bool = False,
    include_privileged: bool = False,
    confidential: bool = True,
    signature_city: str | None = None,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> CasePdfResult:
    """Write the whole case as one PDF to ``target`` (see the module's docstring).

    ``store_path_for`` gives the stored file of an exhibit's SHA-256 (``EvidenceStore.path_for``): the files are
    read from the store, never the database. ``telerecours``: the single file for Télérecours. ``include_privileged``
    puts the hearing notes in the summary. ``confidential`` and ``signature_city`` are passed to the summary and the
    bordereau (the settings). Raises StorageError when the target cannot be written, Cancelled when
    ``cancelled()`` turns true (nothing is left behind either way).
    """
    lang = document_language(lang)
    steps = Steps(progress, cancelled)
    generation = Generation.at(generated_at)
    path = Path(target).expanduser()
    items = exhibits_for(detail)
    temporary = reserve_temporary(path)
    work: _Work | None = None
    try:
        work = _Work(PdfWriter(), reserve_temporary(path, directory=True))
        sizes = sum(item.file.size for item in items if item.file is not None)
        total = 3 * sizes + 1
        done = 0

        def advance(amount: int) -> None:
            nonlocal done
            done += amount
            steps.report(min(done, total - 1), total)
            steps.check()

        exhibits = _add_exhibits(work, items, lang, telerecours, store_path_for, advance)
        with bound_into_a_larger_document():  # the stamp numbers their pages: no second "page N / M"
            front = _front_parts(
                work,
                detail,
                exhibits,
                lang=lang,
                telerecours=telerecours,
                notes=include_privileged,
                confidential=confidential,
                signature_city=signature_city,
                generation=generation,
                generated_at=generated_at,
                cancelled=cancelled,
            )
        every = front + exhibits
        labels: list[tuple[str, bool]] = []
        for entry in every:
            labels += [(entry.stamp, not entry.ours)] * entry.pages
        _stamps(work.writer, labels, lang, Steps(_scaled(steps, done, sizes, total), cancelled))
        done = 2 * sizes
        _outline(work.writer, front, exhibits, telerecours=telerecours, lang=lang)
        _describe(work.writer, detail, lang, telerecours=telerecours, generation=generation)
        size = _write(work.writer, temporary, advance)
        steps.check()
        publish(temporary, path)
        steps.finished()
        left = tuple(entry.left_out for entry in exhibits if entry.left_out is not None)
        return CasePdfResult(
            path=path,
            pages=len(work.writer.pages),
            size=size,
            left_out=left,
            exhibits=sum(1 for entry in exhibits if entry.left_out is None),
        )
    finally:
        if work is not None:
            work.close()
        with contextlib.suppress(OSError):
            temporary.unlink()


def _scaled(steps: Steps, start: int, span: int, total: int) -> Progress:
    """Progress of the stamping (pages) as the middle third of the whole."""

    def report(done: int, count: int) -> None:
        steps.report(min(start + span * done // max(count, 1), total - 1), total)

    return report


def _add_exhibits(
    work: _Work,
    items: list[EvidenceView],
    lang: str,
    telerecours: bool,
    store_path_for: StorePath,
    advance: Callable[[int], None],
) -> list[_Part]:
    """Copy every exhibit's pages into the writer, in number order; the others are listed with their reason."""
    exhibits: list[_Part] = []
    for item in items:
        entry = _Part(_exhibit_label(item, lang, telerecours), _exhibit_stamp(item, lang), item, ours=False)
        exhibits.append(entry)
        try:
            kind, stored = _check(item, store_path_for, advance)
            if kind != "pdf":
                page = work.scratch / f"{len(exhibits)}.pdf"
                _image_page(stored, page, entry.label, lang)
                stored = page
            start = len(work.writer.pages)
            added, reader, source = _add_pdf(work.writer, stored)
            work.sources.append(source)
            work.readers.append(reader)
            _park(reader, stored, added)
            source.park()
            reader.stream = cast(Any, _Idle(source))  # the read buffer goes with it (the writer keeps the reader)
            entry.first, entry.pages = start, len(added)
        except _NotIncluded as why:
            entry.left_out = LeftOut(item.number, item.title, why.code, why.format)
    return exhibits


def _front_parts(
    work: _Work,
    detail: CaseDetail,
    exhibits: list[_Part],
    *,
    lang: str,
    telerecours: bool,
    notes: bool,
    confidential: bool,
    signature_city: str | None,
    generation: Generation,
    generated_at: datetime | None,
    cancelled: CancelCheck | None,
) -> list[_Part]:
    """Lay out our parts (the contents, the summary, the bordereau), put their pages before the exhibits', and move
    the exhibits' first pages past them (an exhibit left out leads to the first page)."""
    made: list[tuple[_Part, PdfReader]] = []
    if not telerecours:
        summary = io.BytesIO()
        render_summary(
            detail,
            summary,
            lang=lang,
            notes=notes,
            confidential=confidential,
            exhibits=False,  # the bordereau right after lists them
            generated_at=generated_at,
            cancelled=cancelled,
        )
        title = translate("Case summary", lang)
        made.append((_Part(title, title), PdfReader(summary)))
    bordereau = io.BytesIO()
    kept = [entry.item.id for entry in exhibits if entry.item is not None and entry.left_out is None]
    render_bordereau(
        detail,
        bordereau,
        lang=lang,
        only=kept if telerecours else None,  # the single file's bordereau lists what it holds
        signature_city=signature_city,
        generated_at=generated_at,
        cancelled=cancelled,
    )
    title = translate("List of exhibits", lang)
    made.append((_Part(title, title), PdfReader(bordereau)))
    for entry, reader in made:
        entry.pages = len(reader.pages)
    if not telerecours:
        label = translate(CONTENTS, lang)
        contents = _Part(label, label)
        data = _contents(
            detail, contents, [entry for entry, _r in made], exhibits, lang, notes, confidential, generation
        )
        made.insert(0, (contents, PdfReader(io.BytesIO(data))))
    count = 0
    for entry, reader in made:
        entry.first, entry.pages = count, len(reader.pages)
        for page in reader.pages:
            work.writer.insert_page(page, count)
            count += 1
        if cancelled is not None and cancelled():
            raise Cancelled()
    for entry in exhibits:
        entry.first = entry.first + count if entry.left_out is None else 0
    return [entry for entry, _reader in made]


def _contents(
    detail: CaseDetail,
    contents: _Part,
    front: list[_Part],
    exhibits: list[_Part],
    lang: str,
    notes: bool,
    confidential: bool,
    generation: Generation,
) -> bytes:
    """The cover and contents, laid out until the page numbers it gives are right: with placeholders as wide as
    the numbers to learn how long it is, then with the numbers (once more if that changed its length)."""
    reference = parts.case_reference(detail, lang)
    info = DocumentInfo(
        title=f"{translate(WHOLE_CASE, lang)} — {' '.join(detail.title.split())}",
        subject=reference,
        header=reference,
        lang=lang,
        keywords=tuple(k for k in (detail.court_number, detail.reference) if k),
        confidential=confidential,
    )
    entries = [contents, *front, *exhibits]
    width = len(str(sum(entry.pages for entry in entries) + 1000))  # the contents' own pages included
    numbers = ["0" * width] * len(entries)
    length = -1
    for _attempt in range(4):
        buffer = io.BytesIO()
        result = render(
            info, _contents_story(detail, entries, numbers, lang, notes=notes), buffer, generation=generation
        )
        if result.pages == length:
            return buffer.getvalue()
        length = contents.pages = result.pages
        at = length
        for entry in front:
            entry.first = at
            at += entry.pages
        numbers = ["1", *(str(entry.first + 1) for entry in front)]
        numbers += [str(at + entry.first + 1) if entry.left_out is None else "—" for entry in exhibits]
    raise StorageError(_("The table of contents could not be laid out."))


def _outline(writer: PdfWriter, front: list[_Part], exhibits: list[_Part], *, telerecours: bool, lang: str) -> None:
    """The bookmarks (see the module's docstring); the viewer opens with them shown."""
    writer.page_mode = "/UseOutlines"
    if telerecours:
        for entry in exhibits:
            if entry.left_out is None:
                writer.add_outline_item(entry.label, entry.first)
        return
    for entry in front:
        writer.add_outline_item(entry.label, entry.first)
    if not exhibits:
        return
    first = next((entry.first for entry in exhibits if entry.left_out is None), 0)
    parent = writer.add_outline_item(translate("Exhibits", lang), first)
    for entry in exhibits:
        title = entry.label
        if entry.left_out is not None:
            title += f" ({translate(NOT_INCLUDED, lang).format(reason=entry.left_out.reason(lang))})"
        writer.add_outline_item(title, entry.first, parent=parent)


def _describe(writer: PdfWriter, detail: CaseDetail, lang: str, *, telerecours: bool, generation: Generation) -> None:
    """The PDF's metadata: for Télérecours, as the bordereau's, nothing about the program."""
    court = " — ".join(
        " ".join(p.split())
        for p in (detail.court or "", parts.number_text(detail.court_number, lang) if detail.court_number else "")
        if p.strip()
    )
    moment = generation.moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
    if telerecours:
        info = {"/Title": f"{translate('Exhibits', lang)} — {court or ' '.join(detail.title.split())}"}
    else:
        info = {
            "/Title": f"{translate(WHOLE_CASE, lang)} — {' '.join(detail.title.split())}",
            "/Subject": parts.case_reference(detail, lang),
            "/Author": "CaseApp",
            "/Creator": f"CaseApp {__version__}",
        }
    info["/CreationDate"] = moment
    writer.metadata = info  # pypdf's own "Producer" goes
    writer.root_object[NameObject("/Lang")] = TextStringObject(_pdf_lang(lang))


def _write(writer: PdfWriter, temporary: Path, advance: Callable[[int], None]) -> int:
    """Write the PDF into the temporary file (the parked streams copied from their files); returns its size."""
    try:
        with temporary.open("wb") as handle:
            output = _Output(handle, advance)
            try:
                writer.write(cast(Any, output))
            finally:
                output.close_source()
            handle.flush()
            os.fsync(handle.fileno())
            return handle.tell()
    except OSError as exc:
        raise StorageError(
            _("“{path}” could not be written: {reason}.").format(path=temporary, reason=exc.strerror or exc)
        ) from exc
