"""Every computed deadline of the case file recomputed at once (after an update of the rules or the holidays, and
for ``deadline_review``'s preview): a handful of queries, not several per case.

The events are planned by the planners that plan one event (``deadline_plans``), and whatever must change is
written by ``deadline_events.reconcile``; only the reading, the sharing and the first comparison are done here:

* rows are read as Core rows, not ORM objects, and the columns that would cost more to convert than to compare
  come as the database hands them over (identifiers, enumerations — ``StrEnum`` members equal their stored
  values —, and every column of the stored deadlines); the events' dates and booleans are converted, because
  the rules read them;
* the planners are given what an event says (its *facts*: every column they read, but which event it is and
  whose) and the case's context; events with the same facts in the same context start the same deadlines
  (the planners are pure), so each such group is planned once per recomputation, as ``_compute_cached`` works
  each deadline out once per rule, day and seat;
* a trigger whose stored deadlines already hold exactly what its plan gives is left alone after one tuple
  comparison per deadline (each plan's stored form is built once per recomputation). Anything else — a deadline
  to add, change, remove or put back under its case, or a value stored another way than this would store it —
  goes to ``reconcile``, which compares value by value and writes. The quick comparison can only send a trigger
  to ``reconcile`` for nothing, never keep a deadline that must change: equal stored forms are equal values.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import JSON, Enum, String, Text, Uuid, and_, or_, select

from caseapp.casefile.uow import UnitOfWork
from caseapp.domain import holidays_fr
from caseapp.domain.enums import (
    AccessStatus,
    DeadlineStatus,
    FilingKind,
    HearingStatus,
    Matter,
    PartyRole,
    Procedure,
    Residence,
)
from caseapp.services.deadline_events import DeadlineChange, _as_read, _uuid, _values, reconcile
from caseapp.services.deadline_plans import (
    COURT_SET_RULES,
    NO_CASE,
    SILENCE_MONTHS,
    Context,
    Planned,
    nearest,
    plan_filing,
    plan_hearing,
    plan_request,
)
from caseapp.store import models as m

D = m.Deadline
# The deadline's columns, as the database hands them over: the first six say which deadline it is and whether it
# may change, the others are compared with the plan's stored form (``_Stored.form``): ``due_on``, or
# ``computed_due_on`` when the date was moved by hand.
_COLUMNS = [
    _as_read(column)
    for column in (
        D.id, D.trigger_id, D.rule_id, D.case_id, D.status, D.override_reason, D.title, D.legal_basis,
        D.trigger_on, D.arguable_on, D.explanation_fr, D.explanation_en, D.flags, D.due_on, D.computed_due_on,
    )
]  # fmt: skip
_FIRST = 6  # the index of ``title``
_DUE = _FIRST + 7  # the index of ``due_on``; ``computed_due_on`` follows it
_OPEN = DeadlineStatus.OPEN.value
_KEPT = frozenset(status.value for status in DeadlineStatus) - {_OPEN}  # done, missed, cancelled: never touched


def _same(value: Any) -> Any:
    return value


def _iso(day: date | None) -> str | None:
    """A date as SQLite stores it (SQLAlchemy's storage format for a date is ISO 8601's)."""
    return None if day is None else day.isoformat()


class _Stored:
    """What each plan's deadline must hold, in stored form, worked out once per recomputation: per plan (the key
    holds the computed deadline by identity) and per list of plans (events with the same facts share theirs).
    The values keep what the keys identify alive, so no identity is reused while this lives."""

    def __init__(self, as_text: bool) -> None:
        # SQLite hands dates and JSON over as their text; PostgreSQL's drivers convert them.
        self.day = _iso if as_text else _same
        self.flags = json.dumps if as_text else _same
        self.forms: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...]]] = {}
        self.lists: dict[int, tuple[list[Planned], list[tuple[str, tuple[Any, ...]]]]] = {}

    def form(self, plan: Planned) -> tuple[Any, ...]:
        """``(title, legal_basis, trigger_on, arguable_on, explanation_fr, explanation_en, flags, due)`` as the
        database hands them over, for the plan of a deadline not moved by hand (``_values``, in stored form)."""
        key = (plan.rule_id, plan.trigger_on, id(plan.computed), plan.lead_fr, plan.lead_en, plan.extra)
        found = self.forms.get(key)
        if found is not None:
            return found[1]
        values = _values(plan, False)
        day = self.day
        form = (
            values["title"],
            values["legal_basis"],
            day(values["trigger_on"]),
            day(values["arguable_on"]),
            values["explanation_fr"],
            values["explanation_en"],
            self.flags(values["flags"]),
            day(values["due_on"]),
        )
        self.forms[key] = (plan.computed, form)
        return form

    def expected(self, plans: list[Planned]) -> list[tuple[str, tuple[Any, ...]]]:
        """``(rule_id, form)`` for each plan of ``plans``."""
        found = self.lists.get(id(plans))
        if found is None or found[0] is not plans:
            found = self.lists[id(plans)] = (plans, [(plan.rule_id, self.form(plan)) for plan in plans])
        return found[1]

    def unchanged(self, plans: list[Planned], stored: dict[str, Any] | None, case_id: Any) -> bool:
        """True when ``reconcile`` would change nothing: every planned deadline is stored, under ``case_id``,
        with the values it would be given (or is done, missed or cancelled), and no other open one is stored."""
        if not stored:
            return not plans
        for rule_id, form in self.expected(plans):
            row = stored.get(rule_id)
            if row is None:
                return False
            status = row[4]
            if status != _OPEN:
                if status in _KEPT:
                    continue
                return False  # a status this does not know: let ``reconcile`` say so
            if row[3] != case_id:
                return False
            if row[5]:  # moved by hand: the computed date is kept beside the one to meet
                if row[_FIRST:_DUE] != form[:-1] or row[_DUE + 1] != form[-1]:
                    return False
            elif row[_FIRST : _DUE + 1] != form:
                return False
        if len(stored) == 1 and len(plans) == 1:
            return True  # the one stored deadline is the one planned
        wanted = {plan.rule_id for plan in plans}
        return all(row[4] in _KEPT for rule_id, row in stored.items() if rule_id not in wanted)


# --- reading ------------------------------------------------------------------------------------------------------


def _contexts(session: Any) -> dict[Any, Context]:
    """Each case's context, by its identifier as read; cases with the same court, procedure, matter and nearest
    applicant share one (kept by the dictionary returned: its identity stands for it while that lives)."""
    applicants: dict[Any, set[str]] = {}
    # Only applicants living far away can change a case's time limits, and they are few: read those, then
    # whether the same cases also have an applicant in France (the nearest applicant decides).
    applicant_residence = (
        select(_as_read(m.CaseParty.case_id), m.Party.residence)
        .join(m.Party, m.Party.id == m.CaseParty.party_id)
        .where(m.CaseParty.role == PartyRole.APPLICANT)
    )
    connection = session.connection()
    far = connection.execute(applicant_residence.where(m.Party.residence != Residence.FRANCE)).all()
    for case_id, residence in far:
        applicants.setdefault(case_id, set()).add(residence.value)
    if applicants:
        near = applicant_residence.where(
            m.Party.residence == Residence.FRANCE, m.CaseParty.case_id.in_([_uuid(key) for key in applicants])
        )
        for case_id, residence in connection.execute(near).all():
            applicants[case_id].add(residence.value)
    contexts: dict[Any, Context] = {None: NO_CASE}
    shared: dict[tuple[Any, ...], Context] = {}
    cases = select(_as_read(m.Case.id), m.Case.court, _as_read(m.Case.procedure), _as_read(m.Case.matter))
    for case_id, court, procedure, matter in connection.execute(cases).all():
        residence = nearest(applicants[case_id]) if case_id in applicants else "france"
        key = (court, procedure, matter, residence)
        context = shared.get(key)
        if context is None:
            context = shared[key] = Context(
                holidays_fr.court_seat(court or ""),
                residence,
                court,
                None if procedure is None else Procedure(procedure),
                None if matter is None else Matter(matter),
            )
        contexts[case_id] = context
    return contexts


def _stored_deadlines(session: Any) -> dict[Any, dict[str, Any]]:
    """The computed deadlines, by trigger then rule, as read."""
    existing: dict[Any, dict[str, Any]] = {}
    for row in session.connection().execute(select(*_COLUMNS).where(D.rule_id.is_not(None))).all():
        trigger_id, rule_id = row[1], row[2]
        if trigger_id is not None and rule_id:
            found = existing.get(trigger_id)
            if found is None:
                existing[trigger_id] = {rule_id: row}
            else:
                found[rule_id] = row
    return existing


class _FilingFacts(NamedTuple):
    """What a filing says that the rules read (a named tuple: they read a dozen attributes of thousands)."""

    kind: str
    filed_on: date | None
    notified_on: date | None
    received_on: date | None
    appeal_routes_stated: bool | None
    acknowledged: bool | None
    outcome: str | None
    court_level: str | None
    decision_nature: str | None
    published: bool | None
    made_available_on: date | None
    consulted_on: date | None
    silence_means: str | None
    progress_reported: bool | None
    court_set_on: date | None
    brief_announced: bool | None


class _HearingFacts(NamedTuple):
    starts_at: datetime
    status: str
    urgent: bool
    kind: str


class _Request(NamedTuple):
    id: Any
    case_id: Any
    status: str
    received_on: date | None
    routes_informed: bool | None


_AS_READ = (String, Text, Enum, Uuid, JSON)  # types whose values are compared as the database hands them over
_Event = tuple[Any, Any, Any]  # (identifier, case identifier, facts), the identifiers as read
_Events = tuple[str, list[_Event], Any]  # (trigger kind, its events, their planner)


def _columns(model: Any, row: Any) -> list[Any]:
    """The columns of ``model`` named like the fields of ``row``, in their order; identifiers, enumerations and
    text as read, the others (dates, booleans) converted."""
    columns = [getattr(model, name) for name in row._fields]
    return [_as_read(column) if isinstance(column.type, _AS_READ) else column for column in columns]


def _filings(session: Any, ids: list[Any] | None = None) -> list[_Event]:
    """The filings that can start a time limit (or those of ``ids``, as read), and only the columns the rules
    read."""
    decisions = [k for k in FilingKind if k.is_decision]
    f = m.Filing
    statement = select(_as_read(f.id), _as_read(f.case_id), *_columns(f, _FilingFacts))
    if ids is None:
        statement = statement.where(
            or_(
                and_(f.kind.in_(decisions), or_(f.notified_on.is_not(None), f.made_available_on.is_not(None))),
                f.kind.in_([*SILENCE_MONTHS, FilingKind.PLAINTE_CNIL, *COURT_SET_RULES]),
                f.brief_announced.is_(True),
            )
        )
    else:
        statement = statement.where(f.id.in_([_uuid(key) for key in ids]))
    make = _FilingFacts._make
    return [(row[0], row[1], make(row[2:])) for row in session.connection().execute(statement).all()]


def _hearings(session: Any, ids: list[Any] | None = None) -> list[_Event]:
    """The hearings still to come, scheduled or postponed (or those of ``ids``, as read). Their instant is read as
    stored and converted as SQLAlchemy converts it (``UTCDateTime``), once per distinct value: hearings gather at
    the same hours of the same days."""
    live = [HearingStatus.SCHEDULED, HearingStatus.POSTPONED]
    h = m.Hearing
    columns = [_as_read(h.starts_at) if column.key == "starts_at" else column for column in _columns(h, _HearingFacts)]
    statement = select(_as_read(h.id), _as_read(h.case_id), *columns)
    statement = statement.where(h.status.in_(live) if ids is None else h.id.in_([_uuid(key) for key in ids]))
    connection = session.connection()
    dialect = connection.dialect
    convert = h.starts_at.type.dialect_impl(dialect).result_processor(dialect, None) or _same
    instants: dict[Any, datetime] = {}
    events: list[_Event] = []
    for key, case_key, stored, status, urgent, kind in connection.execute(statement).all():
        instant = instants.get(stored)
        if instant is None:
            instant = instants[stored] = convert(stored)
        events.append((key, case_key, _HearingFacts(instant, status, urgent, kind)))
    return events


_CHUNK = 500  # identifiers per ``IN`` list (SQLite's oldest builds take 999 parameters)


def _events(session: Any, existing: dict[Any, dict[str, Any]], requests: list[_Request]) -> list[_Events]:
    """The filings and the hearings that can start a time limit, and those that started one before and no longer
    can (changed since, or behind the app's back), so that their deadlines go. The latter are found in Python:
    the stored deadlines' triggers that are none of the events read nor an access request, then read by
    identifier (none, usually). A subquery of the triggers in each statement cost more than the rest of both
    (it goes through every deadline for every filing and hearing: 300 of 1,500 ms at 50,000 cases)."""
    filings = _filings(session)
    hearings = _hearings(session)
    seen = {event[0] for events in (filings, hearings) for event in events} | {request.id for request in requests}
    left = [key for key in existing if key not in seen]
    for start in range(0, len(left), _CHUNK):
        chunk = left[start : start + _CHUNK]
        filings += _filings(session, chunk)
        hearings += _hearings(session, chunk)
    return [("filing", filings, plan_filing), ("hearing", hearings, plan_hearing)]


def _requests(session: Any) -> tuple[list[_Request], dict[Any, dict[AccessStatus, date]]]:
    """The access requests, and the steps each went through (by the request's identifier as read)."""
    connection = session.connection()
    steps: dict[Any, dict[AccessStatus, date]] = {}
    s = m.AccessRequestStep
    for request_id, status, on in connection.execute(
        select(_as_read(s.request_id), _as_read(s.status), s.on).order_by(s.on)
    ).all():
        steps.setdefault(request_id, {})[AccessStatus(status)] = on
    rows = connection.execute(select(*_columns(m.AccessRequest, _Request))).all()
    return [_Request._make(row) for row in rows], steps


# --- recomputing --------------------------------------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused: a recomputation makes tens of thousands of rows, plans and tuples that
    hold no cycle (reference counting frees them), and their number alone would make the collector go through
    the whole heap once or twice, for nothing. Left as it was found (another thread may have paused it too)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def resync_everything(uow: UnitOfWork, report: list[DeadlineChange] | None = None) -> int:
    """Recompute every computed deadline in the database with a handful of queries (not several per case).
    Returns how many deadlines were added, changed or removed; ``report`` receives each change."""
    with _collector_paused():
        return _resync(uow, report)


def _resync(uow: UnitOfWork, report: list[DeadlineChange] | None) -> int:
    session = uow.session
    contexts = _contexts(session)
    existing = _stored_deadlines(session)
    stored = _Stored(as_text=session.connection().dialect.name == "sqlite")
    changed = 0

    def settle(kind: str, key: Any, case_key: Any, plans: list[Planned], request_id: Any = None) -> int:
        current = existing.get(key)
        if stored.unchanged(plans, current, case_key):
            return 0
        return reconcile(
            uow, kind, key, plans, case_id=case_key, request_id=request_id, existing=current or {}, report=report
        )

    with session.no_autoflush:
        requests, steps = _requests(session)
        for kind, events, planner in _events(session, existing, requests):
            planned: dict[tuple[Any, int], list[Planned]] = {}  # by facts and context; never changed once made
            for key, case_key, facts in events:
                context = contexts[case_key]
                plans = planned.get((facts, id(context)))
                if plans is None:
                    plans = planned[facts, id(context)] = planner(session, facts, context)
                changed += settle(kind, key, case_key, plans)
        for request in requests:
            key, case_key = request.id, request.case_id
            plans = plan_request(session, request, contexts[case_key], steps.get(key, {}))
            changed += settle("access_request", key, case_key, plans, _uuid(key))
    return changed
