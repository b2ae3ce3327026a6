"""Search that stays fast as the case file grows, and indexes that answer the agenda's questions by themselves.

- SQLite: a second FTS5 index over the titles alone. Searching titles through the main index's column filter
  walked every entry holding a common word (its title or not) to find the few titles: 2.6 ms of SQL at 10,000
  cases, 13 ms at 50,000. The titles' own index holds the titles' words only. Both indexes also keep the
  prefixes of 2, 3 and 4 characters of every word: a prefix query otherwise merges the lists of every word that
  begins with it (250 ms for "de" at 50,000 cases; 0.1 ms with the prefix kept). The main index is rebuilt for
  it (about a second per 100,000 entries), and both are then merged into one segment each: a rebuild leaves
  merges half done, which the next few hundred commits would finish 40 ms at a time (a hearing note's p95 went
  from 5.6 to 10.3 ms at 10,000 cases).
- PostgreSQL: the folded text vector is stored in a generated column with the GIN index on it. The newest-first
  walk tested each row by computing ``to_tsvector`` of its text again (110 ms for a rare word at 10,000 cases).
- Both: the agenda's open deadlines by case and by date with their rule, and the coming hearings with their
  status and case, are read from the indexes alone (the indexes on ``status`` and ``starts_at`` alone become
  their prefixes).

Nothing a bundle carries changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 05:00:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None
BUNDLES_UNCHANGED = True

TOKENS = "tokenize='unicode61 remove_diacritics 2'"
PREFIXES = "prefix='2 3 4'"
MAIN_FTS = (
    "DROP TABLE search_fts",  # its triggers name it, and find the new one
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='entry_id', "
    f"{TOKENS}, {PREFIXES})",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
)
MAIN_FTS_BEFORE = (
    "DROP TABLE search_fts",
    f"CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='entry_id', {TOKENS})",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)
TITLES_FTS = (
    "CREATE VIRTUAL TABLE search_titles_fts USING fts5(title, content='search_entries', "
    f"content_rowid='entry_id', {TOKENS}, {PREFIXES})",
    "CREATE TRIGGER search_entries_titles_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_titles_fts(rowid, title) VALUES (new.entry_id, new.title); END",
    "CREATE TRIGGER search_entries_titles_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_titles_fts(search_titles_fts, rowid, title) VALUES ('delete', old.entry_id, old.title); END",
    "CREATE TRIGGER search_entries_titles_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_titles_fts(search_titles_fts, rowid, title) VALUES ('delete', old.entry_id, old.title); "
    "INSERT INTO search_titles_fts(rowid, title) VALUES (new.entry_id, new.title); END",
    "INSERT INTO search_titles_fts(search_titles_fts) VALUES ('rebuild')",
    "INSERT INTO search_titles_fts(search_titles_fts) VALUES ('optimize')",
)
VECTOR = "to_tsvector('simple'::regconfig, caseapp_fold(title || ' ' || body))"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in (*MAIN_FTS, *TITLES_FTS):
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            f"ALTER TABLE search_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        op.execute("CREATE INDEX ix_search_entries_vector ON search_entries USING gin (search_vector)")
        op.execute("DROP INDEX IF EXISTS ix_search_entries_fts")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_status_due_on")
        batch_op.drop_index("ix_deadlines_status")
        batch_op.create_index("ix_deadlines_status_due_on_rule", ["status", "due_on", "rule_id"], unique=False)
        batch_op.create_index("ix_deadlines_status_case", ["status", "case_id"], unique=False)
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index("ix_hearings_starts_at")
        batch_op.create_index("ix_hearings_starts_at_status_case", ["starts_at", "status", "case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index("ix_hearings_starts_at_status_case")
        batch_op.create_index("ix_hearings_starts_at", ["starts_at"], unique=False)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_status_case")
        batch_op.drop_index("ix_deadlines_status_due_on_rule")
        batch_op.create_index("ix_deadlines_status", ["status"], unique=False)
        batch_op.create_index("ix_deadlines_status_due_on", ["status", "due_on"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("search_entries_titles_ai", "search_entries_titles_ad", "search_entries_titles_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_titles_fts")
        for statement in MAIN_FTS_BEFORE:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_search_entries_fts ON search_entries USING gin ({VECTOR})")
        op.execute("DROP INDEX IF EXISTS ix_search_entries_vector")
        op.execute("ALTER TABLE search_entries DROP COLUMN search_vector")
