"""The case file's tables as SQLAlchemy Core ``Table`` objects, for the read path that needs no ORM mapping.

Importing ``sqlalchemy.orm`` and mapping the models (``models.py``) takes a few hundred milliseconds — more than a
command such as ``caseapp cases`` needs for its whole work, and more than the window's first agenda. The reads of
``caseapp.casefile.core_reads`` use these tables instead. They describe the same tables as the models (columns,
types, nullability, keys, indexes; ``tests/core/test_core_reads.py`` compares them), but carry no Python-side
defaults: nothing writes through them. The schema itself is still made by the migrations.
"""

from __future__ import annotations

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

from caseapp.domain import enums
from caseapp.store.types import NAMING, Identifier, UTCDateTime, enum_column

metadata = MetaData(naming_convention=NAMING)

app_state = Table(
    "app_state",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text(), nullable=False),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Identifier(), primary_key=True),
    Column("seq", BigInteger(), nullable=False, unique=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("origin_hash", String(64), nullable=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("author", String(120), nullable=False),
    Column("action", String(20), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("record_id", Identifier(), nullable=False),
    Column("case_id", Identifier(), nullable=True),
    Column("summary", String(300), nullable=False),
    Column("changes", JSON(), nullable=False),
    Column("seal", JSON(none_as_null=True), nullable=True),
    Column("origin", JSON(none_as_null=True), nullable=True),
    Index("ix_audit_events_case_at", "case_id", "at"),
)

cases = Table(
    "cases",
    metadata,
    Column("title", String(300), nullable=False),
    Column("reference", String(80), nullable=True),
    Column("court", String(200), nullable=True),
    Column("court_number", String(80), nullable=True, index=True),
    Column("procedure", enum_column(enums.Procedure), nullable=True),
    Column("status", enum_column(enums.CaseStatus), nullable=False, index=True),
    Column("subject", Text(), nullable=True),
    Column("summary", Text(), nullable=True),
    Column("opened_on", Date(), nullable=True),
    Column("closed_on", Date(), nullable=True),
    Column("parent_id", Identifier(), ForeignKey("cases.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("parent_relation", enum_column(enums.ParentRelation), nullable=True),
    Column("matter", enum_column(enums.Matter), nullable=True),
    Column("example", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_cases_status_updated_at", "status", "updated_at"),
)

opinions = Table(
    "opinions",
    metadata,
    Column("authority", enum_column(enums.Authority), nullable=False),
    Column("reference", String(120), nullable=True),
    Column("title", String(300), nullable=False),
    Column("issued_on", Date(), nullable=True),
    Column("position", enum_column(enums.Position), nullable=False),
    Column("summary", Text(), nullable=True),
    Column("example", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

parties = Table(
    "parties",
    metadata,
    Column("name", String(300), nullable=False, index=True),
    Column("kind", enum_column(enums.PartyKind), nullable=False),
    Column("residence", enum_column(enums.Residence), nullable=False),
    Column("address", Text(), nullable=True),
    Column("email", String(200), nullable=True),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

search_entries = Table(
    "search_entries",
    metadata,
    Column("entry_id", Integer(), primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("record_id", Identifier(), nullable=False),
    Column("case_id", Identifier(), nullable=True, index=True),
    Column("title", Text(), nullable=False),
    Column("body", Text(), nullable=False),
    UniqueConstraint("kind", "record_id"),
)

stored_files = Table(
    "stored_files",
    metadata,
    Column("sha256", String(64), nullable=False, index=True),
    Column("original_name", String(500), nullable=False),
    Column("size", BigInteger(), nullable=False),
    Column("media_type", String(120), nullable=False),
    Column("added_by", String(120), nullable=False),
    Column("added_at", UTCDateTime(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

access_requests = Table(
    "access_requests",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("administration", String(300), nullable=False),
    Column("documents", Text(), nullable=False),
    Column("sent_on", Date(), nullable=True),
    Column("received_on", Date(), nullable=True),
    Column("status", enum_column(enums.AccessStatus), nullable=False),
    Column("notes", Text(), nullable=True),
    Column("routes_informed", Boolean(), nullable=True),
    Column("example", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

case_parties = Table(
    "case_parties",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("party_id", Identifier(), ForeignKey("parties.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("role", enum_column(enums.PartyRole), nullable=False),
    Column("counsel", String(300), nullable=True),
    Column("counsel_contact", String(300), nullable=True),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("case_id", "party_id", "role"),
)

case_tags = Table(
    "case_tags",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(60), primary_key=True),
)

checkouts = Table(
    "checkouts",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("taken_by", String(120), nullable=False),
    Column("taken_at", UTCDateTime(), nullable=False),
    Column("bundle_name", String(255), nullable=True),
)

filings = Table(
    "filings",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", enum_column(enums.FilingKind), nullable=False),
    Column("title", String(300), nullable=True),
    Column("filed_on", Date(), nullable=True),
    Column("party_id", Identifier(), ForeignKey("parties.id", ondelete="SET NULL"), nullable=True),
    Column("reference", String(120), nullable=True),
    Column("outcome", enum_column(enums.Outcome), nullable=True),
    Column("notified_on", Date(), nullable=True),
    Column("received_on", Date(), nullable=True),
    Column("appeal_routes_stated", Boolean(), nullable=True),
    Column("acknowledged", Boolean(), nullable=True),
    Column("summary", Text(), nullable=True),
    Column("court_level", enum_column(enums.CourtLevel), nullable=True),
    Column("decision_nature", enum_column(enums.DecisionNature), nullable=True),
    Column("published", Boolean(), nullable=True),
    Column("made_available_on", Date(), nullable=True),
    Column("consulted_on", Date(), nullable=True),
    Column("silence_means", enum_column(enums.SilenceMeaning), nullable=True),
    Column("progress_reported", Boolean(), nullable=True),
    Column("court_set_on", Date(), nullable=True),
    Column("brief_announced", Boolean(), nullable=True),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

hearings = Table(
    "hearings",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("court", String(200), nullable=True),
    Column("room", String(120), nullable=True),
    Column("kind", enum_column(enums.HearingKind), nullable=False),
    Column("status", enum_column(enums.HearingStatus), nullable=False),
    Column("outcome", Text(), nullable=True),
    Column("urgent", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_hearings_starts_at_status_case", "starts_at", "status", "case_id"),
)

opinion_cases = Table(
    "opinion_cases",
    metadata,
    Column("opinion_id", Identifier(), ForeignKey("opinions.id", ondelete="CASCADE"), primary_key=True),
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
)

access_request_steps = Table(
    "access_request_steps",
    metadata,
    Column(
        "request_id", Identifier(), ForeignKey("access_requests.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("status", enum_column(enums.AccessStatus), nullable=False),
    Column("on", Date(), nullable=False),
    Column("note", Text(), nullable=True),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

deadlines = Table(
    "deadlines",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("request_id", Identifier(), ForeignKey("access_requests.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("due_on", Date(), nullable=False, index=True),
    Column("arguable_on", Date(), nullable=True),
    Column("title", String(300), nullable=False),
    Column("rule_id", String(60), nullable=True),
    Column("legal_basis", String(200), nullable=True),
    Column("status", enum_column(enums.DeadlineStatus), nullable=False),
    Column("trigger_kind", String(40), nullable=True),
    Column("trigger_id", Identifier(), nullable=True, index=True),
    Column("trigger_on", Date(), nullable=True),
    Column("explanation_fr", Text(), nullable=True),
    Column("explanation_en", Text(), nullable=True),
    Column("flags", JSON(), nullable=False),
    Column("override_reason", Text(), nullable=True),
    Column("computed_due_on", Date(), nullable=True),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_deadlines_status_due_on_rule", "status", "due_on", "rule_id"),
    Index("ix_deadlines_status_case", "status", "case_id"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("case_id", Identifier(), ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("number", Integer(), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text(), nullable=True),
    Column("document_date", Date(), nullable=True),
    Column("source", Text(), nullable=True),
    Column("filing_id", Identifier(), ForeignKey("filings.id", ondelete="SET NULL"), nullable=True),
    Column("file_id", Identifier(), ForeignKey("stored_files.id", ondelete="SET NULL"), nullable=True),
    Column("example", Boolean(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("case_id", "number"),
)

hearing_notes = Table(
    "hearing_notes",
    metadata,
    Column("hearing_id", Identifier(), ForeignKey("hearings.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("author", String(120), nullable=False),
    Column("text", Text(), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("id", Identifier(), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
