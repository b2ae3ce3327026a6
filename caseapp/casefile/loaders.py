"""Build read models from the database in a handful of queries (no lazy loading anywhere)."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from caseapp.casefile import building, views
from caseapp.casefile.building import (  # the builders both read paths share; imported from here by many
    _plain,
    case_row,
    deadline_view,
    filing_view,
    filled,
    hearing_view,
    opinion_view,
)
from caseapp.errors import NotFound
from caseapp.i18n import _
from caseapp.store import models as m

V = TypeVar("V")


def offline_marks(session: Session, case_ids: list[uuid.UUID] | None = None) -> dict[uuid.UUID, views.TakenOffline]:
    """The cases taken offline from this database (of ``case_ids``, or all), by case."""
    statement = select(m.Checkout)
    if case_ids is not None:
        if not case_ids:
            return {}
        statement = statement.where(m.Checkout.case_id.in_(case_ids))
    return {mark.case_id: filled(views.TakenOffline, mark) for mark in session.scalars(statement)}


def party_view(link: m.CaseParty) -> views.PartyView:
    party = link.party
    return views.PartyView(
        id=link.id,
        party_id=party.id,
        name=party.name,
        kind=party.kind.value,
        residence=party.residence.value,
        role=link.role.value,
        counsel=link.counsel,
        counsel_contact=link.counsel_contact,
        version=link.version,
    )


def note_view(note: m.HearingNote) -> views.NoteView:
    return filled(views.NoteView, note)


def file_view(stored: m.StoredFile | None) -> views.FileView | None:
    if stored is None:
        return None
    return views.FileView(
        id=stored.id,
        sha256=stored.sha256,
        original_name=stored.original_name,
        size=stored.size,
        media_type=stored.media_type,
        added_by=stored.added_by,
        added_at=stored.added_at,
    )


def evidence_view(item: m.Evidence) -> views.EvidenceView:
    return filled(views.EvidenceView, item, file=file_view(item.file))


def access_view(request: m.AccessRequest, steps: list[m.AccessRequestStep]) -> views.AccessRequestView:
    return filled(
        views.AccessRequestView,
        request,
        steps=tuple(
            views.StepView(id=s.id, status=s.status.value, on=s.on, note=s.note)
            for s in sorted(steps, key=lambda s: (s.on, s.created_at))
        ),
    )


def event_origin(event: m.AuditEvent) -> views.EventOrigin | None:
    """Where an imported event came from (None for an event written here)."""
    if event.origin is None and event.origin_hash is None:
        return None
    from caseapp.store.history_check import describe_origin

    origin = event.origin if isinstance(event.origin, dict) else {}
    exported_at = None
    if isinstance(origin.get("at"), str):
        try:
            exported_at = datetime.fromisoformat(origin["at"])
        except ValueError:
            exported_at = None
    return views.EventOrigin(
        exported_by=origin.get("by"),
        exported_at=exported_at,
        signer=origin.get("signer"),
        signature=str(origin.get("signature") or ""),
        flags=tuple(str(flag) for flag in origin.get("flags") or ()),
        description=describe_origin(origin),
    )


def audit_view(event: m.AuditEvent) -> views.AuditView:
    return views.AuditView(
        id=event.id,
        at=event.at,
        author=event.author,
        action=event.action,
        entity=event.entity,
        record_id=event.record_id,
        case_id=event.case_id,
        summary=event.summary,
        changes=dict(event.changes or {}),
        origin=event_origin(event),
    )


def get_or_404(session: Session, model: type[m.Record], record_id: uuid.UUID, what: str) -> m.Record:
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(_("No {what} with the identifier {id}.").format(what=_(what), id=record_id))
    return record


# The two lists that grow with a case (hundreds of notes, a thousand exhibits) are read as plain rows, not ORM
# objects: building and tracking an entity per row was two thirds of opening a big case.
# The columns are those of the read models, in their order.
def _columns(model: type[m.Base], view: type, *, leave: tuple[str, ...] = ()) -> tuple[Any, ...]:
    return tuple(getattr(model, item.name) for item in dataclasses.fields(view) if item.name not in leave)


NOTE_COLUMNS = _columns(m.HearingNote, views.NoteView)
EVIDENCE_LEFT = ("id", "case_id", "file")  # the id comes first in the query; the case and file are given
EVIDENCE_FIELDS = tuple(item.name for item in dataclasses.fields(views.EvidenceView) if item.name not in EVIDENCE_LEFT)
EVIDENCE_COLUMNS = _columns(m.Evidence, views.EvidenceView, leave=EVIDENCE_LEFT)
FILE_COLUMNS = _columns(m.StoredFile, views.FileView)


def hearings_with_notes(session: Session, case_id: uuid.UUID) -> tuple[views.HearingView, ...]:
    hearings = list(
        session.scalars(select(m.Hearing).where(m.Hearing.case_id == case_id).order_by(m.Hearing.starts_at))
    )
    notes: dict[uuid.UUID, list[views.NoteView]] = defaultdict(list)
    if hearings:
        for row in session.execute(
            select(*NOTE_COLUMNS)
            .where(m.HearingNote.hearing_id.in_([h.id for h in hearings]))
            .order_by(m.HearingNote.at, m.HearingNote.created_at)
        ):
            notes[row[1]].append(views.NoteView(*row))
    return tuple(hearing_view(h, tuple(notes[h.id])) for h in hearings)


def case_evidence(session: Session, case_id: uuid.UUID) -> tuple[views.EvidenceView, ...]:
    """A case's exhibits in number order, each with its stored file (if any)."""
    result = []
    width = 1 + len(EVIDENCE_COLUMNS)
    for row in session.execute(
        select(m.Evidence.id, *EVIDENCE_COLUMNS, *FILE_COLUMNS)
        .outerjoin(m.StoredFile, m.StoredFile.id == m.Evidence.file_id)
        .where(m.Evidence.case_id == case_id)
        .order_by(m.Evidence.number)
    ):
        stored = row[width:]
        file = views.FileView(*stored) if stored[0] is not None else None
        own = {name: _plain(item) for name, item in zip(EVIDENCE_FIELDS, row[1:width], strict=True)}
        result.append(views.EvidenceView(id=row[0], case_id=case_id, file=file, **own))
    return tuple(result)


def case_detail(session: Session, case_id: uuid.UUID, *, today: date | None = None) -> views.CaseDetail:
    case = session.scalar(select(m.Case).options(selectinload(m.Case.tags)).where(m.Case.id == case_id))
    if case is None:
        raise NotFound(_("No case with the identifier {id}.").format(id=case_id))
    links = session.scalars(
        select(m.CaseParty)
        .options(selectinload(m.CaseParty.party))
        .where(m.CaseParty.case_id == case_id)
        .order_by(m.CaseParty.role, m.CaseParty.created_at)
    ).all()
    parties = tuple(party_view(link) for link in links)
    party_names = {p.party_id: p.name for p in parties}
    missing = {
        pid
        for pid in session.scalars(select(m.Filing.party_id).where(m.Filing.case_id == case_id))
        if pid and pid not in party_names
    }
    if missing:
        party_names.update(session.execute(select(m.Party.id, m.Party.name).where(m.Party.id.in_(missing))))
    filings = tuple(
        filing_view(f, party_names)
        for f in session.scalars(
            select(m.Filing).where(m.Filing.case_id == case_id).order_by(m.Filing.filed_on, m.Filing.created_at)
        )
    )
    hearings = hearings_with_notes(session, case_id)
    opinions_rows = session.scalars(
        select(m.Opinion)
        .join(m.opinion_cases, m.opinion_cases.c.opinion_id == m.Opinion.id)
        .where(m.opinion_cases.c.case_id == case_id)
        .order_by(m.Opinion.issued_on)
    ).all()
    links_by_opinion: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if opinions_rows:
        for opinion_id, linked in session.execute(
            select(m.opinion_cases.c.opinion_id, m.opinion_cases.c.case_id).where(
                m.opinion_cases.c.opinion_id.in_([o.id for o in opinions_rows])
            )
        ):
            links_by_opinion[opinion_id].append(linked)
    opinions = tuple(opinion_view(o, tuple(links_by_opinion[o.id])) for o in opinions_rows)
    evidence = case_evidence(session, case_id)
    requests = session.scalars(
        select(m.AccessRequest).where(m.AccessRequest.case_id == case_id).order_by(m.AccessRequest.sent_on)
    ).all()
    steps: dict[uuid.UUID, list[m.AccessRequestStep]] = defaultdict(list)
    if requests:
        for step in session.scalars(
            select(m.AccessRequestStep).where(m.AccessRequestStep.request_id.in_([r.id for r in requests]))
        ):
            steps[step.request_id].append(step)
    access = tuple(access_view(r, steps[r.id]) for r in requests)
    deadlines = tuple(
        deadline_view(d)
        for d in session.scalars(
            select(m.Deadline).where(m.Deadline.case_id == case_id).order_by(m.Deadline.due_on, m.Deadline.title)
        )
    )
    children = tuple(
        case_row(c)
        for c in session.scalars(select(m.Case).where(m.Case.parent_id == case_id).order_by(m.Case.opened_on))
    )
    parent_title = session.scalar(select(m.Case.title).where(m.Case.id == case.parent_id)) if case.parent_id else None
    head = session.execute(
        select(m.AuditEvent.hash, m.AuditEvent.seq)
        .where(m.AuditEvent.case_id == case_id)
        .order_by(m.AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return building.case_detail(
        case,
        hearings=hearings,
        deadlines=deadlines,
        head=head,
        parent_title=parent_title,
        children=children,
        tags=tuple(t.tag for t in case.tags),
        parties=parties,
        filings=filings,
        opinions=opinions,
        evidence=evidence,
        access_requests=access,
        checks=case_checks(session, case, filings),
        taken_offline=offline_marks(session, [case.id]).get(case.id),
    )


def case_checks(session: Session, case: m.Case, filings: tuple[views.FilingView, ...]) -> tuple[views.CaseCheck, ...]:
    """What a lawyer must look at in this case (``building.case_checks``)."""
    from caseapp.domain.enums import ParentRelation, Procedure

    main = None
    if (
        case.procedure == Procedure.REFERE_SUSPENSION
        and case.parent_id
        and case.parent_relation == ParentRelation.REFERE_OF
    ):
        main = session.execute(select(m.Case.status).where(m.Case.id == case.parent_id)).first()
    return building.case_checks(case.procedure, main[0] if main else None, main is not None)
