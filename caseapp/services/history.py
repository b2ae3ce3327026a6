"""The history (audit log) of a case or of everything."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from caseapp.casefile.core import Core
from caseapp.casefile.loaders import audit_view
from caseapp.casefile.uow import reading
from caseapp.casefile.views import AuditView
from caseapp.store import models as m


def case_history(core: Core, case_id: uuid.UUID, *, limit: int = 1000) -> list[AuditView]:
    with reading(core) as session:
        events = session.scalars(
            select(m.AuditEvent).where(m.AuditEvent.case_id == case_id).order_by(m.AuditEvent.seq.desc()).limit(limit)
        )
        return [audit_view(e) for e in events]


def recent_history(core: Core, *, limit: int = 200) -> list[AuditView]:
    with reading(core) as session:
        return [
            audit_view(e) for e in session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.seq.desc()).limit(limit))
        ]
