"""The case's documents (summary, bordereau, hearing sheet, Télérecours exhibit set), made off the GUI thread.

The read models come from the database worker; the PDF is laid out from them on a pool thread (ReportLab is pure
Python and may take seconds on a big case) into a private temporary file that the preview shows. Saving a copy
goes through the core's atomic writer, so a failed save never leaves half a PDF.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from caseapp.casefile.views import CaseDetail, HearingView
from caseapp.errors import Cancelled
from caseapp.i18n import N_, _
from ui.context import AppContext
from ui.operations.base import query
from ui.progress import Progress

SUMMARY = "summary"
BORDEREAU = "bordereau"
HEARING_SHEET = "hearing_sheet"

TITLES = {
    SUMMARY: N_("Case summary"),
    BORDEREAU: N_("Exhibit list (bordereau)"),
    HEARING_SHEET: N_("Hearing sheet"),
}
# file names suggested when saving, in the document's language
FILE_STEMS = {
    (SUMMARY, "fr"): "Synthese",
    (SUMMARY, "en"): "Case summary",
    (BORDEREAU, "fr"): "Bordereau de pieces",
    (BORDEREAU, "en"): "List of exhibits",
    (HEARING_SHEET, "fr"): "Fiche d'audience",
    (HEARING_SHEET, "en"): "Hearing sheet",
}


@dataclass(frozen=True)
class DocumentRequest:
    """Which document of which case, and how (documents are French unless English is asked for)."""

    kind: str
    case_id: uuid.UUID
    hearing_id: uuid.UUID | None = None
    filing_id: uuid.UUID | None = None
    lang: str = "fr"
    notes: bool = True  # the summary: include the hearing notes

    def but(self, **changes: Any) -> DocumentRequest:
        return replace(self, **changes)


@dataclass(frozen=True)
class Sources:
    """The read models a document is made from."""

    detail: CaseDetail
    hearing: HearingView | None = None


@dataclass(frozen=True)
class RenderedDocument:
    request: DocumentRequest
    path: Path  # the PDF, in a private temporary folder (removed with ``discard``)
    pages: int
    size: int
    suggested_name: str

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def safe_file_name(text: str, limit: int = 80) -> str:
    """A file name any system accepts, from a title or a court number."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.,'()" else " " for ch in text)
    return " ".join(kept.split())[:limit].strip(" .") or "document"


def suggested_name(request: DocumentRequest, detail: CaseDetail, hearing: HearingView | None) -> str:
    stem = FILE_STEMS[(request.kind, request.lang)]
    which = detail.court_number or detail.title
    if hearing is not None:
        which = f"{which} {hearing.starts_at.date().isoformat()}"
    return f"{safe_file_name(f'{stem} - {which}')}.pdf"


def load_sources(
    ctx: AppContext,
    request: DocumentRequest,
    *,
    owner: QObject,
    on_success: Callable[[Sources], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    def work(core: Any) -> Sources:
        from caseapp.services import cases, hearings

        hearing = hearings.get_hearing(core, request.hearing_id) if request.hearing_id else None
        return Sources(cases.get_case(core, request.case_id), hearing)

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)


def render_pdf(request: DocumentRequest, sources: Sources, progress: Progress | None = None) -> RenderedDocument:
    """Lay the document out into a private temporary file (runs on a pool thread)."""
    folder = Path(tempfile.mkdtemp(prefix="caseapp-document-"))
    target = folder / "document.pdf"
    cancelled = progress.cancelled if progress is not None else None
    try:
        if request.kind == SUMMARY:
            from caseapp.reports.summary import render_summary

            result = render_summary(
                sources.detail, target, lang=request.lang, notes=request.notes, progress=progress, cancelled=cancelled
            )
        elif request.kind == BORDEREAU:
            from caseapp.reports.bordereau import render_bordereau

            result = render_bordereau(
                sources.detail,
                target,
                filing_id=request.filing_id,
                lang=request.lang,
                progress=progress,
                cancelled=cancelled,
            )
        elif request.kind == HEARING_SHEET:
            from caseapp.reports.hearing_sheet import render_hearing_sheet

            assert sources.hearing is not None
            result = render_hearing_sheet(
                sources.detail, sources.hearing, target, lang=request.lang, progress=progress, cancelled=cancelled
            )
        else:
            raise ValueError(request.kind)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = suggested_name(request, sources.detail, sources.hearing)
    return RenderedDocument(request, target, result.pages, result.size, name)


def render(
    ctx: AppContext,
    request: DocumentRequest,
    sources: Sources,
    *,
    owner: QObject,
    parent: QWidget | None,
    on_success: Callable[[RenderedDocument], None],
    on_failure: Callable[[BaseException], None],
) -> Progress:
    """Make the PDF on a pool thread, with the progress dialog (and Cancel) if it takes a while."""
    progress = Progress(_("Preparing “{document}”…").format(document=_(TITLES[request.kind])))

    def work() -> RenderedDocument:
        rendered = render_pdf(request, sources, progress)
        if progress.cancelled():  # the preview closed (or Cancel was pressed) as it finished: leave nothing
            rendered.discard()
            raise Cancelled()
        return rendered

    def done(rendered: RenderedDocument) -> None:
        if progress.cancelled():  # cancelled just as it finished: drop it quietly
            rendered.discard()
            return
        on_success(rendered)

    ctx.tasks.run_in_pool(work, on_success=done, on_failure=on_failure, owner=owner, progress=progress, parent=parent)
    return progress


def save_copy(
    ctx: AppContext,
    rendered: RenderedDocument,
    target: Path,
    *,
    owner: QObject,
    on_success: Callable[[Path], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """Write the shown PDF to ``target`` through the core's atomic writer (temporary file, then rename)."""

    def work() -> Path:
        from caseapp.reports.base import write_atomically

        write_atomically(target, rendered.path.read_bytes())
        return target

    ctx.tasks.run_in_pool(work, on_success=on_success, on_failure=on_failure, owner=owner)


def viewer_copy(rendered: RenderedDocument) -> Path:
    """A copy under a readable name for the system's PDF viewer, kept after the preview closes (the viewer may
    still be reading it); the system's temporary folder is cleaned by the system."""
    folder = Path(tempfile.mkdtemp(prefix="caseapp-open-"))
    target = folder / rendered.suggested_name
    shutil.copyfile(rendered.path, target)
    return target


# -- the Télérecours exhibit set ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExhibitSetCheck:
    detail: CaseDetail
    problems: list[Any]  # caseapp.reports.telerecours.Problem, blocking ones first

    @property
    def blocking(self) -> list[Any]:
        return [p for p in self.problems if p.blocking]


def check_exhibit_set(
    ctx: AppContext,
    case_id: uuid.UUID,
    *,
    filing_id: uuid.UUID | None = None,
    owner: QObject,
    on_success: Callable[[ExhibitSetCheck], None],
) -> None:
    """The case and every problem of its exhibit set (on the worker: it looks into the evidence store)."""

    def work(core: Any) -> ExhibitSetCheck:
        from caseapp.reports import telerecours
        from caseapp.services import cases

        detail = cases.get_case(core, case_id)
        return ExhibitSetCheck(detail, telerecours.check_exhibit_set(detail, filing_id, files=core.db.files))

    query(ctx, work, on_success=on_success, owner=owner)


def export_exhibit_set(
    ctx: AppContext,
    detail: CaseDetail,
    target: Path,
    *,
    force: bool,
    filing_id: uuid.UUID | None = None,
    parent: QWidget | None,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Progress:
    """Write the exhibit files and their bordereau into a folder or a .zip, on a pool thread (it reads the evidence
    store's files, never the database)."""
    progress = Progress(_("Writing the exhibit set…"))
    files = ctx.core.db.files

    def work() -> Any:
        from caseapp.reports import telerecours

        return telerecours.export_exhibit_set(
            detail,
            target,
            files=files,
            filing_id=filing_id,
            force=force,
            progress=progress,
            cancelled=progress.cancelled,
        )

    ctx.tasks.run_in_pool(
        work, on_success=on_success, on_failure=on_failure, progress=progress, parent=parent, owner=parent
    )
    return progress
