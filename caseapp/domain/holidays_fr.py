"""Public holidays that move a French time limit, by court seat, on the maintained ``holidays`` calendar.

A *seat* is where the court's registry sits, because that is the calendar a filing deadline follows. Seat ids are
``"metropole"``, ``"alsace-moselle"`` and the overseas department / collectivity codes (``"971"`` Guadeloupe,
``"972"`` Martinique, ``"973"`` Guyane, ``"974"`` La Réunion, ``"975"`` Saint-Pierre-et-Miquelon, ``"976"``
Mayotte, ``"977"`` Saint-Barthélemy, ``"978"`` Saint-Martin, ``"984"`` TAAF, ``"986"`` Wallis-et-Futuna,
``"987"`` Polynésie française, ``"988"`` Nouvelle-Calédonie).

Two kinds of holiday are kept apart, because a wrong extension can cost a case (see ``DEADLINES.md``):

* **deadline holidays** — the national days of Code du travail L3133-1 and, overseas, the abolition-of-slavery
  day (loi 83-550, décret 83-1003). A last day falling on one of them moves to the next working day.
  ``is_holiday`` and ``is_non_working`` answer for these by default.
* **local-only holidays** — every other day the library lists for the seat: Good Friday and 26 December in
  Alsace-Moselle (C. trav. L3134-13), and days such as Mi-Carême or Victor Schœlcher day overseas. Whether a
  court extends a time limit for them is not established, so the engine keeps the national date as the deadline
  and shows the local day only as a *possible* extension (``local_only_holiday``).

Calendars are built once per (year, seat) and cached: the engine asks about thousands of days per second.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from caseapp.errors import InvalidInput
from caseapp.i18n import _

METROPOLE = "metropole"
ALSACE_MOSELLE = "alsace-moselle"

# The English name the library gives the abolition-of-slavery day in every overseas subdivision it covers.
_ABOLITION_EN = "Abolition of Slavery"


@dataclass(frozen=True, slots=True)
class SeatInfo:
    """A court seat whose holiday calendar deadlines follow."""

    id: str
    name_fr: str
    name_en: str
    subdivision: str | None  # the ``holidays`` library's subdivision code for France, None for the national calendar
    overseas: bool = False

    def name(self, lang: str = "fr") -> str:
        return self.name_fr if lang.startswith("fr") else self.name_en


SEATS: dict[str, SeatInfo] = {
    seat.id: seat
    for seat in (
        SeatInfo(METROPOLE, "France métropolitaine", "Metropolitan France", None),
        SeatInfo(
            ALSACE_MOSELLE,
            "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)",
            "Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)",
            "57",
        ),
        SeatInfo("971", "Guadeloupe", "Guadeloupe", "971", True),
        SeatInfo("972", "Martinique", "Martinique", "972", True),
        SeatInfo("973", "Guyane", "French Guiana", "973", True),
        SeatInfo("974", "La Réunion", "Réunion", "974", True),
        SeatInfo("975", "Saint-Pierre-et-Miquelon", "Saint Pierre and Miquelon", "PM", True),
        SeatInfo("976", "Mayotte", "Mayotte", "976", True),
        SeatInfo("977", "Saint-Barthélemy", "Saint Barthélemy", "BL", True),
        SeatInfo("978", "Saint-Martin", "Saint Martin", "MF", True),
        SeatInfo(
            "984", "Terres australes et antarctiques françaises", "French Southern and Antarctic Lands", "TF", True
        ),
        SeatInfo("986", "Wallis-et-Futuna", "Wallis and Futuna", "WF", True),
        SeatInfo("987", "Polynésie française", "French Polynesia", "PF", True),
        SeatInfo("988", "Nouvelle-Calédonie", "New Caledonia", "NC", True),
    )
}

# Other spellings accepted for a seat id (department numbers of Alsace-Moselle, the library's codes).
_SEAT_ALIASES: dict[str, str] = {
    "57": ALSACE_MOSELLE,
    "67": ALSACE_MOSELLE,
    "68": ALSACE_MOSELLE,
    "6ae": ALSACE_MOSELLE,
    "alsace": ALSACE_MOSELLE,
    "moselle": ALSACE_MOSELLE,
    "metropolitan": METROPOLE,
    "france": METROPOLE,
    "pm": "975",
    "bl": "977",
    "mf": "978",
    "tf": "984",
    "wf": "986",
    "pf": "987",
    "nc": "988",
}


def normalize_seat(seat: str) -> str:
    """Return the canonical seat id for ``seat``; raise ``InvalidInput`` listing the allowed ids otherwise."""
    if seat in SEATS:
        return seat
    key = seat.strip().lower() if isinstance(seat, str) else ""
    if key in SEATS:
        return key
    if key in _SEAT_ALIASES:
        return _SEAT_ALIASES[key]
    raise InvalidInput(
        _("Unknown court seat “{seat}”. Allowed seats: {allowed}.").format(seat=seat, allowed=", ".join(SEATS)),
        field="seat",
    )


@dataclass(frozen=True, slots=True)
class HolidayInfo:
    """One public holiday at a seat, named in both languages: a deadline holiday, or one that is only a possible
    extension (``local_only``)."""

    day: date
    name_fr: str
    name_en: str
    local_only: bool  # True: only a possible extension (see the module docstring)
    national: bool  # one of the national days of Code du travail L3133-1

    def name(self, lang: str = "fr") -> str:
        return self.name_fr if lang.startswith("fr") else self.name_en


@dataclass(frozen=True, slots=True)
class _YearCalendar:
    """One year of holidays at one seat, built once and cached: deadline days, local-only days, and each day's names."""

    deadline_days: frozenset[date]
    local_days: frozenset[date]
    info: dict[date, HolidayInfo]


_CALENDARS: dict[tuple[int, str], _YearCalendar] = {}
_BLOCK = 8  # years built per call to the library: one object over several years is much cheaper than several


def _year_calendar(year: int, seat: str) -> _YearCalendar:
    found = _CALENDARS.get((year, seat))
    return found if found is not None else _build(year, seat)


def _build(year: int, seat: str) -> _YearCalendar:
    import holidays as _holidays  # imported on first use: it takes about half a second

    first = year - year % _BLOCK
    years = range(first, first + _BLOCK)
    info_seat = SEATS[seat]
    national = _holidays.country_holidays("FR", years=years, language="fr")
    seat_fr = _holidays.country_holidays("FR", subdiv=info_seat.subdivision, years=years, language="fr")
    seat_en = _holidays.country_holidays("FR", subdiv=info_seat.subdivision, years=years, language="en_US")
    per_year: dict[int, tuple[set[date], set[date], dict[date, HolidayInfo]]] = {y: (set(), set(), {}) for y in years}
    for day, name_fr in seat_fr.items():
        name_en = seat_en.get(day) or name_fr
        is_national = day in national
        is_deadline = is_national or (info_seat.overseas and _ABOLITION_EN in name_en)
        deadline_days, local_days, info = per_year[day.year]
        (deadline_days if is_deadline else local_days).add(day)
        info[day] = HolidayInfo(day, name_fr, name_en, not is_deadline, is_national)
    for y, (deadline_days, local_days, info) in per_year.items():
        _CALENDARS[(y, seat)] = _YearCalendar(frozenset(deadline_days), frozenset(local_days), info)
    return _CALENDARS[(year, seat)]


def preload(years: range | None = None, seats: tuple[str, ...] | None = None) -> None:
    """Build the calendars ahead of time (e.g. in a background thread at start-up): the first use of the
    holiday library costs about a second, later look-ups a fraction of a microsecond.
    """
    if years is None:
        this_year = date.today().year
        years = range(this_year - 2, this_year + 3)
    for seat in seats or tuple(SEATS):
        for year in years:
            _year_calendar(year, _checked(seat))


def _checked(seat: str) -> str:
    return seat if seat in SEATS else normalize_seat(seat)


def is_holiday(d: date, seat: str = METROPOLE, *, include_local: bool = False) -> bool:
    """Is ``d`` a public holiday that moves a time limit at ``seat``? ``include_local`` adds the local-only days."""
    cal = _year_calendar(d.year, _checked(seat))
    return d in cal.deadline_days or (include_local and d in cal.local_days)


def local_only_holiday(d: date, seat: str = METROPOLE) -> bool:
    """Is ``d`` a holiday of ``seat`` that is not a sure ground for extending a deadline (e.g. 26 Dec in Alsace)?"""
    return d in _year_calendar(d.year, _checked(seat)).local_days


def holiday_info(d: date, seat: str = METROPOLE) -> HolidayInfo | None:
    """The holiday (national or local) of ``seat`` on ``d``, or None."""
    return _year_calendar(d.year, _checked(seat)).info.get(d)


def holiday_name(d: date, seat: str = METROPOLE, lang: str = "fr") -> str | None:
    """The name of the holiday (national or local) of ``seat`` on ``d`` in ``lang``, or None."""
    found = holiday_info(d, seat)
    return found.name(lang) if found else None


def is_non_working(d: date, seat: str = METROPOLE, *, include_local: bool = False) -> bool:
    """Saturday, Sunday or a deadline holiday of ``seat`` (plus local-only days with ``include_local``)."""
    if d.weekday() >= 5:
        return True
    cal = _year_calendar(d.year, _checked(seat))
    return d in cal.deadline_days or (include_local and d in cal.local_days)


def next_working_day(d: date, seat: str = METROPOLE, *, include_local: bool = False) -> date:
    """``d`` itself when it is a working day at ``seat``, otherwise the first working day after it."""
    seat = _checked(seat)
    while is_non_working(d, seat, include_local=include_local):
        d += timedelta(days=1)
    return d


def holidays_of_year(year: int, seat: str = METROPOLE) -> list[HolidayInfo]:
    """Every holiday the seat's calendar lists for ``year``, in date order (local-only ones marked)."""
    cal = _year_calendar(year, _checked(seat))
    return [cal.info[d] for d in sorted(cal.info)]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for ch in "-'’`.,()/":
        plain = plain.replace(ch, " ")
    return " " + " ".join(plain.split()) + " "


# Keywords (accent- and case-folded, padded with spaces) → seat. Checked in order; the first hit wins.
_COURT_KEYWORDS: tuple[tuple[str, str], ...] = (
    # The TA de Saint-Barthélemy and the TA de Saint-Martin have their seat at Basse-Terre (CJA R221-3).
    (" saint barthelemy ", "971"),
    (" st barthelemy ", "971"),
    (" saint martin ", "971"),
    (" st martin ", "971"),
    (" guadeloupe ", "971"),
    (" basse terre ", "971"),
    (" pointe a pitre ", "971"),
    (" martinique ", "972"),
    (" fort de france ", "972"),
    (" guyane ", "973"),
    (" cayenne ", "973"),
    (" reunion ", "974"),
    (" mayotte ", "976"),
    (" mamoudzou ", "976"),
    (" miquelon ", "975"),
    (" wallis ", "986"),
    (" futuna ", "986"),
    (" mata utu ", "986"),
    (" polynesie ", "987"),
    (" papeete ", "987"),
    (" nouvelle caledonie ", "988"),
    (" noumea ", "988"),
    (" strasbourg ", ALSACE_MOSELLE),
    (" colmar ", ALSACE_MOSELLE),
    (" mulhouse ", ALSACE_MOSELLE),
    (" metz ", ALSACE_MOSELLE),
    (" alsace ", ALSACE_MOSELLE),
    (" bas rhin ", ALSACE_MOSELLE),
    (" haut rhin ", ALSACE_MOSELLE),
)


@lru_cache(maxsize=1024)
def court_seat(court_name: str) -> str:
    """Guess the seat of a court from its name: "TA de Strasbourg" → "alsace-moselle", "TA de la Guadeloupe" →
    "971", … Anything not recognised (Conseil d'État, CAA de Paris, TA de Marseille…) → "metropole".
    """
    folded = _fold(court_name or "")
    for keyword, seat in _COURT_KEYWORDS:
        if keyword in folded:
            return seat
    # "Saint-Denis" alone is the TA of La Réunion; "Seine-Saint-Denis" is metropolitan (TA de Montreuil).
    if " saint denis " in folded and " seine saint denis " not in folded:
        return "974"
    # "Saint-Pierre" is the TA of Saint-Pierre-et-Miquelon (Saint-Pierre de La Réunion has no TA).
    if " saint pierre " in folded:
        return "975"
    # Moselle, but not Meurthe-et-Moselle (TA de Nancy).
    if " moselle " in folded and " meurthe et moselle " not in folded:
        return ALSACE_MOSELLE
    return METROPOLE


# "Tribunal administratif de Marseille", "TA de Nice", "Cour administrative d'appel de Lyon", "CAA de Paris"…: the
# town the court is named after, which is where it sits (the territory, for an overseas court named after it).
_NAMED_AFTER = re.compile(
    r"^\s*(?:tribunal\s+administratif|t\.?\s*a\.?|cour\s+administrative\s+d\s*['’]\s*appel|c\.?\s*a\.?\s*a\.?)"
    r"\s+(?:de\s+la\s+|de\s+l\s*['’]\s*|du\s+|des\s+|de\s+|d\s*['’]\s*)(?P<town>[^(),;—–]+)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1024)
def court_city(court_name: str) -> str | None:
    """The town where a court sits, from its name, for a "Fait à …" line: "Tribunal administratif de Marseille" →
    "Marseille", "CAA de Lyon" → "Lyon", "Conseil d'État" → "Paris". None when the name does not say it: an
    overseas court named after its territory ("TA de la Guadeloupe": its town is not in its name, and is not
    guessed), or a name this does not recognise."""
    folded = _fold(court_name or "")
    if " conseil d etat " in folded:
        return "Paris"
    found = _NAMED_AFTER.match(court_name or "")
    if found is None:
        return None
    town = " ".join(found.group("town").split()).strip(" -.")
    if not town:
        return None
    seat = court_seat(court_name)
    if SEATS[seat].overseas:
        territory = {_fold(SEATS[seat].name_fr).replace(" la ", " "), _fold(SEATS[seat].name_en)}
        if _fold(town).replace(" la ", " ") in territory or _fold(town) in {
            " saint barthelemy ",
            " saint martin ",
            " guadeloupe ",
            " martinique ",
            " guyane ",
            " reunion ",
            " mayotte ",
            " polynesie francaise ",
            " nouvelle caledonie ",
            " wallis et futuna ",
            " saint pierre et miquelon ",
        }:
            return None
    return town[0].upper() + town[1:]
