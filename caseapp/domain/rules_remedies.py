"""Time limits of the routes of appeal that depend on the decision and the court, and of the steps of procedure
that the first version lacked (``/shared/DEADLINES.md``, "Which route after a decision").

Every route the route matrix (``caseapp.domain.routes``) gives has its rule here or in ``deadline_rules``, with
its legal basis and how sure we are of the text. Distance extensions (CJA R421-7) are given only where a text
extends them (R811-5 for appeals, R821-2 for cassation); a référé's fifteen days are never extended.
"""

from __future__ import annotations

from caseapp.domain.rule_types import Confidence, Counting, DateKind, DeadlineRule, Unit


def _rule(
    rule_id: str,
    label: tuple[str, str],
    legal_basis: str,
    confidence: Confidence,
    trigger: str,
    length: int,
    unit: Unit,
    counting: Counting,
    note: tuple[str, str],
    *,
    distance_extension: bool = False,
    date_kind: DateKind = "act",
    acknowledgement_matters: bool = False,
) -> DeadlineRule:
    return DeadlineRule(
        id=rule_id,
        label_fr=label[0],
        label_en=label[1],
        legal_basis=legal_basis,
        confidence=confidence,
        trigger=trigger,
        length=length,
        unit=unit,
        counting=counting,
        direction=1,
        urgent_length=None,
        distance_extension=distance_extension,
        note_fr=note[0],
        note_en=note[1],
        acknowledgement_matters=acknowledgement_matters,
        date_kind=date_kind,
    )


REMEDY_RULES: tuple[DeadlineRule, ...] = (
    _rule(
        "order-nature-unknown",
        ("Recours contre une ordonnance (nature à préciser)", "Challenge to an order (nature to record)"),
        "CJA L523-1 ; R523-1 ; R533-1 ; R541-3",
        "M",
        "order_notified",
        15,
        "days",
        "franc",
        (
            "La nature de l'ordonnance n'est pas enregistrée. Une ordonnance de référé se conteste en quinze jours, "
            "une ordonnance du président (R222-1) en deux mois, et la juridiction compétente diffère : le délai le "
            "plus court est affiché tant que la nature n'est pas précisée.",
            "The nature of the order is not recorded. A référé order is challenged within fifteen days, an order "
            "of the president (R222-1) within two months, and the court differs: the shortest delay is shown until "
            "the nature is recorded.",
        ),
    ),
    _rule(
        "refere-instruction-appeal",
        (
            "Appel d'une ordonnance de référé-constat ou d'instruction",
            "Appeal against a finding-of-fact or inquiry order",
        ),
        "CJA R533-1",
        "2",
        "refere_order_appealable",
        15,
        "days",
        "franc",
        (
            "Appel devant la cour administrative d'appel dans la quinzaine de la notification de l'ordonnance "
            "rendue sur le fondement de R531-1 ou R532-1.",
            "Appeal to the administrative court of appeal within fifteen days of the notification of an order "
            "given under R531-1 or R532-1.",
        ),
    ),
    _rule(
        "refere-provision-appeal",
        ("Appel d'une ordonnance de référé-provision", "Appeal against an interim payment order"),
        "CJA R541-3",
        "2",
        "refere_order_appealable",
        15,
        "days",
        "franc",
        (
            "Appel devant la cour administrative d'appel dans la quinzaine de la notification de l'ordonnance.",
            "Appeal to the administrative court of appeal within fifteen days of the order's notification.",
        ),
    ),
    _rule(
        "refere-provision-cassation",
        (
            "Pourvoi contre une ordonnance de référé-provision d'appel",
            "Cassation against an appeal interim payment order",
        ),
        "CJA R541-6",
        "2",
        "refere_order_notified",
        15,
        "days",
        "franc",
        (
            "L'ordonnance rendue en appel sur un référé-provision peut faire l'objet d'un pourvoi en cassation "
            "dans la quinzaine de sa notification.",
            "An order given on appeal in an interim payment matter can be challenged in cassation within fifteen "
            "days of its notification.",
        ),
    ),
    _rule(
        "refere-instruction-cassation",
        (
            "Pourvoi contre une ordonnance de référé-constat ou d'instruction de la cour",
            "Cassation against a court of appeal's finding-of-fact or inquiry order",
        ),
        "CJA R533-3",
        "2",
        "refere_order_notified",
        15,
        "days",
        "franc",
        (
            "Ordonnance du président de la cour administrative d'appel (R531-1, R532-1) : pourvoi en cassation "
            "dans la quinzaine. Le délai de deux mois de droit commun serait plus long : le plus court est retenu.",
            "Order of the president of the court of appeal (R531-1, R532-1): cassation within fifteen days. The "
            "ordinary two months would be longer: the shorter is kept.",
        ),
    ),
    _rule(
        "cassation-last-resort",
        ("Pourvoi contre un jugement rendu en dernier ressort", "Cassation against a last-resort judgment"),
        "CJA R811-1 ; R821-1",
        "V",
        "last_resort_judgment_notified",
        2,
        "months",
        "franc",
        (
            "Le tribunal statue en premier et dernier ressort (R811-1, par exemple en matière de communication de "
            "documents administratifs) : pas d'appel ; pourvoi en cassation devant le Conseil d'État dans les deux "
            "mois, par un avocat aux Conseils (R821-3) ; augmentation pour distance par R821-2.",
            "The tribunal rules in first and last resort (R811-1, e.g. access to administrative documents): no "
            "appeal; cassation before the Conseil d'État within two months, through an avocat aux Conseils "
            "(R821-3); distance extension by R821-2.",
        ),
        distance_extension=True,
    ),
    _rule(
        "rectification",
        ("Recours en rectification d'erreur matérielle", "Application to correct a clerical error"),
        "CJA R833-1",
        "S",
        "decision_of_caa_or_ce_notified",
        2,
        "months",
        "franc",
        (
            "Contre une décision d'une cour administrative d'appel ou du Conseil d'État entachée d'une erreur "
            "matérielle susceptible d'avoir influé sur le jugement : devant la juridiction qui l'a rendue, dans "
            "les deux mois de sa notification.",
            "Against a decision of a court of appeal or of the Conseil d'État flawed by a clerical error that may "
            "have influenced the outcome: before the court that gave it, within two months of its notification.",
        ),
    ),
    _rule(
        "revision",
        ("Recours en révision", "Application for revision"),
        "CJA R834-1 ; R834-2",
        "2",
        "revision_cause_known",
        2,
        "months",
        "franc",
        (
            "Seulement contre une décision contradictoire du Conseil d'État rendue sur pièces fausses, faute d'une "
            "pièce décisive retenue par l'adversaire, ou en méconnaissance des règles de composition, d'audience "
            "ou de forme ; deux mois à compter du jour où la cause de révision est connue ; avocat aux Conseils.",
            "Only against a Conseil d'État decision given after both sides were heard, on forged documents, for "
            "want of a decisive document withheld by the other side, or in breach of the rules on the bench, the "
            "hearing or the form; two months from the day the ground became known; avocat aux Conseils.",
        ),
    ),
    _rule(
        "tierce-opposition",
        ("Tierce opposition", "Third-party opposition"),
        "CJA R832-1 ; R832-2",
        "S",
        "third_party_notified",
        2,
        "months",
        "franc",
        (
            "Ouverte seulement à une personne qui n'était ni présente ni représentée à l'instance et dont la "
            "décision préjudicie aux droits ; deux mois à compter de la notification qui lui en est faite, sans "
            "délai à défaut de notification.",
            "Open only to a person who was neither present nor represented and whose rights the decision harms; "
            "two months from its notification to that person, no time limit without one.",
        ),
    ),
    _rule(
        "refere-confirm-main-action",
        ("Confirmer le maintien de la requête au fond", "Confirm that the main action is maintained"),
        "CJA R612-5-2",
        "2",
        "refere_suspension_rejected",
        1,
        "months",
        "calendar",
        (
            "Quand la suspension est rejetée faute de moyen propre à créer un doute sérieux, le requérant doit "
            "confirmer le maintien de sa requête au fond dans le mois de la notification, sauf pourvoi en "
            "cassation contre l'ordonnance ; à défaut il est réputé s'être désisté. Ne s'applique que si la "
            "notification mentionnait cette règle.",
            "When suspension is refused for want of a ground raising serious doubt, the applicant must confirm "
            "within one month of the notification that the main action is maintained, unless the order is "
            "challenged in cassation; otherwise the action is deemed withdrawn. Applies only if the notification "
            "stated this rule.",
        ),
    ),
    _rule(
        "cassation-supplementary-brief",
        ("Mémoire complémentaire annoncé (cassation)", "Announced supplementary brief (cassation)"),
        "CJA R611-22 ; R611-23",
        "2",
        "cassation_registered",
        3,
        "months",
        "calendar",
        (
            "Le mémoire complémentaire annoncé dans le pourvoi doit parvenir au Conseil d'État dans les trois mois "
            "de l'enregistrement du pourvoi ; à défaut le requérant est réputé s'être désisté (R611-23).",
            "The supplementary brief announced in the cassation appeal must reach the Conseil d'État within three "
            "months of the appeal's registration; otherwise the appeal is deemed withdrawn (R611-23).",
        ),
    ),
    _rule(
        "court-set-notice",
        ("Mise en demeure de produire", "Formal notice to produce"),
        "CJA R612-3 ; R612-5 ; R612-6",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        (
            "Délai fixé par la juridiction dans la mise en demeure. Faute de produire : le requérant est réputé "
            "s'être désisté (R612-5), le défendeur avoir acquiescé aux faits exposés (R612-6).",
            "Time limit set by the court in the formal notice. Failing that: the applicant is deemed to have "
            "withdrawn (R612-5), the respondent to have accepted the facts stated (R612-6).",
        ),
    ),
    _rule(
        "court-set-calendar",
        ("Date du calendrier d'instruction", "Date of the investigation calendar"),
        "CJA R611-11-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        (
            "Date indiquée par la juridiction : l'instruction peut être close à partir de cette date sans autre "
            "avertissement.",
            "Date given by the court: the investigation may be closed from that date without further notice.",
        ),
    ),
    _rule(
        "court-set-new-grounds",
        ("Date au-delà de laquelle aucun moyen nouveau n'est recevable", "Last date for new grounds"),
        "CJA R611-7-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        (
            "Après la date fixée par la juridiction, les parties ne peuvent plus invoquer de moyens nouveaux.",
            "After the date set by the court, the parties can no longer raise new grounds.",
        ),
        date_kind="closing",
    ),
    _rule(
        "court-closure-order",
        ("Clôture de l'instruction fixée par ordonnance", "Investigation closed by order"),
        "CJA R613-1",
        "S",
        "court_set_date",
        0,
        "days",
        "fixed",
        (
            "L'instruction est close à la date fixée par l'ordonnance de clôture : produire avant.",
            "The investigation closes on the date set by the closing order: file before it.",
        ),
        date_kind="closing",
    ),
    _rule(
        "refere-hearing",
        (
            "Clôture de l'instruction à l'issue de l'audience de référé",
            "Investigation closes at the end of the référé hearing",
        ),
        "CJA R522-6 ; R522-8",
        "S",
        "refere_hearing",
        0,
        "days",
        "fixed",
        (
            "En référé (L521-1 à L521-3) les parties sont convoquées sans délai et par tout moyen (R522-6) : pas "
            "d'avis d'audience de sept jours (R711-2). L'instruction est close à l'issue de l'audience, sauf si "
            "le juge la reporte (R522-8) : pas de clôture trois jours francs avant (R613-2).",
            "In référé (L521-1 to L521-3) the parties are convened without delay and by any means (R522-6): no "
            "seven-day hearing notice (R711-2). The investigation closes at the end of the hearing unless the "
            "judge defers it (R522-8): no closing three clear days before (R613-2).",
        ),
        date_kind="closing",
    ),
    _rule(
        "cnil-court",
        ("Recours contre le rejet implicite de la plainte CNIL", "Action against the CNIL's implicit rejection"),
        "CJA R311-1 ; R421-2",
        "2",
        "cnil_rejection_born",
        2,
        "months",
        "franc",
        (
            "Le Conseil d'État connaît en premier et dernier ressort des décisions de la CNIL (R311-1) : deux "
            "mois francs à compter du rejet implicite. Aucune augmentation pour distance n'est retenue.",
            "The Conseil d'État hears CNIL decisions in first and last resort (R311-1): two clear months from the "
            "implicit rejection. No distance extension is applied.",
        ),
    ),
    _rule(
        "silence-acceptance",
        ("Acceptation implicite de la demande", "Implicit acceptance of the request"),
        "CRPA L231-1",
        "V",
        "request_received",
        2,
        "months",
        "birth",
        (
            "Le silence gardé deux mois par l'administration vaut acceptation, sauf dans les cas de L231-4 et des "
            "décrets qui en disposent autrement.",
            "Two months of silence from the administration is an acceptance, save in the cases of L231-4 and the "
            "decrees that provide otherwise.",
        ),
        date_kind="birth",
    ),
)
