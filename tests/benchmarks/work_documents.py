"""Work that takes seconds, measured on the big database: recomputing every deadline, the case summary PDF.

Each figure is a median over a few runs, sampled alternately with its floor (measured in the same run):

- ``deadline_recompute``: ``deadlines.recompute_all(core)`` over every case. Floor: the same SQL, i.e. the
  statements one recomputation sends, replayed with bare sqlite3 (timing.SqlReplay): what SQLite needs to hand
  over every event and deadline the rules read. Target ≤ 2× its same-SQL floor (issue 18; issue 3's "under 2 s"
  is reported in the details).
- ``summary_pdf``: the case summary of the large case (``render_summary``, as ``caseapp summary`` calls it).
  Floor: a bare ReportLab document (platypus, the same DejaVu fonts embedded, A4) holding the same rows, the
  same strings taken from the same read model, laid out as plain tables and paragraphs. Target ≤ 1.5× floor.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.benchmarks.registry import Context, benchmark
from tests.benchmarks.timing import (
    Measurement,
    Target,
    bare_connection,
    paired,
    percentile,
    seconds,
    spread,
    summary,
    time_ms,
)

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from caseapp.casefile.views import CaseDetail

SAME_SQL = "same SQL, bare sqlite3"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


# ------------------------------------------------------------------------------------------ deadline_recompute


@benchmark("deadline_recompute", writes=True)
def deadline_recompute(ctx: Context) -> Measurement:
    """recompute_all(core): every computed deadline of every case, in one transaction (median seconds).

    The first call is the warm-up, reported apart (on a database made by an older version it also brings
    deadlines up to date). The timed calls recompute every deadline and find nothing to change; the memo of
    computed deadlines (``deadline_plans._compute_cached``) is emptied before each, so every deadline is
    really computed again, as after an update of the rules. The floor replays the statements of one such call
    with bare sqlite3 (every row fetched): SQLite's share. As information: one call with the memo left warm,
    and one call after every computed deadline was moved by a day behind the app's back (bare SQL), so that
    all of them change, as after an update of the holidays that moves every deadline: each change is its own
    UPDATE and history event.
    """
    from caseapp.services import deadlines
    from caseapp.services.deadline_plans import _compute_cached

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
    # 9 pairs: with 5, the median ratio of the same code moved between 1.4× and 2.2× from run to run
    values_ms, floors_ms = paired(call, floor, ctx.count(9, 3), warmup=0)
    values = seconds(values_ms)
    floors = seconds(floors_ms) if not writes else []
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
        "value_seconds": spread(values),
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
        details["floor_seconds"] = spread(floors)
    return Measurement(
        "deadline_recompute",
        percentile(values, 50),
        unit="s",
        stat="p50",
        floor=percentile(floors, 50) if floors else None,
        floor_what=SAME_SQL if floors else None,
        # ≤ 2× its same-SQL floor (issue 18; the 2 s of issue 3 is in the details); information below 10,000 cases
        target=Target(2, on="ratio", info=ctx.manifest["size"] < 10_000),
        details=details | {"under_2_s": percentile(values, 50) < 2},
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
    values, floors = seconds(values_ms), seconds(floors_ms)
    return Measurement(
        "summary_pdf",
        percentile(values, 50),
        unit="s",
        stat="p50",
        floor=percentile(floors, 50),
        floor_what="bare ReportLab, same rows and fonts",
        target=Target(1.5, on="ratio"),
        details={
            "value_seconds": spread(values),
            "floor_seconds": spread(floors),
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
