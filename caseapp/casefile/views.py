"""Read models: plain, frozen dataclasses that services return and screens, PDFs and the CLI show.

Nothing here holds a database session or loads anything lazily.

They live in three modules, each imported the first time one of its names is asked for here (``views.CaseRow``,
``from caseapp.casefile.views import CaseRow``): making a dataclass costs a millisecond or two at import, and
``caseapp cases`` makes 4 of the 18, the agenda 7. ``view_rows``: lists (a case in a list, a search hit, what an
action changed); ``view_dated``: hearings, notes and deadlines; ``view_case``: everything else of a whole case.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseapp.casefile.view_case import (
        AccessRequestView,
        AuditView,
        CaseCheck,
        CaseDetail,
        EventOrigin,
        EvidenceView,
        FileView,
        FilingView,
        OpinionView,
        PartyView,
        StepView,
    )
    from caseapp.casefile.view_dated import (
        DeadlineView,
        HearingView,
        NoteView,
    )
    from caseapp.casefile.view_rows import (
        CaseRow,
        Changes,
        SearchHit,
        TakenOffline,
    )

_HOME = {
    "AccessRequestView": "view_case",
    "AuditView": "view_case",
    "CaseCheck": "view_case",
    "CaseDetail": "view_case",
    "CaseRow": "view_rows",
    "Changes": "view_rows",
    "DeadlineView": "view_dated",
    "EventOrigin": "view_case",
    "EvidenceView": "view_case",
    "FileView": "view_case",
    "FilingView": "view_case",
    "HearingView": "view_dated",
    "NoteView": "view_dated",
    "OpinionView": "view_case",
    "PartyView": "view_case",
    "SearchHit": "view_rows",
    "StepView": "view_case",
    "TakenOffline": "view_rows",
}

__all__ = [
    "AccessRequestView",
    "AuditView",
    "CaseCheck",
    "CaseDetail",
    "CaseRow",
    "Changes",
    "DeadlineView",
    "EventOrigin",
    "EvidenceView",
    "FileView",
    "FilingView",
    "HearingView",
    "NoteView",
    "OpinionView",
    "PartyView",
    "SearchHit",
    "StepView",
    "TakenOffline",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"caseapp.casefile.{home}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})
