"""The page template every CaseApp document shares, and the safe way of writing a PDF.

Two kinds of documents share it. An internal document (the case summary, the hearing sheet) carries a running
header (the case reference, wrapped rather than cut, and "Confidentiel" when the setting asks for it) and a footer
saying when it was generated and "page N / M". A document for the court or the other side (the bordereau, the
Télérecours set's bordereau) says only what its signatory would sign: no mark, nothing about the program that made
it; its footer is the court's case number and "page N / M". The total page count is only known at the end, so the
canvas keeps each finished page aside and draws headers and footers when the document is saved.

A PDF is laid out in memory, then written to a temporary file in the target folder and renamed over the
target: a failure, a full disk or a cancel never leaves half a PDF behind. Passing ``generated_at`` turns on
the deterministic mode: the "generated on" line, the PDF dates and the document id no longer depend on the
clock, so the same read models give the same bytes (tests compare them).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageTemplate, Paragraph

from caseapp import __version__
from caseapp.errors import Cancelled, CaseAppError, StorageError
from caseapp.i18n import _, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import styles as s
from caseapp.reports.formatting import NBSP, PARIS, document_language, format_moment, markup
from caseapp.store.files import fsync_folder

Target = str | os.PathLike[str] | BinaryIO
CANCEL_EVERY = 50  # rows between two cancel checks while a story is being built


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself: PDF metadata and the running header."""

    title: str
    subject: str
    header: str  # the case reference printed at the top of every page of an internal document
    lang: str = "fr"
    author: str = "CaseApp"
    keywords: tuple[str, ...] = ()
    # For the court or the other side: no running header, no "Confidentiel", nothing about the program (in the
    # pages or the PDF's metadata); the footer gives the court's case number and the page number.
    for_court: bool = False
    confidential: bool = True  # "CONFIDENTIEL" at the top of every page (internal documents only)
    court_number: str | None = None  # in the footer of a document for the court


@dataclass(frozen=True)
class RenderResult:
    """What writing a document gave: where the PDF went (None: to a file object), its number of pages and its size."""

    path: Path | None  # None when the PDF went to a file object
    pages: int
    size: int  # bytes


class Steps:
    """Progress and cancel for one rendering: builders call ``check()`` as they go; ReportLab's own layout
    progress is reported through ``layout()``."""

    def __init__(self, progress: Progress | None, cancelled: CancelCheck | None) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self._total = 1

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def every(self, index: int) -> None:
        """Check for a cancel every few rows of a long list."""
        if index % CANCEL_EVERY == 0:
            self.check()

    def report(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(done, max(total, done, 1))

    def layout(self, kind: str, value: int) -> None:
        """ReportLab's progress callback: SIZE_EST gives the number of flowables, PROGRESS how many are done."""
        if kind == "SIZE_EST":
            self._total = max(int(value), 1) + 1  # one more step: writing the file
        elif kind == "PROGRESS":
            self.report(int(value), self._total)
        self.check()

    def finished(self) -> None:
        self.report(self._total, self._total)


@dataclass(frozen=True)
class Generation:
    """When a document says it was generated, and whether its bytes must not depend on the clock."""

    moment: datetime
    deterministic: bool

    @classmethod
    def at(cls, generated_at: datetime | None = None) -> Generation:
        """``generated_at`` given → that moment, deterministic. Otherwise SOURCE_DATE_EPOCH (reproducible
        builds) when it is set, else now."""
        if generated_at is not None:
            moment = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
            return cls(moment, True)
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return cls(datetime.fromtimestamp(int(epoch), UTC), True)
        return cls(datetime.now(UTC), False)

    @property
    def today(self) -> date:
        """The day in Paris (what "overdue" is measured against)."""
        return self.moment.astimezone(PARIS).date()


HEADER_SIZE = 7.5
HEADER_LEADING = 9
HEADER_LINES = 2  # the running header wraps onto a second line rather than cutting the case's title


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) to fit ``width`` points; a binary search, as headers can be long."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _header_paragraph(text: str, width: float) -> Paragraph:
    """The running header laid out on at most ``HEADER_LINES`` lines of ``width`` points: whole when it fits (it
    nearly always does), else cut after its last whole word that fits."""
    style = ParagraphStyle(
        "running_header", fontName=s.SANS, fontSize=HEADER_SIZE, leading=HEADER_LEADING, textColor=s.MUTED
    )

    def laid_out(words: list[str], cut: bool) -> Paragraph:
        para = Paragraph(markup(" ".join(words) + ("…" if cut else "")), style)
        para.wrap(width, HEADER_LEADING * 10)
        return para

    words = text.split()
    whole = laid_out(words, False)
    if len(whole.blPara.lines) <= HEADER_LINES:
        return whole
    low, high = 1, len(words) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if len(laid_out(words[:middle], True).blPara.lines) <= HEADER_LINES:
            low = middle
        else:
            high = middle - 1
    return laid_out(words[:low], True)


_BOUND: ContextVar[bool] = ContextVar("caseapp_reports_bound", default=False)


@contextmanager
def bound_into_a_larger_document() -> Iterator[None]:
    """Documents laid out inside this block are bound into a larger PDF that numbers every page itself (the
    whole case as one PDF): they leave out their own "page N / M", so that no page carries two numbers."""
    token = _BOUND.set(True)
    try:
        yield
    finally:
        _BOUND.reset(token)


class _PageDecorator:
    """Draws the running header and the footer of one page, once the page count is known."""

    def __init__(self, info: DocumentInfo, generated: datetime) -> None:
        lang = document_language(info.lang)
        self.numbered = not _BOUND.get()
        self.for_court = info.for_court
        self.confidential = translate("Confidential", lang).upper() if info.confidential and not info.for_court else ""
        self.page_label = translate("page {number} / {total}", lang)
        if info.for_court:
            number = " ".join((info.court_number or "").split())
            self.footer = translate("Case No. {number}", lang).format(number=number) if number else ""
            self.footer = self.footer.replace("n° ", f"n°{NBSP}").replace("No. ", f"No.{NBSP}")
            self.header: Paragraph | None = None
        else:
            self.footer = translate("Generated on {moment}", lang).format(
                moment=format_moment(generated, info.lang, weekday=False)
            )
            width, _height = s.PAGE_SIZE
            room = width - s.MARGIN_LEFT - s.MARGIN_RIGHT
            if self.confidential:
                room -= stringWidth(self.confidential, s.SANS_BOLD, HEADER_SIZE) + 8 * mm
            header = " ".join(info.header.split())
            self.header = _header_paragraph(header, room) if header else None
        self.pages = 0

    def __call__(self, canvas: Canvas, number: int, total: int) -> None:
        self.pages = total
        width, height = s.PAGE_SIZE
        left, right = s.MARGIN_LEFT, width - s.MARGIN_RIGHT
        top = height - s.MARGIN_TOP + 7 * mm
        bottom = s.MARGIN_BOTTOM - 9 * mm
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        if not self.for_court:
            if self.confidential:
                canvas.setFillColor(s.ALERT)
                canvas.setFont(s.SANS_BOLD, HEADER_SIZE)
                canvas.drawRightString(right, top, self.confidential)
            if self.header is not None:
                # The last line's baseline on ``top``: a header on two lines grows upwards, into the margin.
                self.header.drawOn(canvas, left, top - (HEADER_LEADING - HEADER_SIZE))
            canvas.line(left, top - 2.2 * mm, right, top - 2.2 * mm)
        canvas.line(left, bottom + 3.5 * mm, right, bottom + 3.5 * mm)
        canvas.setFillColor(s.MUTED)
        canvas.setFont(s.SANS, HEADER_SIZE)
        page = self.page_label.format(number=number, total=total) if self.numbered else ""
        if page:
            canvas.drawRightString(right, bottom, page)
        room = right - left - (stringWidth(page, s.SANS, HEADER_SIZE) + 8 * mm if page else 0)
        if self.footer:
            canvas.drawString(left, bottom, _fit(self.footer, s.SANS, HEADER_SIZE, room))
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """A canvas that holds its pages back until ``save()``, so each can say "page N / M"."""

    def __init__(
        self,
        *args: Any,
        decorate: Callable[[Canvas, int, int], None],
        created: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._decorate = decorate
        if created is not None:
            stamp = created.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
            self.setDateFormatter(lambda *_parts: stamp)

    def showPage(self) -> None:  # ReportLab names its methods in camelCase
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            self._decorate(self, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


def _target_path(target: Target) -> Path | None:
    if isinstance(target, str | os.PathLike):
        return Path(target).expanduser()
    return None


def check_folder(folder: Path) -> None:
    """Say plainly why a folder cannot take a new file (it does not exist, or is not a folder)."""
    if not folder.exists():
        raise StorageError(_("The folder “{folder}” does not exist.").format(folder=folder))
    if not folder.is_dir():
        raise StorageError(_("“{folder}” is not a folder.").format(folder=folder))


def reserve_temporary(path: Path, *, directory: bool = False) -> Path:
    """Create the temporary file (or folder) a target is written to, next to it, or say why that is impossible."""
    if not directory and path.is_dir():
        raise StorageError(_("“{path}” is a folder: give a file name.").format(path=path))
    folder = path.parent
    check_folder(folder)
    try:
        if directory:
            return Path(tempfile.mkdtemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp"))
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        return Path(name)
    except OSError as exc:
        raise StorageError(
            _("The folder “{folder}” cannot be written: {reason}.").format(folder=folder, reason=exc.strerror or exc)
        ) from exc


def publish(temporary: Path, path: Path) -> None:
    """Give a finished temporary file its real name (atomic on one file system), with ordinary permissions."""
    try:
        mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        raise StorageError(
            _("“{path}” could not be written: {reason}.").format(path=path, reason=exc.strerror or exc)
        ) from exc
    fsync_folder(path.parent)


def write_atomically(path: Path, data: bytes, temporary: Path | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder; never a partial file."""
    temporary = temporary or reserve_temporary(path)
    try:
        with temporary.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        publish(temporary, path)
    except OSError as exc:
        raise StorageError(
            _("“{path}” could not be written: {reason}.").format(path=path, reason=exc.strerror or exc)
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def render(
    info: DocumentInfo,
    story: Sequence[Flowable],
    target: Target,
    *,
    generation: Generation | None = None,
    steps: Steps | None = None,
) -> RenderResult:
    """Lay out ``story`` on CaseApp pages and write the PDF to ``target`` (a path or a binary file object)."""
    steps = steps or Steps(None, None)
    path = _target_path(target)
    temporary = reserve_temporary(path) if path is not None else None
    try:
        generation = generation or Generation.at()
        deterministic = generation.deterministic
        decorate = _PageDecorator(info, generation.moment)
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=s.PAGE_SIZE,
            leftMargin=s.MARGIN_LEFT,
            rightMargin=s.MARGIN_RIGHT,
            topMargin=s.MARGIN_TOP,
            bottomMargin=s.MARGIN_BOTTOM,
            title=info.title,
            author="" if info.for_court else info.author,
            subject=info.subject,
            creator="" if info.for_court else f"CaseApp {__version__}",
            keywords=list(info.keywords),
            invariant=1 if deterministic else 0,
            lang="fr-FR" if document_language(info.lang) == "fr" else "en-GB",
            initialFontName=s.SANS,
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.setProgressCallBack(steps.layout)
        maker = partial(_NumberedCanvas, decorate=decorate, created=generation.moment if deterministic else None)
        try:
            doc.build(list(story), canvasmaker=maker)
        except LayoutError as exc:  # a bug of ours (some text was not shortened), said plainly
            raise CaseAppError(
                _("The document could not be laid out: some text is too large for a page. Please report this."),
                detail=str(exc),
            ) from exc
        steps.check()
        data = buffer.getvalue()
        if path is not None:
            write_atomically(path, data, temporary)
        else:
            try:
                target.write(data)  # type: ignore[union-attr]
            except OSError as exc:
                raise StorageError(_("The document could not be written: {reason}.").format(reason=exc)) from exc
        steps.finished()
        return RenderResult(path=path, pages=decorate.pages, size=len(data))
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
