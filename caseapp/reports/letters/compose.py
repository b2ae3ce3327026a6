"""What a letter says, filled from the case: who writes (counsel, from the settings or the case), to whom (the
administration), about what (the request, the decision), and the legal references — in French by default.

Every sentence is an English source string whose French is in ``reports.po``; what the case does not record is a
bracketed blank to fill in ("[à compléter : adresse]"), never a guess. Nothing here lays anything out: ``write``
does, in PDF, OpenDocument or Word.

The references (the letters cite them; tests check them):

- CADA request: CRPA L300-1, L311-1 and following (the right of access), L311-7 (hiding what cannot be given),
  L311-9 (how documents are given); R311-13: one month of silence is a refusal; L342-1 and R343-1: the refusal is
  referred to the CADA within two months, before any court.
- Referral to the CADA: CRPA L342-1 (mandatory before the court), R343-1 (two months from the refusal; a copy of
  the refusal or of the unanswered request goes with it).
- Recours gracieux: CRPA L411-2 (filed within the time limit for going to court, it keeps that limit: a full new
  one runs from its rejection), L231-4 (two months of silence are a rejection).
- Demande préalable: CJA R421-1 (the court is seized only against a decision: the claim makes one), CRPA L231-4,
  CJA R421-2.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from caseapp.casefile.views import AccessRequestView, CaseDetail, FilingView, PartyView
from caseapp.domain.deadlines import implicit_decision_birth
from caseapp.domain.enums import AccessStatus, FilingKind, PartyKind, PartyRole
from caseapp.domain.holidays_fr import court_city
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, translate
from caseapp.reports.formatting import clean_text, document_language, format_date
from caseapp.reports.letters import KINDS

CADA_ADDRESS = (
    "Commission d'accès aux documents administratifs",
    "20, avenue de Ségur",
    "TSA 50730",
    "75334 Paris Cedex 07",
)
FINISHED = (AccessStatus.DOCUMENTS_RECEIVED.value, AccessStatus.CLOSED.value)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a letter's body, as plain text; ``quote`` sets it apart."""

    text: str
    quote: bool = False  # set apart (the documents asked for)


@dataclass(frozen=True)
class Letter:
    """A letter as plain text, ready to be laid out in any format."""

    kind: str
    lang: str
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    place_date: str
    delivery: str
    subject: str
    references: tuple[str, ...]
    salutation: str
    body: tuple[Paragraph, ...]
    closing: str
    signature: tuple[str, ...]
    enclosures: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()  # the articles the letter rests on (for the command's report and tests)
    to_fill: int = field(default=0)  # how many blanks are left to fill in by hand

    def lines(self) -> list[str]:
        """Every line of the letter, in order (what a reader of any format sees)."""
        out = [*self.sender, "", *self.recipient, "", self.place_date, "", self.delivery, self.subject]
        out += [*self.references, "", self.salutation, ""]
        out += [p.text for p in self.body]
        out += ["", self.closing, "", *self.signature]
        if self.enclosures:
            out += ["", translate("Enclosures:", self.lang), *(f"– {e}" for e in self.enclosures)]
        return out


@dataclass(frozen=True)
class Counsel:
    """Who signs: a name and address lines (both may be empty)."""

    name: str = ""
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterFacts:
    """What a letter needs beside the case: which request or decision, an amount, the day it is dated."""

    request_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    amount: str | None = None
    city: str | None = None
    today: date | None = None


def blank(what: str, lang: str) -> str:
    return translate("[to complete: {what}]", lang).format(what=translate(what, lang))


def _one_line(text: str | None) -> str:
    return " ".join(clean_text(text).split())


def _names(parties: list[PartyView], lang: str) -> str:
    names = [_one_line(p.name) for p in parties]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return translate("{items} and {last}", lang).format(items=", ".join(names[:-1]), last=names[-1])


def applicants(detail: CaseDetail) -> list[PartyView]:
    return [p for p in detail.parties if p.role == PartyRole.APPLICANT.value]


def counsel_of(detail: CaseDetail, configured: Counsel | None) -> Counsel:
    """The counsel named in the settings, else the first applicant's recorded counsel (``counsel_contact`` as the
    address), else nobody."""
    if configured is not None and configured.name.strip():
        return configured
    for party in applicants(detail):
        if party.counsel and party.counsel.strip():
            contact = [line.strip() for line in clean_text(party.counsel_contact).splitlines() if line.strip()]
            return Counsel(_one_line(party.counsel), tuple(contact))
    return configured or Counsel()


def respondent(detail: CaseDetail) -> PartyView | None:
    found = [p for p in detail.parties if p.role == PartyRole.RESPONDENT.value]
    public = [p for p in found if p.kind == PartyKind.PUBLIC_BODY.value]
    chosen = public or found
    return chosen[0] if chosen else None


def access_request(detail: CaseDetail, request_id: uuid.UUID | None, *, sent: bool) -> AccessRequestView | None:
    """The request a letter is about: the one asked for, else the latest still running (one already sent for a
    referral, preferably one not yet sent for a request)."""
    if request_id is not None:
        for request in detail.access_requests:
            if request.id == request_id:
                return request
        raise InvalidInput(_("This CADA request is not one of the case's."), field="request_id")
    running = [r for r in detail.access_requests if r.status not in FINISHED]
    preferred = [r for r in running if bool(r.sent_on) == sent]  # sent ones for a referral, drafts for a request
    running = preferred or running
    running.sort(key=lambda r: r.sent_on or date.max)
    return running[-1] if running else None


def contested_decision(detail: CaseDetail, decision_id: uuid.UUID | None) -> FilingView | None:
    """The administrative decision a recours gracieux is about: the one asked for, else the latest recorded."""
    if decision_id is not None:
        for filing in detail.filings:
            if filing.id == decision_id:
                return filing
        raise InvalidInput(_("This decision is not one of the case's."), field="decision_id")
    decisions = [f for f in detail.filings if f.kind == FilingKind.DECISION.value]
    decisions.sort(key=lambda f: f.filed_on or date.min)
    return decisions[-1] if decisions else None


def refusal_of(request: AccessRequestView) -> tuple[date | None, bool]:
    """When the request was refused, and whether expressly: a recorded refusal step, else the day the silence
    became a refusal (CRPA R311-13: one month after it was received)."""
    for step in request.steps:
        if step.status == AccessStatus.EXPLICIT_REFUSAL.value:
            return step.on, True
    for step in request.steps:
        if step.status == AccessStatus.IMPLICIT_REFUSAL.value:
            return step.on, False
    if request.received_on:
        return implicit_decision_birth(request.received_on, 1), False
    return None, False


def compose(
    kind: str, detail: CaseDetail, *, lang: str = "fr", counsel: Counsel | None = None, facts: LetterFacts | None = None
) -> Letter:
    """The letter ``kind`` (one of ``KINDS``) for the case ``detail``."""
    if kind not in KINDS:
        raise InvalidInput(_("CaseApp writes these letters: {kinds}.").format(kinds=", ".join(KINDS)), field="kind")
    lang = document_language(lang)
    facts = facts or LetterFacts()
    signer = counsel_of(detail, counsel)
    clients = _names(applicants(detail), lang) or blank(N_("the client's name"), lang)
    writer = _Writer(detail, lang, signer, clients, facts)
    return {
        "cada-request": writer.cada_request,
        "cada-referral": writer.cada_referral,
        "recours-gracieux": writer.recours_gracieux,
        "demande-prealable": writer.demande_prealable,
    }[kind]()


class _Writer:
    def __init__(self, detail: CaseDetail, lang: str, signer: Counsel, clients: str, facts: LetterFacts) -> None:
        self.detail = detail
        self.lang = lang
        self.signer = signer
        self.clients = clients
        self.facts = facts
        self.today = facts.today or date.today()

    def translate(self, text: str) -> str:
        return translate(text, self.lang)

    def day(self, day: date | None, what: str = N_("date")) -> str:
        return format_date(day, self.lang) if day else blank(what, self.lang)

    # -- the parts every letter shares ----------------------------------------------------------------------

    def sender(self) -> tuple[str, ...]:
        if self.signer.name:
            lines = [self.signer.name, *self.signer.address]
            lines.append(self.translate("Counsel for {client}").format(client=self.clients))
            if not self.signer.address:
                lines.insert(1, blank(N_("address"), self.lang))
            return tuple(lines)
        return (self.clients, blank(N_("address"), self.lang))

    def signature(self) -> tuple[str, ...]:
        if self.signer.name:
            return (self.signer.name,)
        return (
            self.translate("For {client},").format(client=self.clients),
            blank(N_("name and capacity of the signatory"), self.lang),
        )

    def recipient(self, name: str | None) -> tuple[str, ...]:
        if not name:
            return (blank(N_("the administration"), self.lang), blank(N_("address"), self.lang))
        return (name, blank(N_("address"), self.lang))

    def place_date(self) -> str:
        city = _one_line(self.facts.city) or court_city(self.detail.court or "") or blank(N_("town"), self.lang)
        return self.translate("{city}, on {date}").format(city=city, date=format_date(self.today, self.lang))

    def references(self) -> tuple[str, ...]:
        ours = _one_line(self.detail.reference) or _one_line(self.detail.title)
        lines = [self.translate("Our reference: {reference}").format(reference=ours)]
        if self.detail.court_number and self.detail.court:
            lines.append(
                self.translate("Case: {court}, No. {number}").format(
                    court=_one_line(self.detail.court), number=_one_line(self.detail.court_number)
                )
            )
        return tuple(lines)

    def letter(self, kind: str, **parts: object) -> Letter:
        letter = Letter(
            kind=kind,
            lang=self.lang,
            sender=self.sender(),
            place_date=self.place_date(),
            delivery=self.translate("Registered letter with acknowledgement of receipt"),
            references=self.references(),
            salutation=self.translate("Madam, Sir,"),
            closing=self.translate("Yours faithfully,"),
            signature=self.signature(),
            **parts,  # type: ignore[arg-type]
        )
        blanks = sum(line.count(self.translate("[to complete: {what}]").split("{")[0]) for line in letter.lines())
        return Letter(**{**letter.__dict__, "to_fill": blanks})

    def subject(self, text: str) -> str:
        return self.translate("Subject: {subject}").format(subject=text)

    # -- the four letters --------------------------------------------------------------------------------------

    def cada_request(self) -> Letter:
        request = access_request(self.detail, self.facts.request_id, sent=False)
        administration = _one_line(request.administration) if request else ""
        if not administration:
            other = respondent(self.detail)
            administration = _one_line(other.name) if other else ""
        documents = clean_text(request.documents).strip() if request else ""
        body = [
            Paragraph(
                self.translate(
                    "Acting on behalf of {client}, I have the honour of asking you, on the basis of articles L300-1 "
                    "and L311-1 and following of the code of relations between the public and the administration "
                    "(CRPA), to communicate to me the following administrative documents:"
                ).format(client=self.clients)
            ),
            Paragraph(documents or blank(N_("the documents requested"), self.lang), quote=True),
            Paragraph(
                self.translate(
                    "In accordance with article L311-9 of the same code, I would like these documents to be sent to "
                    "me by e-mail or, failing that, as copies by post, at my expense within the limit of the cost of "
                    "reproduction and sending."
                )
            ),
            Paragraph(
                self.translate(
                    "Should some of these documents contain information that cannot be communicated, please "
                    "communicate them once that information is hidden, in accordance with article L311-7 of the "
                    "same code."
                )
            ),
            Paragraph(
                self.translate(
                    "Under article R311-13 of the same code, silence kept for more than one month from the receipt "
                    "of this request will amount to a decision of refusal, which I may refer to the Commission "
                    "d'accès aux documents administratifs (CADA) within two months (articles L342-1 and R343-1 of "
                    "the same code)."
                )
            ),
        ]
        return self.letter(
            "cada-request",
            recipient=self.recipient(administration),
            subject=self.subject(self.translate("Request for the communication of administrative documents")),
            body=tuple(body),
            legal_basis=("CRPA L300-1", "CRPA L311-1", "CRPA L311-7", "CRPA L311-9", "CRPA R311-13", "CRPA L342-1"),
        )

    def cada_referral(self) -> Letter:
        request = access_request(self.detail, self.facts.request_id, sent=True)
        if request is None:
            raise InvalidInput(
                _("Record the CADA request in the case first (its administration, documents and dates)."),
                field="request_id",
            )
        administration = _one_line(request.administration) or blank(N_("the administration"), self.lang)
        refused, express = refusal_of(request)
        body = [
            Paragraph(
                self.translate(
                    "Acting on behalf of {client}, I have the honour of referring to the Commission the refusal by "
                    "{administration} of the request for the communication of the following documents, made on "
                    "{sent}:"
                ).format(client=self.clients, administration=administration, sent=self.day(request.sent_on))
            ),
            Paragraph(
                clean_text(request.documents).strip() or blank(N_("the documents requested"), self.lang), quote=True
            ),
        ]
        if express:
            body.append(
                Paragraph(
                    self.translate("This request was refused by a decision of {date}.").format(date=self.day(refused))
                )
            )
        else:
            body.append(
                Paragraph(
                    self.translate(
                        "This request, received on {received}, has remained unanswered for more than one month: "
                        "under article R311-13 of the code of relations between the public and the administration, "
                        "an implicit decision of refusal was born on {born}."
                    ).format(received=self.day(request.received_on), born=self.day(refused))
                )
            )
        body.append(
            Paragraph(
                self.translate(
                    "This referral, which must precede any action before the administrative court (article L342-1 "
                    "of the same code), is made within the two months set by article R343-1 of the same code. I ask "
                    "the Commission to give an opinion in favour of the communication of these documents."
                )
            )
        )
        enclosures = [self.translate("Copy of the request of {date}").format(date=self.day(request.sent_on))]
        if express:
            enclosures.append(self.translate("Copy of the decision of refusal"))
        return self.letter(
            "cada-referral",
            recipient=CADA_ADDRESS,
            subject=self.subject(self.translate("Referral to the CADA (articles L342-1 and R343-1 of the CRPA)")),
            body=tuple(body),
            enclosures=tuple(enclosures),
            legal_basis=("CRPA L342-1", "CRPA R343-1", "CRPA R311-13"),
        )

    def recours_gracieux(self) -> Letter:
        decision = contested_decision(self.detail, self.facts.decision_id)
        other = respondent(self.detail)
        what = _one_line(decision.title) if decision and decision.title else ""
        what = what or blank(N_("the contested decision"), self.lang)
        notified = ""
        if decision and decision.notified_on:
            notified = self.translate(", notified on {date}").format(date=format_date(decision.notified_on, self.lang))
        body = [
            Paragraph(
                self.translate(
                    "Acting on behalf of {client}, I have the honour of bringing an administrative appeal (recours "
                    "gracieux) against the decision “{decision}” of {date}{notified}, and of asking you to withdraw "
                    "it."
                ).format(
                    client=self.clients,
                    decision=what,
                    date=self.day(decision.filed_on if decision else None, N_("date of the decision")),
                    notified=notified,
                )
            ),
            Paragraph(
                _one_line(self.detail.subject) or blank(N_("the grounds on which the decision is unlawful"), self.lang)
            ),
            Paragraph(
                self.translate(
                    "This appeal is brought within the time limit for going to court. In accordance with article "
                    "L411-2 of the code of relations between the public and the administration, it keeps that time "
                    "limit, which will run again in full from the express or implicit rejection of this appeal; "
                    "silence kept for two months from its receipt will amount to a rejection (article L231-4 of the "
                    "same code)."
                )
            ),
        ]
        return self.letter(
            "recours-gracieux",
            recipient=self.recipient(_one_line(other.name) if other else ""),
            subject=self.subject(
                self.translate("Administrative appeal (recours gracieux) against {decision}").format(decision=what)
            ),
            body=tuple(body),
            enclosures=(self.translate("Copy of the contested decision"),),
            legal_basis=("CRPA L411-2", "CRPA L231-4"),
        )

    def demande_prealable(self) -> Letter:
        other = respondent(self.detail)
        amount = _one_line(self.facts.amount)
        amount = (
            self.translate("{amount} euros").format(amount=amount) if amount else blank(N_("amount claimed"), self.lang)
        )
        facts = _one_line(self.detail.subject) or blank(N_("the facts that caused the damage"), self.lang)
        body = [
            Paragraph(
                self.translate(
                    "Acting on behalf of {client}, I have the honour of sending you this prior claim for the "
                    "compensation of the damage suffered as a result of the following facts: {facts}"
                ).format(client=self.clients, facts=facts)
            ),
            Paragraph(blank(N_("the fault of the administration, the damage and the causal link"), self.lang)),
            Paragraph(
                self.translate(
                    "I therefore ask you to pay the sum of {amount}, with interest at the legal rate from the receipt "
                    "of this claim, the interest due for at least a full year itself bearing interest."
                ).format(amount=amount)
            ),
            Paragraph(
                self.translate(
                    "This claim is made so that a decision exists: the administrative court can be seized only by an "
                    "action against a decision (article R421-1 of the code of administrative justice). Silence kept "
                    "for two months from its receipt will amount to a decision of rejection (article L231-4 of the "
                    "code of relations between the public and the administration), which may be brought before the "
                    "administrative court (article R421-2 of the code of administrative justice)."
                )
            ),
        ]
        return self.letter(
            "demande-prealable",
            recipient=self.recipient(_one_line(other.name) if other else ""),
            subject=self.subject(self.translate("Prior claim for compensation")),
            body=tuple(body),
            legal_basis=("CJA R421-1", "CRPA L231-4", "CJA R421-2"),
        )
