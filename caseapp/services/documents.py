"""The case's documents — what each one is, what it is made from, and making it — for the window, the command
line and tests alike.

A document is described once in ``DOCUMENTS`` (its title, the file name suggested in each language, whether it is
about one hearing, and the renderer in ``caseapp.reports``). Making one has two steps so that the window can keep
the database worker free: ``sources`` reads the case (and the hearing) on the database side, ``write`` lays the
PDF out from those read models alone (ReportLab may take seconds on a big case; it touches no database).
ReportLab is imported only when a document is made.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _

if TYPE_CHECKING:
    from caseapp.casefile.core import Core
    from caseapp.casefile.views import CaseDetail, HearingView
    from caseapp.progress import CancelCheck, Progress
    from caseapp.reports.base import RenderResult

SUMMARY = "summary"
BORDEREAU = "bordereau"
HEARING_SHEET = "hearing_sheet"
CASE_PDF = "case_pdf"
CHRONOLOGY = "chronology"
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class DocumentRequest:
    """Which document of which case, and how (documents are French unless English is asked for)."""

    kind: str
    case_id: uuid.UUID
    hearing_id: uuid.UUID | None = None
    filing_id: uuid.UUID | None = None
    lang: str = "fr"
    notes: bool = True  # the summary: include the hearing notes
    telerecours: bool = False  # the whole case as one PDF: the single file for Télérecours
    include_privileged: bool = False  # the whole case as one PDF: with the hearing notes
    tags: tuple[str, ...] = ()  # the chronology: only the entries with one of these tags (empty: all)

    def but(self, **changes: Any) -> DocumentRequest:
        return replace(self, **changes)


@dataclass(frozen=True)
class Sources:
    """The read models a document is made from."""

    detail: CaseDetail
    hearing: HearingView | None = None
    # where the evidence store keeps a file, by its SHA-256 (the documents made from the exhibits' files)
    path_for: Callable[[str], Path] | None = None


Renderer = Callable[[DocumentRequest, Sources, Path, "Progress | None", "CancelCheck | None"], "RenderResult"]


@dataclass(frozen=True)
class DocumentKind:
    """One document: its title (for menus and progress), the file name suggested when saving it in each
    language, whether it is about one hearing, and how it is laid out."""

    key: str
    title: str  # N_(): translated where shown
    stems: dict[str, str]  # language → file name stem
    render: Renderer
    command: str  # the ``caseapp`` sub-command that writes it
    menu: str  # N_(): the window's menu entry (File menu and case header)
    icon: str = "document"  # a name in ``resources/icons``
    shortcut: str = ""  # a name in ``ui/shortcuts.py`` (none when empty)
    per_hearing: bool = False  # about one hearing: the CLI takes a HEARING, the window the chosen hearing
    by_filing: bool = False  # may be limited to the exhibits of one filing (``--filing``)
    notes_optional: bool = False  # the hearing notes may be left out (``--no-notes``)
    telerecours_variant: bool = False  # may be made as the single file for Télérecours (``--telerecours``)
    privileged_optional: bool = False  # privileged content is left out unless asked for (``--include-privileged``)
    by_tag: bool = False  # may be limited to entries with some tags (``--tag``, ``DocumentRequest.tags``)


def confidential_mark() -> bool:
    """Whether the internal documents (summary, hearing sheet) say "Confidentiel" on every page: the setting
    ``confidential_mark`` (on unless turned off). Documents for the court never do."""
    from caseapp.settings import load_settings

    return load_settings().confidential_mark


def signature_city() -> str | None:
    """The town of the bordereau's "Fait à …": the setting ``signature_city``, else None (the court's seat)."""
    from caseapp.settings import load_settings

    return (load_settings().signature_city or "").strip() or None


def _summary(request: DocumentRequest, sources: Sources, target: Path, progress: Any, cancelled: Any) -> Any:
    from caseapp.reports.summary import render_summary

    return render_summary(
        sources.detail,
        target,
        lang=request.lang,
        notes=request.notes,
        confidential=confidential_mark(),
        progress=progress,
        cancelled=cancelled,
    )


def _bordereau(request: DocumentRequest, sources: Sources, target: Path, progress: Any, cancelled: Any) -> Any:
    from caseapp.reports.bordereau import render_bordereau

    return render_bordereau(
        sources.detail,
        target,
        filing_id=request.filing_id,
        lang=request.lang,
        signature_city=signature_city(),
        progress=progress,
        cancelled=cancelled,
    )


def _hearing_sheet(request: DocumentRequest, sources: Sources, target: Path, progress: Any, cancelled: Any) -> Any:
    from caseapp.reports.hearing_sheet import render_hearing_sheet

    if sources.hearing is None:
        raise InvalidInput(_("Say which hearing the sheet is for."))
    return render_hearing_sheet(
        sources.detail,
        sources.hearing,
        target,
        lang=request.lang,
        confidential=confidential_mark(),
        progress=progress,
        cancelled=cancelled,
    )


def _case_pdf(request: DocumentRequest, sources: Sources, target: Path, progress: Any, cancelled: Any) -> Any:
    from caseapp.reports.case_pdf import render_case_pdf

    if sources.path_for is None:
        raise InvalidInput(_("This document needs the exhibits' files: read the case with its evidence store."))
    return render_case_pdf(
        sources.detail,
        target,
        lang=request.lang,
        store_path_for=sources.path_for,
        telerecours=request.telerecours,
        include_privileged=request.include_privileged,
        confidential=confidential_mark(),
        signature_city=signature_city(),
        progress=progress,
        cancelled=cancelled,
    )


def _chronology(request: DocumentRequest, sources: Sources, target: Path, progress: Any, cancelled: Any) -> Any:
    from caseapp.reports.chronology import render_chronology

    return render_chronology(
        sources.detail, target, lang=request.lang, tags=request.tags, progress=progress, cancelled=cancelled
    )


DOCUMENTS: dict[str, DocumentKind] = {
    kind.key: kind
    for kind in (
        DocumentKind(
            SUMMARY,
            N_("Case summary"),
            {"fr": "Synthese", "en": "Case summary"},
            _summary,
            command="summary",
            menu=N_("Case summary…"),
            shortcut="case_summary",
            notes_optional=True,
        ),
        DocumentKind(
            BORDEREAU,
            N_("Exhibit list (bordereau)"),
            {"fr": "Bordereau de pieces", "en": "List of exhibits"},
            _bordereau,
            command="bordereau",
            menu=N_("Exhibit list (bordereau)…"),
            shortcut="bordereau",
            by_filing=True,
        ),
        DocumentKind(
            HEARING_SHEET,
            N_("Hearing sheet"),
            {"fr": "Fiche d'audience", "en": "Hearing sheet"},
            _hearing_sheet,
            command="hearing-sheet",
            menu=N_("Hearing sheet…"),
            icon="hearing",
            shortcut="hearing_sheet",
            per_hearing=True,
        ),
        DocumentKind(
            CASE_PDF,
            N_("Whole case as one PDF"),
            {"fr": "Dossier complet", "en": "Whole case"},
            _case_pdf,
            command="case-pdf",
            menu=N_("Whole case as one PDF…"),
            icon="evidence",
            telerecours_variant=True,
            privileged_optional=True,
        ),
        DocumentKind(
            CHRONOLOGY,
            N_("Chronology of the case"),
            {"fr": "Chronologie", "en": "Chronology"},
            _chronology,
            command="chronology",
            menu=N_("Chronology of the case…"),
            icon="chronology",
            by_tag=True,
        ),
    )
}


def kind_of(request: DocumentRequest) -> DocumentKind:
    try:
        return DOCUMENTS[request.kind]
    except KeyError:
        raise InvalidInput(_("CaseApp does not make a document called “{kind}”.").format(kind=request.kind)) from None


def title(request: DocumentRequest) -> str:
    return _(kind_of(request).title)


def safe_file_name(text: str, limit: int = 80) -> str:
    """A file name any system accepts, from a title or a court number."""
    kept = "".join(ch if ch.isalnum() or ch in " -_.,'()" else " " for ch in text)
    return " ".join(kept.split())[:limit].strip(" .") or "document"


def suggested_name(request: DocumentRequest, sources: Sources) -> str:
    kind = kind_of(request)
    stem = kind.stems.get(request.lang) or kind.stems["fr"]
    which = sources.detail.court_number or sources.detail.title
    if request.telerecours and kind.telerecours_variant:
        # named as Télérecours names files: plain ASCII letters, digits, spaces and hyphens, 80 characters at most
        from caseapp.reports.telerecours import MAX_NAME, ascii_words

        stem = "Pieces" if request.lang == "fr" else "Exhibits"
        return f"{ascii_words(f'{stem} - {which}')[: MAX_NAME - 4].rstrip(' -_') or 'document'}.pdf"
    if sources.hearing is not None:
        which = f"{which} {sources.hearing.starts_at.date().isoformat()}"
    return f"{safe_file_name(f'{stem} - {which}')}.pdf"


def sources(core: Core, request: DocumentRequest) -> Sources:
    """Read what the document is made from (on the database side)."""
    from caseapp.services import cases, hearings

    kind = kind_of(request)
    if request.lang not in LANGUAGES:
        raise InvalidInput(_("Documents are made in French (fr) or English (en)."))
    hearing = None
    if kind.per_hearing:
        if request.hearing_id is None:
            raise InvalidInput(_("Say which hearing the sheet is for."))
        hearing = hearings.get_hearing(core, request.hearing_id)
        if hearing.case_id != request.case_id:
            raise InvalidInput(_("This hearing is not one of the case's."))
    return Sources(cases.get_case(core, request.case_id), hearing, path_for=core.db.files.path_for)


def write(
    request: DocumentRequest,
    made_from: Sources,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Lay the document out into ``target`` (written whole or not at all); no database is read."""
    return kind_of(request).render(request, made_from, Path(target), progress, cancelled)


def make(core: Core, request: DocumentRequest, target: Path) -> RenderResult:
    """Read and write in one call (the command line and tests)."""
    return write(request, sources(core, request), target)


@dataclass(frozen=True)
class RenderedDocument:
    """A document laid out into a private temporary folder, for a preview (``discard`` removes it)."""

    request: DocumentRequest
    path: Path
    pages: int
    size: int
    suggested_name: str

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def render_preview(request: DocumentRequest, made_from: Sources, progress: Progress | None = None) -> RenderedDocument:
    """Lay the document out into a private temporary file (nothing left behind if it fails or is cancelled)."""
    folder = Path(tempfile.mkdtemp(prefix="caseapp-document-"))
    target = folder / "document.pdf"
    try:
        result = write(request, made_from, target, progress=progress, cancelled=getattr(progress, "cancelled", None))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return RenderedDocument(request, target, result.pages, result.size, suggested_name(request, made_from))


def save_copy(rendered: RenderedDocument, target: Path) -> Path:
    """Write the previewed PDF to ``target`` atomically (a failed save never leaves half a PDF)."""
    from caseapp.reports.base import write_atomically

    write_atomically(target, rendered.path.read_bytes())
    return target


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
    """A case and every problem of its Télérecours exhibit set, found before it is exported."""

    detail: CaseDetail
    problems: list[Any]  # caseapp.reports.telerecours.Problem, blocking ones first

    @property
    def blocking(self) -> list[Any]:
        return [p for p in self.problems if p.blocking]


def check_exhibit_set(core: Core, case_id: uuid.UUID, filing_id: uuid.UUID | None = None) -> ExhibitSetCheck:
    """The case and every problem of its exhibit set (it looks into the evidence store)."""
    from caseapp.reports import telerecours
    from caseapp.services import cases

    detail = cases.get_case(core, case_id)
    return ExhibitSetCheck(detail, telerecours.check_exhibit_set(detail, filing_id, files=core.db.files))


def export_exhibit_set(
    core: Core,
    detail: CaseDetail,
    target: Path,
    *,
    force: bool = False,
    overwrite: bool = False,
    filing_id: uuid.UUID | None = None,
    lang: str = "fr",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Any:
    """Write the exhibit files and their bordereau into a folder or a .zip. It reads the evidence store's files,
    never the database, so it may run beside the database worker."""
    from caseapp.reports import telerecours

    return telerecours.export_exhibit_set(
        detail,
        target,
        files=core.db.files,
        filing_id=filing_id,
        force=force,
        overwrite=overwrite,
        lang=lang,
        signature_city=signature_city(),
        progress=progress,
        cancelled=cancelled,
    )
