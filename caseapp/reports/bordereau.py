"""The bordereau de pièces: the numbered list of the exhibits filed with a brief (or of the whole case), in the
form French administrative courts expect:

    TRIBUNAL ADMINISTRATIF DE MARSEILLE
    Requête n° 1901249
    POUR : …   CONTRE : …
    BORDEREAU DES PIÈCES COMMUNIQUÉES
    Pièce n° 1 : Délibération n° 18-893 du 14 décembre 2018
    Pièce n° 2 : …

Exhibits keep their case numbers (numbering is continuous across the briefs of a case), each with its label
and, when the label does not already say it, its date. The bordereau of the whole case groups them under the filing
each was produced with ("Pièces non rattachées à un mémoire" for the others). It ends with "Fait à …, le …" and the
signature block of the producing party's counsel; a name or a town that is not recorded is a line to fill by hand,
never a guess.

It goes to the court and the other side: no "Confidentiel", nothing about the program; its footer is the case
number and the page (``DocumentInfo.for_court``).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from caseapp.casefile.views import CaseDetail, EvidenceView, FilingView, PartyView
from caseapp.domain.enums import PartyRole
from caseapp.domain.holidays_fr import court_city
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, ngettext, translate
from caseapp.progress import CancelCheck, Progress
from caseapp.reports import parts
from caseapp.reports import styles as s
from caseapp.reports.base import DocumentInfo, Generation, RenderResult, Steps, Target, render
from caseapp.reports.formatting import (
    clean_text,
    colon,
    document_language,
    format_date,
    markup,
    shorten,
)
from caseapp.reports.styles import Para

UNATTACHED = N_("Exhibits not attached to a brief")
TO_FILL = "_" * 28  # a line to write on, for what is not recorded

_OPPOSITE = {
    PartyRole.APPLICANT.value: PartyRole.RESPONDENT.value,
    PartyRole.RESPONDENT.value: PartyRole.APPLICANT.value,
}


@dataclass(frozen=True)
class Sides:
    """Who produces the exhibits and against whom (names as they are printed; the parties, for their roles)."""

    producer: tuple[str, ...]
    counsel: tuple[str, ...]
    opponents: tuple[str, ...]
    producing: tuple[PartyView, ...] = ()
    opposing: tuple[PartyView, ...] = ()


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
    opposing = [p for p in detail.parties if opposite and p.role == opposite]
    counsel: list[str] = []
    for party in producing:
        name = " ".join(clean_text(party.counsel).split())
        if name and name not in counsel:
            counsel.append(name)
    return Sides(
        tuple(names),
        tuple(counsel),
        tuple(clean_text(p.name) for p in opposing),
        tuple(producing),
        tuple(opposing),
    )


def render_bordereau(
    detail: CaseDetail,
    target: Target,
    *,
    filing_id: uuid.UUID | None = None,
    party_id: uuid.UUID | None = None,
    lang: str = "fr",
    only: Collection[uuid.UUID] | None = None,
    signature_city: str | None = None,
    generated_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """Write the bordereau of a filing's exhibits (or, without ``filing_id``, of every exhibit of the case).

    ``party_id`` names the party producing the exhibits when it is not the filing's author. ``only`` limits it to
    those exhibits (the ones a Télérecours set really holds). ``signature_city`` is the town of "Fait à …" (by
    default the seat of the case's court, else a line to fill). Raises InvalidInput for a filing of another case,
    StorageError when the target cannot be written.
    """
    steps = Steps(progress, cancelled)
    lang = document_language(lang)
    generation = Generation.at(generated_at)
    story = build_bordereau_story(
        detail,
        filing_id=filing_id,
        party_id=party_id,
        lang=lang,
        steps=steps,
        only=only,
        signed_on=generation.today,
        signature_city=signature_city,
    )
    court = " — ".join(
        " ".join(p.split())
        for p in (detail.court or "", parts.number_text(detail.court_number, lang) if detail.court_number else "")
        if p.strip()
    )
    info = DocumentInfo(
        title=f"{translate('List of exhibits', lang)} — {court or ' '.join(detail.title.split())}",
        subject=court,
        header="",
        lang=lang,
        author="",
        keywords=tuple(k for k in (detail.court_number,) if k),
        for_court=True,
        confidential=False,
        court_number=detail.court_number,
    )
    return render(info, story, target, generation=generation, steps=steps)


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
    only: Collection[uuid.UUID] | None = None,
    signed_on: date | None = None,
    signature_city: str | None = None,
) -> list[Flowable]:
    steps = steps or Steps(None, None)
    st = s.styles()
    filing = find_filing(detail, filing_id)
    items = exhibits_for(detail, filing_id)
    if only is not None:
        kept = set(only)
        items = [item for item in items if item.id in kept]
    who = sides(detail, filing, party_id)
    flow: list[Flowable] = []
    if detail.court:
        flow.append(parts.para(shorten(detail.court, 200).upper(), st.court))
    if detail.court_number:
        flow.append(parts.para(translate("Case No. {number}", lang).format(number=detail.court_number), st.court))
    else:
        flow.append(parts.para(detail.title, st.center_muted))  # no number yet: the case named some other way
    flow.append(Spacer(1, 4 * mm))
    facts: list[tuple[str, Flowable]] = [
        (translate("For", lang).upper(), _side(who.producer, who.producing, lang)),
    ]
    if who.counsel:
        facts.append((translate("Counsel", lang), parts.para(", ".join(who.counsel), st.cell)))
    if who.opponents:
        facts.append((translate("Against", lang).upper(), _side(who.opponents, who.opposing, lang)))
    if filing is not None:
        what = parts.filing_name(filing, lang)
        if filing.filed_on:
            what += f" ({format_date(filing.filed_on, lang)})"
        facts.append((translate("Exhibits filed with", lang), parts.para(shorten(what, 400), st.cell)))
    flow.append(s.key_values(facts, label_width=38 * mm))
    flow.append(Para(markup(translate("List of exhibits communicated", lang).upper()), st.heading_center))
    if not items:
        flow.append(Para(markup(translate("No exhibit is communicated.", lang)), st.body))
    else:
        groups = [(None, items)] if filing is not None else _by_filing(detail, items, lang)
        index = 0
        for heading, group in groups:
            if heading is not None:
                flow.append(Para(markup(heading), _group_style()))
            for item in group:
                steps.every(index)
                index += 1
                flow.append(_exhibit_para(item, lang))
        count = ngettext("{count} exhibit.", "{count} exhibits.", len(items), lang).format(count=len(items))
        flow += [Spacer(1, 4 * mm), Para(markup(count), st.muted)]
    flow.append(_signature(detail, who, lang, signed_on or Generation.at().today, signature_city))
    return flow


def _side(names: tuple[str, ...], parties: tuple[PartyView, ...], lang: str) -> Flowable:
    """The names of one side, in bold, and under them their role, agreeing with them ("Requérantes")."""
    st = s.styles()
    text = f"<b>{markup(shorten(', '.join(names), 1500)) or '—'}</b>"
    role = parts.parties_role(parties, lang)
    if role:
        text += f"<br/><i>{markup(role)}</i>"
    return Para(text, st.cell)


def _exhibit_para(item: EvidenceView, lang: str) -> Flowable:
    head = translate("Exhibit No. {number}", lang).format(number=item.number) + colon(lang)
    rest = exhibit_line(item, lang)[len(head) :]
    return Para(f"<b>{markup(head)}</b>{markup(rest)}", s.styles().exhibit)


def _by_filing(detail: CaseDetail, items: list[EvidenceView], lang: str) -> list[tuple[str | None, list[EvidenceView]]]:
    """The exhibits of the whole case under the filing each was produced with (those of no filing under their own
    heading), the groups in the order of their first number; no heading at all when none belongs to a filing."""
    filings = {f.id: f for f in detail.filings}
    grouped: dict[uuid.UUID | None, list[EvidenceView]] = {}
    for item in items:
        key = item.filing_id if item.filing_id in filings else None
        grouped.setdefault(key, []).append(item)
    if list(grouped) == [None]:
        return [(None, items)]
    result: list[tuple[str | None, list[EvidenceView]]] = []
    for key, group in sorted(grouped.items(), key=lambda kv: min(e.number for e in kv[1])):
        if key is None:
            result.append((translate(UNATTACHED, lang), group))
            continue
        filing = filings[key]
        result.append((_filing_heading(filing, lang), group))
    return result


def _filing_heading(filing: FilingView, lang: str) -> str:
    what = parts.filing_name(filing, lang)
    if filing.filed_on:
        what += f" ({format_date(filing.filed_on, lang)})"
    return shorten(what, 300)


def _group_style() -> ParagraphStyle:
    return ParagraphStyle("exhibit_group", parent=s.styles().h3, textColor=s.ACCENT, keepWithNext=1, spaceBefore=8)


def _signature(detail: CaseDetail, who: Sides, lang: str, signed_on: date, signature_city: str | None) -> Flowable:
    """ "Fait à Marseille, le 3 février 2020", "Pour La Quadrature du Net et autres," and the counsel who signs:
    the town and the name are lines to fill by hand when they are not recorded."""
    base = s.styles().body
    block = ParagraphStyle("signature", parent=base, leftIndent=s.FRAME_WIDTH * 0.45, spaceAfter=2)
    city = " ".join((signature_city or "").split()) or court_city(detail.court or "") or TO_FILL
    done = translate("Done at {city}, on {date}", lang).format(city=city, date=format_date(signed_on, lang))
    lines: list[Flowable] = [Spacer(1, 10 * mm), Para(markup(done), block)]
    names = list(who.producer)
    if names:
        if len(names) == 1:
            party = names[0]
        elif len(names) == 2:
            party = translate("{first} and {second}", lang).format(first=names[0], second=names[1])
        else:
            party = translate("{first} and others", lang).format(first=names[0])
        lines.append(Para(markup(translate("For {party},", lang).format(party=shorten(party, 300))), block))
    signer = [Para(f"<b>{markup(name)}</b>", block) for name in who.counsel] or [Para(markup(TO_FILL), block)]
    lines += [Spacer(1, 2 * mm), *signer]
    return KeepTogether(lines)
