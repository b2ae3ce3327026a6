"""The same measurements on a team's PostgreSQL server (``--pg URL``: a throwaway cluster, as CI starts one).

The generated SQLite database of the run is loaded once into a fresh database on the server (``caseapp_bench_*``):
the schema made by the app's own migrations, every table's rows copied with SQLAlchemy Core in the models' order,
the counters set after them — the same records, history and search entries. Then, on a core opened on that
database (``CASEAPP_DB_URL``), as on SQLite:

- ``pg_case_list``, ``pg_search``, ``pg_open_case``, ``pg_agenda`` — the measurements of ``measurements.py``; the
  floor is **the same SQL on a bare psycopg connection** (the statements the service sent, replayed with psycopg,
  every row fetched);
- ``pg_add_note`` — ``add_note`` committed 500 times; floor: the note's own statements replayed and committed on a
  bare psycopg connection (identifiers renewed each time), i.e. the server's round trips and its commit;
- ``pg_cli_cases`` … ``pg_cli_agenda`` — the commands in fresh processes against the same statements sent with
  SQLAlchemy Core (``work_cli``).

The targets are SQLite's. Every statement is a round trip to the server here (a Unix socket on the same machine),
so a read that sends many statements pays that many round trips on both sides of the ratio.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from tests.benchmarks import corpus
from tests.benchmarks import measurements as sqlite_measurements
from tests.benchmarks.registry import AUTHOR, Context, benchmark, settle_heap
from tests.benchmarks.timing import SEQUENCE_COLUMNS, Measurement, Target, capturing, paired, percentile, summary

PG_URL_ENV = "CASEAPP_BENCH_PG_URL"  # set by the runner's --pg
SAME_SQL_PG = "same SQL, bare psycopg"


def _log(message: str) -> None:
    import sys

    print(f"[postgresql {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _psycopg_conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = {
        "host": parsed.query.get("host") or parsed.host,
        "port": parsed.query.get("port") or parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": parsed.database,
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _column(key: str) -> str:
    """The column a bound parameter is for (``seq``, ``id``; ``id_1`` when a statement binds it twice)."""
    return key.rsplit("_", 1)[0] if key[-1:].isdigit() else key


class PgReplay:
    """The "same SQL" floor on PostgreSQL: the statements a service sent, replayed on a bare psycopg connection,
    every row fetched; for a write, identifiers renewed and the history's positions moved past the real ones, then
    committed."""

    def __init__(
        self,
        url: str,
        statements: Sequence[tuple[str, Any]],
        *,
        write: bool = False,
        keep: frozenset[str] = frozenset(),
    ) -> None:
        import psycopg

        self.connection = psycopg.connect(_psycopg_conninfo(url))
        self.statements = [(sql, params) for sql, params in statements if not sql.lstrip().upper().startswith("SET")]
        self.write = write
        self.keep = keep
        self.replays = 0

    def _renewed(self) -> list[tuple[str, Any]]:
        fresh: dict[uuid.UUID, uuid.UUID] = {}
        self.replays += 1

        def renew(key: str, value: Any) -> Any:
            if key in SEQUENCE_COLUMNS and isinstance(value, int):
                # far past the real positions, and a step apart: the service, measured in between, takes the
                # next position after the newest row (a replay's) and must not meet the next replay
                return value + 10**12 + self.replays * 10**6
            if isinstance(value, uuid.UUID) and value.hex not in self.keep:
                return fresh.setdefault(value, uuid.uuid4())
            return value

        renewed: list[tuple[str, Any]] = []
        for sql, params in self.statements:
            if isinstance(params, dict):
                params = {
                    key: renew(key.rsplit("_", 1)[0] if key[-1:].isdigit() else key, v) for key, v in params.items()
                }
            renewed.append((sql, params))
        return renewed

    def __call__(self) -> None:
        statements = self._renewed() if self.write else self.statements
        with self.connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params or None)
                if cursor.description is not None:
                    cursor.fetchall()
        if self.write:
            self.connection.commit()
        else:
            self.connection.rollback()

    def close(self) -> None:
        self.connection.close()


class PgContext(Context):
    """A Context whose core works on the PostgreSQL copy, and whose same-SQL floors are replayed with psycopg."""

    url: str = ""

    def core(self) -> Any:
        if self._core is None:
            from caseapp.casefile.core import open_core

            self._core = open_core(data_dir=self.data_dir, url=self.url, author=AUTHOR)
            settle_heap()
        return self._core

    def same_sql(self, call: Callable[[], Any], *, write: bool = False, keep: frozenset[str] = frozenset()) -> Any:
        with capturing(self.core().db.engine) as statements:
            call()
        replay = PgReplay(self.url, statements, write=write, keep=keep)
        self._replays.append(replay)  # type: ignore[arg-type]
        return replay


_LOADED: dict[str, PgContext] = {}


def _admin(url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def load(ctx: Context, admin_url: str) -> PgContext:
    """The run's SQLite database copied into a fresh PostgreSQL database (once per run)."""
    if admin_url in _LOADED:
        return _LOADED[admin_url]
    import atexit

    from sqlalchemy import create_engine, func, insert, select, text
    from sqlalchemy.engine import make_url

    from caseapp.store import models
    from caseapp.store.database import open_database

    started = time.perf_counter()
    name = f"caseapp_bench_{os.getpid()}"
    _admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(admin_url, f"CREATE DATABASE {name}")
    atexit.register(_admin, admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    pg_dir = ctx.data_dir.parent / f"{ctx.data_dir.name}-pg"
    pg_dir.mkdir(exist_ok=True)
    open_database(data_dir=pg_dir, url=url).close()  # the schema, by the app's migrations
    source = create_engine(f"sqlite:///{ctx.db_path}")
    target = create_engine(url)
    rows = 0
    with source.connect() as reading, target.begin() as writing:
        # the rows come in the SQLite file's order (a référé may come before the case it follows): the keys are
        # checked by SQLite's copy already, so the server's foreign-key triggers wait for the end of the load
        writing.execute(text("SET LOCAL session_replication_role = replica"))
        writing.execute(text("DELETE FROM app_state"))
        for table in models.Base.metadata.sorted_tables:
            batch: list[dict[str, Any]] = []
            for row in reading.execute(select(table)).mappings():
                batch.append(dict(row))
                if len(batch) >= 5000:
                    writing.execute(insert(table), batch)
                    rows += len(batch)
                    batch.clear()
            if batch:
                writing.execute(insert(table), batch)
                rows += len(batch)
        last = writing.scalar(select(func.max(models.SearchEntry.entry_id)))
        if last:
            writing.execute(
                text("SELECT setval(pg_get_serial_sequence('search_entries', 'entry_id'), :n)"), {"n": last}
            )
    with target.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    source.dispose()
    target.dispose()
    pg = PgContext(data_dir=pg_dir, manifest=ctx.manifest, quick=ctx.quick)
    pg.url = url
    _LOADED[admin_url] = pg
    atexit.register(pg.close)
    _log(f"{rows} rows copied into {name} in {time.perf_counter() - started:.0f} s")
    pg.manifest = ctx.manifest | {"pg_load_seconds": round(time.perf_counter() - started, 1), "pg_rows": rows}
    return pg


def _pg(ctx: Context) -> PgContext:
    admin_url = os.environ.get(PG_URL_ENV)
    if not admin_url:
        raise RuntimeError(f"no PostgreSQL server: run with --pg URL (or set {PG_URL_ENV})")
    return load(ctx, admin_url)


def _renamed(found: Measurement | list[Measurement], name: str, pg: PgContext) -> Measurement:
    measurement = found[0] if isinstance(found, list) else found
    measurement.name = name
    if measurement.floor_what and "sqlite3" in measurement.floor_what:
        measurement.floor_what = SAME_SQL_PG
    measurement.details["pg_load_seconds"] = pg.manifest.get("pg_load_seconds")
    return measurement


@benchmark("pg_case_list")
def pg_case_list(ctx: Context) -> Measurement:
    """PostgreSQL: list_cases(status="open", limit=200) against the same SQL on bare psycopg."""
    pg = _pg(ctx)
    return _renamed(sqlite_measurements.case_list_status_filter(pg), "pg_case_list", pg)


@benchmark("pg_search")
def pg_search(ctx: Context) -> Measurement:
    """PostgreSQL: search(text) for the typed queries against the same SQL on bare psycopg."""
    pg = _pg(ctx)
    return _renamed(sqlite_measurements.search_fts(pg), "pg_search", pg)


@benchmark("pg_open_case")
def pg_open_case(ctx: Context) -> Measurement:
    """PostgreSQL: get_case(id) of the large case against the same SQL on bare psycopg."""
    pg = _pg(ctx)
    return _renamed(sqlite_measurements.open_case(pg), "pg_open_case", pg)


@benchmark("pg_agenda")
def pg_agenda(ctx: Context) -> Measurement:
    """PostgreSQL: agenda() against the same SQL on bare psycopg."""
    pg = _pg(ctx)
    return _renamed(sqlite_measurements.agenda_speed(pg), "pg_agenda", pg)


@benchmark("pg_cli_commands")
def pg_cli_commands(ctx: Context) -> list[Measurement]:
    """PostgreSQL: caseapp cases / show / search / agenda, fresh processes, against the same statements with Core."""
    from tests.benchmarks.work_cli import command_measurements

    pg = _pg(ctx)
    return command_measurements(
        pg, url=pg.url, prefix="pg_cli", floor_what="same statements with SQLAlchemy Core on the server, fresh process"
    )


@benchmark("pg_add_note", writes=True)
def pg_add_note(ctx: Context) -> Measurement:
    """PostgreSQL: add_note(hearing, text) committed, against its own statements committed on bare psycopg."""
    from caseapp.services.hearings import add_note

    pg = _pg(ctx)
    core = pg.core()
    hearing = pg.record_id("note_hearing_id")
    rng = random.Random(1901249)
    texts = [corpus.hearing_note(rng) for _ in range(64)]
    counter = iter(range(10**9))

    def call() -> object:
        return add_note(core, hearing, texts[next(counter) % len(texts)])

    from sqlalchemy import select

    from caseapp.store import tables

    with core.db.engine.connect() as connection:
        case_id = connection.scalar(select(tables.hearings.c.case_id).where(tables.hearings.c.id == hearing))
    floor = pg.same_sql(call, write=True, keep=frozenset({hearing.hex, case_id.hex}))
    values, floors = paired(call, floor, pg.count(500, 150), warmup=20)
    with contextlib.suppress(Exception):
        floor.close()
    return Measurement(
        "pg_add_note",
        percentile(values, 95),
        floor=percentile(floors, 95),
        floor_what="the note's own statements committed, bare psycopg",
        target=Target(10),
        details={"ms": summary(values), "floor_ms": summary(floors), "statements": len(floor.statements)},
    )
