"""Deadlines entered by hand, and the status of every deadline (open, done, missed, cancelled)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from caseapp.casefile import fields as f
from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import deadline_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import DeadlineView
from caseapp.domain.enums import DeadlineStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.store import models as m

DEADLINE_FORM = kinds.DEADLINE.form
DEADLINE = records.Kind(kinds.DEADLINE)


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


def override_deadline(
    core: Core, deadline_id: uuid.UUID, due_on: date | str, reason: str, *, expected_version: int | None = None
) -> DeadlineView:
    """Move a deadline by hand (a special regime, a court's order…). The reason is required and kept in the
    history; a computed deadline keeps its computed date beside the new one and is no longer moved by
    recomputation until the override is cleared."""
    day = f.day(required=True)(due_on, "due_on")
    why = f.text(2000, required=True)(reason, "override_reason")
    with UnitOfWork(core) as uow:
        deadline = get_or_404(uow.session, m.Deadline, deadline_id, N_("deadline"))
        f.check_version(deadline, expected_version, N_("deadline"))
        _override(uow, deadline, day, why)
        uow.commit()
    return get_deadline(core, deadline_id)


def _override(uow: UnitOfWork, deadline: m.Deadline, day: date, why: str) -> None:
    old = deadline.due_on
    if deadline.rule_id and not deadline.override_reason:
        deadline.computed_due_on = old
    deadline.due_on = day
    deadline.override_reason = why
    uow.audit(
        "override",
        "deadline",
        deadline.id,
        _("Deadline moved by hand: {title}").format(title=deadline.title),
        case_id=deadline.case_id,
        changes={"due_on": [old.isoformat(), day.isoformat()], "reason": why},
    )


def clear_override(core: Core, deadline_id: uuid.UUID) -> DeadlineView:
    """Go back to the computed date of a deadline that was moved by hand."""
    with UnitOfWork(core) as uow:
        deadline = get_or_404(uow.session, m.Deadline, deadline_id, N_("deadline"))
        if deadline.override_reason is None:
            return get_deadline(core, deadline_id)
        _clear(uow, deadline)
        uow.commit()
    return get_deadline(core, deadline_id)


def _clear(uow: UnitOfWork, deadline: m.Deadline) -> None:
    if deadline.computed_due_on is None:
        raise InvalidInput(_("This deadline was entered by hand: edit its date instead."))
    old = deadline.due_on
    deadline.due_on = deadline.computed_due_on
    deadline.computed_due_on = None
    deadline.override_reason = None
    uow.audit(
        "override",
        "deadline",
        deadline.id,
        _("Deadline back to its computed date: {title}").format(title=deadline.title),
        case_id=deadline.case_id,
        changes={"due_on": [old.isoformat(), deadline.due_on.isoformat()]},
    )


def edit_deadline(
    core: Core,
    deadline_id: uuid.UUID,
    *,
    expected_version: int | None = None,
    override_reason: str | None = None,
    **values: Any,
) -> DeadlineView:
    """What the deadline's dialog saves, in one transaction: a deadline a rule computed is moved by an override with
    its reason (no reason: back to the computed date); one typed by hand is simply edited; other fields (its status,
    a hand-made deadline's title) are edited alongside."""
    with UnitOfWork(core) as uow:
        deadline = get_or_404(uow.session, m.Deadline, deadline_id, N_("deadline"))
        f.check_version(deadline, expected_version, N_("deadline"))
        values.pop("rule_id", None)  # what rule a deadline follows is not edited
        if deadline.rule_id and "due_on" in values:
            due = values.pop("due_on")
            why = f.text(2000)(override_reason, "override_reason")
            day = f.day(required=True)(due, "due_on")
            if why:
                if day != deadline.due_on or why != deadline.override_reason:
                    _override(uow, deadline, day, why)
            elif deadline.override_reason is not None:
                _clear(uow, deadline)
            elif day != deadline.due_on:
                raise InvalidInput(
                    _("Give the reason for moving a computed deadline (it is kept in the history)."),
                    field="override_reason",
                )
        if values:
            uow.flush()
            records.change(uow, DEADLINE, deadline_id, values, expected_version=None)
        uow.commit()
    return get_deadline(core, deadline_id)


def recompute_all(core: Core) -> int:
    """Recompute every computed deadline of every case (after an update of the rules or the holidays).
    Returns how many deadlines changed."""
    from caseapp.services.deadline_bulk import resync_everything

    with UnitOfWork(core) as uow:
        changed = resync_everything(uow)
        uow.commit()
    return changed


def open_deadlines(core: Core, case_id: uuid.UUID | None = None) -> list[DeadlineView]:
    statement = select(m.Deadline).where(m.Deadline.status == DeadlineStatus.OPEN).order_by(m.Deadline.due_on)
    if case_id is not None:
        statement = statement.where(m.Deadline.case_id == case_id)
    with reading(core) as session:
        return [deadline_view(d) for d in session.scalars(statement)]
