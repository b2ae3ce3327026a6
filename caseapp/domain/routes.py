"""Which route lies against a court decision, before which court and by when: the route matrix, as data.

The route follows the court that gave the decision (tribunal administratif, cour administrative d'appel, Conseil
d'État), the decision's nature (judgment, president's order, each kind of référé order…) and, for a tribunal's
judgments and orders, the matter (some matters are decided in first and last resort, CJA R811-1) — never the
procedure of the case the decision is filed under. Every route names its rule (``deadline_rules``), so its
length, counting, legal basis and confidence come from one place.

``"other"`` routes are the exceptional remedies (rectification d'erreur matérielle, révision, tierce opposition):
they are shown, never turned into deadlines of the case, and some have no date that can be computed from the
notification (révision runs from the day its ground is known).

See ``/shared/DEADLINES.md``, "Which route after a decision".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from caseapp.domain.deadline_rules import get_rule
from caseapp.domain.enums import CourtLevel, DecisionNature, FilingKind, Matter, Procedure
from caseapp.domain.rule_types import french_field
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _, translate

if TYPE_CHECKING:  # the engine is imported when a date is computed: the rules' fingerprint reads the matrix only
    from caseapp.domain.deadlines import ComputedDeadline

RouteKind = Literal["appeal", "cassation", "other"]
Court = Literal["caa", "ce"]

L = CourtLevel
N = DecisionNature


@dataclass(frozen=True)
class Route:
    """One route of the matrix: what it is, who hears it, its rule. ``note_en`` is an English source string;
    ``note_fr`` its French, read from the catalogue when asked (a field all the same, as a rule's ``label_fr``:
    the rules' fingerprint is made of the routes' fields)."""

    kind: RouteKind
    court: Court | None
    rule_id: str
    # False: the delay runs from another event than the notification (révision, tierce opposition).
    from_notification: bool = True
    note_en: str = ""
    note_fr: str = french_field("note_en")


_UNSETTLED = N_(
    "Référé-liberté rejected without a hearing (L522-3): whether appeal or cassation lies is unsettled; both go "
    "to the Conseil d'État within fifteen days: act within that time."
)

APPEAL = Route("appeal", "caa", "appeal")
LAST_RESORT = Route("cassation", "ce", "cassation-last-resort")
CASSATION = Route("cassation", "ce", "cassation")
LIBERTE = Route("appeal", "ce", "refere-liberte-appeal")
LIBERTE_UNSETTLED = Route("appeal", "ce", "refere-liberte-appeal", True, _UNSETTLED)
REFERE_CASSATION = Route("cassation", "ce", "refere-cassation")
REFERE_CASSATION_UNSETTLED = Route("cassation", "ce", "refere-cassation", True, _UNSETTLED)
INSTRUCTION_APPEAL = Route("appeal", "caa", "refere-instruction-appeal")
INSTRUCTION_CASSATION = Route("cassation", "ce", "refere-instruction-cassation")
PROVISION_APPEAL = Route("appeal", "caa", "refere-provision-appeal")
PROVISION_CASSATION = Route("cassation", "ce", "refere-provision-cassation")
RECTIFY_CAA = Route("other", "caa", "rectification")
RECTIFY_CE = Route("other", "ce", "rectification")
REVISION = Route("other", "ce", "revision", from_notification=False)
THIRD_PARTY_CE = Route("other", "ce", "tierce-opposition", from_notification=False)
CE_ONLY_EXCEPTIONAL = (RECTIFY_CE, REVISION, THIRD_PARTY_CE)

# Orders of a judge who must rule within a month or less (48 hours): deemed notified when made available on
# Télérecours (CJA R611-8-6 al. 2).
IMMEDIATE_NATURES = (N.REFERE_LIBERTE, N.REFERE_LIBERTE_TRI)
_URGENT_CASSATION = (N.REFERE_SUSPENSION, N.REFERE_MESURES_UTILES, N.REFERE_MODIFICATION, N.REFERE_TRI)

# (court level, nature, matter or None for "any matter") → routes. A tribunal's judgments and president's orders
# depend on the matter; every other entry holds whatever the matter.
MATRIX: dict[tuple[CourtLevel, DecisionNature, Matter | None], tuple[Route, ...]] = {
    (L.TA, N.JUGEMENT, Matter.GENERAL): (APPEAL,),
    (L.TA, N.JUGEMENT, Matter.CADA): (LAST_RESORT,),
    (L.TA, N.JUGEMENT, Matter.LAST_RESORT): (LAST_RESORT,),
    (L.TA, N.ORDONNANCE, Matter.GENERAL): (APPEAL,),
    (L.TA, N.ORDONNANCE, Matter.CADA): (LAST_RESORT,),
    (L.TA, N.ORDONNANCE, Matter.LAST_RESORT): (LAST_RESORT,),
    (L.TA, N.REFERE_LIBERTE, None): (LIBERTE,),
    (L.TA, N.REFERE_LIBERTE_TRI, None): (LIBERTE_UNSETTLED, REFERE_CASSATION_UNSETTLED),
    **{(L.TA, nature, None): (REFERE_CASSATION,) for nature in _URGENT_CASSATION},
    (L.TA, N.REFERE_CONSTAT, None): (INSTRUCTION_APPEAL,),
    (L.TA, N.REFERE_INSTRUCTION, None): (INSTRUCTION_APPEAL,),
    (L.TA, N.REFERE_PROVISION, None): (PROVISION_APPEAL,),
    (L.CAA, N.ARRET, None): (CASSATION, RECTIFY_CAA),
    (L.CAA, N.ORDONNANCE, None): (CASSATION, RECTIFY_CAA),
    (L.CAA, N.REFERE_LIBERTE, None): (LIBERTE,),
    (L.CAA, N.REFERE_LIBERTE_TRI, None): (LIBERTE_UNSETTLED, REFERE_CASSATION_UNSETTLED),
    **{(L.CAA, nature, None): (REFERE_CASSATION,) for nature in _URGENT_CASSATION},
    (L.CAA, N.REFERE_CONSTAT, None): (INSTRUCTION_CASSATION,),
    (L.CAA, N.REFERE_INSTRUCTION, None): (INSTRUCTION_CASSATION,),
    (L.CAA, N.REFERE_PROVISION, None): (PROVISION_CASSATION,),
    **{(L.CE, nature, None): CE_ONLY_EXCEPTIONAL for nature in DecisionNature if nature not in (N.JUGEMENT, N.ARRET)},
}

# The natures each court gives: anything else is refused, with this list.
NATURES: dict[CourtLevel, tuple[DecisionNature, ...]] = {
    level: tuple(dict.fromkeys(nature for (lvl, nature, _matter) in MATRIX if lvl == level)) for level in CourtLevel
}


def routes_for(
    level: CourtLevel | str, nature: DecisionNature | str, matter: Matter | str | None = None
) -> tuple[Route, ...]:
    """The routes against a decision of ``nature`` given by a court of ``level`` (``InvalidInput`` if that court
    gives no such decision). An empty ``matter`` is the general one."""
    court = CourtLevel.parse(level, field="court_level")
    given = DecisionNature.parse(nature, field="decision_nature")
    area = Matter.parse(matter, field="matter") if matter else Matter.GENERAL
    found = MATRIX.get((court, given, area)) or MATRIX.get((court, given, None))
    if found is None:
        raise InvalidInput(
            _("A {court} does not give a decision of that nature ({nature}). Possible: {allowed}.").format(
                court=court.label("fr"),
                nature=given.label("fr"),
                allowed=", ".join(n.label("fr") for n in NATURES[court]),
            ),
            field="decision_nature",
        )
    return found


# ---------------------------------------------------------------------------------------------------------------
# What a decision is, when it was not recorded


def _fold(text: str) -> str:
    """Lower case, no accents, every other character a space ("Conseil d’État" → " conseil d etat ")."""
    spaced = "".join(c if c.isalnum() else " " for c in text)
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    return " " + plain.strip() + " "


def court_level_of(court: str | None) -> CourtLevel | None:
    """The level of a court from its name ("TA de Marseille", "CAA de Marseille", "Conseil d'État"…), or None."""
    if not court:
        return None
    folded = " ".join(_fold(court).split())
    padded = f" {folded} "
    if "conseil d etat" in folded or padded.startswith(" ce "):
        return CourtLevel.CE
    if "cour administrative d appel" in folded or " caa " in padded:
        return CourtLevel.CAA
    if "tribunal administratif" in folded or " ta " in padded:
        return CourtLevel.TA
    return None


_NATURE_OF_PROCEDURE = {
    Procedure.REFERE_LIBERTE: N.REFERE_LIBERTE,
    Procedure.REFERE_SUSPENSION: N.REFERE_SUSPENSION,
    Procedure.REFERE_MESURES_UTILES: N.REFERE_MESURES_UTILES,
    Procedure.REFERE_CONSTAT: N.REFERE_CONSTAT,
    Procedure.REFERE_INSTRUCTION: N.REFERE_INSTRUCTION,
    Procedure.REFERE_PROVISION: N.REFERE_PROVISION,
}


def level_of_case(court: str | None, procedure: Procedure | str | None) -> CourtLevel | None:
    """The level of a case's court: from its name, else from its procedure (an appeal is before a court of
    appeal, a cassation appeal before the Conseil d'État), else unknown."""
    level = court_level_of(court)
    if level is not None:
        return level
    if procedure == Procedure.APPEL:
        return CourtLevel.CAA
    if procedure == Procedure.CASSATION:
        return CourtLevel.CE
    return None


def likely_nature(
    kind: FilingKind | str, level: CourtLevel | None, procedure: Procedure | str | None
) -> DecisionNature | None:
    """What a court decision most likely is when its nature was not recorded, or None when it cannot be told
    safely (an order in a main action may be a president's order or a référé order filed in it)."""
    kind = FilingKind(kind)
    if level == CourtLevel.CE and kind.is_court_decision:
        return N.DECISION_CE if kind != FilingKind.ORDONNANCE else N.ORDONNANCE
    if kind == FilingKind.JUGEMENT:
        return N.JUGEMENT
    if kind == FilingKind.ARRET:
        return N.ARRET
    if kind == FilingKind.ORDONNANCE and procedure:
        return _NATURE_OF_PROCEDURE.get(Procedure(procedure))
    return None


# ---------------------------------------------------------------------------------------------------------------
# Answers with dates


@dataclass(frozen=True, slots=True)
class RouteAnswer:
    """One route with its last day (None when it cannot be computed from the notification)."""

    route: Route
    computed: ComputedDeadline | None
    explanation_fr: str
    explanation_en: str

    @property
    def last_day(self) -> date | None:
        return self.computed.last_day if self.computed else None

    def as_json(self) -> dict[str, object]:
        rule = get_rule(self.route.rule_id)
        computed = self.computed
        return {
            "kind": self.route.kind,
            "court": self.route.court,
            "rule_id": rule.id,
            "label_fr": rule.label_fr,
            "label_en": rule.label_en,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "arguable_day": computed.arguable_day.isoformat() if computed and computed.arguable_day else None,
            "legal_basis": rule.legal_basis,
            "confidence": rule.confidence,
            "flags": list(computed.flag_codes) if computed else [],
            "explanation_fr": self.explanation_fr,
            "explanation_en": self.explanation_en,
        }


def answer(
    level: CourtLevel | str,
    nature: DecisionNature | str,
    notified: date,
    *,
    matter: Matter | str | None = None,
    seat: str = "metropole",
    residence: str = "france",
    appeal_routes_stated: bool | None = True,
    lead_fr: tuple[str, ...] = (),
    lead_en: tuple[str, ...] = (),
) -> list[RouteAnswer]:
    """What can be done against this decision and by when: appeal and cassation first, then the exceptional
    remedies. An empty list means no route at all; only ``"other"`` routes mean no ordinary route."""
    from caseapp.domain.deadlines import compute_deadline

    answers: list[RouteAnswer] = []
    for route in routes_for(level, nature, matter):
        rule = get_rule(route.rule_id)
        if route.from_notification:
            computed = compute_deadline(
                route.rule_id, notified, seat=seat, residence=residence, appeal_routes_stated=appeal_routes_stated
            )
            fr = [*lead_fr, *computed.steps_fr, rule.note_fr]
            en = [*lead_en, *computed.steps_en, rule.note_en]
        else:
            computed = None
            no_date = N_("No date follows from the notification.")
            fr = [f"{rule.note_fr} ({rule.legal_basis})", translate(no_date, "fr")]
            en = [f"{rule.note_en} ({rule.legal_basis})", translate(no_date, "en")]
        if route.note_fr:
            fr.insert(0, route.note_fr)
            en.insert(0, route.note_en)
        answers.append(RouteAnswer(route, computed, "\n".join(fr), "\n".join(en)))
    return answers
