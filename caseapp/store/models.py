"""SQLAlchemy 2 typed models of a case file.

Every record has a UUID key (bundles merge across machines), created/updated timestamps in UTC, and the
records people edit carry a version counter so a second editor gets a conflict, not a silent overwrite.
Relationships raise on lazy load: services load what the screen needs, explicitly.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from caseapp.domain import enums

# The types and naming are shared with the Core tables of the read path (``tables.py``, kept identical to these models
# by tests/core/test_core_reads.py); re-exported for the modules that import them from here.
from caseapp.store.types import NAMING as NAMING
from caseapp.store.types import Identifier
from caseapp.store.types import UTCDateTime as UTCDateTime
from caseapp.store.types import enum_column as enum_column
from caseapp.store.types import utcnow as utcnow


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        uuid.UUID: Identifier(),
        dict[str, Any]: JSON(),
    }
    if TYPE_CHECKING:  # every model here maps a table; SQLAlchemy types ``__table__`` as any selectable
        __table__: ClassVar[Table]


class Record(Base):
    """Columns every stored record has."""

    __abstract__ = True
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Edited(Record):
    """A record people edit: it carries a version counter checked on every update and delete."""

    __abstract__ = True
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}


opinion_cases = Table(
    "opinion_cases",
    Base.metadata,
    Column("opinion_id", Identifier(), ForeignKey("opinions.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
)


class Case(Edited):
    __tablename__ = "cases"
    # The case list filters by status and shows the most recently changed first.
    __table_args__ = (Index("ix_cases_status_updated_at", "status", "updated_at"),)
    title: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(80))
    court: Mapped[str | None] = mapped_column(String(200))
    court_number: Mapped[str | None] = mapped_column(String(80), index=True)
    procedure: Mapped[enums.Procedure | None] = mapped_column(enum_column(enums.Procedure))
    status: Mapped[enums.CaseStatus] = mapped_column(enum_column(enums.CaseStatus), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    parent_relation: Mapped[enums.ParentRelation | None] = mapped_column(enum_column(enums.ParentRelation))
    # What the dispute is about, where the route of appeal depends on it (R811-1); empty = the general rule.
    matter: Mapped[enums.Matter | None] = mapped_column(enum_column(enums.Matter))
    example: Mapped[bool] = mapped_column(Boolean, default=False)

    tags: Mapped[list[CaseTag]] = relationship(lazy="raise", cascade="all, delete-orphan", order_by="CaseTag.tag")


class CaseTag(Base):
    __tablename__ = "case_tags"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class Party(Edited):
    __tablename__ = "parties"
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[enums.PartyKind] = mapped_column(enum_column(enums.PartyKind))
    residence: Mapped[enums.Residence] = mapped_column(enum_column(enums.Residence))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(200))


class CaseParty(Edited):
    __tablename__ = "case_parties"
    __table_args__ = (UniqueConstraint("case_id", "party_id", "role"),)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    role: Mapped[enums.PartyRole] = mapped_column(enum_column(enums.PartyRole))
    counsel: Mapped[str | None] = mapped_column(String(300))
    counsel_contact: Mapped[str | None] = mapped_column(String(300))

    party: Mapped[Party] = relationship(lazy="raise")


class Filing(Edited):
    __tablename__ = "filings"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[enums.FilingKind] = mapped_column(enum_column(enums.FilingKind))
    title: Mapped[str | None] = mapped_column(String(300))
    filed_on: Mapped[date | None] = mapped_column(Date)
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id", ondelete="SET NULL"))
    reference: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[enums.Outcome | None] = mapped_column(enum_column(enums.Outcome))
    notified_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    appeal_routes_stated: Mapped[bool | None] = mapped_column(Boolean)
    acknowledged: Mapped[bool | None] = mapped_column(Boolean)
    summary: Mapped[str | None] = mapped_column(Text)
    # A court decision: the court that gave it and what it is decide the route of appeal (caseapp.domain.routes).
    court_level: Mapped[enums.CourtLevel | None] = mapped_column(enum_column(enums.CourtLevel))
    decision_nature: Mapped[enums.DecisionNature | None] = mapped_column(enum_column(enums.DecisionNature))
    # An administrative act published rather than notified: the delay runs from publication, R421-5 does not apply.
    published: Mapped[bool | None] = mapped_column(Boolean)
    # Télérecours: made available on, first consulted on (CJA R611-8-6: the deemed notification).
    made_available_on: Mapped[date | None] = mapped_column(Date)
    consulted_on: Mapped[date | None] = mapped_column(Date)
    # A request to the administration: what its silence means (CRPA L231-1, L231-4); empty = not known.
    silence_means: Mapped[enums.SilenceMeaning | None] = mapped_column(enum_column(enums.SilenceMeaning))
    # A CNIL complaint: did the CNIL report on progress within three months (CE 24 Jul 2023 n° 465229)?
    progress_reported: Mapped[bool | None] = mapped_column(Boolean)
    # A date the court set (mise en demeure, calendar, closing order…).
    court_set_on: Mapped[date | None] = mapped_column(Date)
    # A cassation appeal announcing a supplementary brief (CJA R611-22).
    brief_announced: Mapped[bool | None] = mapped_column(Boolean)


class Hearing(Edited):
    __tablename__ = "hearings"
    # The agenda's coming hearings, and the cases that have one, answered from the index alone.
    __table_args__ = (Index("ix_hearings_starts_at_status_case", "starts_at", "status", "case_id"),)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column()
    court: Mapped[str | None] = mapped_column(String(200))
    room: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[enums.HearingKind] = mapped_column(enum_column(enums.HearingKind))
    status: Mapped[enums.HearingStatus] = mapped_column(enum_column(enums.HearingStatus))
    outcome: Mapped[str | None] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)


class HearingNote(Edited):
    __tablename__ = "hearing_notes"
    hearing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column()
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)


class Opinion(Edited):
    __tablename__ = "opinions"
    authority: Mapped[enums.Authority] = mapped_column(enum_column(enums.Authority))
    reference: Mapped[str | None] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[enums.Position] = mapped_column(enum_column(enums.Position))
    summary: Mapped[str | None] = mapped_column(Text)
    example: Mapped[bool] = mapped_column(Boolean, default=False)

    cases: Mapped[list[Case]] = relationship(secondary=opinion_cases, lazy="raise")


class StoredFile(Record):
    """One file in the content-addressed evidence store, as it was taken in."""

    __tablename__ = "stored_files"
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(Edited):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("case_id", "number"),)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    document_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    filing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("filings.id", ondelete="SET NULL"))
    file_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stored_files.id", ondelete="SET NULL"))
    example: Mapped[bool] = mapped_column(Boolean, default=False)

    file: Mapped[StoredFile | None] = relationship(lazy="raise")


class AccessRequest(Edited):
    __tablename__ = "access_requests"
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    administration: Mapped[str] = mapped_column(String(300))
    documents: Mapped[str] = mapped_column(Text)
    sent_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[enums.AccessStatus] = mapped_column(enum_column(enums.AccessStatus))
    notes: Mapped[str | None] = mapped_column(Text)
    # Was the requester told of the CADA referral step and of the routes of appeal (CE 11 Mar 2024 n° 488227)?
    routes_informed: Mapped[bool | None] = mapped_column(Boolean)
    example: Mapped[bool] = mapped_column(Boolean, default=False)


class AccessRequestStep(Edited):
    __tablename__ = "access_request_steps"
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_requests.id", ondelete="CASCADE"), index=True)
    status: Mapped[enums.AccessStatus] = mapped_column(enum_column(enums.AccessStatus))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Deadline(Edited):
    __tablename__ = "deadlines"
    # The agenda reads open deadlines in date order (and counts the older ones by rule), and the cases that have one.
    __table_args__ = (
        Index("ix_deadlines_status_due_on_rule", "status", "due_on", "rule_id"),
        Index("ix_deadlines_status_case", "status", "case_id"),
    )
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("access_requests.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(Date, index=True)
    arguable_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    rule_id: Mapped[str | None] = mapped_column(String(60))
    legal_basis: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[enums.DeadlineStatus] = mapped_column(enum_column(enums.DeadlineStatus))
    trigger_kind: Mapped[str | None] = mapped_column(String(40))
    trigger_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    trigger_on: Mapped[date | None] = mapped_column(Date)
    explanation_fr: Mapped[str | None] = mapped_column(Text)
    explanation_en: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    computed_due_on: Mapped[date | None] = mapped_column(Date)


class AuditEvent(Base):
    """What changed, when, by whom. Written in the same transaction as the change itself.

    The events form a hash chain: ``seq`` orders them, ``hash`` is the SHA-256 of the previous event's hash
    and this event's content (see ``caseapp.store.audit_chain``), so editing, removing or reordering history
    behind the app's back shows. ``seal`` (part of the hashed content) commits to the content of the records the
    event left behind, so a record edited behind the app's back shows too. Events imported from a colleague's
    bundle keep the hash they had where they were written (``origin_hash``) and say where they came from
    (``origin``: the bundle's author, date and signer, and the local import event that lists them); ``origin``
    is this database's own note, never sent in bundles nor hashed (the import event's seal vouches for it).
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_case_at", "case_id", "at"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    origin_hash: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column()
    case_id: Mapped[uuid.UUID | None] = mapped_column()
    summary: Mapped[str] = mapped_column(String(300))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seal: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    origin: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class Checkout(Base):
    """A case taken offline from this database (to a laptop, as a bundle): who took it and when. Bookkeeping of this
    database only — never sent in bundles, never locking anything; cleared when the laptop's bundle comes back."""

    __tablename__ = "checkouts"
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    taken_by: Mapped[str] = mapped_column(String(120))
    taken_at: Mapped[datetime] = mapped_column()
    bundle_name: Mapped[str | None] = mapped_column(String(255))


class AppState(Base):
    """Small facts about the case file itself, such as which deadline rules its deadlines were computed with."""

    __tablename__ = "app_state"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SearchEntry(Base):
    """One searchable text per record; the full-text index (FTS5 on SQLite) is built over this table."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[uuid.UUID] = mapped_column()
    case_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
