"""Hearings and deadlines as an iCalendar file (RFC 5545) for the lawyer's own calendar program.

UIDs are the records' identifiers, so importing the file again updates events instead of duplicating them;
SEQUENCE follows the record's version; cancelled hearings and deadlines are exported as cancelled; hearings and
the user's own deadlines carry reminders. A date that is not a last day to act says what it is: the day an
implicit decision is born ("Implicit decision born on …", with no reminder to act before it), the court's own duty
(the hearing notice) or the closing of the investigation. Written by hand (the format is small) and checked in the
tests by an independent parser.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from caseapp import __version__
from caseapp.casefile.core import Core
from caseapp.casefile.uow import reading
from caseapp.dates import format_date, is_plausible
from caseapp.domain import enums
from caseapp.domain.date_words import BIRTH, COURT, date_phrase, dated_title, is_users_task
from caseapp.domain.deadline_rules import RULES
from caseapp.i18n import N_, current_language, translate
from caseapp.store import models as m

HEARING_LENGTH = timedelta(hours=2)
CANCELLED_HEARINGS = (enums.HearingStatus.CANCELLED,)
CANCELLED_DEADLINES = (enums.DeadlineStatus.CANCELLED,)
NOT_A_LAST_DAY = N_("This date is not a time limit to act.")
COURTS_DUTY = N_("This is for the court to do, not the parties.")
CATEGORY = {BIRTH: N_("Implicit decision"), COURT: N_("Court")}
DEADLINE = N_("Deadline")


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    start = 0
    limit = 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start = end
        limit = 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _alarm(trigger: str, text: str) -> list[str]:
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{trigger}", f"DESCRIPTION:{escape(text)}", "END:VALARM"]


def _event(uid: str, sequence: int, modified: datetime, now: datetime, body: list[str]) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_stamp(now)}",
        f"LAST-MODIFIED:{_stamp(modified)}",
        f"SEQUENCE:{max(0, sequence - 1)}",
        *body,
        "END:VEVENT",
    ]


class CalendarEvent(NamedTuple):
    """One event of the calendar: its stable UID, the case it belongs to, whether a shared calendar should hold
    it (``active``: a hearing not cancelled, a deadline still open) and its content lines (``BEGIN:VEVENT`` …
    ``END:VEVENT``). The team's calendar (``services.calendar_sync``) publishes the active ones, one per
    resource."""

    uid: str
    case_id: uuid.UUID | None
    active: bool
    lines: list[str]


def calendar_header(lang: str | None = None, *, method: bool = True) -> list[str]:
    """The lines that open a calendar. ``method=False`` for a CalDAV resource (RFC 4791 §4.1: no METHOD)."""
    lang = lang or current_language()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//CaseApp//CaseApp {__version__}//{lang.upper()}"]
    lines.append("CALSCALE:GREGORIAN")
    if method:
        lines += ["METHOD:PUBLISH", f"X-WR-CALNAME:{escape(translate('CaseApp — hearings and deadlines', lang))}"]
    return lines


def calendar_lines(core: Core, *, now: datetime | None = None, lang: str | None = None) -> list[str]:
    lines = calendar_header(lang)
    for event in calendar_events(core, now=now, lang=lang):
        lines += event.lines
    lines.append("END:VCALENDAR")
    return lines


def calendar_events(core: Core, *, now: datetime | None = None, lang: str | None = None) -> list[CalendarEvent]:
    lang = lang or current_language()
    now = now or datetime.now(UTC)
    with reading(core) as session:
        cases = {c.id: c for c in session.scalars(select(m.Case))}
        # A date outside the plausible range (stored by an older version) cannot be written as an event: skipped.
        hearings = [
            h for h in session.scalars(select(m.Hearing).order_by(m.Hearing.starts_at)) if is_plausible(h.starts_at)
        ]
        deadlines = [
            d for d in session.scalars(select(m.Deadline).order_by(m.Deadline.due_on)) if is_plausible(d.due_on)
        ]
    events: list[CalendarEvent] = []
    for hearing in hearings:
        case = cases.get(hearing.case_id)
        title = f"{enums.HearingKind(hearing.kind).label(lang)} — {case.title if case else ''}".strip(" —")
        where = ", ".join(part for part in (hearing.court, hearing.room) if part)
        cancelled = hearing.status in CANCELLED_HEARINGS
        body = [
            f"DTSTART:{_stamp(hearing.starts_at)}",
            f"DTEND:{_stamp(hearing.starts_at + HEARING_LENGTH)}",
            f"SUMMARY:{escape(title)}",
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "CATEGORIES:" + escape(translate("Hearing", lang)),
        ]
        if where:
            body.append(f"LOCATION:{escape(where)}")
        if case and case.court_number:
            body.append(f"DESCRIPTION:{escape(translate('Court number', lang) + ': ' + case.court_number)}")
        if not cancelled:
            body += _alarm("-P1D", title) + _alarm("-PT2H", title)
        uid = f"hearing-{hearing.id}@caseapp"
        lines = _event(uid, hearing.version, hearing.updated_at, now, body)
        events.append(CalendarEvent(uid, hearing.case_id, not cancelled, lines))
    for deadline in deadlines:
        case = cases.get(deadline.case_id) if deadline.case_id else None
        rule = RULES.get(deadline.rule_id) if deadline.rule_id else None
        name = rule.label(lang) if rule else deadline.title
        kind = rule.date_kind if rule else "act"
        day = format_date(deadline.due_on, lang)
        phrase = date_phrase(kind, deadline.rule_id, day, lang)  # "Implicit decision born on …"
        name = dated_title(kind, deadline.rule_id, name, day, lang) or name
        title = f"⚖ {name}" + (f" — {case.title}" if case else "")
        cancelled = deadline.status in CANCELLED_DEADLINES
        explanation = deadline.explanation_fr if lang == "fr" else deadline.explanation_en
        notice = {BIRTH: NOT_A_LAST_DAY, COURT: COURTS_DUTY}.get(kind)
        description = "\n".join(
            part
            for part in (
                f"{phrase}. {translate(notice, lang)}" if phrase and notice else phrase,
                deadline.legal_basis,
                explanation,
                deadline.override_reason,
            )
            if part
        )
        body = [
            f"DTSTART;VALUE=DATE:{_day(deadline.due_on)}",
            f"DTEND;VALUE=DATE:{_day(deadline.due_on + timedelta(days=1))}",
            f"SUMMARY:{escape(title)}",
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "TRANSP:TRANSPARENT",
            "CATEGORIES:" + escape(translate(CATEGORY.get(kind, DEADLINE), lang)),
        ]
        if description:
            body.append(f"DESCRIPTION:{escape(description)}")
        # Reminders to act only before what the user must do: never before a birth or the court's own duty.
        if not cancelled and deadline.status == enums.DeadlineStatus.OPEN and is_users_task(kind):
            body += _alarm("-P7D", title) + _alarm("-P2D", title)
        uid = f"deadline-{deadline.id}@caseapp"
        lines = _event(uid, deadline.version, deadline.updated_at, now, body)
        events.append(CalendarEvent(uid, deadline.case_id, deadline.status == enums.DeadlineStatus.OPEN, lines))
    return events


def render(lines: Iterable[str]) -> bytes:
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def export_ics(core: Core, target: Path, *, now: datetime | None = None, lang: str | None = None) -> int:
    """Write the calendar to ``target`` (atomically). Returns how many events it holds."""
    from caseapp.outputs import write_bytes

    lines = calendar_lines(core, now=now, lang=lang)
    write_bytes(target, render(lines))  # atomically, to a regular file only: never through a link or a device
    return sum(1 for line in lines if line == "BEGIN:VEVENT")
