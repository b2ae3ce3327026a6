"""Measuring: what a measurement is, percentiles, paired sampling against a floor, and the "same SQL" floor.

A floor is the cost nothing above it can avoid, measured in the same run (machines here are shared and noisy,
so only ratios to a floor and latency percentiles mean something from one run to the next). The value and its
floor are sampled alternately, so a burst of noise falls on both.
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Target:
    """What a measurement must reach: ``value < limit`` (on="value") or ``ratio <= limit`` (on="ratio").

    An ``info`` target is shown and judged but does not fail the run (a figure we watch, not a promise).
    """

    limit: float
    on: str = "value"
    info: bool = False

    def describe(self, stat: str, unit: str) -> str:
        text = f"{stat} < {self.limit:g} {unit}" if self.on == "value" else f"≤ {self.limit:g}× floor"
        return f"{text} (info)" if self.info else text

    def reached(self, value: float, ratio: float | None) -> bool:
        if self.on == "value":
            return value < self.limit
        return ratio is not None and ratio <= self.limit


@dataclass
class Measurement:
    """One line of the results table. ``value`` is the headline figure (``stat`` of the samples, in ``unit``)."""

    name: str
    value: float
    unit: str = "ms"
    stat: str = "p95"
    floor: float | None = None
    floor_what: str | None = None
    target: Target | None = None
    details: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0 or math.isnan(self.value):
            return None
        return self.value / self.floor

    @property
    def passed(self) -> bool | None:
        if self.error is not None:
            return False
        if self.target is None:
            return None
        return self.target.reached(self.value, self.ratio)

    def as_json(self) -> dict[str, Any]:
        return {
            "value": _round(self.value),
            "unit": self.unit,
            "stat": self.stat,
            "floor": _round(self.floor),
            "floor_what": self.floor_what,
            "ratio": _round(self.ratio),
            "target": self.target.describe(self.stat, self.unit) if self.target else None,
            "enforced": bool(self.target and not self.target.info),
            "passed": self.passed,
            "error": self.error,
            "details": self.details,
        }


def _round(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, 3 if abs(value) < 10 else 1)


# ------------------------------------------------------------------------------------------------ statistics


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples: Sequence[float]) -> dict[str, float | int | None]:
    """p50 / p95 / p99 / min / max / mean of samples in milliseconds, rounded for the results file."""
    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "p50": _round(percentile(samples, 50)),
        "p95": _round(percentile(samples, 95)),
        "p99": _round(percentile(samples, 99)),
        "min": _round(min(samples)),
        "max": _round(max(samples)),
        "mean": _round(sum(samples) / len(samples)),
    }


def seconds(samples_ms: Sequence[float]) -> list[float]:
    return [ms / 1000 for ms in samples_ms]


def rounded(samples: Sequence[float], digits: int = 3) -> list[float]:
    return [round(x, digits) for x in samples]


def spread(samples: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """Every run, the median and the max (a handful of runs: all of them are worth showing)."""
    return {
        "runs": rounded(samples, digits),
        "p50": round(percentile(samples, 50), digits),
        "max": round(max(samples), digits),
    }


def time_ms(function: Callable[[], Any]) -> float:
    started = time.perf_counter_ns()
    function()
    return (time.perf_counter_ns() - started) / 1e6


def sample(function: Callable[[], Any], n: int, *, warmup: int = 5) -> list[float]:
    """Milliseconds of ``n`` calls, after ``warmup`` calls that are not counted."""
    for _ in range(warmup):
        function()
    return [time_ms(function) for _ in range(n)]


def paired(
    function: Callable[[], Any], floor: Callable[[], Any], n: int, *, warmup: int = 5
) -> tuple[list[float], list[float]]:
    """Sample a function and its floor alternately (which goes first alternates too)."""
    for _ in range(warmup):
        function()
        floor()
    values: list[float] = []
    floors: list[float] = []
    for i in range(n):
        if i % 2:
            floors.append(time_ms(floor))
            values.append(time_ms(function))
        else:
            values.append(time_ms(function))
            floors.append(time_ms(floor))
    return values, floors


# ------------------------------------------------------------------------------------------- bare SQLite


def bare_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection set up with the same PRAGMAs as CaseApp's engine (caseapp/store/engine.py)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=10)
    connection.execute("PRAGMA busy_timeout = 10000")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


Statement = tuple[str, Any]


@contextlib.contextmanager
def capturing(engine: Engine) -> Iterator[list[Statement]]:
    """Record every SQL statement (with its driver-level parameters) the engine sends while the block runs."""
    statements: list[Statement] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


HEX_ID = re.compile(r"^[0-9a-f]{32}$")
INSERT_COLUMNS = re.compile(r"^\s*INSERT INTO \w+ \(([^)]*)\) VALUES", re.IGNORECASE)
SEQUENCE_COLUMNS = frozenset({"seq"})  # unique counters (the audit chain's position): moved out of the way


class SqlReplay:
    """The "same SQL" floor: replay the statements a service sent, on a bare sqlite3 connection, fetching every
    row. What the service costs above this is Python (ORM, type conversion, read models); what this costs is
    SQLite itself (the schema, the indexes, the query plans, and for writes the commit).

    For a write, identifiers the service invented (not in ``keep``) are replaced by fresh ones on every replay,
    unique counters are moved far past the real ones, and the transaction is committed. The replayed rows stay
    in the working copy, so write replays run after the measurement they are the floor of.
    """

    def __init__(
        self, path: Path, statements: Sequence[Statement], *, write: bool = False, keep: frozenset[str] = frozenset()
    ) -> None:
        self.connection = bare_connection(path)
        self.statements = [(sql, params) for sql, params in statements if not sql.lstrip().upper().startswith("PRAGMA")]
        self.write = write
        self.keep = keep
        self.replays = 0

    def _renewed(self) -> list[Statement]:
        fresh: dict[str, str] = {}
        self.replays += 1

        def renew(value: Any, column: str | None) -> Any:
            if column in SEQUENCE_COLUMNS and isinstance(value, int):
                return value + 10**12 + self.replays
            if isinstance(value, str) and HEX_ID.match(value) and value not in self.keep:
                return fresh.setdefault(value, uuid.uuid4().hex)
            return value

        renewed: list[Statement] = []
        for sql, params in self.statements:
            if params:
                match = INSERT_COLUMNS.match(sql)
                columns = [c.strip() for c in match.group(1).split(",")] if match else []
                names = columns if len(columns) == len(params) else [None] * len(params)
                params = tuple(renew(value, name) for value, name in zip(params, names, strict=True))
            renewed.append((sql, params))
        return renewed

    def __call__(self) -> None:
        statements = self._renewed() if self.write else self.statements
        connection = self.connection
        for sql, params in statements:
            connection.execute(sql, params or ()).fetchall()
        if connection.in_transaction:
            connection.execute("COMMIT" if self.write else "ROLLBACK")

    def close(self) -> None:
        self.connection.close()
