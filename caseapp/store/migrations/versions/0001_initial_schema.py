"""Initial schema: the case file, the evidence store index, the history and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 14:41:32.999692
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_case_at", ["case_id", "at"], unique=False)

    op.create_table(
        "cases",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("court", sa.String(length=200), nullable=True),
        sa.Column("court_number", sa.String(length=80), nullable=True),
        sa.Column(
            "procedure",
            sa.Enum(
                "refere_liberte",
                "refere_suspension",
                "refere_mesures_utiles",
                "exces_de_pouvoir",
                "plein_contentieux",
                "appel",
                "cassation",
                "other",
                name="procedure",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "pending_decision",
                "decided",
                "appealed",
                "closed",
                name="casestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column(
            "parent_relation",
            sa.Enum(
                "appeal_of",
                "cassation_of",
                "refere_of",
                "related",
                name="parentrelation",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["cases.id"], name=op.f("fk_cases_parent_id_cases"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_court_number"), ["court_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table(
        "opinions",
        sa.Column(
            "authority",
            sa.Enum(
                "cnil",
                "cada",
                "defenseur_des_droits",
                "other",
                name="authority",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column(
            "position",
            sa.Enum(
                "favourable",
                "reserved",
                "unfavourable",
                "none",
                name="position",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinions")),
    )
    op.create_table(
        "parties",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("person", "organisation", "public_body", name="partykind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "residence",
            sa.Enum("france", "overseas", "abroad", name="residence", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parties_name"), ["name"], unique=False)

    op.create_table(
        "search_entries",
        sa.Column("entry_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_search_entries_kind_record_id")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entries_case_id"), ["case_id"], unique=False)

    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_files_sha256"), ["sha256"], unique=False)

    op.create_table(
        "access_requests",
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("administration", sa.String(length=300), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent",
                "implicit_refusal",
                "explicit_refusal",
                "referred_to_cada",
                "cada_opinion",
                "refusal_confirmed",
                "documents_received",
                "in_court",
                "closed",
                name="accessstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_access_requests_case_id_cases"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_requests_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_parties",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "applicant",
                "respondent",
                "intervener",
                "other",
                name="partyrole",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("counsel", sa.String(length=300), nullable=True),
        sa.Column("counsel_contact", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_parties_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_case_parties_party_id_parties"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_parties")),
        sa.UniqueConstraint("case_id", "party_id", "role", name=op.f("uq_case_parties_case_id_party_id_role")),
    )
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_parties_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_parties_party_id"), ["party_id"], unique=False)

    op.create_table(
        "case_tags",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_tags_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "tag", name=op.f("pk_case_tags")),
    )
    op.create_table(
        "filings",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "requete",
                "memoire",
                "replique",
                "memoire_en_defense",
                "note_en_delibere",
                "ordonnance",
                "jugement",
                "arret",
                "decision",
                "other",
                name="filingkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "granted",
                "partly_granted",
                "rejected",
                "dismissed",
                "no_need_to_rule",
                "withdrawn",
                "other",
                name="outcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("appeal_routes_stated", sa.Boolean(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_filings_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_filings_party_id_parties"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filings")),
    )
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filings_case_id"), ["case_id"], unique=False)

    op.create_table(
        "hearings",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("court", sa.String(length=200), nullable=True),
        sa.Column("room", sa.String(length=120), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("urgent", "merits", "appeal", "other", name="hearingkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "held",
                "postponed",
                "cancelled",
                "under_advisement",
                name="hearingstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_hearings_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearings")),
    )
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearings_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "opinion_cases",
        sa.Column("opinion_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_opinion_cases_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinions.id"],
            name=op.f("fk_opinion_cases_opinion_id_opinions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("opinion_id", "case_id", name=op.f("pk_opinion_cases")),
    )
    op.create_table(
        "access_request_steps",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent",
                "implicit_refusal",
                "explicit_refusal",
                "referred_to_cada",
                "cada_opinion",
                "refusal_confirmed",
                "documents_received",
                "in_court",
                "closed",
                name="accessstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_requests.id"],
            name=op.f("fk_access_request_steps_request_id_access_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request_steps")),
    )
    with op.batch_alter_table("access_request_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_request_steps_request_id"), ["request_id"], unique=False)

    op.create_table(
        "deadlines",
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("arguable_on", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=True),
        sa.Column("legal_basis", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "done", "missed", "cancelled", name="deadlinestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("trigger_kind", sa.String(length=40), nullable=True),
        sa.Column("trigger_id", sa.Uuid(), nullable=True),
        sa.Column("trigger_on", sa.Date(), nullable=True),
        sa.Column("explanation_fr", sa.Text(), nullable=True),
        sa.Column("explanation_en", sa.Text(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_deadlines_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["access_requests.id"],
            name=op.f("fk_deadlines_request_id_access_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadlines_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_trigger_id"), ["trigger_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("filing_id", sa.Uuid(), nullable=True),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_evidence_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_evidence_file_id_stored_files"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["filings.id"], name=op.f("fk_evidence_filing_id_filings"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("case_id", "number", name=op.f("uq_evidence_case_id_number")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_case_id"), ["case_id"], unique=False)

    op.create_table(
        "hearing_notes",
        sa.Column("hearing_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hearing_id"],
            ["hearings.id"],
            name=op.f("fk_hearing_notes_hearing_id_hearings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing_notes")),
    )
    with op.batch_alter_table("hearing_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearing_notes_hearing_id"), ["hearing_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_fts()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        drop_sqlite_fts()
    with op.batch_alter_table("hearing_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearing_notes_hearing_id"))

    op.drop_table("hearing_notes")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_case_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadlines_trigger_id"))
        batch_op.drop_index(batch_op.f("ix_deadlines_status"))
        batch_op.drop_index(batch_op.f("ix_deadlines_request_id"))
        batch_op.drop_index(batch_op.f("ix_deadlines_due_on"))
        batch_op.drop_index(batch_op.f("ix_deadlines_case_id"))

    op.drop_table("deadlines")
    with op.batch_alter_table("access_request_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_request_steps_request_id"))

    op.drop_table("access_request_steps")
    op.drop_table("opinion_cases")
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_hearings_case_id"))

    op.drop_table("hearings")
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_filings_case_id"))

    op.drop_table("filings")
    op.drop_table("case_tags")
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_parties_party_id"))
        batch_op.drop_index(batch_op.f("ix_case_parties_case_id"))

    op.drop_table("case_parties")
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_requests_case_id"))

    op.drop_table("access_requests")
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_files_sha256"))

    op.drop_table("stored_files")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_case_id"))

    op.drop_table("search_entries")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parties_name"))

    op.drop_table("parties")
    op.drop_table("opinions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_parent_id"))
        batch_op.drop_index(batch_op.f("ix_cases_court_number"))

    op.drop_table("cases")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_case_at")

    op.drop_table("audit_events")


# The full-text index over search_entries: FTS5 with diacritics removed, so "refere" finds "référé".
# It is an external-content index kept in step by triggers, so services only write search_entries.
FTS_STATEMENTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', "
    "content_rowid='entry_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.entry_id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.entry_id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.entry_id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.entry_id, new.title, new.body); END",
)


def create_sqlite_fts() -> None:
    for statement in FTS_STATEMENTS:
        op.execute(statement)


def drop_sqlite_fts() -> None:
    for name in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_fts")
