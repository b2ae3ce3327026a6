"""Hearings and the notes taken during them. Adding a note is one short committed transaction, so a note
that was acknowledged survives a dead battery."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from caseapp.casefile import kinds, records
from caseapp.casefile.core import Core
from caseapp.casefile.loaders import hearing_view, note_view
from caseapp.casefile.records import get_or_404
from caseapp.casefile.search import created_here, unindex
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import HearingView, NoteView
from caseapp.domain.enums import HearingKind, HearingStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _
from caseapp.services.deadline_events import drop_for_trigger, sync_hearing
from caseapp.store import models as m

HEARING_FORM = kinds.HEARING.form
NOTE_FORM = kinds.NOTE.form


HEARING = records.Kind(kinds.HEARING, after=(sync_hearing,))


NOTE = records.Kind(kinds.NOTE)


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
    with UnitOfWork(core) as uow:
        note = _insert_note(uow, hearing_id, values["text"], values["at"], record_id, author)
        uow.commit()
        return note_view(note)


def _insert_note(
    uow: UnitOfWork,
    hearing_id: uuid.UUID,
    text: str,
    at: datetime | None,
    record_id: uuid.UUID | None,
    author: str | None,
) -> m.HearingNote:
    case_id = uow.session.scalar(select(m.Hearing.case_id).where(m.Hearing.id == hearing_id))
    if case_id is None:
        raise InvalidInput(_("The hearing does not exist (it may have been deleted)."), field="hearing_id")
    note = m.HearingNote(
        id=record_id or uuid.uuid4(),
        hearing_id=hearing_id,
        at=at or datetime.now(UTC),
        author=(author or uow.core.author)[:120],
        text=text,
    )
    uow.session.add(note)
    created_here(uow.session, note.id)
    kinds.index_note(uow.session, note, case_id)
    uow.audit(
        "create",
        "note",
        note.id,
        _("Hearing note: {text}").format(text=note.text[:60]),
        case_id=case_id,
        changes={"hearing_id": str(hearing_id), "at": note.at.isoformat(), "author": note.author, "text": note.text},
    )
    return note


def restore_hearing(
    core: Core, case_id: uuid.UUID, record_id: uuid.UUID, values: dict[str, Any], notes: list[Any]
) -> HearingView:
    """Bring back a deleted hearing with its own identifier and its notes (their identifiers, times and authors),
    in one transaction (undo of a delete). ``notes``: objects with ``id``, ``text``, ``at`` and ``author``."""
    cleaned = HEARING_FORM.clean(values)
    with UnitOfWork(core) as uow:
        records.insert(uow, HEARING, cleaned, record_id=record_id, case_id=case_id)
        uow.flush()
        for note in notes:
            text = NOTE_FORM.clean({"text": note.text})["text"]
            _insert_note(uow, record_id, text, note.at, note.id, getattr(note, "author", None))
        uow.commit()
    return get_hearing(core, record_id)


def update_note(core: Core, note_id: uuid.UUID, text: str, *, expected_version: int | None = None) -> NoteView:
    records.update(core, NOTE, note_id, {"text": text}, expected_version=expected_version)
    with reading(core) as session:
        return note_view(get_or_404(session, m.HearingNote, note_id, N_("hearing note")))


def delete_note(core: Core, note_id: uuid.UUID, *, expected_version: int | None = None) -> uuid.UUID | None:
    return records.delete(core, NOTE, note_id, expected_version=expected_version)
