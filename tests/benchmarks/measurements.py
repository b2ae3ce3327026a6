"""The measurements. Each is a small function registered with ``@benchmark`` that returns Measurement(s).

Floors used here (see README.md for why):
- "same SQL": the statements the service sent, replayed on a bare sqlite3 connection (timing.SqlReplay);
- "bare INSERT+COMMIT": one row inserted and committed by sqlite3 in a file next to the database, same PRAGMAs;
- "bare sqlite3 open": a fresh process connecting with the same PRAGMAs and reading the schema.
"""

from __future__ import annotations

import contextlib
import json
import random
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import UTC, datetime

from tests.benchmarks import corpus
from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import (
    Measurement,
    Target,
    bare_connection,
    paired,
    percentile,
    sample,
    summary,
    time_ms,
)

SAME_SQL = "same SQL, bare sqlite3"

# What people type in the search box: single words, with and without accents, prefixes, two words, rare and
# frequent terms.
SEARCH_QUERIES = (
    "référé",
    "refere",
    "audi",
    "mémoire",
    "memoire en defense",
    "délibéré",
    "rapporteur public",
    "reconnaissance faciale",
    "vidéosurveillance",
    "CNIL",
    "Marseille",
    "lycée",
    "ordonnance",
    "urgence",
    "proportionnalite",
    "Quadrature",
    "préfet",
    "note en délibéré",
)
# Typed one key at a time; the search runs at every key from the second character.
TYPED = ("rapporteur public", "vidéosurveillance marseille", "refere liberte", "CADA")


@benchmark("case_list_status_filter")
def case_list_status_filter(ctx: Context) -> Measurement:
    """list_cases(status="open", limit=200): the first page of the case list with a filter."""
    from caseapp.services.cases import list_cases

    core = ctx.core()

    def first_page() -> object:
        return list_cases(core, status="open", limit=200)

    values, floors = paired(first_page, ctx.same_sql(first_page), ctx.count(100, 30), warmup=10)

    def everything() -> object:
        return list_cases(core, status="open")

    rows = len(list_cases(core, status="open"))
    all_values, all_floors = paired(everything, ctx.same_sql(everything), ctx.count(10, 4), warmup=2)
    return Measurement(
        "case_list_status_filter",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what=SAME_SQL,
        target=Target(50),
        details={
            "ms": summary(values),
            "floor_ms": summary(floors),
            "unlimited": {"rows": rows, "ms": summary(all_values), "floor_ms": summary(all_floors)},
        },
    )


@benchmark("search_fts")
def search_fts(ctx: Context) -> Measurement:
    """search(text) for typed queries (words, accents or not, prefixes, two words), p95 over all of them."""
    from caseapp.casefile.search import search

    core = ctx.core()
    repeats = ctx.count(10, 4)
    values: list[float] = []
    floors: list[float] = []
    per_query: dict[str, dict[str, object]] = {}
    for query in SEARCH_QUERIES:

        def call(query: str = query) -> object:
            return search(core, query)

        hits = len(search(core, query))
        query_values, query_floors = paired(call, ctx.same_sql(call), repeats, warmup=1)
        values += query_values
        floors += query_floors
        per_query[query] = {
            "hits": hits,
            "p50": round(percentile(query_values, 50), 2),
            "floor_p50": round(percentile(query_floors, 50), 2),
        }
    return Measurement(
        "search_fts",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what=SAME_SQL,
        target=Target(50),
        details={"ms": summary(values), "floor_ms": summary(floors), "queries": per_query},
    )


@benchmark("search_typing")
def search_typing(ctx: Context) -> Measurement:
    """search() at every key press while typing a query (the core part of "results while typing")."""
    from caseapp.casefile.search import search

    core = ctx.core()
    values: list[float] = []
    slowest: list[tuple[float, str]] = []
    for text in TYPED:
        search(core, text[:2])
        for end in range(2, len(text) + 1):
            typed = text[:end]
            elapsed = min(time_ms(lambda typed=typed: search(core, typed)) for _ in range(ctx.count(3, 1)))
            values.append(elapsed)
            slowest.append((elapsed, typed))
    one_key = [time_ms(lambda text=text: search(core, text[0])) for text in TYPED]
    return Measurement(
        "search_typing",
        percentile(values, 95),
        target=Target(100, info=True),
        details={
            "ms": summary(values),
            "slowest_keystrokes": [{"typed": t, "ms": round(ms, 2)} for ms, t in sorted(slowest, reverse=True)[:5]],
            "first_key_ms": {text[0]: round(ms, 2) for text, ms in zip(TYPED, one_key, strict=True)},
            "note": "best of a few runs per keystroke; the UI's own cost (model, painting) is not included",
        },
    )


@benchmark("open_case")
def open_case(ctx: Context) -> Measurement:
    """get_case(id) on the large case (every tab's data in one read model)."""
    from caseapp.services.cases import get_case

    core = ctx.core()
    large = ctx.record_id("large_case_id")
    detail = get_case(core, large)

    def call() -> object:
        return get_case(core, large)

    # 120 pairs: with 40, the p95 was the second-slowest call, and one garbage collection more or less moved it
    # by half (36 → 55 ms between two runs of the same database).
    values, floors = paired(call, ctx.same_sql(call), ctx.count(120, 15), warmup=3)
    ordinary = ctx.record_id("ordinary_case_id")
    ordinary_values = sample(lambda: get_case(core, ordinary), ctx.count(40, 15), warmup=3)
    return Measurement(
        "open_case",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what=SAME_SQL,
        target=Target(100, info=True),
        details={
            "ms": summary(values),
            "floor_ms": summary(floors),
            "large_case": {
                "parties": len(detail.parties),
                "filings": len(detail.filings),
                "hearings": len(detail.hearings),
                "notes": sum(len(h.notes) for h in detail.hearings),
                "evidence": len(detail.evidence),
                "deadlines": len(detail.deadlines),
                "opinions": len(detail.opinions),
            },
            "ordinary_case_ms": summary(ordinary_values),
        },
    )


@benchmark("agenda")
def agenda_speed(ctx: Context) -> Measurement:
    """agenda(): hearings and open deadlines across all cases, and the idle cases."""
    from caseapp.services.agenda import agenda

    core = ctx.core()
    result = agenda(core)

    def call() -> object:
        return agenda(core)

    values, floors = paired(call, ctx.same_sql(call), ctx.count(30, 10), warmup=3)
    return Measurement(
        "agenda",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what=SAME_SQL,
        details={
            "ms": summary(values),
            "floor_ms": summary(floors),
            "items": len(result.items),
            "idle_cases": len(result.idle_cases),
        },
    )


STARTUP = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    started = time.perf_counter_ns()
    from caseapp.casefile.core import open_core
    imported = time.perf_counter_ns()
    core = open_core(data_dir=Path(sys.argv[1]))
    opened = time.perf_counter_ns()
    core.close()
    print(json.dumps({"import_ms": (imported - started) / 1e6, "open_ms": (opened - imported) / 1e6}))
    """
)
STARTUP_FLOOR = textwrap.dedent(
    """
    import json, sys, time
    started = time.perf_counter_ns()
    import sqlite3
    imported = time.perf_counter_ns()
    connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
    for pragma in ("busy_timeout = 10000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        connection.execute("PRAGMA " + pragma)
    connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.execute("SELECT version_num FROM alembic_version").fetchall()
    opened = time.perf_counter_ns()
    connection.close()
    print(json.dumps({"import_ms": (imported - started) / 1e6, "open_ms": (opened - imported) / 1e6}))
    """
)


def _run_script(script: str, argument: str) -> dict[str, float]:
    started = time.perf_counter_ns()
    result = subprocess.run(
        [sys.executable, "-c", script, argument], capture_output=True, text=True, check=True, timeout=120
    )
    timings: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    timings["process_ms"] = (time.perf_counter_ns() - started) / 1e6
    return timings


@benchmark("startup_core")
def startup_core(ctx: Context) -> Measurement:
    """import + open_core() on the big existing database, in a fresh process (each part reported too)."""
    from caseapp.casefile.core import open_core

    runs = ctx.count(7, 3)
    _run_script(STARTUP, str(ctx.data_dir))  # the first run pays for cold file caches; not counted
    fresh: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    for _ in range(runs):
        fresh.append(_run_script(STARTUP, str(ctx.data_dir)))
        bare.append(_run_script(STARTUP_FLOOR, str(ctx.db_path)))
    total = [r["import_ms"] + r["open_ms"] for r in fresh]
    floor_total = [r["import_ms"] + r["open_ms"] for r in bare]

    def reopen() -> None:
        open_core(data_dir=ctx.data_dir, author="benchmark").close()

    warm = sample(reopen, ctx.count(10, 3), warmup=1)
    return Measurement(
        "startup_core",
        percentile(total, 50),
        stat="p50",
        floor=percentile(floor_total, 50),
        floor_what="import sqlite3 + open with the same PRAGMAs + schema read, fresh process",
        details={
            "import_and_open_core_ms": summary(total),
            "import_caseapp_services_core_ms": summary([r["import_ms"] for r in fresh]),
            "open_core_ms": summary([r["open_ms"] for r in fresh]),
            "process_wall_ms": summary([r["process_ms"] for r in fresh]),
            "floor_process_wall_ms": summary([r["process_ms"] for r in bare]),
            "open_core_again_in_process_ms": summary(warm),
            "note": "the value is import of caseapp.casefile.core plus open_core() in a fresh process, so it does "
            "not move when an import moves from one to the other",
        },
    )


@benchmark("add_hearing_note", writes=True)
def add_hearing_note(ctx: Context) -> Measurement:
    """add_note(hearing, text), one committed transaction each, on the big database."""
    from caseapp.services.hearings import add_note

    core = ctx.core()
    hearing = ctx.record_id("note_hearing_id")
    rng = random.Random(1901249)
    texts = [corpus.hearing_note(rng) for _ in range(64)]
    counter = iter(range(10**9))

    def call() -> object:
        return add_note(core, hearing, texts[next(counter) % len(texts)])

    with contextlib.closing(bare_connection(ctx.db_path)) as connection:
        (case_id,) = connection.execute("SELECT case_id FROM hearings WHERE id = ?", (hearing.hex,)).fetchone()
    floor_db = bare_connection(ctx.data_dir / "floor-insert.sqlite3")
    floor_db.execute(
        "CREATE TABLE IF NOT EXISTS notes (id TEXT PRIMARY KEY, hearing_id TEXT NOT NULL, at TEXT NOT NULL, "
        "author TEXT NOT NULL, text TEXT NOT NULL)"
    )

    def floor() -> None:
        floor_db.execute("BEGIN IMMEDIATE")
        floor_db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, ?)",
            (uuid.uuid4().hex, hearing.hex, datetime.now(UTC).isoformat(), "benchmark", texts[0]),
        )
        floor_db.execute("COMMIT")

    same_sql = ctx.same_sql(call, write=True, keep=frozenset({hearing.hex, case_id}))
    n = ctx.count(500, 150)
    values, floors = paired(call, floor, n, warmup=20)
    replayed = sample(same_sql, ctx.count(200, 50), warmup=5)
    floor_db.close()
    return Measurement(
        "add_hearing_note",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what="bare INSERT+COMMIT, same PRAGMAs, same folder",
        target=Target(10),
        details={
            "ms": summary(values),
            "floor_ms": summary(floors),
            "same_sql_commit_ms": summary(replayed),
            "note": "same_sql_commit is the note's own statements (note, search entry and FTS trigger, audit event) "
            "replayed and committed with bare sqlite3: the schema's share of the cost",
        },
    )
