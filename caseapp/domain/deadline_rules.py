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
"""

from __future__ import annotations

from datetime import date

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
from caseapp.i18n import _

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
            "decision_notified",
            "Notification ou publication d'une décision",
            "Decision notified or published",
            "Notification (ou publication) de la décision le {d}.",
            "Decision notified (or published) on {d}.",
        ),
        Trigger(
            "implicit_rejection",
            "Rejet implicite né",
            "Implicit rejection born",
            "Rejet implicite né le {d}.",
            "Implicit rejection born on {d}.",
        ),
        Trigger(
            "administrative_appeal_rejected",
            "Rejet du recours administratif",
            "Administrative appeal rejected",
            "Rejet (exprès ou implicite) du recours administratif le {d}.",
            "Administrative appeal rejected (expressly or implicitly) on {d}.",
        ),
        Trigger(
            "refere_liberte_order_notified",
            "Notification d'une ordonnance de référé-liberté",
            "Référé-liberté order notified",
            "Notification de l'ordonnance de référé-liberté (CJA L521-2) le {d}.",
            "Référé-liberté order (CJA L521-2) notified on {d}.",
        ),
        Trigger(
            "refere_order_notified",
            "Notification d'une ordonnance de référé",
            "Référé order notified",
            "Notification de l'ordonnance de référé (CJA L521-1, L521-3, L521-4 ou L522-3) le {d}.",
            "Référé order (CJA L521-1, L521-3, L521-4 or L522-3) notified on {d}.",
        ),
        Trigger(
            "judgment_notified",
            "Notification du jugement",
            "Judgment notified",
            "Notification du jugement du tribunal administratif le {d}.",
            "Administrative court judgment notified on {d}.",
        ),
        Trigger(
            "appeal_decision_notified",
            "Notification de l'arrêt (ou du jugement en dernier ressort)",
            "Appeal decision (or last-resort judgment) notified",
            "Notification de l'arrêt d'appel (ou du jugement rendu en premier et dernier ressort) le {d}.",
            "Appeal decision (or first-and-last-resort judgment) notified on {d}.",
        ),
        Trigger(
            "cada_request_received",
            "Demande de communication reçue",
            "Access request received",
            "Demande de communication reçue par l'administration le {d}.",
            "Access-to-documents request received by the administration on {d}.",
        ),
        Trigger(
            "cada_refusal",
            "Refus de communication",
            "Access refused",
            "Refus de communication (notifié, ou né du silence) le {d}.",
            "Access refused (notified, or born from silence) on {d}.",
        ),
        Trigger(
            "cada_referral_registered",
            "Saisine de la CADA enregistrée",
            "CADA referral registered",
            "Saisine enregistrée par la CADA le {d}.",
            "Referral registered by the CADA on {d}.",
        ),
        Trigger(
            "cada_refusal_confirmed",
            "Refus confirmé après avis de la CADA",
            "Refusal confirmed",
            "Refus confirmé (exprès, ou né du silence après la saisine de la CADA) le {d}.",
            "Refusal confirmed (expressly, or born from silence after the CADA referral) on {d}.",
        ),
        Trigger(
            "cnil_complaint_lodged",
            "Plainte déposée auprès de la CNIL",
            "CNIL complaint lodged",
            "Plainte déposée auprès de la CNIL le {d}.",
            "Complaint lodged with the CNIL on {d}.",
        ),
        Trigger("hearing_date", "Date d'audience", "Hearing date", "Audience le {d}.", "Hearing on {d}."),
        Trigger(
            "order_notified",
            "Notification d'une ordonnance",
            "Order notified",
            "Notification de l'ordonnance le {d}.",
            "Order notified on {d}.",
        ),
        Trigger(
            "refere_hearing",
            "Audience de référé",
            "Référé hearing",
            "Audience de référé le {d}.",
            "Référé hearing on {d}.",
        ),
        Trigger(
            "refere_order_appealable",
            "Notification d'une ordonnance de référé (appel)",
            "Référé order notified (appeal)",
            "Notification de l'ordonnance du juge des référés le {d}.",
            "Order of the juge des référés notified on {d}.",
        ),
        Trigger(
            "last_resort_judgment_notified",
            "Notification d'un jugement rendu en dernier ressort",
            "Last-resort judgment notified",
            "Notification du jugement rendu en premier et dernier ressort le {d}.",
            "First-and-last-resort judgment notified on {d}.",
        ),
        Trigger(
            "decision_of_caa_or_ce_notified",
            "Notification d'une décision de la cour ou du Conseil d'État",
            "Decision of a court of appeal or of the Conseil d'État notified",
            "Notification de la décision le {d}.",
            "Decision notified on {d}.",
        ),
        Trigger(
            "revision_cause_known",
            "Connaissance de la cause de révision",
            "Ground for revision discovered",
            "La cause de révision invoquée est connue le {d}.",
            "The ground for revision became known on {d}.",
        ),
        Trigger(
            "third_party_notified",
            "Notification de la décision au tiers",
            "Decision notified to the third party",
            "Décision notifiée au tiers le {d}.",
            "Decision notified to the third party on {d}.",
        ),
        Trigger(
            "refere_suspension_rejected",
            "Rejet d'un référé-suspension notifié",
            "Suspension application rejected (notified)",
            "Notification de l'ordonnance rejetant la demande de suspension (CJA L521-1) le {d}.",
            "Order rejecting the suspension application (CJA L521-1) notified on {d}.",
        ),
        Trigger(
            "cassation_registered",
            "Enregistrement du pourvoi",
            "Cassation appeal registered",
            "Pourvoi enregistré au Conseil d'État le {d}, annonçant un mémoire complémentaire.",
            "Cassation appeal registered at the Conseil d'État on {d}, announcing a supplementary brief.",
        ),
        Trigger(
            "court_set_date",
            "Date fixée par la juridiction",
            "Date set by the court",
            "Date fixée par la juridiction : le {d}.",
            "Date set by the court: {d}.",
        ),
        Trigger(
            "cnil_rejection_born",
            "Rejet implicite de la plainte par la CNIL",
            "Implicit rejection of the complaint by the CNIL",
            "Rejet implicite de la plainte né le {d}.",
            "Implicit rejection of the complaint born on {d}.",
        ),
        Trigger(
            "request_received",
            "Demande reçue par l'administration",
            "Request received by the administration",
            "Demande reçue par l'administration le {d}.",
            "Request received by the administration on {d}.",
        ),
    )
}


RULES: dict[str, DeadlineRule] = {
    r.id: r
    for r in (
        DeadlineRule(
            id="rep",
            label_fr="Recours pour excès de pouvoir",
            label_en="Annulment action",
            legal_basis="CJA R421-1",
            confidence="V",
            trigger="decision_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_fr="Deux mois francs à compter de la notification ou de la publication de la décision.",
            note_en="Two clear months from the notification or publication of the decision.",
        ),
        DeadlineRule(
            id="rep-implicit",
            label_fr="Recours contre un rejet implicite",
            label_en="Action against an implicit rejection",
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
            note_fr="Le rejet implicite naît deux mois après la réception de la demande (date à date, sans "
            "délai franc ni report) ; le délai de recours de deux mois francs court de cette "
            "naissance.",
            note_en="The implicit rejection is born two months after the request was received (same date, "
            "not clear, never moved); the two clear months for going to court run from that birth.",
        ),
        DeadlineRule(
            id="recours-gracieux",
            label_fr="Recours après rejet d'un recours administratif",
            label_en="Action after an administrative appeal was rejected",
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
            note_fr="Un recours gracieux ou hiérarchique formé dans le délai l'interrompt ; un nouveau délai "
            "complet court de son rejet exprès ou implicite.",
            note_en="An administrative appeal filed within the delay interrupts it; a full new delay runs "
            "from its express or implicit rejection.",
        ),
        DeadlineRule(
            id="refere-liberte-appeal",
            label_fr="Appel d'une ordonnance de référé-liberté",
            label_en="Appeal against a référé-liberté order",
            legal_basis="CJA L523-1 al. 2",
            confidence="V",
            trigger="refere_liberte_order_notified",
            length=15,
            unit="days",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="Appel devant le Conseil d'État dans les quinze jours. Une ordonnance de rejet sans "
            "audience (L522-3) relève-t-elle de l'appel ou de la cassation ? La question n'est pas "
            "tranchée : à vérifier.",
            note_en="Appeal to the Conseil d'État within fifteen days. Whether an order rejecting the "
            "request without a hearing (L522-3) goes to appeal or to cassation is unsettled: ask.",
        ),
        DeadlineRule(
            id="refere-cassation",
            label_fr="Pourvoi contre une ordonnance de référé",
            label_en="Cassation against a référé order",
            legal_basis="CJA L523-1 al. 1 ; R523-1",
            confidence="2",
            trigger="refere_order_notified",
            length=15,
            unit="days",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="Ordonnances rendues en dernier ressort (L523-1 al. 1) : pourvoi en cassation devant le "
            "Conseil d'État dans les quinze jours, par un avocat aux Conseils ; pas d'appel. Texte lu dans sa "
            "version en vigueur (V) ; le caractère franc du délai n'est connu que par la doctrine (2), d'où la "
            "mention « à vérifier ».",
            note_en="Orders given in last resort (L523-1 para. 1): cassation before the Conseil d'État within "
            "fifteen days, through an avocat aux Conseils; no appeal. Text read in its current version (V); that "
            "the delay is clear is known through commentary only (2), hence “to verify”.",
        ),
        DeadlineRule(
            id="appeal",
            label_fr="Appel devant la cour administrative d'appel",
            label_en="Appeal to the administrative court of appeal",
            legal_basis="CJA R811-2",
            confidence="S",
            trigger="judgment_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_fr="Deux mois à compter de la notification du jugement ; augmentation pour distance par CJA R811-5.",
            note_en="Two months from the notification of the judgment; distance extension by CJA R811-5.",
        ),
        DeadlineRule(
            id="cassation",
            label_fr="Pourvoi en cassation devant le Conseil d'État",
            label_en="Cassation before the Conseil d'État",
            legal_basis="CJA R821-1",
            confidence="S",
            trigger="appeal_decision_notified",
            length=2,
            unit="months",
            counting="franc",
            direction=1,
            urgent_length=None,
            distance_extension=True,
            note_fr="Deux mois à compter de la notification de l'arrêt (ou du jugement rendu en premier et "
            "dernier ressort) ; augmentation pour distance par CJA R821-2.",
            note_en="Two months from the notification of the appeal decision (or of a first-and-last-resort "
            "judgment); distance extension by CJA R821-2.",
        ),
        DeadlineRule(
            id="cada-silence",
            label_fr="Refus implicite de communication",
            label_en="Implicit refusal of access",
            legal_basis="CRPA R311-13",
            confidence="2",
            trigger="cada_request_received",
            length=1,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="Le silence gardé un mois sur une demande de communication vaut refus, né à la date "
            "anniversaire (jamais reportée).",
            note_en="One month of silence on an access request is a refusal, born on the anniversary date "
            "(never moved).",
            date_kind="birth",
        ),
        DeadlineRule(
            id="cada-referral",
            label_fr="Saisine de la CADA",
            label_en="Referral to the CADA",
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
            note_fr="Saisine préalable obligatoire de la CADA dans les deux mois du refus. Le caractère franc "
            "de ce délai est discuté : la date sûre est la veille de l'anniversaire.",
            note_en="Referral to the CADA, required before going to court, within two months of the refusal. "
            "Whether this delay is clear is disputed: the safe day is the day before the "
            "anniversary.",
        ),
        DeadlineRule(
            id="cada-opinion",
            label_fr="Avis de la CADA attendu",
            label_en="CADA opinion expected",
            legal_basis="CRPA R343-3",
            confidence="2",
            trigger="cada_referral_registered",
            length=1,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="La CADA notifie son avis dans le mois de l'enregistrement de la saisine.",
            note_en="The CADA gives its opinion within one month of registering the referral.",
            date_kind="expected",
        ),
        DeadlineRule(
            id="cada-confirmation",
            label_fr="Refus confirmé par le silence",
            label_en="Refusal confirmed by silence",
            legal_basis="CRPA R343-4 ; R343-5",
            confidence="2",
            trigger="cada_referral_registered",
            length=2,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="Faute de réponse de l'administration deux mois après l'enregistrement de la saisine, "
            "le refus est confirmé (décision implicite, née à la date anniversaire).",
            note_en="If the administration does not answer within two months of the referral being "
            "registered, the refusal is confirmed (implicit decision, born on the anniversary).",
            date_kind="birth",
        ),
        DeadlineRule(
            id="cada-court",
            label_fr="Recours contre le refus confirmé",
            label_en="Action against the confirmed refusal",
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
            note_fr="Tribunal administratif statuant en premier et dernier ressort : seul un pourvoi en "
            "cassation est ouvert ensuite.",
            note_en="The administrative court rules in first and last resort: only cassation lies after.",
        ),
        DeadlineRule(
            id="cnil-complaint",
            label_fr="Rejet implicite d'une plainte CNIL",
            label_en="Implicit rejection of a CNIL complaint",
            legal_basis="décret 2019-536 art. 10",
            confidence="2",
            trigger="cnil_complaint_lodged",
            length=3,
            unit="months",
            counting="birth",
            direction=1,
            urgent_length=None,
            distance_extension=False,
            note_fr="Trois mois de silence de la CNIL valent rejet, contestable devant le Conseil d'État.",
            note_en="Three months of silence from the CNIL are a rejection, challengeable before the Conseil d'État.",
            date_kind="birth",
        ),
        DeadlineRule(
            id="hearing-notice",
            label_fr="Avis d'audience",
            label_en="Hearing notice",
            legal_basis="CJA R711-2",
            confidence="S",
            trigger="hearing_date",
            length=7,
            unit="days",
            counting="before",
            direction=-1,
            urgent_length=2,
            distance_extension=False,
            note_fr="L'avis d'audience est envoyé sept jours au moins avant l'audience (deux en urgence).",
            note_en="The hearing notice is sent at least seven days before the hearing (two if urgent).",
            date_kind="court",
        ),
        DeadlineRule(
            id="instruction-closing",
            label_fr="Clôture de l'instruction",
            label_en="Close of the investigation",
            legal_basis="CJA R613-2",
            confidence="S",
            trigger="hearing_date",
            length=3,
            unit="days",
            counting="franc",
            direction=-1,
            urgent_length=None,
            distance_extension=False,
            note_fr="À défaut d'ordonnance de clôture, l'instruction est close trois jours francs avant l'audience.",
            note_en="Absent a closing order, the investigation closes three clear days before the hearing.",
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


def implicit_rejection_birth(received: date) -> date:
    """The day the implicit rejection of a request received on ``received`` is born (rep-implicit's trigger):
    ``received`` + 2 months, same date (capped at the month's end), never moved to a working day.
    """
    from caseapp.domain.deadlines import implicit_decision_birth  # the arithmetic lives with the engine

    return implicit_decision_birth(received, IMPLICIT_REJECTION_MONTHS)
