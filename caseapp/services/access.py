"""Access-to-documents requests (demandes CADA) and the dated steps they go through."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.casefile import fields as f
from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import access_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import AccessRequestView, EvidenceView
from caseapp.domain.enums import AccessStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.progress import Announce, CancelCheck, Progress
from caseapp.services.deadline_events import sync_request
from caseapp.services.evidence import IntakeResult, add_evidence_file, take_in_files
from caseapp.store import models as m

ACCESS_FORM = kinds.ACCESS_REQUEST.form


def _check(uow: UnitOfWork, request: m.AccessRequest) -> None:
    if request.case_id is not None:
        records.require_case(uow.session, request.case_id)
    if request.sent_on and request.received_on and request.received_on < request.sent_on:
        raise InvalidInput(_("A request cannot be received before it was sent."), field="received_on")


ACCESS = records.Kind(kinds.ACCESS_REQUEST, checks=(_check,), after=(sync_request,))


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
    with UnitOfWork(core) as uow:
        _add_step(uow, request_id, status, on, note)
        uow.commit()
    return get_request(core, request_id)


def _add_step(
    uow: UnitOfWork,
    request_id: uuid.UUID,
    status: str | AccessStatus,
    on: date | str,
    note: str | None,
    record_id: uuid.UUID | None = None,
) -> None:
    step_status = AccessStatus.parse(status, field="status")
    day = f.day(required=True)(on, "on")
    note = f.long_text()(note, "note")
    request = get_or_404(uow.session, m.AccessRequest, request_id, N_("access request"))
    if request.sent_on and day < request.sent_on:
        raise InvalidInput(_("A step cannot come before the request was sent."), field="on")
    step = m.AccessRequestStep(
        id=record_id or uuid.uuid4(), request_id=request_id, status=step_status, on=day, note=note
    )
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


def restore_request(core: Core, record_id: uuid.UUID, values: dict[str, Any], steps: list[Any]) -> AccessRequestView:
    """Bring back a deleted request with its own identifier and its steps, in one transaction (undo of a delete).
    ``steps``: objects with ``id``, ``status``, ``on`` and ``note``."""
    cleaned = ACCESS_FORM.clean(values)
    status = cleaned.get("status")
    with UnitOfWork(core) as uow:
        records.insert(uow, ACCESS, cleaned, record_id=record_id)
        for step in sorted(steps, key=lambda s: s.on):
            _add_step(uow, record_id, step.status, step.on, step.note, record_id=getattr(step, "id", None))
        if status is not None:
            request = uow.session.get(m.AccessRequest, record_id)
            if request is not None and request.status != status:
                request.status = status
                uow.flush()
                sync_request(uow, request)
        uow.commit()
    return get_request(core, record_id)


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


def provenance(core: Core, request_id: uuid.UUID, case_id: uuid.UUID | None = None) -> tuple[uuid.UUID, str]:
    """The case a document obtained through a CADA request goes to (``case_id`` or the request's own case), and
    the provenance its exhibit carries."""
    request = get_request(core, request_id)
    target = case_id or request.case_id
    if target is None:
        raise InvalidInput(
            _("This request is not linked to a case: choose the case the exhibit goes to."), field="case_id"
        )
    sent = request.sent_on.strftime("%d/%m/%Y") if request.sent_on else "—"
    return target, f"Document communiqué par {request.administration} (demande CADA du {sent})"


def take_in_documents(
    core: Core,
    request_id: uuid.UUID,
    paths: list[Path],
    *,
    case_id: uuid.UUID | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    announce: Announce | None = None,
    keep_doubtful: bool = False,
) -> IntakeResult:
    """Documents obtained through a CADA request become the case's next exhibits, in one transaction, each with
    where it came from in its provenance (``evidence.take_in_files``)."""
    target, source = provenance(core, request_id, case_id)
    return take_in_files(
        core,
        target,
        paths,
        source=source,
        progress=progress,
        cancelled=cancelled,
        announce=announce,
        keep_doubtful=keep_doubtful,
    )


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
    target, source = provenance(core, request_id, case_id)
    return add_evidence_file(
        core, target, Path(path), title=title, source=source, progress=progress, cancelled=cancelled
    )
