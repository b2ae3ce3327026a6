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

The engine does no I/O and caches holiday calendars per (year, seat): tens of thousands of calls take well under
a second.
"""

from __future__ import annotations

from calendar import isleap
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from caseapp.dates import MONTHS_EN, MONTHS_FR, PARIS, format_date, format_datetime
from caseapp.domain import holidays_fr as hol
from caseapp.domain.deadline_rules import (
    CONFIDENCE_LABELS,
    TRIGGERS,
    DeadlineRule,
    get_rule,
    needs_verification,
)
from caseapp.errors import InvalidInput
from caseapp.i18n import _

# Extra months of CJA R421-7 by where the party lives. "overseas": in overseas France before a metropolitan court,
# or outside the territory of an overseas court; "abroad": outside France.
RESIDENCES: dict[str, int] = {"france": 0, "overseas": 1, "abroad": 2}

_ONE_DAY = timedelta(days=1)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DISTANCE_BASIS = {"appeal": "CJA R421-7, par renvoi de R811-5", "cassation": "CJA R421-7, par renvoi de R821-2"}
_DISTANCE_BASIS_EN = {"appeal": "CJA R421-7, via R811-5", "cassation": "CJA R421-7, via R821-2"}


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


_UNIT_FR = {"months": ("mois", "mois"), "days": ("jour", "jours"), "hours": ("heure", "heures")}
_UNIT_EN = {"months": ("month", "months"), "days": ("day", "days"), "hours": ("hour", "hours")}
_ONE_FR = {"months": "d'un mois", "days": "d'un jour", "hours": "d'une heure"}


def _duration(n: int, unit: str, lang: str) -> str:
    """ "2 mois", "15 jours" / "2 months", "1 day"."""
    words = _UNIT_FR[unit] if lang == "fr" else _UNIT_EN[unit]
    return f"{n} {words[0] if n == 1 else words[1]}"


def _of(n: int, unit: str) -> str:
    """French "de 2 mois" / "d'un mois" / "d'une heure"."""
    return _ONE_FR[unit] if n == 1 else f"de {_duration(n, unit, 'fr')}"


class _Steps:
    __slots__ = ("en", "fr")

    def __init__(self) -> None:
        self.fr: list[str] = []
        self.en: list[str] = []

    def add(self, fr: str, en: str) -> None:
        self.fr.append(fr)
        self.en.append(en)


def _roll(d: date, seat: str) -> tuple[date, list[date]]:
    skipped: list[date] = []
    while hol.is_non_working(d, seat):
        skipped.append(d)
        d += _ONE_DAY
    return d, skipped


def _reason(d: date, seat: str, lang: str) -> str:
    weekday = d.weekday()
    if weekday == 5:
        return "un samedi" if lang == "fr" else "a Saturday"
    if weekday == 6:
        return "un dimanche" if lang == "fr" else "a Sunday"
    info = hol.holiday_info(d, seat)
    name = info.name(lang) if info else "?"
    if info is not None and not info.national:
        name = f"{name}, {hol.SEATS[seat].name(lang)}"
    return f"férié ({name})" if lang == "fr" else f"a public holiday ({name})"


def _holiday_note(skipped: list[date], seat: str, lang: str) -> str:
    """ " (férié : …)" for the holidays among ``skipped`` (weekend days already show in the date)."""
    notes = [_reason(d, seat, lang) for d in skipped if d.weekday() < 5]
    return f" ({'; '.join(notes)})" if notes else ""


def _roll_step(steps: _Steps, skipped: list[date], rolled: date, seat: str) -> None:
    fr = "Le " + ", le ".join(
        f"{_fr(d)} {'est ' if i == 0 else ''}{_reason(d, seat, 'fr')}" for i, d in enumerate(skipped)
    )
    en = ", ".join(f"{_en(d)} {'is ' if i == 0 else ''}{_reason(d, seat, 'en')}" for i, d in enumerate(skipped))
    steps.add(f"{fr} → reporté au {_fr(rolled)} (CPC art. 642).", f"{en} → moved to {_en(rolled)} (CPC art. 642).")


def _capped_note(trigger_day: int, end: date) -> tuple[str, str]:
    if trigger_day <= end.day:
        return "", ""
    return (
        f" (le {trigger_day} n'existe pas en {MONTHS_FR[end.month - 1]} {end.year} : dernier jour du mois)",
        f" (there is no {MONTHS_EN[end.month - 1]} {trigger_day}, {end.year}: last day of the month)",
    )


# ---------------------------------------------------------------------------------------------------------------
# Flags

_TO_VERIFY = {
    level: Flag(
        "to_verify",
        f"À vérifier sur Légifrance : {fr}.",
        f"To verify on Légifrance: {en}.",
    )
    for level, (fr, en) in CONFIDENCE_LABELS.items()
}
_NO_ROUTES = Flag(
    "no_appeal_routes",
    "Voies et délais de recours non mentionnés (CJA R421-5) : le délai ne court pas ; délai raisonnable, en "
    "principe d'un an à compter de la connaissance de la décision (CE Ass. 13 juillet 2016, Czabaj, n° 387763).",
    "Routes and time limits of appeal not stated (CJA R421-5): the delay does not run; a reasonable time, in "
    "principle one year from knowledge of the decision, applies (CE Ass. 13 July 2016, Czabaj, no. 387763).",
)
_ROUTES_UNKNOWN = Flag(
    "no_appeal_routes",
    "Vérifier que la notification mentionnait les voies et délais de recours (CJA R421-5) : sinon le délai ne "
    "court pas.",
    "Check that the notification stated the routes and time limits of appeal (CJA R421-5): otherwise the delay "
    "does not run.",
)
_NO_ACK = Flag(
    "no_acknowledgement",
    "Accusé de réception absent ou incomplet (CRPA L112-6) : le délai ne court pas ; délai raisonnable, en principe "
    "d'un an à compter de la connaissance de la décision (CE Ass. 13 juillet 2016, Czabaj, n° 387763).",
    "No compliant acknowledgement of the request (CRPA L112-6): the delay does not run; a reasonable time, in "
    "principle one year from knowledge of the decision, applies (CE Ass. 13 July 2016, Czabaj, no. 387763).",
)
_ACK_UNKNOWN = Flag(
    "no_acknowledgement",
    "Vérifier que la demande a reçu un accusé de réception conforme (CRPA L112-6) : sinon le délai ne court pas.",
    "Check that the request got a compliant acknowledgement (CRPA L112-6): otherwise the delay does not run.",
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
        steps.add(event.step_fr.format(d=shown_fr), event.step_en.format(d=shown_en))
    else:
        steps.add(f"Point de départ : {shown_fr}.", f"Starting point: {shown_en}.")

    length = rule.length
    urgent_used = urgent and rule.urgent_length is not None
    if urgent_used:
        assert rule.urgent_length is not None
        length = rule.urgent_length
    extra = RESIDENCES[residence] if rule.distance_extension and rule.unit == "months" else 0
    if residence != "france" and not extra and rule.direction > 0 and rule.counting in ("franc", "calendar"):
        steps.add(
            "Pas d'augmentation pour distance : elle n'est appliquée qu'aux recours visés par CJA R421-7 "
            "(et R811-5, R821-2).",
            "No distance extension: it is applied only to the actions covered by CJA R421-7 (and R811-5, R821-2).",
        )

    # Does the delay run at all? (CJA R421-5, CRPA L112-6: only for time limits a party must meet.)
    checks: list[Flag] = []
    stops = False
    if rule.runs_against_party:
        if appeal_routes_stated is False:
            checks.append(_NO_ROUTES)
            stops = True
        elif appeal_routes_stated is None:
            checks.append(_ROUTES_UNKNOWN)
        if rule.acknowledgement_matters:
            if acknowledged is False:
                checks.append(_NO_ACK)
                stops = True
            elif acknowledged is None:
                checks.append(_ACK_UNKNOWN)

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
        if stops and flag in (_NO_ROUTES, _NO_ACK):
            steps.add(flag.message_fr + " Aucune date n'est calculée.", flag.message_en + " No date is computed.")
        else:
            steps.add(flag.message_fr, flag.message_en)
    if not stops and result.closing_fr:
        steps.add(result.closing_fr, result.closing_en)

    if needs_verification(rule):
        flag = _TO_VERIFY[rule.confidence]
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
def _length_phrase(rule: DeadlineRule, length: int, extra: int, residence: str) -> tuple[str, str]:
    fr = f"Délai {_of(length, rule.unit)} ({rule.legal_basis})"
    en = f"Time limit of {_duration(length, rule.unit, 'en')} ({rule.legal_basis})"
    if extra:
        who_fr = "demeurant outre-mer" if residence == "overseas" else "demeurant à l'étranger"
        who_en = "living overseas" if residence == "overseas" else "living abroad"
        by_fr = _of(extra, "months")
        fr += (
            f", augmenté {by_fr} pour une partie {who_fr} "
            f"({_DISTANCE_BASIS.get(rule.id, 'CJA R421-7')}), soit {_duration(length + extra, 'months', 'fr')}"
        )
        en += (
            f", extended by {_duration(extra, 'months', 'en')} for a party {who_en} "
            f"({_DISTANCE_BASIS_EN.get(rule.id, 'CJA R421-7')}): {_duration(length + extra, 'months', 'en')}"
        )
    return fr, en


def _add(trig: date, n: int, unit: str) -> date:
    return add_months(trig, n) if unit == "months" else trig + timedelta(days=n)


def _franc_after(
    rule: DeadlineRule, trig: date, length: int, extra: int, residence: str, seat: str, steps: _Steps, result: _Result
) -> None:
    total = length + extra
    nominal = _add(trig, total, rule.unit)
    phrase_fr, phrase_en = _length_phrase(rule, length, extra, residence)
    cap_fr, cap_en = _capped_note(trig.day, nominal) if rule.unit == "months" else ("", "")
    steps.add(
        f"{phrase_fr} : échéance nominale le {_fr(nominal)}{cap_fr}.",
        f"{phrase_en}: nominal end on {_en(nominal)}{cap_en}.",
    )
    a_raw = nominal + _ONE_DAY
    steps.add(f"Délai franc : le lendemain, {_fr(a_raw)}.", f"Clear (franc) delay: the day after, {_en(a_raw)}.")
    a_last, skipped = _roll(a_raw, seat)
    if skipped:
        _roll_step(steps, skipped, a_last, seat)
    last = a_last
    if rule.unit == "months" and trig.day >= 28:
        b_raw = add_months(trig + _ONE_DAY, total)
        if b_raw != a_raw:
            b_last, b_skipped = _roll(b_raw, seat)
            b_fr = f"{_fr(b_raw)}, reporté au {_fr(b_last)}" if b_skipped else _fr(b_raw)
            b_en = f"{_en(b_raw)}, moved to {_en(b_last)}" if b_skipped else _en(b_raw)
            a_fr = f"{_fr(a_raw)}, reporté au {_fr(a_last)}" if skipped else _fr(a_raw)
            a_en = f"{_en(a_raw)}, moved to {_en(a_last)}" if skipped else _en(a_raw)
            steps.add(
                "Fin de mois : deux lectures existent. (A) même quantième que le point de départ, puis le "
                f"lendemain : {a_fr}. (B) même quantième que le lendemain du point de départ, au plus tard "
                f"le dernier jour du mois : {b_fr}.",
                "Month end: two readings exist. (A) same day of the month as the starting point, then the day "
                f"after: {a_en}. (B) same day of the month as the day after the starting point, capped at "
                f"the month's end: {b_en}.",
            )
            if b_last == a_last:
                steps.add(
                    f"Après report, les deux lectures donnent le même dernier jour : {_fr(a_last)}.",
                    f"After rolling, both readings give the same last day: {_en(a_last)}.",
                )
            else:
                last, later = min(a_last, b_last), max(a_last, b_last)
                result.arguable = later
                flag = Flag(
                    "month_end_ambiguity",
                    f"Fin de mois : aucune décision ne tranche entre les lectures ; date à respecter {_fr(last)} "
                    f"(la plus précoce), date discutable {_fr(later)}.",
                    f"Month end: no decision settles the readings; meet {_en(last)} (the earlier); "
                    f"{_en(later)} is arguable.",
                )
                result.flags.append(flag)
                steps.add(flag.message_fr, flag.message_en)
    result.nominal, result.last = nominal, last
    _local_extension(last, seat, steps, result)
    result.closing_fr = f"Dernier jour pour agir : {_fr(last)}, avant minuit (heure de Paris, horodatage Télérecours)."
    result.closing_en = f"Last day to act: {_en(last)}, before midnight Paris time (Télérecours time stamp)."


def _local_extension(last: date, seat: str, steps: _Steps, result: _Result) -> None:
    if not hol.local_only_holiday(last, seat):
        return
    extension = hol.next_working_day(last, seat, include_local=True)
    name_fr = hol.holiday_name(last, seat, "fr")
    name_en = hol.holiday_name(last, seat, "en")
    seat_info = hol.SEATS[seat]
    flag = Flag(
        "local_holiday_extension",
        f"Le {_fr(last)} est férié localement seulement ({name_fr}, {seat_info.name_fr}) : la prorogation à ce "
        f"titre n'est pas établie. Date à respecter : {_fr(last)} ; prorogation possible au {_fr(extension)}.",
        f"{_en(last)} is a local holiday only ({name_en}, {seat_info.name_en}): an extension on that ground is "
        f"not established. Meet {_en(last)}; possible extension to {_en(extension)}.",
    )
    result.local_extension = extension
    result.flags.append(flag)
    steps.add(flag.message_fr, flag.message_en)


def _birth(rule: DeadlineRule, trig: date, length: int, seat: str, steps: _Steps, result: _Result) -> None:
    born = _add(trig, length, rule.unit)
    cap_fr, cap_en = _capped_note(trig.day, born) if rule.unit == "months" else ("", "")
    off_fr = off_en = ""
    if hol.is_non_working(born, seat, include_local=True):
        off_fr = f" ; c'est {_reason(born, seat, 'fr')}, sans report"
        off_en = f"; it is {_reason(born, seat, 'en')}, not moved"
    steps.add(
        f"Silence {_of(length, rule.unit)} ({rule.legal_basis}) : décision implicite née le "
        f"{_fr(born)}{cap_fr} — date anniversaire, jamais reportée{off_fr}.",
        f"Silence of {_duration(length, rule.unit, 'en')} ({rule.legal_basis}): implicit decision born on "
        f"{_en(born)}{cap_en} — the anniversary date, never moved{off_en}.",
    )
    result.nominal = result.last = born


def _fixed(rule: DeadlineRule, day: date, steps: _Steps, result: _Result) -> None:
    steps.add(f"{rule.note_fr} ({rule.legal_basis})", f"{rule.note_en} ({rule.legal_basis})")
    result.nominal = result.last = day
    result.closing_fr = f"Date à respecter : {_fr(day)} ; une date fixée n'est jamais reportée."
    result.closing_en = f"Date to meet: {_en(day)}; a date that was set is never moved."


def _calendar(
    rule: DeadlineRule, trig: date, length: int, extra: int, residence: str, seat: str, steps: _Steps, result: _Result
) -> None:
    anniversary = _add(trig, length + extra, rule.unit)
    phrase_fr, phrase_en = _length_phrase(rule, length, extra, residence)
    cap_fr, cap_en = _capped_note(trig.day, anniversary) if rule.unit == "months" else ("", "")
    steps.add(
        f"{phrase_fr} : date anniversaire le {_fr(anniversary)}{cap_fr}.",
        f"{phrase_en}: anniversary on {_en(anniversary)}{cap_en}.",
    )
    safe = anniversary - _ONE_DAY
    steps.add(
        f"Le caractère franc de ce délai est discuté : date sûre, la veille de l'anniversaire, sans report : "
        f"{_fr(safe)}.",
        f"Whether this delay is clear (franc) is disputed: safe day, the day before the anniversary, not moved: "
        f"{_en(safe)}.",
    )
    franc_raw = anniversary + _ONE_DAY
    arguable, skipped = _roll(franc_raw, seat)
    moved_fr = f", reporté au {_fr(arguable)}{_holiday_note(skipped, seat, 'fr')}" if skipped else ""
    moved_en = f", moved to {_en(arguable)}{_holiday_note(skipped, seat, 'en')}" if skipped else ""
    steps.add(
        f"Lecture franche, discutable : le lendemain de l'anniversaire, {_fr(franc_raw)}{moved_fr}.",
        f"Clear (franc) reading, arguable: the day after the anniversary, {_en(franc_raw)}{moved_en}.",
    )
    result.nominal, result.last, result.arguable = anniversary, safe, arguable
    result.closing_fr = f"Date à respecter : {_fr(safe)} (date discutable : {_fr(arguable)})."
    result.closing_en = f"Date to meet: {_en(safe)} (arguable: {_en(arguable)})."


def _before(rule: DeadlineRule, hearing: date, length: int, urgent_used: bool, steps: _Steps, result: _Result) -> None:
    if rule.counting == "franc":
        closing = hearing - timedelta(days=length)
        last = closing - _ONE_DAY
        day_before = hearing - _ONE_DAY
        steps.add(
            f"{rule.label_fr} {_duration(length, 'days', 'fr')} francs avant l'audience ({rule.legal_basis}), à "
            f"défaut d'ordonnance de clôture : ni le jour de l'audience ni celui de la clôture ne comptent, et les "
            f"{_duration(length, 'days', 'fr')} qui précèdent l'audience, du {_fr(closing)} au {_fr(day_before)}, "
            f"doivent rester entiers. L'instruction est donc close le {_fr(closing)} à 0 h (heure de Paris).",
            f"{rule.label_en} {_duration(length, 'days', 'en')} clear before the hearing ({rule.legal_basis}), "
            f"absent a closing order: neither the hearing day nor the closing day counts, and the "
            f"{_duration(length, 'days', 'en')} before the hearing, {_en(closing)} to {_en(day_before)}, must stay "
            f"whole. The investigation therefore closes on {_en(closing)} at 0:00 (Paris time).",
        )
        result.nominal, result.last = closing, last
        result.due_at = datetime.combine(closing, time(0), tzinfo=PARIS)
        result.closing_fr = (
            f"Dernier jour pour produire : {_fr(last)}, avant minuit (heure de Paris) ; pas de "
            "report pour un délai compté à rebours."
        )
        result.closing_en = (
            f"Last day to file: {_en(last)}, before midnight Paris time; no rolling for a time limit counted backwards."
        )
        return
    latest = hearing - timedelta(days=length)
    urgent_fr = ", en urgence" if urgent_used else ""
    urgent_en = ", urgent case" if urgent_used else ""
    steps.add(
        f"{rule.label_fr} : {_duration(length, 'days', 'fr')} au moins avant l'audience ({rule.legal_basis}"
        f"{urgent_fr}) : au plus tard le {_fr(latest)}.",
        f"{rule.label_en}: at least {_duration(length, 'days', 'en')} before the hearing ({rule.legal_basis}"
        f"{urgent_en}): on {_en(latest)} at the latest.",
    )
    result.nominal = result.last = latest


def _hours(rule: DeadlineRule, trigger_at: datetime | None, length: int, steps: _Steps, result: _Result) -> None:
    if trigger_at is None:
        raise InvalidInput(
            _("This time limit counts in hours: give the time of the starting event too."), field="trigger"
        )
    due = (trigger_at.astimezone(UTC) + timedelta(hours=length)).astimezone(PARIS)
    steps.add(
        f"Délai {_of(length, 'hours')} ({rule.legal_basis}), compté d'heure à heure, non franc : "
        f"échéance le {format_datetime(due, 'fr')}.",
        f"Time limit of {_duration(length, 'hours', 'en')} ({rule.legal_basis}), counted from hour to hour, not "
        f"clear: ends on {format_datetime(due, 'en')}.",
    )
    result.nominal = result.last = due.date()
    result.due_at = due
