"""The hearing sheet: one page (or a few) to take into court.

Court, room and time (Paris), for a référé hearing its own rules (R522-6, R522-8), lines to fill in at the hearing
(the formation, the rapporteur public, the sense of the conclusions, R711-3: nothing records them), the parties and
their counsel, the case's key dates and open deadlines (never an R711-2 notice or R613-2 closing for a référé), and
ruled space to write on. After the hearing the same sheet carries the notes taken instead.

An internal document: "Confidentiel" on every page unless the setting ``confidential_mark`` is off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from caseapp.casefile.views import CaseDetail, HearingView
from caseapp.domain.enums import CaseStatus, HearingKind, HearingStatus, Outcome, Procedure
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import DocumentInfo, Generation, RenderResult, Steps, Target, render
from caseapp.reports.formatting import (
    colon,
    document_language,
    format_date,
    format_moment,
    format_time,
    label,
    markup,
    shorten,
    to_paris,
)
from caseapp.reports.styles import Para

LINE_PITCH = 8 * mm
MIN_LINES = 8
RULED_ROOM = (MIN_LINES + 1) * LINE_PITCH + 10 * mm  # the "Notes" heading and the fewest lines worth printing
# What the hearing gives and nothing records (no field of the hearing holds them): lines to fill in by hand.
FILL_IN = (
    N_("Bench (formation)"),  # the formation: a chamber, a single judge, the juge des référés
    N_("Rapporteur public"),
    N_("Sense of the conclusions (R711-3)"),
)
FILL_IN_PITCH = 9 * mm


class RuledLines(Flowable):
    """Writing lines that fill what is left of the page, under their heading (drawn with them, so the heading can
    never be left alone at the bottom of a page); with less than ``minimum`` lines left, heading and lines go to
    the next page and fill it."""

    def __init__(self, pitch: float = LINE_PITCH, minimum: int = MIN_LINES, heading: Paragraph | None = None) -> None:
        super().__init__()
        self.pitch = pitch
        self.minimum = minimum
        self.lines = minimum
        self.heading = heading
        self.heading_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # ReportLab names the arguments
        self.width = availWidth
        if self.heading is not None:
            style = self.heading.style
            _w, high = self.heading.wrap(availWidth, availHeight)
            self.heading_height = high + style.spaceBefore + style.spaceAfter
        self.lines = max(int((availHeight - self.heading_height) // self.pitch) - 1, self.minimum)
        self.height = self.heading_height + self.lines * self.pitch
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        if self.heading is not None:
            style = self.heading.style
            self.heading.drawOn(canvas, 0, self.height - self.heading_height + style.spaceAfter)
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        for line in range(self.lines):
            y = self.height - self.heading_height - (line + 1) * self.pitch
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


class FillInLines(Flowable):
    """Labelled lines to write on ("Formation : ______"), one under the other, never split."""

    def __init__(self, labels: list[str], pitch: float = FILL_IN_PITCH) -> None:
        super().__init__()
        self.labels = labels
        self.pitch = pitch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.labels) * self.pitch
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        size = 9.5
        for index, text in enumerate(self.labels):
            y = self.height - (index + 1) * self.pitch + 1.5 * mm
            canvas.setFillColor(s.ACCENT)
            canvas.setFont(s.SANS_BOLD, size)
            canvas.drawString(0, y, text)
            start = stringWidth(text, s.SANS_BOLD, size) + 2 * mm
            canvas.setStrokeColor(s.MUTED)
            canvas.setLineWidth(0.5)
            canvas.line(start, y - 0.8 * mm, self.width, y - 0.8 * mm)
        canvas.restoreState()


@dataclass(frozen=True)
class _KeyDate:
    """One line of the hearing sheet's key dates: its day (None: undated, listed last), its place among the same day's
    lines (``order``) and its text."""

    day: date | None
    order: int
    text: str  # markup


def render_hearing_sheet(
    detail: CaseDetail,
    hearing: HearingView,
    target: Target,
    *,
    lang: str = "fr",
    ruled: bool | None = None,
    confidential: bool = True,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the sheet of one hearing of ``detail``.

    The notes taken at the hearing are printed when there are any; ``ruled`` adds lines to write on (by
    default only when there is no note yet). ``confidential=False`` leaves out the "Confidentiel" mark (the setting
    ``confidential_mark``). Raises InvalidInput when the hearing is not one of the case's.
    """
    if hearing.case_id != detail.id:
        raise InvalidInput(_("That hearing does not belong to this case."), field="hearing_id")
    steps = Steps(progress, cancelled)
    lang = document_language(lang)
    generation = Generation.at(generated_at)
    story = build_hearing_story(
        detail,
        hearing,
        lang=lang,
        ruled=not hearing.notes if ruled is None else ruled,
        today=generation.today,
        steps=steps,
    )
    reference = parts.case_reference(detail, lang)
    info = DocumentInfo(
        title=f"{translate('Hearing sheet', lang)} — {format_moment(hearing.starts_at, lang, weekday=False)} — "
        f"{' '.join(detail.title.split())}",
        subject=reference,
        header=reference,
        lang=lang,
        keywords=tuple(k for k in (detail.court_number, detail.reference) if k),
        confidential=confidential,
    )
    return render(info, story, target, generation=generation, steps=steps)


def build_hearing_story(
    detail: CaseDetail, hearing: HearingView, *, lang: str, ruled: bool, today: date, steps: Steps | None = None
) -> list[Flowable]:
    steps = steps or Steps(None, None)
    st = s.styles()
    flow: list[Flowable] = [
        Para(markup(translate("Hearing sheet", lang).upper()), st.kicker),
        parts.para(detail.title, st.title),
        Para(markup(format_moment(hearing.starts_at, lang)), st.h2),
    ]
    facts: list[tuple[str, Flowable]] = [
        (translate("Court", lang), parts.para(hearing.court or detail.court or "—", st.cell_bold)),
        (translate("Room", lang), parts.para(hearing.room or "—", st.cell_bold)),
        (
            translate("Date and time", lang),
            parts.para(f"{format_moment(hearing.starts_at, lang)} ({translate('Paris time', lang)})", st.cell_bold),
        ),
        (translate("Hearing", lang), parts.para(label(HearingKind, hearing.kind, lang), st.cell)),
        (translate("Status", lang), parts.para(label(HearingStatus, hearing.status, lang), st.cell)),
    ]
    if hearing.urgent:
        facts.append((translate("Urgent", lang), Para(s.alert(markup(translate("yes", lang))), st.cell)))
    facts += [
        (translate("Case number", lang), parts.para(detail.court_number or "—", st.cell)),
        (translate("Procedure", lang), parts.para(label(Procedure, detail.procedure, lang), st.cell)),
        (translate("Case status", lang), parts.para(label(CaseStatus, detail.status, lang), st.cell)),
    ]
    if hearing.outcome:
        facts.append((translate("Outcome", lang), parts.para(shorten(hearing.outcome, 1500), st.cell)))
    flow += [Spacer(1, 1 * mm), s.key_values(facts)]
    if parts.is_refere_hearing(detail, hearing):
        flow += [Spacer(1, 2 * mm), parts.refere_box(lang)]
    flow += [Spacer(1, 1 * mm), FillInLines([translate(text, lang) + colon(lang) for text in FILL_IN])]

    flow += _heading(translate("Parties and counsel", lang))
    flow.append(parts.parties_table(detail, lang))

    flow += _heading(translate("Key dates", lang))
    key_dates = _key_dates(detail, hearing, lang)
    rows: list[list[Flowable]] = [
        [Para(translate("Date", lang), st.cell_head), Para(translate("Event", lang), st.cell_head)]
    ]
    for index, item in enumerate(key_dates):
        steps.every(index)
        when = format_date(item.day, lang, empty=translate("undated", lang))
        rows.append([Para(markup(when), st.cell), Para(item.text, st.cell)])
    flow.append(s.table(rows, [32 * mm, s.FRAME_WIDTH - 32 * mm]))

    flow += _heading(translate("Open deadlines", lang))
    flow.append(parts.deadlines_table(parts.open_deadlines(detail), lang, today))
    flow += parts.stale_refere_note(detail, lang)

    if hearing.notes:
        notes: list[Flowable] = []
        hearing_day = to_paris(hearing.starts_at).date()
        for index, note in enumerate(sorted(hearing.notes, key=lambda n: n.at)):
            steps.every(index)
            notes += parts.note_paragraphs(note.text, note.at, note.author, lang, day=hearing_day)
        flow += [*_heading(translate("Notes taken at the hearing", lang)), *notes]
    if ruled:
        # The heading goes to the next page with the lines when fewer than their minimum fit below it.
        flow += [CondPageBreak(RULED_ROOM), RuledLines(heading=Para(markup(translate("Notes", lang)), st.h2))]
    return parts.bind_headings(flow)  # no heading ever ends a page


def _heading(title: str) -> list[Flowable]:
    """A section heading, moved to the next page when less than the room for a few lines is left under it."""
    return [CondPageBreak(30 * mm), Para(markup(title), s.styles().h2)]


def _key_dates(detail: CaseDetail, hearing: HearingView, lang: str) -> list[_KeyDate]:
    """Opening and closing of the case, its filings and decisions, and its hearings (this one marked)."""
    sep = colon(lang)
    items: list[_KeyDate] = []
    if detail.opened_on:
        items.append(_KeyDate(detail.opened_on, 0, markup(translate("Case opened", lang))))
    for order, filing in enumerate(detail.filings):
        name = markup(shorten(parts.filing_name(filing, lang), 300))
        text = f"<b>{name}</b>" if filing.is_decision else name
        if filing.outcome:
            text += " — " + markup(translate("Outcome", lang) + sep + label(Outcome, filing.outcome, lang))
        if filing.notified_on:
            notified = translate("notified on {date}", lang).format(date=format_date(filing.notified_on, lang))
            text += " — " + markup(notified)
        items.append(_KeyDate(filing.filed_on, 1 + order, text))
    for order, other in enumerate(detail.hearings):
        text = markup(f"{label(HearingKind, other.kind, lang)} — {format_time(other.starts_at, lang)}")
        text += " — " + markup(label(HearingStatus, other.status, lang))
        if other.id == hearing.id:
            text = f"<b>{text} — {markup(translate('this hearing', lang))}</b>"
        items.append(_KeyDate(to_paris(other.starts_at).date(), 10_000 + order, text))
    if detail.closed_on:
        items.append(_KeyDate(detail.closed_on, 20_000, markup(translate("Case closed", lang))))
    return sorted(items, key=lambda k: (k.day is None, k.day or date.min, k.order))
