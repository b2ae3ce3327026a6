"""The case summary: what a lawyer reads before a hearing.

A cover (title, the points to check, court, number, procedure, status, parties and counsel), then the chronology
of filings, hearings (a référé hearing with its own rules, R522-6 and R522-8), decisions and opinions, the open
deadlines with their legal basis (a date that is not a last day to act says what it is), the notes taken at
hearings (optional), the exhibit list with the SHA-256 of every file and, in an annex, the fingerprint of the case's
history (what lets anyone check later that it was not modified).

An internal document: "Confidentiel" on every page unless the setting ``confidential_mark`` is off (the service
passes it as ``confidential``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from caseapp.casefile.views import CaseDetail, EvidenceView, HearingView
from caseapp.domain.enums import (
    Authority,
    CaseStatus,
    FilingKind,
    HearingKind,
    HearingStatus,
    Outcome,
    ParentRelation,
    Position,
    Procedure,
)
from caseapp.i18n import N_, ngettext, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import DocumentInfo, Generation, RenderResult, Steps, Target, render
from caseapp.reports.formatting import (
    colon,
    document_language,
    format_date,
    format_moment,
    format_size,
    format_time,
    label,
    markup,
    quoted,
    shorten,
    to_paris,
)
from caseapp.reports.styles import Para

HASH_NOTE = N_(
    "The SHA-256 fingerprint of each file was computed when the file was added: "
    "a file that still has the same fingerprint has not changed since."
)
HISTORY_ANNEX = N_(
    "Annex — fingerprint of the history: it makes it possible to check that the history has not been modified"
)
HISTORY_NOTE = N_(
    "Every change made to this case is recorded in a history whose events are chained to one another by their "
    "fingerprints. On the day of this summary, the latest event of this case is No. {seq} of the chain, and its "
    "SHA-256 fingerprint is:"
)
HISTORY_PROOF = N_(
    "Changing or removing any earlier event would change this fingerprint: kept with this summary, it makes it "
    "possible to check later that the history of the case, as it stood that day, has not been modified."
)


MAX_LINKED = 20  # linked cases listed on the cover
DATE_WIDTH = 31 * mm  # "30 septembre 2020" unwrapped in the table font


@dataclass(frozen=True)
class _Event:
    """One line of the case summary's chronology: a filing, hearing or opinion, its day (None: undated, listed last),
    what it is and what it says."""

    day: date | None
    order: int
    kind: str  # markup
    text: str  # markup


def render_summary(
    detail: CaseDetail,
    target: Target,
    *,
    lang: str = "fr",
    notes: bool = True,
    confidential: bool = True,
    exhibits: bool = True,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the summary of a case as a PDF to ``target`` (a path or a binary file object).

    ``notes=False`` leaves the hearing notes out (to hand the summary to someone who should not read them).
    ``confidential=False`` leaves out the "Confidentiel" mark of every page (the setting ``confidential_mark``).
    ``exhibits=False`` counts the exhibits without listing them (the whole case as one PDF: its bordereau lists them
    right after, and 1,000 rows twice helped no reader).
    ``generated_at`` fixes the generation time and makes the output byte-for-byte reproducible.
    Raises StorageError when the target cannot be written, Cancelled when ``cancelled()`` turns true.
    """
    steps = Steps(progress, cancelled)
    lang = document_language(lang)
    generation = Generation.at(generated_at)
    story = build_summary_story(detail, lang=lang, notes=notes, exhibits=exhibits, today=generation.today, steps=steps)
    reference = parts.case_reference(detail, lang)
    info = DocumentInfo(
        title=f"{translate('Case summary', lang)} — {' '.join(detail.title.split())}",
        subject=reference,
        header=reference,
        lang=lang,
        keywords=tuple(k for k in (detail.court_number, detail.reference, *detail.tags) if k),
        confidential=confidential,
    )
    return render(info, story, target, generation=generation, steps=steps)


def build_summary_story(
    detail: CaseDetail, *, lang: str, notes: bool, today: date, steps: Steps | None = None, exhibits: bool = True
) -> list[Flowable]:
    """The flowables of the summary (separate from rendering so a benchmark can time both)."""
    steps = steps or Steps(None, None)
    st = s.styles()
    story: list[Flowable] = []
    story += _cover(detail, lang)  # the chronology follows on the same page when there is room

    story += _section(translate("Chronology", lang))
    events = _events(detail, lang)
    if events:
        rows: list[list[Flowable | str]] = [
            [
                Para(translate("Date", lang), st.cell_head),
                Para(translate("Event", lang), st.cell_head),
                Para(translate("Details", lang), st.cell_head),
            ]
        ]
        for index, event in enumerate(events):
            steps.every(index)
            day = format_date(event.day, lang, empty=translate("undated", lang))
            rows.append([day, Para(event.kind, st.cell_bold), Para(event.text, st.cell)])
        story.append(s.table(rows, [DATE_WIDTH, 38 * mm, s.FRAME_WIDTH - DATE_WIDTH - 38 * mm]))
    else:
        story.append(Para(markup(translate("No filing, hearing or opinion is recorded yet.", lang)), st.muted))

    story += _section(translate("Open deadlines", lang))
    story.append(parts.deadlines_table(parts.open_deadlines(detail), lang, today))
    story += parts.stale_refere_note(detail, lang)

    if notes:
        story += _section(translate("Hearing notes", lang))
        story += _notes(detail.hearings, lang, steps)

    story += _section(translate("Exhibits", lang))
    story += _exhibits(detail.evidence, lang, steps, listed=exhibits)
    if detail.history_head:
        story += _history_annex(detail, lang)
    return parts.bind_headings(story)  # no heading ever ends a page


def _history_annex(detail: CaseDetail, lang: str) -> list[Flowable]:
    """The fingerprint of the case's history, said for what it proves (no command, no jargon)."""
    st = s.styles()
    head = detail.history_head or ""
    fingerprint = f"<font name='{s.MONO}' size=8>{markup(head[:32])}<br/>{markup(head[32:])}</font>"
    return [
        *_section(translate(HISTORY_ANNEX, lang)),
        Para(markup(translate(HISTORY_NOTE, lang).format(seq=detail.history_seq)), st.body),
        Para(fingerprint, st.body),
        Para(markup(translate(HISTORY_PROOF, lang)), st.body),
    ]


def _section(title: str) -> list[Flowable]:
    return [CondPageBreak(45 * mm), Para(markup(title), s.styles().h1)]


def _cover(detail: CaseDetail, lang: str) -> list[Flowable]:
    st = s.styles()
    flow: list[Flowable] = [
        Para(markup(translate("Case summary", lang).upper()), st.kicker),
        parts.para(detail.title, st.title),
    ]
    if detail.example:
        flow.append(Para(markup(translate("Example case shipped with CaseApp.", lang)), st.muted))
    checks = parts.checks_box(detail, lang)
    if checks:
        flow += [Spacer(1, 1 * mm), *checks, Spacer(1, 1 * mm)]
    facts: list[tuple[str, Flowable]] = [
        (translate("Court", lang), parts.para(detail.court or "—", st.cell_bold)),
        (translate("Case number", lang), parts.para(detail.court_number or "—", st.cell_bold)),
        (translate("Procedure", lang), parts.para(label(Procedure, detail.procedure, lang), st.cell)),
        (translate("Status", lang), parts.para(label(CaseStatus, detail.status, lang), st.cell)),
    ]
    if detail.reference:
        facts.append((translate("Internal reference", lang), parts.para(detail.reference, st.cell)))
    facts.append((translate("Opened on", lang), parts.para(format_date(detail.opened_on, lang), st.cell)))
    if detail.closed_on:
        facts.append((translate("Closed on", lang), parts.para(format_date(detail.closed_on, lang), st.cell)))
    if detail.parent_id:
        relation = label(ParentRelation, detail.parent_relation, lang, empty=translate("Related to", lang))
        facts.append((relation, parts.para(quoted(shorten(detail.parent_title, 300) or "—", lang), st.cell)))
    if detail.children:
        lines = [
            markup(quoted(shorten(child.title, 200), lang))
            + (f" ({markup(parts.number_text(child.court_number, lang))})" if child.court_number else "")
            for child in detail.children[:MAX_LINKED]
        ]
        if len(detail.children) > MAX_LINKED:
            more = len(detail.children) - MAX_LINKED
            lines.append(markup(ngettext("and {count} more", "and {count} more", more, lang).format(count=more)))
        facts.append((translate("Linked cases", lang), Para("<br/>".join(lines), st.cell)))
    if detail.tags:
        facts.append((translate("Tags", lang), parts.para(", ".join(detail.tags), st.cell)))
    if detail.next_hearing:
        facts.append(
            (translate("Next hearing", lang), parts.para(format_moment(detail.next_hearing.starts_at, lang), st.cell))
        )
    upcoming = parts.open_deadlines(detail)  # never an R711-2 / R613-2 date of a référé hearing
    if upcoming:
        facts.append(
            (translate("Next deadline", lang), parts.para(parts.next_deadline_text(upcoming[0], lang), st.cell))
        )
    flow += [Spacer(1, 2 * mm), s.key_values(facts)]
    for heading, text in ((translate("Subject", lang), detail.subject), (translate("Summary", lang), detail.summary)):
        blocks = parts.text_block(text, st.body)
        if blocks:
            flow.append(Para(markup(heading), st.h2))
            flow += blocks
    flow.append(Para(markup(translate("Parties and counsel", lang)), st.h2))
    flow.append(parts.parties_table(detail, lang))
    return flow


def _events(detail: CaseDetail, lang: str) -> list[_Event]:
    sep = colon(lang)
    events: list[_Event] = []
    for order, filing in enumerate(detail.filings):
        kind = label(FilingKind, filing.kind, lang)
        bits: list[str] = []
        if filing.title and filing.title.strip().lower() != kind.lower():
            bits.append(f"<b>{markup(shorten(filing.title, 300))}</b>")
        if filing.party_name:
            bits.append(markup(translate("by {party}", lang).format(party=shorten(filing.party_name, 200))))
        if filing.reference:
            bits.append(markup(shorten(filing.reference, 120)))
        if filing.outcome:
            bits.append(markup(translate("Outcome", lang) + sep + label(Outcome, filing.outcome, lang)))
        if filing.notified_on:
            bits.append(
                markup(translate("notified on {date}", lang).format(date=format_date(filing.notified_on, lang)))
            )
        text = " — ".join(bits) or "—"
        if filing.summary:
            text += "<br/>" + s.muted(markup(shorten(filing.summary, 600)))
        events.append(_Event(filing.filed_on, order, markup(kind), text))
    for order, hearing in enumerate(detail.hearings):
        events.append(
            _Event(
                to_paris(hearing.starts_at).date(),
                order,
                markup(label(HearingKind, hearing.kind, lang)),
                _hearing_line(hearing, lang, refere=parts.is_refere_hearing(detail, hearing)),
            )
        )
    for order, opinion in enumerate(detail.opinions):
        kind = f"{translate('Opinion', lang)} — {label(Authority, opinion.authority, lang)}"
        bits = [f"<b>{markup(shorten(opinion.title, 300))}</b>"]
        if opinion.reference:
            bits.append(markup(shorten(opinion.reference, 120)))
        bits.append(markup(translate("Position", lang) + sep + label(Position, opinion.position, lang)))
        text = " — ".join(bits)
        if opinion.summary:
            text += "<br/>" + s.muted(markup(shorten(opinion.summary, 600)))
        events.append(_Event(opinion.issued_on, order, markup(kind), text))
    # Dated events in order (filings before hearings before opinions on the same day), undated ones last.
    return sorted(events, key=lambda e: (e.day is None, e.day or date.min))


def _hearing_line(hearing: HearingView, lang: str, *, refere: bool = False) -> str:
    bits = [markup(format_time(hearing.starts_at, lang))]
    if hearing.room:
        bits.append(markup(parts.room_text(shorten(hearing.room, 120), lang)))
    bits.append(markup(label(HearingStatus, hearing.status, lang)))
    if hearing.urgent:
        bits.append(s.alert(markup(translate("urgent", lang))))
    text = " — ".join(bits)
    if refere:
        text += "<br/>" + markup(translate(parts.REFERE_HEARING_NOTE, lang))
    if hearing.outcome:
        text += "<br/>" + s.muted(markup(shorten(hearing.outcome, 600)))
    return text


def _notes(hearings: tuple[HearingView, ...], lang: str, steps: Steps) -> list[Flowable]:
    st = s.styles()
    flow: list[Flowable] = []
    count = 0
    for hearing in hearings:
        if not hearing.notes:
            continue
        title = f"{format_moment(hearing.starts_at, lang)} — {label(HearingKind, hearing.kind, lang)}"
        taken: list[Flowable] = []
        day = to_paris(hearing.starts_at).date()
        for note in sorted(hearing.notes, key=lambda n: n.at):
            steps.every(count)
            count += 1
            taken += parts.note_paragraphs(note.text, note.at, note.author, lang, day=day)
        flow += [Para(markup(title), st.h2), *taken]  # the heading is bound to the first note (bind_headings)
    if not flow:
        flow.append(Para(markup(translate("No note was taken at the hearings of this case.", lang)), st.muted))
    return flow


def _exhibits(evidence: tuple[EvidenceView, ...], lang: str, steps: Steps, *, listed: bool = True) -> list[Flowable]:
    st = s.styles()
    if not evidence:
        return [Para(markup(translate("No exhibit is recorded for this case.", lang)), st.muted)]
    if not listed:
        said = ngettext(
            "{count} exhibit, listed in the bordereau that follows.",
            "{count} exhibits, listed in the bordereau that follows.",
            len(evidence),
            lang,
        ).format(count=len(evidence))
        return [Para(markup(said), st.muted)]
    with_file = sum(1 for e in evidence if e.file is not None)
    total = len(evidence)
    if with_file == 0:
        said = ngettext("{count} exhibit.", "{count} exhibits.", total, lang)
    elif with_file == total:
        said = ngettext("{count} exhibit, with its file.", "{count} exhibits, each with its file.", total, lang)
    else:  # at least two exhibits, some with a file
        said = translate("{count} exhibits, {files} with a file.", lang)
    count = said.format(count=total, files=with_file)
    if with_file:
        count += " " + translate(HASH_NOTE, lang)
    rows: list[list[Flowable | str]] = [
        [
            Para(translate("No.", lang), st.cell_head),
            Para(translate("Exhibit", lang), st.cell_head),
            Para(translate("Date", lang), st.cell_head),
            Para(translate("File and SHA-256", lang), st.cell_head),
        ]
    ]
    for index, item in enumerate(sorted(evidence, key=lambda e: e.number)):
        steps.every(index)
        rows.append(_exhibit_row(item, lang))
    widths = [12 * mm, 70 * mm, DATE_WIDTH, s.FRAME_WIDTH - 82 * mm - DATE_WIDTH]
    bold_numbers = [("FONT", (0, 1), (0, -1), s.SANS_BOLD, s.CELL_FONT[1], s.CELL_FONT[2])]
    return [Para(markup(count), st.muted), Spacer(1, 1.5 * mm), s.table(rows, widths, extra=bold_numbers)]


def _exhibit_row(item: EvidenceView, lang: str) -> list[Flowable | str]:
    st = s.styles()
    sep = colon(lang)
    what = f"<b>{markup(shorten(item.title, 300))}</b>"
    if item.description:
        what += "<br/>" + markup(shorten(item.description, 600))
    if item.source:
        what += "<br/>" + s.muted(markup(translate("Source", lang) + sep + shorten(item.source, 300)))
    if item.file is not None:
        sha = item.file.sha256
        where = (
            markup(shorten(item.file.original_name, 120))
            + "<br/>"
            + s.muted(markup(format_size(item.file.size, lang)))
            + f"<br/><font name='{s.MONO}' size=6.5>{sha[:32]}<br/>{sha[32:]}</font>"
        )
    else:
        where = s.muted(markup(translate("no file", lang)), 8)
    # Number and date are plain strings: a thousand rows lay out much faster without two Paragraphs each.
    return [
        str(item.number),
        Para(what, st.cell),
        format_date(item.document_date, lang),
        Para(where, st.cell),
    ]
