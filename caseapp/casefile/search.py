"""Full-text search over cases, filings, hearing notes, opinions, evidence and access requests.

Services keep one ``search_entries`` row per record; on SQLite an FTS5 index with diacritics removed
("refere" finds "référé") is kept in step by triggers. Typing is prefix-matched, so results come as you type.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Collection, Iterator

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from caseapp.casefile.core import Core
from caseapp.casefile.uow import reading
from caseapp.casefile.views import SearchHit
from caseapp.store.engine import fold as engine_fold
from caseapp.store.models import Case, SearchEntry

WORD = re.compile(r"\w+", re.UNICODE)
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


def fts_query(typed: str) -> str | None:
    """Turn what a person typed into a safe FTS5 query: every word must appear; the last one may be a prefix."""
    words = WORD.findall(typed)
    if not words:
        return None
    quoted = ['"' + word.replace('"', "") + '"' for word in words]
    if len(words[-1]) >= 2:  # a single letter as a prefix matches nearly everything: wait for the next one
        quoted[-1] += "*"
    return " ".join(quoted)


def search(core: Core, typed: str, *, limit: int = 50, case_id: uuid.UUID | None = None) -> list[SearchHit]:
    query = fts_query(typed)
    if query is None:
        return []
    with reading(core) as session:
        if core.db.dialect == "sqlite":
            rows = _search_sqlite(session, query, limit, case_id)
        elif core.db.dialect == "postgresql":
            rows = _search_postgresql(session, typed, limit, case_id)
        else:
            rows = _search_portable(session, typed, limit, case_id)
        case_ids = {row[2] for row in rows if row[2] is not None}
        titles = dict(session.execute(select(Case.id, Case.title).where(Case.id.in_(case_ids))).all())
    return [
        SearchHit(
            kind=kind,
            record_id=record_id,
            case_id=case,
            case_title=titles.get(case) if case else None,
            title=title,
            snippet=snippet,
        )
        for kind, record_id, case, title, snippet in rows
    ]


def _search_sqlite(
    session: Session, query: str, limit: int, case_id: uuid.UUID | None
) -> list[tuple[str, uuid.UUID, uuid.UUID | None, str, str]]:
    """Records whose title matches come first, then those whose text does; newest first within each.

    Ordering by the index's own row order lets SQLite stop after ``limit`` matches; ranking by relevance
    (bm25) would score every match first — 100 ms and more for a common word in 100,000 hearing notes.
    """
    sql = (
        "SELECT e.kind, e.record_id, e.case_id, e.title, "
        "snippet(search_fts, -1, '«', '»', '…', 12) "
        "FROM search_fts JOIN search_entries e ON e.entry_id = search_fts.rowid "
        "WHERE search_fts MATCH :query {scope} ORDER BY search_fts.rowid DESC LIMIT :limit"
    )
    params: dict[str, object] = {"limit": limit}
    scope = ""
    if case_id is not None:
        scope = "AND e.case_id = :case_id"
        params["case_id"] = case_id.hex
    statement = text(sql.format(scope=scope))
    rows = list(session.execute(statement, params | {"query": "{title} : " + query}))
    if len(rows) < limit:
        seen = {row[1] for row in rows}
        more = session.execute(statement, params | {"query": query}).all()
        rows += [row for row in more if row[1] not in seen][: limit - len(rows)]
    return [
        (kind, uuid.UUID(record), uuid.UUID(case) if case else None, title, snippet)
        for kind, record, case, title, snippet in rows
    ]


def fold(value: str) -> str:
    """The same folding as the database's ``caseapp_fold``: lower case, accents off, œ → oe."""
    return engine_fold(value) or ""


def _search_postgresql(
    session: Session, typed: str, limit: int, case_id: uuid.UUID | None
) -> list[tuple[str, uuid.UUID, uuid.UUID | None, str, str]]:
    words = [fold(word) for word in WORD.findall(typed)]
    # Every word must appear; the last one may be the beginning of a word (typing in progress).
    terms = [f"'{word}'" for word in words[:-1]] + [f"'{words[-1]}':*"]
    sql = (
        "SELECT kind, record_id, case_id, title, body FROM search_entries, "
        "to_tsquery('simple', :query) AS query "
        "WHERE to_tsvector('simple'::regconfig, caseapp_fold(title || ' ' || body)) @@ query {scope} "
        "ORDER BY ts_rank(to_tsvector('simple'::regconfig, caseapp_fold(title || ' ' || body)), query) DESC "
        "LIMIT :limit"
    )
    params: dict[str, object] = {"query": " & ".join(terms), "limit": limit}
    scope = ""
    if case_id is not None:
        scope = "AND case_id = :case_id"
        params["case_id"] = case_id
    rows = session.execute(text(sql.format(scope=scope)), params).all()
    return [(kind, record, case, title, highlight(body, words)) for kind, record, case, title, body in rows]


def highlight(body: str, folded_words: list[str], width: int = 160) -> str:
    """An excerpt of ``body`` around the first word that matches, the matching words set in « »."""
    tokens = list(WORD.finditer(body))
    hits = [t for t in tokens if any(fold(t.group()).startswith(w) for w in folded_words)]
    if not hits:
        return body[:width]
    start = max(0, hits[0].start() - width // 3)
    end = min(len(body), start + width)
    out: list[str] = ["…" if start else ""]
    cursor = start
    for token in hits:
        if token.start() < start or token.end() > end:
            continue
        out += [body[cursor : token.start()], "«", token.group(), "»"]
        cursor = token.end()
    out.append(body[cursor:end] + ("…" if end < len(body) else ""))
    return "".join(out)


def _search_portable(
    session: Session, typed: str, limit: int, case_id: uuid.UUID | None
) -> list[tuple[str, uuid.UUID, uuid.UUID | None, str, str]]:
    """A plain LIKE search for servers without our FTS set-up (every word must appear)."""
    statement = select(
        SearchEntry.kind, SearchEntry.record_id, SearchEntry.case_id, SearchEntry.title, SearchEntry.body
    )
    for word in WORD.findall(typed):
        pattern = f"%{word.lower()}%"
        statement = statement.where(
            or_(func.lower(SearchEntry.title).like(pattern), func.lower(SearchEntry.body).like(pattern))
        )
    if case_id is not None:
        statement = statement.where(SearchEntry.case_id == case_id)
    rows = session.execute(statement.limit(limit)).all()
    return [(kind, record, case, title, body[:160]) for kind, record, case, title, body in rows]
