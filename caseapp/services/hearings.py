"""Hearings and the notes taken during them. Adding a note is one short committed transaction, so a note
that was acknowledged survives a dead battery."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from caseapp.casefile import fields as f
from caseapp.casefile import records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import get_or_404, hearing_view, note_view
from caseapp.casefile.search import created_here, index_record, unindex
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import HearingView, NoteView
from caseapp.domain.enums import HearingKind, HearingStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.services.deadline_events import drop_for_trigger, sync_hearing
from caseapp.store import models as m

HEARING_FORM = f.Form(
    {
        "starts_at": f.moment(),
        "court": f.text(200),
        "room": f.text(120),
        "kind": f.enum(HearingKind),
        "status": f.enum(HearingStatus),
        "outcome": f.long_text(),
        "urgent": f.flag(),
    }
)
NOTE_FORM = f.Form({"text": f.text(20_000, required=True), "at": f.moment(required=False)})


def _describe_hearing(hearing: m.Hearing) -> str:
    return hearing.starts_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") + (
        f" — {hearing.court}" if hearing.court else ""
    )


HEARING = records.Kind(
    entity="hearing",
    label=N_("hearing"),
    model=m.Hearing,
    form=HEARING_FORM,
    describe=_describe_hearing,
    after=(sync_hearing,),
)


def _note_case(session: Any, note: m.HearingNote) -> uuid.UUID | None:
    return session.scalar(select(m.Hearing.case_id).where(m.Hearing.id == note.hearing_id))


def note_search_entry(note_id: uuid.UUID, case_id: uuid.UUID | None, text: str) -> dict[str, Any]:
    """What the search index holds for a note (one place: indexing one note, and a bulk import)."""
    return {"kind": "note", "record_id": note_id, "case_id": case_id, "title": text[:80], "body": text}


def _index_note(session: Any, note: m.HearingNote, case_id: uuid.UUID | None = None) -> None:
    """Index a note; ``case_id`` may be given when it is known (a bulk import), saving a query."""
    entry = note_search_entry(note.id, case_id or _note_case(session, note), note.text)
    index_record(session, "note", note.id, entry["case_id"], entry["title"], entry["body"])


NOTE = records.Kind(
    entity="note",
    label=N_("hearing note"),
    model=m.HearingNote,
    form=NOTE_FORM,
    describe=lambda note: note.text[:60],
    case_of=_note_case,
    index=_index_note,
)


def get_hearing(core: Core, hearing_id: uuid.UUID) -> HearingView:
    with reading(core) as session:
        hearing = get_or_404(session, m.Hearing, hearing_id, N_("hearing"))
        notes = session.scalars(
            select(m.HearingNote).where(m.HearingNote.hearing_id == hearing_id).order_by(m.HearingNote.at)
        )
        return hearing_view(hearing, tuple(note_view(n) for n in notes))


def add_hearing(core: Core, case_id: uuid.UUID, *, record_id: uuid.UUID | None = None, **values: Any) -> HearingView:
    values.setdefault("kind", HearingKind.MERITS)
    values.setdefault("status", HearingStatus.SCHEDULED)
    values.setdefault("urgent", False)
    return get_hearing(core, records.create(core, HEARING, values, record_id=record_id, case_id=case_id))


def update_hearing(
    core: Core, hearing_id: uuid.UUID, *, expected_version: int | None = None, **values: Any
) -> HearingView:
    return get_hearing(core, records.update(core, HEARING, hearing_id, values, expected_version=expected_version))


def delete_hearing(core: Core, hearing_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    def drop_notes(uow: UnitOfWork, hearing: m.Hearing) -> None:
        ids = list(uow.session.scalars(select(m.HearingNote.id).where(m.HearingNote.hearing_id == hearing.id)))
        unindex(uow.session, "note", ids)
        drop_for_trigger(uow, hearing.id)

    return records.delete(core, HEARING, hearing_id, expected_version=expected_version, before=drop_notes)


def add_note(
    core: Core,
    hearing_id: uuid.UUID,
    text: str,
    *,
    at: datetime | None = None,
    record_id: uuid.UUID | None = None,
    author: str | None = None,
) -> NoteView:
    """Save one hearing note at once (committed before this returns). ``author`` defaults to who is working;
    undoing a deletion gives the note back its own."""
    values = NOTE_FORM.clean({"text": text, "at": at})
    when = values["at"] or datetime.now(UTC)
    with UnitOfWork(core) as uow:
        case_id = uow.session.scalar(select(m.Hearing.case_id).where(m.Hearing.id == hearing_id))
        if case_id is None:
            raise InvalidInput(_("The hearing does not exist (it may have been deleted)."), field="hearing_id")
        note = m.HearingNote(
            id=record_id or uuid.uuid4(),
            hearing_id=hearing_id,
            at=when,
            author=(author or core.author)[:120],
            text=values["text"],
        )
        uow.session.add(note)
        created_here(uow.session, note.id)
        index_record(uow.session, "note", note.id, case_id, note.text[:80], note.text)
        uow.audit("create", "note", note.id, _("Hearing note: {text}").format(text=note.text[:60]), case_id=case_id)
        uow.commit()
        return note_view(note)


def update_note(core: Core, note_id: uuid.UUID, text: str, *, expected_version: int | None = None) -> NoteView:
    records.update(core, NOTE, note_id, {"text": text}, expected_version=expected_version)
    with reading(core) as session:
        return note_view(get_or_404(session, m.HearingNote, note_id, N_("hearing note")))


def delete_note(core: Core, note_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    return records.delete(core, NOTE, note_id, expected_version=expected_version)
