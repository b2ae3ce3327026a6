"""What each kind of record is, said once: its table and model, its editable fields with their converters and
labels, how it is described in the history and in a bundle's preview, how it is indexed for search, which case it
belongs to, and how a bundle merges it.

Everything else is derived from these descriptions: the services' forms, the values an undo must carry, the
labels in messages, the tables a bundle carries (in the order their rows can be inserted), the merge rules, the
search index of imported records. Adding a field to hearings is the model, its migration and the field here —
plus the widgets that show it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.casefile import fields as f
from caseapp.casefile.search import index_record
from caseapp.domain import enums
from caseapp.domain.fields import register_labels
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.store import models as m


def value(record: Any, name: str) -> Any:
    """A field of a record, whether it is a stored record or a row read from a bundle."""
    return record[name] if isinstance(record, Mapping) else getattr(record, name)


def _plain(item: Any) -> str:
    return str(getattr(item, "value", item)) if item is not None else ""


@dataclass(frozen=True)
class Field:
    """One editable field: how what a person typed becomes a stored value, and what the field is called."""

    convert: f.Converter
    label: str  # for people, marked with N_()


@dataclass(frozen=True)
class BundleRule:
    """How a bundle merges this kind of record."""

    fixed: tuple[str, ...] = ()  # columns that never change: another value means another record
    owner: str = "id"  # whose history events tell about this record
    immutable: bool = False  # the same id with other content is another thing, not an edit


@dataclass(frozen=True)
class RecordKind:
    """One kind of record, said once: its table and model, its editable fields, how it is described in the history,
    indexed for search and merged by a bundle, and which case a record belongs to; ``form`` is made from ``fields``."""

    entity: str  # the record's name in the history, in the search index and in the changes broadcast
    table: str
    model: type[m.Base]
    label: str  # for people, marked with N_()
    fields: Mapping[str, Field]
    describe: Callable[[Any], str]  # a line for people: the history, a bundle's preview (a record or a row)
    case_of: Callable[[Session, Any], uuid.UUID | None] = lambda _s, record: getattr(record, "case_id", None)
    index: Callable[[Session, Any], None] | None = None
    bundle: BundleRule = field(default_factory=BundleRule)
    form: f.Form = field(init=False)

    def __post_init__(self) -> None:
        converters = {name: spec.convert for name, spec in self.fields.items()}
        labels = {name: spec.label for name, spec in self.fields.items()}
        object.__setattr__(self, "form", f.Form(converters, labels))
        register_labels({name: spec.label for name, spec in self.fields.items()})

    @property
    def editable(self) -> tuple[str, ...]:
        """The fields a person edits (and an undo must carry), in their order."""
        return tuple(self.fields)


# --- cases -------------------------------------------------------------------------------------------------------


def index_case(session: Session, case: m.Case) -> None:
    index_record(
        session, "case", case.id, case.id, case.title, case.reference, case.court, case.court_number, case.subject,
        case.summary,
    )  # fmt: skip


def check_case(case: Any) -> None:
    """What the fields of a case must say together (a record or a row): it cannot close before it opened."""
    opened, closed = value(case, "opened_on"), value(case, "closed_on")
    if isinstance(opened, date) and isinstance(closed, date) and closed < opened:
        from caseapp.dates import format_date
        from caseapp.i18n import current_language

        lang = current_language()
        raise InvalidInput(
            _(
                "The closing date ({closed}) is before the opening date ({opened}): "
                "a case cannot close before it opens."
            ).format(closed=format_date(closed, lang), opened=format_date(opened, lang)),
            field="closed_on",
        )


CASE = RecordKind(
    entity="case",
    table="cases",
    model=m.Case,
    label=N_("case"),
    fields={
        "title": Field(f.text(300, required=True), N_("title")),
        "reference": Field(f.text(80), N_("reference")),
        "court": Field(f.text(200), N_("court")),
        "court_number": Field(f.text(80), N_("court number")),
        "procedure": Field(f.enum(enums.Procedure, required=False), N_("procedure")),
        "status": Field(f.enum(enums.CaseStatus), N_("status")),
        "subject": Field(f.long_text(), N_("subject")),
        "summary": Field(f.long_text(), N_("summary")),
        "opened_on": Field(f.day(), N_("opening date")),
        "closed_on": Field(f.day(), N_("closing date")),
        "parent_id": Field(f.reference(), N_("parent case")),
        "parent_relation": Field(f.enum(enums.ParentRelation, required=False), N_("link to the parent case")),
        "matter": Field(f.enum(enums.Matter, required=False), N_("matter")),
    },
    describe=lambda case: value(case, "title"),
    case_of=lambda _s, case: case.id,
    index=index_case,
)

# --- parties and their roles in a case ---------------------------------------------------------------------------

PARTY = RecordKind(
    entity="party",
    table="parties",
    model=m.Party,
    label=N_("party"),
    fields={
        "name": Field(f.text(300, required=True), N_("name")),
        "kind": Field(f.enum(enums.PartyKind), N_("kind")),
        "residence": Field(f.enum(enums.Residence), N_("residence")),
        "address": Field(f.long_text(), N_("address")),
        "email": Field(f.text(200), N_("e-mail address")),
    },
    describe=lambda party: value(party, "name"),
    case_of=lambda _s, _party: None,
)


def _role(role: Any) -> str:
    """A party's role as people say it in the interface language ("Requérant", not "applicant")."""
    from caseapp.i18n import current_language

    try:
        return enums.PartyRole(_plain(role)).label(current_language())
    except ValueError:
        return _plain(role)


CASE_PARTY = RecordKind(
    entity="case_party",
    table="case_parties",
    model=m.CaseParty,
    label=N_("party role"),
    fields={
        "role": Field(f.enum(enums.PartyRole), N_("role")),
        "counsel": Field(f.text(300), N_("counsel")),
        "counsel_contact": Field(f.text(300), N_("counsel's contact details")),
    },
    describe=lambda link: _role(value(link, "role")),
    bundle=BundleRule(fixed=("case_id", "party_id")),
)

# --- filings and decisions ---------------------------------------------------------------------------------------


def _describe_filing(filing: Any) -> str:
    kind = value(filing, "kind")
    label = enums.FilingKind(kind).label("fr") if kind else ""
    filed_on = value(filing, "filed_on")
    when = filed_on.isoformat() if isinstance(filed_on, date) else "—"
    title = value(filing, "title")
    return f"{label} ({when})" + (f" — {title}" if title else "")


def _index_filing(session: Session, filing: m.Filing) -> None:
    description = _describe_filing(filing)
    index_record(session, "filing", filing.id, filing.case_id, description, filing.reference, filing.summary)


FILING = RecordKind(
    entity="filing",
    table="filings",
    model=m.Filing,
    label=N_("filing"),
    fields={
        "kind": Field(f.enum(enums.FilingKind), N_("kind")),
        "title": Field(f.text(300), N_("title")),
        "filed_on": Field(f.day(), N_("filing date")),
        "party_id": Field(f.reference(), N_("party")),
        "reference": Field(f.text(120), N_("reference")),
        "outcome": Field(f.enum(enums.Outcome, required=False), N_("outcome")),
        "notified_on": Field(f.day(), N_("notification date")),
        "received_on": Field(f.day(), N_("date received")),
        "appeal_routes_stated": Field(f.flag(), N_("mention of the routes of appeal")),
        "acknowledged": Field(f.flag(), N_("acknowledgement of receipt")),
        "summary": Field(f.long_text(), N_("summary")),
        "court_level": Field(f.enum(enums.CourtLevel, required=False), N_("court that gave the decision")),
        "decision_nature": Field(f.enum(enums.DecisionNature, required=False), N_("nature of the decision")),
        "published": Field(f.flag(), N_("publication")),
        "made_available_on": Field(f.day(), N_("date made available on Télérecours")),
        "consulted_on": Field(f.day(), N_("date first consulted")),
        "silence_means": Field(f.enum(enums.SilenceMeaning, required=False), N_("meaning of silence")),
        "progress_reported": Field(f.flag(), N_("progress report from the CNIL")),
        "court_set_on": Field(f.day(), N_("date set by the court")),
        "brief_announced": Field(f.flag(), N_("announced supplementary brief")),
    },
    describe=_describe_filing,
    index=_index_filing,
    bundle=BundleRule(fixed=("case_id",)),
)

# --- hearings and their notes ------------------------------------------------------------------------------------


def _local(moment: Any) -> str:
    """A moment as people read it: Paris time (the zone is not named: it is the user's)."""
    if not isinstance(moment, datetime):
        return "—"
    from caseapp.dates import format_time, to_paris
    from caseapp.i18n import current_language

    local = to_paris(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return f"{local:%d/%m/%Y} {format_time(local, current_language())}"  # "08/12/2026 14h30" in French


def _describe_hearing(hearing: Any) -> str:
    court = value(hearing, "court")
    return _local(value(hearing, "starts_at")) + (f" — {court}" if court else "")


HEARING = RecordKind(
    entity="hearing",
    table="hearings",
    model=m.Hearing,
    label=N_("hearing"),
    fields={
        "starts_at": Field(f.moment(), N_("date and time")),
        "court": Field(f.text(200), N_("court")),
        "room": Field(f.text(120), N_("room")),
        "kind": Field(f.enum(enums.HearingKind), N_("kind")),
        "status": Field(f.enum(enums.HearingStatus), N_("status")),
        "outcome": Field(f.long_text(), N_("outcome")),
        "urgent": Field(f.flag(), N_("urgency")),
    },
    describe=_describe_hearing,
    bundle=BundleRule(fixed=("case_id",)),
)


def note_case(session: Session, note: Any) -> uuid.UUID | None:
    return session.scalar(select(m.Hearing.case_id).where(m.Hearing.id == value(note, "hearing_id")))


def note_search_entry(note_id: uuid.UUID, case_id: uuid.UUID | None, text: str) -> dict[str, Any]:
    """What the search index holds for a note (one place: indexing one note, and a bulk import)."""
    return {"kind": "note", "record_id": note_id, "case_id": case_id, "title": text[:80], "body": text}


def index_note(session: Session, note: m.HearingNote, case_id: uuid.UUID | None = None) -> None:
    """Index a note; ``case_id`` may be given when it is known (a bulk import), saving a query."""
    entry = note_search_entry(note.id, case_id or note_case(session, note), note.text)
    index_record(session, "note", note.id, entry["case_id"], entry["title"], entry["body"])


NOTE = RecordKind(
    entity="note",
    table="hearing_notes",
    model=m.HearingNote,
    label=N_("hearing note"),
    fields={
        "text": Field(f.text(20_000, required=True), N_("text")),
        "at": Field(f.moment(required=False), N_("time")),
    },
    describe=lambda note: value(note, "text")[:60],
    case_of=note_case,
    index=index_note,
    bundle=BundleRule(fixed=("hearing_id",)),
)

# --- regulator opinions ------------------------------------------------------------------------------------------


def _index_opinion(session: Session, opinion: m.Opinion) -> None:
    title = f"{enums.Authority(opinion.authority).label('fr')} — {opinion.title}"
    index_record(session, "opinion", opinion.id, None, title, opinion.reference, opinion.summary)


OPINION = RecordKind(
    entity="opinion",
    table="opinions",
    model=m.Opinion,
    label=N_("opinion"),
    fields={
        "authority": Field(f.enum(enums.Authority), N_("authority")),
        "reference": Field(f.text(120), N_("reference")),
        "title": Field(f.text(300, required=True), N_("title")),
        "issued_on": Field(f.day(), N_("date")),
        "position": Field(f.enum(enums.Position), N_("position")),
        "summary": Field(f.long_text(), N_("summary")),
    },
    describe=lambda opinion: value(opinion, "title"),
    case_of=lambda _s, _opinion: None,
    index=_index_opinion,
)

# --- access-to-documents requests and their steps ----------------------------------------------------------------


def _index_request(session: Session, request: m.AccessRequest) -> None:
    index_record(
        session, "access_request", request.id, request.case_id, f"CADA — {request.administration}",
        request.documents, request.notes,
    )  # fmt: skip


ACCESS_REQUEST = RecordKind(
    entity="access_request",
    table="access_requests",
    model=m.AccessRequest,
    label=N_("access request"),
    fields={
        "case_id": Field(f.reference(), N_("case")),
        "administration": Field(f.text(300, required=True), N_("administration")),
        "documents": Field(f.text(20_000, required=True), N_("documents requested")),
        "sent_on": Field(f.day(), N_("date sent")),
        "received_on": Field(f.day(), N_("date received")),
        "status": Field(f.enum(enums.AccessStatus), N_("status")),
        "notes": Field(f.long_text(), N_("notes")),
        "routes_informed": Field(f.flag(), N_("information on the CADA referral and the routes of appeal")),
    },
    describe=lambda request: value(request, "administration"),
    index=_index_request,
)


def _describe_step(step: Any) -> str:
    on = value(step, "on")
    return f"{_plain(value(step, 'status'))} {on.isoformat() if isinstance(on, date) else '—'}"


ACCESS_STEP = RecordKind(
    entity="access_request",  # a step is told in its request's history
    table="access_request_steps",
    model=m.AccessRequestStep,
    label=N_("access request step"),
    fields={
        "status": Field(f.enum(enums.AccessStatus), N_("status")),
        "on": Field(f.day(required=True), N_("date")),
        "note": Field(f.long_text(), N_("note")),
    },
    describe=_describe_step,
    case_of=lambda session, step: session.scalar(
        select(m.AccessRequest.case_id).where(m.AccessRequest.id == value(step, "request_id"))
    ),
    bundle=BundleRule(fixed=("request_id",), owner="request_id"),
)

# --- deadlines ---------------------------------------------------------------------------------------------------


def _describe_deadline(deadline: Any) -> str:
    due = value(deadline, "due_on")
    return f"{value(deadline, 'title')} ({due.isoformat() if isinstance(due, date) else '—'})"


DEADLINE = RecordKind(
    entity="deadline",
    table="deadlines",
    model=m.Deadline,
    label=N_("deadline"),
    fields={
        "title": Field(f.text(300, required=True), N_("title")),
        "due_on": Field(f.day(required=True), N_("due date")),
        "legal_basis": Field(f.text(200), N_("legal basis")),
        "status": Field(f.enum(enums.DeadlineStatus), N_("status")),
    },
    describe=_describe_deadline,
    bundle=BundleRule(fixed=("case_id", "request_id")),
)

# --- exhibits and the files they hold ----------------------------------------------------------------------------


def _number(given: Any, name: str) -> int | None:
    if given is None or given == "":
        return None
    try:
        number = int(given)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("An exhibit number is a whole number, like 1, 2, 3."), field=name) from exc
    if number < 1:
        raise InvalidInput(_("Exhibit numbers start at 1."), field=name)
    return number


def describe_exhibit(item: Any) -> str:
    return f"n° {value(item, 'number')} — {value(item, 'title')}"


def index_exhibit(session: Session, item: m.Evidence) -> None:
    index_record(session, "evidence", item.id, item.case_id, describe_exhibit(item), item.description, item.source)


EVIDENCE = RecordKind(
    entity="evidence",
    table="evidence",
    model=m.Evidence,
    label=N_("exhibit"),
    fields={
        "number": Field(_number, N_("exhibit number")),
        "title": Field(f.text(300, required=True), N_("title")),
        "description": Field(f.long_text(), N_("description")),
        "document_date": Field(f.day(), N_("date of the document")),
        "source": Field(f.long_text(), N_("source")),
        "filing_id": Field(f.reference(), N_("filing")),
    },
    describe=describe_exhibit,
    index=index_exhibit,
    bundle=BundleRule(fixed=("case_id",)),
)

STORED_FILE = RecordKind(
    entity="stored_file",
    table="stored_files",
    model=m.StoredFile,
    label=N_("stored file"),
    fields={},
    describe=lambda stored: value(stored, "original_name"),
    case_of=lambda _s, _stored: None,
    bundle=BundleRule(immutable=True),
)

# Every kind, in the order a bundle's rows can be inserted (every reference points backwards).
KINDS: tuple[RecordKind, ...] = (
    STORED_FILE,
    PARTY,
    CASE,
    CASE_PARTY,
    FILING,
    HEARING,
    NOTE,
    OPINION,
    ACCESS_REQUEST,
    ACCESS_STEP,
    DEADLINE,
    EVIDENCE,
)
BY_TABLE: dict[str, RecordKind] = {kind.table: kind for kind in KINDS}
BY_ENTITY: dict[str, RecordKind] = {kind.entity: kind for kind in KINDS if kind is not ACCESS_STEP}


def kind_of(entity: str) -> RecordKind:
    return BY_ENTITY[entity]


def register(kind: RecordKind, *, after: str | None = None) -> None:
    """Add a kind (an extension, a test): it then travels in bundles, merges, and is indexed like the others."""
    global KINDS
    position = len(KINDS) if after is None else [k.table for k in KINDS].index(after) + 1
    KINDS = (*KINDS[:position], kind, *KINDS[position:])
    BY_TABLE[kind.table] = kind
    BY_ENTITY[kind.entity] = kind


def unregister(kind: RecordKind) -> None:
    global KINDS
    KINDS = tuple(k for k in KINDS if k is not kind)
    BY_TABLE.pop(kind.table, None)
    BY_ENTITY.pop(kind.entity, None)
