"""The chronology of the case as a PDF annex: every dated event — decisions, filings, hearings, opinions, CADA
steps, and the exhibits at the date of the document — in order, year by year, with the exhibit numbers cited
inline ("pièce n° 12").

A lawyer files it with a brief, so it is a document for the court: no "Confidentiel", nothing about the program;
the footer is the case number and the page. The entries come from ``caseapp.reports.timeline`` (the picture in
the case view lays out the same ones); ``tags`` keeps only some kinds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from caseapp.casefile.views import CaseDetail
from caseapp.domain.enums import PartyRole
from caseapp.i18n import ngettext, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import DocumentInfo, Generation, RenderResult, Steps, Target, render
from caseapp.reports.formatting import document_language, format_date, markup, shorten
from caseapp.reports.styles import Para
from caseapp.reports.timeline import Chronology, ChronologyEntry, build_chronology, exhibit_citation, tag_label

DATE_WIDTH = 34 * mm


def render_chronology(
    detail: CaseDetail,
    target: Target,
    *,
    lang: str = "fr",
    tags: Iterable[str] = (),
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the chronology of ``detail`` (only the entries tagged one of ``tags`` when given)."""
    steps = Steps(progress, cancelled)
    lang = document_language(lang)
    generation = Generation.at(generated_at)
    chronology = build_chronology(detail, lang=lang, tags=tags)
    story = build_chronology_story(detail, chronology, lang=lang, steps=steps)
    title = translate("Chronology of the case", lang)
    info = DocumentInfo(
        title=f"{title} — {' '.join(detail.title.split())}",
        subject=parts.case_reference(detail, lang),
        header="",
        lang=lang,
        keywords=tuple(k for k in (detail.court_number,) if k),
        for_court=True,
        confidential=False,
        court_number=detail.court_number,
    )
    return render(info, story, target, generation=generation, steps=steps)


def sides_line(detail: CaseDetail, lang: str) -> str:
    """ "La Quadrature du Net et autres c/ Région Provence-Alpes-Côte d'Azur" ("" when no party is recorded)."""

    def named(role: str) -> str:
        names = [" ".join(p.name.split()) for p in parts.sorted_parties(detail.parties) if p.role == role]
        if not names:
            return ""
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return translate("{first} and {second}", lang).format(first=names[0], second=names[1])
        return translate("{first} and others", lang).format(first=names[0])

    applicants, respondents = named(PartyRole.APPLICANT.value), named(PartyRole.RESPONDENT.value)
    if applicants and respondents:
        return translate("{applicants} v. {respondents}", lang).format(applicants=applicants, respondents=respondents)
    return applicants or respondents


def build_chronology_story(
    detail: CaseDetail, chronology: Chronology, *, lang: str, steps: Steps | None = None
) -> list[Flowable]:
    steps = steps or Steps(None, None)
    st = s.styles()
    flow: list[Flowable] = []
    if detail.court:
        flow.append(parts.para(shorten(detail.court, 200).upper(), st.court))
    if detail.court_number:
        flow.append(parts.para(translate("Case No. {number}", lang).format(number=detail.court_number), st.court))
    between = sides_line(detail, lang)
    if between:
        flow.append(parts.para(shorten(between, 300), st.center_muted))
    elif not detail.court_number:
        flow.append(parts.para(detail.title, st.center_muted))
    flow.append(Para(markup(translate("Chronology of the case", lang).upper()), st.heading_center))
    if chronology.tags:
        kept = ", ".join(tag_label(tag, lang) for tag in chronology.tags)
        flow.append(Para(markup(translate("Entries kept: {tags}.", lang).format(tags=kept)), st.muted))
    if not chronology.entries and not chronology.undated:
        flow.append(Para(markup(translate("No dated event is recorded for this case.", lang)), st.body))
        return flow
    year: int | None = None
    rows: list[list[Flowable]] = []
    for index, entry in enumerate(chronology.entries):
        steps.every(index)
        if entry.day.year != year:
            if rows:
                flow.append(_table(rows, lang))
            year, rows = entry.day.year, []
            flow += [CondPageBreak(25 * mm), Para(str(year), st.h2)]
        rows.append(_row(entry, lang))
    if rows:
        flow.append(_table(rows, lang))
    if chronology.undated:
        flow += [CondPageBreak(25 * mm), Para(markup(translate("Undated", lang)), st.h2)]
        flow.append(_table([_row(entry, lang, dated=False) for entry in chronology.undated], lang))
    count = len(chronology.entries)
    said = ngettext("{count} dated event.", "{count} dated events.", count, lang).format(count=count)
    flow += [Spacer(1, 3 * mm), Para(markup(said), st.muted)]
    return parts.bind_headings(flow)


def _table(rows: list[list[Flowable]], lang: str) -> Flowable:
    st = s.styles()
    head = [Para(markup(translate("Date", lang)), st.cell_head), Para(markup(translate("Event", lang)), st.cell_head)]
    return s.table([head, *rows], [DATE_WIDTH, s.FRAME_WIDTH - DATE_WIDTH])


def _row(entry: ChronologyEntry, lang: str, *, dated: bool = True) -> list[Flowable]:
    st = s.styles()
    text = markup(shorten(entry.text, 400))
    if entry.important:
        text = f"<b>{text}</b>"
    if entry.detail:
        text += " — " + markup(shorten(entry.detail, 300))
    cited = exhibit_citation(entry.exhibits, lang)
    if cited:
        text += f" <i>({markup(cited)})</i>"
    when = format_date(entry.day, lang) if dated else "—"
    return [Para(markup(when), st.cell_bold if entry.important else st.cell), Para(text, st.cell)]
