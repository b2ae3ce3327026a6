"""A case taken offline and brought back: a lawyer of a team working on a shared server takes a case to a laptop
(its own local database), works on it in court, and brings the notes back.

- ``checkout`` writes the case bundle (``services.bundles.export``: records, history and evidence files, signed
  when this person has a key) and marks the case, in the database it was taken from, as taken offline by this
  person now — one "checkout" event. Nothing is locked: colleagues still edit the case, and see the mark.
- ``checkin`` imports the laptop's bundle like any import (``services.bundles.apply``) and clears the mark — one
  "checkin" event. Importing the laptop's bundle the ordinary way clears it too, when it was written after the case
  was taken, by whoever took it (``services.checkout_marks``).
- ``mark_of`` / ``marks``: who took a case and when (``TakenOffline``), for the case and the case list.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.casefile.views import TakenOffline
from caseapp.services import bundles
from caseapp.services.checkout_marks import (
    CHECKIN,
    CHECKOUT,
    ENTITY,
    TakenAlready,
    clear,
    describe,
    mark_of,
    marks,
    moment,
    take,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from caseapp.casefile.core import Core
    from caseapp.progress import CancelCheck, Progress

__all__ = [
    "CHECKIN",
    "CHECKOUT",
    "ENTITY",
    "BroughtBack",
    "TakenAlready",
    "TakenOffline",
    "TakenOut",
    "checkin",
    "checkout",
    "describe",
    "mark_of",
    "marks",
    "moment",
    "written_before",
]


@dataclass(frozen=True)
class TakenOut:
    """What ``checkout`` did: the bundle written (``caseapp.bundle.export.ExportReport``) and the mark set."""

    export: Any
    mark: TakenOffline
    previous: TakenOffline | None  # the mark it replaced (a case taken again)


@dataclass(frozen=True)
class BroughtBack:
    """What ``checkin`` did: the import (None when everything in the bundle was already here) and the mark."""

    report: Any  # caseapp.bundle.importer.ImportReport, or None
    was_marked: TakenOffline | None  # the case's mark before (None: it was not taken offline from here)
    cleared: TakenOffline | None  # the mark cleared (None: there was none)
    older: bool = False  # the bundle was written before the case was taken offline: the laptop's work is not in it


def checkout(
    core: Core,
    case_id: uuid.UUID,
    target: Path,
    options: bundles.ExportOptions | None = None,
    *,
    again: bool = False,
    keystore: Any = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> TakenOut:
    """Write the case's bundle for the laptop and mark the case as taken offline by this person now. A case already
    taken offline is taken again only with ``again`` (``TakenAlready`` otherwise, before anything is written); the
    mark then says who took it last."""
    previous = mark_of(core, case_id)
    if previous is not None and not again:
        raise TakenAlready(previous)
    report = bundles.export(
        core,
        case_id,
        target,
        options or bundles.ExportOptions(),
        keystore=keystore,
        progress=progress,
        cancelled=cancelled,
    )
    try:
        mark = take(core, case_id, Path(report.path).name, again=again)
    except BaseException:
        # not marked (someone took it in the meantime, or the database refused): no bundle that looks taken
        with contextlib.suppress(OSError):
            Path(report.path).unlink()
        raise
    return TakenOut(report, mark, previous)


def written_before(preview: Any, mark: TakenOffline | None) -> bool:
    """Whether a bundle was written before the case was taken offline (so it is not the laptop's copy)."""
    return mark is not None and preview.exported_at <= mark.taken_at


def checkin(
    core: Core,
    preview: Any,
    *,
    choices: Mapping[Any, str] | None = None,
    accept_unsigned: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> BroughtBack:
    """Import the laptop's bundle (opened by ``services.bundles.inspect``) like any import, then clear the case's
    mark. A bundle whose content is all here already is not imported, and the mark is cleared all the same."""
    before = mark_of(core, preview.case_id)
    report = None
    if not (preview.nothing_to_do and not preview.conflicts):
        report = bundles.apply(
            core,
            preview,
            choices=choices,
            accept_unsigned=accept_unsigned,
            progress=progress,
            cancelled=cancelled,
        )
    cleared = None
    if before is not None:
        # ``apply`` clears the mark itself when the laptop's owner wrote the bundle; otherwise it is cleared here
        cleared = clear(core, preview.case_id, exported_by=preview.exported_by, exported_at=preview.exported_at)
        cleared = cleared or before
    return BroughtBack(report, before, cleared, written_before(preview, before))
