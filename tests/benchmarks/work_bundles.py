"""Case bundles measured: ``caseapp export`` and ``caseapp import`` of a case with real evidence files.

- ``bundle_export`` / ``bundle_import``: each command in a fresh process. Floor: ``sha256sum`` over the same
  evidence files in a fresh process (the least any export or import must do: read every byte and hash it).
  Target ≤ 1.5× floor (issue 18), i.e. at least two thirds of sha256sum's throughput — enforced in full runs
  only: the few megabytes of a --quick run take less time than a command's start (interpreter, imports, the case
  file, the summary PDF the bundle carries), so the quick ratio says little about throughput and is information.
  Their peak memory is reported as ``bundle_export_memory`` / ``bundle_import_memory``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.benchmarks.app_launch import scratch_pycache
from tests.benchmarks.registry import AUTHOR, Context, benchmark
from tests.benchmarks.timing import (
    Measurement,
    Target,
    bare_connection,
    percentile,
    rounded,
    spread,
)

# ------------------------------------------------------------------------------------------------ bundles

MB = 1_000_000
MARK = "@caseapp-bench "
# The real command line, run in-process by a fresh interpreter so that the process can say its own peak memory
# at the end. That is VmHWM (the high-water mark of the process's own memory since it started): ru_maxrss is
# not, on Linux, because a child started with fork or vfork inherits its parent's maximum (measured here: a
# 13 MB child of a 500 MB parent reports 513 MB), so it would report the benchmark runner's size.
CLI = textwrap.dedent(
    f"""
    import json, resource, sys, time
    started = time.perf_counter_ns()
    from caseapp.cli import main
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    elapsed = time.perf_counter_ns() - started
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = maxrss // 1024 if sys.platform == "darwin" else maxrss
    facts = {{"code": code, "peak_kb": peak, "maxrss_kb": maxrss, "in_process_ms": elapsed / 1e6}}
    print()
    print({MARK!r} + json.dumps(facts), flush=True)
    """
)


@dataclass(frozen=True)
class CliRun:
    seconds: float  # wall time of the whole process, seen from here
    code: int
    peak_mb: float  # the process's own peak resident set (VmHWM)
    maxrss_mb: float  # what ru_maxrss says (inherited from the parent: not the figure)
    in_process_seconds: float  # from before ``import caseapp.cli`` to the end of the command
    output: str


def run_cli(args: Sequence[str], data_dir: Path) -> CliRun:
    """``caseapp ARGS`` in a fresh process on ``data_dir``, never prompting (stdin is not a terminal), with no
    system keyring (nothing signs; bundle keys are not touched)."""
    env = {
        **os.environ,
        "CASEAPP_DATA_DIR": str(data_dir),
        "CASEAPP_AUTHOR": AUTHOR,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        # Compiled bytecode cached, as an installed application has it, even where the shell says not to write
        # any: without it each command compiled every module it imports (~1.9 s of a 3.5 s export of 300 MB).
        "PYTHONPYCACHEPREFIX": str(scratch_pycache()),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CASEAPP_DB_URL", None)
    started = time.perf_counter_ns()
    result = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=900,
    )
    seconds = (time.perf_counter_ns() - started) / 1e9
    marked = [line for line in result.stdout.splitlines() if line.startswith(MARK)]
    if result.returncode != 0 or not marked:
        raise RuntimeError(f"caseapp {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    facts = json.loads(marked[-1][len(MARK) :])
    return CliRun(
        seconds=seconds,
        code=int(facts["code"]),
        peak_mb=facts["peak_kb"] / 1024,
        maxrss_mb=facts["maxrss_kb"] / 1024,
        in_process_seconds=facts["in_process_ms"] / 1000,
        output=result.stdout + result.stderr,
    )


def _hash_files(command: Sequence[str], paths: Sequence[Path], check: bool) -> float:
    started = time.perf_counter_ns()
    result = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True, check=True, timeout=900)
    seconds = (time.perf_counter_ns() - started) / 1e9
    if check:  # the digests printed must be the files' names (the store names a file by its SHA-256)
        for line, path in zip(result.stdout.splitlines(), paths, strict=True):
            if line.split()[0] != path.name:
                raise RuntimeError(f"{command[0]} gives {line.split()[0]} for {path}")
    return seconds


def sha256sum(paths: Sequence[Path], *, check: bool = False) -> float:
    """Seconds of ``sha256sum`` over ``paths`` in a fresh process: the floor (read every byte, hash it)."""
    return _hash_files(["sha256sum", "--"], paths, check)


def openssl_sha256(paths: Sequence[Path], *, check: bool = False) -> float | None:
    """Seconds of ``openssl dgst -sha256`` over ``paths`` (information: the same SHA-256 code Python's hashlib
    uses, which on CPUs with SHA instructions is several times faster than coreutils' sha256sum)."""
    if shutil.which("openssl") is None:
        return None
    return _hash_files(["openssl", "dgst", "-sha256", "-r"], paths, check)


@dataclass
class BundleCase:
    """One new case of the working copy whose exhibits carry real files, shared by the bundle measurements."""

    case_id: uuid.UUID
    scratch: Path  # bundles and import folders go here (removed at the end)
    stored: list[Path]  # the files in the evidence store
    bytes: int
    setup_seconds: float  # writing the random files and taking them in

    @property
    def megabytes(self) -> float:
        return self.bytes / MB


_BUNDLE_CASES: dict[Path, BundleCase] = {}


def bundle_case(ctx: Context) -> BundleCase:
    """Make (once per working copy) a case with ~300 MB of evidence files (~40 MB in --quick), 0.2–8 MB each,
    random bytes written in a scratch folder and taken in with ``add_evidence_file`` as the app does."""
    key = ctx.data_dir.resolve()
    if key in _BUNDLE_CASES:
        return _BUNDLE_CASES[key]
    from caseapp.services import cases, evidence

    core = ctx.core()
    scratch = Path(tempfile.mkdtemp(prefix="caseapp-bench-bundle-"))
    atexit.register(shutil.rmtree, scratch, True)
    rng = random.Random(1901249)
    total = ctx.count(300, 40) * MB
    sizes: list[int] = []
    while total - sum(sizes) >= 200_000:
        sizes.append(min(total - sum(sizes), rng.randint(200_000, 8_000_000)))
    case = cases.create_case(
        core,
        title="Association La Quadrature du Net c/ Ville de Marseille — pièces numérisées",
        court="Tribunal administratif de Marseille",
        court_number="2600001",
        procedure="exces_de_pouvoir",
    )
    sources = scratch / "sources"
    sources.mkdir()
    started = time.perf_counter()
    stored: list[Path] = []
    for number, size in enumerate(sizes, start=1):
        path = sources / f"piece-{number:03d}.pdf"
        with path.open("wb") as out:
            for offset in range(0, size, 1 << 20):
                out.write(os.urandom(min(1 << 20, size - offset)))
        item = evidence.add_evidence_file(
            core,
            case.id,
            path,
            title=f"Pièce n° {number} — procès-verbal numérisé",
            document_date=date(2025, 3, 1) + timedelta(days=number),
        )
        path.unlink()
        assert item.file is not None
        stored.append(core.db.files.path_for(item.file.sha256))
    prepared = BundleCase(case.id, scratch, stored, sum(sizes), time.perf_counter() - started)
    _BUNDLE_CASES[key] = prepared
    return prepared


def _bundle_files(bundle: Path) -> int:
    with zipfile.ZipFile(bundle) as archive:
        return sum(1 for name in archive.namelist() if "/data/evidence/" in f"/{name}")


def _export(ctx: Context, prepared: BundleCase, target: Path) -> CliRun:
    """``caseapp export CASE -o FILE --no-sign``, checked: exit code 0 and every file in the bundle."""
    run = run_cli(["export", str(prepared.case_id), "-o", str(target), "--no-sign"], ctx.data_dir)
    if run.code != 0 or not target.is_file() or target.stat().st_size < prepared.bytes:
        raise RuntimeError(f"the export did not write the bundle ({run.code}): {run.output[-2000:]}")
    if (files := _bundle_files(target)) != len(prepared.stored):
        raise RuntimeError(f"the bundle holds {files} evidence files, the case {len(prepared.stored)}")
    return run


def _stale_markers(data_dir: Path) -> int:
    """Open-process markers left in ``run/`` by processes that are gone (the next open takes them for crashes)."""
    stale = 0
    for marker in (data_dir / "run").glob("*.open"):
        try:
            os.kill(int(marker.stem.split("-")[0]), 0)
        except ProcessLookupError:
            stale += 1
        except (ValueError, PermissionError):
            pass
    return stale


@dataclass
class Alternated:
    """The command's runs and its floors, sampled alternately (which goes first alternates too)."""

    runs: list[CliRun]
    sha256sum: list[float]
    openssl: list[float]


def alternate(n: int, command: Callable[[int], CliRun], files: Sequence[Path]) -> Alternated:
    """Run ``command(i)`` and the floors over ``files`` ``n`` times each, alternately. The first of everything
    (the warm-up) has already been run, so every byte is equally in the page cache for all of them."""
    result = Alternated([], [], [])

    def floors() -> None:
        result.sha256sum.append(sha256sum(files))
        if (seconds := openssl_sha256(files)) is not None:
            result.openssl.append(seconds)

    for i in range(n):
        if i % 2:
            floors()
            result.runs.append(command(i))
        else:
            result.runs.append(command(i))
            floors()
    return result


def warm_up_floors(files: Sequence[Path]) -> None:
    sha256sum(files, check=True)
    openssl_sha256(files, check=True)


def _bundle_measurements(
    name: str, prepared: BundleCase, sampled: Alternated, extra: dict[str, Any], *, quick: bool
) -> list[Measurement]:
    """The command's time against sha256sum's (enforced in full runs only, see the module's docstring) and its
    peak memory."""
    values = [run.seconds for run in sampled.runs]
    value, floor = percentile(values, 50), percentile(sampled.sha256sum, 50)
    peaks = [run.peak_mb for run in sampled.runs]
    details: dict[str, Any] = {
        "value_seconds": spread(values),
        "floor_seconds": spread(sampled.sha256sum),
        "in_process_seconds": spread([run.in_process_seconds for run in sampled.runs]),
        "evidence": {"files": len(prepared.stored), "megabytes": round(prepared.megabytes, 1)},
        "throughput_mb_s": round(prepared.megabytes / value, 1),
        "sha256sum_throughput_mb_s": round(prepared.megabytes / floor, 1),
        "peak_rss_mb": rounded(peaks, 1),
    }
    if sampled.openssl:
        openssl = percentile(sampled.openssl, 50)
        details["openssl_sha256"] = {
            "seconds": spread(sampled.openssl),
            "throughput_mb_s": round(prepared.megabytes / openssl, 1),
            "ratio": round(value / openssl, 2),
            "note": "information: openssl dgst -sha256 in a fresh process, the SHA-256 code hashlib uses",
        }
    details |= extra
    return [
        Measurement(
            name,
            value,
            unit="s",
            stat="p50",
            floor=floor,
            floor_what="sha256sum over the same files, fresh process",
            target=Target(1.5, on="ratio", info=quick),
            details=details,
        ),
        Measurement(
            f"{name}_memory",
            max(peaks),
            unit="MB",
            stat="peak",
            target=Target(200, info=True),
            details={
                "peak_rss_mb": rounded(peaks, 1),
                "evidence_megabytes": round(prepared.megabytes, 1),
                "ru_maxrss_mb": rounded([run.maxrss_mb for run in sampled.runs], 1),
                "note": "VmHWM of the command's own process (interpreter and imports included); ru_maxrss is shown "
                "for comparison only: a child inherits its parent's maximum, so it says the runner's size",
            },
        ),
    ]


@benchmark("bundle_export", writes=True)
def bundle_export(ctx: Context) -> list[Measurement]:
    """caseapp export CASE -o FILE --no-sign in a fresh process (a case with ~300 MB of files) vs sha256sum.

    One warm-up of everything first (the export also takes the day's first-open backup of the database, as
    the app's first start of a day does; its time is reported apart). Then the export and the floors
    alternate, each export checked: exit code 0, every evidence file in the bundle. The value includes
    starting Python and opening the database; ``in_process_seconds`` is the command alone.
    """
    prepared = bundle_case(ctx)
    target = prepared.scratch / "export.casebundle"
    warmup = _export(ctx, prepared, target)
    warm_up_floors(prepared.stored)
    bundle_bytes = target.stat().st_size

    def export(_i: int) -> CliRun:
        target.unlink()
        return _export(ctx, prepared, target)

    sampled = alternate(ctx.count(3, 2), export, prepared.stored)
    target.unlink()
    return _bundle_measurements(
        "bundle_export",
        prepared,
        sampled,
        {
            "bundle_bytes": bundle_bytes,
            "warmup_seconds": round(warmup.seconds, 2),
            "files_setup_seconds": round(prepared.setup_seconds, 2),
            "stale_run_markers": _stale_markers(ctx.data_dir),
        },
        quick=ctx.quick,
    )


def _import(prepared: BundleCase, bundle: Path, data_dir: Path) -> CliRun:
    """``caseapp import FILE --yes --accept-unsigned`` into ``data_dir``, checked: exit code 0, the case and all
    its exhibits in the database, every file in the evidence store."""
    run = run_cli(["import", str(bundle), "--yes", "--accept-unsigned"], data_dir)
    if run.code != 0:
        raise RuntimeError(f"the import failed ({run.code}): {run.output[-2000:]}")
    with contextlib.closing(bare_connection(data_dir / "caseapp.sqlite3")) as connection:
        (found,) = connection.execute("SELECT count(*) FROM cases WHERE id = ?", (prepared.case_id.hex,)).fetchone()
        (exhibits,) = connection.execute(
            "SELECT count(*) FROM evidence WHERE case_id = ? AND file_id IS NOT NULL", (prepared.case_id.hex,)
        ).fetchone()
    files = [path for path in (data_dir / "evidence").glob("??/??/*") if path.is_file()]
    stored = sum(path.stat().st_size for path in files)
    if found != 1 or exhibits != len(prepared.stored) or len(files) != len(prepared.stored) or stored != prepared.bytes:
        raise RuntimeError(
            f"the import left case={found}, {exhibits} exhibits with a file, {len(files)} files ({stored} bytes) "
            f"for {len(prepared.stored)} files ({prepared.bytes} bytes): {run.output[-2000:]}"
        )
    return run


@benchmark("bundle_import", writes=True)
def bundle_import(ctx: Context) -> list[Measurement]:
    """caseapp import FILE --yes --accept-unsigned in a fresh process, into an empty data folder, vs sha256sum.

    The bundle is the case of ``bundle_export`` (~300 MB of files), exported once with the CLI. Each run
    imports it into a copy of an empty, initialised data folder (the database created at the current schema
    and its day's backup taken, as after a first start), and is checked: exit code 0, the case and every
    exhibit in the database, every file in the store. The warm-up imports into a folder that does not exist
    yet (creating the database: reported apart). The floors hash the evidence files in the store, the same
    bytes as the bundle's payload.
    """
    from caseapp.casefile.core import open_core

    prepared = bundle_case(ctx)
    bundle = prepared.scratch / "import.casebundle"
    _export(ctx, prepared, bundle)
    template = prepared.scratch / "empty-data"
    for _ in range(2):  # the first open creates the database, the second takes the day's backup
        open_core(data_dir=template, author=AUTHOR, daily_backup=True).close()
    warm = prepared.scratch / "import-warmup"
    warmup = _import(prepared, bundle, warm)
    shutil.rmtree(warm)
    warm_up_floors(prepared.stored)

    def import_once(i: int) -> CliRun:
        folder = prepared.scratch / f"import-{i}"
        shutil.copytree(template, folder)
        try:
            return _import(prepared, bundle, folder)
        finally:
            shutil.rmtree(folder)

    sampled = alternate(ctx.count(3, 2), import_once, prepared.stored)
    bundle_bytes = bundle.stat().st_size
    bundle.unlink()
    shutil.rmtree(template)
    return _bundle_measurements(
        "bundle_import",
        prepared,
        sampled,
        {
            "bundle_bytes": bundle_bytes,
            "into_new_folder_seconds": round(warmup.seconds, 2),
            "into_new_folder_peak_rss_mb": round(warmup.peak_mb, 1),
        },
        quick=ctx.quick,
    )
