"""Short forms of dates, times and sizes for tables and headers, in the interface language, in Paris time."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from functools import cache

from caseapp.i18n import current_language

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DASH = "—"


@cache
def paris_zone() -> tzinfo:
    """Europe/Paris (loaded on first use: the time-zone database is not needed to paint the first window)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Paris")


def today() -> date:
    """Today's date in Paris, whatever the laptop's zone: the courts' calendar."""
    return datetime.now(paris_zone()).date()


def paris(moment: datetime) -> datetime:
    """A stored moment as the person's wall time (Paris): the one conversion every time shown in the window goes
    through (``caseapp.dates.to_paris``, which never fails on a moment at the edge of the calendar). A naive moment
    is already wall time."""
    from caseapp.services.dates import to_paris

    return to_paris(moment) if moment.tzinfo else moment


def short_date(day: date | None) -> str:
    """27/02/2020 in French, 27 Feb 2020 in English."""
    if day is None:
        return DASH
    if isinstance(day, datetime):
        day = paris(day).date()
    if current_language() == "fr":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def short_time(moment: datetime) -> str:
    local = paris(moment)
    if current_language() == "fr":
        return f"{local.hour}h{local.minute:02d}"
    return f"{local.hour:02d}:{local.minute:02d}"


def short_datetime(moment: datetime | None) -> str:
    if moment is None:
        return DASH
    return f"{short_date(moment)} {short_time(moment)}"


def long_date(day: date | None) -> str:
    from caseapp.services.dates import format_date  # the date library loads after the first paint

    return format_date(day, current_language()) if day else DASH


def long_datetime(moment: datetime | None) -> str:
    from caseapp.services.dates import format_datetime

    return format_datetime(moment, current_language()) if moment else DASH


def editable_date(day: date) -> str:
    """How a stored date is put back into a date field (a form the date parser reads in both languages)."""
    return day.strftime("%d/%m/%Y")


def editable_datetime(moment: datetime) -> str:
    local = paris(moment)
    return local.strftime("%d/%m/%Y %H:%M")


def file_size(size: int) -> str:
    """A size with its unit (ko/Mo/Go, KB/MB/GB): the one function the command line uses too."""
    from caseapp.services.sizes import human_size

    return human_size(size)


def sort_key(value: object) -> str | int | float:
    """A value the sort proxy can compare (Qt compares strings and numbers, not Python objects)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.astimezone(paris_zone()).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).casefold()


def one_line(text: str | None, limit: int = 160) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
