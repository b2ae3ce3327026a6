"""The closed vocabularies of a case file, with their French and English labels.

Values are stable identifiers stored in the database and in bundles; labels are for people.
"""

from __future__ import annotations

from enum import StrEnum

from caseapp.domain.fields import field_label
from caseapp.errors import InvalidInput
from caseapp.i18n import _


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry ``(English, French)`` labels in ``_labels``."""

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return {}

    def label(self, lang: str = "en") -> str:
        english, french = self._label_table()[self.value]
        return french if lang == "fr" else english

    @classmethod
    def parse(cls, value: str | LabelledEnum, *, field: str | None = None) -> LabelledEnum:
        """Accept a value, a member name or a label in either language; refuse anything else plainly."""
        if isinstance(value, cls):
            return value
        text = str(value).strip()
        key = text.lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            english, french = cls._label_table()[member.value]
            names = (member.value, member.name.lower())
            if key in names or text.lower() in (english.lower(), french.lower()):
                return member
        allowed = ", ".join(member.value for member in cls)
        raise InvalidInput(
            _("“{value}” is not a valid {what}. Choose one of: {allowed}.").format(
                value=text, what=field_label(field), allowed=allowed
            ),
            field=field,
        )


def _table(**labels: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return {key: value for key, value in labels.items()}


class CaseStatus(LabelledEnum):
    OPEN = "open"
    PENDING_DECISION = "pending_decision"
    DECIDED = "decided"
    APPEALED = "appealed"
    CLOSED = "closed"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _CASE_STATUS


_CASE_STATUS = _table(
    open=("Open", "En cours"),
    pending_decision=("Awaiting decision", "En délibéré"),
    decided=("Decided", "Jugée"),
    appealed=("Under appeal", "En appel"),
    closed=("Closed", "Clôturée"),
)


class Procedure(LabelledEnum):
    REFERE_LIBERTE = "refere_liberte"
    REFERE_SUSPENSION = "refere_suspension"
    REFERE_MESURES_UTILES = "refere_mesures_utiles"
    REFERE_CONSTAT = "refere_constat"
    REFERE_INSTRUCTION = "refere_instruction"
    REFERE_PROVISION = "refere_provision"
    EXCES_DE_POUVOIR = "exces_de_pouvoir"
    PLEIN_CONTENTIEUX = "plein_contentieux"
    INDEMNITAIRE = "indemnitaire"
    APPEL = "appel"
    CASSATION = "cassation"
    OTHER = "other"

    @property
    def is_refere(self) -> bool:
        """An application to the juge des référés (urgent or not): no ordinary-procedure hearing rules."""
        return self in _REFERES

    @property
    def is_urgent_refere(self) -> bool:
        """A référé of L521-1 to L521-3: parties convened without delay, instruction closed at the hearing's end
        (CJA R522-6, R522-8)."""
        return self in _URGENT_REFERES

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _PROCEDURE


_PROCEDURE = _table(
    refere_liberte=("Urgent freedom application (L521-2)", "Référé-liberté (L521-2)"),
    refere_suspension=("Suspension application (L521-1)", "Référé-suspension (L521-1)"),
    refere_mesures_utiles=("Useful measures application (L521-3)", "Référé mesures utiles (L521-3)"),
    refere_constat=("Application for a finding of fact (R531-1)", "Référé-constat (R531-1)"),
    refere_instruction=(
        "Application for an expert report or inquiry (R532-1)",
        "Référé-expertise ou instruction (R532-1)",
    ),
    refere_provision=("Application for an interim payment (R541-1)", "Référé-provision (R541-1)"),
    exces_de_pouvoir=("Annulment action", "Recours pour excès de pouvoir"),
    plein_contentieux=("Full jurisdiction action", "Recours de plein contentieux"),
    indemnitaire=("Action for damages (liability)", "Recours indemnitaire (responsabilité)"),
    appel=("Appeal", "Appel"),
    cassation=("Cassation appeal", "Pourvoi en cassation"),
    other=("Other", "Autre"),
)
_URGENT_REFERES = {Procedure.REFERE_LIBERTE, Procedure.REFERE_SUSPENSION, Procedure.REFERE_MESURES_UTILES}
_REFERES = _URGENT_REFERES | {Procedure.REFERE_CONSTAT, Procedure.REFERE_INSTRUCTION, Procedure.REFERE_PROVISION}


class Matter(LabelledEnum):
    """What the dispute is about, where the route of appeal depends on it (CJA R811-1)."""

    GENERAL = "general"
    CADA = "cada"
    LAST_RESORT = "last_resort"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _MATTER


_MATTER = _table(
    general=("General (appeal lies)", "Droit commun (appel ouvert)"),
    cada=(
        "Access to administrative documents (last resort, R811-1 2°)",
        "Communication de documents administratifs (dernier ressort, R811-1 2°)",
    ),
    last_resort=(
        "Another matter decided in first and last resort (R811-1)",
        "Autre matière jugée en premier et dernier ressort (R811-1)",
    ),
)


class CourtLevel(LabelledEnum):
    TA = "ta"
    CAA = "caa"
    CE = "ce"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _COURT_LEVEL


_COURT_LEVEL = _table(
    ta=("Administrative court (tribunal administratif)", "Tribunal administratif"),
    caa=("Administrative court of appeal", "Cour administrative d'appel"),
    ce=("Conseil d'État", "Conseil d'État"),
)


class DecisionNature(LabelledEnum):
    """What a court decision is: with the court that gave it (and sometimes the matter), it decides the route."""

    JUGEMENT = "jugement"
    ORDONNANCE = "ordonnance"
    REFERE_LIBERTE = "refere_liberte"
    REFERE_LIBERTE_TRI = "refere_liberte_tri"
    REFERE_SUSPENSION = "refere_suspension"
    REFERE_MESURES_UTILES = "refere_mesures_utiles"
    REFERE_MODIFICATION = "refere_modification"
    REFERE_TRI = "refere_tri"
    REFERE_CONSTAT = "refere_constat"
    REFERE_INSTRUCTION = "refere_instruction"
    REFERE_PROVISION = "refere_provision"
    ARRET = "arret"
    DECISION_CE = "decision_ce"

    @property
    def is_refere(self) -> bool:
        return self.value.startswith("refere_")

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _NATURE


_NATURE = _table(
    jugement=("Judgment", "Jugement"),
    ordonnance=("Order of the president (R222-1)", "Ordonnance du président (R222-1)"),
    refere_liberte=("Urgent freedom order (L521-2)", "Ordonnance de référé-liberté (L521-2)"),
    refere_liberte_tri=(
        "Urgent freedom application rejected without a hearing (L522-3)",
        "Référé-liberté rejeté sans audience (L522-3)",
    ),
    refere_suspension=("Suspension order (L521-1)", "Ordonnance de référé-suspension (L521-1)"),
    refere_mesures_utiles=("Useful measures order (L521-3)", "Ordonnance de référé mesures utiles (L521-3)"),
    refere_modification=("Order changing or ending measures (L521-4)", "Ordonnance de modification (L521-4)"),
    refere_tri=(
        "Suspension or useful measures rejected without a hearing (L522-3)",
        "Référé-suspension ou mesures utiles rejeté sans audience (L522-3)",
    ),
    refere_constat=("Finding of fact order (R531-1)", "Ordonnance de référé-constat (R531-1)"),
    refere_instruction=(
        "Expert report or inquiry order (R532-1)",
        "Ordonnance de référé-expertise ou instruction (R532-1)",
    ),
    refere_provision=("Interim payment order (R541-1)", "Ordonnance de référé-provision (R541-1)"),
    arret=("Ruling of the court of appeal (arrêt)", "Arrêt"),
    decision_ce=("Decision of the Conseil d'État", "Décision du Conseil d'État"),
)


class SilenceMeaning(LabelledEnum):
    """What the administration's silence on a request means (CRPA L231-1: acceptance, save the L231-4 cases)."""

    REJECTION = "rejection"
    ACCEPTANCE = "acceptance"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _SILENCE


_SILENCE = _table(
    rejection=("Silence means rejection (CRPA L231-4)", "Le silence vaut rejet (CRPA L231-4)"),
    acceptance=("Silence means acceptance (CRPA L231-1)", "Le silence vaut acceptation (CRPA L231-1)"),
)


class ParentRelation(LabelledEnum):
    APPEAL_OF = "appeal_of"
    CASSATION_OF = "cassation_of"
    REFERE_OF = "refere_of"
    RELATED = "related"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _PARENT


_PARENT = _table(
    appeal_of=("Appeal of", "Appel de"),
    cassation_of=("Cassation appeal of", "Pourvoi contre"),
    refere_of=("Urgent application attached to", "Référé rattaché à"),
    related=("Related to", "Lié à"),
)


class PartyRole(LabelledEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    INTERVENER = "intervener"
    OTHER = "other"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _ROLE


_ROLE = _table(
    applicant=("Applicant", "Requérant"),
    respondent=("Respondent", "Défendeur"),
    intervener=("Intervener", "Intervenant"),
    other=("Other", "Autre"),
)


class PartyKind(LabelledEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PUBLIC_BODY = "public_body"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _PARTY_KIND


_PARTY_KIND = _table(
    person=("Person", "Personne physique"),
    organisation=("Organisation", "Personne morale"),
    public_body=("Public body", "Personne publique"),
)


class Residence(LabelledEnum):
    FRANCE = "france"
    OVERSEAS = "overseas"
    ABROAD = "abroad"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _RESIDENCE


_RESIDENCE = _table(
    france=("Metropolitan France", "France métropolitaine"),
    overseas=("Overseas France", "Outre-mer"),
    abroad=("Abroad", "Étranger"),
)


class FilingKind(LabelledEnum):
    REQUETE = "requete"
    MEMOIRE = "memoire"
    REPLIQUE = "replique"
    MEMOIRE_EN_DEFENSE = "memoire_en_defense"
    NOTE_EN_DELIBERE = "note_en_delibere"
    ORDONNANCE = "ordonnance"
    JUGEMENT = "jugement"
    ARRET = "arret"
    DECISION = "decision"
    DEMANDE_PREALABLE = "demande_prealable"
    RECOURS_GRACIEUX = "recours_gracieux"
    PLAINTE_CNIL = "plainte_cnil"
    MISE_EN_DEMEURE = "mise_en_demeure"
    CALENDRIER_INSTRUCTION = "calendrier_instruction"
    CRISTALLISATION = "cristallisation"
    ORDONNANCE_CLOTURE = "ordonnance_cloture"
    OTHER = "other"

    @property
    def is_court_decision(self) -> bool:
        """A decision of a court (order, judgment, ruling): its route of appeal follows its nature and court."""
        return self in _COURT_DECISIONS

    @property
    def sets_a_time_limit(self) -> bool:
        """A letter or order of the court that fixes a date (R612-3, R611-11-1, R611-7-1, R613-1)."""
        return self in _COURT_LIMITS

    @property
    def is_request(self) -> bool:
        """A request to an administration or a regulator, whose silence becomes a decision."""
        return self in _REQUESTS

    @property
    def is_decision(self) -> bool:
        return self in _DECISIONS

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _FILING


_FILING = _table(
    requete=("Application", "Requête"),
    memoire=("Brief", "Mémoire"),
    replique=("Reply", "Réplique"),
    memoire_en_defense=("Defence brief", "Mémoire en défense"),
    note_en_delibere=("Note after hearing", "Note en délibéré"),
    ordonnance=("Order", "Ordonnance"),
    jugement=("Judgment", "Jugement"),
    arret=("Appeal ruling", "Arrêt"),
    decision=("Administrative decision", "Décision administrative"),
    demande_prealable=("Prior request to the administration", "Demande préalable"),
    recours_gracieux=("Administrative appeal", "Recours gracieux"),
    plainte_cnil=("Complaint to the CNIL", "Plainte à la CNIL"),
    mise_en_demeure=("Formal notice to produce (R612-3)", "Mise en demeure de produire (R612-3)"),
    calendrier_instruction=("Investigation calendar (R611-11-1)", "Calendrier d'instruction (R611-11-1)"),
    cristallisation=("Closing date for new grounds (R611-7-1)", "Cristallisation des moyens (R611-7-1)"),
    ordonnance_cloture=("Order closing the investigation (R613-1)", "Ordonnance de clôture d'instruction (R613-1)"),
    other=("Other", "Autre"),
)
_COURT_DECISIONS = {FilingKind.ORDONNANCE, FilingKind.JUGEMENT, FilingKind.ARRET}
_DECISIONS = _COURT_DECISIONS | {FilingKind.DECISION}
_COURT_LIMITS = {
    FilingKind.MISE_EN_DEMEURE,
    FilingKind.CALENDRIER_INSTRUCTION,
    FilingKind.CRISTALLISATION,
    FilingKind.ORDONNANCE_CLOTURE,
}
_REQUESTS = {FilingKind.DEMANDE_PREALABLE, FilingKind.RECOURS_GRACIEUX, FilingKind.PLAINTE_CNIL}


class Outcome(LabelledEnum):
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REJECTED = "rejected"
    DISMISSED = "dismissed"
    NO_NEED_TO_RULE = "no_need_to_rule"
    WITHDRAWN = "withdrawn"
    OTHER = "other"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _OUTCOME


_OUTCOME = _table(
    granted=("Granted / annulled", "Admis / annulation"),
    partly_granted=("Partly granted", "Admis partiellement"),
    rejected=("Rejected", "Rejet"),
    dismissed=("Dismissed as inadmissible", "Irrecevabilité"),
    no_need_to_rule=("No need to rule", "Non-lieu à statuer"),
    withdrawn=("Withdrawn", "Désistement"),
    other=("Other", "Autre"),
)


class HearingKind(LabelledEnum):
    URGENT = "urgent"
    MERITS = "merits"
    APPEAL = "appeal"
    OTHER = "other"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _HEARING_KIND


_HEARING_KIND = _table(
    urgent=("Urgent applications hearing", "Audience de référé"),
    merits=("Hearing on the merits", "Audience au fond"),
    appeal=("Appeal hearing", "Audience d'appel"),
    other=("Other", "Autre"),
)


class HearingStatus(LabelledEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    UNDER_ADVISEMENT = "under_advisement"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _HEARING_STATUS


_HEARING_STATUS = _table(
    scheduled=("Scheduled", "Prévue"),
    held=("Held", "Tenue"),
    postponed=("Postponed", "Renvoyée"),
    cancelled=("Cancelled", "Annulée"),
    under_advisement=("Under advisement", "Mise en délibéré"),
)


class Authority(LabelledEnum):
    CNIL = "cnil"
    CADA = "cada"
    DEFENSEUR_DES_DROITS = "defenseur_des_droits"
    OTHER = "other"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _AUTHORITY


_AUTHORITY = _table(
    cnil=("CNIL", "CNIL"),
    cada=("CADA", "CADA"),
    defenseur_des_droits=("Defender of Rights", "Défenseur des droits"),
    other=("Other", "Autre"),
)


class Position(LabelledEnum):
    FAVOURABLE = "favourable"
    RESERVED = "reserved"
    UNFAVOURABLE = "unfavourable"
    NONE = "none"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _POSITION


_POSITION = _table(
    favourable=("Favourable", "Favorable"),
    reserved=("With reservations", "Réservé"),
    unfavourable=("Unfavourable", "Défavorable"),
    none=("No position", "Sans position"),
)


class AccessStatus(LabelledEnum):
    DRAFT = "draft"
    SENT = "sent"
    IMPLICIT_REFUSAL = "implicit_refusal"
    EXPLICIT_REFUSAL = "explicit_refusal"
    REFERRED_TO_CADA = "referred_to_cada"
    CADA_OPINION = "cada_opinion"
    REFUSAL_CONFIRMED = "refusal_confirmed"
    DOCUMENTS_RECEIVED = "documents_received"
    IN_COURT = "in_court"
    CLOSED = "closed"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _ACCESS


_ACCESS = _table(
    draft=("Draft", "Brouillon"),
    sent=("Sent", "Envoyée"),
    implicit_refusal=("Implicit refusal", "Refus implicite"),
    explicit_refusal=("Refusal notified", "Refus notifié"),
    referred_to_cada=("Referred to the CADA", "Saisine de la CADA"),
    cada_opinion=("CADA opinion received", "Avis de la CADA reçu"),
    refusal_confirmed=("Refusal confirmed", "Refus confirmé"),
    documents_received=("Documents received", "Documents reçus"),
    in_court=("Before the court", "Recours contentieux"),
    closed=("Closed", "Clôturée"),
)


class DeadlineStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _DEADLINE_STATUS


_DEADLINE_STATUS = _table(
    open=("Open", "À faire"),
    done=("Done", "Fait"),
    missed=("Missed", "Manqué"),
    cancelled=("Cancelled", "Annulé"),
)


def is_refere_hearing(kind: str | HearingKind, procedure: str | Procedure | None) -> bool:
    """A référé hearing: an urgent-applications hearing in any case, or any hearing of a case of L521-1 to L521-3
    (parties convened without delay, instruction closed at its end: R522-6, R522-8)."""
    return HearingKind(kind) == HearingKind.URGENT or bool(procedure and Procedure(procedure).is_urgent_refere)
