"""Filings and decisions: requêtes, mémoires, ordonnances, jugements… with dates and outcomes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import filing_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import FilingView
from caseapp.domain.enums import FilingKind
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.services.deadline_events import drop_for_trigger, sync_filing
from caseapp.store import models as m

FILING_FORM = kinds.FILING.form


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
    _check_decision(uow, filing, kind)
    if kind.sets_a_time_limit and filing.court_set_on is None:
        raise InvalidInput(_("Give the date the court set."), field="court_set_on")
    if filing.court_set_on is not None and not kind.sets_a_time_limit:
        raise InvalidInput(
            _("Only a formal notice, a calendar, a closing order or a date for new grounds sets a date."),
            field="court_set_on",
        )


def _check_decision(uow: UnitOfWork, filing: m.Filing, kind: FilingKind) -> None:
    """A court decision records the court that gave it (taken from the case's court when not given) and a nature
    that court can give; nothing else carries them."""
    from caseapp.domain.routes import level_of_case, routes_for

    if not kind.is_court_decision:
        for name in ("court_level", "decision_nature", "made_available_on", "consulted_on"):
            if getattr(filing, name) is not None:
                raise InvalidInput(
                    _(
                        "Only a court decision (order, judgment, ruling) has a court level, a nature or a Télérecours "
                        "notification."
                    ),
                    field=name,
                )
        return
    if filing.court_level is None:
        row = uow.session.execute(select(m.Case.court, m.Case.procedure).where(m.Case.id == filing.case_id)).first()
        if row is not None:
            filing.court_level = level_of_case(row[0], row[1])
    if filing.court_level is not None and filing.decision_nature is not None:
        routes_for(filing.court_level, filing.decision_nature)  # refuses a nature that court does not give
    if filing.consulted_on and not filing.made_available_on:
        raise InvalidInput(_("Give the date the decision was made available first."), field="made_available_on")
    if filing.consulted_on and filing.made_available_on and filing.consulted_on < filing.made_available_on:
        raise InvalidInput(_("A document cannot be consulted before it was made available."), field="consulted_on")


FILING = records.Kind(kinds.FILING, checks=(_check,), after=(sync_filing,))


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
