"""Deadlines entered by hand, and the status of every deadline (open, done, missed, cancelled)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from caseapp.domain.enums import DeadlineStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.services import fields as f
from caseapp.services import records
from caseapp.services.core import Core
from caseapp.services.loaders import deadline_view, get_or_404
from caseapp.services.uow import reading
from caseapp.services.views import DeadlineView
from caseapp.store import models as m

DEADLINE_FORM = f.Form(
    {
        "title": f.text(300, required=True),
        "due_on": f.day(required=True),
        "legal_basis": f.text(200),
        "status": f.enum(DeadlineStatus),
    }
)
DEADLINE = records.Kind(
    entity="deadline",
    label=N_("deadline"),
    model=m.Deadline,
    form=DEADLINE_FORM,
    describe=lambda d: f"{d.title} ({d.due_on.isoformat()})",
)


def get_deadline(core: Core, deadline_id: uuid.UUID) -> DeadlineView:
    with reading(core) as session:
        return deadline_view(get_or_404(session, m.Deadline, deadline_id, N_("deadline")))


def add_deadline(core: Core, case_id: uuid.UUID, *, record_id: uuid.UUID | None = None, **values: Any) -> DeadlineView:
    """A deadline typed by hand (no rule): its explanation says so."""
    values.setdefault("status", DeadlineStatus.OPEN)
    deadline_id = records.create(
        core,
        DEADLINE,
        values,
        record_id=record_id,
        case_id=case_id,
        explanation_fr="Échéance saisie manuellement.",
        explanation_en="Deadline entered by hand.",
        flags=[],
    )
    return get_deadline(core, deadline_id)


def update_deadline(
    core: Core, deadline_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> DeadlineView:
    return get_deadline(core, records.update(core, DEADLINE, deadline_id, values, expected_version=expected_version))


def set_status(core: Core, deadline_id: uuid.UUID, status: str | DeadlineStatus) -> DeadlineView:
    return update_deadline(core, deadline_id, status=status)


def delete_deadline(core: Core, deadline_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    with reading(core) as session:
        deadline = get_or_404(session, m.Deadline, deadline_id, N_("deadline"))
        if deadline.rule_id:
            raise InvalidInput(
                _("This deadline comes from a rule: change or delete the event that triggered it, or cancel it.")
            )
    return records.delete(core, DEADLINE, deadline_id, expected_version=expected_version)


def open_deadlines(core: Core, case_id: uuid.UUID | None = None) -> list[DeadlineView]:
    statement = select(m.Deadline).where(m.Deadline.status == DeadlineStatus.OPEN).order_by(m.Deadline.due_on)
    if case_id is not None:
        statement = statement.where(m.Deadline.case_id == case_id)
    with reading(core) as session:
        return [deadline_view(d) for d in session.scalars(statement)]
