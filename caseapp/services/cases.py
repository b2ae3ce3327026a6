"""Cases: create, edit, tag, delete, list, open, and find one by what people call it."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from caseapp.casefile import fields as f
from caseapp.casefile import kinds
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import case_detail
from caseapp.casefile.records import get_or_404
from caseapp.casefile.search import created_here, unindex_case
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import CaseDetail, CaseRow, Changes
from caseapp.domain.enums import CaseStatus, CourtLevel, FilingKind
from caseapp.domain.routes import level_of_case
from caseapp.errors import InvalidInput, NotFound
from caseapp.i18n import N_, _
from caseapp.services.deadline_events import resync_case
from caseapp.store import models as m

CASE_FORM = kinds.CASE.form
TAG = re.compile(r"^[\w][\w .'’-]{0,59}$", re.UNICODE)


def _clean_tags(tags: list[str] | tuple[str, ...]) -> list[str]:
    cleaned: list[str] = []
    for raw in tags:
        tag = raw.strip()
        if not tag:
            continue
        if not TAG.match(tag):
            raise InvalidInput(
                _("“{tag}” is not a valid tag (letters, digits, spaces, - and ').").format(tag=tag), field="tags"
            )
        if tag.lower() not in (t.lower() for t in cleaned):
            cleaned.append(tag)
    return cleaned


def _check_parent(session: Any, case_id: uuid.UUID | None, parent_id: uuid.UUID | None) -> None:
    if parent_id is None:
        return
    if session.get(m.Case, parent_id) is None:
        raise InvalidInput(_("The parent case does not exist."), field="parent_id")
    seen: set[uuid.UUID] = set()
    current: uuid.UUID | None = parent_id
    while current is not None and current not in seen:
        if current == case_id:
            raise InvalidInput(_("A case cannot be its own parent, even through other cases."), field="parent_id")
        seen.add(current)
        current = session.scalar(select(m.Case.parent_id).where(m.Case.id == current))


def create_case(
    core: Core,
    *,
    tags: list[str] | tuple[str, ...] = (),
    example: bool = False,
    record_id: uuid.UUID | None = None,
    **values: Any,
) -> CaseDetail:
    values.setdefault("status", CaseStatus.OPEN)
    cleaned = CASE_FORM.clean(values)
    kinds.check_case(cleaned)
    clean_tags = _clean_tags(tags)
    with UnitOfWork(core) as uow:
        _check_parent(uow.session, None, cleaned.get("parent_id"))
        case = m.Case(**cleaned, example=example, id=record_id or uuid.uuid4())
        case.tags = [m.CaseTag(tag=t) for t in clean_tags]
        uow.session.add(case)
        created_here(uow.session, case.id)
        kinds.index_case(uow.session, case)
        uow.audit(
            "create",
            "case",
            case.id,
            _("Case created: {title}").format(title=case.title),
            case_id=case.id,
            changes={k: f.stored(v) for k, v in cleaned.items() if v is not None} | {"tags": clean_tags},
        )
        uow.commit()
        return case_detail(uow.session, case.id)


def update_case(
    core: Core,
    case_id: uuid.UUID,
    *,
    expected_version: int | None = None,
    tags: list[str] | tuple[str, ...] | None = None,
    **values: Any,
) -> CaseDetail:
    with UnitOfWork(core) as uow:
        case = uow.session.scalar(select(m.Case).options(selectinload(m.Case.tags)).where(m.Case.id == case_id))
        if case is None:
            raise NotFound(_("No case with the identifier {id}.").format(id=case_id))
        f.check_version(case, expected_version, N_("case"))
        if "parent_id" in values:
            _check_parent(uow.session, case.id, f.reference()(values["parent_id"], "parent_id"))
        old_level = level_of_case(case.court, case.procedure)
        diff = CASE_FORM.apply(case, values)
        kinds.check_case(case)
        if tags is not None:
            new_tags = _clean_tags(tags)
            old_tags = [t.tag for t in case.tags]
            if sorted(new_tags) != sorted(old_tags):
                case.tags = [m.CaseTag(tag=t) for t in new_tags]
                diff["tags"] = [old_tags, new_tags]
        if diff:
            kinds.index_case(uow.session, case)
            if {"court", "procedure"} & set(diff):
                _follow_court(uow, case, old_level)
            if {"court", "procedure", "matter"} & set(diff):
                uow.flush()
                resync_case(uow, case.id)  # another seat, other holidays, another route of appeal
            uow.audit(
                "update",
                "case",
                case.id,
                _("Case edited: {title}").format(title=case.title),
                case_id=case.id,
                changes=diff,
            )
            uow.commit()
        return case_detail(uow.session, case.id)


def _follow_court(uow: UnitOfWork, case: m.Case, old_level: CourtLevel | None) -> None:
    """Decisions whose court level was the case's follow the case to its corrected court."""
    new_level = level_of_case(case.court, case.procedure)
    if new_level is None or new_level == old_level:
        return
    decisions = select(m.Filing).where(
        m.Filing.case_id == case.id,
        m.Filing.kind.in_([k for k in FilingKind if k.is_court_decision]),
        m.Filing.court_level.is_(None) if old_level is None else m.Filing.court_level == old_level,
    )
    for filing in uow.session.scalars(decisions):
        filing.court_level = new_level
        uow.audit(
            "update",
            "filing",
            filing.id,
            _("Court of a decision follows the case: {court}").format(court=new_level.label("fr")),
            case_id=case.id,
            changes={"court_level": [old_level.value if old_level else None, new_level.value]},
        )


def delete_case(core: Core, case_id: uuid.UUID, *, expected_version: int | None = None) -> Changes:
    """Delete a case and everything that belongs only to it (opinions and parties stay: they are shared)."""
    with UnitOfWork(core) as uow:
        case = get_or_404(uow.session, m.Case, case_id, N_("case"))
        f.check_version(case, expected_version, N_("case"))
        title = case.title
        evidence_ids = list(uow.session.scalars(select(m.Evidence.id).where(m.Evidence.case_id == case_id)))
        hearing_ids = list(uow.session.scalars(select(m.Hearing.id).where(m.Hearing.case_id == case_id)))
        note_ids = (
            list(uow.session.scalars(select(m.HearingNote.id).where(m.HearingNote.hearing_id.in_(hearing_ids))))
            if hearing_ids
            else []
        )
        unindex_case(uow.session, case_id)
        if note_ids:
            from caseapp.casefile.search import unindex

            unindex(uow.session, "note", note_ids)
        uow.session.execute(
            m.Case.__table__.update().where(m.Case.parent_id == case_id).values(parent_id=None, parent_relation=None)
        )
        uow.session.execute(delete(m.Deadline).where(m.Deadline.case_id == case_id))
        uow.session.delete(case)
        uow.audit(
            "delete",
            "case",
            case_id,
            _("Case deleted: {title}").format(title=title),
            case_id=case_id,
            changes={"title": title, "evidence": len(evidence_ids), "hearings": len(hearing_ids)},
        )
        uow.commit()
    return Changes(frozenset({"case"}), case_id)


def get_case(core: Core, case_id: uuid.UUID) -> CaseDetail:
    with reading(core) as session:
        return case_detail(session, case_id)


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
) -> list[CaseRow]:
    """Cases, most recently changed first unless ``order_by`` names another column (sorted by the database,
    so a screen can page through thousands); ``text`` filters on title, reference, court and number. One
    implementation, read with Core (``casefile.core_reads``), for the window, the commands and the services."""
    from caseapp.casefile import core_reads

    return core_reads.list_cases(
        core,
        status=status,
        text=text,
        tag=tag,
        limit=limit,
        offset=offset,
        order_by=order_by,
        descending=descending,
    )


def count_cases(
    core: Core, *, status: str | CaseStatus | None = None, text: str | None = None, tag: str | None = None
) -> int:
    """How many cases match the same filters as ``list_cases``."""
    from caseapp.casefile import core_reads

    return core_reads.count_cases(core, status=status, text=text, tag=tag)


def resolve_case(core: Core, ref: str) -> uuid.UUID:
    """Find a case by UUID, by a unique UUID prefix of at least 6 characters, or by its unique court number (one
    implementation, ``casefile.core_reads``)."""
    from caseapp.casefile import core_reads

    return core_reads.resolve_case(core, ref)
