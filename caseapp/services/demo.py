"""The example cases ``caseapp demo`` loads: real, public cases (see the project's FACTS.md) so a new user
sees the product on the kind of file it was made for. Hearing notes, exhibits, the hours of the hearings, the
référé of the lycées and the CADA request are illustrative and say so. Every record has a fixed identifier, so
loading twice changes nothing and two colleagues' example cases are the same records.

When the example data is corrected, a case file that holds an earlier version is brought to the corrected facts
by loading the examples again (``PREVIOUS``, ``WITHDRAWN_PARTIES``): through the services, so every correction is
in the history, and only where a record still holds what an earlier version shipped — whatever someone typed or
added is left as it is, and said so in the report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from caseapp.casefile.core import Core
from caseapp.casefile.uow import reading
from caseapp.errors import Conflict
from caseapp.i18n import N_
from caseapp.resources import resource_path
from caseapp.services import access, cases, deadlines, evidence, filings, hearings, opinions, parties
from caseapp.store import models as m

NAMESPACE = uuid.UUID("6f1d2c1e-6a55-4b0e-9d1e-3f9c2b7a5c10")
PARIS = ZoneInfo("Europe/Paris")
EXAMPLE = "[Exemple] "


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


@dataclass
class DemoReport:
    """What loading the examples did: ``added`` counts what was added or corrected, by kind (for people, marked
    with ``N_``); ``kept`` names what an earlier version shipped, was since corrected, but is left as it is
    because someone changed it or relies on it."""

    added: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.added.values())


LQDN = "La Quadrature du Net"
LDH = "Ligue des droits de l'Homme"
REGION = "Région Provence-Alpes-Côte d'Azur"
MARSEILLE = "Ville de Marseille"
# FACTS gives the days of the hearings, not their hours: an hour shown is an example, and the hearing says so.
EXAMPLE_HOUR_ROOM = EXAMPLE + "heure d'exemple"
TA = {"court_level": "ta"}
CAA = {"court_level": "caa"}


def _example_hour(day: str) -> str:
    return EXAMPLE + f"Heure d'exemple : seule la date de l'audience ({day}) est établie, pas son heure."


CASES: list[dict[str, Any]] = [
    {
        "key": "lycees",
        "title": "Reconnaissance faciale à l'entrée des lycées Ampère et Les Eucalyptus",
        "court": "Tribunal administratif de Marseille",
        "court_number": "1901249",
        "procedure": "exces_de_pouvoir",
        "status": "decided",
        "opened_on": date(2019, 2, 14),
        "subject": "Délibération n° 18-893 du conseil régional Provence-Alpes-Côte d'Azur du 14 décembre 2018 "
        "approuvant une convention Région–lycée–Cisco pour un contrôle d'accès par comparaison faciale et suivi "
        "de trajectoire, à titre expérimental, au lycée Ampère (Marseille) et au lycée Les Eucalyptus (Nice).",
        "summary": "Recours pour excès de pouvoir déposé par Télérecours le 14/02/2019 à 23h32. Jugement du "
        "27/02/2020 : annulation de la délibération en tant qu'elle lance l'expérimentation (incompétence de la "
        "Région, la surveillance des élèves relevant du chef d'établissement, Code de l'éducation L214-6 ; "
        "consentement des élèves non libre au sens de l'article 9 du RGPD). Aucun appel connu : ne pas "
        "présumer le caractère définitif du jugement.",
        "tags": ["reconnaissance faciale", "lycées", "RGPD"],
        "parties": [
            (LQDN, "applicant", "organisation"),
            (LDH, "applicant", "organisation"),
            ("CGT Educ'Action des Alpes-Maritimes", "applicant", "organisation"),
            ("FCPE des Alpes-Maritimes", "applicant", "organisation"),
            (REGION, "respondent", "public_body"),
        ],
        "filings": [
            ("requete", "Requête en annulation", date(2019, 2, 14), LQDN, {}),
            (
                "jugement",
                "Jugement",
                date(2020, 2, 27),
                None,
                TA
                | {
                    "decision_nature": "jugement",
                    "outcome": "granted",
                    "summary": "Annulation de la délibération en tant qu'elle lance l'expérimentation.",
                },
            ),
        ],
        "hearings": [
            (
                "merits",
                datetime(2020, 2, 3, 10, 0, tzinfo=PARIS),
                "held",
                [
                    "Le rapporteur public conclut à l'annulation (note d'exemple).",
                    "La Région soutient qu'il ne s'agit que d'une expérimentation (note d'exemple).",
                ],
                {"room": EXAMPLE_HOUR_ROOM, "outcome": _example_hour("03/02/2020")},
            )
        ],
        "evidence": [
            ("Délibération n° 18-893 du 14 décembre 2018", date(2018, 12, 14), "Publication du conseil régional", None),
            ("Position de la CNIL du 29 octobre 2019", date(2019, 10, 29), "Site de la CNIL", None),
        ],
    },
    {
        "key": "lycees-refere",
        "title": EXAMPLE + "Référé illustratif — reconnaissance faciale dans les lycées",
        "court": "Tribunal administratif de Marseille",
        "court_number": None,
        "procedure": "refere_suspension",
        "status": "closed",
        "opened_on": None,
        "parent": "lycees",
        "parent_relation": "refere_of",
        "subject": EXAMPLE + "Illustration d'un référé rattaché à son affaire au fond, non un dossier réel : la "
        "conférence évoque « l'audience sur l'urgence » dans l'affaire n° 1901249, sans que sa date soit établie.",
        "summary": EXAMPLE + "Dossier illustratif : ni la nature de ce référé, ni sa date, ni son audience, ni son "
        "issue ne sont établies ; rien de ce dossier n'est un fait de l'affaire n° 1901249.",
        "tags": ["reconnaissance faciale", "exemple"],
        "parties": [(LQDN, "applicant", "organisation"), (REGION, "respondent", "public_body")],
    },
    {
        "key": "vsa-2020",
        "title": "Vidéosurveillance automatisée à Marseille",
        "court": "Tribunal administratif de Marseille",
        "court_number": None,
        "procedure": "exces_de_pouvoir",
        "status": "closed",
        "opened_on": date(2020, 1, 17),
        "subject": "Test de vidéosurveillance automatisée sur une cinquantaine de caméras, révélé par une enquête de "
        "presse le 11/12/2019.",
        "summary": "Recours en annulation avec référé-suspension (CJA L521-1) déposés le 17/01/2020. Première "
        "ordonnance de référé le 07/02/2020 (rejet : un article de presse ne peut à lui seul révéler une décision "
        "administrative). Nouveau référé-suspension vers le 10/02/2020 avec de nouveaux documents ; audience le "
        "02/03/2020 ; ordonnance de rejet le 11/03/2020. Ordonnance rejetant le recours en annulation le "
        "14/05/2020.",
        "tags": ["VSA", "vidéosurveillance"],
        "parties": [
            (LQDN, "applicant", "organisation"),
            (LDH, "applicant", "organisation"),
            (MARSEILLE, "respondent", "public_body"),
        ],
        "filings": [
            ("requete", "Requête en annulation et référé-suspension", date(2020, 1, 17), LQDN, {}),
            (
                "ordonnance",
                "Ordonnance de référé",
                date(2020, 2, 7),
                None,
                TA | {"decision_nature": "refere_suspension", "outcome": "rejected"},
            ),
            # FACTS: "about 10 Feb 2020": the day is approximate, and the title says so
            ("requete", "Nouvelle requête en référé-suspension (date approximative)", date(2020, 2, 10), LQDN, {}),
            (
                "ordonnance",
                "Ordonnance de référé",
                date(2020, 3, 11),
                None,
                TA | {"decision_nature": "refere_suspension", "outcome": "rejected"},
            ),
            (
                "ordonnance",
                "Ordonnance rejetant le recours en annulation",
                date(2020, 5, 14),
                None,
                TA | {"decision_nature": "ordonnance", "outcome": "rejected"},
            ),
        ],
        "hearings": [
            (
                "urgent",
                datetime(2020, 3, 2, 14, 0, tzinfo=PARIS),
                "held",
                [],
                {"room": EXAMPLE_HOUR_ROOM, "outcome": _example_hour("02/03/2020")},
            )
        ],
        "evidence": [
            (
                "Capture de l'article de presse (exemple)",
                date(2019, 12, 11),
                "Exemple fourni avec CaseApp",
                "exemple-capture-article.txt",
            ),
        ],
    },
    {
        "key": "vsa-snef",
        "title": "Vidéosurveillance automatisée — refus de résilier le marché SNEF",
        "court": "Tribunal administratif de Marseille",
        "court_number": "2009485",
        "procedure": "plein_contentieux",
        "status": "appealed",
        "opened_on": date(2020, 12, 3),
        "subject": "Recours de pleine juridiction contre le refus de la Ville de Marseille de mettre fin à son "
        "contrat avec la SNEF (CE, Sect., 30 juin 2017, n° 398445) : demande de résiliation du 28/07/2020 (reçue "
        "le 05/08/2020) ; refus implicite né le 05/10/2020.",
        "summary": "Recours de pleine juridiction de La Quadrature du Net contre le refus de résilier le contrat, "
        "déposé le 03/12/2020 à 21h57. Jugement du 02/06/2023 rejetant la requête.",
        "tags": ["VSA", "vidéosurveillance"],
        "parties": [
            (LQDN, "applicant", "organisation"),
            (MARSEILLE, "respondent", "public_body"),
        ],
        "filings": [
            ("requete", "Requête", date(2020, 12, 3), LQDN, {}),
            (
                "jugement",
                "Jugement",
                date(2023, 6, 2),
                None,
                TA | {"decision_nature": "jugement", "outcome": "rejected"},
            ),
        ],
    },
    {
        "key": "vsa-snef-appel",
        "title": "Vidéosurveillance automatisée — appel (marché SNEF)",
        "court": "Cour administrative d'appel de Marseille",
        "court_number": "23MA02036",
        "procedure": "appel",
        "status": "decided",
        "opened_on": date(2023, 8, 3),
        "parent": "vsa-snef",
        "parent_relation": "appeal_of",
        "subject": "Appel de La Quadrature du Net contre le jugement du TA de Marseille n° 2009485 du 02/06/2023 "
        "(recours de pleine juridiction contre le refus de résilier le contrat avec la SNEF).",
        "summary": "Appel enregistré le 03/08/2023. Décision de la cour le 14/10/2024 — sens non confirmé.",
        "tags": ["VSA"],
        "parties": [
            (LQDN, "applicant", "organisation"),
            (MARSEILLE, "respondent", "public_body"),
        ],
        "filings": [
            ("requete", "Requête d'appel", date(2023, 8, 3), LQDN, {}),
            ("arret", "Arrêt (sens non confirmé)", date(2024, 10, 14), None, CAA | {"decision_nature": "arret"}),
        ],
    },
]

OPINIONS: list[dict[str, Any]] = [
    {
        "key": "cnil-lycees",
        "authority": "cnil",
        "title": "Expérimentation de reconnaissance faciale dans deux lycées de la région PACA",
        "issued_on": date(2019, 10, 29),
        "position": "unfavourable",
        "summary": "Après l'analyse d'impact transmise par la Région en juillet 2019 et une délibération du "
        "17/10/2019, position rendue publique le 29/10/2019 : dispositif contraire aux principes de "
        "proportionnalité et de minimisation des données du RGPD ; des moyens moins intrusifs existent (badges, "
        "surveillance humaine) ; il ne peut être légalement mis en œuvre.",
        "cases": ["lycees", "lycees-refere"],
    },
    {
        "key": "cnil-saint-etienne",
        "authority": "cnil",
        "title": "Capteurs sonores à Saint-Étienne (quartier Beaubrun-Tarentaize)",
        "issued_on": date(2019, 10, 29),
        "position": "unfavourable",
        "summary": "Projet d'environ 50 capteurs annoncé en mars 2019 ; courrier de la CNIL du 03/05/2019 demandant "
        "des précisions ; position négative parvenue à la ville le 29/10/2019 (absence de cadre juridique "
        "spécifique, déploiement illégal) ; projet abandonné le même jour. Nature formelle de l'acte non établie.",
        "cases": [],
    },
    {
        "key": "cnil-carnaval-nice",
        "authority": "cnil",
        "title": "Expérimentation de reconnaissance faciale au carnaval de Nice",
        "issued_on": date(2019, 2, 15),
        "position": "reserved",
        "summary": "Courrier du 15/02/2019 : les textes n'interdisent pas l'expérimentation par principe ; "
        "volontaires seulement, mineurs exclus. Test les 19 et 20/02/2019 avec six caméras. En août 2019, la CNIL "
        "juge le rapport de la ville trop imprécis pour une vision objective de l'expérimentation.",
        "cases": [],
    },
]

NOTE_PREFIX = "[Exemple] "
EXAMPLE_AUTHOR = "Exemple CaseApp"  # the example notes are nobody's: the same in every copy, so they travel as equal

# --- earlier versions of the example data --------------------------------------------------------------------
# What earlier versions shipped where the examples have since been corrected, by record key and field. A field
# that still holds one of these values is brought to today's; any other value was typed by someone and is kept.

_EARLIER: dict[str, dict[str, tuple[Any, ...]]] = {
    "case/vsa-2020/filing/2": {"title": ("Nouvelle requête en référé-suspension",)},
    "case/vsa-snef": {
        "procedure": ("exces_de_pouvoir",),
        "subject": (
            "Demande du 28/07/2020 à la Ville de Marseille de résilier son contrat avec la SNEF (reçue le "
            "05/08/2020) ; refus implicite né le 05/10/2020.",
        ),
        "summary": ("Requête déposée le 03/12/2020 à 21h57. Jugement du 02/06/2023 rejetant la requête.",),
    },
    "case/vsa-snef-appel": {"subject": ("Appel du jugement du TA de Marseille n° 2009485 du 02/06/2023.",)},
    "case/lycees-refere": {
        "title": ("Référé — reconnaissance faciale dans les lycées (exemple illustratif)",),
        "subject": (
            EXAMPLE + "La conférence évoque « l'audience sur l'urgence » dans cette affaire ; sa date n'est pas "
            "établie. Ce dossier de référé est un exemple.",
        ),
        "summary": (None,),
    },
}


def _earlier_values() -> dict[str, dict[str, tuple[Any, ...]]]:
    earlier = dict(_EARLIER)
    for spec in CASES:
        for index, (_kind, _title, _on, _by, extra) in enumerate(spec.get("filings", [])):
            if "decision_nature" in extra:  # decisions were shipped without their court and nature
                key = f"case/{spec['key']}/filing/{index}"
                earlier[key] = earlier.get(key, {}) | {"court_level": (None,), "decision_nature": (None,)}
        for index, hearing in enumerate(spec.get("hearings", [])):
            # hearings were shipped with an invented hour that did not say it was one
            key = f"case/{spec['key']}/hearing/{index}"
            earlier[key] = earlier.get(key, {}) | {name: (None,) for name in hearing[4]}
    return earlier


PREVIOUS = _earlier_values()
# Party links earlier versions shipped that the facts do not support: (case key, party name, role). No co-applicant
# of La Quadrature du Net is established in the follow-on Marseille case.
WITHDRAWN_PARTIES: list[tuple[str, str, str]] = [("vsa-snef", LDH, "applicant"), ("vsa-snef-appel", LDH, "applicant")]
CORRECTED = N_("example records corrected")


def _missing(core: Core, model: type[m.Record], key: str) -> uuid.UUID | None:
    """The fixed identifier of an example record, or None when it is already there."""
    record_id = demo_id(key)
    with reading(core) as session:
        found = session.scalar(select(model.id).where(model.id == record_id))
    return None if found is not None else record_id


def load_demo(core: Core) -> DemoReport:
    """Load the example data. Records already there are left as they are, except what an earlier version of the
    examples shipped and the facts have since corrected (see the module's documentation)."""
    report = DemoReport()
    case_ids: dict[str, uuid.UUID] = {}
    for spec in CASES:
        case_ids[spec["key"]] = _load_case(core, report, spec, case_ids.get(spec.get("parent", "")))
    for spec in OPINIONS:
        _load_opinion(core, report, spec, case_ids)
    if rid := _missing(core, m.AccessRequest, "access/vsa-ccpt"):
        _add_request(core, rid, case_ids["vsa-2020"])
        report.count(N_("access requests"))
    _load_upcoming(core, report, case_ids["lycees-refere"])
    return report


# --- what the agenda is for -------------------------------------------------------------------------------------
# The real cases are over: their dates are years old. So that the agenda shows what it is for, the illustrative
# référé (FACTS: "an example référé may be shown as illustrative only") gets a fictitious hearing and two fictitious
# deadlines, dated from the day the examples are loaded and saying so in their own words: no court set them.
UPCOMING_ROOM = EXAMPLE + "date fictive, comptée du jour du chargement des exemples"
UPCOMING_HEARING_OUTCOME = (
    EXAMPLE + "Audience fictive, pour montrer l'agenda : ce n'est pas une date fixée par un tribunal."
)
UPCOMING_DEADLINES = (
    (3, EXAMPLE + "Mémoire en réplique — échéance fictive"),
    (10, EXAMPLE + "Pièces complémentaires à communiquer — échéance fictive"),
)
UPCOMING_HEARING_IN = 7  # days after loading (the next working day from there)


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _load_upcoming(core: Core, report: DemoReport, case_id: uuid.UUID, today: date | None = None) -> None:
    today = today or datetime.now(PARIS).date()
    if rid := _missing(core, m.Hearing, "upcoming/hearing"):
        day = _working_day(today + timedelta(days=UPCOMING_HEARING_IN))
        hearings.add_hearing(
            core,
            case_id,
            record_id=rid,
            kind="urgent",
            starts_at=datetime.combine(day, time(10, 0), tzinfo=PARIS),
            status="scheduled",
            court="Tribunal administratif de Marseille",
            room=UPCOMING_ROOM,
            outcome=UPCOMING_HEARING_OUTCOME,
        )
        report.count(N_("hearings"))
    for index, (days, title) in enumerate(UPCOMING_DEADLINES):
        if rid := _missing(core, m.Deadline, f"upcoming/deadline/{index}"):
            due = _working_day(today + timedelta(days=days))
            deadlines.add_deadline(core, case_id, record_id=rid, title=title, due_on=due)
            report.count(N_("deadlines"))


def _load_case(core: Core, report: DemoReport, spec: dict[str, Any], parent: uuid.UUID | None) -> uuid.UUID:
    key = spec["key"]
    case_id = demo_id(f"case/{key}")
    if _missing(core, m.Case, f"case/{key}"):
        cases.create_case(
            core,
            record_id=case_id,
            example=True,
            tags=spec["tags"],
            title=spec["title"],
            court=spec["court"],
            court_number=spec["court_number"],
            procedure=spec["procedure"],
            status=spec["status"],
            opened_on=spec["opened_on"],
            subject=spec["subject"],
            summary=spec["summary"],
            parent_id=parent,
            parent_relation=spec.get("parent_relation") if parent else None,
        )
        report.count(N_("cases"))
    else:
        _correct(core, report, m.Case, f"case/{key}", spec, cases.update_case)
    for case_key, name, role in WITHDRAWN_PARTIES:
        if case_key == key:
            _withdraw_party(core, report, case_key, name, role)
    party_ids: dict[str, uuid.UUID] = {}
    for name, role, kind in spec.get("parties", []):
        link_key = f"case/{key}/party/{name}/{role}"
        if rid := _missing(core, m.CaseParty, link_key):
            parties.add_party(
                core, case_id, record_id=rid, name=name, role=role, kind=kind, new_party_id=demo_id(f"party/{name}")
            )
            report.count(N_("parties"))
        with reading(core) as session:
            party_ids[name] = session.scalar(select(m.CaseParty.party_id).where(m.CaseParty.id == demo_id(link_key)))  # type: ignore[assignment]
    for index, (kind, title, filed_on, by, extra) in enumerate(spec.get("filings", [])):
        if rid := _missing(core, m.Filing, f"case/{key}/filing/{index}"):
            by_id = party_ids.get(by) if by else None
            filings.add_filing(
                core, case_id, record_id=rid, kind=kind, title=title, filed_on=filed_on, party_id=by_id, **extra
            )
            report.count(N_("filings"))
        else:
            wanted = extra | {"title": title}
            _correct(core, report, m.Filing, f"case/{key}/filing/{index}", wanted, filings.update_filing)
    for index, (kind, starts_at, status, notes, marks) in enumerate(spec.get("hearings", [])):
        hearing_id = demo_id(f"case/{key}/hearing/{index}")
        if _missing(core, m.Hearing, f"case/{key}/hearing/{index}"):
            hearings.add_hearing(
                core,
                case_id,
                record_id=hearing_id,
                kind=kind,
                starts_at=starts_at,
                status=status,
                court=spec["court"],
                **marks,
            )
            report.count(N_("hearings"))
        else:
            _correct(core, report, m.Hearing, f"case/{key}/hearing/{index}", marks, hearings.update_hearing)
        for number, text in enumerate(notes):
            if rid := _missing(core, m.HearingNote, f"case/{key}/hearing/{index}/note/{number}"):
                at = starts_at.replace(minute=15 + 10 * number)
                hearings.add_note(core, hearing_id, NOTE_PREFIX + text, at=at, record_id=rid, author=EXAMPLE_AUTHOR)
                report.count(N_("notes"))
    for index, (title, document_date, source, file_name) in enumerate(spec.get("evidence", [])):
        if rid := _missing(core, m.Evidence, f"case/{key}/evidence/{index}"):
            details = {"title": title, "document_date": document_date, "source": source}
            if file_name:
                path = resource_path("examples", file_name)
                evidence.add_evidence_file(core, case_id, path, record_id=rid, example=True, **details)
            else:
                evidence.add_evidence(core, case_id, record_id=rid, example=True, **details)
            report.count(N_("exhibits"))
    return case_id


def _correct(
    core: Core, report: DemoReport, model: type[m.Edited], key: str, wanted: dict[str, Any], update: Any
) -> None:
    """Bring an example record that is already there to today's values, field by field, where it still holds what
    an earlier version shipped (``PREVIOUS``); through ``update`` (the record's service), so it is audited."""
    earlier = PREVIOUS.get(key)
    if not earlier:
        return
    with reading(core) as session:
        record = session.get(model, demo_id(key))
        if record is None:
            return
        current = {name: getattr(record, name) for name in earlier}
        version = record.version
    changes: dict[str, Any] = {}
    for name, shipped in earlier.items():
        if current[name] == wanted[name]:
            continue
        if current[name] in shipped:
            changes[name] = wanted[name]
        else:
            report.kept.append(f"{key}: {name}")  # someone changed it since: theirs
    if not changes:
        return
    try:
        update(core, demo_id(key), expected_version=version, **changes)
    except Conflict:
        report.kept.append(f"{key}: {', '.join(changes)}")  # changed by someone while we looked: theirs
        return
    report.count(CORRECTED)


def _withdraw_party(core: Core, report: DemoReport, case_key: str, name: str, role: str) -> None:
    """Take out of an example case a party link an earlier version shipped without the facts to support it —
    unless someone gave it a counsel or another role, or filed something in the party's name there."""
    link_key = f"case/{case_key}/party/{name}/{role}"
    with reading(core) as session:
        link = session.get(m.CaseParty, demo_id(link_key))
        if link is None:
            return
        version = link.version
        typed = bool(link.counsel or link.counsel_contact) or link.role != role
        named = session.scalar(
            select(func.count())
            .select_from(m.Filing)
            .where(m.Filing.case_id == link.case_id, m.Filing.party_id == link.party_id)
        )
    if typed or named:
        report.kept.append(f"{link_key}: {name}")
        return
    try:
        parties.remove_party(core, demo_id(link_key), expected_version=version)
    except Conflict:
        report.kept.append(f"{link_key}: {name}")
        return
    report.count(CORRECTED)


def _load_opinion(core: Core, report: DemoReport, spec: dict[str, Any], case_ids: dict[str, uuid.UUID]) -> None:
    opinion_id = demo_id(f"opinion/{spec['key']}")
    if _missing(core, m.Opinion, f"opinion/{spec['key']}"):
        opinions.add_opinion(
            core,
            record_id=opinion_id,
            example=True,
            authority=spec["authority"],
            title=spec["title"],
            issued_on=spec["issued_on"],
            position=spec["position"],
            summary=spec["summary"],
        )
        report.count(N_("opinions"))
    linked = opinions.get_opinion(core, opinion_id).case_ids
    for case_key in spec["cases"]:
        if case_ids[case_key] not in linked:
            opinions.link_opinion(core, opinion_id, case_ids[case_key])
            report.count(N_("links"))


def _add_request(core: Core, rid: uuid.UUID, case_id: uuid.UUID) -> None:
    access.add_request(
        core,
        record_id=rid,
        example=True,
        case_id=case_id,
        administration="Ville de Marseille",
        documents=EXAMPLE + "Cahier des clauses techniques particulières et conventions du dispositif de "
        "vidéosurveillance automatisée.",
        sent_on=date(2026, 2, 12),
        received_on=date(2026, 2, 16),
        notes=EXAMPLE + "Demande illustrative pour suivre les étapes CADA : reçue le 16/02/2026, refus implicite né le "
        "16/03/2026, saisine de la CADA au plus tard le 15/05/2026.",
    )
    access.record_step(
        core, rid, "sent", date(2026, 2, 12), note=EXAMPLE + "Envoi en recommandé avec accusé de réception."
    )
