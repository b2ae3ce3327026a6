"""Filings and decisions: requêtes, mémoires, ordonnances, jugements… with dates and outcomes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from caseapp.domain.enums import FilingKind, Outcome
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.services import fields as f
from caseapp.services import records
from caseapp.services.core import Core
from caseapp.services.deadline_events import drop_for_trigger, sync_filing
from caseapp.services.loaders import filing_view, get_or_404
from caseapp.services.search import index_record
from caseapp.services.uow import UnitOfWork, reading
from caseapp.services.views import FilingView
from caseapp.store import models as m

FILING_FORM = f.Form(
    {
        "kind": f.enum(FilingKind),
        "title": f.text(300),
        "filed_on": f.day(),
        "party_id": f.reference(),
        "reference": f.text(120),
        "outcome": f.enum(Outcome, required=False),
        "notified_on": f.day(),
        "received_on": f.day(),
        "appeal_routes_stated": f.flag(),
        "acknowledged": f.flag(),
        "summary": f.long_text(),
    }
)


def _describe(filing: m.Filing) -> str:
    label = FilingKind(filing.kind).label("fr")
    when = filing.filed_on.isoformat() if filing.filed_on else "—"
    return f"{label} ({when})" + (f" — {filing.title}" if filing.title else "")


def _check(uow: UnitOfWork, filing: m.Filing) -> None:
    kind = FilingKind(filing.kind)
    if filing.outcome is not None and not kind.is_decision:
        raise InvalidInput(_("Only a decision (order, judgment, ruling) has an outcome."), field="outcome")
    if filing.notified_on and filing.filed_on and filing.notified_on < filing.filed_on:
        raise InvalidInput(_("A decision cannot be notified before the date it was given."), field="notified_on")
    if filing.received_on and filing.filed_on and filing.received_on < filing.filed_on:
        raise InvalidInput(_("A request cannot be received before it was sent."), field="received_on")
    if filing.party_id is not None and uow.session.get(m.Party, filing.party_id) is None:
        raise InvalidInput(_("That party does not exist."), field="party_id")


def _index(session: Any, filing: m.Filing) -> None:
    index_record(session, "filing", filing.id, filing.case_id, _describe(filing), filing.reference, filing.summary)


FILING = records.Kind(
    entity="filing",
    label=N_("filing"),
    model=m.Filing,
    form=FILING_FORM,
    describe=_describe,
    index=_index,
    checks=(_check,),
    after=(sync_filing,),
)


def get_filing(core: Core, filing_id: uuid.UUID) -> FilingView:
    with reading(core) as session:
        filing = get_or_404(session, m.Filing, filing_id, N_("filing"))
        names = {}
        if filing.party_id:
            names = {filing.party_id: session.scalar(select(m.Party.name).where(m.Party.id == filing.party_id)) or ""}
        return filing_view(filing, names)


def add_filing(core: Core, case_id: uuid.UUID, *, record_id: uuid.UUID | None = None, **values: Any) -> FilingView:
    return get_filing(core, records.create(core, FILING, values, record_id=record_id, case_id=case_id))


def update_filing(
    core: Core, filing_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> FilingView:
    return get_filing(core, records.update(core, FILING, filing_id, values, expected_version=expected_version))


def delete_filing(core: Core, filing_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    return records.delete(
        core, FILING, filing_id, expected_version=expected_version, before=lambda uow, f: drop_for_trigger(uow, f.id)
    )
