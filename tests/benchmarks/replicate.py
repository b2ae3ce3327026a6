"""Big benchmark databases made from a smaller one generated through the services: families copied in bulk.

Generating 10,000 cases through the services takes 20–60 minutes here, 50,000 five times that. Above
``REPLICATE_ABOVE`` cases the generator instead builds ``BASE_SIZE`` cases through the services (cached as that
size) and copies its families until the size is reached:

- every table's rows about the chosen cases are copied with one ``INSERT … SELECT`` per table, every identifier
  (primary and foreign keys, the deadlines' triggers) given a new value by adding to its first four hex digits
  shifted by the copy's number (modulo 16⁴: a copy's identifier shares its last 28 digits with its original only, so
  it cannot meet another record's) — so the records of a copy point at each other as the originals do. The large case
  (case 0) is not copied. Parties linked to the chosen cases are copied with them (the pool grows with the cases,
  as the generator's does); opinions linked to them too (their link to the large case is left out); CADA requests
  with no case are copied with each whole copy of the base;
- the search entries of the copied records are copied the same way, and the full-text index's triggers index them
  as the app's writes do;
- the audit events of the copied records are appended to the chain in the base's order, with their identifiers
  (and those inside their changes) replaced the same way, each seal recomputed from the copied record as it now
  is (``audit_chain.row_seal``), and every link hashed again (``audit_chain.link_hash``): ``caseapp audit
  verify`` holds on the result;
- the large case is then grown through the services to the size the plan gives it (1,000 exhibits and 500 notes
  from 10,000 cases), as a generation of that size would have it.

The last copy takes whole families until the size is reached exactly. Texts, dates and shapes are the base's:
the spread of a copy is the spread of the base (hearings and deadlines fall on the same days as in the base, so the
agenda has proportionally more items on each day).
"""

from __future__ import annotations

import contextlib
import json
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.benchmarks import corpus

BASE_SIZE = 1000
REPLICATE_ABOVE = 2000
HEX_UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")

# The tables copied, in an order that keeps foreign keys satisfied, with the rows of a copy: ``pick`` holds the
# chosen cases' ids, ``copied`` every copied record's id (filled as the tables are copied).
TABLES: tuple[tuple[str, str], ...] = (
    ("parties", "id IN (SELECT party_id FROM case_parties WHERE case_id IN (SELECT id FROM pick))"),
    ("cases", "id IN (SELECT id FROM pick)"),
    ("case_tags", "case_id IN (SELECT id FROM pick)"),
    ("case_parties", "case_id IN (SELECT id FROM pick)"),
    ("filings", "case_id IN (SELECT id FROM pick)"),
    ("hearings", "case_id IN (SELECT id FROM pick)"),
    ("hearing_notes", "hearing_id IN (SELECT id FROM hearings WHERE case_id IN (SELECT id FROM pick))"),
    ("evidence", "case_id IN (SELECT id FROM pick)"),
    ("opinions", "id IN (SELECT opinion_id FROM opinion_cases WHERE case_id IN (SELECT id FROM pick))"),
    ("opinion_cases", "case_id IN (SELECT id FROM pick)"),
    ("access_requests", "case_id IN (SELECT id FROM pick) OR (:whole AND id IN (SELECT id FROM unlinked))"),
    ("access_request_steps", "request_id IN (SELECT id FROM copied)"),
    ("deadlines", "case_id IN (SELECT id FROM pick) OR request_id IN (SELECT id FROM copied)"),
)
KEYED = frozenset(
    {"parties", "cases", "case_parties", "filings", "hearings", "hearing_notes", "evidence", "opinions"}
    | {"access_requests", "access_request_steps", "deadlines"}
)


def log(message: str) -> None:
    import sys

    print(f"[replicate {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _families(connection: sqlite3.Connection, large: str) -> list[list[str]]:
    """The base's families (a main action and the cases that follow it), the large case left out."""
    parent = dict(connection.execute("SELECT id, parent_id FROM cases").fetchall())

    def root(case: str) -> str:
        while parent.get(case):
            case = parent[case]
        return case

    families: dict[str, list[str]] = {}
    for case in sorted(parent):
        if case != large:
            families.setdefault(root(case), []).append(case)
    return [families[key] for key in sorted(families)]


def _plan_copies(families: list[list[str]], wanted: int) -> Iterator[tuple[list[str], bool]]:
    """The cases of each copy (and whether it is a whole copy of the base), ``wanted`` cases in all."""
    per_copy = sum(len(f) for f in families)
    while wanted >= per_copy:
        yield [case for family in families for case in family], True
        wanted -= per_copy
    if wanted:
        chosen: list[str] = []
        for family in sorted(families, key=len, reverse=True):
            if len(family) <= wanted:
                chosen += family
                wanted -= len(family)
        yield chosen, False


def _uuid_columns(connection: sqlite3.Connection, table: str) -> tuple[list[str], set[str]]:
    columns = [(row[1], str(row[2]).upper()) for row in connection.execute(f"PRAGMA table_info({table})")]
    return [name for name, _type in columns], {name for name, kind in columns if kind == "CHAR(32)"}


def _copy_rows(connection: sqlite3.Connection, whole: bool) -> int:
    """One copy's rows of every table (``remap`` gives the copy's identifiers); returns the rows written."""
    written = 0
    for table, where in TABLES:
        names, ids = _uuid_columns(connection, table)
        selected = ", ".join(f'remap("{n}")' if n in ids else f'"{n}"' for n in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        params = {"whole": 1 if whole else 0}
        if table in KEYED:
            connection.execute(f"INSERT OR IGNORE INTO copied SELECT id FROM {table} WHERE {where}", params)
        cursor = connection.execute(
            f"INSERT INTO {table} ({quoted}) SELECT {selected} FROM {table} WHERE {where}", params
        )
        written += cursor.rowcount
    # Search entries of the copied records (the FTS triggers index them); entry_id is the table's own counter.
    cursor = connection.execute(
        "INSERT INTO search_entries (kind, record_id, case_id, title, body) "
        "SELECT kind, remap(record_id), remap(case_id), title, body FROM search_entries "
        "WHERE record_id IN (SELECT id FROM copied) ORDER BY entry_id"
    )
    return written + cursor.rowcount


def shifted(value: str, copy: int) -> str:
    """A copy's identifier (32 hex digits): the first four shifted by the copy's number."""
    return f"{(int(value[:4], 16) + copy) % 0x10000:04x}{value[4:]}"


def _remapped_text(value: Any, copy: int, copied: set[str]) -> Any:
    """Identifiers of copied records inside a JSON value (changes of an event) replaced by the copy's."""
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        plain = found.replace("-", "")
        if plain not in copied:
            return found
        new = shifted(plain, copy)
        return str(uuid.UUID(new)) if "-" in found else new

    return json.loads(HEX_UUID.sub(swap, text))


def _append_events(database: Path, copies: Sequence[tuple[int, set[str]]]) -> int:
    """The audit events of each copy's records, appended to the chain (ids, seals and hashes renewed)."""
    from sqlalchemy import create_engine, insert, select

    from caseapp.store import audit_chain
    from caseapp.store import models as m

    engine = create_engine(f"sqlite:///{database}")
    events = m.AuditEvent.__table__
    tables = {model.__tablename__: model.__table__ for model in audit_chain.SEALED_MODELS}
    appended = 0
    with engine.begin() as connection:
        last = connection.execute(select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)).first()
        assert last is not None
        seq, prev = int(last[0]), str(last[1])
        base_events = (
            connection.execute(select(events).where(events.c.origin.is_(None)).order_by(events.c.seq)).mappings().all()
        )
        for copy, copied in copies:
            new_ids = sorted(uuid.UUID(shifted(value, copy)) for value in copied)
            rows: dict[tuple[str, uuid.UUID], Any] = {}
            for name, table in tables.items():
                for start in range(0, len(new_ids), 500):
                    chunk = new_ids[start : start + 500]
                    for row in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                        rows[(name, row["id"])] = row

            def new_id(value: uuid.UUID | None, copy: int = copy, copied: set[str] = copied) -> uuid.UUID | None:
                if value is None or value.hex not in copied:
                    return value
                return uuid.UUID(shifted(value.hex, copy))

            def sealed(table: str, record: uuid.UUID, old: Any, rows: dict[tuple[str, uuid.UUID], Any] = rows) -> Any:
                if not isinstance(old, dict) or not old.get("digest"):
                    return old
                row = rows.get((table, record))
                return old if row is None else audit_chain.row_seal(audit_chain.TABLE_MODELS[table], row)

            batch: list[dict[str, Any]] = []
            for event in base_events:
                if event["record_id"].hex not in copied:
                    continue
                record_id = new_id(event["record_id"])
                assert record_id is not None
                seal = event["seal"]
                if isinstance(seal, dict):
                    seal = dict(seal)
                    model = audit_chain.ENTITY_MODELS.get(event["entity"])
                    if model is not None and seal.get("digest"):
                        own = sealed(model.__tablename__, record_id, {"digest": seal["digest"]})
                        seal = {k: v for k, v in seal.items() if k not in ("digest", "refs")} | own
                    also = seal.get("also")
                    if isinstance(also, dict):
                        renewed = {}
                        for key, value in also.items():
                            table, _colon, raw = key.partition(":")
                            other = new_id(uuid.UUID(raw))
                            assert other is not None
                            renewed[f"{table}:{other}"] = sealed(table, other, value)
                        seal["also"] = renewed
                values = {
                    "id": uuid.UUID(shifted(event["id"].hex, copy)),
                    "at": event["at"],
                    "author": event["author"],
                    "action": event["action"],
                    "entity": event["entity"],
                    "record_id": record_id,
                    "case_id": new_id(event["case_id"]),
                    "summary": event["summary"],
                    "changes": _remapped_text(event["changes"], copy, copied),
                    "seal": seal,
                    "origin_hash": None,
                    "origin": None,
                }
                seq += 1
                values["seq"] = seq
                values["prev_hash"] = prev
                values["hash"] = prev = audit_chain.link_hash(prev, SimpleNamespace(**values))  # type: ignore[arg-type]
                batch.append(values)
            if batch:
                connection.execute(insert(events), batch)
            appended += len(batch)
    engine.dispose()
    return appended


def _grow_large_case(data_dir: Path, manifest: dict[str, Any], notes: int, exhibits: int, author: str) -> int:
    """Bring the large case to the plan's size through the services (as a generation of this size has it)."""
    from caseapp.casefile.core import open_core
    from caseapp.services import evidence, hearings

    large = uuid.UUID(manifest["large_case_id"])
    core = open_core(data_dir=data_dir, author=author)
    calls = 0
    try:
        with contextlib.closing(sqlite3.connect(data_dir / "caseapp.sqlite3")) as connection:
            have_exhibits = connection.execute(
                "SELECT count(*) FROM evidence WHERE case_id = ?", (large.hex,)
            ).fetchone()[0]
            hearing_ids = [
                uuid.UUID(h)
                for (h,) in connection.execute(
                    "SELECT id FROM hearings WHERE case_id = ? ORDER BY starts_at", (large.hex,)
                )
            ]
            have_notes = connection.execute(
                "SELECT count(*) FROM hearing_notes WHERE hearing_id IN (SELECT id FROM hearings WHERE case_id = ?)",
                (large.hex,),
            ).fetchone()[0]
        rng = random.Random(f"replicate-large-{notes}-{exhibits}")
        for position in range(max(0, exhibits - have_exhibits)):
            title, description, source = corpus.exhibit(rng)
            evidence.add_evidence(core, large, title=title, description=description, source=source or None)
            calls += 1
            del position
        for position in range(max(0, notes - have_notes)):
            hearings.add_note(core, hearing_ids[position % len(hearing_ids)], corpus.hearing_note(rng))
            calls += 1
    finally:
        core.close()
    return calls


def replicate(base_folder: Path, folder: Path, size: int, *, author: str) -> dict[str, Any]:
    """Build ``folder``/data with ``size`` cases from the cached base in ``base_folder``; returns the manifest."""
    from tests.benchmarks import generate

    started = time.perf_counter()
    base_manifest = json.loads((base_folder / "manifest.json").read_text())
    data_dir = folder / "data"
    generate._copy_data(base_folder / "data", data_dir)
    database = data_dir / generate.DB_FILE
    large = uuid.UUID(base_manifest["large_case_id"]).hex
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    current = {"copy": 0}

    def remap(value: str | None) -> str | None:
        return None if value is None else shifted(value, current["copy"])

    connection.create_function("remap", 1, remap)
    connection.execute("CREATE TEMP TABLE unlinked AS SELECT id FROM access_requests WHERE case_id IS NULL")
    families = _families(connection, large)
    base_cases = sum(len(f) for f in families) + 1
    copies: list[tuple[int, set[str]]] = []
    rows = 0
    for number, (cases, whole) in enumerate(_plan_copies(families, size - base_cases), start=1):
        current["copy"] = number
        connection.execute("BEGIN")
        connection.execute("CREATE TEMP TABLE pick (id TEXT PRIMARY KEY)")
        connection.execute("CREATE TEMP TABLE copied (id TEXT PRIMARY KEY)")
        connection.executemany("INSERT INTO pick VALUES (?)", [(c,) for c in cases])
        rows += _copy_rows(connection, whole)
        copied = {row[0] for row in connection.execute("SELECT id FROM copied")}
        connection.execute("DROP TABLE pick")
        connection.execute("DROP TABLE copied")
        connection.execute("COMMIT")
        copies.append((number, copied))
        log(f"copy {number}: {len(cases)} cases, {len(copied)} records ({time.perf_counter() - started:.0f} s)")
    connection.close()
    events = _append_events(database, copies)
    log(f"{events} audit events appended ({time.perf_counter() - started:.0f} s)")
    plan = generate.make_plan(size)
    large_plan = plan.cases[plan.large_case]
    calls = _grow_large_case(data_dir, base_manifest, sum(large_plan.notes), large_plan.evidence, author)
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    manifest = dict(base_manifest)
    # The large case was grown to its size's plan; its parties, filings and deadlines are the base's.
    grown = {"notes": sum(large_plan.notes), "evidence": large_plan.evidence}
    manifest.update(
        {
            "size": size,
            "plan": base_manifest.get("plan", {}) | {"large_case": base_manifest["plan"]["large_case"] | grown},
            "replicated_from": {
                "size": base_manifest["size"],
                "generated_with_commit": base_manifest.get("caseapp_commit"),
                "copies": len(copies),
                "rows_copied": rows,
                "audit_events_appended": events,
                "large_case_service_calls": calls,
                "seconds": round(seconds, 1),
            },
            "generation_seconds": round(seconds + base_manifest["generation_seconds"], 1),
            "database_bytes": database.stat().st_size,
            "counts": generate._table_counts(database),
            "caseapp_commit": generate.git_commit(),
        }
    )
    manifest.update(generate._pick_ids(database, generate.make_plan(base_manifest["size"])))
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log(f"{size} cases in {seconds:.0f} s: {manifest['counts']}")
    return manifest
