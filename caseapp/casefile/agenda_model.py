"""The agenda's read models: what is coming across all cases (``services.agenda`` and ``core_reads`` fill them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from caseapp.casefile.views import CaseRow, DeadlineView, HearingView
from caseapp.domain.date_words import ACT
from caseapp.domain.enums import CaseStatus

PARIS = ZoneInfo("Europe/Paris")
ACTIVE = (CaseStatus.OPEN, CaseStatus.PENDING_DECISION, CaseStatus.APPEALED)


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda: a hearing or a deadline, with the case it belongs to."""

    kind: str  # "hearing" or "deadline"
    day: date  # in Paris time
    at: datetime | None  # a hearing's start; None for a deadline (due before midnight, Paris time)
    overdue: bool
    case_id: uuid.UUID | None
    case_title: str | None
    court_number: str | None
    title: str
    hearing: HearingView | None = None
    deadline: DeadlineView | None = None
    # A deadline's ``DeadlineView.date_kind`` ("act", "birth", "court", "closing"); "hearing" for a hearing.
    date_kind: str = ACT


@dataclass(frozen=True)
class Agenda:
    """What is coming across all cases from ``today``: the hearings and deadlines in order (overdue first), and the
    active cases with no hearing or open deadline ahead (``idle_cases``)."""

    today: date
    items: tuple[AgendaItem, ...]
    idle_cases: tuple[CaseRow, ...]
    older_overdue: int = 0  # open deadlines overdue for longer than the agenda shows: to review and close
    more: int = 0  # items in the window beyond the ``limit`` shown
