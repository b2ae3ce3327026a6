"""The case's documents (summary, bordereau, hearing sheet, Télérecours exhibit set), made off the GUI thread.

What each document is and how it is made lives in ``caseapp.services.documents``; this module only places the
work: the read models come from the database worker, the PDF is laid out from them on a pool thread (ReportLab is
pure Python and may take seconds on a big case) into a private temporary file that the preview shows, and a copy
is saved through the atomic writer, so a failed save never leaves half a PDF.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from caseapp.errors import Cancelled
from caseapp.i18n import _
from caseapp.services import documents as service
from caseapp.services.documents import (
    BORDEREAU,
    HEARING_SHEET,
    SUMMARY,
    DocumentRequest,
    ExhibitSetCheck,
    RenderedDocument,
    Sources,
    safe_file_name,
    title,
    viewer_copy,
)
from ui.context import AppContext
from ui.operations.base import query
from ui.progress import Progress

__all__ = [
    "BORDEREAU",
    "HEARING_SHEET",
    "SUMMARY",
    "DocumentRequest",
    "ExhibitSetCheck",
    "RenderedDocument",
    "Sources",
    "check_exhibit_set",
    "export_exhibit_set",
    "load_sources",
    "render",
    "safe_file_name",
    "save_copy",
    "title",
    "viewer_copy",
]


def load_sources(
    ctx: AppContext,
    request: DocumentRequest,
    *,
    owner: QObject,
    on_success: Callable[[Sources], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    query(ctx, lambda core: service.sources(core, request), on_success=on_success, owner=owner, on_failure=on_failure)


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
    progress = Progress(_("Preparing “{document}”…").format(document=service.title(request)))

    def work() -> RenderedDocument:
        rendered = service.render_preview(request, sources, progress)
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
    """Write the shown PDF to ``target`` (temporary file, then rename), on a pool thread."""
    ctx.tasks.run_in_pool(
        lambda: service.save_copy(rendered, target), on_success=on_success, on_failure=on_failure, owner=owner
    )


def check_exhibit_set(
    ctx: AppContext,
    case_id: uuid.UUID,
    *,
    filing_id: uuid.UUID | None = None,
    owner: QObject,
    on_success: Callable[[ExhibitSetCheck], None],
) -> None:
    """The case and every problem of its exhibit set (on the worker: it looks into the evidence store)."""
    query(ctx, lambda core: service.check_exhibit_set(core, case_id, filing_id), on_success=on_success, owner=owner)


def export_exhibit_set(
    ctx: AppContext,
    detail: Any,
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
    core = ctx.core

    def work() -> Any:
        return service.export_exhibit_set(
            core, detail, target, force=force, filing_id=filing_id, progress=progress, cancelled=progress.cancelled
        )

    ctx.tasks.run_in_pool(
        work, on_success=on_success, on_failure=on_failure, progress=progress, parent=parent, owner=parent
    )
    return progress
