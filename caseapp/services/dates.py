"""Dates as people type and read them, for the window: parsing what was typed (French or English, words or
numbers) and writing dates the French way. ``dateparser`` itself loads on the first parse."""

from __future__ import annotations

from caseapp.dates import ParsedWhen, Want, format_date, format_datetime, format_time, parse_when, to_paris

__all__ = ["ParsedWhen", "Want", "format_date", "format_datetime", "format_time", "parse_when", "to_paris"]
