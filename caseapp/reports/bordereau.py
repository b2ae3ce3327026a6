"""The bordereau de pièces: the numbered list of the exhibits filed with a brief (or of the whole case), in the
form French administrative courts expect:

    TRIBUNAL ADMINISTRATIF DE MARSEILLE
    Requête n° 1901249
    POUR : …   CONTRE : …
    BORDEREAU DES PIÈCES COMMUNIQUÉES
    Pièce n° 1 : Délibération n° 18-893 du 14 décembre 2018
    Pièce n° 2 : …

Exhibits keep their case numbers (numbering is continuous across the briefs of a case), each with its label
and, when the label does not already say it, its date.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from caseapp.casefile.views import CaseDetail, EvidenceView, FilingView, PartyView
from caseapp.domain.enums import FilingKind, PartyRole
from caseapp.errors import InvalidInput
from caseapp.i18n import _, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import DocumentInfo, Generation, RenderResult, Steps, Target, render
from caseapp.reports.formatting import (
    clean_text,
    colon,
    document_language,
    format_date,
    label,
    markup,
    shorten,
)
from caseapp.reports.styles import Para

_OPPOSITE = {
    PartyRole.APPLICANT.value: PartyRole.RESPONDENT.value,
    PartyRole.RESPONDENT.value: PartyRole.APPLICANT.value,
}


@dataclass(frozen=True)
class Sides:
    """Who produces the exhibits and against whom (names as they are printed)."""

    producer: tuple[str, ...]
    counsel: tuple[str, ...]
    opponents: tuple[str, ...]


def find_filing(detail: CaseDetail, filing_id: uuid.UUID | None) -> FilingView | None:
    """The filing of this case with that id (None for the whole case); refuses a filing of another case."""
    if filing_id is None:
        return None
    for filing in detail.filings:
        if filing.id == filing_id:
            return filing
    raise InvalidInput(_("That filing does not belong to this case."), field="filing_id")


def exhibits_for(detail: CaseDetail, filing_id: uuid.UUID | None = None) -> list[EvidenceView]:
    """The exhibits of the case, or of one of its filings, in number order."""
    find_filing(detail, filing_id)
    items = detail.evidence if filing_id is None else [e for e in detail.evidence if e.filing_id == filing_id]
    return sorted(items, key=lambda e: e.number)


def sides(detail: CaseDetail, filing: FilingView | None, party_id: uuid.UUID | None = None) -> Sides:
    """The producing party is the one given, else the filing's author, else the applicants."""
    wanted = party_id or (filing.party_id if filing else None)
    producing: list[PartyView]
    if wanted is not None:
        producing = [p for p in detail.parties if p.party_id == wanted]
    else:
        producing = [p for p in detail.parties if p.role == PartyRole.APPLICANT.value]
    names = [clean_text(p.name) for p in producing]
    if not names and filing is not None and filing.party_name:
        names = [clean_text(filing.party_name)]
    role = producing[0].role if producing else (PartyRole.APPLICANT.value if wanted is None else None)
    opposite = _OPPOSITE.get(role or "")
    opponents = [clean_text(p.name) for p in detail.parties if opposite and p.role == opposite]
    counsel: list[str] = []
    for party in producing:
        if party.counsel and party.counsel not in counsel:
            counsel.append(clean_text(party.counsel))
    return Sides(tuple(names), tuple(counsel), tuple(opponents))


def render_bordereau(
    detail: CaseDetail,
    target: Target,
    *,
    filing_id: uuid.UUID | None = None,
    party_id: uuid.UUID | None = None,
    lang: str = "fr",
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the bordereau of a filing's exhibits (or, without ``filing_id``, of every exhibit of the case).

    ``party_id`` names the party producing the exhibits when it is not the filing's author.
    Raises InvalidInput for a filing of another case, StorageError when the target cannot be written.
    """
    steps = Steps(progress, cancelled)
    lang = document_language(lang)
    story = build_bordereau_story(detail, filing_id=filing_id, party_id=party_id, lang=lang, steps=steps)
    reference = parts.case_reference(detail, lang)
    info = DocumentInfo(
        title=f"{translate('List of exhibits', lang)} — {' '.join(detail.title.split())}",
        subject=reference,
        header=reference,
        lang=lang,
        keywords=tuple(k for k in (detail.court_number, detail.reference) if k),
    )
    return render(info, story, target, generation=Generation.at(generated_at), steps=steps)


def exhibit_line(item: EvidenceView, lang: str) -> str:
    """ "Pièce n° 1 : Délibération n° 18-893 du 14 décembre 2018" as plain text (the date added when the label
    does not already give it)."""
    title = " ".join(clean_text(item.title).split()) or "—"
    text = f"{translate('Exhibit No. {number}', lang).format(number=item.number)}{colon(lang)}{title}"
    if item.document_date is not None and not mentions_date(title, item.document_date):
        text += f" — {format_date(item.document_date, lang)}"
    return text


def mentions_date(text: str, day: date) -> bool:
    """Whether a label already gives this date, written the French or English way or as digits."""
    lowered = " ".join(text.lower().split())
    forms = {
        format_date(day, "fr").lower(),
        format_date(day, "en").lower(),
        f"{day.day} {format_date(day, 'fr').split(' ', 1)[1]}".lower(),  # "1 mars 2020" as well as "1er mars 2020"
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
    }
    return any(form in lowered for form in forms)


def build_bordereau_story(
    detail: CaseDetail,
    *,
    filing_id: uuid.UUID | None = None,
    party_id: uuid.UUID | None = None,
    lang: str = "fr",
    steps: Steps | None = None,
) -> list[Flowable]:
    steps = steps or Steps(None, None)
    st = s.styles()
    filing = find_filing(detail, filing_id)
    items = exhibits_for(detail, filing_id)
    who = sides(detail, filing, party_id)
    flow: list[Flowable] = []
    if detail.court:
        flow.append(parts.para(shorten(detail.court, 200).upper(), st.court))
    if detail.court_number:
        flow.append(parts.para(translate("Case No. {number}", lang).format(number=detail.court_number), st.court))
    flow.append(parts.para(detail.title, st.center_muted))
    flow.append(Spacer(1, 4 * mm))
    facts: list[tuple[str, Flowable]] = [
        (translate("For", lang).upper(), parts.para(", ".join(who.producer) or "—", st.cell_bold)),
    ]
    if who.counsel:
        facts.append((translate("Counsel", lang), parts.para(", ".join(who.counsel), st.cell)))
    if who.opponents:
        facts.append(
            (
                translate("Against", lang).upper(),
                parts.para(", ".join(who.opponents), st.cell_bold),
            )
        )
    if filing is not None:
        what = label(FilingKind, filing.kind, lang)
        if filing.title and filing.title.strip().lower() != what.lower():
            what += f" — {shorten(filing.title, 300)}"
        if filing.filed_on:
            what += f" ({format_date(filing.filed_on, lang)})"
        facts.append((translate("Exhibits filed with", lang), parts.para(what, st.cell)))
    flow.append(s.key_values(facts, label_width=38 * mm))
    flow.append(Para(markup(translate("List of exhibits communicated", lang).upper()), st.heading_center))
    if not items:
        flow.append(Para(markup(translate("No exhibit is communicated.", lang)), st.body))
        return flow
    sep = colon(lang)
    for index, item in enumerate(items):
        steps.every(index)
        head = translate("Exhibit No. {number}", lang).format(number=item.number) + sep
        rest = exhibit_line(item, lang)[len(head) :]
        flow.append(Para(f"<b>{markup(head)}</b>{markup(rest)}", st.exhibit))
    count = translate("{count} exhibits.", lang) if len(items) > 1 else translate("1 exhibit.", lang)
    flow += [Spacer(1, 4 * mm), Para(markup(count.format(count=len(items))), st.muted)]
    return flow
