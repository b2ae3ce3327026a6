"""French legal text for the benchmark data: case titles, party names, hearing notes, exhibit descriptions.

Everything is drawn from a ``random.Random`` passed in, so the same seed gives the same database. The vocabulary
is the one the users write every day (référé, mémoire, audience, délibéré, rapporteur public…), accents included,
so full-text search is measured on text that looks like theirs.
"""

from __future__ import annotations

import random
from datetime import date

CITIES = (
    "Marseille",
    "Nice",
    "Toulon",
    "Lyon",
    "Montpellier",
    "Saint-Étienne",
    "Grenoble",
    "Nîmes",
    "Aix-en-Provence",
    "Avignon",
    "Bordeaux",
    "Toulouse",
    "Lille",
    "Rennes",
    "Nantes",
    "Strasbourg",
    "Besançon",
    "Orléans",
    "Poitiers",
    "Clermont-Ferrand",
)
FIRST_INSTANCE = tuple(f"Tribunal administratif de {city}" for city in CITIES[:14])
APPEAL_COURTS = (
    "Cour administrative d'appel de Marseille",
    "Cour administrative d'appel de Lyon",
    "Cour administrative d'appel de Bordeaux",
    "Cour administrative d'appel de Paris",
    "Cour administrative d'appel de Nantes",
)
CONSEIL_ETAT = "Conseil d'État"

SUBJECTS = (
    "vidéosurveillance algorithmique",
    "reconnaissance faciale",
    "capteurs sonores",
    "drones de surveillance",
    "fichier de police",
    "traitement de données personnelles",
    "contrôle d'accès biométrique",
    "arrêté anti-mendicité",
    "interdiction de manifestation",
    "fermeture administrative",
    "permis de construire",
    "refus de communication de documents administratifs",
    "marché public de sécurité urbaine",
    "expérimentation de caméras augmentées",
    "couvre-feu municipal",
    "dispositif de lecture automatisée des plaques",
)
ACTS = (
    "la délibération du conseil municipal",
    "l'arrêté du maire",
    "l'arrêté préfectoral",
    "la décision implicite de rejet",
    "la délibération du conseil régional",
    "la convention d'expérimentation",
    "le marché public attribué",
    "la décision du directeur académique",
)
ASSOCIATIONS = (
    "La Quadrature du Net",
    "Ligue des droits de l'Homme",
    "CGT Educ'Action",
    "FCPE",
    "Syndicat de la magistrature",
    "Syndicat des avocats de France",
    "Amnesty International France",
    "Association pour la défense des libertés",
    "Collectif Technopolice",
    "Observatoire des libertés et du numérique",
    "Comité de quartier",
    "Union des habitants",
)
FIRST_NAMES = ("Jeanne", "Louis", "Amélie", "Hélène", "François", "Léa", "Étienne", "Zoé", "Rémi", "Chloé", "Noël")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Roussel", "Mercier", "Fontaine", "Bonnet")
LAWYERS = tuple(f"Me {first} {last}" for first in FIRST_NAMES[:6] for last in LAST_NAMES[:6])

NOTE_OPENINGS = (
    "Le rapporteur public",
    "Le président",
    "La présidente de la formation de jugement",
    "Le juge des référés",
    "Le conseil de la commune",
    "Le représentant du préfet",
    "Me {lawyer}",
    "L'avocat de la requérante",
    "La défense",
    "Le greffier",
    "Le conseil de la Région",
)
NOTE_VERBS = (
    "conclut au rejet de la requête",
    "conclut à l'annulation de {act}",
    "soulève l'irrecevabilité de la requête pour défaut d'intérêt à agir",
    "insiste sur l'urgence",
    "conteste la condition d'urgence",
    "rappelle les termes du mémoire en défense",
    "produit une note en délibéré",
    "demande le renvoi de l'audience",
    "interroge les parties sur la base légale du traitement",
    "souligne l'atteinte grave et manifestement illégale à une liberté fondamentale",
    "évoque l'avis de la CNIL",
    "fait valoir que la mesure est proportionnée",
    "invoque le RGPD, article 9",
    "demande la communication des documents au titre du CRPA",
    "annonce que l'affaire est mise en délibéré",
    "indique que l'ordonnance sera rendue sous huitaine",
    "précise que la clôture de l'instruction est reportée",
    "produit de nouvelles pièces en séance",
)
NOTE_TAILS = (
    "",
    "",
    " ; à vérifier dans le mémoire en réplique",
    " — répondre par une note en délibéré avant vendredi",
    " (cf. pièce n° {piece})",
    ", ce qui n'était pas dans ses écritures",
    " ; le délibéré est fixé au {day}",
    " ; l'audience reprend à {hour} h",
    " : citer la jurisprudence du Conseil d'État",
    ", sans répondre sur la compétence de la Région",
    " — relancer le greffe pour le procès-verbal",
)
REMARKS = (
    "Questions nombreuses du tribunal sur la proportionnalité.",
    "Salle comble, audience publique.",
    "Le référé-suspension est examiné en premier.",
    "La commune n'a pas produit le cahier des clauses techniques.",
    "Délibéré annoncé à quinze jours.",
    "Mémoire complémentaire à déposer avant la clôture.",
    "Débat vif sur la qualification de décision administrative.",
    "Le juge rappelle l'office du juge du référé-liberté.",
    "Prise de notes interrompue : suspension d'audience.",
    "Le préfet ne s'est pas fait représenter.",
)
EXHIBIT_TITLES = (
    "Délibération n° {number} du conseil municipal",
    "Arrêté préfectoral du {day}",
    "Courriel de la direction de la sécurité publique",
    "Procès-verbal de la séance du {day}",
    "Cahier des clauses techniques particulières",
    "Avis de la CNIL du {day}",
    "Lettre de saisine de la CADA",
    "Article de presse du {day}",
    "Constat d'huissier",
    "Rapport d'analyse d'impact (AIPD)",
    "Convention d'expérimentation",
    "Photographies des caméras installées",
    "Compte rendu de réunion publique",
    "Mémoire en défense de la commune",
    "Attestation de témoin",
)
SOURCES = (
    "Obtenu par demande CADA du {day}",
    "Publié au recueil des actes administratifs",
    "Produit par la défense",
    "Transmis par un lanceur d'alerte (anonymisé)",
    "Site internet de la collectivité, capture du {day}",
    "Communiqué par le greffe",
    "Presse régionale",
    "",
)
DEADLINE_TITLES = (
    ("Délai de recours contentieux", "CJA R421-1"),
    ("Mémoire en réplique à produire", "CJA R611-10"),
    ("Appel de l'ordonnance de référé", "CJA L523-1"),
    ("Pourvoi en cassation", "CJA R821-1"),
    ("Note en délibéré", "CJA R731-3"),
    ("Saisine de la CADA", "CRPA R343-1"),
    ("Clôture de l'instruction", "CJA R613-1"),
    ("Relance du greffe", ""),
)
OPINION_TITLES = (
    "Expérimentation de reconnaissance faciale dans les lycées",
    "Capteurs sonores en centre-ville",
    "Vidéoprotection algorithmique lors d'un grand événement",
    "Communication des marchés de vidéosurveillance",
    "Fichier de suivi des manifestants",
    "Drones de la police municipale",
    "Accès aux délibérations et annexes techniques",
    "Traitement biométrique à l'entrée d'un établissement scolaire",
)
ADMINISTRATIONS = (
    "Ville de {city}",
    "Préfecture des Bouches-du-Rhône",
    "Région Provence-Alpes-Côte d'Azur",
    "Métropole Aix-Marseille-Provence",
    "Ministère de l'Intérieur",
    "Rectorat de l'académie de {city}",
    "Département des Alpes-Maritimes",
)


def french_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def fill(template: str, rng: random.Random) -> str:
    """Fill the few placeholders our templates use."""
    return template.format(
        lawyer=rng.choice(LAWYERS)[3:],
        act=rng.choice(ACTS),
        piece=rng.randint(1, 40),
        day=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2018, 2026)}",
        hour=rng.randint(9, 17),
        number=f"{rng.randint(18, 25)}-{rng.randint(1, 999)}",
        city=rng.choice(CITIES),
    )


def case_title(rng: random.Random, city: str) -> str:
    subject = rng.choice(SUBJECTS)
    pattern = rng.choice(
        (
            "{assoc} c/ Ville de {city} — {subject}",
            "{Subject} à {city}",
            "Recours contre {act} ({subject}, {city})",
            "{assoc} et autres — {subject}",
        )
    )
    return pattern.format(
        assoc=rng.choice(ASSOCIATIONS),
        city=city,
        subject=subject,
        Subject=subject[0].upper() + subject[1:],
        act=rng.choice(ACTS),
    )


def case_subject(rng: random.Random, city: str) -> str:
    return f"Demande d'annulation de {rng.choice(ACTS)} relative à {rng.choice(SUBJECTS)} à {city}. " + rng.choice(
        REMARKS
    )


def party_name(rng: random.Random, index: int) -> tuple[str, str]:
    """A party name and its kind. The first names are the parties that appear in many cases (the associations,
    the big cities, the prefects); later ones are the long tail, made unique by ``index``."""
    if index < len(ASSOCIATIONS):
        return ASSOCIATIONS[index], "organisation"
    index -= len(ASSOCIATIONS)
    if index < len(CITIES):
        return f"Ville de {CITIES[index]}", "public_body"
    index -= len(CITIES)
    city = CITIES[index % len(CITIES)]
    choice = index % 5
    if choice == 0:
        return f"Comité de défense du quartier n° {index} ({city})", "organisation"
    if choice == 1:
        return f"Commune associée n° {index} de la métropole de {city}", "public_body"
    if choice == 2:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        return f"{first} {last} (dossier {index})", "person"
    if choice == 3:
        return f"Société de sécurité urbaine n° {index}", "organisation"
    return f"Collectif d'habitants n° {index} ({city})", "organisation"


def hearing_note(rng: random.Random) -> str:
    """One note typed during a hearing: one to three short sentences."""
    sentences = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        if rng.random() < 0.2:
            sentences.append(rng.choice(REMARKS))
            continue
        opening = fill(rng.choice(NOTE_OPENINGS), rng)
        verb = fill(rng.choice(NOTE_VERBS), rng)
        tail = fill(rng.choice(NOTE_TAILS), rng)
        sentences.append(f"{opening} {verb}{tail}.")
    return " ".join(sentences)


def exhibit(rng: random.Random) -> tuple[str, str, str]:
    """Title, description and source of an exhibit."""
    title = fill(rng.choice(EXHIBIT_TITLES), rng)
    description = f"Pièce relative à {rng.choice(SUBJECTS)} ; " + fill(rng.choice(NOTE_VERBS), rng) + "."
    source = fill(rng.choice(SOURCES), rng)
    return title, description, source


def filing_summary(rng: random.Random) -> str:
    return f"{fill(rng.choice(NOTE_OPENINGS), rng)} {fill(rng.choice(NOTE_VERBS), rng)}."


def opinion(rng: random.Random, index: int) -> dict[str, str]:
    authority = rng.choice(("cnil", "cnil", "cada", "cada", "defenseur_des_droits", "other"))
    prefix = {"cnil": "Délibération n° 20", "cada": "Avis CADA n° 20", "defenseur_des_droits": "Décision-cadre 20"}
    reference = f"{prefix.get(authority, 'Avis n° 20')}{rng.randint(18, 25)}-{index:03d}"
    return {
        "authority": authority,
        "reference": reference,
        "title": rng.choice(OPINION_TITLES) + f" ({rng.choice(CITIES)})",
        "position": rng.choice(("favourable", "reserved", "unfavourable", "unfavourable", "none")),
        "summary": f"{rng.choice(REMARKS)} {filing_summary(rng)}",
    }
