"""The read path with no ORM: the case list, one case, the search and the agenda, from Core rows.

``caseapp cases``, ``show``, ``search`` and ``agenda`` and the window's first agenda need only to read, and importing
``sqlalchemy.orm`` and mapping the models costs more than their whole work (see ``tables.py``). These functions send
the statements of the ORM path (``loaders``, ``services.cases``, ``search``, ``services.agenda``), on the Core tables,
and build the same read models with the same builders (``building``): ``tests/core/test_core_reads.py`` checks
that both paths return equal results on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, String, cast, func, or_, select, type_coerce
from sqlalchemy.exc import DatabaseError

from caseapp.casefile import building, views
from caseapp.casefile.building import (
    _plain,
    case_checks,
    case_row,
    deadline_view,
    filing_view,
    filled,
    hearing_view,
    opinion_view,
)
from caseapp.domain.enums import CaseStatus, DeadlineStatus, HearingStatus, ParentRelation, Procedure
from caseapp.errors import InvalidInput, NotFound
from caseapp.i18n import _
from caseapp.store import tables as t
from caseapp.store.engine import fold

if TYPE_CHECKING:
    from caseapp.casefile.agenda_model import Agenda
    from caseapp.casefile.core import Core


@contextmanager
def connected(core: Core) -> Iterator[Connection]:
    """A reading connection (one transaction, rolled back at the end), database errors said as the ORM path says
    them."""
    try:
        with core.db.engine.connect() as connection:
            yield connection
    except DatabaseError as exc:
        from caseapp.casefile.uow import storage_error

        raise storage_error(exc, core) from exc


# --- the case list ------------------------------------------------------------------------------------------------

cases = t.cases
SORTABLE: dict[str, Any] = {
    "updated_at": cases.c.updated_at,
    "title": func.caseapp_fold(cases.c.title),
    "court": func.caseapp_fold(cases.c.court),
    "court_number": cases.c.court_number,
    "status": cases.c.status,
    "procedure": cases.c.procedure,
    "opened_on": cases.c.opened_on,
}


CASE_ROW = (
    cases.c.id, cases.c.title, cases.c.reference, cases.c.court, cases.c.court_number,
    type_coerce(cases.c.procedure, String), type_coerce(cases.c.status, String), cases.c.opened_on,
    cases.c.updated_at, cases.c.example,
)  # fmt: skip


def _case_rows(
    rows: Any, tags: dict[uuid.UUID, list[str]] | None = None, taken: dict[uuid.UUID, Any] | None = None
) -> list[views.CaseRow]:
    """``CaseRow``s from rows of ``CASE_ROW`` (the list's own columns, the enums as their stored values): a list of
    10,000 cases filled 10,000 read models field by field and converted every status to an enum and back. The
    columns are given in the read model's order (``tests/core/test_core_reads.py`` checks it), not by name: for
    10,000 rows, naming them cost 15 ms."""
    tags = tags or {}
    taken = taken or {}
    row = views.CaseRow
    # (mypy cannot count a row's columns: CASE_ROW's ten, then the tags and the offline mark)
    return [row(*r, tuple(tags.get(r[0], ())), taken.get(r[0])) for r in rows]  # type: ignore[call-arg]


def _filtered(statement: Any, status: str | CaseStatus | None, text_: str | None, tag: str | None) -> Any:
    if status:
        statement = statement.where(cases.c.status == CaseStatus.parse(status, field="status"))
    if text_ and text_.strip():
        pattern = f"%{fold(text_.strip())}%"
        statement = statement.where(
            or_(
                func.caseapp_fold(cases.c.title).like(pattern),
                func.caseapp_fold(cases.c.reference).like(pattern),
                func.caseapp_fold(cases.c.court).like(pattern),
                func.caseapp_fold(cases.c.court_number).like(pattern),
            )
        )
    if tag:
        tags = t.case_tags
        statement = statement.where(
            cases.c.id.in_(select(tags.c.case_id).where(func.caseapp_fold(tags.c.tag) == fold(tag)))
        )
    return statement


def offline_marks(
    connection: Connection, case_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, views.TakenOffline]:
    statement = select(t.checkouts)
    if case_ids is not None:
        if not case_ids:
            return {}
        statement = statement.where(t.checkouts.c.case_id.in_(case_ids))
    return {row.case_id: filled(views.TakenOffline, row) for row in connection.execute(statement)}


def list_cases(
    core: Core,
    *,
    status: str | CaseStatus | None = None,
    text: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    order_by: str = "updated_at",
    descending: bool = True,
) -> list[views.CaseRow]:
    """``services.cases.list_cases``, read without the ORM."""
    column = SORTABLE.get(order_by)
    if column is None:
        raise InvalidInput(_("Cases cannot be sorted by “{column}”.").format(column=order_by))
    ordering = column.desc() if descending else column.asc()
    statement = _filtered(select(*CASE_ROW), status, text, tag).order_by(ordering, cases.c.id)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    # Every case listed: their tags and marks are all the tags and marks (not 10,000 identifiers sent back).
    everything = limit is None and not offset and not (status or (text and text.strip()) or tag)
    with connected(core) as connection:
        rows = connection.execute(statement).all()
        ids = None if everything else [r[0] for r in rows]
        tags: dict[uuid.UUID, list[str]] = {}
        if rows:
            tagged = select(t.case_tags.c.case_id, t.case_tags.c.tag).order_by(t.case_tags.c.tag)
            if ids is not None:
                tagged = tagged.where(t.case_tags.c.case_id.in_(ids))
            for case_id, tag_name in connection.execute(tagged).all():  # fetched at once, not row by row
                tags.setdefault(case_id, []).append(tag_name)
        taken = offline_marks(connection, ids)
    return _case_rows(rows, tags, taken)


def count_cases(
    core: Core, *, status: str | CaseStatus | None = None, text: str | None = None, tag: str | None = None
) -> int:
    """``services.cases.count_cases``, read without the ORM."""
    with connected(core) as connection:
        return connection.scalar(_filtered(select(func.count()).select_from(cases), status, text, tag)) or 0


HEX = re.compile(r"^[0-9a-fA-F-]+$")


def resolve_case(core: Core, ref: str) -> uuid.UUID:
    """``services.cases.resolve_case``: a case by UUID, unique UUID prefix (6+ characters) or court number."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput(_("Say which case: give its identifier or its court number."))
    with connected(core) as connection:
        try:
            full = uuid.UUID(ref)
        except ValueError:
            full = None
        if full is not None:
            if connection.execute(select(cases.c.id).where(cases.c.id == full)).first() is None:
                raise NotFound(_("No case with the identifier {id}.").format(id=ref))
            return full
        matches: list[uuid.UUID] = []
        prefix = ref.replace("-", "").lower()
        if HEX.match(ref) and len(prefix) >= 6:
            matches = list(
                connection.scalars(
                    select(cases.c.id)
                    .where(func.replace(cast(cases.c.id, String), "-", "").like(prefix + "%"))
                    .limit(2)
                )
            )
        if not matches:
            matches = list(connection.scalars(select(cases.c.id).where(cases.c.court_number == ref).limit(2)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise InvalidInput(_("“{ref}” matches several cases: give more characters of the identifier.").format(ref=ref))
    raise NotFound(_("No case matches “{ref}” (by identifier, identifier prefix or court number).").format(ref=ref))


# --- one case -----------------------------------------------------------------------------------------------------


def _hearings_with_notes(connection: Connection, case_id: uuid.UUID) -> tuple[views.HearingView, ...]:
    hearings = connection.execute(
        select(t.hearings).where(t.hearings.c.case_id == case_id).order_by(t.hearings.c.starts_at)
    ).all()
    notes: dict[uuid.UUID, list[views.NoteView]] = defaultdict(list)
    if hearings:
        n = t.hearing_notes.c
        for row in connection.execute(
            select(n.id, n.hearing_id, n.at, n.author, n.text, n.version)
            .where(n.hearing_id.in_([h.id for h in hearings]))
            .order_by(n.at, n.created_at)
        ):
            notes[row[1]].append(views.NoteView(*row))
    return tuple(hearing_view(h, tuple(notes[h.id])) for h in hearings)


def _evidence(connection: Connection, case_id: uuid.UUID) -> tuple[views.EvidenceView, ...]:
    e, f = t.evidence.c, t.stored_files.c
    statement = (
        select(
            e.id, e.number, e.title, e.description, e.document_date, e.source, e.filing_id, e.example, e.version,
            f.id, f.sha256, f.original_name, f.size, f.media_type, f.added_by, f.added_at,
        )
        .select_from(t.evidence.outerjoin(t.stored_files, f.id == e.file_id))
        .where(e.case_id == case_id)
        .order_by(e.number)
    )  # fmt: skip
    result = []
    for row in connection.execute(statement):
        file = None
        if row[9] is not None:
            file = views.FileView(
                id=row[9], sha256=row[10], original_name=row[11], size=row[12], media_type=row[13], added_by=row[14],
                added_at=row[15],
            )  # fmt: skip
        result.append(
            views.EvidenceView(
                id=row[0], case_id=case_id, number=row[1], title=row[2], description=row[3], document_date=row[4],
                source=row[5], filing_id=row[6], file=file, example=row[7], version=row[8],
            )
        )  # fmt: skip
    return tuple(result)


def _parties(connection: Connection, case_id: uuid.UUID) -> tuple[views.PartyView, ...]:
    link, party = t.case_parties.c, t.parties.c
    rows = connection.execute(
        select(link.id, link.role, link.counsel, link.counsel_contact, link.version, link.party_id)
        .where(link.case_id == case_id)
        .order_by(link.role, link.created_at)
    ).all()
    found = {}
    if rows:
        found = {
            row.id: row
            for row in connection.execute(
                select(party.id, party.name, party.kind, party.residence).where(
                    party.id.in_({r.party_id for r in rows})
                )
            )
        }
    return tuple(
        views.PartyView(
            id=r.id,
            party_id=r.party_id,
            name=found[r.party_id].name,
            kind=_plain(found[r.party_id].kind),
            residence=_plain(found[r.party_id].residence),
            role=_plain(r.role),
            counsel=r.counsel,
            counsel_contact=r.counsel_contact,
            version=r.version,
        )
        for r in rows
    )


def case_detail(connection: Connection, case_id: uuid.UUID) -> views.CaseDetail:
    """``loaders.case_detail``, read without the ORM."""
    case = connection.execute(select(cases).where(cases.c.id == case_id)).first()
    if case is None:
        raise NotFound(_("No case with the identifier {id}.").format(id=case_id))
    tags = tuple(
        connection.scalars(
            select(t.case_tags.c.tag).where(t.case_tags.c.case_id == case_id).order_by(t.case_tags.c.tag)
        )
    )
    parties = _parties(connection, case_id)
    party_names = {p.party_id: p.name for p in parties}
    fc = t.filings.c
    filing_rows = connection.execute(
        select(t.filings).where(fc.case_id == case_id).order_by(fc.filed_on, fc.created_at)
    ).all()
    missing = {r.party_id for r in filing_rows if r.party_id and r.party_id not in party_names}
    if missing:
        party_names.update(
            (row.id, row.name)
            for row in connection.execute(select(t.parties.c.id, t.parties.c.name).where(t.parties.c.id.in_(missing)))
        )
    filings = tuple(filing_view(r, party_names) for r in filing_rows)
    hearings = _hearings_with_notes(connection, case_id)
    oc, oc_links = t.opinions.c, t.opinion_cases.c
    opinion_rows = connection.execute(
        select(t.opinions)
        .join(t.opinion_cases, oc_links.opinion_id == oc.id)
        .where(oc_links.case_id == case_id)
        .order_by(oc.issued_on)
    ).all()
    links_by_opinion: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if opinion_rows:
        for opinion_id, linked in connection.execute(
            select(oc_links.opinion_id, oc_links.case_id).where(oc_links.opinion_id.in_([o.id for o in opinion_rows]))
        ):
            links_by_opinion[opinion_id].append(linked)
    opinions = tuple(opinion_view(o, tuple(links_by_opinion[o.id])) for o in opinion_rows)
    evidence = _evidence(connection, case_id)
    ac = t.access_requests.c
    requests = connection.execute(select(t.access_requests).where(ac.case_id == case_id).order_by(ac.sent_on)).all()
    steps: dict[uuid.UUID, list[Any]] = defaultdict(list)
    if requests:
        for step in connection.execute(
            select(t.access_request_steps).where(t.access_request_steps.c.request_id.in_([r.id for r in requests]))
        ):
            steps[step.request_id].append(step)
    access = tuple(
        filled(
            views.AccessRequestView,
            r,
            steps=tuple(
                views.StepView(id=s.id, status=s.status.value, on=s.on, note=s.note)
                for s in sorted(steps[r.id], key=lambda s: (s.on, s.created_at))
            ),
        )
        for r in requests
    )
    dc = t.deadlines.c
    deadlines = tuple(
        deadline_view(d)
        for d in connection.execute(select(t.deadlines).where(dc.case_id == case_id).order_by(dc.due_on, dc.title))
    )
    children = tuple(
        case_row(c)
        for c in connection.execute(select(cases).where(cases.c.parent_id == case_id).order_by(cases.c.opened_on))
    )
    parent_title = (
        connection.scalar(select(cases.c.title).where(cases.c.id == case.parent_id)) if case.parent_id else None
    )
    ev = t.audit_events.c
    head = connection.execute(
        select(ev.hash, ev.seq).where(ev.case_id == case_id).order_by(ev.seq.desc()).limit(1)
    ).first()
    main = None
    if (
        case.procedure == Procedure.REFERE_SUSPENSION
        and case.parent_id
        and case.parent_relation == ParentRelation.REFERE_OF
    ):
        main = connection.execute(select(cases.c.status).where(cases.c.id == case.parent_id)).first()
    return building.case_detail(
        case,
        hearings=hearings,
        deadlines=deadlines,
        head=head,
        parent_title=parent_title,
        children=children,
        tags=tags,
        parties=parties,
        filings=filings,
        opinions=opinions,
        evidence=evidence,
        access_requests=access,
        checks=case_checks(case.procedure, main[0] if main else None, main is not None),
        taken_offline=offline_marks(connection, [case.id]).get(case.id),
    )


def get_case(core: Core, case_id: uuid.UUID) -> views.CaseDetail:
    """``services.cases.get_case``, read without the ORM."""
    with connected(core) as connection:
        return case_detail(connection, case_id)


# --- search -------------------------------------------------------------------------------------------------------


def search(core: Core, typed: str, *, limit: int = 50, case_id: uuid.UUID | None = None) -> list[views.SearchHit]:
    """Records matching what was typed: titles first, newest first (``casefile.search_sql``)."""
    from caseapp.casefile import search_sql

    queries = search_sql.fts_queries(typed)
    if not queries:
        return []
    with connected(core) as connection:
        if core.db.dialect == "sqlite":
            rows = search_sql.search_sqlite(connection, queries, limit, case_id)
        elif core.db.dialect == "postgresql":
            rows = search_sql.search_postgresql(connection, typed, limit, case_id)
        else:
            rows = search_sql.search_portable(connection, typed, limit, case_id)
        case_ids = {row[2] for row in rows if row[2] is not None}
        titles = dict(connection.execute(select(cases.c.id, cases.c.title).where(cases.c.id.in_(case_ids))).all())
    return [
        views.SearchHit(
            kind=kind,
            record_id=record_id,
            case_id=case,
            case_title=titles.get(case) if case else None,
            title=title,
            snippet=snippet,
        )
        for kind, record_id, case, title, snippet in rows
    ]


# --- the agenda ---------------------------------------------------------------------------------------------------


def agenda(
    core: Core, *, days: int = 60, overdue_days: int = 90, limit: int = 500, today: date | None = None
) -> Agenda:
    """``services.agenda.agenda``, read without the ORM."""
    from caseapp.casefile.agenda_model import ACTIVE, PARIS, Agenda, AgendaItem
    from caseapp.domain.date_words import NOT_TASK_RULES, is_overdue

    today = today or datetime.now(PARIS).date()
    oldest = today - timedelta(days=overdue_days)
    horizon = today + timedelta(days=days)
    start = datetime.combine(today, time.min, PARIS).astimezone(UTC)
    end = datetime.combine(horizon + timedelta(days=1), time.min, PARIS).astimezone(UTC)
    h, d = t.hearings.c, t.deadlines.c
    with connected(core) as connection:
        hearing_filter = (
            h.starts_at >= start,
            h.starts_at < end,
            h.status.in_([HearingStatus.SCHEDULED, HearingStatus.POSTPONED]),
        )
        deadline_filter = (d.status == DeadlineStatus.OPEN, d.due_on <= horizon, d.due_on >= oldest)
        # each line carries its case's title and number, joined here: looking the cases up afterwards by their
        # identifiers (an IN list of hundreds) cost more than both queries
        of_case = (cases.c.title.label("case_title"), cases.c.court_number.label("case_court_number"))
        hearings = connection.execute(
            select(t.hearings, *of_case)
            .join_from(t.hearings, cases, cases.c.id == h.case_id, isouter=True)
            .where(*hearing_filter)
            .order_by(h.starts_at)
            .limit(limit)
        ).all()
        deadlines = connection.execute(
            select(t.deadlines, *of_case)
            .join_from(t.deadlines, cases, cases.c.id == d.case_id, isouter=True)
            .where(*deadline_filter)
            .order_by(d.due_on)
            .limit(limit)
        ).all()
        total = (connection.scalar(select(func.count()).select_from(t.hearings).where(*hearing_filter)) or 0) + (
            connection.scalar(select(func.count()).select_from(t.deadlines).where(*deadline_filter)) or 0
        )
        older = connection.scalar(
            select(func.count())
            .select_from(t.deadlines)
            .where(
                d.status == DeadlineStatus.OPEN,
                d.due_on < oldest,
                d.rule_id.is_(None) | d.rule_id.not_in(NOT_TASK_RULES),
            )
        )
        busy = select(h.case_id).where(h.starts_at >= start, h.status == HearingStatus.SCHEDULED)
        pending = select(d.case_id).where(d.status == DeadlineStatus.OPEN, d.case_id.is_not(None))
        idle = connection.execute(
            select(*CASE_ROW)
            .where(cases.c.status.in_(ACTIVE), cases.c.id.not_in(busy), cases.c.id.not_in(pending))
            .order_by(cases.c.updated_at.desc())
        ).all()
    items: list[AgendaItem] = []
    for row in hearings:
        items.append(
            AgendaItem(
                kind="hearing",
                day=row.starts_at.astimezone(PARIS).date(),
                at=row.starts_at,
                overdue=False,
                case_id=row.case_id,
                case_title=row.case_title,
                court_number=row.case_court_number,
                title=row.room or row.court or "",
                hearing=hearing_view(row),
                date_kind="hearing",
            )
        )
    for row in deadlines:
        deadline = deadline_view(row)
        items.append(
            AgendaItem(
                kind="deadline",
                day=row.due_on,
                at=None,
                overdue=is_overdue(deadline.date_kind, row.due_on, today),
                case_id=row.case_id,
                case_title=row.case_title,
                court_number=row.case_court_number,
                title=deadline.title,
                deadline=deadline,
                date_kind=deadline.date_kind,
            )
        )
    items.sort(key=lambda i: (not i.overdue, i.day, i.at or datetime.combine(i.day, time.max, PARIS)))
    shown = tuple(items[:limit])
    return Agenda(
        today=today,
        items=shown,
        idle_cases=tuple(_case_rows(idle)),
        older_overdue=older or 0,
        more=total - len(shown),
    )
