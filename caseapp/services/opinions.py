"""Regulator opinions (CNIL, CADA, Défenseur des droits), each linked to any number of cases."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, insert, select

from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import opinion_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import OpinionView
from caseapp.domain.enums import Position
from caseapp.i18n import N_, _
from caseapp.store import models as m

OPINION_FORM = kinds.OPINION.form


OPINION = records.Kind(kinds.OPINION)


def get_opinion(core: Core, opinion_id: uuid.UUID) -> OpinionView:
    with reading(core) as session:
        opinion = get_or_404(session, m.Opinion, opinion_id, N_("opinion"))
        cases = tuple(
            session.scalars(select(m.opinion_cases.c.case_id).where(m.opinion_cases.c.opinion_id == opinion_id))
        )
        return opinion_view(opinion, cases)


def list_opinions(core: Core) -> list[OpinionView]:
    with reading(core) as session:
        links: dict[uuid.UUID, list[uuid.UUID]] = {}
        for opinion_id, case_id in session.execute(select(m.opinion_cases.c.opinion_id, m.opinion_cases.c.case_id)):
            links.setdefault(opinion_id, []).append(case_id)
        return [
            opinion_view(o, tuple(links.get(o.id, ())))
            for o in session.scalars(select(m.Opinion).order_by(m.Opinion.issued_on.desc()))
        ]


def add_opinion(
    core: Core,
    *,
    case_ids: list[uuid.UUID] | tuple[uuid.UUID, ...] = (),
    example: bool = False,
    record_id: uuid.UUID | None = None,
    **values: Any,
) -> OpinionView:
    values.setdefault("position", Position.NONE)
    opinion_id = records.create(core, OPINION, values, record_id=record_id, example=example)
    for case_id in case_ids:
        link_opinion(core, opinion_id, case_id)
    return get_opinion(core, opinion_id)


def update_opinion(
    core: Core, opinion_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> OpinionView:
    return get_opinion(core, records.update(core, OPINION, opinion_id, values, expected_version=expected_version))


def delete_opinion(core: Core, opinion_id: uuid.UUID, *, expected_version: int | None = None) -> None:
    records.delete(core, OPINION, opinion_id, expected_version=expected_version)


def link_opinion(core: Core, opinion_id: uuid.UUID, case_id: uuid.UUID) -> OpinionView:
    """Say that an opinion bears on a case. Linking twice changes nothing."""
    with UnitOfWork(core) as uow:
        opinion = get_or_404(uow.session, m.Opinion, opinion_id, N_("opinion"))
        records.require_case(uow.session, case_id)
        exists = uow.session.scalar(
            select(m.opinion_cases.c.case_id).where(
                m.opinion_cases.c.opinion_id == opinion_id, m.opinion_cases.c.case_id == case_id
            )
        )
        if exists is None:
            uow.session.execute(insert(m.opinion_cases).values(opinion_id=opinion_id, case_id=case_id))
            uow.audit(
                "link", "opinion", opinion_id, _("Opinion linked: {title}").format(title=opinion.title), case_id=case_id
            )
            uow.commit()
    return get_opinion(core, opinion_id)


def unlink_opinion(core: Core, opinion_id: uuid.UUID, case_id: uuid.UUID) -> OpinionView:
    with UnitOfWork(core) as uow:
        opinion = get_or_404(uow.session, m.Opinion, opinion_id, N_("opinion"))
        result = uow.session.execute(
            delete(m.opinion_cases).where(
                m.opinion_cases.c.opinion_id == opinion_id, m.opinion_cases.c.case_id == case_id
            )
        )
        if result.rowcount:  # type: ignore[attr-defined]
            uow.audit(
                "unlink",
                "opinion",
                opinion_id,
                _("Opinion unlinked: {title}").format(title=opinion.title),
                case_id=case_id,
            )
            uow.commit()
    return get_opinion(core, opinion_id)
