"""Dates as people type them ("3 mars", "mardi prochain 14h30", "in two weeks"); ``caseapp.dates`` shows them.

Parsing rules (``parse_when``) — what a French lawyer typing into a hearing or deadline field expects:

* **Day first**: "03/04/2026" is 3 April 2026; "27/02/20" is 2020 (two-digit years: 20yy unless that is more
  than 30 years ahead, then 19yy).
* **Europe/Paris**: a typed time is Paris wall time; the result is aware (``PARIS``). ISO datetimes with an
  offset ("2026-03-03T14:30+01:00", "…Z") are converted to Paris time.
* **Relative to ``now``** (injectable; default: the current Paris time).
* **Incomplete dates point to the future**: "3 mars" typed on 28 Oct 2026 is 3 March 2027, because in a hearing
  or a deadline field the next such day is meant; a day that is today stays today ("28/10" → 28 Oct 2026).
  A bare day number ("le 3") is the next 3rd of a month. Give the year to reach a past date.
* **Weekdays**: "mardi", "ce mardi", "this Tuesday" = the coming Tuesday, today included; "mardi prochain",
  "next Tuesday" = the first Tuesday strictly after today; "mardi dernier", "last Tuesday" = the last one
  strictly before today; "mardi en huit" / "en quinze" = one / two weeks after "mardi prochain". The echo shows
  the date in full, so the person sees which day was understood before saving.
* **A weekday that contradicts the date** ("lundi 3 mars" when that 3 March is a Wednesday) is an error, not a
  silent choice.
* **Times**: "14h30", "14h", "à 9h30", "9:30", "2pm", "midi", "noon", "matin" (9h: "demain matin"),
  "après-midi" (14h)… A time alone means today.
* **Court words**: "sous huitaine", "à huitaine", "huitaine" = 8 days after ``now``; "sous quinzaine", "à quinzaine"
  = 15 days after (``now`` is the hearing's day when the words come from its notes: "renvoi à quinzaine" is
  15 days after the hearing); "fin janvier", "fin de janvier", "end of January" = the last day of the coming
  January (this one while it lasts); "fin de mois", "fin du mois", "end of the month" = the last day of the
  current month.
* **``want``**: ``"date"`` — a typed time is an error ("This field takes a date only; remove the time …"): dropping
  it silently would hide a mistake (a hearing time typed into a deadline field). ``"datetime"`` — a date
  without a time is an error asking for the time (a hearing at 00:00 is never what was meant). ``"any"`` —
  a ``date`` when no time was typed, an aware ``datetime`` otherwise.
* Anything not understood, impossible ("31/02/2026", "32 mars", "13/13") or too vague ("mars", "2027") raises
  ``InvalidInput`` saying what was not understood.

Fixed forms (numeric, ISO, "3 mars 2026", weekdays, times) are read by this module's own strict patterns; the rest
(relative expressions: "demain", "dans deux semaines", "in 3 days", "il y a 2 jours"…) goes to ``dateparser``,
through a ``DateDataParser`` built once per (languages, minute of ``now``) and reused. ``dateparser`` is imported
on first use.

Every date read is checked against the plausible range (``caseapp.dates.EARLIEST``…``LATEST``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from caseapp.dates import (
    _MAX_YEAR,
    _MIN_YEAR,
    PARIS,
    WEEKDAYS_EN,
    WEEKDAYS_FR,
    _is_fr,
    format_date,
    format_datetime,
)
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language

Want = Literal["date", "datetime", "any"]


@dataclass(frozen=True, slots=True)
class ParsedWhen:
    """What was understood: a ``date``, or an aware Paris ``datetime`` when a time was typed."""

    value: date | datetime
    has_time: bool
    echo_fr: str
    echo_en: str

    def echo(self, lang: str = "fr") -> str:
        return self.echo_fr if _is_fr(lang) else self.echo_en


def _fold(text: str) -> str:
    """Lower case, no accents, plain apostrophes and single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("`", "'")
    return " ".join(text.split())


_MONTH_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("janvier", "janv", "jan", "january"),
        ("fevrier", "fevr", "fev", "feb", "february"),
        ("mars", "mar", "march"),
        ("avril", "avr", "apr", "april"),
        ("mai", "may"),
        ("juin", "jun", "june"),
        ("juillet", "juil", "jul", "july"),
        ("aout", "aug", "august"),
        ("septembre", "sept", "sep", "september"),
        ("octobre", "oct", "october"),
        ("novembre", "nov", "november"),
        ("decembre", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_WORDS[_name] = _i

_WEEKDAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("lundi", "lun", "monday", "mon"),
        ("mardi", "mar", "tuesday", "tue", "tues"),
        ("mercredi", "mer", "wednesday", "wed"),
        ("jeudi", "jeu", "thursday", "thu", "thurs"),
        ("vendredi", "ven", "friday", "fri"),
        ("samedi", "sam", "saturday", "sat"),
        ("dimanche", "dim", "sunday", "sun"),
    )
):
    for _name in _names:
        _WEEKDAY_WORDS[_name] = _i

# "mar" is both mardi and March: before a day number and a month ("mar 3 mars") or alone it is a weekday; next to
# a lone day number ("3 mar", "mar 3") it is March.
_MONTH_RE = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True))

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}:?\d{2})?$")
_TIME_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 14h30, 14 h 30, 9h, à 9h30
    re.compile(r"(?:(?<=\s)|^)(?:(?:a|at|vers|@)\s*)?(?P<h>\d{1,2})\s?h\s?(?P<m>\d{2})?(?![\w:])"),
    # 2pm, 9:30 am, 9.30pm
    re.compile(
        r"(?:(?<=\s)|^)(?:(?:a|at|@)\s*)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>am|pm|a\.m\.|p\.m\.)"
        r"(?!\w)"
    ),
    # 14:30, 9:30:15
    re.compile(r"(?:(?<=\s)|^)(?:(?:a|at|vers|@)\s*)?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![\w:])"),
    # l'après-midi, le matin (a time of day said in words: 14h, 9h)
    re.compile(r"(?:(?<=\s)|^)(?:(?:le|l')\s*)?(?P<word>apres[\s-]midi|matin|morning|afternoon)(?!\w)"),
    # midi, minuit, noon, midnight
    re.compile(r"(?:(?<=\s)|^)(?:(?:a|at|vers|@)\s*)?(?P<word>midi|minuit|noon|midnight)(?!\w)"),
    # "at 9": English for 9 o'clock
    re.compile(r"(?:(?<=\s)|^)at\s+(?P<h>\d{1,2})(?![\w:/.\-])"),
)
_TIME_WORDS = {"minui": 0, "midni": 0, "matin": 9, "morni": 9, "apres": 14, "after": 14}  # by their first letters
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?$")
_ISO_DATE = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_DAY_MONTH = re.compile(
    rf"^(?:(?P<wd>{_WEEKDAY_RE})\.?,?\s+)?(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|e)?\s+(?P<mo>{_MONTH_RE})\.?"
    r"(?:,?\s+(?P<y>\d{4}|\d{2}))?$"
)
_MONTH_DAY = re.compile(
    rf"^(?:(?P<wd>{_WEEKDAY_RE})\.?,?\s+)?(?P<mo>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<y>\d{4}))?$"
)
_WEEKDAY_DAY = re.compile(rf"^(?P<wd>{_WEEKDAY_RE})\.?,?\s+(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|e)?$")
_MONTH_ONLY = re.compile(rf"^(?:(?:{_MONTH_RE})\.?(?:\s+\d{{4}})?|\d{{4}})$")
_BARE_DAY = re.compile(r"^(\d{1,2})(?:er|st|nd|rd|th|e)?$")
_WEEKDAY_REL = re.compile(
    rf"^(?:(?P<pre>ce|cette|this|next|last|coming)\s+)?(?P<wd>{_WEEKDAY_RE})"
    r"(?:\s+(?P<post>prochain|prochaine|suivant|dernier|derniere|next|en huit|en quinze))?$"
)
# "sous huitaine", "à quinzaine": the delays courts and lawyers give in days (8 and 15)
_COURT_DELAY = re.compile(r"^(?:(?:sous|a|dans\s+la|d'ici)\s+)?(?P<n>huitaine|quinzaine)$")
_COURT_DELAYS = {"huitaine": 8, "quinzaine": 15}
# "fin janvier", "fin de mois", "end of January": the last day of a month
_MONTH_END = re.compile(
    rf"^(?:(?:a|au|la|pour|by|at|the)\s+)*(?:fin|end)\s+(?:de\s+|d'|du\s+|of\s+(?:the\s+)?)?"
    rf"(?:(?P<mo>{_MONTH_RE})\.?(?:\s+(?P<y>\d{{4}}))?|(?P<this>(?:ce\s+)?mois|month|this\s+month))$"
)
_FILLERS = re.compile(rf"^(?:le|on|the)\s+(?=\d|(?:{_WEEKDAY_RE}|{_MONTH_RE})\b)|[\s,;]+$|\s+(?:a|at|,)$")

_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "trente": 30,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_FRENCH_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\baujourd\s*'?\s*hui\b|\bauj\b"), "aujourd'hui"),
    (re.compile(r"\bapres[\s-]?demain\b"), "après-demain"),
    (re.compile(r"\bavant[\s-]?hier\b"), "avant-hier"),
    (re.compile(r"\ba\s+partir\s+d'aujourd'hui\b"), ""),
)


# Words a relative expression may use (folded); anything else is refused rather than guessed at by dateparser,
# which otherwise reads "mardi 45" as 2045 or "dans 3" as the 3rd of this month.
_RELATIVE_WORDS = frozenset(
    {
        "demain",
        "hier",
        "aujourd",
        "hui",
        "auj",
        "aujourdhui",
        "apres",
        "avant",
        "maintenant",
        "dans",
        "il",
        "y",
        "a",
        "depuis",
        "prochain",
        "prochaine",
        "dernier",
        "derniere",
        "passe",
        "passee",
        "suivant",
        "suivante",
        "la",
        "le",
        "l",
        "ce",
        "cette",
        "et",
        "tomorrow",
        "yesterday",
        "today",
        "now",
        "in",
        "ago",
        "next",
        "last",
        "this",
        "the",
        "an",
        "and",
        "after",
        "before",
        "from",
    }
)
_UNIT_WORDS = frozenset(
    {
        "jour",
        "jours",
        "semaine",
        "semaines",
        "mois",
        "an",
        "ans",
        "annee",
        "annees",
        "heure",
        "heures",
        "minute",
        "minutes",
        "quinzaine",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "hour",
        "hours",
        "fortnight",
    }
)
_ANCHOR_WORDS = (
    frozenset(
        {
            "demain",
            "hier",
            "aujourd",
            "auj",
            "aujourdhui",
            "maintenant",
            "tomorrow",
            "yesterday",
            "today",
            "now",
        }
    )
    | _UNIT_WORDS
)
_TOKEN_SPLIT = re.compile(r"[\s'\-]+")


def _looks_relative(text: str) -> bool:
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    has_number = has_unit = has_anchor = False
    for token in tokens:
        if token.isdigit() or token in _NUMBER_WORDS:
            has_number = True
        elif token in _UNIT_WORDS:
            has_unit = has_anchor = True
        elif token in _ANCHOR_WORDS:
            has_anchor = True
        elif token not in _RELATIVE_WORDS:
            return False
    return has_anchor and (has_unit or not has_number)


def _fail(text: str) -> InvalidInput:
    return InvalidInput(_("Could not understand the date “{text}”.").format(text=text.strip()))


def _expand_year(yy: str, today: date) -> int:
    if len(yy) == 4:
        return int(yy)
    year = 2000 + int(yy)
    return year if year <= today.year + 30 else year - 100


def _make_date(text: str, year: int, month: int, day: int) -> date:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise InvalidInput(_("“{text}”: the year {year} is not plausible here.").format(text=text, year=year))
    if not 1 <= month <= 12:
        raise InvalidInput(_("“{text}” is not a date: there is no month {month}.").format(text=text, month=month))
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            _("“{text}” is not a date: that month has no day {day}.").format(text=text, day=day)
        ) from None


def _next_occurrence(text: str, today: date, month: int, day: int) -> date:
    """The first day/month on or after ``today`` (looking up to 8 years ahead for 29 February)."""
    _make_date(text, 2000, month, day)  # validates day and month (2000 is a leap year)
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _fail(text)  # pragma: no cover — 29 February recurs within 8 years


def _next_day_of_month(text: str, today: date, day: int) -> date:
    """The first ``day``-th of a month on or after ``today`` ("le 3", "le 31")."""
    if not 1 <= day <= 31:
        raise _fail(text)
    for step in range(0, 3):
        year, month = divmod(today.month - 1 + step, 12)
        try:
            candidate = date(today.year + year, month + 1, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _fail(text)  # pragma: no cover — a 29th, 30th or 31st comes within three months


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _month_end(text: str, today: date, match: re.Match[str]) -> date:
    """ "fin de mois": the last day of this month; "fin janvier": of the coming January (this one while it
    lasts); "fin janvier 2028": of that one."""
    if match.group("this"):
        return _last_day(today.year, today.month)
    month = _MONTH_WORDS[match.group("mo")]
    if match.group("y"):
        year = int(match.group("y"))
        _make_date(text, year, month, 1)
        return _last_day(year, month)
    end = _last_day(today.year, month)
    return end if end >= today else _last_day(today.year + 1, month)


def _check_weekday(text: str, found: date, weekday_word: str | None) -> None:
    if weekday_word is None:
        return
    typed = _WEEKDAY_WORDS[weekday_word]
    if found.weekday() != typed:
        lang = current_language()
        names = WEEKDAYS_FR if _is_fr(lang) else WEEKDAYS_EN
        raise InvalidInput(
            _("“{text}”: {date} is not a {weekday}.").format(
                text=text, date=format_date(found, lang), weekday=names[typed]
            )
        )


def _extract_time(text: str) -> tuple[str, time | None, str | None]:
    """Remove a time of day from ``text``; return (the rest, the time or None, the time as typed)."""
    for pattern in _TIME_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        before = text[: match.start()].split()
        if (
            (before and before[-1] in ("dans", "in"))
            or before[-3:] == ["il", "y", "a"]
            or (text[match.end() :].split()[:1] == ["ago"])
        ):
            continue  # "dans 2 h", "in 2h": a duration, not a time of day
        typed = match.group(0).strip()
        groups = match.groupdict()
        if groups.get("word"):
            hour, minute, second = _TIME_WORDS.get(groups["word"][:5], 12), 0, 0
        else:
            hour, minute = int(groups["h"]), int(groups.get("m") or 0)
            second = int(groups.get("s") or 0)
            ampm = groups.get("ap")
            if ampm:
                if not 1 <= hour <= 12:
                    raise InvalidInput(_("“{time}” is not a time of day.").format(time=typed))
                hour = hour % 12 + (12 if ampm.startswith("p") else 0)
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidInput(_("“{time}” is not a time of day.").format(time=typed))
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        return " ".join(rest.split()), time(hour, minute, second), typed
    return text, None, None


def _strip_fillers(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _FILLERS.sub("", text).strip()
    return text


def _relative_weekday(match: re.Match[str], today: date) -> date:
    target = _WEEKDAY_WORDS[match.group("wd")]
    pre, post = match.group("pre"), match.group("post")
    ahead = (target - today.weekday()) % 7  # 0..6, today included
    if pre == "last" or post in ("dernier", "derniere"):
        return today - timedelta(days=(today.weekday() - target) % 7 or 7)
    if pre in ("next", "coming") or post in ("prochain", "prochaine", "suivant", "next", "en huit", "en quinze"):
        ahead = ahead or 7
    if post == "en huit":
        ahead += 7
    elif post == "en quinze":
        ahead += 14
    return today + timedelta(days=ahead)


_WARM_UP_TEXT = {"fr": "demain", "en": "tomorrow"}
_warmed: set[str] = set()


@lru_cache(maxsize=8)
def _dateparser(languages: tuple[str, ...], relative_base: datetime) -> Any:
    """A configured parser per (languages, minute of ``now``): building one is cheap (~30 µs) once the language
    data is loaded, which happens here on first use (~0.4 s) rather than lazily in the middle of later calls.
    """
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=list(languages),
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": relative_base,
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    for lang in languages:
        if lang not in _warmed:
            parser.get_date_data(_WARM_UP_TEXT.get(lang, "2020-01-01"))
            _warmed.add(lang)
    return parser


def warm_up(languages: tuple[str, ...] = ("fr", "en")) -> None:
    """Load dateparser and its language data now (e.g. in a background thread at start-up), so that the first
    date a person types is parsed at once.
    """
    _dateparser(languages, datetime(2000, 1, 1))


def _with_dateparser(text: str, original: str, now: datetime, languages: tuple[str, ...]) -> tuple[date, time | None]:
    if not _looks_relative(text) or re.search(r"[-+]\s*\d", text):
        raise _fail(original)
    for pattern, replacement in _FRENCH_FIXES:
        text = pattern.sub(replacement, text)
    text = _NUMBER_WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), text).strip()
    if not text or not re.search(r"[a-z]", text):
        raise _fail(original)
    base = now.replace(tzinfo=None, second=0, microsecond=0)
    data = _dateparser(languages, base).get_date_data(text)
    found = data.date_obj if data is not None else None
    if found is None or not _MIN_YEAR <= found.year <= _MAX_YEAR:
        raise _fail(original)
    if data.period == "time":
        return found.date(), found.time().replace(microsecond=0)
    return found.date(), None


def _date_part(
    text: str, original: str, today: date, now: datetime, languages: tuple[str, ...]
) -> tuple[date, time | None]:
    if match := _NUMERIC_DATE.match(text):
        day, month, yy = int(match.group(1)), int(match.group(2)), match.group(3)
        if yy is None:
            return _next_occurrence(original, today, month, day), None
        return _make_date(original, _expand_year(yy, today), month, day), None
    if match := _ISO_DATE.match(text):
        return _make_date(original, int(match.group(1)), int(match.group(2)), int(match.group(3))), None
    if match := (_DAY_MONTH.match(text) or _MONTH_DAY.match(text)):
        day, month, yy = int(match.group("d")), _MONTH_WORDS[match.group("mo")], match.group("y")
        if yy is None:
            found = _next_occurrence(original, today, month, day)
        else:
            found = _make_date(original, _expand_year(yy, today), month, day)
        _check_weekday(original, found, match.group("wd"))
        return found, None
    if _MONTH_ONLY.match(text):
        raise InvalidInput(_("“{text}” gives no day; type the full date, e.g. “3 mars 2026”.").format(text=original))
    if match := (_BARE_DAY.match(text) or _WEEKDAY_DAY.match(text)):
        day = int(match.group(1) if match.re is _BARE_DAY else match.group("d"))
        found = _next_day_of_month(original, today, day)
        _check_weekday(original, found, None if match.re is _BARE_DAY else match.group("wd"))
        return found, None
    if match := _WEEKDAY_REL.match(text):
        return _relative_weekday(match, today), None
    if match := _COURT_DELAY.match(text):
        return today + timedelta(days=_COURT_DELAYS[match.group("n")]), None
    if match := _MONTH_END.match(text):
        return _month_end(original, today, match), None
    return _with_dateparser(text, original, now, languages)


def parse_when(
    text: str,
    *,
    now: datetime | None = None,
    want: Want = "any",
    languages: tuple[str, ...] = ("fr", "en"),
) -> ParsedWhen:
    """Understand a date (and maybe a time) typed in French or English; see the module docstring for the rules.

    ``now`` is the reference for relative input (naive = Paris wall time); ``want`` is ``"date"``,
    ``"datetime"`` or ``"any"``; ``languages`` are those dateparser may use for relative expressions (the fixed
    forms — numeric dates, month and weekday names, times — are read in French and English whatever it says).
    Raises ``InvalidInput`` with a message for the person when the text cannot be taken as asked.
    """
    if want not in ("date", "datetime", "any"):
        raise ValueError(f"want must be 'date', 'datetime' or 'any', not {want!r}")
    original = " ".join((text or "").split())
    if not original:
        raise InvalidInput(_("Type a date, e.g. “3 mars”, “demain 14h” or “27/02/2026”."))
    if now is None:
        now = datetime.now(PARIS)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=PARIS)
    else:
        now = now.astimezone(PARIS)
    today = now.date()

    folded = _fold(original).rstrip(".")
    when_time: time | None
    typed_time: str | None
    if _ISO_DATETIME.match(folded):
        try:
            parsed = datetime.fromisoformat(folded.upper())
        except ValueError:
            raise _fail(original) from None
        _make_date(original, parsed.year, parsed.month, parsed.day)  # plausible year, before any conversion
        parsed = parsed.astimezone(PARIS) if parsed.tzinfo else parsed
        day, when_time, typed_time = parsed.date(), parsed.time().replace(tzinfo=None), original[11:]
    else:
        rest, when_time, typed_time = _extract_time(folded)
        rest = _strip_fillers(rest)
        if rest in ("", "aujourd'hui", "today"):
            if when_time is None and not rest:
                raise _fail(original)
            day = today
        else:
            day, relative_time = _date_part(rest, original, today, now, languages)
            if when_time is None and relative_time is not None:
                when_time, typed_time = relative_time, original
    has_time = when_time is not None

    if want == "date" and has_time:
        raise InvalidInput(
            _("This field takes a date only; remove the time “{time}”.").format(time=typed_time or original)
        )
    if want == "datetime" and not has_time:
        raise InvalidInput(_("“{text}” has no time. Add a time, e.g. “14h30”.").format(text=original))

    if when_time is not None:
        # Through UTC and back, so that a wall time that does not exist (spring DST gap) becomes a real instant.
        value: date | datetime = datetime.combine(day, when_time, tzinfo=PARIS).astimezone(UTC).astimezone(PARIS)
        assert isinstance(value, datetime)
        return ParsedWhen(value, True, format_datetime(value, "fr"), format_datetime(value, "en"))
    return ParsedWhen(day, False, format_date(day, "fr"), format_date(day, "en"))


def parse_date(text: str, **kw: Any) -> date:
    """A date only (a typed time is an error); see ``parse_when``."""
    value = parse_when(text, want="date", **kw).value
    assert not isinstance(value, datetime)
    return value


def parse_datetime(text: str, **kw: Any) -> datetime:
    """An aware Europe/Paris datetime (a time must be typed); see ``parse_when``."""
    value = parse_when(text, want="datetime", **kw).value
    assert isinstance(value, datetime)
    return value
