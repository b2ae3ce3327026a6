"""Dates as people type and read them, for the window: parsing what was typed (French or English, words or
numbers), finding a date said in a hearing note ("délibéré le 12 mars"), and writing dates the French way.
``dateparser`` itself loads on the first parse."""

from __future__ import annotations

from caseapp.date_parsing import ParsedWhen, Want, parse_when
from caseapp.dates import format_date, format_datetime, format_time, to_paris
from caseapp.domain.said_in_court import SaidDate, find_said_date

__all__ = [
    "ParsedWhen",
    "SaidDate",
    "Want",
    "find_said_date",
    "format_date",
    "format_datetime",
    "format_time",
    "parse_when",
    "to_paris",
]
