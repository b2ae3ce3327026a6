"""Access-to-documents requests (demandes CADA) and the dated steps they go through."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.casefile import fields as f
from caseapp.casefile import records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import access_view, get_or_404
from caseapp.casefile.search import index_record
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import AccessRequestView, EvidenceView
from caseapp.domain.enums import AccessStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.progress import CancelCheck, Progress
from caseapp.services.deadline_events import sync_request
from caseapp.store import models as m

ACCESS_FORM = f.Form(
    {
        "case_id": f.reference(),
        "administration": f.text(300, required=True),
        "documents": f.text(20_000, required=True),
        "sent_on": f.day(),
        "received_on": f.day(),
        "status": f.enum(AccessStatus),
        "notes": f.long_text(),
        "routes_informed": f.flag(),
    }
)


def _check(uow: UnitOfWork, request: m.AccessRequest) -> None:
    if request.case_id is not None:
        records.require_case(uow.session, request.case_id)
    if request.sent_on and request.received_on and request.received_on < request.sent_on:
        raise InvalidInput(_("A request cannot be received before it was sent."), field="received_on")


def _index(session: Any, request: m.AccessRequest) -> None:
    index_record(
        session,
        "access_request",
        request.id,
        request.case_id,
        f"CADA — {request.administration}",
        request.documents,
        request.notes,
    )


ACCESS = records.Kind(
    entity="access_request",
    label=N_("access request"),
    model=m.AccessRequest,
    form=ACCESS_FORM,
    describe=lambda r: r.administration,
    index=_index,
    checks=(_check,),
    after=(sync_request,),
)


def get_request(core: Core, request_id: uuid.UUID) -> AccessRequestView:
    with reading(core) as session:
        request = get_or_404(session, m.AccessRequest, request_id, N_("access request"))
        steps = list(session.scalars(select(m.AccessRequestStep).where(m.AccessRequestStep.request_id == request_id)))
        return access_view(request, steps)


def list_requests(core: Core) -> list[AccessRequestView]:
    with reading(core) as session:
        steps: dict[uuid.UUID, list[m.AccessRequestStep]] = {}
        for step in session.scalars(select(m.AccessRequestStep)):
            steps.setdefault(step.request_id, []).append(step)
        return [
            access_view(r, steps.get(r.id, []))
            for r in session.scalars(select(m.AccessRequest).order_by(m.AccessRequest.sent_on.desc()))
        ]


def add_request(
    core: Core, *, example: bool = False, record_id: uuid.UUID | None = None, **values: Any
) -> AccessRequestView:
    values.setdefault("status", AccessStatus.DRAFT if not values.get("sent_on") else AccessStatus.SENT)
    return get_request(core, records.create(core, ACCESS, values, record_id=record_id, example=example))


def update_request(
    core: Core, request_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> AccessRequestView:
    return get_request(core, records.update(core, ACCESS, request_id, values, expected_version=expected_version))


def delete_request(core: Core, request_id: uuid.UUID, *, expected_version: int | None = None) -> None:
    records.delete(core, ACCESS, request_id, expected_version=expected_version)  # its deadlines cascade


def record_step(
    core: Core, request_id: uuid.UUID, status: str | AccessStatus, on: date | str, *, note: str | None = None
) -> AccessRequestView:
    """Record that a request reached a step on a date; the request's status follows the latest step."""
    step_status = AccessStatus.parse(status, field="status")
    day = f.day(required=True)(on, "on")
    note = f.long_text()(note, "note")
    with UnitOfWork(core) as uow:
        request = get_or_404(uow.session, m.AccessRequest, request_id, N_("access request"))
        if request.sent_on and day < request.sent_on:
            raise InvalidInput(_("A step cannot come before the request was sent."), field="on")
        step = m.AccessRequestStep(id=uuid.uuid4(), request_id=request_id, status=step_status, on=day, note=note)
        uow.session.add(step)
        latest = uow.session.scalar(
            select(m.AccessRequestStep.on)
            .where(m.AccessRequestStep.request_id == request_id)
            .order_by(m.AccessRequestStep.on.desc())
            .limit(1)
        )
        if latest is None or day >= latest:
            request.status = step_status
        if step_status == AccessStatus.SENT and request.sent_on is None:
            request.sent_on = day
        uow.flush()
        sync_request(uow, request)
        uow.audit(
            "step",
            "access_request",
            request_id,
            _("Access request step: {step} on {day}").format(step=step_status.value, day=day.isoformat()),
            case_id=request.case_id,
            changes={"status": step_status.value, "on": day.isoformat(), "note": note},
        )
        uow.commit()
    return get_request(core, request_id)


def delete_step(core: Core, step_id: uuid.UUID) -> AccessRequestView:
    """Take back a step recorded by mistake; the request's status and deadlines follow the steps left."""
    with UnitOfWork(core) as uow:
        step = get_or_404(uow.session, m.AccessRequestStep, step_id, N_("step"))
        request = get_or_404(uow.session, m.AccessRequest, step.request_id, N_("access request"))
        removed = (step.status.value, step.on.isoformat())
        uow.session.delete(step)
        uow.flush()
        latest = uow.session.scalar(
            select(m.AccessRequestStep.status)
            .where(m.AccessRequestStep.request_id == request.id)
            .order_by(m.AccessRequestStep.on.desc(), m.AccessRequestStep.created_at.desc())
            .limit(1)
        )
        request.status = latest or (AccessStatus.SENT if request.sent_on else AccessStatus.DRAFT)
        uow.flush()
        sync_request(uow, request)
        uow.audit(
            "delete",
            "access_request",
            request.id,
            _("Access request step removed: {step} on {day}").format(step=removed[0], day=removed[1]),
            case_id=request.case_id,
            changes={"status": removed[0], "on": removed[1]},
        )
        uow.commit()
        request_id = request.id
    return get_request(core, request_id)


def document_to_exhibit(
    core: Core,
    request_id: uuid.UUID,
    path: Path,
    *,
    title: str | None = None,
    case_id: uuid.UUID | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> EvidenceView:
    """Turn a document obtained through a CADA request into the next exhibit of the linked case, with where
    it came from written in its provenance."""
    from caseapp.services.evidence import add_evidence_file

    request = get_request(core, request_id)
    target = case_id or request.case_id
    if target is None:
        raise InvalidInput(
            _("This request is not linked to a case: choose the case the exhibit goes to."), field="case_id"
        )
    sent = request.sent_on.strftime("%d/%m/%Y") if request.sent_on else "—"
    source = f"Document communiqué par {request.administration} (demande CADA du {sent})"
    return add_evidence_file(
        core, target, Path(path), title=title, source=source, progress=progress, cancelled=cancelled
    )
