"""Run the measurements, print the table, and keep the figures in results.json.

uv run python -m tests.benchmarks [--quick] [--only NAME,...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# (importing these registers the measurements: the core's reads and writes; documents, bundles and deadline
# recomputation; the desktop application)
from tests.benchmarks import app_launch as _app_launch  # noqa: F401
from tests.benchmarks import app_session as _app_session  # noqa: F401
from tests.benchmarks import generate
from tests.benchmarks import measurements as _measurements  # noqa: F401
from tests.benchmarks import postgresql as _postgresql
from tests.benchmarks import work_bundles as _work_bundles  # noqa: F401
from tests.benchmarks import work_case_pdf as _work_case_pdf  # noqa: F401
from tests.benchmarks import work_cli as _work_cli  # noqa: F401
from tests.benchmarks import work_documents as _work_documents  # noqa: F401
from tests.benchmarks import work_merge as _work_merge  # noqa: F401
from tests.benchmarks.registry import REGISTRY, Benchmark, Context
from tests.benchmarks.timing import Measurement

RESULTS = Path(__file__).resolve().parent / "results.json"


def machine() -> dict[str, Any]:
    import sqlalchemy

    cpu = platform.processor() or ""
    memory_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_mb = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_mb": memory_mb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _format_value(value: float | None, unit: str, stat: str = "") -> str:
    if value is None or math.isnan(value):
        return "—"
    number = f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"
    return f"{stat} {number} {unit}".strip()


def table(results: Sequence[Measurement]) -> str:
    rows = [("measurement", "value", "floor", "ratio", "target", "result")]
    for m in results:
        if m.error is not None:
            rows.append((m.name, "error", "—", "—", "—", "ERROR"))
            continue
        result = "—" if m.passed is None else ("pass" if m.passed else "FAIL")
        if m.target is not None and m.target.info and m.passed is not None:
            result = f"{result} (info)"
        rows.append(
            (
                m.name,
                _format_value(m.value, m.unit, m.stat),
                _format_value(m.floor, m.unit, m.stat),
                f"{m.ratio:.1f}×" if m.ratio is not None else "—",
                m.target.describe(m.stat, m.unit).replace(" (info)", "") if m.target else "info",
                result,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def run_one(bench: Benchmark, ctx: Context) -> list[Measurement]:
    started = time.perf_counter()
    try:
        produced = bench.function(ctx)
    except Exception as exc:
        traceback.print_exc()
        return [Measurement(bench.name, math.nan, error=f"{type(exc).__name__}: {exc}")]
    results = produced if isinstance(produced, list) else [produced]
    for result in results:
        result.details.setdefault("seconds", round(time.perf_counter() - started, 1))
    return results


def save(path: Path, mode: str, run: dict[str, Any], results: Sequence[Measurement], partial: bool) -> None:
    """Keep the latest run of each mode (quick, full…); a partial run (--only) updates its measurements only."""
    try:
        saved = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        saved = {}
    previous = saved.get(mode, {}) if partial else {}
    measured = dict(previous.get("measurements", {}))
    for m in results:
        measured[m.name] = m.as_json() | {"measured_at": run["measured_at"]}
    saved[mode] = run | {"measurements": measured}
    path.write_text(json.dumps(saved, indent=2, ensure_ascii=False) + "\n")


# How cost grows (issue 18): from 10,000 to 50,000 cases these must not grow more than 1.5×; recomputation at most
# linearly (its ratio no more than the ratio of the sizes).
GROWTH_LIMITS: dict[str, float | None] = {
    "case_list_status_filter": 1.5,
    "search_fts": 1.5,
    "open_case": 1.5,
    "add_hearing_note": 1.5,
    "deadline_recompute": None,  # None: the ratio of the sizes (linear)
}
SIZES_DEFAULT = ",".join(GROWTH_LIMITS) + ",agenda"


def growth(by_size: dict[int, list[Measurement]]) -> tuple[str, list[str], dict[str, Any]]:
    """The table of each measurement's value at each size and its growth from one size to the next; the growth
    targets judged between the two largest sizes of 10,000 cases and more."""
    sizes = sorted(by_size)
    names: list[str] = []
    for size in sizes:
        names += [m.name for m in by_size[size] if m.name not in names]
    header = ["measurement", *(f"{size:,} cases" for size in sizes)]
    header += [f"×{b // a if b % a == 0 else round(b / a, 1)} cases" for a, b in itertools.pairwise(sizes)]
    header += ["growth target", "result"]
    rows = [header]
    missed: list[str] = []
    saved: dict[str, Any] = {}
    big = [size for size in sizes if size >= 10_000][-2:]
    for name in names:
        found = {size: next((m for m in by_size[size] if m.name == name), None) for size in sizes}
        values = {size: m.value for size, m in found.items() if m is not None and m.error is None}
        cells = [name]
        for size in sizes:
            m = found[size]
            cells.append(_format_value(values.get(size), m.unit if m else "", m.stat if m else ""))
        ratios = []
        for a, b in itertools.pairwise(sizes):
            ratio = values[b] / values[a] if a in values and b in values and values[a] > 0 else None
            ratios.append(ratio)
            cells.append(f"{ratio:.2f}×" if ratio is not None else "—")
        target = "—"
        result = "—"
        if name in GROWTH_LIMITS and len(big) == 2 and all(size in values for size in big):
            limit = GROWTH_LIMITS[name] or big[1] / big[0]
            grown = values[big[1]] / values[big[0]]
            target = f"≤ {limit:g}× from {big[0]:,} to {big[1]:,}"
            result = "pass" if grown <= limit else "FAIL"
            if grown > limit:
                missed.append(name)
            saved[name] = {"values": {str(k): round(v, 3) for k, v in values.items()}, "growth": round(grown, 3)}
        cells += [target, result]
        rows.append(tuple(cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines), missed, saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description="CaseApp benchmarks.")
    parser.add_argument("--quick", action="store_true", help=f"{generate.QUICK_SIZE} cases, fewer samples (< 2 min)")
    parser.add_argument("--only", help="comma-separated measurement names (see --list)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--size", type=int, help=f"number of cases (default {generate.DEFAULT_SIZE})")
    parser.add_argument("--files-bytes", type=int, default=0, help="bytes of evidence files in the large case")
    parser.add_argument("--workers", type=int, help="generator processes")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached database")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file (default %(default)s)")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when an enforced target is missed")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    parser.add_argument(
        "--sizes",
        help="comma-separated numbers of cases (e.g. 1000,10000,50000): run at each size and print how each "
        f"measurement grows (default measurements: {SIZES_DEFAULT})",
    )
    parser.add_argument(
        "--pg", metavar="URL", help="also measure on this PostgreSQL server (a database is created on it and dropped)"
    )
    args = parser.parse_args(argv)
    if args.pg:
        os.environ[_postgresql.PG_URL_ENV] = args.pg

    if args.list:
        for bench in REGISTRY.values():
            print(f"{bench.name:28} {'writes' if bench.writes else 'reads ':6}  {bench.description}")
        return 0
    selected = [bench for bench in REGISTRY.values() if args.pg or not bench.name.startswith("pg_")]
    if args.sizes and not args.only:
        args.only = SIZES_DEFAULT
    if args.only:
        names = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in names if name not in REGISTRY]
        if unknown:
            parser.error(f"unknown measurement(s): {', '.join(unknown)} (see --list)")
        selected = [REGISTRY[name] for name in names]
    selected.sort(key=lambda bench: bench.writes)  # reads first, on the database as generated

    if args.sizes:
        sizes = sorted({int(part) for part in args.sizes.split(",") if part.strip()})
        by_size: dict[int, list[Measurement]] = {}
        missed_any = False
        for size in sizes:
            print(f"\n=== {size:,} cases", file=sys.stderr)
            results, missed = run_size(args, parser, selected, size)
            by_size[size] = results
            missed_any = missed_any or bool(missed)
        text, grown_too_much, saved = growth(by_size)
        print("\nHow each measurement grows with the number of cases:\n")
        print(text)
        _save_growth(args.output, sizes, saved)
        if grown_too_much:
            print(f"grew too much: {', '.join(grown_too_much)}", file=sys.stderr)
        return 1 if (missed_any or grown_too_much) and args.strict else 0
    size = args.size or (generate.QUICK_SIZE if args.quick else generate.DEFAULT_SIZE)
    _results, missed = run_size(args, parser, selected, size)
    return 1 if missed and args.strict else 0


def _save_growth(path: Path, sizes: list[int], saved: dict[str, Any]) -> None:
    try:
        stored = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        stored = {}
    stored["growth"] = {
        "sizes": sizes,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "limits": GROWTH_LIMITS,
        "measurements": saved,
    }
    path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n")


def run_size(
    args: argparse.Namespace, parser: argparse.ArgumentParser, selected: list[Benchmark], size: int
) -> tuple[list[Measurement], list[str]]:
    """Run the selected measurements on a working copy of the ``size``-case database; print and save the table."""
    mode = "quick" if args.quick and not args.size else "full" if size == generate.DEFAULT_SIZE else f"size-{size}"
    if args.sizes:  # --sizes --quick: each size with the quick sample counts
        mode = f"size-{size}" + ("-quick" if args.quick else "")
    if args.files_bytes:
        mode += f"-files{args.files_bytes}"
    started = time.perf_counter()
    cache_folder, manifest, origin = generate.cached_database(
        size, files_bytes=args.files_bytes, regenerate=args.regenerate, workers=args.workers
    )
    print(
        f"database: {size} cases, {manifest['counts']['hearing_notes']} notes, {manifest['counts']['evidence']} "
        f"exhibits, schema {manifest['schema_revision']} — {origin} in {cache_folder} "
        f"(generation took {manifest['generation_seconds']:.0f} s)",
        file=sys.stderr,
    )
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: the folder is not empty")
        work = args.keep
    else:
        work = Path(tempfile.mkdtemp(prefix="caseapp-bench-"))
    generate.working_copy(cache_folder, work)
    info = machine()
    code_commit = generate.git_commit()
    print(
        f"machine: {info['cpu']}, {info['usable_cores']}/{info['cores']} cores, Python {info['python']}, "
        f"SQLite {info['sqlite']}, load {info['load_average']}",
        file=sys.stderr,
    )
    ctx = Context(data_dir=work, manifest=manifest, quick=args.quick)
    results: list[Measurement] = []
    try:
        for bench in selected:
            print(f"… {bench.name}", file=sys.stderr, flush=True)
            results += run_one(bench, ctx)
    finally:
        ctx.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    run = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "caseapp_commit": code_commit,
        "machine": info | {"load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "database": {
            "cases": size,
            "files_bytes": args.files_bytes,
            "origin": origin,
            "upgrades": manifest.get("upgrades", []),
            "generation_seconds": manifest["generation_seconds"],
            "schema_revision": manifest["schema_revision"],
            "generated_with_commit": manifest.get("caseapp_commit"),
            "counts": manifest["counts"],
            "database_bytes": manifest.get("database_bytes"),
        },
        "run_seconds": round(time.perf_counter() - started, 1),
    }
    save(args.output, mode, run, results, partial=bool(args.only))
    print(f"\n{len(results)} measurement(s) in {run['run_seconds']:.0f} s; results in {args.output}", file=sys.stderr)
    missed = [m.name for m in results if m.passed is False and (m.error or (m.target and not m.target.info))]
    if missed:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
    return results, missed
