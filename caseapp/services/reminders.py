"""Reminders: what is due, said once, when CaseApp is open and when it is not.

A hearing tomorrow, a deadline 7, 3 and 1 days ahead and on the day (the lead times are a setting), an overdue
one: each is a ``Reminder`` whose ``key`` names the record, its date and the stage reached, so that it is given
once — the window's notifications and ``caseapp remind --notify`` (the system's scheduler) share one record of
what was given, ``reminders.json`` in the data folder, which survives restarts. A record whose date moves gets
reminders for its new date. A deadline first seen when several stages are already past gets one reminder, for the
nearest stage (a laptop closed over the weekend does not pile up three messages on Monday).

The first reminders of each day come with a **digest** of the week ahead ("This week: 2 hearings, 3 deadlines,
1 overdue"). During the quiet hours nothing is given and nothing is marked: what is due is given once they end.

Only last days to act (and the closing of the investigation) are reminded: the day an implicit decision is born
and the court's own duty are not the user's to do (``domain.date_words``). Every function takes the time it is
(``now`` / ``today``): the tests and the window inject their clock.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from caseapp.casefile.core import Core
from caseapp.errors import InvalidInput
from caseapp.i18n import _, ngettext

PARIS = ZoneInfo("Europe/Paris")
LEAD_DAYS = (7, 3, 1, 0)
LOG_FILE = "reminders.json"
KEEP_DAYS = 120  # reminders given longer ago than this are forgotten (their dates are long past)
WEEK = 7
HEARING = "hearing"
DEADLINE = "deadline"
TOMORROW = "tomorrow"
OVERDUE = "overdue"


# --- the settings ------------------------------------------------------------------------------------------------


def parse_lead_days(text: str | None) -> tuple[int, ...]:
    """ "7, 3, 1, 0" → (7, 3, 1, 0); empty → the default. Days from 0 (the day itself) to 60."""
    if text is None or not text.strip():
        return LEAD_DAYS
    days: set[int] = set()
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        if not part.isdigit() or int(part) > 60:
            raise InvalidInput(
                _("“{value}” is not a number of days from 0 to 60 (for example “7, 3, 1, 0”).").format(value=part),
                field="reminder_days",
            )
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


_HOUR = r"(\d{1,2})(?:[:h](\d{2})?)?"


def parse_quiet_hours(text: str | None) -> tuple[time, time] | None:
    """ "20:00-08:00" (or "20h-8h") → (20:00, 08:00); empty → None (no quiet hours)."""
    if text is None or not text.strip():
        return None
    found = re.fullmatch(rf"\s*{_HOUR}\s*[-–—à]\s*{_HOUR}\s*", text.strip(), flags=re.IGNORECASE)
    try:
        if found is None:
            raise ValueError(text)
        start = time(int(found.group(1)), int(found.group(2) or 0))
        end = time(int(found.group(3)), int(found.group(4) or 0))
    except ValueError as exc:
        raise InvalidInput(
            _("“{value}” is not a span of hours: write it as “20:00-08:00”.").format(value=text.strip()),
            field="quiet_hours",
        ) from exc
    return (start, end)


def quiet_hours_text(span: tuple[time, time] | None) -> str | None:
    return None if span is None else f"{span[0]:%H:%M}-{span[1]:%H:%M}"


@dataclass(frozen=True)
class ReminderSettings:
    """Whether reminders are given, how many days before a deadline (``lead_days``), and the quiet hours (start, end,
    Paris time) when none is; kept in the settings."""

    enabled: bool = True
    lead_days: tuple[int, ...] = LEAD_DAYS
    quiet: tuple[time, time] | None = None

    @classmethod
    def load(cls, data_dir: Path | None = None) -> ReminderSettings:
        """From the settings file; a value typed wrong by hand falls back on the default."""
        from caseapp.settings import load_settings

        saved = load_settings(data_dir)
        try:
            lead = parse_lead_days(saved.reminder_days)
        except InvalidInput:
            lead = LEAD_DAYS
        try:
            quiet = parse_quiet_hours(saved.quiet_hours)
        except InvalidInput:
            quiet = None
        return cls(enabled=saved.reminders_on, lead_days=lead, quiet=quiet)

    def save(self, data_dir: Path | None = None) -> None:
        from dataclasses import replace

        from caseapp.settings import load_settings, save_settings

        saved = load_settings(data_dir)
        days = ", ".join(str(d) for d in self.lead_days)
        save_settings(
            data_dir,
            replace(
                saved,
                reminders_on=self.enabled,
                reminder_days=None if self.lead_days == LEAD_DAYS else days,
                quiet_hours=quiet_hours_text(self.quiet),
            ),
        )

    def is_quiet(self, moment: datetime) -> bool:
        """Whether ``moment`` (any time zone; judged in Paris time) falls in the quiet hours."""
        if self.quiet is None:
            return False
        start, end = self.quiet
        now = moment.astimezone(PARIS).time() if moment.tzinfo else moment.time()
        if start == end:
            return False
        if start < end:
            return start <= now < end
        return now >= start or now < end  # across midnight


# --- what is due ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One thing to remind: a hearing or a deadline, how far it is, and the sentence that says so."""

    key: str  # the record, its date and the stage: given once
    kind: str  # "hearing" or "deadline"
    stage: str  # "tomorrow" (a hearing), a lead time in days ("7", "3", "1", "0") or "overdue"
    record_id: uuid.UUID
    case_id: uuid.UUID | None
    case_title: str | None
    court_number: str | None
    day: date
    at: datetime | None
    days_left: int  # negative when overdue
    title: str  # the deadline's name, or the hearing's kind and place
    text: str  # the sentence shown to people

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "id": str(self.record_id),
            "case_id": str(self.case_id) if self.case_id else None,
            "case_title": self.case_title,
            "court_number": self.court_number,
            "day": self.day.isoformat(),
            "at": self.at.isoformat() if self.at else None,
            "days_left": self.days_left,
            "overdue": self.days_left < 0,
            "title": self.title,
            "text": self.text,
        }


@dataclass(frozen=True)
class Digest:
    """The week ahead, told at the first start of the day."""

    day: date
    hearings: int
    deadlines: int
    overdue: int

    @property
    def text(self) -> str:
        parts = [
            ngettext("{count} hearing", "{count} hearings", self.hearings).format(count=self.hearings),
            ngettext("{count} deadline", "{count} deadlines", self.deadlines).format(count=self.deadlines),
        ]
        if self.overdue:
            parts.append(_("{count} overdue").format(count=self.overdue))  # the same for one or several
        return _("This week: {counts}").format(counts=", ".join(parts))

    def as_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "hearings": self.hearings,
            "deadlines": self.deadlines,
            "overdue": self.overdue,
            "text": self.text,
        }


def _case_part(title: str | None) -> str:
    return f" — {title}" if title else ""


def _hearing_text(days_left: int, at: datetime, where: str, case_title: str | None) -> str:
    from caseapp.dates import format_date, format_time
    from caseapp.i18n import current_language

    lang = current_language()
    moment = format_time(at, lang)
    place = f" ({where})" if where else ""
    if days_left == 0:
        head = _("Hearing today at {time}").format(time=moment)
    elif days_left == 1:
        head = _("Hearing tomorrow at {time}").format(time=moment)
    else:
        head = _("Hearing on {day} at {time}").format(day=format_date(at, lang), time=moment)
    return head + place + _case_part(case_title)


def _deadline_text(days_left: int, day: date, title: str, case_title: str | None) -> str:
    from caseapp.dates import format_date
    from caseapp.i18n import current_language

    if days_left < 0:
        head = ngettext("Overdue by {count} day: {title}", "Overdue by {count} days: {title}", -days_left).format(
            count=-days_left, title=title
        )
    elif days_left == 0:
        head = _("Deadline today: {title}").format(title=title)
    elif days_left == 1:
        head = _("Deadline tomorrow: {title}").format(title=title)
    else:
        head = ngettext("Deadline in {count} day: {title}", "Deadline in {count} days: {title}", days_left).format(
            count=days_left, title=title
        )
        head += " " + _("({day})").format(day=format_date(day, current_language()))
    return head + _case_part(case_title)


def upcoming(core: Core, *, today: date, days: int = WEEK) -> list[Reminder]:
    """Every hearing from today and every open deadline of the user's up to ``days`` ahead, overdue ones first
    (those overdue by up to 90 days, as the agenda shows them), each with the sentence that reminds it. The stage
    is the one reached (``stage_for``); a hearing further than tomorrow and a deadline before its first lead time
    have the stage ""."""
    from caseapp.domain.date_words import is_users_task
    from caseapp.services.reads import agenda  # no ORM: the reminders of a start come with its first agenda

    found = agenda(core, days=max(days, 1), today=today)
    items: list[Reminder] = []
    for item in found.items:
        days_left = (item.day - today).days
        if item.kind == HEARING and item.hearing is not None and item.at is not None:
            where = ", ".join(p for p in (item.hearing.court, item.hearing.room) if p)
            text = _hearing_text(days_left, item.at, where, item.case_title)
            stage = TOMORROW if days_left == 1 else ""
            key = f"hearing-{item.hearing.id}@{item.at.isoformat()}:{stage}"
            record_id = item.hearing.id
        elif item.kind == DEADLINE and item.deadline is not None and is_users_task(item.date_kind):
            text = _deadline_text(days_left, item.day, item.title, item.case_title)
            stage = ""
            key = ""
            record_id = item.deadline.id
        else:
            continue
        items.append(
            Reminder(
                key=key,
                kind=item.kind,
                stage=stage,
                record_id=record_id,
                case_id=item.case_id,
                case_title=item.case_title,
                court_number=item.court_number,
                day=item.day,
                at=item.at,
                days_left=days_left,
                title=item.title or "",
                text=text,
            )
        )
    return items


def stage_for(days_left: int, lead_days: Iterable[int]) -> str:
    """The stage a deadline has reached: "overdue", the nearest lead time at or above ``days_left``, or ""."""
    if days_left < 0:
        return OVERDUE
    reached = [d for d in lead_days if days_left <= d]
    return str(min(reached)) if reached else ""


def due(core: Core, *, now: datetime, lead_days: Iterable[int] = LEAD_DAYS) -> list[Reminder]:
    """The reminders whose time has come at ``now``: a hearing tomorrow, a deadline at a lead time, an overdue
    one — whether or not they were given already (``ReminderLog`` says that)."""
    from dataclasses import replace

    today = now.astimezone(PARIS).date() if now.tzinfo else now.date()
    leads = tuple(lead_days)
    found: list[Reminder] = []
    for item in upcoming(core, today=today, days=max((*leads, 1))):
        if item.kind == HEARING:
            if item.stage == TOMORROW:
                found.append(item)
            continue
        stage = stage_for(item.days_left, leads)
        if stage:
            found.append(replace(item, stage=stage, key=f"deadline-{item.record_id}@{item.day.isoformat()}:{stage}"))
    return found


def digest(core: Core, *, today: date) -> Digest:
    """This week: the hearings and the user's open deadlines of the next seven days, and the overdue ones."""
    items = upcoming(core, today=today, days=WEEK - 1)
    return Digest(
        day=today,
        hearings=sum(1 for i in items if i.kind == HEARING),
        deadlines=sum(1 for i in items if i.kind == DEADLINE and i.days_left >= 0),
        overdue=sum(1 for i in items if i.days_left < 0),
    )


# --- what was given ------------------------------------------------------------------------------------------------


@dataclass
class ReminderLog:
    """``reminders.json`` in the data folder: the reminders given (key → the day given) and the day of the last
    digest. Written atomically, owner-only; a damaged file is started again (at worst a reminder comes twice)."""

    path: Path
    given: dict[str, str] = field(default_factory=dict)
    digest_day: str | None = None

    @classmethod
    def open(cls, data_dir: Path) -> ReminderLog:
        path = Path(data_dir) / LOG_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        given = raw.get("given")
        day = raw.get("digest")
        return cls(
            path=path,
            given={str(k): str(v) for k, v in given.items()} if isinstance(given, dict) else {},
            digest_day=day if isinstance(day, str) else None,
        )

    def was_given(self, key: str) -> bool:
        return key in self.given

    def mark(self, keys: Iterable[str], today: date) -> None:
        for key in keys:
            self.given[key] = today.isoformat()

    def save(self, today: date) -> None:
        oldest = (today - timedelta(days=KEEP_DAYS)).isoformat()
        self.given = {k: v for k, v in self.given.items() if v >= oldest}
        data = json.dumps({"given": self.given, "digest": self.digest_day}, ensure_ascii=False, indent=1)
        from caseapp.store.files import write_text_atomically

        write_text_atomically(self.path, data, prefix=".reminders-")


@dataclass(frozen=True)
class Pending:
    """What to tell now: the day's digest (at the first reminders of the day), the reminders not given yet, and
    whether it is the quiet hours (then nothing, and nothing was marked)."""

    digest: Digest | None
    reminders: tuple[Reminder, ...]
    quiet: bool = False

    @property
    def empty(self) -> bool:
        return self.digest is None and not self.reminders


def take_pending(core: Core, *, now: datetime, settings: ReminderSettings | None = None, mark: bool = True) -> Pending:
    """The digest and the reminders not given yet at ``now``, marked as given (``mark=False``: only looked at).
    Nothing during the quiet hours or when reminders are turned off."""
    settings = settings or ReminderSettings.load(core.data_dir)
    if not settings.enabled:
        return Pending(None, ())
    if settings.is_quiet(now):
        return Pending(None, (), quiet=True)
    today = now.astimezone(PARIS).date() if now.tzinfo else now.date()
    log = ReminderLog.open(core.data_dir)
    fresh = tuple(r for r in due(core, now=now, lead_days=settings.lead_days) if not log.was_given(r.key))
    first_today = log.digest_day != today.isoformat()
    day_digest = digest(core, today=today) if first_today else None
    if mark and (fresh or first_today):
        log.mark((r.key for r in fresh), today)
        log.digest_day = today.isoformat()
        log.save(today)
    if day_digest is not None and not (day_digest.hearings or day_digest.deadlines or day_digest.overdue):
        day_digest = None  # a quiet week: nothing to say
    return Pending(day_digest, fresh)
