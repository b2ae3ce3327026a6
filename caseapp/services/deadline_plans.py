"""Which time limits an event starts: a court decision, an administrative decision, a request left unanswered, a
CNIL complaint, a date set by the court, a hearing, a CADA step.

A court decision's routes come from the route matrix (``caseapp.domain.routes``): its court level and nature
(recorded, or worked out conservatively when not), and the case's matter — never the case's procedure alone.
Whatever cannot be told safely gives the shortest delay that could apply, flagged, rather than a later one.
Planning reads; ``deadline_events.reconcile`` writes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from caseapp.dates import PARIS, format_date
from caseapp.domain import holidays_fr
from caseapp.domain.deadline_rules import get_rule
from caseapp.domain.deadlines import ComputedDeadline, Flag, compute_deadline, implicit_decision_birth
from caseapp.domain.enums import (
    AccessStatus,
    CourtLevel,
    DecisionNature,
    FilingKind,
    HearingStatus,
    Matter,
    Outcome,
    PartyRole,
    Procedure,
    SilenceMeaning,
)
from caseapp.domain.notification import deemed_notification
from caseapp.domain.routes import IMMEDIATE_NATURES, level_of_case, likely_nature, routes_for
from caseapp.errors import InvalidInput
from caseapp.store import models as m

SILENCE_MONTHS = {FilingKind.DEMANDE_PREALABLE: 2, FilingKind.RECOURS_GRACIEUX: 2}
CNIL_SILENCE_MONTHS = 3
CADA_CONFIRMATION_MONTHS = 2
FINISHED_REQUEST = (AccessStatus.DOCUMENTS_RECEIVED, AccessStatus.CLOSED)
COURT_SET_RULES = {
    FilingKind.MISE_EN_DEMEURE: "court-set-notice",
    FilingKind.CALENDRIER_INSTRUCTION: "court-set-calendar",
    FilingKind.CRISTALLISATION: "court-set-new-grounds",
    FilingKind.ORDONNANCE_CLOTURE: "court-closure-order",
}


@dataclass(frozen=True)
class Planned:
    """One deadline an event starts, before it is written: the rule, the day it runs from, the computed dates, the steps
    that come before the rule's own explanation, and the extra flags."""

    rule_id: str
    trigger_on: date
    computed: ComputedDeadline
    lead_fr: tuple[str, ...] = ()  # steps that come before the rule's own (how the trigger date was found)
    lead_en: tuple[str, ...] = ()
    extra: tuple[Flag, ...] = ()  # what the lawyer must check beside the rule's own flags


@dataclass(frozen=True)
class Context:
    """What a case brings to its deadlines: the seat (holidays), the applicants' residence (distance), and, for the
    routes of appeal, its court, procedure and matter."""

    seat: str
    residence: str
    court: str | None = None
    procedure: Procedure | None = None
    matter: Matter | None = None


NO_CASE = Context(holidays_fr.METROPOLE, "france")
_ORDER = ["france", "overseas", "abroad"]


def nearest(residences: set[str]) -> str:
    """The nearest of the applicants' residences (no extension unless every applicant lives far away), so the
    deadline shown is never later than the one that applies."""
    return min(residences, key=_ORDER.index, default="france")


def case_context(session: Any, case_id: uuid.UUID | None) -> Context:
    if case_id is None:
        return NO_CASE
    row = session.execute(select(m.Case.court, m.Case.procedure, m.Case.matter).where(m.Case.id == case_id)).first()
    court, procedure, matter = row if row else (None, None, None)
    residences = {
        r.value
        for r in session.scalars(
            select(m.Party.residence)
            .join(m.CaseParty, m.CaseParty.party_id == m.Party.id)
            .where(m.CaseParty.case_id == case_id, m.CaseParty.role == PartyRole.APPLICANT)
        )
    }
    return Context(holidays_fr.court_seat(court or ""), nearest(residences), court, procedure, matter)


def _compute(rule_id: str, trigger: date | datetime, context: Context, **kwargs: Any) -> ComputedDeadline:
    rule = get_rule(rule_id)
    residence = context.residence if rule.distance_extension else "france"
    return _compute_cached(rule_id, trigger, context.seat, residence, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=65536)
def _compute_cached(
    rule_id: str, trigger: date | datetime, seat: str, residence: str, options: tuple[tuple[str, Any], ...]
) -> ComputedDeadline:
    # The engine is pure: the same rule, day, seat and options always give the same deadline, and in a
    # recomputation of thousands of cases many hearings and decisions share their day.
    return compute_deadline(rule_id, trigger, seat=seat, residence=residence, **dict(options))


def _birth(received: date, months: int, what_fr: str, what_en: str) -> tuple[date, tuple[str, ...], tuple[str, ...]]:
    born = implicit_decision_birth(received, months)
    lead_fr = (
        f"{what_fr} reçue le {format_date(received, 'fr')} ; sans réponse en {months} mois, une décision "
        f"implicite de rejet naît le {format_date(born, 'fr')} (date à date, jamais reportée).",
    )
    lead_en = (
        f"{what_en} received on {format_date(received, 'en')}; with no answer within {months} "
        f"month{'s' * (months != 1)}, an "
        f"implicit rejection is born on {format_date(born, 'en')} (same date, never moved).",
    )
    return born, lead_fr, lead_en


# --- flags the rules alone cannot raise ----------------------------------------------------------------------

NATURE_UNKNOWN = Flag(
    "nature_unknown",
    "Nature de la décision non enregistrée (ou incompatible avec la juridiction) : le délai le plus court qui "
    "pourrait s'appliquer est affiché. Précisez la juridiction et la nature de la décision.",
    "The decision's nature is not recorded (or does not fit the court): the shortest delay that could apply is "
    "shown. Record the court and the nature of the decision.",
)
LEVEL_UNKNOWN = Flag(
    "court_level_unknown",
    "Juridiction non reconnue : un jugement de tribunal administratif est supposé. Précisez la juridiction.",
    "Court not recognised: a tribunal's judgment is assumed. Record the court.",
)
SILENCE_UNKNOWN = Flag(
    "silence_meaning_unknown",
    "Le silence de l'administration vaut en principe acceptation (CRPA L231-1), sauf exceptions (L231-4 : "
    "demandes à caractère financier, recours administratifs…) : vérifiez ce que vaut le silence et "
    "enregistrez-le. Le délai affiché suppose un rejet.",
    "The administration's silence means acceptance in principle (CRPA L231-1), save exceptions (L231-4: claims "
    "for money, administrative appeals…): check what silence means here and record it. The delay shown assumes "
    "a rejection.",
)
CNIL_PROGRESS_UNKNOWN = Flag(
    "cnil_progress_unknown",
    "Si la CNIL vous a informé des suites données à la plainte dans les trois mois, aucun rejet implicite n'est "
    "né (CE 24 juillet 2023, n° 465229) : vérifiez-le et enregistrez-le.",
    "If the CNIL told you within three months what it was doing with the complaint, no implicit rejection was "
    "born (CE 24 July 2023, no. 465229): check and record it.",
)
CADA_INFORMATION = Flag(
    "cada_information_unknown",
    "Le délai contre le refus confirmé ne court que si le demandeur a été informé de la saisine obligatoire de "
    "la CADA et des voies et délais de recours (CE 11 mars 2024, n° 488227) : vérifiez-le et enregistrez-le.",
    "The delay against the confirmed refusal runs only if the requester was told of the mandatory CADA referral "
    "and of the routes and time limits of appeal (CE 11 March 2024, no. 488227): check and record it.",
)
CADA_NOT_INFORMED = Flag(
    "cada_not_informed",
    "Le demandeur n'a pas été informé de la saisine de la CADA et des voies de recours (CE 11 mars 2024, "
    "n° 488227) : le délai de deux mois ne court pas.",
    "The requester was not told of the CADA referral and of the routes of appeal (CE 11 March 2024, no. 488227): "
    "the two-month delay does not run.",
)
MAIN_ACTION_REFERE = Flag(
    "refere_confirmation",
    "Seulement si le rejet est motivé par l'absence de moyen propre à créer un doute sérieux, hors pourvoi contre "
    "l'ordonnance, et si la notification mentionnait R612-5-2.",
    "Only if the rejection is for want of a ground raising serious doubt, no cassation is filed against the "
    "order, and the notification mentioned R612-5-2.",
)


# --- events ---------------------------------------------------------------------------------------------------


def _notification(filing: Any, nature: DecisionNature | None, context: Context) -> tuple[date | None, tuple, tuple]:
    """When the decision counts as notified: the recorded date, else Télérecours's deemed date (R611-8-6)."""
    if filing.notified_on:
        return filing.notified_on, (), ()
    available = getattr(filing, "made_available_on", None)
    if not available:
        return None, (), ()
    deemed = deemed_notification(
        available, getattr(filing, "consulted_on", None), seat=context.seat, immediate=nature in IMMEDIATE_NATURES
    )
    return deemed.notified_on, deemed.steps_fr, deemed.steps_en


def decision_facts(filing: Any, context: Context) -> tuple[CourtLevel, DecisionNature | None, tuple[Flag, ...]]:
    """The court level and nature a decision is planned with, and the flags saying what was assumed."""
    kind = FilingKind(filing.kind)
    flags: list[Flag] = []
    level = getattr(filing, "court_level", None) or level_of_case(context.court, context.procedure)
    if level is None:
        level = CourtLevel.TA
        flags.append(LEVEL_UNKNOWN)
    nature = getattr(filing, "decision_nature", None) or likely_nature(kind, level, context.procedure)
    return CourtLevel(level), DecisionNature(nature) if nature else None, tuple(flags)


def _plan_court_decision(filing: Any, context: Context) -> list[Planned]:
    level, nature, flags = decision_facts(filing, context)
    notified, lead_fr, lead_en = _notification(filing, nature, context)
    if notified is None:
        return []
    routes = None
    if nature is not None:
        try:
            routes = routes_for(level, nature, context.matter)
        except InvalidInput:
            routes = None
    if routes is None:
        computed = _compute("order-nature-unknown", notified, context)
        return [Planned("order-nature-unknown", notified, computed, lead_fr, lead_en, (*flags, NATURE_UNKNOWN))]
    plans: list[Planned] = []
    for route in routes:
        if route.kind == "other" or not route.from_notification:
            continue  # exceptional remedies are shown with the decision, not kept as deadlines of the case
        computed = _compute(route.rule_id, notified, context, appeal_routes_stated=filing.appeal_routes_stated)
        note_fr = (route.note_fr,) if route.note_fr else ()
        note_en = (route.note_en,) if route.note_en else ()
        plans.append(Planned(route.rule_id, notified, computed, note_fr + lead_fr, note_en + lead_en, flags))
    suspension = nature == DecisionNature.REFERE_SUSPENSION or (
        nature == DecisionNature.REFERE_TRI and context.procedure == Procedure.REFERE_SUSPENSION
    )
    if suspension and filing.outcome == Outcome.REJECTED:
        computed = _compute("refere-confirm-main-action", notified, context)
        plans.append(Planned("refere-confirm-main-action", notified, computed, lead_fr, lead_en, (MAIN_ACTION_REFERE,)))
    return plans


def _plan_administrative_decision(filing: Any, context: Context) -> list[Planned]:
    if not filing.notified_on:
        return []
    if getattr(filing, "published", None):
        lead_fr = (
            "Acte publié : le délai court de sa publication ; la mention des voies et délais de recours (CJA "
            "R421-5) n'est exigée que pour une décision notifiée.",
        )
        lead_en = (
            "Published act: the delay runs from its publication; stating the routes and time limits of appeal "
            "(CJA R421-5) is required only of a notified decision.",
        )
        return [Planned("rep", filing.notified_on, _compute("rep", filing.notified_on, context), lead_fr, lead_en)]
    computed = _compute("rep", filing.notified_on, context, appeal_routes_stated=filing.appeal_routes_stated)
    if not computed.runs and no_time_limit(context):
        return []
    return [Planned("rep", filing.notified_on, computed)]


def _plan_request(filing: Any, context: Context) -> list[Planned]:
    kind = FilingKind(filing.kind)
    silence = getattr(filing, "silence_means", None)
    if kind == FilingKind.DEMANDE_PREALABLE and silence == SilenceMeaning.ACCEPTANCE:
        computed = _compute("silence-acceptance", filing.received_on, context)
        return [Planned("silence-acceptance", filing.received_on, computed)]
    what = ("Demande", "Request") if kind == FilingKind.DEMANDE_PREALABLE else ("Recours gracieux", "Appeal")
    born, lead_fr, lead_en = _birth(filing.received_on, SILENCE_MONTHS[kind], *what)
    rule_id = "rep-implicit" if kind == FilingKind.DEMANDE_PREALABLE else "recours-gracieux"
    computed = _compute(rule_id, born, context, acknowledged=filing.acknowledged)
    if not computed.runs and no_time_limit(context):
        return []
    extra = (SILENCE_UNKNOWN,) if kind == FilingKind.DEMANDE_PREALABLE and silence is None else ()
    return [Planned(rule_id, born, computed, lead_fr, lead_en, extra)]


def _plan_cnil(filing: Any, context: Context) -> list[Planned]:
    reported = getattr(filing, "progress_reported", None)
    if reported:
        return []  # the CNIL reported on progress: no implicit rejection was born (CE 24 Jul 2023 n° 465229)
    extra = (CNIL_PROGRESS_UNKNOWN,) if reported is None else ()
    lodged = filing.filed_on
    birth = _compute("cnil-complaint", lodged, context)
    born = birth.last_day or implicit_decision_birth(lodged, CNIL_SILENCE_MONTHS)
    lead_fr = (
        f"Plainte déposée auprès de la CNIL le {format_date(lodged, 'fr')} ; sans information sur ses suites dans "
        f"les trois mois, rejet implicite né le {format_date(born, 'fr')} (CE 24 juillet 2023, n° 465229).",
    )
    lead_en = (
        f"Complaint lodged with the CNIL on {format_date(lodged, 'en')}; with no word on what it does with it within "
        f"three months, implicit rejection born on {format_date(born, 'en')} (CE 24 July 2023, no. 465229).",
    )
    court = _compute("cnil-court", born, context)
    return [
        Planned("cnil-complaint", lodged, birth, (), (), extra),
        Planned("cnil-court", born, court, lead_fr, lead_en, extra),
    ]


def plan_filing(session: Any, filing: Any, context: Context | None = None) -> list[Planned]:
    """The deadlines a filing starts. ``context`` may be given when computing in bulk; ``filing`` may be an ORM
    object or a plain row with the same attribute names."""
    kind = FilingKind(filing.kind)
    context = context or case_context(session, filing.case_id)
    plans: list[Planned] = []
    if kind.is_court_decision:
        plans = _plan_court_decision(filing, context)
    elif kind == FilingKind.DECISION:
        plans = _plan_administrative_decision(filing, context)
    elif kind in SILENCE_MONTHS and filing.received_on:
        plans = _plan_request(filing, context)
    elif kind == FilingKind.PLAINTE_CNIL and filing.filed_on:
        plans = _plan_cnil(filing, context)
    elif kind.sets_a_time_limit and getattr(filing, "court_set_on", None):
        rule_id = COURT_SET_RULES[kind]
        plans = [Planned(rule_id, filing.court_set_on, _compute(rule_id, filing.court_set_on, context))]
    if kind == FilingKind.REQUETE and getattr(filing, "brief_announced", None) and filing.filed_on:
        computed = _compute("cassation-supplementary-brief", filing.filed_on, context)
        plans.append(Planned("cassation-supplementary-brief", filing.filed_on, computed))
    return plans


def is_refere_hearing(kind: Any, context: Context) -> bool:
    """A référé hearing: in a case of L521-1 to L521-3, or an urgent-applications hearing in any case."""
    from caseapp.domain.enums import is_refere_hearing as refere

    return refere(kind, context.procedure)


def plan_hearing(session: Any, hearing: Any, context: Context | None = None) -> list[Planned]:
    if HearingStatus(hearing.status) not in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED):
        return []
    context = context or case_context(session, hearing.case_id)
    day = hearing.starts_at.astimezone(PARIS).date()
    if is_refere_hearing(hearing.kind, context):
        return [Planned("refere-hearing", day, _compute("refere-hearing", day, context))]
    if context.procedure and Procedure(context.procedure).is_refere:
        return []  # référé-constat, -instruction, -provision: the ordinary hearing rules are not theirs either
    return [
        Planned(rule_id, day, _compute(rule_id, day, context, urgent=hearing.urgent))
        for rule_id in ("hearing-notice", "instruction-closing")
    ]


def plan_request(
    session: Any,
    request: Any,
    context: Context | None = None,
    steps: dict[AccessStatus, date] | None = None,
) -> list[Planned]:
    """The CADA chain: implicit refusal, referral, opinion, confirmation — and the court, which follows from the
    referral left unanswered without anyone recording it (CRPA R343-5, then two months)."""
    if AccessStatus(request.status) in FINISHED_REQUEST:
        return []
    context = context or case_context(session, request.case_id)
    if steps is None:
        steps = {
            step.status: step.on
            for step in session.scalars(
                select(m.AccessRequestStep)
                .where(m.AccessRequestStep.request_id == request.id)
                .order_by(m.AccessRequestStep.on)
            )
        }
    plans: list[Planned] = []
    refusal: date | None = steps.get(AccessStatus.EXPLICIT_REFUSAL) or steps.get(AccessStatus.IMPLICIT_REFUSAL)
    if request.received_on:
        silence = _compute("cada-silence", request.received_on, context, acknowledged=True)
        plans.append(Planned("cada-silence", request.received_on, silence))
        refusal = refusal or silence.nominal_end
    referred = steps.get(AccessStatus.REFERRED_TO_CADA)
    if refusal and not referred:
        plans.append(Planned("cada-referral", refusal, _compute("cada-referral", refusal, context)))
    confirmed = steps.get(AccessStatus.REFUSAL_CONFIRMED)
    informed = request.routes_informed
    extra = {None: (CADA_INFORMATION,), False: (CADA_NOT_INFORMED,)}.get(informed, ())
    lead_fr: tuple[str, ...] = ()
    lead_en: tuple[str, ...] = ()
    if referred and not confirmed:
        for rule_id in ("cada-opinion", "cada-confirmation"):
            plans.append(Planned(rule_id, referred, _compute(rule_id, referred, context)))
        confirmed = implicit_decision_birth(referred, CADA_CONFIRMATION_MONTHS)
        lead_fr = (
            f"Saisine de la CADA enregistrée le {format_date(referred, 'fr')} ; faute de réponse de "
            f"l'administration dans les deux mois, le refus est confirmé implicitement le "
            f"{format_date(confirmed, 'fr')} (CRPA R343-5).",
        )
        lead_en = (
            f"Referral registered by the CADA on {format_date(referred, 'en')}; with no answer from the "
            f"administration within two months, the refusal is confirmed implicitly on {format_date(confirmed, 'en')} "
            "(CRPA R343-5).",
        )
    if confirmed and AccessStatus(request.status) != AccessStatus.IN_COURT:
        computed = _compute("cada-court", confirmed, context, appeal_routes_stated=informed is not False)
        plans.append(Planned("cada-court", confirmed, computed, lead_fr, lead_en, extra))
    return plans


def no_time_limit(context: Context) -> bool:
    """A liability action has no "reasonable time" when a delay does not run (CE 17 Jun 2019 n° 413097): only
    the four-year prescription of claims against public bodies applies."""
    return context.procedure == Procedure.INDEMNITAIRE
