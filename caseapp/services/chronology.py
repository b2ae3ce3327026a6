"""The chronology of a case, for the window and the command line: ``chronology`` reads the case and builds its
time line; the read model itself (``Chronology``, ``ChronologyEntry``, ``build_chronology``, the tags, how exhibits
are cited) lives in ``caseapp.reports.timeline``, below the services, so the PDF annex can use it too. Qt-free.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from caseapp.reports.timeline import (
    KINDS,
    Chronology,
    ChronologyEntry,
    available_tags,
    build_chronology,
    day_text,
    entry_line,
    exhibit_citation,
    tag_label,
)

if TYPE_CHECKING:
    from caseapp.casefile.core import Core

__all__ = [
    "KINDS",
    "Chronology",
    "ChronologyEntry",
    "available_tags",
    "build_chronology",
    "chronology",
    "day_text",
    "entry_line",
    "exhibit_citation",
    "tag_label",
]


def chronology(core: Core, case_id: uuid.UUID, *, lang: str | None = None, tags: Iterable[str] = ()) -> Chronology:
    """Read the case and build its chronology."""
    from caseapp.services.cases import get_case

    return build_chronology(get_case(core, case_id), lang=lang, tags=tags)
