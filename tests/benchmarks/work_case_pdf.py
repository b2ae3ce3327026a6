"""The whole case as one PDF, measured: ``caseapp case-pdf CASE -o FILE`` of a 1,000-exhibit case whose exhibits are
PDF files totalling ~300 MB (100 exhibits, ~30 MB in --quick), in a fresh process.

- ``case_pdf``: the command's wall time. Floor: ``qpdf --empty --pages <the same files> -- out.pdf`` in a fresh
  process — qpdf (C++) merging the same exhibit files, nothing else: the least a merge must do (read every file, write
  every page). The command also hashes every file again, lays out the summary of 1,000 exhibits, the bordereau and
  the table of contents (ReportLab), stamps every page and writes the bookmarks. Target ≤ 2× the floor, enforced in
  full runs (in --quick, the interpreter's start and the case file's opening outweigh 30 MB: information).
- ``case_pdf_memory``: the command's peak resident memory (VmHWM, its own process), target < 300 MB: the exhibits'
  big streams stay in their files until the PDF is written (``caseapp.reports.case_pdf``), so it does not grow with
  the exhibits' size.

Each run is checked: exit code 0, every exhibit included, the page count of the output. The command's bytecode is
cached as an installed application's is (a scratch folder, filled by the warm-up).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.app_launch import scratch_pycache
from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import Measurement, Target, percentile, rounded, spread
from tests.benchmarks.work_bundles import MB, CliRun, run_cli

NOISE_SIZES = [(240 + 28 * k, 340 + 40 * k) for k in range(12)]  # grayscale "scans", ~40-250 KB as JPEG


@dataclass
class PdfCase:
    """A case whose exhibits are PDF files (scanned pages: a noise JPEG each, and a line of text)."""

    case_id: uuid.UUID
    scratch: Path
    stored: list[Path]  # the exhibits' files in the evidence store, in number order
    pages: int  # pages of the exhibits
    bytes: int
    setup_seconds: float

    @property
    def megabytes(self) -> float:
        return self.bytes / MB


_CASES: dict[Path, PdfCase] = {}


def _scans(folder: Path, rng: random.Random) -> list[Path]:
    from PIL import Image

    made = []
    for index, (width, height) in enumerate(NOISE_SIZES):
        path = folder / f"scan-{index}.jpg"
        pixels = bytes(rng.getrandbits(8) for _ in range(width * height))
        Image.frombytes("L", (width, height), pixels).save(path, "JPEG", quality=75)
        made.append(path)
    return made


def _exhibit_pdf(path: Path, number: int, target: int, scans: list[Path], rng: random.Random) -> int:
    """A PDF of scanned pages (~``target`` bytes); returns its page count."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # images as they are (ReportLab's ASCII85 is pure Python)
    canvas = Canvas(str(path), pagesize=A4)
    size = pages = 0
    chosen = rng.sample(scans, len(scans))
    while pages == 0 or (size < target and pages < len(chosen)):
        scan = chosen[pages]
        canvas.drawImage(str(scan), 40, 90, 515, 700)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(40, 60, f"Pièce n° {number} — feuillet {pages + 1} (document numérisé)")
        canvas.showPage()
        size += scan.stat().st_size
        pages += 1
    canvas.save()
    return pages


def pdf_case(ctx: Context) -> PdfCase:
    """Make (once per working copy) the case: 1,000 exhibits (100 in --quick), ~300 MB of PDF files (~30 MB),
    taken in with ``add_evidence_file`` as the app does."""
    key = ctx.data_dir.resolve()
    if key in _CASES:
        return _CASES[key]
    from caseapp.services import cases, evidence

    core = ctx.core()
    scratch = Path(tempfile.mkdtemp(prefix="caseapp-bench-casepdf-"))
    atexit.register(shutil.rmtree, scratch, True)
    rng = random.Random(1901249)
    count = ctx.count(1000, 100)
    total = ctx.count(300, 30) * MB
    case = cases.create_case(
        core,
        title="Association La Quadrature du Net c/ Ville de Marseille — dossier numérisé",
        court="Tribunal administratif de Marseille",
        court_number="2600002",
        procedure="exces_de_pouvoir",
    )
    sources = scratch / "sources"
    sources.mkdir()
    scans = _scans(scratch, rng)
    started = time.perf_counter()
    stored: list[Path] = []
    pages = size = 0
    for number in range(1, count + 1):
        path = sources / f"piece-{number:04d}.pdf"
        left = total - size
        pages += _exhibit_pdf(path, number, int(left / (count - number + 1) * rng.uniform(0.4, 1.6)), scans, rng)
        size += path.stat().st_size
        item = evidence.add_evidence_file(
            core,
            case.id,
            path,
            title=f"Procès-verbal de constat n° {number} (numérisé)",
            document_date=date(2024, 3, 1) + timedelta(days=number % 700),
        )
        path.unlink()
        assert item.file is not None
        stored.append(core.db.files.path_for(item.file.sha256))
    prepared = PdfCase(case.id, scratch, stored, pages, size, time.perf_counter() - started)
    _CASES[key] = prepared
    return prepared


def qpdf_merge(files: list[Path], target: Path) -> float:
    """Seconds of ``qpdf --empty --pages FILES -- TARGET`` in a fresh process (the floor)."""
    started = time.perf_counter_ns()
    command = ["qpdf", "--empty", "--pages", *map(str, files), "--", str(target)]
    subprocess.run(command, check=True, capture_output=True, timeout=900)
    return (time.perf_counter_ns() - started) / 1e9


def _pages(path: Path) -> int:
    result = subprocess.run(["qpdf", "--show-npages", str(path)], check=True, capture_output=True, text=True)
    return int(result.stdout.strip())


@contextlib.contextmanager
def _installed() -> Iterator[None]:
    """Children that cache their bytecode, as an installed application does (``app_launch.scratch_pycache``), even
    where ``PYTHONDONTWRITEBYTECODE`` is set: otherwise every run compiles pypdf, ReportLab and CaseApp again."""
    saved = {name: os.environ.get(name) for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(scratch_pycache())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _make(ctx: Context, prepared: PdfCase, target: Path) -> tuple[CliRun, int]:
    """``caseapp case-pdf CASE -o FILE``, checked: exit code 0, no exhibit left out, every exhibit page in it."""
    with _installed():
        run = run_cli(["case-pdf", str(prepared.case_id), "-o", str(target)], ctx.data_dir)
    if run.code != 0 or not target.is_file() or "Not included" in run.output or "Non incluse" in run.output:
        raise RuntimeError(f"case-pdf did not write the whole case ({run.code}): {run.output[-2000:]}")
    pages = _pages(target)
    if pages <= prepared.pages:
        raise RuntimeError(f"the PDF has {pages} pages for {prepared.pages} pages of exhibits")
    return run, pages


@benchmark("case_pdf", writes=True)
def case_pdf(ctx: Context) -> list[Measurement]:
    """caseapp case-pdf of a 1,000-exhibit case (~300 MB of PDF files) in a fresh process vs qpdf merging the files.

    One warm-up of each first (the files in the page cache for both); then the command and the floor alternate
    (which goes first alternates too), each command run checked.
    """
    if shutil.which("qpdf") is None:
        raise RuntimeError("qpdf is not installed (the floor)")
    prepared = pdf_case(ctx)
    target = prepared.scratch / "dossier.pdf"
    floor_target = prepared.scratch / "qpdf.pdf"
    warmup, pages = _make(ctx, prepared, target)
    qpdf_merge(prepared.stored, floor_target)
    if _pages(floor_target) != prepared.pages:
        raise RuntimeError("qpdf did not merge every page")
    runs: list[CliRun] = []
    floors: list[float] = []
    for i in range(ctx.count(3, 2)):
        target.unlink()
        if i % 2:
            floors.append(qpdf_merge(prepared.stored, floor_target))
            runs.append(_make(ctx, prepared, target)[0])
        else:
            runs.append(_make(ctx, prepared, target)[0])
            floors.append(qpdf_merge(prepared.stored, floor_target))
    output_mb = target.stat().st_size / MB
    target.unlink()
    floor_target.unlink()
    values = [run.seconds for run in runs]
    peaks = [run.peak_mb for run in runs]
    value, floor = percentile(values, 50), percentile(floors, 50)
    details = {
        "value_seconds": spread(values),
        "floor_seconds": spread(floors),
        "in_process_seconds": spread([run.in_process_seconds for run in runs]),
        "warmup_seconds": round(warmup.seconds, 2),
        "exhibits": {"files": len(prepared.stored), "megabytes": round(prepared.megabytes, 1), "pages": prepared.pages},
        "output": {"pages": pages, "megabytes": round(output_mb, 1)},
        "throughput_mb_s": round(prepared.megabytes / value, 1),
        "qpdf_throughput_mb_s": round(prepared.megabytes / floor, 1),
        "files_setup_seconds": round(prepared.setup_seconds, 2),
    }
    return [
        Measurement(
            "case_pdf",
            value,
            unit="s",
            stat="p50",
            floor=floor,
            floor_what="qpdf --empty --pages over the same files, fresh process",
            target=Target(2.0, on="ratio", info=ctx.quick),
            details=details,
        ),
        Measurement(
            "case_pdf_memory",
            max(peaks),
            unit="MB",
            stat="peak",
            target=Target(300),
            details={
                "peak_rss_mb": rounded(peaks, 1),
                "exhibits_megabytes": round(prepared.megabytes, 1),
                "note": "VmHWM of the command's own process (interpreter and imports included)",
            },
        ),
    ]
