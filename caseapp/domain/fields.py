"""What each field is called for people, in messages that name a field ("The title cannot be empty.").

The fields of records are labelled where they are declared (``caseapp.casefile.kinds`` registers them here);
this table holds the few names that are not fields of a record form (a rule, a trigger, a reason…).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from caseapp.i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    "title": N_("title"),
    "reference": N_("reference"),
    "court": N_("court"),
    "court_number": N_("court number"),
    "procedure": N_("procedure"),
    "status": N_("status"),
    "subject": N_("subject"),
    "summary": N_("summary"),
    "opened_on": N_("opening date"),
    "closed_on": N_("closing date"),
    "parent_id": N_("parent case"),
    "parent_relation": N_("link to the parent case"),
    "tags": N_("tags"),
    "name": N_("name"),
    "kind": N_("kind"),
    "residence": N_("residence"),
    "address": N_("address"),
    "email": N_("e-mail address"),
    "role": N_("role"),
    "counsel": N_("counsel"),
    "counsel_contact": N_("counsel's contact details"),
    "filed_on": N_("filing date"),
    "party_id": N_("party"),
    "outcome": N_("outcome"),
    "notified_on": N_("notification date"),
    "appeal_routes_stated": N_("mention of the routes of appeal"),
    "acknowledged": N_("acknowledgement of receipt"),
    "starts_at": N_("date and time"),
    "room": N_("room"),
    "urgent": N_("urgency"),
    "text": N_("text"),
    "at": N_("time"),
    "authority": N_("authority"),
    "issued_on": N_("date"),
    "position": N_("position"),
    "number": N_("exhibit number"),
    "description": N_("description"),
    "document_date": N_("date of the document"),
    "source": N_("source"),
    "filing_id": N_("filing"),
    "case_id": N_("case"),
    "administration": N_("administration"),
    "documents": N_("documents requested"),
    "sent_on": N_("date sent"),
    "received_on": N_("date received"),
    "notes": N_("notes"),
    "on": N_("date"),
    "note": N_("note"),
    "due_on": N_("due date"),
    "legal_basis": N_("legal basis"),
    "hearing_id": N_("hearing"),
    "override_reason": N_("reason"),
    "matter": N_("matter"),
    "court_level": N_("court that gave the decision"),
    "decision_nature": N_("nature of the decision"),
    "published": N_("publication"),
    "made_available_on": N_("date made available on Télérecours"),
    "consulted_on": N_("date first consulted"),
    "silence_means": N_("meaning of silence"),
    "progress_reported": N_("progress report from the CNIL"),
    "court_set_on": N_("date set by the court"),
    "brief_announced": N_("announced supplementary brief"),
    "routes_informed": N_("information on the CADA referral and the routes of appeal"),
}


_labels: ContextVar[Mapping[str, str] | None] = ContextVar("caseapp_field_labels", default=None)


@contextmanager
def labelled(labels: Mapping[str, str]) -> Iterator[None]:
    """While a kind of record's values are checked, its fields are named by its own labels."""
    token = _labels.set(labels)
    try:
        yield
    finally:
        _labels.reset(token)


def register_labels(labels: dict[str, str]) -> None:
    """Labels declared with a kind of record (``caseapp.casefile.kinds``): a field's label is said once, where the
    field is. A name already known keeps its first label (a field name means one thing everywhere)."""
    for name, label in labels.items():
        FIELD_LABELS.setdefault(name, label)


def field_label(name: str | None) -> str:
    if not name:
        return _("value")
    own = _labels.get()
    if own is not None and name in own:
        return _(own[name])
    return _(FIELD_LABELS.get(name, name.replace("_", " ")))
