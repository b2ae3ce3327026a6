"""History anchored outside the database: each event may carry a seal of the records it left behind, events
imported from bundles say where they came from, and the case file gets a stable identifier (``app_state``) that
the anchors written beside it (``caseapp.store.anchors``) refer to.

Events imported before this version are marked as imported from the import event that followed them in the same
case (the bundle's author, date and signer, as that event recorded them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 11:00:00
"""

from __future__ import annotations

import bisect
import json
import uuid

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def _json(value: object) -> dict[str, object]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def _uuid_text(value: object) -> str:
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("origin", sa.JSON(), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT value FROM app_state WHERE key = 'database_id'")).first() is None:
        bind.execute(
            sa.text("INSERT INTO app_state (key, value) VALUES ('database_id', :value)"), {"value": str(uuid.uuid4())}
        )
    imports: dict[object, list[tuple[int, str, dict[str, object]]]] = {}
    for row in bind.execute(
        sa.text(
            "SELECT id, seq, case_id, changes FROM audit_events WHERE entity = 'bundle' AND action = 'import' "
            "AND origin_hash IS NULL ORDER BY seq"
        )
    ):
        case = _uuid_text(row.case_id) if row.case_id is not None else None
        imports.setdefault(case, []).append((row.seq, _uuid_text(row.id), _json(row.changes)))
    positions = {case: [seq for seq, _id, _changes in found] for case, found in imports.items()}
    table = sa.table("audit_events", sa.column("id", sa.Uuid()), sa.column("origin", sa.JSON()))
    for row in bind.execute(
        sa.text("SELECT id, seq, case_id FROM audit_events WHERE origin_hash IS NOT NULL ORDER BY seq")
    ):
        case = _uuid_text(row.case_id) if row.case_id is not None else None
        candidates = imports.get(case, [])
        index = bisect.bisect_right(positions.get(case, []), row.seq)
        origin: dict[str, object] = {"import": None}
        if index < len(candidates):
            _seq, import_id, changes = candidates[index]
            origin = {
                "import": import_id,
                "by": changes.get("exported_by"),
                "at": changes.get("exported_at"),
                "signer": changes.get("fingerprint"),
                "signature": changes.get("signer") or "unsigned",
            }
        event_id = row.id if isinstance(row.id, uuid.UUID) else uuid.UUID(str(row.id))
        bind.execute(table.update().where(table.c.id == event_id).values(origin=origin))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM app_state WHERE key IN ('database_id', 'history_anchor')"))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("origin")
        batch_op.drop_column("seal")
