"""The closed vocabularies of a case file, with their labels for people.

Values are stable identifiers stored in the database and in bundles; labels are English source strings marked
``NC_`` with one gettext context per vocabulary ("Open" is "En cours" for a case, "À faire" for a deadline), and
their French is in the catalogue (``resources/locale/fr/LC_MESSAGES/domain.po``), read through ``translate``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from caseapp.domain.fields import field_label
from caseapp.errors import InvalidInput
from caseapp.i18n import NC_, _, translate


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry an English label and its context (``NC_``), in ``_label_table``."""

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        """``{value: (context, English label)}``."""
        return {}

    def label(self, lang: str = "en") -> str:
        context, english = self._label_table()[self.value]
        return translate(english, lang, context)

    @classmethod
    def parse(cls, value: str | LabelledEnum, *, field: str | None = None) -> Self:
        """Accept a value, a member name or a label in either language; refuse anything else plainly."""
        if isinstance(value, cls):
            return value
        text = str(value).strip()
        key = text.lower().replace(" ", "_").replace("-", "_")
        for member in cls:
            if key in (member.value, member.name.lower()):
                return member
        folded = text.lower()
        for member in cls:
            if folded in (member.label("en").lower(), member.label("fr").lower()):
                return member
        allowed = ", ".join(member.value for member in cls)
        raise InvalidInput(
            _("“{value}” is not a valid {what}. Choose one of: {allowed}.").format(
                value=text, what=field_label(field), allowed=allowed
            ),
            field=field,
        )


def _table(**labels: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return dict(labels)


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
    open=NC_("case status", "Open"),
    pending_decision=NC_("case status", "Awaiting decision"),
    decided=NC_("case status", "Decided"),
    appealed=NC_("case status", "Under appeal"),
    closed=NC_("case status", "Closed"),
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
    refere_liberte=NC_("procedure", "Urgent freedom application (L521-2)"),
    refere_suspension=NC_("procedure", "Suspension application (L521-1)"),
    refere_mesures_utiles=NC_("procedure", "Useful measures application (L521-3)"),
    refere_constat=NC_("procedure", "Application for a finding of fact (R531-1)"),
    refere_instruction=NC_("procedure", "Application for an expert report or inquiry (R532-1)"),
    refere_provision=NC_("procedure", "Application for an interim payment (R541-1)"),
    exces_de_pouvoir=NC_("procedure", "Annulment action"),
    plein_contentieux=NC_("procedure", "Full jurisdiction action"),
    indemnitaire=NC_("procedure", "Action for damages (liability)"),
    appel=NC_("procedure", "Appeal"),
    cassation=NC_("procedure", "Cassation appeal"),
    other=NC_("procedure", "Other"),
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
    general=NC_("matter", "General (appeal lies)"),
    cada=NC_("matter", "Access to administrative documents (last resort, R811-1 2°)"),
    last_resort=NC_("matter", "Another matter decided in first and last resort (R811-1)"),
)


class CourtLevel(LabelledEnum):
    TA = "ta"
    CAA = "caa"
    CE = "ce"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _COURT_LEVEL


_COURT_LEVEL = _table(
    ta=NC_("court level", "Administrative court (tribunal administratif)"),
    caa=NC_("court level", "Administrative court of appeal"),
    ce=NC_("court level", "Conseil d'État"),
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
    jugement=NC_("decision nature", "Judgment"),
    ordonnance=NC_("decision nature", "Order of the president (R222-1)"),
    refere_liberte=NC_("decision nature", "Urgent freedom order (L521-2)"),
    refere_liberte_tri=NC_("decision nature", "Urgent freedom application rejected without a hearing (L522-3)"),
    refere_suspension=NC_("decision nature", "Suspension order (L521-1)"),
    refere_mesures_utiles=NC_("decision nature", "Useful measures order (L521-3)"),
    refere_modification=NC_("decision nature", "Order changing or ending measures (L521-4)"),
    refere_tri=NC_("decision nature", "Suspension or useful measures rejected without a hearing (L522-3)"),
    refere_constat=NC_("decision nature", "Finding of fact order (R531-1)"),
    refere_instruction=NC_("decision nature", "Expert report or inquiry order (R532-1)"),
    refere_provision=NC_("decision nature", "Interim payment order (R541-1)"),
    arret=NC_("decision nature", "Ruling of the court of appeal (arrêt)"),
    decision_ce=NC_("decision nature", "Decision of the Conseil d'État"),
)


class SilenceMeaning(LabelledEnum):
    """What the administration's silence on a request means (CRPA L231-1: acceptance, save the L231-4 cases)."""

    REJECTION = "rejection"
    ACCEPTANCE = "acceptance"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _SILENCE


_SILENCE = _table(
    rejection=NC_("silence meaning", "Silence means rejection (CRPA L231-4)"),
    acceptance=NC_("silence meaning", "Silence means acceptance (CRPA L231-1)"),
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
    appeal_of=NC_("parent relation", "Appeal of"),
    cassation_of=NC_("parent relation", "Cassation appeal of"),
    refere_of=NC_("parent relation", "Urgent application attached to"),
    related=NC_("parent relation", "Related to"),
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
    applicant=NC_("party role", "Applicant"),
    respondent=NC_("party role", "Respondent"),
    intervener=NC_("party role", "Intervener"),
    other=NC_("party role", "Other"),
)


class PartyKind(LabelledEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PUBLIC_BODY = "public_body"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _PARTY_KIND


_PARTY_KIND = _table(
    person=NC_("party kind", "Person"),
    organisation=NC_("party kind", "Organisation"),
    public_body=NC_("party kind", "Public body"),
)


class Residence(LabelledEnum):
    FRANCE = "france"
    OVERSEAS = "overseas"
    ABROAD = "abroad"

    @classmethod
    def _label_table(cls) -> dict[str, tuple[str, str]]:
        return _RESIDENCE


_RESIDENCE = _table(
    france=NC_("residence", "Metropolitan France"),
    overseas=NC_("residence", "Overseas France"),
    abroad=NC_("residence", "Abroad"),
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
    requete=NC_("filing kind", "Application"),
    memoire=NC_("filing kind", "Brief"),
    replique=NC_("filing kind", "Reply"),
    memoire_en_defense=NC_("filing kind", "Defence brief"),
    note_en_delibere=NC_("filing kind", "Note after hearing"),
    ordonnance=NC_("filing kind", "Order"),
    jugement=NC_("filing kind", "Judgment"),
    arret=NC_("filing kind", "Appeal ruling"),
    decision=NC_("filing kind", "Administrative decision"),
    demande_prealable=NC_("filing kind", "Prior request to the administration"),
    recours_gracieux=NC_("filing kind", "Administrative appeal"),
    plainte_cnil=NC_("filing kind", "Complaint to the CNIL"),
    mise_en_demeure=NC_("filing kind", "Formal notice to produce (R612-3)"),
    calendrier_instruction=NC_("filing kind", "Investigation calendar (R611-11-1)"),
    cristallisation=NC_("filing kind", "Closing date for new grounds (R611-7-1)"),
    ordonnance_cloture=NC_("filing kind", "Order closing the investigation (R613-1)"),
    other=NC_("filing kind", "Other"),
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
    granted=NC_("outcome", "Granted / annulled"),
    partly_granted=NC_("outcome", "Partly granted"),
    rejected=NC_("outcome", "Rejected"),
    dismissed=NC_("outcome", "Dismissed as inadmissible"),
    no_need_to_rule=NC_("outcome", "No need to rule"),
    withdrawn=NC_("outcome", "Withdrawn"),
    other=NC_("outcome", "Other"),
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
    urgent=NC_("hearing kind", "Urgent applications hearing"),
    merits=NC_("hearing kind", "Hearing on the merits"),
    appeal=NC_("hearing kind", "Appeal hearing"),
    other=NC_("hearing kind", "Other"),
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
    scheduled=NC_("hearing status", "Scheduled"),
    held=NC_("hearing status", "Held"),
    postponed=NC_("hearing status", "Postponed"),
    cancelled=NC_("hearing status", "Cancelled"),
    under_advisement=NC_("hearing status", "Under advisement"),
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
    cnil=NC_("authority", "CNIL"),
    cada=NC_("authority", "CADA"),
    defenseur_des_droits=NC_("authority", "Defender of Rights"),
    other=NC_("authority", "Other"),
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
    favourable=NC_("position", "Favourable"),
    reserved=NC_("position", "With reservations"),
    unfavourable=NC_("position", "Unfavourable"),
    none=NC_("position", "No position"),
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
    draft=NC_("access status", "Draft"),
    sent=NC_("access status", "Sent"),
    implicit_refusal=NC_("access status", "Implicit refusal"),
    explicit_refusal=NC_("access status", "Refusal notified"),
    referred_to_cada=NC_("access status", "Referred to the CADA"),
    cada_opinion=NC_("access status", "CADA opinion received"),
    refusal_confirmed=NC_("access status", "Refusal confirmed"),
    documents_received=NC_("access status", "Documents received"),
    in_court=NC_("access status", "Before the court"),
    closed=NC_("access status", "Closed"),
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
    open=NC_("deadline status", "Open"),
    done=NC_("deadline status", "Done"),
    missed=NC_("deadline status", "Missed"),
    cancelled=NC_("deadline status", "Cancelled"),
)


def is_refere_hearing(kind: str | HearingKind, procedure: str | Procedure | None) -> bool:
    """A référé hearing: an urgent-applications hearing in any case, or any hearing of a case of L521-1 to L521-3
    (parties convened without delay, instruction closed at its end: R522-6, R522-8)."""
    return HearingKind(kind) == HearingKind.URGENT or bool(procedure and Procedure(procedure).is_urgent_refere)
