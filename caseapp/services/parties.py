"""Parties and their role in a case. A party (an association, a city) is shared across cases; its role and
counsel belong to the case."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caseapp.casefile import fields as f
from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import party_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import PartyView
from caseapp.domain.enums import PartyKind, PartyRole, Residence
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, current_language
from caseapp.services.deadline_events import resync_case
from caseapp.store import models as m
from caseapp.store.engine import fold

PARTY_FORM = kinds.PARTY.form
LINK_FORM = kinds.CASE_PARTY.form

LINK = records.Kind(kinds.CASE_PARTY)
PARTY = records.Kind(kinds.PARTY)


def _link_view(core: Core, link_id: uuid.UUID) -> PartyView:
    with reading(core) as session:
        link = session.scalar(
            select(m.CaseParty).options(selectinload(m.CaseParty.party)).where(m.CaseParty.id == link_id)
        )
        return party_view(get_or_404(session, m.CaseParty, link_id, N_("party")) if link is None else link)


def add_party(
    core: Core,
    case_id: uuid.UUID,
    *,
    role: str | PartyRole,
    name: str | None = None,
    party_id: uuid.UUID | None = None,
    kind: str | PartyKind = PartyKind.ORGANISATION,
    residence: str | Residence = Residence.FRANCE,
    counsel: str | None = None,
    counsel_contact: str | None = None,
    record_id: uuid.UUID | None = None,
    new_party_id: uuid.UUID | None = None,
) -> PartyView:
    """Put a party in a case. An existing party is reused by id, or by the same name (case-insensitive).
    ``record_id`` is the link's id and ``new_party_id`` the id of a party created here (both chosen by the
    caller only for records that must have the same id everywhere: the example cases)."""
    link_values = LINK_FORM.clean({"role": role, "counsel": counsel, "counsel_contact": counsel_contact})
    with UnitOfWork(core) as uow:
        records.require_case(uow.session, case_id)
        party: m.Party | None
        if party_id is not None:
            party = get_or_404(uow.session, m.Party, party_id, N_("party"))
        else:
            party_values = PARTY_FORM.clean({"name": name, "kind": kind, "residence": residence})
            same_name = func.caseapp_fold(m.Party.name) == fold(party_values["name"])
            party = uow.session.scalar(select(m.Party).where(same_name).limit(1))
            if party is None:
                party = m.Party(id=new_party_id or uuid.uuid4(), **party_values)
                uow.session.add(party)
                uow.audit("create", "party", party.id, _("Party added: {name}").format(name=party.name))
        duplicate = uow.session.scalar(
            select(m.CaseParty.id).where(
                m.CaseParty.case_id == case_id,
                m.CaseParty.party_id == party.id,
                m.CaseParty.role == link_values["role"],
            )
        )
        if duplicate:
            raise InvalidInput(
                _("{name} is already in this case as {role}.").format(
                    name=party.name, role=link_values["role"].label(current_language())
                ),
                field="role",
            )
        link = m.CaseParty(id=record_id or uuid.uuid4(), case_id=case_id, party_id=party.id, **link_values)
        uow.session.add(link)
        uow.audit(
            "create",
            "case_party",
            link.id,
            _("{name} added to the case as {role}").format(
                name=party.name, role=link_values["role"].label(current_language())
            ),
            case_id=case_id,
            changes={k: f.stored(v) for k, v in link_values.items() if v is not None} | {"party": party.name},
        )
        if link.role == PartyRole.APPLICANT:  # an applicant's residence can extend the time limits
            uow.flush()
            resync_case(uow, case_id)
        uow.commit()
        link_id = link.id
    return _link_view(core, link_id)


def update_party_role(
    core: Core, link_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> PartyView:
    records.update(core, LINK, link_id, values, expected_version=expected_version)
    return _link_view(core, link_id)


def update_party(core: Core, party_id: uuid.UUID, *, expected_version: int | None = None, **values: Any) -> None:
    records.update(core, PARTY, party_id, values, expected_version=expected_version)


def edit_party(core: Core, link_id: uuid.UUID, *, expected_version: int | None = None, **values: Any) -> PartyView:
    """What the party's dialog saves, in one transaction: the party itself (name, kind, residence… shared by every
    case it is in) and its role in this case (role, counsel)."""
    party_values = {k: v for k, v in values.items() if k in PARTY.form.fields}
    link_values = {k: v for k, v in values.items() if k in LINK.form.fields}
    with UnitOfWork(core) as uow:
        link = get_or_404(uow.session, m.CaseParty, link_id, N_("party"))
        f.check_version(link, expected_version, N_("party"))
        if party_values:
            records.change(uow, PARTY, link.party_id, party_values, expected_version=None)
        if link_values:
            records.change(uow, LINK, link_id, link_values, expected_version=None)
        uow.commit()
    return _link_view(core, link_id)


def remove_party(core: Core, link_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    """Take a party out of a case (the party itself stays known for other cases)."""

    def unlink_filings(uow: UnitOfWork, link: m.CaseParty) -> None:
        other_roles = uow.session.scalar(
            select(func.count()).where(
                m.CaseParty.case_id == link.case_id, m.CaseParty.party_id == link.party_id, m.CaseParty.id != link.id
            )
        )
        if other_roles:
            return
        uow.session.execute(
            m.Filing.__table__.update()
            .where(m.Filing.case_id == link.case_id, m.Filing.party_id == link.party_id)
            .values(party_id=None)
        )

    return records.delete(
        core,
        LINK,
        link_id,
        expected_version=expected_version,
        before=unlink_filings,
        after=lambda uow, link: resync_case(uow, link.case_id) if link.role == PartyRole.APPLICANT else None,
    )


def known_parties(core: Core) -> list[tuple[uuid.UUID, str]]:
    with reading(core) as session:
        return list(session.execute(select(m.Party.id, m.Party.name).order_by(m.Party.name)))
