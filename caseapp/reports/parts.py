"""Pieces several documents share: the case reference, paragraphs of user text, the parties and deadlines
tables. Everything takes read models and a document language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from caseapp.casefile.views import CaseDetail, DeadlineView, FilingView, HearingView, PartyView
from caseapp.domain.date_words import date_phrase, dated_title, is_overdue
from caseapp.domain.enums import DeadlineStatus, FilingKind, PartyKind, PartyRole, Procedure
from caseapp.i18n import N_, NC_, translate
from caseapp.reports import styles as s
from caseapp.reports.formatting import (
    NBSP,
    clean_text,
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

_BLANK_LINES = re.compile(r"\n\s*\n")
CELL_LIMIT = 2000  # characters of one piece of user text in a table cell (a dozen lines across the page)
ROLE_ORDER = {PartyRole.APPLICANT.value: 0, PartyRole.RESPONDENT.value: 1, PartyRole.INTERVENER.value: 2}
ORDINARY_HEARING_RULES = ("hearing-notice", "instruction-closing")  # CJA R711-2, R613-2: not for a référé
REFERE_HEARING_NOTE = N_(
    "Référé hearing: the parties are convened without delay (CJA R522-6); the investigation closes at the end of "
    "the hearing, unless the judge defers its closing (CJA R522-8)."
)
STALE_ORDINARY_DATE = N_(
    "Left out: a date of the ordinary procedure (hearing notice, CJA R711-2, or closing three clear days before, "
    "R613-2) computed for a référé hearing by an earlier version. It does not apply to a référé: run "
    "“caseapp deadline recompute”."
)
STALE_ORDINARY_DATES = N_(
    "Left out: {count} dates of the ordinary procedure (hearing notice, CJA R711-2, or closing three clear days "
    "before, R613-2) computed for a référé hearing by an earlier version. They do not apply to a référé: run "
    "“caseapp deadline recompute”."
)
POINTS_TO_CHECK = N_("Points to check")


# --- the French of the parties' roles -------------------------------------------------------------------------------
# A role agrees with the party it names: "La Quadrature du Net, requérante", "la Région, défenderesse", "M. X,
# requérant". The party records no gender: a person stays masculine (nothing records otherwise, and a first name is
# not a gender); an organisation or a public body is named by a feminine noun (association, société, commune,
# région, collectivité, autorité…) unless its name starts with a masculine one (l'État, le ministre, le préfet, le
# département, un syndicat, un comité…).
_ROLE_FORMS: dict[str, dict[tuple[bool, bool], tuple[str, str]]] = {  # role → (feminine, plural) → (context, text)
    PartyRole.APPLICANT.value: {
        (False, False): NC_("party role", "Applicant"),
        (True, False): NC_("feminine party role", "Applicant"),
        (False, True): NC_("party role", "Applicants"),
        (True, True): NC_("feminine party role", "Applicants"),
    },
    PartyRole.RESPONDENT.value: {
        (False, False): NC_("party role", "Respondent"),
        (True, False): NC_("feminine party role", "Respondent"),
        (False, True): NC_("party role", "Respondents"),
        (True, True): NC_("feminine party role", "Respondents"),
    },
    PartyRole.INTERVENER.value: {
        (False, False): NC_("party role", "Intervener"),
        (True, False): NC_("feminine party role", "Intervener"),
        (False, True): NC_("party role", "Interveners"),
        (True, True): NC_("feminine party role", "Interveners"),
    },
}
_MASCULINE_HEADS = frozenset(
    (
        *("etat", "ministre", "ministere", "prefet", "departement", "conseil", "maire", "president", "premier"),
        *("garde", "recteur", "rectorat", "directeur", "defenseur", "haut", "syndicat", "comite", "collectif"),
        *("groupement", "groupe", "etablissement", "centre", "office", "institut", "ordre", "mouvement", "parti"),
        *("observatoire", "cabinet", "gouvernement", "service", "fonds", "reseau", "bureau", "cercle", "club"),
        *("conservatoire", "laboratoire", "musee", "port", "secretariat", "secretaire", "territoire", "hopital"),
        *("college", "lycee", "tribunal", "barreau", "consortium", "amis", "le"),
    )
)
_ARTICLES = frozenset({"l", "les", "d", "de", "des", "du"})


def _fold_words(text: str | None) -> list[str]:
    """Lower case, no accents, words only ("L'État" → ["l", "etat"])."""
    plain = unicodedata.normalize("NFKD", clean_text(text).lower())
    plain = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return plain.split()


def is_feminine(party: PartyView) -> bool:
    """Whether a party's role is said in the feminine (see above): never for a person."""
    if party.kind not in (PartyKind.ORGANISATION.value, PartyKind.PUBLIC_BODY.value):
        return False
    words = [w for w in _fold_words(party.name) if w not in _ARTICLES] or [""]
    if words[0] == "la":
        return True
    return words[0] not in _MASCULINE_HEADS


def role_label(role: str | None, lang: str, *, feminine: bool = False, plural: bool = False) -> str:
    """ "Requérant", "Requérante", "Requérants", "Requérantes"… (the same English word for either gender)."""
    forms = _ROLE_FORMS.get(role or "")
    if forms is None:
        return label(PartyRole, role, lang)
    context, english = forms[(feminine, plural)]
    return translate(english, document_language(lang), context)


def party_role(party: PartyView, lang: str) -> str:
    """The role of one party, agreeing with it."""
    return role_label(party.role, lang, feminine=is_feminine(party))


def parties_role(parties: Sequence[PartyView], lang: str) -> str:
    """The role of several parties of one side said once ("Requérantes"; masculine as soon as one is)."""
    if not parties:
        return ""
    feminine = all(is_feminine(p) for p in parties)
    return role_label(parties[0].role, lang, feminine=feminine, plural=len(parties) > 1)


def filing_name(filing: FilingView, lang: str) -> str:
    """How a filing is named: its kind, and its title when the title adds something — "Mémoire en réplique"
    rather than "Réplique — Mémoire en réplique", "Mémoire en défense" rather than "Mémoire en défense —
    Mémoire", "Mémoire — Observations sur la mesure d'instruction"."""
    kind = label(FilingKind, filing.kind, lang)
    title = " ".join(clean_text(filing.title).split())
    if not title:
        return kind
    if filing.kind in (FilingKind.OTHER.value, None, "") or kind == filing.kind:
        return title  # "Other", or a kind this version does not know: the title says it better
    said, named = f" {' '.join(_fold_words(title))} ", f" {' '.join(_fold_words(kind))} "
    if named in said:
        return title
    if said in named:
        return kind
    return f"{kind} — {title}"


def room_text(room: str, lang: str) -> str:
    """ "salle 3" for a room recorded as "3"; a room recorded as "Salle 3" is not said twice."""
    words = _fold_words(room)
    if words and words[0] in ("salle", "room", "chambre", "amphitheatre", "amphi"):
        return room
    return translate("room {room}", lang).format(room=room)


HEADING_STYLES = frozenset({"h1", "h2", "h3"})


class HeadingWithStart(Flowable):
    """A heading and what follows it, so that the heading never ends a page: where it does not all fit, the heading
    stays only if the start of what follows (a table's first rows, a paragraph's first lines) fits under it;
    otherwise both go to the next page. Unlike ``KeepTogether`` it never pushes a long table to the next page when
    its start fits."""

    def __init__(self, heading: Flowable, first: Flowable) -> None:
        super().__init__()
        self.heading = heading
        self.first = first
        self.heading_height = 0.0
        self.first_height = 0.0

    def getSpaceBefore(self) -> float:  # ReportLab's names
        return float(self.heading.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.first.getSpaceAfter())

    def _gap(self) -> float:
        return float(self.heading.getSpaceAfter()) + float(self.first.getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _w, self.heading_height = self.heading.wrap(availWidth, availHeight)
        room = max(availHeight - self.heading_height - self._gap(), 0)
        _w, self.first_height = self.first.wrap(availWidth, room)
        self.width = availWidth
        self.height = self.heading_height + self._gap() + self.first_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _w, high = self.heading.wrap(availWidth, availHeight)
        room = availHeight - high - self._gap()
        if room <= 0:
            return []
        _w, needed = self.first.wrap(availWidth, room)
        if needed <= room or self.first.split(availWidth, room):
            self.first.wrap(availWidth, room)  # ReportLab lays it out again where it lands
            return [self.heading, self.first]
        return []  # the heading would be alone: both go to the next page

    def draw(self) -> None:
        self.heading.drawOn(self.canv, 0, self.first_height + self._gap())
        self.first.drawOn(self.canv, 0, 0)


def bind_headings(flow: list[Flowable]) -> list[Flowable]:
    """Every heading (a paragraph in the h1, h2 or h3 style) bound to what follows it (``HeadingWithStart``)."""
    bound: list[Flowable] = []
    index = 0
    while index < len(flow):
        item = flow[index]
        following = flow[index + 1] if index + 1 < len(flow) else None
        if (
            isinstance(item, Paragraph)
            and item.style.name in HEADING_STYLES
            and following is not None
            and not (isinstance(following, Paragraph) and following.style.name in HEADING_STYLES)
        ):
            bound.append(HeadingWithStart(item, following))
            index += 2
            continue
        bound.append(item)
        index += 1
    return bound


def number_text(number: str, lang: str) -> str:
    """ "n° 1901249" / "No. 1901249" (the court's case number)."""
    return f"n°{NBSP}{number}" if document_language(lang) == "fr" else f"No.{NBSP}{number}"


def case_reference(detail: CaseDetail, lang: str) -> str:
    """How the running header names the case: court, number, internal reference, title."""
    pieces: list[str] = []
    if detail.court:
        pieces.append(clean_text(detail.court))
    if detail.court_number:
        pieces.append(number_text(clean_text(detail.court_number), lang))
    if detail.reference:
        pieces.append(clean_text(detail.reference))
    pieces.append(clean_text(detail.title))
    return " — ".join(" ".join(p.split()) for p in pieces if p.strip())


def para(text: str | None, style: ParagraphStyle, *, limit: int = CELL_LIMIT) -> Para:
    """One Paragraph of user text, escaped, and shortened to ``limit`` characters: a table row must never be
    taller than a page (ReportLab would have to split it inside, which spoils the table's headers)."""
    return Para(markup(shorten(text, limit)), style)


def chunks(text: str | None) -> list[str]:
    """User text cut into paragraphs at blank lines, each as escaped markup."""
    plain = clean_text(text).strip()
    return [markup(chunk.strip()) for chunk in _BLANK_LINES.split(plain) if chunk.strip()]


def text_block(text: str | None, style: ParagraphStyle) -> list[Flowable]:
    """Long user text as one Paragraph per paragraph, so it breaks across pages between and inside them."""
    return [Para(chunk, style) for chunk in chunks(text)]


def sorted_parties(parties: Sequence[PartyView]) -> list[PartyView]:
    return sorted(parties, key=lambda p: ROLE_ORDER.get(p.role, 9))


def parties_table(detail: CaseDetail, lang: str) -> Flowable:
    """Role, party and counsel of everyone in the case; a plain sentence when nobody is recorded."""
    st = s.styles()
    if not detail.parties:
        return Para(markup(translate("No party is recorded for this case.", lang)), st.muted)
    rows: list[list[Flowable]] = [
        [
            Para(translate("Role", lang), st.cell_head),
            Para(translate("Party", lang), st.cell_head),
            Para(translate("Counsel", lang), st.cell_head),
        ]
    ]
    for party in sorted_parties(detail.parties):
        counsel = markup(shorten(party.counsel, 300)) if party.counsel else "—"
        if party.counsel_contact:
            counsel += "<br/>" + s.muted(markup(shorten(party.counsel_contact, 300)))
        rows.append(
            [
                Para(markup(party_role(party, lang)), st.cell_bold),
                Para(
                    markup(shorten(party.name, 300)) + "<br/>" + s.muted(markup(label(PartyKind, party.kind, lang))),
                    st.cell,
                ),
                Para(counsel, st.cell),
            ]
        )
    return s.table(rows, [30 * mm, 75 * mm, s.FRAME_WIDTH - 105 * mm])


def is_refere_hearing(detail: CaseDetail, hearing: HearingView) -> bool:
    """A hearing of a référé (L521-1 to L521-3, or an urgent-applications hearing): the parties are convened without
    delay and the investigation closes at its end (R522-6, R522-8), not by R711-2 and R613-2."""
    from caseapp.domain.enums import is_refere_hearing as refere

    try:
        return refere(hearing.kind, detail.procedure)
    except ValueError:  # a kind or procedure this version does not know
        return False


def _urgent_refere_case(detail: CaseDetail) -> bool:
    if not detail.procedure:
        return False
    try:
        return Procedure(detail.procedure).is_urgent_refere
    except ValueError:
        return False


def not_for_refere(detail: CaseDetail, deadline: DeadlineView) -> bool:
    """An R711-2 or R613-2 date of a référé hearing (computed by an earlier version, before the case's
    deadlines were recomputed): documents never show it."""
    if deadline.rule_id not in ORDINARY_HEARING_RULES:
        return False
    if deadline.trigger_kind == "hearing":
        for hearing in detail.hearings:
            if hearing.id == deadline.trigger_id:
                return is_refere_hearing(detail, hearing)
    return _urgent_refere_case(detail)


def open_deadlines(detail: CaseDetail) -> list[DeadlineView]:
    """The open deadlines in date order, without the ordinary-procedure dates of référé hearings."""
    return sorted(
        (d for d in detail.deadlines if d.status == DeadlineStatus.OPEN.value and not not_for_refere(detail, d)),
        key=lambda d: (d.due_on, d.title),
    )


def stale_refere_note(detail: CaseDetail, lang: str) -> list[Flowable]:
    """A line saying that open R711-2 / R613-2 dates of référé hearings were left out, and how to clear them."""
    count = sum(1 for d in detail.deadlines if d.status == DeadlineStatus.OPEN.value and not_for_refere(detail, d))
    if not count:
        return []
    text = translate(STALE_ORDINARY_DATES if count > 1 else STALE_ORDINARY_DATE, lang).format(count=count)
    return [Para(markup(text), s.styles().muted)]


def refere_box(lang: str) -> Flowable:
    """The référé rules of a hearing, framed (hearing sheet)."""
    return s.box([Para(markup(translate(REFERE_HEARING_NOTE, lang)), s.styles().small)])


def checks_box(detail: CaseDetail, lang: str) -> list[Flowable]:
    """The case's points to check ("a référé-suspension needs a pending main action…"), framed in red."""
    if not detail.checks:
        return []
    st = s.styles()
    content: list[Flowable] = [Para(s.alert(markup(translate(POINTS_TO_CHECK, lang))), st.small)]
    language = document_language(lang)
    content += [Para("• " + markup(shorten(check.message(language), 600)), st.small) for check in detail.checks]
    return [s.box(content, alert=True)]


def date_words(deadline: DeadlineView, lang: str) -> str | None:
    """What a deadline's date is when it is not a last day to act: "Décision implicite née le lundi 16 mars
    2026", "Avis d'audience à envoyer par le greffe au plus tard le …", "Clôture de l'instruction le …"."""
    day = format_date(deadline.due_on, lang, weekday=True)
    return date_phrase(deadline.date_kind, deadline.rule_id, day, document_language(lang))


def next_deadline_text(deadline: DeadlineView, lang: str) -> str:
    """ "16 mars 2026 : Saisine de la CADA", or the date said as what it is ("Décision implicite née le lundi 16
    mars 2026 : Refus implicite de communication")."""
    day = format_date(deadline.due_on, lang, weekday=True)
    title = shorten(deadline_title(deadline, lang), 200)
    said = dated_title(deadline.date_kind, deadline.rule_id, title, day, document_language(lang), sep=colon(lang))
    return said or f"{format_date(deadline.due_on, lang)}{colon(lang)}{title}"


def deadline_title(deadline: DeadlineView, lang: str) -> str:
    """A rule's deadline is named in the document's language, whatever the interface's was."""
    if deadline.rule_id:
        from caseapp.domain.deadline_rules import RULES

        rule = RULES.get(deadline.rule_id)
        if rule is not None:
            return rule.label(document_language(lang))
    return deadline.title


def deadlines_table(deadlines: Sequence[DeadlineView], lang: str, today: date) -> Flowable:
    """Open deadlines: due date (overdue ones flagged), what is due and how it was computed, legal basis. A date
    that is not a last day to act says what it is (an implicit decision born, the court's duty, the closing), and
    is never "overdue" when it is the birth of a decision or the court's duty."""
    st = s.styles()
    if not deadlines:
        return Para(markup(translate("No open deadline.", lang)), st.muted)
    rows: list[list[Flowable]] = [
        [
            Para(translate("Due on", lang), st.cell_head),
            Para(translate("Deadline", lang), st.cell_head),
            Para(translate("Legal basis", lang), st.cell_head),
        ]
    ]
    french = document_language(lang) == "fr"
    for deadline in deadlines:
        due = markup(format_date(deadline.due_on, lang))
        if is_overdue(deadline.date_kind, deadline.due_on, today):
            due += "<br/>" + s.alert(markup(translate("overdue", lang)))
        explanation = (deadline.explanation_fr if french else deadline.explanation_en) or (
            deadline.explanation_en if french else deadline.explanation_fr
        )
        what = f"<b>{markup(shorten(deadline_title(deadline, lang), 300))}</b>"
        words = date_words(deadline, lang)
        if words:
            what += f"<br/><i>{markup(words)}</i>"
        if explanation:
            what += "<br/>" + s.muted(markup(shorten(explanation, 800)))
        rows.append(
            [
                Para(due, st.cell),
                Para(what, st.cell),
                Para(markup(shorten(deadline.legal_basis, 200)) or "—", st.cell),
            ]
        )
    return s.table(rows, [32 * mm, s.FRAME_WIDTH - 77 * mm, 45 * mm])


def note_paragraphs(
    text: str, at: datetime, author: str | None, lang: str, *, day: date | None = None
) -> list[Flowable]:
    """One hearing note: its time (Paris; with the date when it is not ``day``, the hearing's) and author,
    then its text, however long, in paragraphs."""
    st = s.styles()
    when = format_time(at, lang) if to_paris(at).date() == day else format_moment(at, lang, weekday=False)
    stamp = f"<b>{markup(when)}</b>"
    if author:
        stamp += " " + s.muted(markup(f"({shorten(author, 80)})"), 8)
    pieces = chunks(text) or [""]
    return [Para(f"{stamp} — {pieces[0]}", st.body), *(Para(p, st.body) for p in pieces[1:])]
