"""Filings: the date a request was received and whether it was acknowledged; deadlines: the computed date kept
beside a date overridden by hand.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:58:07.758999
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("computed_due_on", sa.Date(), nullable=True))

    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("acknowledged", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("filings", schema=None) as batch_op:
        batch_op.drop_column("acknowledged")
        batch_op.drop_column("received_on")

    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_column("computed_due_on")
