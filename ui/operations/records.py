"""Every kind of record the interface creates, edits and deletes, described once for dialogs and undo.

A ``RecordKind`` says how to create a record (with a chosen identifier, so redo and undo-of-delete bring back the
very same record), edit it, delete it, and restore it from the read model taken before it was deleted. All these
functions run on the database worker.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.casefile.views import (
    AccessRequestView,
    CaseDetail,
    DeadlineView,
    EvidenceView,
    FilingView,
    HearingView,
    NoteView,
    OpinionView,
    PartyView,
)
from caseapp.i18n import N_

if TYPE_CHECKING:
    from caseapp.casefile.core import Core

Values = dict[str, Any]


@dataclass(frozen=True)
class RecordKind:
    entity: str  # the change kind broadcast after a change (and the history's entity name)
    label: str  # for people, marked with N_()
    create: Callable[[Core, uuid.UUID | None, uuid.UUID | None, Values], Any]  # (core, parent, id, values)
    update: Callable[[Core, uuid.UUID, Values, int | None], Any]
    delete: Callable[[Core, uuid.UUID, int | None], Any]
    values_of: Callable[[Any], Values]
    restore: Callable[[Core, uuid.UUID | None, Any, Values], Any] | None = None  # (core, parent, view, snapshot)
    snapshot: Callable[[Core, Any], Values] | None = None  # taken on the worker just before a delete
    context_keys: tuple[str, ...] = ()  # values an update always needs, changed or not


def _enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


# -- cases --------------------------------------------------------------------------------------------------------


def _create_case(core: Core, _parent: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> CaseDetail:
    from caseapp.services import cases

    return cases.create_case(core, record_id=record_id, **values)


def _update_case(core: Core, case_id: uuid.UUID, values: Values, version: int | None) -> CaseDetail:
    from caseapp.services import cases

    return cases.update_case(core, case_id, expected_version=version, **values)


def _delete_case(core: Core, case_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import cases

    return cases.delete_case(core, case_id, expected_version=version)


def case_values(case: CaseDetail) -> Values:
    return {
        "title": case.title,
        "reference": case.reference,
        "court": case.court,
        "court_number": case.court_number,
        "procedure": case.procedure,
        "status": case.status,
        "subject": case.subject,
        "summary": case.summary,
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "parent_id": case.parent_id,
        "parent_relation": case.parent_relation,
        "tags": list(case.tags),
        "matter": case.matter,
    }


CASE = RecordKind("case", N_("case"), _create_case, _update_case, _delete_case, case_values)


# -- parties ------------------------------------------------------------------------------------------------------

PARTY_FIELDS = ("name", "kind", "residence")
LINK_FIELDS = ("role", "counsel", "counsel_contact")


def _add_party(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> PartyView:
    from caseapp.services import parties

    assert case_id is not None
    return parties.add_party(core, case_id, record_id=record_id, **values)


def _update_party(core: Core, link_id: uuid.UUID, values: Values, version: int | None) -> PartyView:
    from caseapp.services import parties

    party_values = {k: v for k, v in values.items() if k in PARTY_FIELDS}
    link_values = {k: v for k, v in values.items() if k in LINK_FIELDS}
    if party_values:
        parties.update_party(core, values["party_id"], **party_values)
    return parties.update_party_role(core, link_id, expected_version=version, **link_values)


def _remove_party(core: Core, link_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import parties

    return parties.remove_party(core, link_id, expected_version=version)


def party_values(view: PartyView) -> Values:
    return {
        "party_id": view.party_id,
        "name": view.name,
        "kind": view.kind,
        "residence": view.residence,
        "role": view.role,
        "counsel": view.counsel,
        "counsel_contact": view.counsel_contact,
    }


def _restore_party(core: Core, case_id: uuid.UUID | None, view: PartyView, _snap: Values) -> PartyView:
    from caseapp.services import parties

    assert case_id is not None
    return parties.add_party(
        core,
        case_id,
        record_id=view.id,
        party_id=view.party_id,
        role=view.role,
        counsel=view.counsel,
        counsel_contact=view.counsel_contact,
    )


PARTY = RecordKind(
    "case_party",
    N_("party"),
    _add_party,
    _update_party,
    _remove_party,
    party_values,
    restore=_restore_party,
    context_keys=("party_id",),
)


# -- filings ------------------------------------------------------------------------------------------------------


def _add_filing(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> FilingView:
    from caseapp.services import filings

    assert case_id is not None
    return filings.add_filing(core, case_id, record_id=record_id, **values)


def _update_filing(core: Core, filing_id: uuid.UUID, values: Values, version: int | None) -> FilingView:
    from caseapp.services import filings

    return filings.update_filing(core, filing_id, expected_version=version, **values)


def _delete_filing(core: Core, filing_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import filings

    return filings.delete_filing(core, filing_id, expected_version=version)


def filing_values(view: FilingView) -> Values:
    return {
        "kind": view.kind,
        "title": view.title,
        "filed_on": view.filed_on,
        "party_id": view.party_id,
        "reference": view.reference,
        "outcome": view.outcome,
        "notified_on": view.notified_on,
        "received_on": view.received_on,
        "appeal_routes_stated": view.appeal_routes_stated,
        "acknowledged": view.acknowledged,
        "summary": view.summary,
        "court_level": view.court_level,
        "decision_nature": view.decision_nature,
        "published": view.published,
        "made_available_on": view.made_available_on,
        "consulted_on": view.consulted_on,
        "silence_means": view.silence_means,
        "progress_reported": view.progress_reported,
        "court_set_on": view.court_set_on,
        "brief_announced": view.brief_announced,
    }


def _restore_filing(core: Core, case_id: uuid.UUID | None, view: FilingView, _snap: Values) -> FilingView:
    return _add_filing(core, case_id, view.id, filing_values(view))


FILING = RecordKind(
    "filing", N_("filing"), _add_filing, _update_filing, _delete_filing, filing_values, restore=_restore_filing
)


# -- hearings and their notes -------------------------------------------------------------------------------------


def _add_hearing(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> HearingView:
    from caseapp.services import hearings

    assert case_id is not None
    return hearings.add_hearing(core, case_id, record_id=record_id, **values)


def _update_hearing(core: Core, hearing_id: uuid.UUID, values: Values, version: int | None) -> HearingView:
    from caseapp.services import hearings

    return hearings.update_hearing(core, hearing_id, expected_version=version, **values)


def _delete_hearing(core: Core, hearing_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import hearings

    return hearings.delete_hearing(core, hearing_id, expected_version=version)


def hearing_values(view: HearingView) -> Values:
    return {
        "starts_at": view.starts_at,
        "court": view.court,
        "room": view.room,
        "kind": view.kind,
        "status": view.status,
        "outcome": view.outcome,
        "urgent": view.urgent,
    }


def _restore_hearing(core: Core, case_id: uuid.UUID | None, view: HearingView, _snap: Values) -> HearingView:
    from caseapp.services import hearings

    _add_hearing(core, case_id, view.id, hearing_values(view))
    for note in view.notes:
        hearings.add_note(core, view.id, note.text, at=note.at, record_id=note.id)
    return hearings.get_hearing(core, view.id)


HEARING = RecordKind(
    "hearing", N_("hearing"), _add_hearing, _update_hearing, _delete_hearing, hearing_values, restore=_restore_hearing
)


def _add_note(core: Core, hearing_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> NoteView:
    from caseapp.services import hearings

    assert hearing_id is not None
    return hearings.add_note(core, hearing_id, values["text"], at=values.get("at"), record_id=record_id)


def _update_note(core: Core, note_id: uuid.UUID, values: Values, version: int | None) -> NoteView:
    from caseapp.services import hearings

    return hearings.update_note(core, note_id, values["text"], expected_version=version)


def _delete_note(core: Core, note_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import hearings

    return hearings.delete_note(core, note_id, expected_version=version)


def note_values(view: NoteView) -> Values:
    return {"text": view.text, "at": view.at}


def _restore_note(core: Core, hearing_id: uuid.UUID | None, view: NoteView, _snap: Values) -> NoteView:
    return _add_note(core, hearing_id, view.id, note_values(view))


NOTE = RecordKind("note", N_("hearing note"), _add_note, _update_note, _delete_note, note_values, restore=_restore_note)


# -- deadlines ----------------------------------------------------------------------------------------------------


def _add_deadline(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> DeadlineView:
    from caseapp.services import deadlines

    assert case_id is not None
    return deadlines.add_deadline(core, case_id, record_id=record_id, **values)


def _update_deadline(core: Core, deadline_id: uuid.UUID, values: Values, version: int | None) -> DeadlineView:
    """A deadline computed by a rule is moved by an override with its reason (an empty reason goes back to the
    computed date); a deadline typed by hand is simply edited."""
    from caseapp.services import deadlines

    values = dict(values)
    rule_id = values.pop("rule_id", None)
    reason = values.pop("override_reason", None)
    due = values.pop("due_on", None) if rule_id else None
    view: DeadlineView | None = None
    if rule_id and due is not None:
        if reason:
            view = deadlines.override_deadline(core, deadline_id, due, reason, expected_version=version)
        else:
            view = deadlines.clear_override(core, deadline_id)
        version = view.version
    if values:
        view = deadlines.update_deadline(core, deadline_id, expected_version=version, **values)
    return view or deadlines.get_deadline(core, deadline_id)


def _delete_deadline(core: Core, deadline_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import deadlines

    return deadlines.delete_deadline(core, deadline_id, expected_version=version)


def deadline_values(view: DeadlineView) -> Values:
    return {
        "title": view.title,
        "due_on": view.due_on,
        "legal_basis": view.legal_basis,
        "status": view.status,
        "rule_id": view.rule_id,
        "override_reason": view.override_reason,
    }


HAND_DEADLINE_FIELDS = ("title", "due_on", "legal_basis", "status")


def _restore_deadline(core: Core, case_id: uuid.UUID | None, view: DeadlineView, _snap: Values) -> DeadlineView:
    values = {k: v for k, v in deadline_values(view).items() if k in HAND_DEADLINE_FIELDS}
    return _add_deadline(core, case_id, view.id, values)


DEADLINE = RecordKind(
    "deadline",
    N_("deadline"),
    _add_deadline,
    _update_deadline,
    _delete_deadline,
    deadline_values,
    restore=_restore_deadline,
    context_keys=("rule_id", "override_reason"),
)


# -- evidence -----------------------------------------------------------------------------------------------------


def _add_evidence(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> EvidenceView:
    from caseapp.services import evidence

    assert case_id is not None
    return evidence.add_evidence(core, case_id, record_id=record_id, **values)


def _update_evidence(core: Core, evidence_id: uuid.UUID, values: Values, version: int | None) -> EvidenceView:
    from caseapp.services import evidence

    return evidence.update_evidence(core, evidence_id, expected_version=version, **values)


def _delete_evidence(core: Core, evidence_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import evidence

    return evidence.delete_evidence(core, evidence_id, expected_version=version)


def evidence_values(view: EvidenceView) -> Values:
    return {
        "number": view.number,
        "title": view.title,
        "description": view.description,
        "document_date": view.document_date,
        "source": view.source,
        "filing_id": view.filing_id,
    }


def _evidence_snapshot(core: Core, view: EvidenceView) -> Values:
    from caseapp.services import evidence

    return {"path": evidence.file_path(core, view.id)} if view.file else {}


def _restore_evidence(core: Core, case_id: uuid.UUID | None, view: EvidenceView, snap: Values) -> EvidenceView:
    """The exhibit comes back with its number; its file (still in the store) is attached again under its name."""
    from caseapp.services import evidence

    restored = _add_evidence(core, case_id, view.id, evidence_values(view))
    stored: Path | None = snap.get("path")
    if view.file is None or stored is None or not stored.is_file():
        return restored
    with tempfile.TemporaryDirectory(prefix="caseapp-restore-") as folder:
        copy = Path(folder) / view.file.original_name
        shutil.copyfile(stored, copy)
        return evidence.attach_file(core, view.id, copy)


EVIDENCE = RecordKind(
    "evidence",
    N_("exhibit"),
    _add_evidence,
    _update_evidence,
    _delete_evidence,
    evidence_values,
    restore=_restore_evidence,
    snapshot=_evidence_snapshot,
)


# -- opinions -----------------------------------------------------------------------------------------------------


def _add_opinion(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> OpinionView:
    from caseapp.services import opinions

    return opinions.add_opinion(core, case_ids=[case_id] if case_id else [], record_id=record_id, **values)


def _update_opinion(core: Core, opinion_id: uuid.UUID, values: Values, version: int | None) -> OpinionView:
    from caseapp.services import opinions

    return opinions.update_opinion(core, opinion_id, expected_version=version, **values)


def _delete_opinion(core: Core, opinion_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import opinions

    return opinions.delete_opinion(core, opinion_id, expected_version=version)


def opinion_values(view: OpinionView) -> Values:
    return {
        "authority": view.authority,
        "reference": view.reference,
        "title": view.title,
        "issued_on": view.issued_on,
        "position": view.position,
        "summary": view.summary,
    }


def _restore_opinion(core: Core, _case: uuid.UUID | None, view: OpinionView, _snap: Values) -> OpinionView:
    from caseapp.services import opinions

    return opinions.add_opinion(core, case_ids=list(view.case_ids), record_id=view.id, **opinion_values(view))


OPINION = RecordKind(
    "opinion",
    N_("opinion"),
    _add_opinion,
    _update_opinion,
    _delete_opinion,
    opinion_values,
    restore=_restore_opinion,
)


# -- access-to-documents requests ---------------------------------------------------------------------------------


def _add_request(
    core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values
) -> AccessRequestView:
    from caseapp.services import access

    return access.add_request(core, record_id=record_id, **({"case_id": case_id} | values))


def _update_request(core: Core, request_id: uuid.UUID, values: Values, version: int | None) -> AccessRequestView:
    from caseapp.services import access

    return access.update_request(core, request_id, expected_version=version, **values)


def _delete_request(core: Core, request_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import access

    return access.delete_request(core, request_id, expected_version=version)


def request_values(view: AccessRequestView) -> Values:
    return {
        "administration": view.administration,
        "documents": view.documents,
        "sent_on": view.sent_on,
        "received_on": view.received_on,
        "status": view.status,
        "notes": view.notes,
        "routes_informed": view.routes_informed,
    }


def _restore_request(
    core: Core, case_id: uuid.UUID | None, view: AccessRequestView, _snap: Values
) -> AccessRequestView:
    from caseapp.services import access

    _add_request(core, view.case_id or case_id, view.id, request_values(view))
    for step in sorted(view.steps, key=lambda s: s.on):
        access.record_step(core, view.id, step.status, step.on, note=step.note)
    return access.update_request(core, view.id, status=view.status)


ACCESS = RecordKind(
    "access_request",
    N_("access request"),
    _add_request,
    _update_request,
    _delete_request,
    request_values,
    restore=_restore_request,
)


def changed_values(kind: RecordKind, old: Values, new: Values) -> tuple[Values, Values]:
    """The values that differ (plus the context an update always needs), as (old, new)."""
    keys = [k for k in new if _enum_value(old.get(k)) != _enum_value(new.get(k))]
    keep = [k for k in kind.context_keys if k in new]
    return (
        {k: old.get(k) for k in [*keys, *keep]},
        {k: new[k] for k in [*keys, *keep]},
    )
