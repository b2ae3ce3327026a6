"""The unit of work: one user action, one transaction, one or more audit events, all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from caseapp.casefile.core import Core
from caseapp.errors import CaseAppError, Conflict, InvalidInput, StorageError
from caseapp.i18n import N_, _
from caseapp.store import audit_chain
from caseapp.store.models import AuditEvent, Base

BULK_EVENTS = 200  # more events than this in one action are inserted in bulk


def storage_error(exc: Exception, core: Core | None = None) -> CaseAppError:
    """Turn a database driver failure into a sentence for people (a damaged file names the backup to restore)."""
    from caseapp.store.backup import damaged, looks_damaged

    text = str(getattr(exc, "orig", exc)).lower()
    if core is not None and looks_damaged(exc):
        return damaged(core.data_dir, core.db.sqlite_path or core.db.url, getattr(exc, "orig", exc))
    if isinstance(exc, StaleDataError):
        return Conflict(_("Someone else changed or deleted this record in the meantime. Reload it and try again."))
    if isinstance(exc, IntegrityError):
        # The driver's words name tables and keys, and may quote the data: kept as the detail, not shown.
        return InvalidInput(
            _(
                "This change conflicts with data already saved (perhaps by someone else at the same moment): "
                "nothing was saved. Reload and try again."
            ),
            detail=text,
        )
    if "locked" in text or "busy" in text:
        return StorageError(_("The database is busy with another task. Try again in a moment."))
    if "readonly" in text or "read-only" in text:
        return StorageError(_("The database is read-only: nothing was saved."))
    if "disk" in text or "full" in text:
        return StorageError(_("The disk could not be written: nothing was saved ({reason}).").format(reason=text))
    return StorageError(_("The database reported an error; nothing was saved ({reason}).").format(reason=text))


class UnitOfWork:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.session: Session = core.db.writer()
        audit_chain.track(self.session)  # which sealed records this action changes (see ``commit``)
        self.kinds: set[str] = set()
        self.events: list[AuditEvent] = []
        self._cover: dict[tuple[type[Base], uuid.UUID], Base | None] = {}
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()
        if isinstance(exc, StaleDataError | DatabaseError):
            # A driver error anywhere in the unit of work reaches people as a sentence, never as SQL.
            raise storage_error(exc, self.core) from exc

    def audit(
        self,
        action: str,
        entity: str,
        record_id: uuid.UUID,
        summary: str,
        *,
        case_id: uuid.UUID | None = None,
        changes: dict[str, Any] | None = None,
    ) -> None:
        self.kinds.add(entity)
        event = AuditEvent(
            id=uuid.uuid4(),
            at=datetime.now(UTC),
            author=self.core.author,
            action=action,
            entity=entity,
            record_id=record_id,
            case_id=case_id,
            summary=_replayed(summary)[:300],
            changes=changes or {},
        )
        self.events.append(event)  # added to the session at commit, once its place in the chain is known

    def cover(self, records: Iterable[Base], gone: Iterable[tuple[type[Base], uuid.UUID]] = ()) -> None:
        """Records this action wrote behind the ORM's back (bulk statements), loaded fresh: the history seals
        them at commit, with the ones ``gone`` it deleted."""
        for record in records:
            self._cover[(type(record), record.id)] = record  # type: ignore[attr-defined]
        for model, record_id in gone:
            self._cover[(model, record_id)] = None

    def commit(self) -> None:
        """Seal and chain the events (each commits to its record as this action leaves it), then commit."""
        try:
            if self.events:  # each event commits to its record as this action leaves it (part of its hash)
                audit_chain.seal(self.session, self.events, self._cover)
            audit_chain.append(self.session, self.events)
            if len(self.events) > BULK_EVENTS:  # an import: thousands of events written as rows, not objects
                columns = [column.key for column in AuditEvent.__table__.columns]
                rows = [{key: getattr(event, key) for key in columns} for event in self.events]
                for start in range(0, len(rows), 2000):
                    self.session.execute(insert(AuditEvent), rows[start : start + 2000])
            else:
                self.session.add_all(self.events)
            self.session.commit()
        except (StaleDataError, DatabaseError) as exc:
            self.session.rollback()
            raise storage_error(exc, self.core) from exc
        self._committed = True
        from caseapp.casefile.changes import committed

        committed(self.kinds, {event.case_id for event in self.events})

    def flush(self) -> None:
        try:
            self.session.flush()
        except (StaleDataError, DatabaseError) as exc:
            raise storage_error(exc, self.core) from exc


# An undo or a redo calls the services again: its history lines say so ("Undo: Hearing edited: …"), instead of
# looking like one more edit of the same kind.
_REPLAY: ContextVar[str | None] = ContextVar("caseapp_replay", default=None)
REPLAY_WORDS = {"undo": N_("Undo: {summary}"), "redo": N_("Redo: {summary}")}


@contextmanager
def replaying(how: str) -> Iterator[None]:
    """Within this block (on the thread that writes), the events written are an undo (``how="undo"``) or a redo
    (``"redo"``) of an earlier action: their summaries say so."""
    token = _REPLAY.set(how if how in REPLAY_WORDS else None)
    try:
        yield
    finally:
        _REPLAY.reset(token)


def _replayed(summary: str) -> str:
    how = _REPLAY.get()
    return _(REPLAY_WORDS[how]).format(summary=summary) if how else summary


@contextmanager
def reading(core: Core) -> Iterator[Session]:
    session = core.db.reader()
    try:
        yield session
    except DatabaseError as exc:
        raise storage_error(exc, core) from exc
    finally:
        session.close()
