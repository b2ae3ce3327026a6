"""Measurements of the work that takes seconds: recomputing every deadline, the case summary PDF, case bundles.

Each figure is a median over a few runs, sampled alternately with its floor (measured in the same run):

- ``deadline_recompute``: ``deadlines.recompute_all(core)`` over every case. Floor: the same SQL, i.e. the
  statements one recomputation sends, replayed with bare sqlite3 (timing.SqlReplay): what SQLite needs to hand
  over every event and deadline the rules read. Target < 2 s (the issue: "deadline recomputation for all cases").
- ``summary_pdf``: the case summary of the large case (``render_summary``, as ``caseapp summary`` calls it).
  Floor: a bare ReportLab document (platypus, the same DejaVu fonts embedded, A4) holding the same rows, the
  same strings taken from the same read model, laid out as plain tables and paragraphs. Target ≤ 1.5× floor.
- ``bundle_export`` / ``bundle_import``: ``caseapp export`` and ``caseapp import`` of a case with real evidence
  files, each in a fresh process. Floor: ``sha256sum`` over the same evidence files in a fresh process (the
  least any export or import must do: read every byte and hash it). Target ≤ 2× floor, i.e. at least half of
  sha256sum's throughput. Their peak memory is reported as ``bundle_export_memory`` / ``bundle_import_memory``.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import random
import re
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
from typing import TYPE_CHECKING, Any

from tests.benchmarks.registry import AUTHOR, Context, benchmark
from tests.benchmarks.timing import Measurement, Target, bare_connection, paired, percentile, summary, time_ms

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from caseapp.services.views import CaseDetail

SAME_SQL = "same SQL, bare sqlite3"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _seconds(samples_ms: Sequence[float]) -> list[float]:
    return [ms / 1000 for ms in samples_ms]


def _rounded(samples: Sequence[float], digits: int = 3) -> list[float]:
    return [round(x, digits) for x in samples]


def _spread(samples: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """Every run, the median and the max (a handful of runs: all of them are worth showing)."""
    return {
        "runs": _rounded(samples, digits),
        "p50": round(percentile(samples, 50), digits),
        "max": round(max(samples), digits),
    }


# ------------------------------------------------------------------------------------------ deadline_recompute


@benchmark("deadline_recompute", writes=True)
def deadline_recompute(ctx: Context) -> Measurement:
    """recompute_all(core): every computed deadline of every case, in one transaction (median seconds).

    The first call is the warm-up, reported apart (on a database made by an older version it also brings
    deadlines up to date). The timed calls recompute every deadline and find nothing to change; the memo of
    computed deadlines (``deadline_events._compute_cached``) is emptied before each, so every deadline is
    really computed again, as after an update of the rules. The floor replays the statements of one such call
    with bare sqlite3 (every row fetched): SQLite's share. As information: one call with the memo left warm,
    and one call after every computed deadline was moved by a day behind the app's back (bare SQL), so that
    all of them change, as after an update of the holidays that moves every deadline: each change is its own
    UPDATE and history event.
    """
    from caseapp.services import deadlines
    from caseapp.services.deadline_events import _compute_cached

    core = ctx.core()
    _compute_cached.cache_clear()
    started = time.perf_counter()
    first_changed = deadlines.recompute_all(core)
    first_seconds = time.perf_counter() - started
    changed: list[int] = []

    def call() -> None:
        _compute_cached.cache_clear()
        changed.append(deadlines.recompute_all(core))

    replay = ctx.same_sql(call)
    writes = sum(1 for sql, _params in replay.statements if WRITES.match(sql))
    # A steady-state recomputation writes nothing; if it did, replaying its writes would not be the same work.
    floor: Callable[[], Any] = replay if not writes else (lambda: None)
    floor()  # the call above warmed the value up; this warms the floor
    values_ms, floors_ms = paired(call, floor, ctx.count(5, 3), warmup=0)
    values = _seconds(values_ms)
    floors = _seconds(floors_ms) if not writes else []
    warm_memo = time_ms(lambda: changed.append(deadlines.recompute_all(core))) / 1000

    with contextlib.closing(bare_connection(ctx.db_path)) as connection:
        (computed,) = connection.execute("SELECT count(*) FROM deadlines WHERE rule_id IS NOT NULL").fetchone()
        (cases,) = connection.execute("SELECT count(*) FROM cases").fetchone()
        connection.execute(
            "UPDATE deadlines SET due_on = date(due_on, '+1 day') WHERE rule_id IS NOT NULL AND override_reason IS NULL"
        )
        (moved,) = connection.execute("SELECT changes()").fetchone()
    _compute_cached.cache_clear()
    started = time.perf_counter()
    moved_changed = deadlines.recompute_all(core)
    moved_seconds = time.perf_counter() - started
    details: dict[str, Any] = {
        "value_seconds": _spread(values),
        "cases": cases,
        "computed_deadlines": computed,
        "changed_per_call": sorted(set(changed)),
        "first_call": {"seconds": round(first_seconds, 3), "changed": first_changed},
        "memo_warm_seconds": round(warm_memo, 3),
        "all_moved": {"moved": moved, "seconds": round(moved_seconds, 3), "changed": moved_changed},
        "statements": len(replay.statements),
    }
    if writes:
        details["floor"] = f"none: a recomputation with nothing to change sent {writes} writing statements"
    else:
        details["floor_seconds"] = _spread(floors)
    return Measurement(
        "deadline_recompute",
        percentile(values, 50),
        unit="s",
        stat="p50",
        floor=percentile(floors, 50) if floors else None,
        floor_what=SAME_SQL if floors else None,
        target=Target(2),
        details=details,
    )


# ------------------------------------------------------------------------------------------------ summary_pdf

FLOOR_FONTS = {
    "BenchFloor-Sans": "DejaVuSans.ttf",
    "BenchFloor-Sans-Bold": "DejaVuSans-Bold.ttf",
    "BenchFloor-Sans-Oblique": "DejaVuSans-Oblique.ttf",
    "BenchFloor-Mono": "DejaVuSansMono.ttf",
}


@functools.cache
def _floor_fonts() -> None:
    """The summary's TTF files, registered under names of the floor's own (so each document embeds its own
    subsets, as the summary does)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from caseapp.resources import resource_path

    for name, file_name in FLOOR_FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
    pdfmetrics.registerFontFamily(
        "BenchFloor-Sans",
        normal="BenchFloor-Sans",
        bold="BenchFloor-Sans-Bold",
        italic="BenchFloor-Sans-Oblique",
        boldItalic="BenchFloor-Sans-Bold",
    )


@dataclass(frozen=True)
class FloorPdf:
    pages: int
    size: int
    rows: dict[str, int]


def floor_pdf(detail: CaseDetail, path: Path) -> FloorPdf:
    """The same content as the summary in a bare ReportLab document: SimpleDocTemplate on A4, the DejaVu fonts,
    plain paragraphs and plain tables (ReportLab's LongTable, header row repeated), no house style, no running
    header or footer, no page count, written straight to ``path``. Strings are built as the summary builds
    them (the same formatting helpers and the same shortening), from the same read model, inside the timing.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, PageBreak, Paragraph, SimpleDocTemplate, TableStyle

    from caseapp.domain.enums import (
        Authority,
        CaseStatus,
        FilingKind,
        HearingKind,
        HearingStatus,
        Outcome,
        PartyKind,
        PartyRole,
        Position,
        Procedure,
    )
    from caseapp.reports.formatting import (
        format_date,
        format_moment,
        format_size,
        format_time,
        label,
        markup,
        shorten,
        to_paris,
    )
    from caseapp.reports.parts import deadline_title

    _floor_fonts()
    lang = "fr"
    body = ParagraphStyle("floor-body", fontName="BenchFloor-Sans", fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("floor-cell", fontName="BenchFloor-Sans", fontSize=8.5, leading=10.5)
    heading = ParagraphStyle("floor-h", fontName="BenchFloor-Sans-Bold", fontSize=13, leading=17, spaceBefore=10)
    width = A4[0] - 40 * mm
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "BenchFloor-Sans", 8, 10.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey),
        ]
    )
    rows: dict[str, int] = {}

    def table(name: str, head: Sequence[str], data: list[list[Any]], widths: Sequence[float]) -> LongTable:
        rows[name] = len(data)
        header = [[Paragraph(h, cell) for h in head]] if head else []
        result = LongTable([*header, *data], colWidths=list(widths), repeatRows=len(header))
        result.setStyle(style)
        return result

    def para(text: str) -> Paragraph:
        return Paragraph(text, cell)

    story: list[Flowable] = [Paragraph(markup(shorten(detail.title, 2000)), heading)]
    facts = [
        ["Juridiction", para(markup(detail.court or "—"))],
        ["Numéro", para(markup(detail.court_number or "—"))],
        ["Procédure", para(markup(label(Procedure, detail.procedure, lang)))],
        ["Statut", para(markup(label(CaseStatus, detail.status, lang)))],
        ["Ouvert le", para(format_date(detail.opened_on, lang))],
    ]
    story.append(table("facts", [], facts, [42 * mm, width - 42 * mm]))
    parties = [
        [
            para(markup(label(PartyRole, p.role, lang))),
            para(markup(shorten(p.name, 300)) + "<br/>" + markup(label(PartyKind, p.kind, lang))),
            para(
                (markup(shorten(p.counsel, 300)) if p.counsel else "—")
                + ("<br/>" + markup(shorten(p.counsel_contact, 300)) if p.counsel_contact else "")
            ),
        ]
        for p in detail.parties
    ]
    story.append(table("parties", ["Qualité", "Partie", "Avocat"], parties, [30 * mm, 75 * mm, width - 105 * mm]))
    story.append(PageBreak())

    events: list[tuple[date | None, list[Any]]] = []
    for filing in detail.filings:
        bits = [f"<b>{markup(shorten(filing.title, 300))}</b>"] if filing.title else []
        if filing.party_name:
            bits.append(markup("par " + shorten(filing.party_name, 200)))
        if filing.reference:
            bits.append(markup(shorten(filing.reference, 120)))
        if filing.outcome:
            bits.append(markup("Issue : " + label(Outcome, filing.outcome, lang)))
        if filing.notified_on:
            bits.append(markup("notifiée le " + format_date(filing.notified_on, lang)))
        text = " — ".join(bits) or "—"
        if filing.summary:
            text += "<br/>" + markup(shorten(filing.summary, 600))
        events.append((filing.filed_on, [markup(label(FilingKind, filing.kind, lang)), text]))
    for hearing in detail.hearings:
        bits = [markup(format_time(hearing.starts_at, lang))]
        if hearing.room:
            bits.append(markup("salle " + shorten(hearing.room, 120)))
        bits.append(markup(label(HearingStatus, hearing.status, lang)))
        text = " — ".join(bits) + ("<br/>" + markup(shorten(hearing.outcome, 600)) if hearing.outcome else "")
        events.append((to_paris(hearing.starts_at).date(), [markup(label(HearingKind, hearing.kind, lang)), text]))
    for opinion in detail.opinions:
        text = f"<b>{markup(shorten(opinion.title, 300))}</b> — " + markup(
            "Position : " + label(Position, opinion.position, lang)
        )
        if opinion.summary:
            text += "<br/>" + markup(shorten(opinion.summary, 600))
        events.append((opinion.issued_on, ["Avis — " + markup(label(Authority, opinion.authority, lang)), text]))
    events.sort(key=lambda e: (e[0] is None, e[0] or date.min))
    story.append(Paragraph("Chronologie", heading))
    chronology = [[format_date(day, lang), para(kind), para(text)] for day, (kind, text) in events]
    story.append(table("events", ["Date", "Événement", "Détails"], chronology, [31 * mm, 38 * mm, width - 69 * mm]))

    story.append(Paragraph("Échéances en cours", heading))
    open_deadlines = sorted((d for d in detail.deadlines if d.status == "open"), key=lambda d: (d.due_on, d.title))
    due = [
        [
            para(format_date(d.due_on, lang)),
            para(
                f"<b>{markup(shorten(deadline_title(d, lang), 300))}</b><br/>"
                + markup(shorten(d.explanation_fr or d.explanation_en, 800))
            ),
            para(markup(shorten(d.legal_basis, 200)) or "—"),
        ]
        for d in open_deadlines
    ]
    story.append(table("deadlines", ["Échéance", "Délai", "Fondement"], due, [32 * mm, width - 77 * mm, 45 * mm]))

    story.append(Paragraph("Notes d'audience", heading))
    notes = 0
    for hearing in detail.hearings:
        if not hearing.notes:
            continue
        story.append(Paragraph(markup(format_moment(hearing.starts_at, lang)), heading))
        for note in sorted(hearing.notes, key=lambda n: n.at):
            notes += 1
            chunks = [markup(c.strip()) for c in re.split(r"\n\s*\n", note.text.strip()) if c.strip()] or [""]
            stamp = f"<b>{markup(format_time(note.at, lang))}</b> ({markup(shorten(note.author, 80))})"
            story.append(Paragraph(f"{stamp} — {chunks[0]}", body))
            story += [Paragraph(chunk, body) for chunk in chunks[1:]]
    rows["notes"] = notes

    story.append(Paragraph("Pièces", heading))
    exhibits: list[list[Any]] = []
    for item in sorted(detail.evidence, key=lambda e: e.number):
        what = f"<b>{markup(shorten(item.title, 300))}</b>"
        if item.description:
            what += "<br/>" + markup(shorten(item.description, 600))
        if item.source:
            what += "<br/>" + markup("Source : " + shorten(item.source, 300))
        if item.file is not None:
            sha = item.file.sha256
            where = (
                markup(shorten(item.file.original_name, 120))
                + "<br/>"
                + markup(format_size(item.file.size, lang))
                + f"<br/><font name='BenchFloor-Mono' size=6.5>{sha[:32]}<br/>{sha[32:]}</font>"
            )
        else:
            where = "pas de fichier"
        exhibits.append([str(item.number), para(what), format_date(item.document_date, lang), para(where)])
    story.append(
        table(
            "exhibits",
            ["N°", "Pièce", "Date", "Fichier et SHA-256"],
            exhibits,
            [12 * mm, 70 * mm, 31 * mm, width - 113 * mm],
        )
    )

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=24 * mm,
        bottomMargin=20 * mm,
        title=detail.title,
        initialFontName="BenchFloor-Sans",
    )
    doc.build(story)
    return FloorPdf(pages=doc.page, size=path.stat().st_size, rows=rows)


@benchmark("summary_pdf")
def summary_pdf(ctx: Context) -> Measurement:
    """The case summary PDF of the large case (render_summary, French, with notes) vs a bare ReportLab document.

    The value is ``render_summary(detail, path, lang="fr", notes=True)``, the call ``caseapp summary`` makes,
    writing to a temporary file (the read model is built once before: ``get_case`` is reported apart). The
    floor is ``floor_pdf``: the same rows in plain ReportLab, the same fonts embedded. What the summary costs
    above it is its house style, the running header and footer with "page N / M", and the safe write (fsync).
    The floor is stock ReportLab, not a lower bound: the summary's ``Para`` keeps each cell's line breaks for
    the width it was laid out at (ReportLab breaks a table cell several times), so the ratio can be below 1.
    The read model must hold the exhibits and notes the generator planned, and the PDF at least a page per
    40 exhibits, so the comparison is of the full document.
    """
    from caseapp.reports.summary import render_summary
    from caseapp.services.cases import get_case

    core = ctx.core()
    large = ctx.record_id("large_case_id")
    read_ms: list[float] = []
    detail = get_case(core, large)
    for _ in range(ctx.count(3, 1)):
        read_ms.append(time_ms(lambda: get_case(core, large)))
    planned = ctx.manifest.get("plan", {}).get("large_case", {})
    exhibits = len(detail.evidence)
    notes = sum(len(h.notes) for h in detail.hearings)
    if not exhibits or (planned and (exhibits != planned["evidence"] or notes != planned["notes"])):
        raise RuntimeError(
            f"the large case has {exhibits} exhibits and {notes} notes, the generator planned "
            f"{planned['evidence']} and {planned['notes']}"
        )

    folder = Path(tempfile.mkdtemp(prefix="caseapp-bench-pdf-"))
    try:
        value_path, floor_path = folder / "summary.pdf", folder / "floor.pdf"
        results: dict[str, Any] = {}

        def value() -> None:
            results["value"] = render_summary(detail, value_path, lang="fr", notes=True)

        def floor() -> None:
            results["floor"] = floor_pdf(detail, floor_path)

        values_ms, floors_ms = paired(value, floor, ctx.count(5, 3), warmup=1)
        made, bare = results["value"], results["floor"]
        if bare.rows["exhibits"] != exhibits or bare.rows["notes"] != notes:
            raise RuntimeError(f"the floor laid out {bare.rows}, the read model has {exhibits} exhibits")
        # At least one page per 40 exhibits (rows are 3–5 lines): the exhibit list is really in the summary.
        if made.pages < exhibits / 40 or made.pages < bare.pages / 2:
            raise RuntimeError(f"the summary has {made.pages} pages for {exhibits} exhibits")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    values, floors = _seconds(values_ms), _seconds(floors_ms)
    return Measurement(
        "summary_pdf",
        percentile(values, 50),
        unit="s",
        stat="p50",
        floor=percentile(floors, 50),
        floor_what="bare ReportLab, same rows and fonts",
        target=Target(1.5, on="ratio"),
        details={
            "value_seconds": _spread(values),
            "floor_seconds": _spread(floors),
            "summary": {"pages": made.pages, "bytes": made.size},
            "floor": {"pages": bare.pages, "bytes": bare.size},
            "rows": bare.rows,
            "read_model": {
                "exhibits": exhibits,
                "notes": notes,
                "filings": len(detail.filings),
                "hearings": len(detail.hearings),
                "opinions": len(detail.opinions),
                "deadlines": len(detail.deadlines),
                "get_case_ms": summary(read_ms),
            },
        },
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
    }
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
    name: str, prepared: BundleCase, sampled: Alternated, extra: dict[str, Any]
) -> list[Measurement]:
    values = [run.seconds for run in sampled.runs]
    value, floor = percentile(values, 50), percentile(sampled.sha256sum, 50)
    peaks = [run.peak_mb for run in sampled.runs]
    details: dict[str, Any] = {
        "value_seconds": _spread(values),
        "floor_seconds": _spread(sampled.sha256sum),
        "in_process_seconds": _spread([run.in_process_seconds for run in sampled.runs]),
        "evidence": {"files": len(prepared.stored), "megabytes": round(prepared.megabytes, 1)},
        "throughput_mb_s": round(prepared.megabytes / value, 1),
        "sha256sum_throughput_mb_s": round(prepared.megabytes / floor, 1),
        "peak_rss_mb": _rounded(peaks, 1),
    }
    if sampled.openssl:
        openssl = percentile(sampled.openssl, 50)
        details["openssl_sha256"] = {
            "seconds": _spread(sampled.openssl),
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
            target=Target(2.0, on="ratio"),
            details=details,
        ),
        Measurement(
            f"{name}_memory",
            max(peaks),
            unit="MB",
            stat="peak",
            target=Target(200, info=True),
            details={
                "peak_rss_mb": _rounded(peaks, 1),
                "evidence_megabytes": round(prepared.megabytes, 1),
                "ru_maxrss_mb": _rounded([run.maxrss_mb for run in sampled.runs], 1),
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
    from caseapp.services.core import open_core

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
    )
