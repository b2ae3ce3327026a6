"""Deadlines that follow from events: a decision notified, a request left unanswered, a CADA step, a hearing.

Recording (or changing) the event plans the deadlines the law attaches to it and reconciles them with what is
stored: new ones are added, changed ones recomputed, ones that no longer apply removed — in the same
transaction as the event, with their own history entries. A deadline overridden by hand keeps its date (the
computed one is kept beside it); a deadline marked done or missed keeps its status.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from caseapp.casefile.fields import stored
from caseapp.casefile.uow import UnitOfWork
from caseapp.domain.deadline_rules import get_rule
from caseapp.domain.deadlines import ComputedDeadline
from caseapp.domain.enums import DeadlineStatus
from caseapp.services.deadline_plans import (
    Context,
    Planned,
    case_context,
    plan_filing,
    plan_hearing,
    plan_request,
)
from caseapp.store import models as m

__all__ = [
    "Context",
    "DeadlineChange",
    "Planned",
    "case_context",
    "drop_for_trigger",
    "plan_filing",
    "plan_hearing",
    "plan_request",
    "reconcile",
    "resync_case",
    "sync_filing",
    "sync_hearing",
    "sync_request",
]


@dataclass(frozen=True)
class DeadlineChange:
    """One deadline a recomputation adds, changes or removes — or would, when only previewed. ``kept`` says the
    deadline is done, missed or overridden: its date to meet is not touched."""

    action: str  # "add" | "change" | "remove"
    deadline_id: uuid.UUID
    case_id: uuid.UUID | None
    rule_id: str | None
    title: str
    status: str
    old_due: date | None
    new_due: date | None
    overridden: bool = False
    fields: tuple[str, ...] = field(default=())


def _values(plan: Planned, overridden: bool) -> dict[str, Any]:
    """What a computed deadline's columns must hold. The stored title is the rule's French label (screens and
    documents name rule deadlines in their own language from ``rule_id``), so recomputing never depends on
    the language of whoever runs it."""
    computed = plan.computed
    rule = get_rule(plan.rule_id)
    due = computed.last_day or _reasonable_time(computed)
    extra_fr = tuple(flag.message_fr for flag in plan.extra)
    extra_en = tuple(flag.message_en for flag in plan.extra)
    values = {
        "title": rule.label_fr,
        "rule_id": plan.rule_id,
        "legal_basis": rule.legal_basis,
        "trigger_on": plan.trigger_on,
        "arguable_on": computed.arguable_day,
        "explanation_fr": "\n".join(plan.lead_fr + computed.steps_fr + extra_fr),
        "explanation_en": "\n".join(plan.lead_en + computed.steps_en + extra_en),
        "flags": list(dict.fromkeys(computed.flag_codes + tuple(flag.code for flag in plan.extra))),
    }
    values["computed_due_on" if overridden else "due_on"] = due
    return values


def _differs(row: Any, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != new for name, new in values.items())


def _apply(deadline: m.Deadline, plan: Planned, values: dict[str, Any] | None = None) -> dict[str, list[Any]]:
    values = values or _values(plan, bool(deadline.override_reason))
    diff: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(deadline, name)
        if old != new:
            if name not in ("explanation_fr", "explanation_en"):
                diff[name] = [stored(old), stored(new)]
            setattr(deadline, name, new)
    return diff


def _reasonable_time(computed: ComputedDeadline) -> date:
    """When a delay does not run (no routes of appeal stated, no acknowledgement), the outer limit is a
    reasonable time, in principle one year from knowledge of the decision (CE Ass. 13 Jul 2016, Czabaj): the
    date shown is that year, and the flags say why."""
    from caseapp.domain.deadlines import add_months

    return add_months(computed.trigger, 12)


def _uuid(value: Any) -> Any:
    """An identifier as a UUID, whether it came as one or as read in bulk without conversion (``_as_read``)."""
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_read(column: Any) -> Any:
    """An identifier column read as the database hands it over (the stored text on SQLite, the driver's UUID on
    PostgreSQL): recomputing everything compares some 70,000 of them, and only the few that change are needed
    as UUIDs."""
    return type_coerce(column, String).label(column.key)


def reconcile(
    uow: UnitOfWork,
    trigger_kind: str,
    trigger_id: uuid.UUID,
    plans: list[Planned],
    *,
    case_id: uuid.UUID | None,
    request_id: uuid.UUID | None = None,
    existing: dict[str, Any] | None = None,
    report: list[DeadlineChange] | None = None,
) -> int:
    """Make the stored deadlines of one trigger match the plan (add, recompute, remove); return how many
    deadlines changed. Done, missed and cancelled deadlines are the record of what happened: they are never
    changed or removed. ``report`` receives one ``DeadlineChange`` per deadline touched.

    ``existing`` (rule id → deadline) may be given when working in bulk, as ORM objects or as plain rows with the
    same attribute names (a row is loaded as an object only when it may change: when a value of the row does not
    equal the planned one, which is always the case of a value left as the database hands it over); in bulk, the
    identifiers (``trigger_id``, ``case_id``, the rows' ``id`` and ``case_id``) may come as read (``_as_read``),
    all alike."""
    if existing is None:
        existing = {
            d.rule_id: d
            for d in uow.session.scalars(
                select(m.Deadline).where(m.Deadline.trigger_id == trigger_id, m.Deadline.rule_id.is_not(None))
            )
            if d.rule_id
        }
    wanted = {plan.rule_id: plan for plan in plans}
    changed = 0
    for rule_id, deadline in existing.items():
        if rule_id not in wanted and DeadlineStatus(deadline.status) == DeadlineStatus.OPEN:
            if not isinstance(deadline, m.Deadline):
                deadline = uow.session.get(m.Deadline, _uuid(deadline.id))
            uow.session.delete(deadline)
            changed += 1
            uow.audit(
                "delete", "deadline", deadline.id, f"{deadline.title} ({deadline.due_on})", case_id=deadline.case_id
            )
            if report is not None:
                report.append(
                    DeadlineChange(
                        "remove",
                        deadline.id,
                        deadline.case_id,
                        rule_id,
                        deadline.title,
                        DeadlineStatus.OPEN.value,
                        deadline.due_on,
                        None,
                        bool(deadline.override_reason),
                    )
                )
    for rule_id, plan in wanted.items():
        deadline = existing.get(rule_id)
        if deadline is None:
            deadline = m.Deadline(
                id=uuid.uuid4(),
                case_id=_uuid(case_id),
                request_id=request_id,
                trigger_kind=trigger_kind,
                trigger_id=_uuid(trigger_id),
                status=DeadlineStatus.OPEN,
                flags=[],
            )
            _apply(deadline, plan)
            uow.session.add(deadline)
            changed += 1
            uow.audit(
                "create",
                "deadline",
                deadline.id,
                f"{deadline.title} ({deadline.due_on.isoformat()})",
                case_id=_uuid(case_id),
                changes={
                    "rule_id": rule_id,
                    "due_on": deadline.due_on.isoformat(),
                    "trigger_on": plan.trigger_on.isoformat(),
                },
            )
            if report is not None:
                report.append(
                    DeadlineChange(
                        "add", deadline.id, _uuid(case_id), rule_id, deadline.title, "open", None, deadline.due_on
                    )
                )
            continue
        if DeadlineStatus(deadline.status) != DeadlineStatus.OPEN:
            continue  # done, missed or cancelled: kept as it was
        values = _values(plan, bool(deadline.override_reason))
        moved = deadline.case_id != case_id  # filed under another case than its event's: put it back
        if not isinstance(deadline, m.Deadline):  # a plain row (bulk): load the record only to change it
            if not moved and not _differs(deadline, values):
                continue
            deadline = uow.session.get(m.Deadline, _uuid(deadline.id))
        old_due = deadline.computed_due_on if deadline.override_reason else deadline.due_on
        diff = _apply(deadline, plan, values)
        if moved:
            diff["case_id"] = [stored(deadline.case_id), stored(_uuid(case_id))]
            deadline.case_id = _uuid(case_id)
        if diff:
            changed += 1
            uow.audit("recompute", "deadline", deadline.id, f"{deadline.title}", case_id=_uuid(case_id), changes=diff)
            if report is not None:
                overridden = bool(deadline.override_reason)
                report.append(
                    DeadlineChange(
                        "change",
                        deadline.id,
                        _uuid(case_id),
                        rule_id,
                        deadline.title,
                        deadline.status.value,
                        old_due,
                        deadline.computed_due_on if overridden else deadline.due_on,
                        overridden,
                        tuple(sorted(diff)),
                    )
                )
    return changed


def sync_filing(uow: UnitOfWork, filing: m.Filing) -> None:
    reconcile(uow, "filing", filing.id, plan_filing(uow.session, filing), case_id=filing.case_id)


def sync_hearing(uow: UnitOfWork, hearing: m.Hearing) -> None:
    reconcile(uow, "hearing", hearing.id, plan_hearing(uow.session, hearing), case_id=hearing.case_id)


def sync_request(uow: UnitOfWork, request: m.AccessRequest) -> None:
    reconcile(
        uow,
        "access_request",
        request.id,
        plan_request(uow.session, request),
        case_id=request.case_id,
        request_id=request.id,
    )


def drop_for_trigger(uow: UnitOfWork, trigger_id: uuid.UUID) -> None:
    """The event is gone: its open computed deadlines go too (done or missed ones stay, for the record)."""
    reconcile(uow, "", trigger_id, [], case_id=None)


def resync_case(uow: UnitOfWork, case_id: uuid.UUID) -> None:
    """Recompute every computed deadline of a case (after its court or its applicants changed)."""
    for filing in uow.session.scalars(select(m.Filing).where(m.Filing.case_id == case_id)):
        sync_filing(uow, filing)
    for hearing in uow.session.scalars(select(m.Hearing).where(m.Hearing.case_id == case_id)):
        sync_hearing(uow, hearing)
    for request in uow.session.scalars(select(m.AccessRequest).where(m.AccessRequest.case_id == case_id)):
        sync_request(uow, request)
