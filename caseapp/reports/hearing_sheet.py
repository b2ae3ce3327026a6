"""The hearing sheet: one page (or a few) to take into court.

Court, room and time (Paris), for a référé hearing its own rules (R522-6, R522-8), the parties and their counsel,
the case's key dates and open deadlines, and ruled space to write on. After the hearing the same sheet carries the
notes taken instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from caseapp.casefile.views import CaseDetail, HearingView
from caseapp.domain.enums import CaseStatus, FilingKind, HearingKind, HearingStatus, Outcome, Procedure
from caseapp.errors import InvalidInput
from caseapp.i18n import _, translate
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


class RuledLines(Flowable):
    """Writing lines that fill what is left of the page; with less than ``minimum`` lines left, they go to the
    next page and fill it."""

    def __init__(self, pitch: float = LINE_PITCH, minimum: int = MIN_LINES) -> None:
        super().__init__()
        self.pitch = pitch
        self.minimum = minimum
        self.lines = minimum

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # ReportLab names the arguments
        self.width = availWidth
        self.lines = max(int(availHeight // self.pitch) - 1, self.minimum)
        self.height = self.lines * self.pitch
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(s.RULE)
        canvas.setLineWidth(0.5)
        for line in range(self.lines):
            y = self.height - (line + 1) * self.pitch
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


@dataclass(frozen=True)
class _KeyDate:
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
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the sheet of one hearing of ``detail``.

    The notes taken at the hearing are printed when there are any; ``ruled`` adds lines to write on (by
    default only when there is no note yet). Raises InvalidInput when the hearing is not one of the case's.
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
        flow += _heading(translate("Notes taken at the hearing", lang))
        hearing_day = to_paris(hearing.starts_at).date()
        for index, note in enumerate(sorted(hearing.notes, key=lambda n: n.at)):
            steps.every(index)
            flow += parts.note_paragraphs(note.text, note.at, note.author, lang, day=hearing_day)
    if ruled:
        # The heading goes to the next page with the lines when fewer than their minimum fit below it.
        flow += [CondPageBreak(RULED_ROOM), Para(markup(translate("Notes", lang)), st.h2), RuledLines()]
    return flow


def _heading(title: str) -> list[Flowable]:
    return [CondPageBreak(30 * mm), Para(markup(title), s.styles().h2)]


def _key_dates(detail: CaseDetail, hearing: HearingView, lang: str) -> list[_KeyDate]:
    """Opening and closing of the case, its filings and decisions, and its hearings (this one marked)."""
    sep = colon(lang)
    items: list[_KeyDate] = []
    if detail.opened_on:
        items.append(_KeyDate(detail.opened_on, 0, markup(translate("Case opened", lang))))
    for order, filing in enumerate(detail.filings):
        kind = label(FilingKind, filing.kind, lang)
        text = f"<b>{markup(kind)}</b>" if filing.is_decision else markup(kind)
        if filing.title and filing.title.strip().lower() != kind.lower():
            text += " — " + markup(shorten(filing.title, 200))
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
