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
    EXCES_DE_POUVOIR = "exces_de_pouvoir"
    PLEIN_CONTENTIEUX = "plein_contentieux"
    APPEL = "appel"
    CASSATION = "cassation"
    OTHER = "other"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _PROCEDURE


_PROCEDURE = _table(
    refere_liberte=("Urgent freedom application (L521-2)", "Référé-liberté (L521-2)"),
    refere_suspension=("Suspension application (L521-1)", "Référé-suspension (L521-1)"),
    refere_mesures_utiles=("Useful measures application (L521-3)", "Référé mesures utiles (L521-3)"),
    exces_de_pouvoir=("Annulment action", "Recours pour excès de pouvoir"),
    plein_contentieux=("Full jurisdiction action", "Recours de plein contentieux"),
    appel=("Appeal", "Appel"),
    cassation=("Cassation appeal", "Pourvoi en cassation"),
    other=("Other", "Autre"),
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
    OTHER = "other"

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
    other=("Other", "Autre"),
)
_DECISIONS = {FilingKind.ORDONNANCE, FilingKind.JUGEMENT, FilingKind.ARRET, FilingKind.DECISION}
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
