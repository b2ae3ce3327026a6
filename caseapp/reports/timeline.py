"""The chronology of a case as a read model: its decisions, filings, hearings, regulator opinions, CADA steps and
the dates of its exhibits (the date of the document, not of its upload) on one time line.

``build_chronology`` is pure: it reads a ``CaseDetail`` and returns the dated entries in order, each with the
exhibits it cites. The PDF annex (``reports/chronology.py``) and, through ``caseapp.services.chronology``, the
picture in the case view (``ui/case_view/chronology.py``) lay out what it returns, so they never disagree. Each entry
carries tags (its kind, and for an opinion its authority): ``tags=("decision",)`` keeps only the decisions. Here,
below the services, because the documents may not import them; no ReportLab, no Qt.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from caseapp.domain.enums import (
    AccessStatus,
    Authority,
    FilingKind,
    HearingKind,
    HearingStatus,
    Outcome,
    Position,
)
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, current_language, ngettext, translate
from caseapp.reports.formatting import clean_text, document_language, format_date, label, shorten, to_paris

if TYPE_CHECKING:
    from caseapp.casefile.views import CaseDetail, FilingView

# The kinds of entries, in the order they come within one day (a request before the decision that answers it,
# the hearing before the decision given at its end), each with its label for a legend or a filter.
KINDS: dict[str, str] = {
    "case": N_("Case"),
    "exhibit": N_("Exhibit"),
    "filing": N_("Filing"),
    "cada": N_("CADA request"),
    "opinion": N_("Opinion"),
    "hearing": N_("Hearing"),
    "decision": N_("Decision"),
}
_RANK = {kind: index for index, kind in enumerate(KINDS)}
TITLE_LIMIT = 240  # characters of a record's own title in an entry
AUTHORITY_TAGS = {a.value: a.value.replace("_", "-") for a in Authority}  # "cnil", "cada", "defenseur-des-droits"


@dataclass(frozen=True)
class ChronologyEntry:
    """One dated event of the case, said in one language."""

    day: date
    kind: str  # a key of KINDS
    text: str  # what happened ("Jugement — annulation", "Pièce n° 12 — Délibération n° 18-893")
    detail: str = ""  # a second line (the outcome, who filed it, the authority's position)
    exhibits: tuple[int, ...] = ()  # the exhibit numbers this entry cites (a filing's exhibits, the exhibit itself)
    tags: frozenset[str] = frozenset()
    record_id: uuid.UUID | None = None
    important: bool = False  # a decision: drawn and printed with more weight
    order: int = 0  # within the same day and kind, the order the case holds them in

    @property
    def sort_key(self) -> tuple[date, int, int]:
        return (self.day, _RANK.get(self.kind, len(_RANK)), self.order)


@dataclass(frozen=True)
class Chronology:
    """The dated entries in order, and what could not be placed on the time line (records with no date)."""

    case_id: uuid.UUID
    lang: str
    entries: tuple[ChronologyEntry, ...]
    undated: tuple[ChronologyEntry, ...] = ()
    tags: tuple[str, ...] = ()  # the filter it was built with (empty: everything)

    @property
    def first(self) -> date | None:
        return self.entries[0].day if self.entries else None

    @property
    def last(self) -> date | None:
        return self.entries[-1].day if self.entries else None


def available_tags(detail: CaseDetail) -> list[str]:
    """The tags the case's chronology can be filtered by (the kinds present, then the authorities)."""
    built = build_chronology(detail, lang="en")
    found: set[str] = set()
    for entry in (*built.entries, *built.undated):
        found |= entry.tags
    kinds = [k for k in KINDS if k in found]
    return kinds + sorted(found - set(kinds))


def tag_label(tag: str, lang: str | None = None) -> str:
    """A tag for people: the kind's label, or the authority's."""
    if tag in KINDS:
        return translate(KINDS[tag], lang)
    for value, name in AUTHORITY_TAGS.items():
        if name == tag:
            return Authority(value).label(lang or current_language())
    return tag


def exhibit_citation(numbers: Sequence[int], lang: str | None = None) -> str:
    """ "pièce n° 12", "pièces n° 3 à 5 et 9" (runs of three or more as a range); "" when none."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    lang = document_language(lang or current_language())
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(translate("{first} to {last}", lang).format(first=run[0], last=run[-1]))
        else:
            parts.extend(str(n) for n in run)
    if len(parts) == 1:
        joined = parts[0]
    else:
        joined = translate("{items} and {last}", lang).format(items=", ".join(parts[:-1]), last=parts[-1])
    said = ngettext("exhibit no. {numbers}", "exhibits nos. {numbers}", len(ordered), lang).format(numbers=joined)
    for short in ("n°", "nos.", "no."):  # never "n°" at the end of a line, its number on the next
        said = said.replace(f"{short} ", f"{short}\u00a0")
    return said


def _filing_name(filing: FilingView, lang: str) -> str:
    """The kind, and the title when it adds something ("Jugement — n° 1901249")."""
    kind = label(FilingKind, filing.kind, lang)
    title = " ".join(clean_text(filing.title).split())
    if not title or title.lower() == kind.lower():
        return kind
    if filing.kind == FilingKind.OTHER.value or kind.lower() in title.lower():
        return shorten(title, TITLE_LIMIT)
    return f"{kind} — {shorten(title, TITLE_LIMIT)}"


def build_chronology(detail: CaseDetail, *, lang: str | None = None, tags: Iterable[str] = ()) -> Chronology:
    """Every dated event of ``detail`` in order, said in ``lang`` (the interface language by default); with
    ``tags``, only the entries carrying one of them. Raises InvalidInput for a tag no entry could carry."""
    lang = document_language(lang or current_language())
    wanted = tuple(dict.fromkeys(t.strip().lower() for t in tags if t and t.strip()))
    known = set(KINDS) | set(AUTHORITY_TAGS.values())
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise InvalidInput(
            _("Unknown tag “{tag}”: use one of {known}.").format(tag=unknown[0], known=", ".join(sorted(known))),
            field="tag",
        )
    entries = [*_case_entries(detail, lang), *_filing_entries(detail, lang), *_hearing_entries(detail, lang)]
    entries += [*_opinion_entries(detail, lang), *_access_entries(detail, lang), *_exhibit_entries(detail, lang)]
    if wanted:
        entries = [e for e in entries if e.tags & set(wanted)]
    dated = sorted((e for e in entries if e.day != date.min), key=lambda e: e.sort_key)
    undated = [e for e in entries if e.day == date.min]
    return Chronology(detail.id, lang, tuple(dated), tuple(undated), wanted)


# --- the entries of each kind of record --------------------------------------------------------------------------


def _entry(
    day: date | None,
    kind: str,
    text: str,
    *,
    detail: str = "",
    exhibits: tuple[int, ...] = (),
    record_id: uuid.UUID | None = None,
    important: bool = False,
    order: int = 0,
    more_tags: Iterable[str] = (),
) -> ChronologyEntry:
    """An entry; a record with no date gets ``date.min`` and goes to the undated ones."""
    tags = frozenset({kind, *more_tags})
    return ChronologyEntry(day or date.min, kind, text, detail, exhibits, tags, record_id, important, order)


def _case_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    found = []
    if detail.opened_on:
        found.append(_entry(detail.opened_on, "case", translate("Case opened", lang), record_id=detail.id))
    if detail.closed_on:
        found.append(_entry(detail.closed_on, "case", translate("Case closed", lang), record_id=detail.id, order=1))
    return found


def _filing_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    by_filing: dict[uuid.UUID, list[int]] = {}
    for item in detail.evidence:
        if item.filing_id is not None:
            by_filing.setdefault(item.filing_id, []).append(item.number)
    found = []
    for order, filing in enumerate(detail.filings):
        name = _filing_name(filing, lang)
        decision = filing.is_decision
        kind = "decision" if decision else "filing"
        details: list[str] = []
        if filing.outcome:
            details.append(label(Outcome, filing.outcome, lang))
        if filing.party_name and not decision:
            details.append(translate("by {party}", lang).format(party=shorten(filing.party_name, 120)))
        if filing.reference:
            details.append(shorten(filing.reference, 60))
        exhibits = tuple(sorted(by_filing.get(filing.id, ())))
        found.append(
            _entry(
                filing.filed_on,
                kind,
                name,
                detail=" — ".join(details),
                exhibits=exhibits,
                record_id=filing.id,
                important=decision,
                order=order,
            )
        )
        if filing.notified_on and filing.notified_on != filing.filed_on:
            text = translate("{name} notified", lang).format(name=name)
            found.append(_entry(filing.notified_on, kind, text, record_id=filing.id, order=order))
        if filing.received_on and filing.received_on != filing.filed_on:
            text = translate("{name} received by the administration", lang).format(name=name)
            found.append(_entry(filing.received_on, kind, text, record_id=filing.id, order=order))
    return found


def _hearing_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    found = []
    for order, hearing in enumerate(detail.hearings):
        text = label(HearingKind, hearing.kind, lang)
        when = to_paris(hearing.starts_at)
        details = [f"{when:%H:%M}" if lang == "en" else f"{when.hour} h {when.minute:02d}"]
        if hearing.status not in (HearingStatus.SCHEDULED.value, HearingStatus.HELD.value):
            details.append(label(HearingStatus, hearing.status, lang))
        if hearing.outcome:
            details.append(shorten(hearing.outcome, 160))
        found.append(
            _entry(when.date(), "hearing", text, detail=" — ".join(details), record_id=hearing.id, order=order)
        )
    return found


def _opinion_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    found = []
    for order, opinion in enumerate(detail.opinions):
        authority = label(Authority, opinion.authority, lang)
        title = shorten(" ".join(clean_text(opinion.title).split()), TITLE_LIMIT)
        text = translate("Opinion — {authority}: {title}", lang).format(authority=authority, title=title)
        details = [label(Position, opinion.position, lang)]
        if opinion.reference:
            details.append(shorten(opinion.reference, 60))
        more = {AUTHORITY_TAGS.get(opinion.authority, opinion.authority)}
        found.append(
            _entry(
                opinion.issued_on,
                "opinion",
                text,
                detail=" — ".join(details),
                record_id=opinion.id,
                order=order,
                more_tags=more,
            )
        )
    return found


def _access_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    found = []
    for order, request in enumerate(detail.access_requests):
        who = shorten(request.administration, 160)
        what = shorten(" ".join(clean_text(request.documents).split()), 160)
        if request.sent_on:
            text = translate("CADA request sent to {administration}", lang).format(administration=who)
            found.append(_entry(request.sent_on, "cada", text, detail=what, record_id=request.id, order=order))
        if request.received_on:
            text = translate("CADA request received by {administration}", lang).format(administration=who)
            found.append(_entry(request.received_on, "cada", text, record_id=request.id, order=order))
        for step in request.steps:
            if step.status in (AccessStatus.DRAFT.value, AccessStatus.SENT.value):
                continue  # said by the dates above
            text = translate("CADA request: {step}", lang).format(step=label(AccessStatus, step.status, lang))
            note = shorten(step.note, 160) if step.note else ""
            found.append(_entry(step.on, "cada", text, detail=note, record_id=request.id, order=order))
        if not request.sent_on and not request.steps:
            text = translate("CADA request to {administration} (not sent)", lang).format(administration=who)
            found.append(_entry(None, "cada", text, detail=what, record_id=request.id, order=order))
    return found


def _exhibit_entries(detail: CaseDetail, lang: str) -> list[ChronologyEntry]:
    found = []
    for item in sorted(detail.evidence, key=lambda e: e.number):
        title = shorten(" ".join(clean_text(item.title).split()), TITLE_LIMIT)
        found.append(
            _entry(
                item.document_date,
                "exhibit",
                title,
                detail=shorten(item.source, 160) if item.source else "",
                exhibits=(item.number,),
                record_id=item.id,
                order=item.number,
            )
        )
    return found


def day_text(day: date, lang: str | None = None) -> str:
    """ "14 février 2019" (no weekday: the time line is read down a column)."""
    return format_date(day, document_language(lang or current_language()))


def entry_line(entry: ChronologyEntry, lang: str | None = None, *, with_date: bool = True) -> str:
    """One entry as a line of text: "27 février 2020 — Jugement — Annulation (pièce n° 12)"."""
    lang = document_language(lang or current_language())
    text = entry.text
    if entry.detail:
        text += f" — {entry.detail}"
    cited = exhibit_citation(entry.exhibits, lang)
    if cited:
        text += f" ({cited})"
    if with_date and entry.day != date.min:
        text = f"{format_date(entry.day, lang)} — {text}"
    return text
