"""Indexes for the two queries every screen starts with: the case list by status, most recent first, and the
agenda's open deadlines in date order.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 16:55:00
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_status_updated_at", ["status", "updated_at"], unique=False)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index("ix_deadlines_status_due_on", ["status", "due_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_status_due_on")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_updated_at")
