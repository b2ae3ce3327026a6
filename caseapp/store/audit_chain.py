"""The tamper-evident history: every audit event carries the hash of the one before it.

``hash = SHA-256(prev_hash || canonical JSON of the event's content)``. The first event links to
``GENESIS``. Editing an event's content, deleting one or reordering them breaks a link that
``verify_chain`` reports as the first broken one. Writers are serialised (SQLite's write lock; a PostgreSQL
advisory lock) so two transactions never link to the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from caseapp.store.models import AuditEvent

GENESIS = "0" * 64
ADVISORY_LOCK = 0x43415345  # "CASE"


def canonical(event: AuditEvent) -> bytes:
    """The event's content, serialised the same way on every machine and database."""
    content: dict[str, Any] = {
        "id": str(event.id),
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "author": event.author,
        "action": event.action,
        "entity": event.entity,
        "record_id": str(event.record_id),
        "case_id": str(event.case_id) if event.case_id else None,
        "summary": event.summary,
        "changes": event.changes or {},
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def link_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(event)).hexdigest()


def append(session: Session, events: Iterable[AuditEvent]) -> None:
    """Give pending events their place in the chain, just before the transaction commits."""
    pending = list(events)
    if not pending:
        return
    with session.no_autoflush:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    for event in pending:
        if event.id is None:
            event.id = uuid.uuid4()
        if event.at is None:
            event.at = datetime.now(UTC)
        seq += 1
        event.seq = seq
        event.prev_hash = prev
        event.hash = link_hash(prev, event)
        prev = event.hash


@dataclass(frozen=True)
class Break:
    """The first place where the history does not hold together."""

    seq: int
    event_id: uuid.UUID
    reason: str  # "content" (edited), "link" (removed or reordered), "sequence" (a gap)


def _walk(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session) -> tuple[int, Break | None]:
    """Walk the whole history; return how many events were checked and the first break, if any."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for event in _walk(session):
        count += 1
        if event.seq != expected_seq:
            return count, Break(event.seq, event.id, "sequence")
        if event.prev_hash != prev:
            return count, Break(event.seq, event.id, "link")
        if link_hash(event.prev_hash, event) != event.hash:
            return count, Break(event.seq, event.id, "content")
        prev = event.hash
        expected_seq += 1
    return count, None
