"""The audit history becomes a hash chain: each event carries its place and the hash of the previous one.

Existing events are chained in the order they were written (time, then identifier).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:20:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

GENESIS = "0" * 64


def _aware(value: object) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _uuid_text(value: object) -> str:
    import uuid

    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def _changes(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else (value or {})


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("origin_hash", sa.String(length=64), nullable=True))

    # The chain is computed here with the same canonical form as caseapp.store.audit_chain (kept in this file so
    # the migration means the same thing whatever the code becomes later).
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, at, author, action, entity, record_id, case_id, summary, changes FROM audit_events "
            "ORDER BY at, id"
        )
    ).all()
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        content = {
            "id": _uuid_text(row.id),
            "at": _aware(row.at).isoformat(timespec="microseconds"),
            "author": row.author,
            "action": row.action,
            "entity": row.entity,
            "record_id": _uuid_text(row.record_id),
            "case_id": _uuid_text(row.case_id) if row.case_id else None,
            "summary": row.summary,
            "changes": _changes(row.changes),
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
        digest = hashlib.sha256(prev.encode("ascii") + canonical.encode()).hexdigest()
        bind.execute(
            sa.text("UPDATE audit_events SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id"),
            {"seq": seq, "prev": prev, "hash": digest, "id": row.id},
        )
        prev = digest

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_events_seq"), ["seq"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_events_seq"), type_="unique")
        batch_op.drop_column("origin_hash")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
