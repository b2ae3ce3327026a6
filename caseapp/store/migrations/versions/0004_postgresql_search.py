"""Full-text search on PostgreSQL: an accent-folding function and a GIN index over the search entries.

SQLite has its FTS5 index since 0001; this revision does nothing there.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 15:30:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# Lower-case, then fold the letters French and its neighbours use onto plain ones, so "refere" finds "référé".
# Written as an IMMUTABLE SQL function (no extension needed on the team's server) so it can back an index.
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"
FOLD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION caseapp_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(replace(replace(lower(value), 'œ', 'oe'), 'æ', 'ae'), '{ACCENTED}', '{PLAIN}')
$$
"""
INDEX = (
    "CREATE INDEX ix_search_entries_fts ON search_entries "
    "USING gin (to_tsvector('simple'::regconfig, caseapp_fold(title || ' ' || body)))"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FOLD_FUNCTION)
    op.execute(INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_entries_fts")
    op.execute("DROP FUNCTION IF EXISTS caseapp_fold(text)")
