"""Words and numbers as the documents print them: dates the French way ("lundi 3 février 2020 à 10 h 00") or
the English way ("Monday 3 February 2020 at 10:00"), labels of stored values, sizes, and user text made safe
for ReportLab's paragraph markup.

Kept here rather than in ``caseapp.dates`` so the documents do not depend on how dates are typed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from caseapp.dates import MONTHS_EN, MONTHS_FR, WEEKDAYS_EN, WEEKDAYS_FR
from caseapp.domain.enums import LabelledEnum

PARIS = ZoneInfo("Europe/Paris")  # as caseapp.dates.PARIS
NBSP = "\u00a0"  # no-break space: "10 h 00", "n° 12"
NNBSP = "\u202f"  # narrow no-break space: before « : » and inside « guillemets »
DASH = "—"

# The names of months and days are the date module's, so documents and screens never disagree.
_MONTHS = {"fr": MONTHS_FR, "en": MONTHS_EN}
_WEEKDAYS = {"fr": WEEKDAYS_FR, "en": WEEKDAYS_EN}
# C0 controls other than tab and newline, DEL, and the C1 block: ReportLab cannot print them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def document_language(lang: str) -> str:
    """The documents exist in French and English; anything else gets English."""
    return "fr" if lang.lower().startswith("fr") else "en"


def to_paris(moment: datetime) -> datetime:
    """A stored moment in Paris time (a naive moment is taken to be UTC, as the database stores it); one out of
    range, written by an older version, is shown as it is rather than failing the whole document."""
    from caseapp import dates

    return dates.to_paris(moment)


def format_date(day: date | datetime | None, lang: str, *, weekday: bool = False, empty: str = DASH) -> str:
    """ "27 février 2020", "1er mars 2020", "lundi 3 février 2020"; "27 February 2020" in English."""
    if day is None:
        return empty
    if isinstance(day, datetime):
        day = to_paris(day).date()
    language = document_language(lang)
    month = _MONTHS[language][day.month - 1]
    if language == "fr":
        number = "1er" if day.day == 1 else str(day.day)
        text = f"{number} {month} {day.year}"
    else:
        text = f"{day.day} {month} {day.year}"
    if weekday:
        text = f"{_WEEKDAYS[language][day.weekday()]} {text}"
    return text


def format_time(moment: datetime, lang: str) -> str:
    """ "10 h 00" (with no-break spaces) in French, "10:00" in English; always Paris time."""
    local = to_paris(moment)
    if document_language(lang) == "fr":
        return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"
    return f"{local.hour:02d}:{local.minute:02d}"


def format_moment(moment: datetime | None, lang: str, *, weekday: bool = True, empty: str = DASH) -> str:
    """ "lundi 3 février 2020 à 10 h 00" / "Monday 3 February 2020 at 10:00", Paris time."""
    if moment is None:
        return empty
    joiner = "à" if document_language(lang) == "fr" else "at"
    return f"{format_date(moment, lang, weekday=weekday)} {joiner} {format_time(moment, lang)}"


def format_size(size: int, lang: str) -> str:
    """ "12,5 Ko" / "12.5 KB" (powers of 1024, as file managers show them)."""
    french = document_language(lang) == "fr"
    units = ("o", "Ko", "Mo", "Go", "To") if french else ("B", "KB", "MB", "GB", "TB")
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        number = str(size)
    else:
        number = f"{value:.1f}"
        if french:
            number = number.replace(".", ",")
    return f"{number}{NBSP}{units[unit]}"


def label(enum_cls: type[LabelledEnum], value: str | None, lang: str, *, empty: str = DASH) -> str:
    """The label of a stored value; a value this version does not know is shown as it is."""
    if not value:
        return empty
    try:
        return enum_cls(value).label(document_language(lang))
    except ValueError:
        return value


def clean_text(text: str | None) -> str:
    """User text without the control characters a PDF cannot hold; line ends made plain ``\\n``."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def markup(text: str | None) -> str:
    """User text for a ReportLab Paragraph: ``<``, ``>`` and ``&`` escaped, line ends kept."""
    return escape(clean_text(text)).replace("\n", "<br/>")


def shorten(text: str | None, limit: int) -> str:
    """At most ``limit`` characters, cut on a word when one is near, with an ellipsis when cut."""
    plain = clean_text(text).strip()
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.7:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def colon(lang: str) -> str:
    """ " : " in French (a no-break space before the colon, so it never starts a line), ": " in English."""
    return f"{NBSP}: " if document_language(lang) == "fr" else ": "


def quoted(text: str, lang: str) -> str:
    """« text » in French (narrow no-break spaces inside the guillemets), “text” in English."""
    return f"«{NNBSP}{text}{NNBSP}»" if document_language(lang) == "fr" else f"“{text}”"
