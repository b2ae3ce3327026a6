"""Every kind of record the interface creates, edits and deletes, described once for dialogs and undo.

A ``RecordKind`` says how to create a record (with a chosen identifier, so redo and undo-of-delete bring back the
very same record), edit it, delete it, and restore it from the read model taken before it was deleted. All these
functions run on the database worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseapp.i18n import N_
from caseapp.services.views import (
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

if TYPE_CHECKING:
    from caseapp.services.core import Core

Values = dict[str, Any]


@dataclass(frozen=True)
class RecordKind:
    """How the interface creates, edits, deletes and restores one kind of record (run on the database worker)."""

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
    from caseapp.services.editing import values_of

    return values_of("case", case) | {"tags": list(case.tags)}


CASE = RecordKind("case", N_("case"), _create_case, _update_case, _delete_case, case_values)


# -- parties ------------------------------------------------------------------------------------------------------


def _add_party(core: Core, case_id: uuid.UUID | None, record_id: uuid.UUID | None, values: Values) -> PartyView:
    from caseapp.services import parties

    assert case_id is not None
    return parties.add_party(core, case_id, record_id=record_id, **values)


def _update_party(core: Core, link_id: uuid.UUID, values: Values, version: int | None) -> PartyView:
    from caseapp.services import parties

    values = {k: v for k, v in values.items() if k != "party_id"}
    return parties.edit_party(core, link_id, expected_version=version, **values)


def _remove_party(core: Core, link_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import parties

    return parties.remove_party(core, link_id, expected_version=version)


def party_values(view: PartyView) -> Values:
    from caseapp.services.editing import values_of

    return values_of("party", view, "party_id") | values_of("case_party", view)


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
    from caseapp.services.editing import values_of

    return values_of("filing", view)


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
    from caseapp.services.editing import values_of

    return values_of("hearing", view)


def _restore_hearing(core: Core, case_id: uuid.UUID | None, view: HearingView, _snap: Values) -> HearingView:
    from caseapp.services import hearings

    assert case_id is not None
    return hearings.restore_hearing(core, case_id, view.id, hearing_values(view), list(view.notes))


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
    from caseapp.services.editing import values_of

    return values_of("note", view)


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
    computed date); a deadline typed by hand is simply edited — one transaction either way."""
    from caseapp.services import deadlines

    return deadlines.edit_deadline(core, deadline_id, expected_version=version, **values)


def _delete_deadline(core: Core, deadline_id: uuid.UUID, version: int | None) -> Any:
    from caseapp.services import deadlines

    return deadlines.delete_deadline(core, deadline_id, expected_version=version)


def deadline_values(view: DeadlineView) -> Values:
    from caseapp.services.editing import values_of

    return values_of("deadline", view, "rule_id", "override_reason")


def _restore_deadline(core: Core, case_id: uuid.UUID | None, view: DeadlineView, _snap: Values) -> DeadlineView:
    values = {k: v for k, v in deadline_values(view).items() if k not in ("rule_id", "override_reason")}
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
    from caseapp.services.editing import values_of

    return values_of("evidence", view)


def _evidence_snapshot(core: Core, view: EvidenceView) -> Values:
    return {}  # the file stays in the store (it only grows): the exhibit's read model names it


def _restore_evidence(core: Core, case_id: uuid.UUID | None, view: EvidenceView, _snap: Values) -> EvidenceView:
    """The exhibit comes back with its number and its file (still in the store), in one transaction."""
    from caseapp.services import evidence

    assert case_id is not None
    return evidence.restore_exhibit(core, case_id, view.id, evidence_values(view), view.file)


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
    from caseapp.services.editing import values_of

    return values_of("opinion", view)


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
    from caseapp.services.editing import values_of

    return {k: v for k, v in values_of("access_request", view).items() if k != "case_id"}


def _restore_request(
    core: Core, case_id: uuid.UUID | None, view: AccessRequestView, _snap: Values
) -> AccessRequestView:
    from caseapp.services import access

    values = request_values(view) | {"case_id": view.case_id or case_id}
    return access.restore_request(core, view.id, values, list(view.steps))


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
