"""The search's SQL, shared by the ORM path (``search``) and the read path with no ORM (``core_reads``).

Each function takes anything that executes a statement (a Session or a Connection) and returns plain tuples
``(kind, record_id, case_id, title, snippet)``. Nothing here imports ``sqlalchemy.orm``.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

from sqlalchemy import func, or_, select, text

from caseapp.store.engine import fold as engine_fold
from caseapp.store.tables import search_entries

WORD = re.compile(r"\w+", re.UNICODE)
Hit = tuple[str, uuid.UUID, uuid.UUID | None, str, str]


# The last word typed is a prefix (the person may still be typing it). FTS5 answers a prefix query by merging the
# lists of every word that begins with it, which grows with the case file (8 ms for "audi" at 50,000 cases, 250 ms
# for "de"), unless the index keeps the prefixes of that length: it keeps those of 2, 3 and 4 characters (migration
# 0009). A longer last word is looked up as a whole word first, which the index answers newest first without
# reading further than the results; words that only begin with it come after, when there is room left.
INDEXED_PREFIXES = 4


def fts_queries(typed: str) -> tuple[str, ...]:
    """The FTS5 queries for what a person typed, in the order their matches are shown: every word must appear; the
    last one may be a prefix (whole-word matches first when it is longer than the indexed prefixes)."""
    words = WORD.findall(typed)
    if not words:
        return ()
    quoted = ['"' + word.replace('"', "") + '"' for word in words]
    last = unicodedata.normalize("NFC", words[-1])
    if len(last) < 2:  # a single letter as a prefix matches nearly everything: wait for the next one
        return (" ".join(quoted),)
    prefix = " ".join([*quoted[:-1], quoted[-1] + "*"])
    if len(last) <= INDEXED_PREFIXES:
        return (prefix,)
    return (" ".join(quoted), prefix)


def fts_query(typed: str) -> str | None:
    """The one FTS5 query that matches everything ``search`` may return (the last word as a prefix)."""
    queries = fts_queries(typed)
    return queries[-1] if queries else None


def search_sqlite(session: Any, queries: tuple[str, ...], limit: int, case_id: uuid.UUID | None) -> list[Hit]:
    """Whole-word matches before those of a word that only begins with the last one typed (``fts_queries``); within
    each, records whose title matches before those whose text does; newest first within each.

    Ordering by the index's own row order lets SQLite stop after ``limit`` matches; ranking by relevance
    (bm25) would score every match first — 100 ms and more for a common word in 100,000 hearing notes. The
    titles have their own index (migration 0009): a column filter on the main one walks every entry holding
    the word to find the few whose title does, and that walk grows with the case file.
    """
    sql = (
        "SELECT e.kind, e.record_id, e.case_id, e.title, "
        "snippet({index}, {column}, '«', '»', '…', 12) "
        "FROM {index} JOIN search_entries e ON e.entry_id = {index}.rowid "
        "WHERE {index} MATCH :query {scope} ORDER BY {index}.rowid DESC LIMIT :limit"
    )
    params: dict[str, object] = {"limit": limit}
    scope = ""
    if case_id is not None:
        scope = "AND e.case_id = :case_id"
        params["case_id"] = case_id.hex
    statements = [
        text(sql.format(index="search_titles_fts", column=0, scope=scope)),
        text(sql.format(index="search_fts", column=-1, scope=scope)),
    ]
    rows: list[Any] = []
    seen: set[str] = set()
    for query in queries:
        for statement in statements:
            if len(rows) >= limit:
                break
            # ``limit`` rows hold at least as many new ones as are missing, whatever was seen before
            for row in session.execute(statement, params | {"query": query}):
                if row[1] not in seen and len(rows) < limit:
                    seen.add(row[1])
                    rows.append(row)
    return [
        (kind, uuid.UUID(record), uuid.UUID(case) if case else None, title, snippet)
        for kind, record, case, title, snippet in rows
    ]


def fold(value: str) -> str:
    """The same folding as the database's ``caseapp_fold``: lower case, accents off, œ → oe."""
    return engine_fold(value) or ""


def search_postgresql(session: Any, typed: str, limit: int, case_id: uuid.UUID | None) -> list[Hit]:
    """Newest first, as on SQLite. Ranking by relevance (``ts_rank``) computed each match's text vector again:
    1.6–4.4 s for a common word in a team's 10,000 cases. The folded vector is stored with each entry and
    indexed (migration 0009): the newest-first walk tests the stored vector instead of computing it per row."""
    words = [fold(word) for word in WORD.findall(typed)]
    # Every word must appear; the last one may be the beginning of a word (typing in progress).
    terms = [f"'{word}'" for word in words[:-1]] + [f"'{words[-1]}':*"]
    sql = (
        "SELECT kind, record_id, case_id, title, body FROM search_entries, "
        "to_tsquery('simple', :query) AS query "
        "WHERE search_vector @@ query {scope} "
        "ORDER BY entry_id DESC LIMIT :limit"
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


def search_portable(session: Any, typed: str, limit: int, case_id: uuid.UUID | None) -> list[Hit]:
    """A plain LIKE search for servers without our FTS set-up (every word must appear)."""
    entry = search_entries.c
    statement = select(entry.kind, entry.record_id, entry.case_id, entry.title, entry.body)
    for word in WORD.findall(typed):
        pattern = f"%{word.lower()}%"
        statement = statement.where(or_(func.lower(entry.title).like(pattern), func.lower(entry.body).like(pattern)))
    if case_id is not None:
        statement = statement.where(entry.case_id == case_id)
    rows = session.execute(statement.limit(limit)).all()
    return [(kind, record, case, title, body[:160]) for kind, record, case, title, body in rows]
