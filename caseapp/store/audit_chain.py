"""The tamper-evident history: every audit event carries the hash of the one before it, and a seal of the records
it left behind.

``hash = SHA-256(prev_hash || canonical JSON of the event's content)``. The first event links to
``GENESIS``. Editing an event's content, deleting one or reordering them breaks a link that
``verify_chain`` reports as the first broken one. Writers are serialised (SQLite's write lock; a PostgreSQL
advisory lock) so two transactions never link to the same predecessor.

**Seals.** At commit, after a flush (so defaults are set), each event written here commits to the content of its
record as the transaction leaves it: ``seal = {"digest": …}`` — the SHA-256 of the record's columns except its
bookkeeping (version, created and updated times), empty values left out so that a later migration adding an empty
column keeps old seals true — or ``{"digest": null}`` when the transaction deleted it. Records the transaction
changed that no event of it names (a CADA step, an exhibit renumbered, a stored file) are sealed in the last
event's ``"also"``. The seal is part of the hashed content; events without one (written before seals existed)
keep their hashes because an empty seal is left out. The records are read from the session's identity map: no
query per event. References the database itself empties when what they point at goes (``ON DELETE SET NULL``)
are kept beside the digest (``"refs"``): they may become empty without an event, any other change shows.

``scan`` walks the history once for ``audit verify``; ``check_records`` compares every sealed record with the
latest seal about it. Events imported from bundles keep the seal they had where they were written and are not
used to check records here: the import event seals what the import wrote.
"""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import ORMExecuteState, Session

from caseapp.store import models as m
from caseapp.store.models import AuditEvent
from caseapp.store.types import GENESIS as GENESIS  # the first link (shared with ``anchors``)

ADVISORY_LOCK = 0x43415345  # "CASE"

# The records an event can be about, by the entity name the services give.
ENTITY_MODELS: dict[str, type[m.Record]] = {
    "case": m.Case,
    "party": m.Party,
    "case_party": m.CaseParty,
    "filing": m.Filing,
    "hearing": m.Hearing,
    "note": m.HearingNote,
    "opinion": m.Opinion,
    "evidence": m.Evidence,
    "access_request": m.AccessRequest,
    "deadline": m.Deadline,
}
SEALED_MODELS: tuple[type[m.Record], ...] = (*ENTITY_MODELS.values(), m.AccessRequestStep, m.StoredFile)
_SEALED = frozenset(SEALED_MODELS)
TABLE_MODELS: dict[str, type[m.Record]] = {model.__tablename__: model for model in SEALED_MODELS}
BOOKKEEPING = frozenset({"version", "created_at", "updated_at"})
# Emptied by the database without an event when what they point at goes (ON DELETE SET NULL; a case's relation to
# its parent goes with the parent). Kept beside the digest: they may become empty, any other change shows.
CLEARABLE: dict[str, tuple[str, ...]] = {
    "cases": ("parent_id", "parent_relation"),
    "filings": ("party_id",),
    "evidence": ("filing_id", "file_id"),
    "access_requests": ("case_id",),
}
# Deleting one of these takes records with it without an event per record (ON DELETE CASCADE, bulk deletes).
CONTAINERS = frozenset({"case", "hearing", "access_request"})

_TOUCHED = "caseapp.sealed.touched"  # session.info: (model, id) → record changed in this transaction, None: deleted
_BULK = "caseapp.sealed.bulk"  # session.info: models changed by an ORM bulk UPDATE in this transaction


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
    if event.seal:  # events written before seals existed keep their hashes
        content["seal"] = event.seal
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


# --- seals ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """What a seal covers for one model, worked out once: the columns in the digest, the clearable references kept
    beside it, and what the INSERT gives the attributes left unset."""

    table: str
    hard: tuple[tuple[str, str], ...]  # (attribute, column) in the digest
    soft: tuple[tuple[str, str], ...]  # (attribute, column) kept beside it (CLEARABLE)
    scalar: dict[str, Any]  # attribute → the constant the INSERT gives it when it is not set (``default=False``)
    computed: frozenset[str]  # attributes the INSERT computes when not set (``default=uuid4``): known after a flush


@cache
def _layout(model: type[m.Base]) -> _Layout:
    mapper = inspect(model)
    table = model.__tablename__
    pairs = [
        (attr.key, attr.columns[0].name) for attr in mapper.column_attrs if attr.columns[0].name not in BOOKKEEPING
    ]
    soft = CLEARABLE.get(table, ())
    defaults = {attr.key: attr.columns[0].default for attr in mapper.column_attrs}
    return _Layout(
        table,
        tuple(sorted(p for p in pairs if p[1] not in soft)),
        tuple(sorted(p for p in pairs if p[1] in soft)),
        {key: d.arg for key, d in defaults.items() if d is not None and d.is_scalar},
        frozenset(key for key, _c in pairs if defaults[key] is not None and not defaults[key].is_scalar),
    )


_AS_IS = frozenset({str, int, bool, float})


@cache
def _identity(model: type[m.Base]) -> Any:
    return inspect(model).identity_key_from_primary_key


def plain(value: Any) -> Any:
    """A column value as JSON, the same whether it comes from a record in memory or from the database."""
    if type(value) in _AS_IS:  # most values: text, numbers, truth values
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _seal(layout: _Layout, value: Any) -> dict[str, Any]:
    hard = {column: plain(v) for attr, column in layout.hard if (v := value(attr, column)) is not None}
    body = json.dumps([layout.table, hard], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    sealed: dict[str, Any] = {"digest": hashlib.sha256(body.encode()).hexdigest()}
    refs = {column: plain(v) for attr, column in layout.soft if (v := value(attr, column)) is not None}
    if refs:
        sealed["refs"] = refs
    return sealed


def record_seal(record: m.Base) -> dict[str, Any]:
    """The seal of a record in memory, as the database has it or will have it once flushed (a record not yet
    inserted gets the constant defaults the INSERT would give it; see ``_unsettled`` for the others)."""
    layout = _layout(type(record))
    if not inspect(record).pending:
        return _seal(layout, lambda attr, _column: getattr(record, attr))

    def value(attr: str, _column: str) -> Any:
        found = getattr(record, attr)
        return layout.scalar.get(attr) if found is None else found

    return _seal(layout, value)


def _unsettled(record: m.Base) -> bool:
    """Whether a record not yet inserted lacks a value only the INSERT will compute (its sealed content is then
    known after a flush)."""
    return any(getattr(record, attr) is None for attr in _layout(type(record)).computed)


def row_seal(model: type[m.Base], row: RowMapping) -> dict[str, Any]:
    """The seal of a record read from the database as a row (``select(table)``)."""
    return _seal(_layout(model), lambda _attr, column: row[column])


def record_key(model: type[m.Base], record_id: uuid.UUID) -> str:
    return f"{model.__tablename__}:{record_id}"


@sa_event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    touched: dict[tuple[type[m.Base], uuid.UUID], Any] | None = session.info.get(_TOUCHED)
    if touched is None:
        return
    for record in (*session.new, *session.dirty):
        if type(record) in _SEALED:
            touched[(type(record), record.id)] = record
    for record in session.deleted:
        if type(record) in _SEALED:
            touched[(type(record), record.id)] = None


@sa_event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not state.is_update:
        return
    bulk: set[type[m.Base]] | None = state.session.info.get(_BULK)
    mapper = state.bind_mapper if bulk is not None and state.is_orm_statement else None
    if mapper is not None and mapper.class_ in _SEALED:
        bulk.add(mapper.class_)  # type: ignore[union-attr]


def track(session: Session) -> None:
    """Note, from now on, which sealed records this (writing) session changes."""
    session.info[_TOUCHED] = {}
    session.info[_BULK] = set()


def seal(
    session: Session, events: list[AuditEvent], cover: Mapping[tuple[type[m.Base], uuid.UUID], Any] | None = None
) -> None:
    """Give each event written here the seal of its record, and the last one the seals of the other records the
    transaction changed (flushed or not). Call before ``append``. ``cover`` adds records written behind the ORM's
    back (an import's bulk statements), loaded fresh: record, or None for a record deleted."""
    local = [e for e in events if e.origin_hash is None and e.origin is None]
    if not local:
        return
    pending = [record for record in session.new if type(record) in _SEALED]
    if any(_unsettled(record) for record in pending):
        session.flush()  # what the INSERT computes is then known (the usual case needs no flush here)
    changed: dict[tuple[type[m.Base], uuid.UUID], Any] = dict(session.info.get(_TOUCHED) or {})
    # Changes not flushed yet: the commit writes them in the same flush as the events.
    for record in (*session.new, *session.dirty):
        if type(record) in _SEALED:
            changed[(type(record), record.id)] = record
    for record in session.deleted:
        if type(record) in _SEALED:
            changed[(type(record), record.id)] = None
    bulk = session.info.get(_BULK)
    if bulk:  # records an ORM bulk UPDATE changed: the identity map holds them as synchronised or reloaded
        for record in list(session.identity_map.values()):
            if type(record) in bulk and isinstance(record, m.Record):  # what ``bulk`` holds are records
                changed.setdefault((type(record), record.id), record)
    if cover:
        changed.update(cover)
    done: set[tuple[type[m.Base], uuid.UUID]] = set()
    for event in local:
        model = ENTITY_MODELS.get(event.entity)
        if model is None:
            continue
        key = (model, event.record_id)
        if key in changed:
            record = changed[key]
        else:
            record = session.identity_map.get(_identity(model)((event.record_id,)))
            if record is None:
                continue  # not loaded by this action (a file supplied, exhibits renumbered): nothing to say
        event.seal = {**(event.seal or {}), **({"digest": None} if record is None else record_seal(record))}
        done.add(key)
    also = {
        record_key(model, record_id): None if record is None else record_seal(record)
        for (model, record_id), record in changed.items()
        if (model, record_id) not in done
    }
    if also:
        last = local[-1]
        last.seal = {**(last.seal or {}), "also": {**(last.seal or {}).get("also", {}), **also}}


# --- verification -----------------------------------------------------------------------------------------------


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
    found = scan(session)
    return found.count, found.broken


@dataclass(frozen=True)
class Sealed:
    """The latest thing the history says about one record."""

    seq: int
    at: datetime
    case_id: uuid.UUID | None
    seal: dict[str, Any] | None  # None: the record was deleted
    event_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Imported:
    """An event brought in from a bundle, as the history walk finds it: where it sits here, who wrote it, and where it
    came from (``origin``)."""

    seq: int
    id: uuid.UUID
    at: datetime
    author: str
    case_id: uuid.UUID | None
    origin: dict[str, Any] | None  # None: imported before origins were kept and never marked (origin_hash only)


@dataclass(frozen=True)
class ImportRecord:
    """A local import event: which events it brought in, from whom."""

    seq: int
    at: datetime
    listed: tuple[str, ...] | None  # None: written before imports listed their events
    changes: dict[str, Any]


@dataclass
class Scan:
    """What one walk over the history found (``scan``): the events checked, the first break, the last link (seq, hash),
    and what the other checks need."""

    count: int = 0
    broken: Break | None = None
    last: tuple[int, str] = (0, GENESIS)
    hashes: dict[int, str] = field(default_factory=dict)  # the hashes of the positions asked for
    records: dict[tuple[str, uuid.UUID], Sealed] = field(default_factory=dict)  # (table, id) → latest seal
    deletions: list[tuple[int, str, uuid.UUID, uuid.UUID | None]] = field(default_factory=list)
    imported: list[Imported] = field(default_factory=list)
    imports: dict[uuid.UUID, ImportRecord] = field(default_factory=dict)


def _uuid(text: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _collect(found: Scan, event: AuditEvent) -> None:
    seal_value = event.seal if isinstance(event.seal, dict) else {}
    if event.action == "delete":
        found.deletions.append((event.seq, event.entity, event.record_id, event.case_id))
    if event.origin is not None or event.origin_hash is not None:
        origin = event.origin if isinstance(event.origin, dict) else None
        found.imported.append(Imported(event.seq, event.id, event.at, event.author, event.case_id, origin))
        return
    if event.entity == "bundle" and event.action == "import":
        listed = seal_value.get("imported")
        names = tuple(str(i) for i in listed) if isinstance(listed, list) else None
        found.imports[event.id] = ImportRecord(event.seq, event.at, names, dict(event.changes or {}))
    model = ENTITY_MODELS.get(event.entity)
    if model is not None and "digest" in seal_value:
        own = {k: v for k, v in seal_value.items() if k in ("digest", "refs")}
        found.records[(model.__tablename__, event.record_id)] = Sealed(
            event.seq, event.at, event.case_id, own if own.get("digest") else None, event.id
        )
    also = seal_value.get("also")
    if isinstance(also, dict):
        for key, value in also.items():
            table, _colon, raw = str(key).partition(":")
            record_id = _uuid(raw)
            if table in TABLE_MODELS and record_id is not None:
                sealed = value if isinstance(value, dict) and value.get("digest") else None
                found.records[(table, record_id)] = Sealed(event.seq, event.at, event.case_id, sealed, event.id)


def scan(session: Session, want: Iterable[int] = ()) -> Scan:
    """Walk the whole history once: check every link, and gather what the other checks need (the hashes at the
    positions in ``want``, the latest seal of every record, deletions, imported events and imports). Stops at
    the first broken link."""
    found = Scan()
    wanted = set(want)
    prev = GENESIS
    expected_seq = 1
    for event in _walk(session):
        found.count += 1
        if event.seq != expected_seq:
            found.broken = Break(event.seq, event.id, "sequence")
            return found
        if event.prev_hash != prev:
            found.broken = Break(event.seq, event.id, "link")
            return found
        if link_hash(event.prev_hash, event) != event.hash:
            found.broken = Break(event.seq, event.id, "content")
            return found
        if event.seq in wanted:
            found.hashes[event.seq] = event.hash
        _collect(found, event)
        prev = event.hash
        found.last = (event.seq, event.hash)
        expected_seq += 1
    return found


@dataclass(frozen=True)
class RecordProblem:
    """A record that does not match what the history last said about it."""

    table: str
    record_id: uuid.UUID
    what: str  # "changed", "removed" or "back"
    sealed: Sealed


def _refs_hold(expected: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Clearable references: each as sealed, or emptied (what it pointed at went)."""
    return all(current.get(column) in (None, value) for column, value in expected.items()) and all(
        column in expected for column, value in current.items() if value is not None
    )


def _excused(found: Scan, sealed: Sealed, record_id: uuid.UUID) -> bool:
    """Whether a later deletion explains that a record is gone: its own, or one of what it belonged to."""
    for seq, entity, deleted, case_id in found.deletions:
        if seq <= sealed.seq:
            continue
        if deleted == record_id:
            return True
        if entity in CONTAINERS and (sealed.case_id is None or sealed.case_id in (case_id, deleted)):
            return True
    return False


def check_records(session: Session, found: Scan, *, limit: int = 50) -> tuple[int, list[RecordProblem]]:
    """Compare every record the history sealed with its latest seal. Returns how many were checked and the
    problems (at most ``limit``), oldest seal first."""
    by_table: dict[str, dict[uuid.UUID, Sealed]] = {}
    for (table, record_id), sealed in found.records.items():
        by_table.setdefault(table, {})[record_id] = sealed
    problems: list[RecordProblem] = []
    checked = 0
    for table, wanted in sorted(by_table.items()):
        model = TABLE_MODELS[table]
        source = m.Base.metadata.tables[table]
        ids = sorted(wanted, key=str)
        present: dict[uuid.UUID, RowMapping] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for found_row in session.execute(select(source).where(source.c.id.in_(chunk))):
                present[found_row.id] = found_row._mapping
        for record_id, sealed in wanted.items():
            checked += 1
            row = present.get(record_id)
            if sealed.seal is None:
                if row is not None:
                    problems.append(RecordProblem(table, record_id, "back", sealed))
                continue
            if row is None:
                if not _excused(found, sealed, record_id):
                    problems.append(RecordProblem(table, record_id, "removed", sealed))
                continue
            now = row_seal(model, row)
            if now["digest"] != sealed.seal.get("digest") or not _refs_hold(
                sealed.seal.get("refs") or {}, now.get("refs") or {}
            ):
                problems.append(RecordProblem(table, record_id, "changed", sealed))
    problems.sort(key=lambda p: p.sealed.seq)
    return checked, problems[:limit]
