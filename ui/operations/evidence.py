"""Evidence intake, verification, renumbering and opening a file — the long work, with progress and Cancel."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from caseapp.errors import CaseAppError
from caseapp.i18n import _, ngettext
from caseapp.services.views import EvidenceView
from ui.context import AppContext
from ui.operations import records
from ui.operations.base import mutate, query
from ui.progress import Progress
from ui.undo import push_action, push_created

if TYPE_CHECKING:
    from caseapp.services.core import Core
    from caseapp.services.evidence import IntakeResult


def take_in_files(
    ctx: AppContext,
    case_id: uuid.UUID,
    paths: list[Path],
    *,
    parent: QWidget | None,
    on_done: Callable[[IntakeResult], None],
    from_request: uuid.UUID | None = None,
    keep_doubtful: bool = False,
) -> Progress:
    """Take the files in as the case's next exhibits in the background (``caseapp.services.evidence``: one
    transaction, all or none; unreadable files are refused with the reason). Undo removes them as one step."""
    progress = Progress(_("Adding exhibits…"))

    def announce(text: str) -> None:
        progress.label = text

    def work(core: Core) -> IntakeResult:
        from caseapp.services import access, evidence

        steps: dict[str, Any] = {
            "progress": progress,
            "cancelled": progress.cancelled,
            "announce": announce,
            "keep_doubtful": keep_doubtful,
        }
        if from_request is not None:
            return access.take_in_documents(core, from_request, paths, case_id=case_id, **steps)
        return evidence.take_in_files(core, case_id, paths, **steps)

    def done(result: IntakeResult) -> None:
        text = ngettext("Add {count} exhibit", "Add {count} exhibits", len(result.added)).format(
            count=len(result.added)
        )
        if result.added:
            push_created(ctx, records.EVIDENCE, parent_id=case_id, case_id=case_id, views=result.added, text=text)
        on_done(result)

    mutate(ctx, work, case_id=case_id, on_success=done, progress=progress, parent=parent)
    return progress


def verify(
    ctx: AppContext, case_id: uuid.UUID, *, parent: QWidget | None, on_done: Callable[[list[Any]], None]
) -> Progress:
    """Re-hash every stored file of the case; the result says plainly which ones no longer match."""
    progress = Progress(_("Checking the exhibits' files…"))

    def work(core: Core) -> list[Any]:
        from caseapp.services import evidence

        return evidence.verify_evidence(core, case_id, progress=progress, cancelled=progress.cancelled)

    query(ctx, work, on_success=on_done, progress=progress, parent=parent, owner=parent)
    return progress


def renumber(
    ctx: AppContext,
    case_id: uuid.UUID,
    new_order: list[uuid.UUID] | None,
    old_order: list[uuid.UUID],
    *,
    text: str,
) -> None:
    """Number the exhibits 1, 2, 3… in ``new_order`` (None: close the gaps); undo puts the old order back."""

    def do(core: Core) -> Any:
        from caseapp.services import evidence

        return evidence.renumber_evidence(core, case_id, new_order)

    def undo(core: Core) -> Any:
        from caseapp.services import evidence

        return evidence.renumber_evidence(core, case_id, old_order)

    push_action(ctx, text, case_id=case_id, do=do, undo=undo)


def readable_copy(store_path: Path, original_name: str, sha256: str) -> Path:
    """A read-only copy under its original name, so the viewer can never change the stored file."""
    folder = Path(tempfile.gettempdir()) / "caseapp-open" / sha256[:16]
    folder.mkdir(parents=True, exist_ok=True)
    safe_name = Path(original_name).name or sha256
    target = folder / safe_name
    if not target.is_file() or target.stat().st_size != store_path.stat().st_size:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(target, stat.S_IWUSR | stat.S_IRUSR)
        shutil.copyfile(store_path, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return target


def prepare_to_open(
    ctx: AppContext, item: EvidenceView, *, parent: QWidget | None, on_success: Callable[[Path | None], None]
) -> None:
    def work(core: Core) -> Path | None:
        from caseapp.services import evidence

        path = evidence.file_path(core, item.id)
        if path is None or item.file is None:
            return None
        if not path.is_file():
            raise CaseAppError(_("The stored file of this exhibit is missing from the evidence store."))
        return readable_copy(path, item.file.original_name, item.file.sha256)

    query(ctx, work, on_success=on_success, parent=parent, owner=parent)


def stored_path(ctx: AppContext, evidence_id: uuid.UUID, *, owner: QWidget, on_success: Callable[[Any], None]) -> None:
    def work(core: Core) -> Path | None:
        from caseapp.services import evidence

        return evidence.file_path(core, evidence_id)

    query(ctx, work, on_success=on_success, owner=owner)
