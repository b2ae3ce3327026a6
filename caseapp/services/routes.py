"""What can be done against a court decision of a case, before which court and by when — as the decision's dialog
shows it while it is typed, and as the deadlines of the case are planned (the same route matrix, the same case
facts: seat, applicants' residence, matter)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from caseapp.casefile.core import Core
from caseapp.casefile.uow import reading
from caseapp.domain.deadline_rules import get_rule
from caseapp.domain.enums import CourtLevel, DecisionNature, FilingKind
from caseapp.domain.routes import answer, court_level_of
from caseapp.errors import InvalidInput
from caseapp.i18n import current_language
from caseapp.services.deadline_plans import NO_CASE, _notification, case_context, decision_facts


@dataclass(frozen=True)
class RouteView:
    """One route against a decision (an appeal, a cassation appeal…): which court hears it, its last day and how that
    was found, in the reader's language."""

    kind: str  # "appeal" | "cassation" | "other"
    court: str | None  # "caa" | "ce"
    rule_id: str
    label: str
    last_day: date | None
    arguable_day: date | None
    legal_basis: str
    to_verify: bool
    explanation: str


@dataclass(frozen=True)
class RoutesView:
    """The answer for one decision. ``notified_on`` is the date the delays run from (typed, or deemed from
    Télérecours); ``assumed`` says what was worked out because it was not recorded; ``problem`` says why no
    answer could be given (a nature the court does not give, no notification date yet)."""

    court_level: str | None
    decision_nature: str | None
    notified_on: date | None
    routes: tuple[RouteView, ...] = ()
    assumed: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def ordinary(self) -> tuple[RouteView, ...]:
        return tuple(route for route in self.routes if route.kind != "other")


class _Draft:
    """The decision as typed in its dialog, with the attribute names the planner reads."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.kind = values.get("kind") or FilingKind.ORDONNANCE.value
        self.court_level = values.get("court_level") or None
        self.decision_nature = values.get("decision_nature") or None
        self.notified_on = values.get("notified_on")
        self.made_available_on = values.get("made_available_on")
        self.consulted_on = values.get("consulted_on")
        self.appeal_routes_stated = values.get("appeal_routes_stated", True)


def decision_routes(core: Core, case_id: uuid.UUID | None, **values: Any) -> RoutesView:
    """The routes against a decision of ``case_id`` described by ``values`` (the filing's fields: kind,
    court_level, decision_nature, notified_on, made_available_on, consulted_on, appeal_routes_stated)."""
    lang = current_language()
    draft = _Draft(values)
    if not FilingKind(draft.kind).is_court_decision:
        return RoutesView(None, None, None, problem=None)
    if case_id is None:
        context = NO_CASE
    else:
        with reading(core) as session:
            context = case_context(session, case_id)
    level, nature, flags = decision_facts(draft, context)
    assumed = [flag.message(lang) for flag in flags]
    try:
        notified, lead_fr, lead_en = _notification(draft, nature, context)
    except InvalidInput as exc:
        return RoutesView(level.value, nature.value if nature else None, None, (), tuple(assumed), exc.message)
    if nature is None:
        from caseapp.services.deadline_plans import NATURE_UNKNOWN, _compute

        if notified is None:
            return RoutesView(level.value, None, None, (), tuple(assumed), NATURE_UNKNOWN.message(lang))
        # What the case's deadlines will hold until the nature is recorded: the shortest delay, flagged.
        computed = _compute("order-nature-unknown", notified, context)
        rule = get_rule("order-nature-unknown")
        steps = (lead_fr + computed.steps_fr) if lang == "fr" else (lead_en + computed.steps_en)
        shortest = RouteView(
            kind="appeal",
            court=None,
            rule_id=rule.id,
            label=rule.label(lang),
            last_day=computed.last_day,
            arguable_day=computed.arguable_day,
            legal_basis=rule.legal_basis,
            to_verify=True,
            explanation="\n".join((*steps, rule.note(lang))),
        )
        return RoutesView(level.value, None, notified, (shortest,), tuple(assumed), NATURE_UNKNOWN.message(lang))
    if notified is None:
        return RoutesView(level.value, nature.value, None, (), tuple(assumed))
    try:
        answers = answer(
            level,
            nature,
            notified,
            matter=context.matter,
            seat=context.seat,
            residence=context.residence,
            appeal_routes_stated=draft.appeal_routes_stated,
            lead_fr=lead_fr,
            lead_en=lead_en,
        )
    except InvalidInput as exc:
        return RoutesView(level.value, nature.value, notified, (), tuple(assumed), exc.message)
    routes = tuple(
        RouteView(
            kind=item.route.kind,
            court=item.route.court,
            rule_id=item.route.rule_id,
            label=get_rule(item.route.rule_id).label(lang),
            last_day=item.last_day,
            arguable_day=item.computed.arguable_day if item.computed else None,
            legal_basis=get_rule(item.route.rule_id).legal_basis,
            to_verify=get_rule(item.route.rule_id).confidence != "V",
            explanation=item.explanation_fr if lang == "fr" else item.explanation_en,
        )
        for item in answers
    )
    return RoutesView(level.value, nature.value, notified, routes, tuple(assumed))


def level_of_court(court: str | None) -> str | None:
    """The level of a court named like the case's court (for a dialog's default)."""
    level = court_level_of(court)
    return level.value if level else None


def natures_of(level: str | None) -> tuple[str, ...]:
    """The natures of decision a court of ``level`` gives (every nature when the level is not known)."""
    from caseapp.domain.routes import NATURES

    if not level:
        return tuple(nature.value for nature in DecisionNature)
    return tuple(nature.value for nature in NATURES[CourtLevel(level)])
