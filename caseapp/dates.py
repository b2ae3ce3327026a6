"""Time zones, the plausible range of dates, and dates as people read them ("lundi 3 février 2020", "14h30").

Reading what people type ("3 mars", "mardi prochain 14h30") is ``caseapp.date_parsing``: its patterns cost more
to compile than everything here, and the agenda, the case list and the documents only show dates.

**A plausible range.** Every date CaseApp takes from outside — typed, read from a bundle, given on the command
line — must fall between ``EARLIEST`` (1 January 1900) and ``LATEST`` (31 December 2199); ``check_plausible``
refuses the rest with a sentence naming the field. Why these bounds: a litigation file holds dates of
proceedings, decisions, hearings and time limits, which are all within a working life of today; 1900 leaves
room for old documents produced as exhibits and old decisions cited, and 2199 for any time limit counted from
any plausible start. Both are centuries away from Python's own limits (years 1 and 9999), where a time-zone
conversion or "plus one day" overflows: a date outside them (a typo, "9999-12-31" meant as "never", a hostile
bundle) is what made one record crash the display and the calendar of every case. The display functions below
(``to_paris``, ``format_*``) never raise on such a date already stored by an older version: they show it as it
is, in UTC, when it cannot be converted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language

PARIS = ZoneInfo("Europe/Paris")

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# ---------------------------------------------------------------------------------------------------------------
# Time zones and display


def to_utc(dt: datetime, *, naive_as: tzinfo = PARIS) -> datetime:
    """``dt`` in UTC. A naive ``dt`` is taken as wall time in ``naive_as`` (Paris: what people type)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=naive_as)
    return dt.astimezone(UTC)


def to_paris(dt: datetime, *, naive_as: tzinfo = UTC) -> datetime:
    """``dt`` in Europe/Paris. A naive ``dt`` is taken as ``naive_as`` time (UTC: how times are stored).

    A moment at the very edge of the calendar (31 December 9999 late in the evening, stored by an older
    version) cannot be converted: it is returned unconverted rather than crash the display.
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=naive_as)
    try:
        return dt.astimezone(PARIS)
    except OverflowError:
        return dt


# ---------------------------------------------------------------------------------------------------------------
# The plausible range

_MIN_YEAR, _MAX_YEAR = 1900, 2199
EARLIEST = date(_MIN_YEAR, 1, 1)
LATEST = date(_MAX_YEAR, 12, 31)


def is_plausible(value: date | datetime | None) -> bool:
    """True when ``value`` (a date or a moment, in its own time zone) lies between ``EARLIEST`` and ``LATEST``;
    None is plausible (an empty field). Display and export code can skip what is not."""
    return value is None or _MIN_YEAR <= value.year <= _MAX_YEAR


def check_plausible(value: date | datetime, field: str) -> None:
    """Refuse a date outside ``EARLIEST``…``LATEST``; ``field`` names it for the person ("the hearing date")."""
    if not is_plausible(value):
        shown = (lambda d: d.strftime("%d/%m/%Y")) if _is_fr(current_language()) else date.isoformat
        raise InvalidInput(
            _("The {field} ({value}) is outside the dates CaseApp accepts: from {earliest} to {latest}.").format(
                field=field, value=value.isoformat()[:32], earliest=shown(EARLIEST), latest=shown(LATEST)
            )
        )


def _is_fr(lang: str) -> bool:
    return lang.startswith("fr")


def format_date(d: date, lang: str = "fr") -> str:
    """ "lundi 3 février 2020" / "Monday 3 February 2020" ("1er" for the first of a month in French).
    An aware datetime is shown as its Paris date.
    """
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = to_paris(d)
    if _is_fr(lang):
        day = "1er" if d.day == 1 else str(d.day)
        return f"{WEEKDAYS_FR[d.weekday()]} {day} {MONTHS_FR[d.month - 1]} {d.year}"
    return f"{WEEKDAYS_EN[d.weekday()]} {d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def format_day(d: date, lang: str = "fr") -> str:
    """ "12 mars 2027" / "12 March 2027": a day without its weekday, for a title ("Délibéré — 12 mars 2027")."""
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = to_paris(d)
    if _is_fr(lang):
        return f"{'1er' if d.day == 1 else d.day} {MONTHS_FR[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def format_time(t: time | datetime, lang: str = "fr") -> str:
    """ "14h30", "9h" in French; "14:30", "09:00" in English. An aware datetime is shown in Paris time."""
    if isinstance(t, datetime):
        t = (to_paris(t) if t.tzinfo is not None else t).time()
    if _is_fr(lang):
        return f"{t.hour}h{t.minute:02d}" if t.minute else f"{t.hour}h"
    return f"{t.hour:02d}:{t.minute:02d}"


def format_datetime(dt: datetime, lang: str = "fr") -> str:
    """ "mardi 3 mars 2026 à 14h30" / "Tuesday 3 March 2026 at 14:30", in Paris time (a naive ``dt`` is shown
    as it is, taken as Paris wall time).
    """
    if dt.tzinfo is not None:
        dt = to_paris(dt)
    joiner = "à" if _is_fr(lang) else "at"
    return f"{format_date(dt.date(), lang)} {joiner} {format_time(dt.time(), lang)}"
