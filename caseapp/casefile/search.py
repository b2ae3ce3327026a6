"""Full-text search over cases, filings, hearing notes, opinions, evidence and access requests.

Services keep one ``search_entries`` row per record; on SQLite an FTS5 index with diacritics removed
("refere" finds "référé") is kept in step by triggers. Typing is prefix-matched, so results come as you type.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Collection, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseapp.casefile.core import Core
from caseapp.casefile.search_sql import (  # the SQL both read paths send (names kept: others import them here)
    WORD,
    fold,
    fts_query,
    highlight,
)
from caseapp.casefile.views import SearchHit
from caseapp.store.models import SearchEntry

__all__ = ["WORD", "fold", "fts_query", "highlight"]
KINDS = ("case", "filing", "note", "opinion", "evidence", "access_request")
NEW_RECORDS = "caseapp.new_records"  # session.info key: ids of records created in the current transaction
PRELOADED = "caseapp.search_preloaded"  # session.info key: search entries read in advance (``preloading``)


@contextlib.contextmanager
def preloading(session: Session, kind: str, record_ids: Collection[uuid.UUID]) -> Iterator[None]:
    """Read the search entries of many records at once, for ``index_record`` calls about them inside the block
    (one statement per few hundred records instead of one per record)."""
    found: dict[tuple[str, uuid.UUID], SearchEntry | None] = dict.fromkeys(((kind, i) for i in record_ids), None)
    ids = sorted(record_ids, key=str)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for entry in session.scalars(
            select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.record_id.in_(chunk))
        ):
            found[(kind, entry.record_id)] = entry
    session.info[PRELOADED] = found
    try:
        yield
    finally:
        session.info.pop(PRELOADED, None)


def created_here(session: Session, record_id: uuid.UUID) -> None:
    """Say that a record was created in this transaction (its search entry cannot exist yet)."""
    session.info.setdefault(NEW_RECORDS, set()).add(record_id)


def index_record(
    session: Session, kind: str, record_id: uuid.UUID, case_id: uuid.UUID | None, title: str, *parts: str | None
) -> None:
    body = "\n".join(part for part in parts if part)
    if record_id in session.info.get(NEW_RECORDS, ()):  # created in this transaction: nothing to look up
        session.add(SearchEntry(kind=kind, record_id=record_id, case_id=case_id, title=title or "", body=body))
        return
    preloaded = session.info.get(PRELOADED)
    if preloaded is not None and (kind, record_id) in preloaded:
        entry = preloaded.pop((kind, record_id))
    else:
        entry = session.scalar(select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.record_id == record_id))
    if entry is None:
        session.add(SearchEntry(kind=kind, record_id=record_id, case_id=case_id, title=title or "", body=body))
    elif (entry.title, entry.body, entry.case_id) != (title, body, case_id):
        entry.title, entry.body, entry.case_id = title or "", body, case_id


def unindex(session: Session, kind: str, record_ids: list[uuid.UUID]) -> None:
    if record_ids:
        session.execute(delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.record_id.in_(record_ids)))


def unindex_case(session: Session, case_id: uuid.UUID) -> None:
    session.execute(delete(SearchEntry).where(SearchEntry.case_id == case_id))


def search(core: Core, typed: str, *, limit: int = 50, case_id: uuid.UUID | None = None) -> list[SearchHit]:
    """Records matching what was typed, titles first, newest first (one implementation, read with Core:
    ``casefile.core_reads.search``, the same statements on every database)."""
    from caseapp.casefile import core_reads

    return core_reads.search(core, typed, limit=limit, case_id=case_id)
