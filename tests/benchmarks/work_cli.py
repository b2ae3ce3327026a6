"""Commands that only read, as whole processes: ``caseapp cases``, ``show``, ``search``, ``agenda``, ``--version``,
``--help``.

``cli_cases``, ``cli_show``, ``cli_search``, ``cli_agenda`` — the command run as the installed ``caseapp`` script
runs it (``from caseapp.cli import main``), in a fresh process, output thrown away. Floor: a fresh process that
imports SQLAlchemy and sends **the same statements** on the same database with SQLAlchemy Core
(``exec_driver_sql``, every row fetched): what any Python program pays to answer the same questions with the same
library — the interpreter, SQLAlchemy's import, the engine, SQLite. The statements are those the command sent,
recorded once in this process (opening the case file, the schema check, the reads, the history's head at close);
transaction control and PRAGMAs are left to each side. Target ≤ 1.5× (issue 18).

``cli_version``, ``cli_help`` — ``caseapp --version`` and ``caseapp --help``. Floor: ``python -c pass``. Target ≤ 3×.

Each command and its floor alternate (which goes first alternates too), after a warm-up pair; bytecode is cached
in a scratch folder (``PYTHONPYCACHEPREFIX``), as an installed application has it, even where
``PYTHONDONTWRITEBYTECODE`` is set. ``show`` opens the ordinary case (the large one is ``open_case``'s).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.benchmarks.app_launch import ROOT, scratch_pycache
from tests.benchmarks.registry import AUTHOR, Context, benchmark
from tests.benchmarks.timing import Measurement, Target, percentile, summary

COMMAND = "import sys; from caseapp.cli import main; sys.exit(main())"
# The floor: SQLAlchemy imported, an engine, the same statements sent with Core, every row fetched.
FLOOR = textwrap.dedent(
    """
    import json, sys
    import sqlalchemy
    statements = json.load(open(sys.argv[2]))
    engine = sqlalchemy.create_engine(sys.argv[1])
    with engine.connect() as connection:
        for sql, params in statements:
            result = connection.exec_driver_sql(sql, tuple(params) if isinstance(params, list) else params)
            if result.returns_rows:
                result.fetchall()
    engine.dispose()
    """
)
SKIPPED = ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch_pycache())
    env["CASEAPP_DATA_DIR"] = str(data_dir)
    env["CASEAPP_AUTHOR"] = AUTHOR
    env["CASEAPP_LANG"] = "fr"
    env.pop("CASEAPP_DB_URL", None)
    return env


def _seconds(argv: Sequence[str], env: dict[str, str]) -> float:
    started = time.perf_counter_ns()
    result = subprocess.run(
        list(argv), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600, check=False
    )
    elapsed = (time.perf_counter_ns() - started) / 1e9
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}… failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return elapsed


def record_statements(args: Sequence[str], data_dir: Path, url: str | None = None) -> list[tuple[str, Any]]:
    """The statements ``caseapp ARGS`` sends (run once in this process, output thrown away)."""
    from sqlalchemy import Engine, event

    from caseapp.cli import main

    statements: list[tuple[str, Any]] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if not statement.lstrip().upper().startswith(SKIPPED):
            statements.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", before)
    saved = {name: os.environ.get(name) for name in ("CASEAPP_DATA_DIR", "CASEAPP_DB_URL", "CASEAPP_AUTHOR")}
    os.environ["CASEAPP_DATA_DIR"] = str(data_dir)
    os.environ["CASEAPP_AUTHOR"] = AUTHOR
    if url:
        os.environ["CASEAPP_DB_URL"] = url
    else:
        os.environ.pop("CASEAPP_DB_URL", None)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(list(args))
        if code:
            raise RuntimeError(f"caseapp {' '.join(args)} exited with {code}")
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return statements


def _json_params(params: Any) -> Any:
    if isinstance(params, dict):
        return {k: _json_value(v) for k, v in params.items()}
    return [_json_value(v) for v in params or ()]


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def alternate(
    command: Sequence[str], floor: Sequence[str], env: dict[str, str], runs: int
) -> tuple[list[float], list[float]]:
    """Seconds of ``runs`` processes of each, alternating (which goes first alternates), after a warm-up pair."""
    _seconds(command, env)
    _seconds(floor, env)
    values: list[float] = []
    floors: list[float] = []
    for i in range(runs):
        if i % 2:
            floors.append(_seconds(floor, env))
            values.append(_seconds(command, env))
        else:
            values.append(_seconds(command, env))
            floors.append(_seconds(floor, env))
    return values, floors


def command_measurements(
    ctx: Context, *, url: str | None = None, prefix: str = "cli", floor_what: str | None = None
) -> list[Measurement]:
    """The four reading commands against the same statements sent with SQLAlchemy Core, fresh processes."""
    env = _env(ctx.data_dir)
    if url:
        env["CASEAPP_DB_URL"] = url
    database_url = url or f"sqlite:///{ctx.db_path}"
    ordinary = str(ctx.record_id("ordinary_case_id"))
    commands = {
        "cases": ["cases"],
        "show": ["show", ordinary],
        "search": ["search", "référé"],
        "agenda": ["agenda"],
    }
    runs = ctx.count(9, 5)
    results: list[Measurement] = []
    scratch = Path(tempfile.mkdtemp(prefix="caseapp-bench-cli-"))
    try:
        for name, args in commands.items():
            statements = record_statements(args, ctx.data_dir, url)
            recorded = scratch / f"{name}.json"
            recorded.write_text(json.dumps([(sql, _json_params(params)) for sql, params in statements]))
            values, floors = alternate(
                [sys.executable, "-c", COMMAND, *args],
                [sys.executable, "-c", FLOOR, database_url, str(recorded)],
                env,
                runs,
            )
            results.append(
                Measurement(
                    f"{prefix}_{name}",
                    percentile(values, 50) * 1000,
                    stat="p50",
                    floor=percentile(floors, 50) * 1000,
                    floor_what=floor_what or "same statements with SQLAlchemy Core, fresh process",
                    target=Target(1.5, on="ratio"),
                    details={
                        "command": f"caseapp {' '.join(args)}",
                        "ms": summary([v * 1000 for v in values]),
                        "floor_ms": summary([f * 1000 for f in floors]),
                        "statements": len(statements),
                    },
                )
            )
    finally:
        for path in scratch.glob("*"):
            path.unlink()
        scratch.rmdir()
    return results


@benchmark("cli_commands")
def cli_commands(ctx: Context) -> list[Measurement]:
    """caseapp cases / show / search / agenda as fresh processes, against the same statements sent with Core."""
    return command_measurements(ctx)


@benchmark("cli_version_help")
def cli_version_help(ctx: Context) -> list[Measurement]:
    """caseapp --version and --help as fresh processes, against python -c pass."""
    env = _env(ctx.data_dir)
    runs = ctx.count(9, 5)
    results = []
    for name, args in (("version", ["--version"]), ("help", ["--help"])):
        values, floors = alternate([sys.executable, "-c", COMMAND, *args], [sys.executable, "-c", "pass"], env, runs)
        results.append(
            Measurement(
                f"cli_{name}",
                percentile(values, 50) * 1000,
                stat="p50",
                floor=percentile(floors, 50) * 1000,
                floor_what="python -c pass, fresh process",
                target=Target(3, on="ratio"),
                details={"ms": summary([v * 1000 for v in values]), "floor_ms": summary([f * 1000 for f in floors])},
            )
        )
    return results
