"""Read models of lists: a case in a list, a search hit, and what an action changed (``caseapp.casefile.views``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class TakenOffline:
    """A case taken offline from this database (to a laptop, as a bundle), by whom and when; nothing is locked."""

    case_id: uuid.UUID
    taken_by: str
    taken_at: datetime  # UTC
    bundle_name: str | None = None


@dataclass(frozen=True)
class CaseRow:
    """One case as lists show it (cases, sub-cases, the agenda's idle cases): no parties, filings or deadlines."""

    id: uuid.UUID
    title: str
    reference: str | None
    court: str | None
    court_number: str | None
    procedure: str | None
    status: str
    opened_on: date | None
    updated_at: datetime
    example: bool
    tags: tuple[str, ...] = ()
    taken_offline: TakenOffline | None = None  # filled by the case list


@dataclass(frozen=True)
class SearchHit:
    """One record that matches a search: its kind, its title, its case (if any) and a snippet of the matching text."""

    kind: str
    record_id: uuid.UUID
    case_id: uuid.UUID | None
    case_title: str | None
    title: str
    snippet: str


@dataclass(frozen=True)
class Changes:
    """What a mutating action changed, so screens know what to refresh: the kinds of records (as the history
    names them: "case", "hearing", "note"…) and the cases concerned (``case_id`` when there is one)."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    case_id: uuid.UUID | None = None
    case_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
