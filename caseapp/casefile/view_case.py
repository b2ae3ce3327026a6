"""Read models of a whole case: its parties, filings, opinions, exhibits, access requests and history, and the case
itself with all of them (``caseapp.casefile.views``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseapp.casefile.view_dated import DeadlineView, HearingView
    from caseapp.casefile.view_rows import CaseRow, TakenOffline


@dataclass(frozen=True)
class PartyView:
    """A party in one case: the party (shared between cases), its role and counsel there; ``id`` is the link's."""

    id: uuid.UUID  # the case-party link
    party_id: uuid.UUID
    name: str
    kind: str
    residence: str
    role: str
    counsel: str | None
    counsel_contact: str | None
    version: int


@dataclass(frozen=True)
class FilingView:
    """A dated document of a case — a brief, a decision, a request to an administration, an order of the court — with
    the facts its deadlines and routes of appeal are computed from."""

    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    is_decision: bool
    title: str | None
    filed_on: date | None
    party_id: uuid.UUID | None
    party_name: str | None
    reference: str | None
    outcome: str | None
    notified_on: date | None
    received_on: date | None
    appeal_routes_stated: bool | None
    acknowledged: bool | None
    summary: str | None
    version: int
    court_level: str | None = None
    decision_nature: str | None = None
    published: bool | None = None
    made_available_on: date | None = None
    consulted_on: date | None = None
    silence_means: str | None = None
    progress_reported: bool | None = None
    court_set_on: date | None = None
    brief_announced: bool | None = None


@dataclass(frozen=True)
class OpinionView:
    """An opinion of an independent authority (CNIL, CADA, Défenseur des droits…), shared by the cases it is linked to
    (``case_ids``)."""

    id: uuid.UUID
    authority: str
    reference: str | None
    title: str
    issued_on: date | None
    position: str
    summary: str | None
    example: bool
    case_ids: tuple[uuid.UUID, ...]
    version: int


@dataclass(frozen=True)
class FileView:
    """A file in the evidence store (named there by its SHA-256), as it was taken in."""

    id: uuid.UUID
    sha256: str
    original_name: str
    size: int
    media_type: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class EvidenceView:
    """An exhibit of a case: its number, what it is, the filing it goes with, and its file (None: no file attached)."""

    id: uuid.UUID
    case_id: uuid.UUID
    number: int
    title: str
    description: str | None
    document_date: date | None
    source: str | None
    filing_id: uuid.UUID | None
    file: FileView | None
    example: bool
    version: int


@dataclass(frozen=True)
class StepView:
    """One step of an access request: the status it reached, on which day."""

    id: uuid.UUID
    status: str
    on: date
    note: str | None


@dataclass(frozen=True)
class AccessRequestView:
    """A request for administrative documents, with its steps (sent, refused, referred to the CADA…); it may belong to
    no case."""

    id: uuid.UUID
    case_id: uuid.UUID | None
    administration: str
    documents: str
    sent_on: date | None
    received_on: date | None
    status: str
    notes: str | None
    example: bool
    version: int
    steps: tuple[StepView, ...] = ()
    routes_informed: bool | None = None


@dataclass(frozen=True)
class EventOrigin:
    """Where an imported event came from: it was not written in this case file."""

    exported_by: str | None  # who exported the bundle that brought it (None: imported before this was kept)
    exported_at: datetime | None
    signer: str | None  # the fingerprint of the key that signed the bundle; None: unsigned
    signature: str  # "trusted", "unknown" (a key not trusted here), "unsigned", or "" when not known
    flags: tuple[str, ...] = ()  # "backdated" (before its case was created), "local_author" (claims a name used here)
    description: str = ""  # for people, in the interface language

    @property
    def suspicious(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class AuditView:
    """One history event: who did what to which record and when, what changed, and where it came from if imported."""

    id: uuid.UUID
    at: datetime
    author: str
    action: str
    entity: str
    record_id: uuid.UUID
    case_id: uuid.UUID | None
    summary: str
    changes: dict[str, Any]
    origin: EventOrigin | None = None  # None: written here; otherwise imported from a bundle

    @property
    def imported(self) -> bool:
        return self.origin is not None


@dataclass(frozen=True)
class CaseDetail:
    """One case with everything its screen shows: its fields, sub-cases, parties, filings, hearings, opinions, exhibits,
    access requests and deadlines, the next hearing and deadline, and the checks to look at."""

    id: uuid.UUID
    title: str
    reference: str | None
    court: str | None
    court_number: str | None
    procedure: str | None
    status: str
    subject: str | None
    summary: str | None
    opened_on: date | None
    closed_on: date | None
    parent_id: uuid.UUID | None
    parent_relation: str | None
    parent_title: str | None
    children: tuple[CaseRow, ...]
    tags: tuple[str, ...]
    example: bool
    created_at: datetime
    updated_at: datetime
    version: int
    parties: tuple[PartyView, ...] = ()
    filings: tuple[FilingView, ...] = ()
    hearings: tuple[HearingView, ...] = ()
    opinions: tuple[OpinionView, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()
    access_requests: tuple[AccessRequestView, ...] = ()
    deadlines: tuple[DeadlineView, ...] = ()
    next_hearing: HearingView | None = None
    next_deadline: DeadlineView | None = None
    history_head: str | None = None  # hash of the case's latest history event (cite it in documents)
    history_seq: int | None = None  # and its place in the whole history chain
    matter: str | None = None
    checks: tuple[CaseCheck, ...] = ()  # what the lawyer should look at (a référé-suspension with no main action…)
    taken_offline: TakenOffline | None = None  # taken to a laptop from this database, not brought back yet


@dataclass(frozen=True)
class CaseCheck:
    """Something about a case that a lawyer must look at, in both languages."""

    code: str
    message_fr: str
    message_en: str

    def message(self, lang: str = "fr") -> str:
        return self.message_fr if lang.startswith("fr") else self.message_en
