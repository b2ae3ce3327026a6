"""Read models of what is dated in a case: a hearing with its notes, a deadline (``caseapp.casefile.views``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class NoteView:
    """A note taken about a hearing, by whom and when."""

    id: uuid.UUID
    hearing_id: uuid.UUID
    at: datetime
    author: str
    text: str
    version: int


@dataclass(frozen=True)
class HearingView:
    """A hearing of a case, with its notes."""

    id: uuid.UUID
    case_id: uuid.UUID
    starts_at: datetime
    court: str | None
    room: str | None
    kind: str
    status: str
    outcome: str | None
    urgent: bool
    version: int
    notes: tuple[NoteView, ...] = ()


@dataclass(frozen=True)
class DeadlineView:
    """A deadline of a case or of an access request: its date, the rule and event it was computed from (none for one
    made by hand), its explanation in both languages, and what the lawyer must check (``flags``)."""

    id: uuid.UUID
    case_id: uuid.UUID | None
    request_id: uuid.UUID | None
    due_on: date
    arguable_on: date | None
    title: str
    rule_id: str | None
    legal_basis: str | None
    status: str
    trigger_kind: str | None
    trigger_id: uuid.UUID | None
    trigger_on: date | None
    explanation_fr: str | None
    explanation_en: str | None
    flags: tuple[str, ...]
    override_reason: str | None
    computed_due_on: date | None
    version: int
    # What the date is: "act" (a last day to act), "birth" (an implicit decision is born that day: never a last
    # day), "court" (the court's own duty), "closing" (the instruction closes). Hand-made deadlines are "act".
    date_kind: str = "act"

    @property
    def is_birth(self) -> bool:
        return self.date_kind == "birth"
