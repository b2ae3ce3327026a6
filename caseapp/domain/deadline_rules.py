"""The time limits CaseApp computes, as data (the table of ``/shared/DEADLINES.md``).

Each ``DeadlineRule`` says which event starts it (``trigger``, a key the services map events to), how long it
is, how it is counted and how sure we are of its text (``confidence``):

* ``"V"`` the text was read in a current version; ``"S"`` read only in a 2014–15 consolidation; ``"2"`` known
  through commentary only; ``"M"`` general knowledge, not checked. Anything below ``"V"`` is shown as
  "to verify on Légifrance" (``needs_verification``).

Counting modes (see ``caseapp.domain.deadlines`` for the arithmetic):

* ``"franc"`` — last day = end + 1, rolled past Saturdays, Sundays and holidays (court time limits);
  with ``direction == -1`` (instruction-closing) the N days before the trigger must stay whole;
* ``"birth"`` — the day an implicit decision is born: the anniversary, never rolled;
* ``"calendar"`` — franc status disputed: safe day = anniversary − 1, not rolled; franc day shown beside it;
* ``"before"`` — a plain number of days before the trigger (hearing-notice), not rolled;
* ``"fixed"`` — the date is the trigger itself: a date the court set (R612-3, R611-11-1, R611-7-1, R613-1) or
  the référé hearing at whose end the instruction closes (R522-8); never moved.

``kind`` says what the date is for people: ``"act"`` a last day to act, ``"birth"`` the day an implicit
decision is born (shown as "décision implicite née le …", never as a last day), ``"court"`` something the court
must do (send the hearing notice), ``"expected"`` an authority's answer expected by then (the CADA's opinion),
``"closing"`` the end of the instruction.

Labels, notes and the steps of the triggers are English source strings (``N_``); their French is in
``resources/locale/fr/LC_MESSAGES/domain.po`` (``rule.label_fr`` reads it, and keeps the text a deadline's title
has always had).
"""

from __future__ import annotations

from caseapp.domain.rule_types import (
    CONFIDENCE_LABELS,
    Confidence,
    Counting,
    DateKind,
    DeadlineRule,
    Trigger,
    Unit,
)
from caseapp.domain.rules_remedies import REMEDY_RULES
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, _

__all__ = [
    "CONFIDENCE_LABELS",
    "RULES",
    "TRIGGERS",
    "Confidence",
    "Counting",
    "DateKind",
    "DeadlineRule",
    "Trigger",
    "Unit",
    "get_rule",
    "needs_verification",
    "rules_for_trigger",
]

TRIGGERS: dict[str, Trigger] = {
    t.key: t
    for t in (
        Trigger(
            "decision_notified", N_("Decision notified or published"), N_("Decision notified (or published) on {d}.")
        ),
        Trigger("implicit_rejection", N_("Implicit rejection born"), N_("Implicit rejection born on {d}.")),
        Trigger(
            "administrative_appeal_rejected",
            N_("Administrative appeal rejected"),
            N_("Administrative appeal rejected (expressly or implicitly) on {d}."),
        ),
        Trigger(
            "refere_liberte_order_notified",
            N_("Référé-liberté order notified"),
            N_("Référé-liberté order (CJA L521-2) notified on {d}."),
        ),
        Trigger(
            "refere_order_notified",
            N_("Référé order notified"),
            N_("Référé order (CJA L521-1, L521-3, L521-4 or L522-3) notified on {d}."),
        ),
        Trigger("judgment_notified", N_("Judgment notified"), N_("Administrative court judgment notified on {d}.")),
        Trigger(
            "appeal_decision_notified",
            N_("Appeal decision (or last-resort judgment) notified"),
            N_("Appeal decision (or first-and-last-resort judgment) notified on {d}."),
        ),
        Trigger(
            "cada_request_received",
            N_("Access request received"),
            N_("Access-to-documents request received by the administration on {d}."),
        ),
        Trigger("cada_refusal", N_("Access refused"), N_("Access refused (notified, or born from silence) on {d}.")),
        Trigger(
            "cada_referral_registered", N_("CADA referral registered"), N_("Referral registered by the CADA on {d}.")
        ),
        Trigger(
            "cada_refusal_confirmed",
            N_("Refusal confirmed"),
            N_("Refusal confirmed (expressly, or born from silence after the CADA referral) on {d}."),
        ),
        Trigger("cnil_complaint_lodged", N_("CNIL complaint lodged"), N_("Complaint lodged with the CNIL on {d}.")),
        Trigger("hearing_date", N_("Hearing date"), N_("Hearing on {d}.")),
        Trigger("order_notified", N_("Order notified"), N_("Order notified on {d}.")),
        Trigger("refere_hearing", N_("Référé hearing"), N_("Référé hearing on {d}.")),
        Trigger(
            "refere_order_appealable",
            N_("Référé order notified (appeal)"),
            N_("Order of the juge des référés notified on {d}."),
        ),
        Trigger(
            "last_resort_judgment_notified",
            N_("Last-resort judgment notified"),
            N_("First-and-last-resort judgment notified on {d}."),
        ),
        Trigger(
            "decision_of_caa_or_ce_notified",
            N_("Decision of a court of appeal or of the Conseil d'État notified"),
            N_("Decision notified on {d}."),
        ),
        Trigger(
            "revision_cause_known",
            N_("Ground for revision discovered"),
            N_("The ground for revision became known on {d}."),
        ),
        Trigger(
            "third_party_notified",
            N_("Decision notified to the third party"),
            N_("Decision notified to the third party on {d}."),
        ),
        Trigger(
            "refere_suspension_rejected",
            N_("Suspension application rejected (notified)"),
            N_("Order rejecting the suspension application (CJA L521-1) notified on {d}."),
        ),
        Trigger(
            "cassation_registered",
            N_("Cassation appeal registered"),
            N_("Cassation appeal registered at the Conseil d'État on {d}, announcing a supplementary brief."),
        ),
        Trigger("court_set_date", N_("Date set by the court"), N_("Date set by the court: {d}.")),
        Trigger(
            "cnil_rejection_born",
            N_("Implicit rejection of the complaint by the CNIL"),
            N_("Implicit rejection of the complaint born on {d}."),
        ),
        Trigger(
            "request_received",
            N_("Request received by the administration"),
            N_("Request received by the administration on {d}."),
        ),
    )
}


RULES: dict[str, DeadlineRule] = {
    r.id: r
    for r in (
        DeadlineRule(
            id="rep",
            label_en=N_("Annulment action"),
            legal_basis="CJA R421-1",
            confidence="V",
            trigger="decision_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_en=N_("Two clear months from the notification or publication of the decision."),
        ),
        DeadlineRule(
            id="rep-implicit",
            label_en=N_("Action against an implicit rejection"),
            legal_basis="CJA R421-2 ; CRPA L231-4",
            confidence="V",
            trigger="implicit_rejection",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            acknowledgement_matters=True,
            note_en=N_(
                "The implicit rejection is born two months after the request was received (same date, not clear, "
                "never moved); the two clear months for going to court run from that birth."
            ),
        ),
        DeadlineRule(
            id="recours-gracieux",
            label_en=N_("Action after an administrative appeal was rejected"),
            legal_basis="CRPA L411-2",
            confidence="V",
            trigger="administrative_appeal_rejected",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            acknowledgement_matters=True,
            note_en=N_(
                "An administrative appeal filed within the delay interrupts it; a full new delay runs from its "
                "express or implicit rejection."
            ),
        ),
        DeadlineRule(
            id="refere-liberte-appeal",
            label_en=N_("Appeal against a référé-liberté order"),
            legal_basis="CJA L523-1 al. 2",
            confidence="V",
            trigger="refere_liberte_order_notified",
            length=15,
            unit="days",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_(
                "Appeal to the Conseil d'État within fifteen days. Whether an order rejecting the request without a "
                "hearing (L522-3) goes to appeal or to cassation is unsettled: ask."
            ),
        ),
        DeadlineRule(
            id="refere-cassation",
            label_en=N_("Cassation against a référé order"),
            legal_basis="CJA L523-1 al. 1 ; R523-1",
            confidence="2",
            trigger="refere_order_notified",
            length=15,
            unit="days",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_(
                "Orders given in last resort (L523-1 para. 1): cassation before the Conseil d'État within fifteen "
                "days, through an avocat aux Conseils; no appeal. Text read in its current version (V); that the "
                "delay is clear is known through commentary only (2), hence “to verify”."
            ),
        ),
        DeadlineRule(
            id="appeal",
            label_en=N_("Appeal to the administrative court of appeal"),
            legal_basis="CJA R811-2",
            confidence="S",
            trigger="judgment_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_en=N_("Two months from the notification of the judgment; distance extension by CJA R811-5."),
        ),
        DeadlineRule(
            id="cassation",
            label_en=N_("Cassation before the Conseil d'État"),
            legal_basis="CJA R821-1",
            confidence="S",
            trigger="appeal_decision_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_en=N_(
                "Two months from the notification of the appeal decision (or of a first-and-last-resort judgment); "
                "distance extension by CJA R821-2."
            ),
        ),
        DeadlineRule(
            id="cada-silence",
            label_en=N_("Implicit refusal of access"),
            legal_basis="CRPA R311-13",
            confidence="2",
            trigger="cada_request_received",
            length=1,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_(
                "One month of silence on an access request is a refusal, born on the anniversary date (never moved)."
            ),
            date_kind="birth",
        ),
        DeadlineRule(
            id="cada-referral",
            label_en=N_("Referral to the CADA"),
            legal_basis="CRPA R343-1",
            confidence="V",
            trigger="cada_refusal",
            length=2,
            unit="months",
            counting="calendar",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            acknowledgement_matters=True,
            note_en=N_(
                "Referral to the CADA, required before going to court, within two months of the refusal. Whether "
                "this delay is clear is disputed: the safe day is the day before the anniversary."
            ),
        ),
        DeadlineRule(
            id="cada-opinion",
            label_en=N_("CADA opinion expected"),
            legal_basis="CRPA R343-3",
            confidence="2",
            trigger="cada_referral_registered",
            length=1,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_("The CADA gives its opinion within one month of registering the referral."),
            date_kind="expected",
        ),
        DeadlineRule(
            id="cada-confirmation",
            label_en=N_("Refusal confirmed by silence"),
            legal_basis="CRPA R343-4 ; R343-5",
            confidence="2",
            trigger="cada_referral_registered",
            length=2,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_(
                "If the administration does not answer within two months of the referral being registered, the "
                "refusal is confirmed (implicit decision, born on the anniversary)."
            ),
            date_kind="birth",
        ),
        DeadlineRule(
            id="cada-court",
            label_en=N_("Action against the confirmed refusal"),
            legal_basis="CJA R421-1 ; R421-2 ; CRPA R343-5 ; CE 11 mars 2024 n° 488227 ; CJA R811-1 2°",
            confidence="V",
            trigger="cada_refusal_confirmed",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            acknowledgement_matters=True,
            note_en=N_("The administrative court rules in first and last resort: only cassation lies after."),
        ),
        DeadlineRule(
            id="cnil-complaint",
            label_en=N_("Implicit rejection of a CNIL complaint"),
            legal_basis="décret 2019-536 art. 10",
            confidence="2",
            trigger="cnil_complaint_lodged",
            length=3,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_(
                "Three months of silence from the CNIL are a rejection, challengeable before the Conseil d'État."
            ),
            date_kind="birth",
        ),
        DeadlineRule(
            id="hearing-notice",
            label_en=N_("Hearing notice"),
            legal_basis="CJA R711-2",
            confidence="S",
            trigger="hearing_date",
            length=7,
            unit="days",
            counting="before",
            direction=-1,
            urgent_length=2,
            distance_extension=False,
            note_en=N_("The hearing notice is sent at least seven days before the hearing (two if urgent)."),
            date_kind="court",
        ),
        DeadlineRule(
            id="instruction-closing",
            label_en=N_("Close of the investigation"),
            legal_basis="CJA R613-2",
            confidence="S",
            trigger="hearing_date",
            length=3,
            unit="days",
            counting="franc",
            direction=-1,
            urgent_length=None,
            distance_extension=False,
            note_en=N_("Absent a closing order, the investigation closes three clear days before the hearing."),
            date_kind="closing",
        ),
    )
}
RULES.update((rule.id, rule) for rule in REMEDY_RULES)

# Months of silence after which a request to the administration is implicitly rejected (CRPA L231-4).
IMPLICIT_REJECTION_MONTHS = 2


def get_rule(rule_id: str) -> DeadlineRule:
    """The rule ``rule_id``; ``InvalidInput`` listing the known ids if there is none."""
    try:
        return RULES[rule_id]
    except (KeyError, TypeError):
        raise InvalidInput(
            _("Unknown deadline rule “{rule_id}”. Known rules: {known}.").format(
                rule_id=rule_id, known=", ".join(RULES)
            ),
            field="rule_id",
        ) from None


def rules_for_trigger(trigger: str) -> list[DeadlineRule]:
    """Every rule started by ``trigger`` (empty for an event that starts none)."""
    return [rule for rule in RULES.values() if rule.trigger == trigger]


def needs_verification(rule: DeadlineRule) -> bool:
    """True when the rule's confidence is below "V": show it as "to verify on Légifrance"."""
    return rule.confidence != "V"
