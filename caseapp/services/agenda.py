"""The agenda: what is coming across all cases — hearings and open deadlines, overdue ones first — and the
cases that have nothing coming (no next hearing, no open deadline), which deserve a look.

Not every deadline's date is a last day to act (``DeadlineView.date_kind``): the day an implicit decision is born
and the court's own duty (sending the hearing notice) are never overdue, and are said as what they are
(``date_phrase``) wherever a deadline is shown to people: the agenda, ``caseapp show``, the calendar export and
the documents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

# The agenda's read models are shared with the read path with no ORM (``casefile.core_reads``).
from caseapp.casefile.agenda_model import ACTIVE as ACTIVE
from caseapp.casefile.agenda_model import PARIS as PARIS
from caseapp.casefile.agenda_model import Agenda as Agenda
from caseapp.casefile.agenda_model import AgendaItem as AgendaItem
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import case_row, deadline_view, hearing_view
from caseapp.casefile.uow import reading
from caseapp.domain.date_words import NOT_TASK_RULES, is_overdue
from caseapp.domain.enums import DeadlineStatus, HearingStatus
from caseapp.store import models as m


def agenda(
    core: Core, *, days: int = 60, overdue_days: int = 90, limit: int = 500, today: date | None = None
) -> Agenda:
    """Hearings from today and open deadlines up to ``days`` ahead; open deadlines overdue by up to
    ``overdue_days`` come first, and the older ones are counted (a case file kept for years would otherwise
    bury this week under every deadline never marked done)."""
    today = today or datetime.now(PARIS).date()
    oldest = today - timedelta(days=overdue_days)
    horizon = today + timedelta(days=days)
    start = datetime.combine(today, time.min, PARIS).astimezone(UTC)
    end = datetime.combine(horizon + timedelta(days=1), time.min, PARIS).astimezone(UTC)
    with reading(core) as session:
        hearing_filter = (
            m.Hearing.starts_at >= start,
            m.Hearing.starts_at < end,
            m.Hearing.status.in_([HearingStatus.SCHEDULED, HearingStatus.POSTPONED]),
        )
        deadline_filter = (
            m.Deadline.status == DeadlineStatus.OPEN,
            m.Deadline.due_on <= horizon,
            m.Deadline.due_on >= oldest,
        )
        # At most ``limit`` of each, in date order: together they hold the first ``limit`` items of the merge.
        hearings = session.scalars(
            select(m.Hearing).where(*hearing_filter).order_by(m.Hearing.starts_at).limit(limit)
        ).all()
        deadlines = session.scalars(
            select(m.Deadline).where(*deadline_filter).order_by(m.Deadline.due_on).limit(limit)
        ).all()
        total = (session.scalar(select(func.count()).where(*hearing_filter)) or 0) + (
            session.scalar(select(func.count()).where(*deadline_filter)) or 0
        )
        older = session.scalar(  # births and the court's duties are not the user's to mark done or missed
            select(func.count()).where(
                m.Deadline.status == DeadlineStatus.OPEN,
                m.Deadline.due_on < oldest,
                m.Deadline.rule_id.is_(None) | m.Deadline.rule_id.not_in(NOT_TASK_RULES),
            )
        )
        case_ids = {h.case_id for h in hearings} | {d.case_id for d in deadlines if d.case_id}
        cases = {c.id: c for c in session.scalars(select(m.Case).where(m.Case.id.in_(case_ids)))} if case_ids else {}
        busy = select(m.Hearing.case_id).where(
            m.Hearing.starts_at >= start, m.Hearing.status == HearingStatus.SCHEDULED
        )
        pending = select(m.Deadline.case_id).where(
            m.Deadline.status == DeadlineStatus.OPEN, m.Deadline.case_id.is_not(None)
        )
        idle = session.scalars(
            select(m.Case)
            .where(m.Case.status.in_(ACTIVE), m.Case.id.not_in(busy), m.Case.id.not_in(pending))
            .order_by(m.Case.updated_at.desc())
        ).all()
        items: list[AgendaItem] = []
        for h in hearings:
            case = cases.get(h.case_id)
            hearing = hearing_view(h)
            items.append(
                AgendaItem(
                    kind="hearing",
                    day=h.starts_at.astimezone(PARIS).date(),
                    at=h.starts_at,
                    overdue=False,
                    case_id=h.case_id,
                    case_title=case.title if case else None,
                    court_number=case.court_number if case else None,
                    title=h.room or h.court or "",
                    hearing=hearing,
                    date_kind="hearing",
                )
            )
        for d in deadlines:
            case = cases.get(d.case_id) if d.case_id else None
            deadline = deadline_view(d)
            items.append(
                AgendaItem(
                    kind="deadline",
                    day=d.due_on,
                    at=None,
                    overdue=is_overdue(deadline.date_kind, d.due_on, today),
                    case_id=d.case_id,
                    case_title=case.title if case else None,
                    court_number=case.court_number if case else None,
                    title=deadline.title,  # a rule's deadline named in the reader's language
                    deadline=deadline,
                    date_kind=deadline.date_kind,
                )
            )
        items.sort(key=lambda i: (not i.overdue, i.day, i.at or datetime.combine(i.day, time.max, PARIS)))
        shown = tuple(items[:limit])
        return Agenda(
            today=today,
            items=shown,
            idle_cases=tuple(case_row(c) for c in idle),
            older_overdue=older or 0,
            more=total - len(shown),
        )
