"""Time limits of the routes of appeal that depend on the decision and the court, and of the steps of procedure
that the first version lacked (``/shared/DEADLINES.md``, "Which route after a decision").

Every route the route matrix (``caseapp.domain.routes``) gives has its rule here or in ``deadline_rules``, with
its legal basis and how sure we are of the text. Distance extensions (CJA R421-7) are given only where a text
extends them (R811-5 for appeals, R821-2 for cassation); a référé's fifteen days are never extended.
"""

from __future__ import annotations

from caseapp.domain.rule_types import Confidence, Counting, DateKind, DeadlineRule, Unit
from caseapp.i18n import N_


def _rule(
    rule_id: str,
    label: str,
    legal_basis: str,
    confidence: Confidence,
    trigger: str,
    length: int,
    unit: Unit,
    counting: Counting,
    note: str,
    *,
    distance_extension: bool = False,
    date_kind: DateKind = "act",
    acknowledgement_matters: bool = False,
) -> DeadlineRule:
    return DeadlineRule(
        id=rule_id,
        label_en=label,
        legal_basis=legal_basis,
        confidence=confidence,
        trigger=trigger,
        length=length,
        unit=unit,
        counting=counting,
        direction=1,
        urgent_length=None,
        distance_extension=distance_extension,
        note_en=note,
        acknowledgement_matters=acknowledgement_matters,
        date_kind=date_kind,
    )


REMEDY_RULES: tuple[DeadlineRule, ...] = (
    _rule(
        "order-nature-unknown",
        N_("Challenge to an order (nature to record)"),
        "CJA L523-1 ; R523-1 ; R533-1 ; R541-3",
        "M",
        "order_notified",
        15,
        "days",
        "franc",
        N_(
            "The nature of the order is not recorded. A référé order is challenged within fifteen days, an order of "
            "the president (R222-1) within two months, and the court differs: the shortest delay is shown until the "
            "nature is recorded."
        ),
    ),
    _rule(
        "refere-instruction-appeal",
        N_("Appeal against a finding-of-fact or inquiry order"),
        "CJA R533-1",
        "2",
        "refere_order_appealable",
        15,
        "days",
        "franc",
        N_(
            "Appeal to the administrative court of appeal within fifteen days of the notification of an order given "
            "under R531-1 or R532-1."
        ),
    ),
    _rule(
        "refere-provision-appeal",
        N_("Appeal against an interim payment order"),
        "CJA R541-3",
        "2",
        "refere_order_appealable",
        15,
        "days",
        "franc",
        N_("Appeal to the administrative court of appeal within fifteen days of the order's notification."),
    ),
    _rule(
        "refere-provision-cassation",
        N_("Cassation against an appeal interim payment order"),
        "CJA R541-6",
        "2",
        "refere_order_notified",
        15,
        "days",
        "franc",
        N_(
            "An order given on appeal in an interim payment matter can be challenged in cassation within fifteen "
            "days of its notification."
        ),
    ),
    _rule(
        "refere-instruction-cassation",
        N_("Cassation against a court of appeal's finding-of-fact or inquiry order"),
        "CJA R533-3",
        "2",
        "refere_order_notified",
        15,
        "days",
        "franc",
        N_(
            "Order of the president of the court of appeal (R531-1, R532-1): cassation within fifteen days. The "
            "ordinary two months would be longer: the shorter is kept."
        ),
    ),
    _rule(
        "cassation-last-resort",
        N_("Cassation against a last-resort judgment"),
        "CJA R811-1 ; R821-1",
        "V",
        "last_resort_judgment_notified",
        2,
        "months",
        "franc",
        N_(
            "The tribunal rules in first and last resort (R811-1, e.g. access to administrative documents): no "
            "appeal; cassation before the Conseil d'État within two months, through an avocat aux Conseils (R821-3); "
            "distance extension by R821-2."
        ),
        distance_extension=True,
    ),
    _rule(
        "rectification",
        N_("Application to correct a clerical error"),
        "CJA R833-1",
        "S",
        "decision_of_caa_or_ce_notified",
        2,
        "months",
        "franc",
        N_(
            "Against a decision of a court of appeal or of the Conseil d'État flawed by a clerical error that may "
            "have influenced the outcome: before the court that gave it, within two months of its notification."
        ),
    ),
    _rule(
        "revision",
        N_("Application for revision"),
        "CJA R834-1 ; R834-2",
        "2",
        "revision_cause_known",
        2,
        "months",
        "franc",
        N_(
            "Only against a Conseil d'État decision given after both sides were heard, on forged documents, for want "
            "of a decisive document withheld by the other side, or in breach of the rules on the bench, the hearing "
            "or the form; two months from the day the ground became known; avocat aux Conseils."
        ),
    ),
    _rule(
        "tierce-opposition",
        N_("Third-party opposition"),
        "CJA R832-1 ; R832-2",
        "S",
        "third_party_notified",
        2,
        "months",
        "franc",
        N_(
            "Open only to a person who was neither present nor represented and whose rights the decision harms; two "
            "months from its notification to that person, no time limit without one."
        ),
    ),
    _rule(
        "refere-confirm-main-action",
        N_("Confirm that the main action is maintained"),
        "CJA R612-5-2",
        "2",
        "refere_suspension_rejected",
        1,
        "months",
        "calendar",
        N_(
            "When suspension is refused for want of a ground raising serious doubt, the applicant must confirm "
            "within one month of the notification that the main action is maintained, unless the order is challenged "
            "in cassation; otherwise the action is deemed withdrawn. Applies only if the notification stated this "
            "rule."
        ),
    ),
    _rule(
        "cassation-supplementary-brief",
        N_("Announced supplementary brief (cassation)"),
        "CJA R611-22 ; R611-23",
        "2",
        "cassation_registered",
        3,
        "months",
        "calendar",
        N_(
            "The supplementary brief announced in the cassation appeal must reach the Conseil d'État within three "
            "months of the appeal's registration; otherwise the appeal is deemed withdrawn (R611-23)."
        ),
    ),
    _rule(
        "court-set-notice",
        N_("Formal notice to produce"),
        "CJA R612-3 ; R612-5 ; R612-6",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        N_(
            "Time limit set by the court in the formal notice. Failing that: the applicant is deemed to have "
            "withdrawn (R612-5), the respondent to have accepted the facts stated (R612-6)."
        ),
    ),
    _rule(
        "court-set-calendar",
        N_("Date of the investigation calendar"),
        "CJA R611-11-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        N_("Date given by the court: the investigation may be closed from that date without further notice."),
    ),
    _rule(
        "court-set-new-grounds",
        N_("Last date for new grounds"),
        "CJA R611-7-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        N_("After the date set by the court, the parties can no longer raise new grounds."),
        date_kind="closing",
    ),
    _rule(
        "court-closure-order",
        N_("Investigation closed by order"),
        "CJA R613-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        N_("The investigation closes on the date set by the closing order: file before it."),
        date_kind="closing",
    ),
    _rule(
        "refere-hearing",
        N_("Investigation closes at the end of the référé hearing"),
        "CJA R522-6 ; R522-8",
        "S",
        "refere_hearing",
        0,
        "days",
        "fixed",
        N_(
            "In référé (L521-1 to L521-3) the parties are convened without delay and by any means (R522-6): no "
            "seven-day hearing notice (R711-2). The investigation closes at the end of the hearing unless the judge "
            "defers it (R522-8): no closing three clear days before (R613-2)."
        ),
        date_kind="closing",
    ),
    _rule(
        "cnil-court",
        N_("Action against the CNIL's implicit rejection"),
        "CJA R311-1 ; R421-2",
        "2",
        "cnil_rejection_born",
        2,
        "months",
        "franc",
        N_(
            "The Conseil d'État hears CNIL decisions in first and last resort (R311-1): two clear months from the "
            "implicit rejection. No distance extension is applied."
        ),
    ),
    _rule(
        "silence-acceptance",
        N_("Implicit acceptance of the request"),
        "CRPA L231-1",
        "V",
        "request_received",
        2,
        "months",
        "birth",
        N_(
            "Two months of silence from the administration is an acceptance, save in the cases of L231-4 and the "
            "decrees that provide otherwise."
        ),
        date_kind="birth",
    ),
)
