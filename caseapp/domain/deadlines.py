"""The deadline engine: from a rule and the date of its trigger, the last day to act, explained step by step.

It follows ``/shared/DEADLINES.md``:

* months run from a date to the same date (capped at the month's end, CPC art. 641); days and hours add up;
* **franc** (court time limits): last day = end + 1, then rolled past Saturdays, Sundays and the seat's
  deadline holidays (CPC art. 642); filing before 24:00 Paris time that day;
* **birth** (silence rules): the anniversary itself, never rolled;
* **calendar** (franc status disputed): safe last day = anniversary − 1, not rolled; the franc day is kept as
  ``arguable_day``;
* **fixed**: the trigger is the date itself (a date the court set, the end of a référé hearing), never moved;
* **before** rules count back from a hearing; instruction-closing (3 clear days before) closes at 0:00 on the
  hearing day − 3, so the last day to file is the day before that;
* month-end ambiguity: for a trigger at the end of a month, reading (A) same day-of-month as the trigger then +1,
  reading (B) same day-of-month as the day after the trigger, capped. Both are rolled; if they still differ the
  earlier is the deadline to meet (``last_day``), the later ``arguable_day``, and the result is flagged;
* distance extensions (CJA R421-7): +1 month overseas, +2 months abroad, added to the length before counting,
  only for rules with ``distance_extension``;
* a delay that does not run (no routes of appeal stated, CJA R421-5; no compliant acknowledgement, CRPA L112-6)
  gets no last day — a "reasonable time" (Czabaj) applies and is flagged, never computed;
* in Alsace-Moselle (and for other local-only days overseas) the national date is the deadline and the local
  holiday gives only ``local_extension_day``.

The explanation is written in French and in English at once: each sentence is an English source string with
placeholders (``N_``), its French in the catalogue (``resources/locale/fr/LC_MESSAGES/domain.po``), both produced
with ``translate`` (``_both``); a placeholder given a pair gets the French value in the French sentence.

The engine does no I/O (but reading the catalogue once) and caches holiday calendars per (year, seat): tens of
thousands of calls take well under a second.
"""

from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache

from caseapp.dates import MONTHS_EN, MONTHS_FR, PARIS, format_date, format_datetime
from caseapp.domain import holidays_fr as hol
from caseapp.domain.deadline_rules import (
    IMPLICIT_REJECTION_MONTHS,
    TRIGGERS,
    DeadlineRule,
    get_rule,
    needs_verification,
)
from caseapp.domain.rule_types import confidence_label
from caseapp.errors import InvalidInput
from caseapp.i18n import N_, NC_, _, translate

# Extra months of CJA R421-7 by where the party lives. "overseas": in overseas France before a metropolitan court,
# or outside the territory of an overseas court; "abroad": outside France.
RESIDENCES: dict[str, int] = {"france": 0, "overseas": 1, "abroad": 2}

_ONE_DAY = timedelta(days=1)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DISTANCE_BASIS = {"appeal": N_("CJA R421-7, via R811-5"), "cassation": N_("CJA R421-7, via R821-2")}


@dataclass(frozen=True, slots=True)
class Flag:
    """Something the lawyer must see beside the date. Codes: ``month_end_ambiguity``, ``no_appeal_routes``,
    ``no_acknowledgement``, ``to_verify``, ``local_holiday_extension``.
    """

    code: str
    message_fr: str
    message_en: str

    def message(self, lang: str = "fr") -> str:
        return self.message_fr if lang.startswith("fr") else self.message_en


@dataclass(frozen=True, slots=True)
class ComputedDeadline:
    """The result of a computation.

    ``nominal_end`` is the end of the period before franc counting and rolling (the anniversary for birth and
    calendar rules, the closing day for instruction-closing). ``last_day`` is the deadline to meet; it is None when
    a flag says the delay does not run (then ``nominal_end`` is only what it would have been: never show it as
    a deadline). ``arguable_day`` is a later day that can be argued (month-end reading, or the franc day of a
    calendar rule); ``local_extension_day`` a possible extension for a local-only holiday; ``due_at`` the exact
    aware Paris instant for rules that have one (hours-based rules, instruction-closing).
    """

    rule_id: str
    trigger: date
    nominal_end: date
    last_day: date | None
    arguable_day: date | None
    local_extension_day: date | None
    due_at: datetime | None
    flags: tuple[Flag, ...]
    steps_fr: tuple[str, ...]
    steps_en: tuple[str, ...]

    def explanation(self, lang: str = "fr") -> str:
        """The steps, one per line, in French or English."""
        return "\n".join(self.steps_fr if lang.startswith("fr") else self.steps_en)

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)

    def has_flag(self, code: str) -> bool:
        return any(flag.code == code for flag in self.flags)

    @property
    def runs(self) -> bool:
        """False when the delay does not run (no routes of appeal stated, no acknowledgement)."""
        return self.last_day is not None


# ---------------------------------------------------------------------------------------------------------------
# Calendar arithmetic


def add_months(d: date, months: int) -> date:
    """Same day-of-month ``months`` later (or earlier), capped at the last day of the month (CPC art. 641)."""
    index = d.month - 1 + months
    year = d.year + index // 12
    month = index % 12 + 1
    last = 29 if month == 2 and isleap(year) else _MONTH_DAYS[month - 1]
    return date(year, month, d.day) if d.day <= last else date(year, month, last)


def implicit_decision_birth(received: date, months: int) -> date:
    """The day an implicit decision is born after ``months`` of silence on a request received on ``received``:
    the same-date anniversary (capped at the month's end), never moved even to a working day.
    """
    if isinstance(received, datetime):
        received = (received.astimezone(PARIS) if received.tzinfo else received).date()
    return add_months(received, months)


# Formatted dates, memoised: the explanation of one deadline names a dozen dates, and a batch of cases shares most.
_FR_NAMES: dict[date, str] = {}
_EN_NAMES: dict[date, str] = {}


def implicit_rejection_birth(received: date) -> date:
    """The day the implicit rejection of a request received on ``received`` is born (rep-implicit's trigger):
    ``received`` + 2 months, same date (capped at the month's end), never moved to a working day.
    """
    return implicit_decision_birth(received, IMPLICIT_REJECTION_MONTHS)


def _fr(d: date) -> str:
    name = _FR_NAMES.get(d)
    if name is None:
        if len(_FR_NAMES) > 100_000:
            _FR_NAMES.clear()
        name = _FR_NAMES[d] = format_date(d, "fr")
    return name


def _en(d: date) -> str:
    name = _EN_NAMES.get(d)
    if name is None:
        if len(_EN_NAMES) > 100_000:
            _EN_NAMES.clear()
        name = _EN_NAMES[d] = format_date(d, "en")
    return name


# ---------------------------------------------------------------------------------------------------------------
# Sentences in both languages

Both = tuple[str, str]  # (French, English)


def _both(msgid: str, context: str | None = None, /, **values: str | Both) -> Both:
    """``msgid`` (English, with ``{placeholders}``) in French and in English. A value is the same in both, or a
    ``(French, English)`` pair."""
    fr: dict[str, str] = {}
    en: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            fr[name], en[name] = value
        else:
            fr[name] = en[name] = value
    return translate(msgid, "fr", context).format_map(fr), translate(msgid, "en", context).format_map(en)


def _day(d: date) -> Both:
    return _fr(d), _en(d)


# "1 month", "3 days"; and the same after "of" ("Time limit of 2 months"), which French says "de 2 mois" but
# "d'un mois" for one. Whether a number is one is decided here for both languages.
_DURATION = {
    ("months", True): N_("1 month"),
    ("months", False): N_("{n} months"),
    ("days", True): N_("1 day"),
    ("days", False): N_("{n} days"),
    ("hours", True): N_("1 hour"),
    ("hours", False): N_("{n} hours"),
}
_OF_DURATION = {
    ("months", True): N_("of 1 month"),
    ("months", False): N_("of {n} months"),
    ("days", True): N_("of 1 day"),
    ("days", False): N_("of {n} days"),
    ("hours", True): N_("of 1 hour"),
    ("hours", False): N_("of {n} hours"),
}


def _duration(n: int, unit: str) -> Both:
    """ "2 mois", "15 jours" / "2 months", "1 day"."""
    return _both(_DURATION[unit, n == 1], n=str(n))


def _of(n: int, unit: str) -> Both:
    """ "de 2 mois", "d'un mois", "d'une heure" / "of 2 months", "of 1 month", "of 1 hour"."""
    return _both(_OF_DURATION[unit, n == 1], n=str(n))


class _Steps:
    __slots__ = ("en", "fr")

    def __init__(self) -> None:
        self.fr: list[str] = []
        self.en: list[str] = []

    def add(self, fr: str, en: str) -> None:
        self.fr.append(fr)
        self.en.append(en)

    def say(self, msgid: str, /, **values: str | Both) -> None:
        self.add(*_both(msgid, None, **values))


def _roll(d: date, seat: str) -> tuple[date, list[date]]:
    skipped: list[date] = []
    while hol.is_non_working(d, seat):
        skipped.append(d)
        d += _ONE_DAY
    return d, skipped


def _reason(d: date, seat: str) -> Both:
    """Why a day is not worked: "un samedi", "férié (…)" / "a Saturday", "a public holiday (…)"."""
    weekday = d.weekday()
    if weekday == 5:
        return _both(N_("a Saturday"))
    if weekday == 6:
        return _both(N_("a Sunday"))
    info = hol.holiday_info(d, seat)
    names = (info.name("fr"), info.name("en")) if info else ("?", "?")
    if info is not None and not info.national:
        seat_info = hol.SEATS[seat]
        names = (f"{names[0]}, {seat_info.name('fr')}", f"{names[1]}, {seat_info.name('en')}")
    return _both(N_("a public holiday ({name})"), name=names)


def _holiday_note(skipped: list[date], seat: str) -> Both:
    """ " (férié : …)" for the holidays among ``skipped`` (weekend days already show in the date)."""
    notes = [_reason(d, seat) for d in skipped if d.weekday() < 5]
    if not notes:
        return "", ""
    return f" ({'; '.join(note[0] for note in notes)})", f" ({'; '.join(note[1] for note in notes)})"


# The days after the first in "Saturday 1 is a Saturday, Sunday 2 a Sunday → moved to…" ("le dimanche 2 un dimanche").
_FURTHER_DAY = NC_("a further day in a list of days not worked", "{day} {reason}")


def _roll_step(steps: _Steps, skipped: list[date], rolled: date, seat: str) -> None:
    context, further = _FURTHER_DAY
    days = [
        _both(N_("{day} is {reason}"), day=_day(d), reason=_reason(d, seat))
        if i == 0
        else _both(further, context, day=_day(d), reason=_reason(d, seat))
        for i, d in enumerate(skipped)
    ]
    listed = (", ".join(day[0] for day in days), ", ".join(day[1] for day in days))
    steps.say(N_("{days} → moved to {day} (CPC art. 642)."), days=listed, day=_day(rolled))


def _capped_note(trigger_day: int, end: date) -> Both:
    if trigger_day <= end.day:
        return "", ""
    fr, en = _both(
        N_("there is no {month} {day}, {year}: last day of the month"),
        month=(MONTHS_FR[end.month - 1], MONTHS_EN[end.month - 1]),
        day=str(trigger_day),
        year=str(end.year),
    )
    return f" ({fr})", f" ({en})"


# ---------------------------------------------------------------------------------------------------------------
# Flags

# Made when first needed (the catalogue is read then, not when the engine is imported), then the same objects.


def _flag(code: str, msgid: str, /, **values: str | Both) -> Flag:
    return Flag(code, *_both(msgid, None, **values))


@cache
def _to_verify(confidence: str) -> Flag:
    level = (confidence_label(confidence, "fr"), confidence_label(confidence, "en"))
    return _flag("to_verify", N_("To verify on Légifrance: {level}."), level=level)


@cache
def _no_routes() -> Flag:
    return _flag(
        "no_appeal_routes",
        N_(
            "Routes and time limits of appeal not stated (CJA R421-5): the delay does not run; a reasonable time, in "
            "principle one year from knowledge of the decision, applies (CE Ass. 13 July 2016, Czabaj, no. 387763)."
        ),
    )


@cache
def _routes_unknown() -> Flag:
    return _flag(
        "no_appeal_routes",
        N_(
            "Check that the notification stated the routes and time limits of appeal (CJA R421-5): otherwise the "
            "delay does not run."
        ),
    )


@cache
def _no_ack() -> Flag:
    return _flag(
        "no_acknowledgement",
        N_(
            "No compliant acknowledgement of the request (CRPA L112-6): the delay does not run; a reasonable time, in "
            "principle one year from knowledge of the decision, applies (CE Ass. 13 July 2016, Czabaj, no. 387763)."
        ),
    )


@cache
def _ack_unknown() -> Flag:
    return _flag(
        "no_acknowledgement",
        N_("Check that the request got a compliant acknowledgement (CRPA L112-6): otherwise the delay does not run."),
    )


# ---------------------------------------------------------------------------------------------------------------
# The engine


def compute_deadline(
    rule_id: str,
    trigger: date | datetime,
    *,
    seat: str = hol.METROPOLE,
    residence: str = "france",
    urgent: bool = False,
    appeal_routes_stated: bool | None = True,
    acknowledged: bool | None = True,
) -> ComputedDeadline:
    """Compute the deadline of rule ``rule_id`` started on ``trigger``.

    ``seat``: the court seat whose holidays count (``holidays_fr.SEATS``; see ``holidays_fr.court_seat``).
    ``residence``: ``"france"``, ``"overseas"`` or ``"abroad"`` (CJA R421-7 extensions, for the rules that have
    them). ``urgent``: the rule's urgent length, if it has one (hearing-notice: 2 days). ``appeal_routes_stated``
    and ``acknowledged``: False → the delay does not run (no ``last_day``, flagged); None → unknown: computed
    but flagged for checking. A datetime trigger counts by its Paris date (hours-based rules use the instant).
    Raises ``InvalidInput`` for an unknown rule, seat or residence.
    """
    return compute_for_rule(
        get_rule(rule_id),
        trigger,
        seat=seat,
        residence=residence,
        urgent=urgent,
        appeal_routes_stated=appeal_routes_stated,
        acknowledged=acknowledged,
    )


def compute_for_rule(
    rule: DeadlineRule,
    trigger: date | datetime,
    *,
    seat: str = hol.METROPOLE,
    residence: str = "france",
    urgent: bool = False,
    appeal_routes_stated: bool | None = True,
    acknowledged: bool | None = True,
) -> ComputedDeadline:
    """``compute_deadline`` for a rule object (for rules not in ``RULES``, e.g. a special regime)."""
    if seat not in hol.SEATS:
        seat = hol.normalize_seat(seat)
    if residence not in RESIDENCES:
        raise InvalidInput(
            _("Unknown residence “{residence}”. Allowed: {allowed}.").format(
                residence=residence, allowed=", ".join(RESIDENCES)
            ),
            field="residence",
        )
    trigger_at: datetime | None = None
    if isinstance(trigger, datetime):
        trigger_at = trigger.astimezone(PARIS) if trigger.tzinfo else trigger.replace(tzinfo=PARIS)
        trig = trigger_at.date()
    elif isinstance(trigger, date):
        trig = trigger
    else:
        raise InvalidInput(_("The trigger of a deadline must be a date."), field="trigger")

    steps = _Steps()
    event = TRIGGERS.get(rule.trigger)
    shown_fr = format_datetime(trigger_at, "fr") if trigger_at and rule.unit == "hours" else _fr(trig)
    shown_en = format_datetime(trigger_at, "en") if trigger_at and rule.unit == "hours" else _en(trig)
    if event is not None:
        steps.say(event.step_en, d=(shown_fr, shown_en))
    else:
        steps.say(N_("Starting point: {day}."), day=(shown_fr, shown_en))

    length = rule.length
    urgent_used = urgent and rule.urgent_length is not None
    if urgent_used:
        assert rule.urgent_length is not None
        length = rule.urgent_length
    extra = RESIDENCES[residence] if rule.distance_extension and rule.unit == "months" else 0
    if residence != "france" and not extra and rule.direction > 0 and rule.counting in ("franc", "calendar"):
        steps.say(
            N_("No distance extension: it is applied only to the actions covered by CJA R421-7 (and R811-5, R821-2).")
        )

    # Does the delay run at all? (CJA R421-5, CRPA L112-6: only for time limits a party must meet.)
    checks: list[Flag] = []
    stops = False
    if rule.runs_against_party:
        if appeal_routes_stated is False:
            checks.append(_no_routes())
            stops = True
        elif appeal_routes_stated is None:
            checks.append(_routes_unknown())
        if rule.acknowledgement_matters:
            if acknowledged is False:
                checks.append(_no_ack())
                stops = True
            elif acknowledged is None:
                checks.append(_ack_unknown())

    result = _Result(nominal=trig, last=trig)
    # When the delay does not run, the dates are worked out only for ``nominal_end``: no step shows them.
    work = _Steps() if stops else steps
    if rule.unit == "hours":
        _hours(rule, trigger_at, length, work, result)
    elif rule.direction < 0:
        _before(rule, trig, length, urgent_used, work, result)
    elif rule.counting == "franc":
        _franc_after(rule, trig, length, extra, residence, seat, work, result)
    elif rule.counting == "birth":
        _birth(rule, trig, length, seat, work, result)
    elif rule.counting == "fixed":
        _fixed(rule, trig, work, result)
    else:
        _calendar(rule, trig, length, extra, residence, seat, work, result)

    flags = result.flags
    if stops:
        result.last = result.arguable = result.local_extension = result.due_at = None
        flags.clear()
    for flag in checks:
        flags.append(flag)
        if stops and flag in (_no_routes(), _no_ack()):
            steps.say(N_("{message} No date is computed."), message=(flag.message_fr, flag.message_en))
        else:
            steps.add(flag.message_fr, flag.message_en)
    if not stops and result.closing_fr:
        steps.add(result.closing_fr, result.closing_en)

    if needs_verification(rule):
        flag = _to_verify(rule.confidence)
        flags.append(flag)
        steps.add(flag.message_fr, flag.message_en)

    return ComputedDeadline(
        rule_id=rule.id,
        trigger=trig,
        nominal_end=result.nominal,
        last_day=result.last,
        arguable_day=result.arguable,
        local_extension_day=result.local_extension,
        due_at=result.due_at,
        flags=tuple(flags),
        steps_fr=tuple(steps.fr),
        steps_en=tuple(steps.en),
    )


class _Result:
    __slots__ = ("arguable", "closing_en", "closing_fr", "due_at", "flags", "last", "local_extension", "nominal")

    def __init__(self, nominal: date, last: date) -> None:
        self.nominal = nominal
        self.last: date | None = last
        self.arguable: date | None = None
        self.local_extension: date | None = None
        self.due_at: datetime | None = None
        self.flags: list[Flag] = []
        self.closing_fr = ""
        self.closing_en = ""


@lru_cache(maxsize=512)
def _length_phrase(rule: DeadlineRule, length: int, extra: int, residence: str) -> Both:
    duration = _of(length, rule.unit)
    if not extra:
        return _both(N_("Time limit {duration} ({basis})"), duration=duration, basis=rule.legal_basis)
    if extra == 1:
        msgid = N_("Time limit {duration} ({basis}), extended by 1 month for a party {who} ({distance_basis}): {total}")
    else:
        msgid = N_(
            "Time limit {duration} ({basis}), extended by {n} months for a party {who} ({distance_basis}): {total}"
        )
    distance_basis = _DISTANCE_BASIS.get(rule.id)
    return _both(
        msgid,
        duration=duration,
        basis=rule.legal_basis,
        n=str(extra),
        who=_both(N_("living overseas") if residence == "overseas" else N_("living abroad")),
        distance_basis=_both(distance_basis) if distance_basis else "CJA R421-7",
        total=_duration(length + extra, "months"),
    )


def _add(trig: date, n: int, unit: str) -> date:
    return add_months(trig, n) if unit == "months" else trig + timedelta(days=n)


def _franc_after(
    rule: DeadlineRule, trig: date, length: int, extra: int, residence: str, seat: str, steps: _Steps, result: _Result
) -> None:
    total = length + extra
    nominal = _add(trig, total, rule.unit)
    phrase = _length_phrase(rule, length, extra, residence)
    capped = _capped_note(trig.day, nominal) if rule.unit == "months" else ""
    steps.say(N_("{phrase}: nominal end on {day}{capped}."), phrase=phrase, day=_day(nominal), capped=capped)
    a_raw = nominal + _ONE_DAY
    steps.say(N_("Clear (franc) delay: the day after, {day}."), day=_day(a_raw))
    a_last, skipped = _roll(a_raw, seat)
    if skipped:
        _roll_step(steps, skipped, a_last, seat)
    last = a_last
    if rule.unit == "months" and trig.day >= 28:
        b_raw = add_months(trig + _ONE_DAY, total)
        if b_raw != a_raw:
            b_last, b_skipped = _roll(b_raw, seat)
            b = _moved(b_raw, b_last) if b_skipped else _day(b_raw)
            a = _moved(a_raw, a_last) if skipped else _day(a_raw)
            steps.say(
                N_(
                    "Month end: two readings exist. (A) same day of the month as the starting point, then the day "
                    "after: {a}. (B) same day of the month as the day after the starting point, capped at the "
                    "month's end: {b}."
                ),
                a=a,
                b=b,
            )
            if b_last == a_last:
                steps.say(N_("After rolling, both readings give the same last day: {day}."), day=_day(a_last))
            else:
                last, later = min(a_last, b_last), max(a_last, b_last)
                result.arguable = later
                flag = _flag(
                    "month_end_ambiguity",
                    N_("Month end: no decision settles the readings; meet {last} (the earlier); {later} is arguable."),
                    last=_day(last),
                    later=_day(later),
                )
                result.flags.append(flag)
                steps.add(flag.message_fr, flag.message_en)
    result.nominal, result.last = nominal, last
    _local_extension(last, seat, steps, result)
    result.closing_fr, result.closing_en = _both(
        N_("Last day to act: {day}, before midnight Paris time (Télérecours time stamp)."), day=_day(last)
    )


def _moved(day: date, rolled: date) -> Both:
    """ "lundi 4 mai 2020, reporté au mardi 5 mai 2020" / "…, moved to …"."""
    return _both(N_("{day}, moved to {rolled}"), day=_day(day), rolled=_day(rolled))


def _local_extension(last: date, seat: str, steps: _Steps, result: _Result) -> None:
    if not hol.local_only_holiday(last, seat):
        return
    extension = hol.next_working_day(last, seat, include_local=True)
    holiday = hol.holiday_info(last, seat)
    assert holiday is not None  # a local holiday is a holiday
    seat_info = hol.SEATS[seat]
    flag = _flag(
        "local_holiday_extension",
        N_(
            "{day} is a local holiday only ({holiday}, {seat}): an extension on that ground is not established. "
            "Meet {day}; possible extension to {extension}."
        ),
        day=_day(last),
        holiday=(holiday.name("fr"), holiday.name("en")),
        seat=(seat_info.name_fr, seat_info.name_en),
        extension=_day(extension),
    )
    result.local_extension = extension
    result.flags.append(flag)
    steps.add(flag.message_fr, flag.message_en)


def _birth(rule: DeadlineRule, trig: date, length: int, seat: str, steps: _Steps, result: _Result) -> None:
    born = _add(trig, length, rule.unit)
    values: dict[str, str | Both] = {
        "duration": _of(length, rule.unit),
        "basis": rule.legal_basis,
        "day": _day(born),
        "capped": _capped_note(trig.day, born) if rule.unit == "months" else "",
    }
    if hol.is_non_working(born, seat, include_local=True):
        steps.say(
            N_(
                "Silence {duration} ({basis}): implicit decision born on {day}{capped} — the anniversary date, never "
                "moved; it is {reason}, not moved."
            ),
            reason=_reason(born, seat),
            **values,
        )
    else:
        steps.say(
            N_(
                "Silence {duration} ({basis}): implicit decision born on {day}{capped} — the anniversary date, never "
                "moved."
            ),
            **values,
        )
    result.nominal = result.last = born


def _fixed(rule: DeadlineRule, day: date, steps: _Steps, result: _Result) -> None:
    steps.add(f"{rule.note_fr} ({rule.legal_basis})", f"{rule.note_en} ({rule.legal_basis})")
    result.nominal = result.last = day
    result.closing_fr, result.closing_en = _both(
        N_("Date to meet: {day}; a date that was set is never moved."), day=_day(day)
    )


def _calendar(
    rule: DeadlineRule, trig: date, length: int, extra: int, residence: str, seat: str, steps: _Steps, result: _Result
) -> None:
    anniversary = _add(trig, length + extra, rule.unit)
    steps.say(
        N_("{phrase}: anniversary on {day}{capped}."),
        phrase=_length_phrase(rule, length, extra, residence),
        day=_day(anniversary),
        capped=_capped_note(trig.day, anniversary) if rule.unit == "months" else "",
    )
    safe = anniversary - _ONE_DAY
    steps.say(
        N_(
            "Whether this delay is clear (franc) is disputed: safe day, the day before the anniversary, not moved: "
            "{day}."
        ),
        day=_day(safe),
    )
    franc_raw = anniversary + _ONE_DAY
    arguable, skipped = _roll(franc_raw, seat)
    shown = _day(franc_raw)
    if skipped:
        (moved_fr, moved_en), (note_fr, note_en) = _moved(franc_raw, arguable), _holiday_note(skipped, seat)
        shown = (moved_fr + note_fr, moved_en + note_en)
    steps.say(N_("Clear (franc) reading, arguable: the day after the anniversary, {day}."), day=shown)
    result.nominal, result.last, result.arguable = anniversary, safe, arguable
    result.closing_fr, result.closing_en = _both(
        N_("Date to meet: {day} (arguable: {arguable})."), day=_day(safe), arguable=_day(arguable)
    )


def _before(rule: DeadlineRule, hearing: date, length: int, urgent_used: bool, steps: _Steps, result: _Result) -> None:
    if rule.counting == "franc":
        closing = hearing - timedelta(days=length)
        last = closing - _ONE_DAY
        day_before = hearing - _ONE_DAY
        steps.say(
            N_(
                "{rule} {days} clear before the hearing ({basis}), absent a closing order: neither the hearing day "
                "nor the closing day counts, and the {days} before the hearing, {closing} to {day_before}, must stay "
                "whole. The investigation therefore closes on {closing} at 0:00 (Paris time)."
            ),
            rule=(rule.label_fr, rule.label_en),
            days=_duration(length, "days"),
            basis=rule.legal_basis,
            closing=_day(closing),
            day_before=_day(day_before),
        )
        result.nominal, result.last = closing, last
        result.due_at = datetime.combine(closing, time(0), tzinfo=PARIS)
        result.closing_fr, result.closing_en = _both(
            N_("Last day to file: {day}, before midnight Paris time; no rolling for a time limit counted backwards."),
            day=_day(last),
        )
        return
    latest = hearing - timedelta(days=length)
    if urgent_used:
        msgid = N_("{rule}: at least {days} before the hearing ({basis}, urgent case): on {day} at the latest.")
    else:
        msgid = N_("{rule}: at least {days} before the hearing ({basis}): on {day} at the latest.")
    steps.say(
        msgid,
        rule=(rule.label_fr, rule.label_en),
        days=_duration(length, "days"),
        basis=rule.legal_basis,
        day=_day(latest),
    )
    result.nominal = result.last = latest


def _hours(rule: DeadlineRule, trigger_at: datetime | None, length: int, steps: _Steps, result: _Result) -> None:
    if trigger_at is None:
        raise InvalidInput(
            _("This time limit counts in hours: give the time of the starting event too."), field="trigger"
        )
    due = (trigger_at.astimezone(UTC) + timedelta(hours=length)).astimezone(PARIS)
    steps.say(
        N_("Time limit {duration} ({basis}), counted from hour to hour, not clear: ends on {due}."),
        duration=_of(length, "hours"),
        basis=rule.legal_basis,
        due=(format_datetime(due, "fr"), format_datetime(due, "en")),
    )
    result.nominal = result.last = due.date()
    result.due_at = due
