"""Cases taken offline: a case written to a bundle for a laptop is marked, in the database it was taken from, with
who took it and when (``checkouts``), until the laptop's bundle comes back. The table is this database's own
bookkeeping: bundles never carry it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None
# Bundles never carry the checkouts: they keep naming 0007, which CaseApps of before this revision read.
BUNDLES_UNCHANGED = True


def upgrade() -> None:
    op.create_table(
        "checkouts",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("taken_by", sa.String(length=120), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bundle_name", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_checkouts_case_id_cases"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_checkouts")),
    )


def downgrade() -> None:
    op.drop_table("checkouts")
