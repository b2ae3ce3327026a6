"""Letters from a case — writing them, and recording one as sent, which enters the deadline it starts.

Recording a letter as sent goes through the records the deadline planner already reads
(``services.deadline_plans``), so the deadline is the one the rules give and a later recomputation agrees:

- the CADA request: the case's access request (the draft one, or a new one) gets its sending and receipt dates →
  implicit refusal born one month after receipt (CRPA R311-13), then referral to the CADA within two months
  (R343-1);
- the referral to the CADA: the request's "referred to the CADA" step → the CADA's opinion expected within one month,
  the refusal confirmed by two months of silence, then the court (R343-3 to R343-5);
- the recours gracieux and the demande préalable: a filing of that kind, sent and received → the implicit rejection
  two months after receipt, then two clear months to go to court (CRPA L411-2, L231-4; CJA R421-1, R421-2).

When the day the administration received the letter is not given, the day it was sent is taken: the earliest it
can have been received, so the deadline shown is never later than the real one (the command says so; record the
date of the acknowledgement of receipt when it comes back).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from caseapp.dates import format_date
from caseapp.domain.enums import AccessStatus, FilingKind, PartyRole, SilenceMeaning
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language
from caseapp.reports.letters import KINDS
from caseapp.reports.letters.compose import Counsel, Letter, LetterFacts, access_request, compose, contested_decision

if TYPE_CHECKING:
    from caseapp.casefile.core import Core
    from caseapp.casefile.views import CaseDetail, DeadlineView

STEMS = {
    "cada-request": {"fr": "Demande CADA", "en": "CADA request"},
    "cada-referral": {"fr": "Saisine CADA", "en": "CADA referral"},
    "recours-gracieux": {"fr": "Recours gracieux", "en": "Administrative appeal"},
    "demande-prealable": {"fr": "Demande prealable", "en": "Prior claim"},
}


@dataclass(frozen=True)
class LetterRequest:
    """Which letter (``kind``: one of ``reports.letters.KINDS``) for which case, in which language, and about what."""

    kind: str
    case_id: uuid.UUID
    lang: str = "fr"
    request_id: uuid.UUID | None = None  # the CADA request (default: the case's latest running one)
    decision_id: uuid.UUID | None = None  # the contested decision (default: the case's latest one)
    amount: str | None = None  # the sum claimed by a demande préalable


@dataclass(frozen=True)
class SentLetter:
    """What recording a letter as sent did: the record it wrote, and the deadlines the case now has from it."""

    kind: str
    record_id: uuid.UUID
    sent_on: date
    received_on: date
    receipt_assumed: bool  # the receipt date was not given: the sending date was taken
    deadlines: tuple[DeadlineView, ...]


def configured_counsel() -> Counsel | None:
    """The counsel named in the settings (``counsel_name``, ``counsel_address``), or None."""
    from caseapp.settings import load_settings

    settings = load_settings()
    name = " ".join((settings.counsel_name or "").split())
    if not name:
        return None
    address = tuple(line.strip() for line in (settings.counsel_address or "").splitlines() if line.strip())
    return Counsel(name, address)


def compose_letter(core: Core, request: LetterRequest, *, today: date | None = None) -> Letter:
    from caseapp.services.cases import get_case
    from caseapp.services.documents import signature_city

    if request.kind not in KINDS:
        raise InvalidInput(_("CaseApp writes these letters: {kinds}.").format(kinds=", ".join(KINDS)), field="kind")
    detail = get_case(core, request.case_id)
    facts = LetterFacts(request.request_id, request.decision_id, request.amount, signature_city(), today)
    return compose(request.kind, detail, lang=request.lang, counsel=configured_counsel(), facts=facts)


def make_letter(
    core: Core, request: LetterRequest, target: Path, fmt: str | None = None, *, today: date | None = None
) -> tuple[Letter, str]:
    """Write the letter to ``target`` (the format asked for, else the file name's, else PDF); returns the letter
    and the format written."""
    from caseapp.reports.letters.write import format_for, write_letter

    chosen = format_for(Path(target), fmt)
    letter = compose_letter(core, request, today=today)
    write_letter(letter, Path(target), chosen)
    return letter, chosen


def suggested_name(kind: str, detail: CaseDetail, lang: str = "fr", fmt: str = "pdf") -> str:
    from caseapp.services.documents import safe_file_name

    stem = STEMS.get(kind, {}).get(lang) or kind
    return f"{safe_file_name(f'{stem} - {detail.court_number or detail.title}')}.{fmt}"


def mark_sent(
    core: Core,
    kind: str,
    case_id: uuid.UUID,
    sent_on: date,
    *,
    received_on: date | None = None,
    request_id: uuid.UUID | None = None,
    decision_id: uuid.UUID | None = None,
) -> SentLetter:
    """Record that the letter ``kind`` of the case was sent on ``sent_on`` (and received on ``received_on``, the
    sending day when not given); the deadline it starts is entered with it."""
    from caseapp.services import access, cases, filings

    if kind not in KINDS:
        raise InvalidInput(_("CaseApp writes these letters: {kinds}.").format(kinds=", ".join(KINDS)), field="kind")
    assumed = received_on is None
    received = received_on or sent_on
    if received < sent_on:
        raise InvalidInput(_("A letter cannot be received before it was sent."), field="received_on")
    detail = cases.get_case(core, case_id)
    record_id: uuid.UUID
    if kind == "cada-request":
        request = access_request(detail, request_id, sent=False)
        if request is not None and request.sent_on is None:
            view = access.update_request(
                core, request.id, sent_on=sent_on, received_on=received, status=AccessStatus.SENT
            )
        else:
            administration, documents = _what_was_asked(detail)
            view = access.add_request(
                core,
                case_id=case_id,
                administration=administration,
                documents=documents,
                sent_on=sent_on,
                received_on=received,
            )
        record_id = view.id
    elif kind == "cada-referral":
        request = access_request(detail, request_id, sent=True)
        if request is None:
            raise InvalidInput(
                _("Record the CADA request in the case first (its administration, documents and dates)."),
                field="request_id",
            )
        access.record_step(core, request.id, AccessStatus.REFERRED_TO_CADA, sent_on)
        record_id = request.id
    else:
        filing_kind = FilingKind.RECOURS_GRACIEUX if kind == "recours-gracieux" else FilingKind.DEMANDE_PREALABLE
        if any(f.kind == filing_kind.value and f.filed_on == sent_on for f in detail.filings):
            # run again (after an interruption, say): the letter is there once, its deadline with it
            raise InvalidInput(
                _("This letter is already recorded as sent on {date}: nothing was added.").format(
                    date=format_date(sent_on, current_language())
                ),
                field="sent_on",
            )
        applicant = next((p for p in detail.parties if p.role == PartyRole.APPLICANT.value), None)
        title = _letter_title(kind, detail, decision_id)
        values: dict[str, Any] = {
            "kind": filing_kind,
            "title": title,
            "filed_on": sent_on,
            "received_on": received,
            "party_id": applicant.party_id if applicant else None,
        }
        if filing_kind == FilingKind.DEMANDE_PREALABLE:
            values["silence_means"] = SilenceMeaning.REJECTION  # a claim for money: silence is a rejection (L231-4)
        record_id = filings.add_filing(core, case_id, **values).id
    after = cases.get_case(core, case_id)
    started = tuple(d for d in after.deadlines if record_id in (d.trigger_id, d.request_id) and d.status == "open")
    return SentLetter(kind, record_id, sent_on, received, assumed, started)


def _what_was_asked(detail: CaseDetail) -> tuple[str, str]:
    from caseapp.reports.letters.compose import respondent

    other = respondent(detail)
    administration = " ".join(other.name.split()) if other else ""
    if not administration:
        raise InvalidInput(
            _(
                "Say which administration the request went to: record it as a CADA request of the case, or as the "
                "respondent."
            ),
            field="administration",
        )
    return administration, _("Documents listed in the letter of request")


def _letter_title(kind: str, detail: CaseDetail, decision_id: uuid.UUID | None) -> str:
    if kind == "recours-gracieux":
        decision = contested_decision(detail, decision_id)
        if decision is not None and decision.title:
            return _("Administrative appeal against {decision}").format(decision=decision.title)[:300]
        return _("Administrative appeal (recours gracieux)")
    return _("Prior claim for compensation")
