"""When a decision or a document put on Télérecours counts as notified (CJA R611-8-6, applied to decisions by
R751-4-1).

The party is deemed to have received it on the day it first consulted it in the application, or, failing a
consultation within two working days of it being made available, at the end of those two days. When the judge
must rule within a month or less (a référé-liberté: 48 hours), it is deemed received as soon as it is made
available. Working days ("jours ouvrés") are Monday to Friday except public holidays of the court's seat; the
day it is made available does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from caseapp.dates import format_date
from caseapp.domain import holidays_fr as hol
from caseapp.errors import InvalidInput
from caseapp.i18n import _

WORKING_DAYS = 2


@dataclass(frozen=True, slots=True)
class DeemedNotification:
    """The day a document made available on Télérecours counts as notified (``notified_on``), with the steps that
    explain it in both languages."""

    available_on: date
    consulted_on: date | None
    notified_on: date
    steps_fr: tuple[str, ...]
    steps_en: tuple[str, ...]


def _working_days_after(day: date, count: int, seat: str) -> date:
    current = day
    counted = 0
    while counted < count:
        current += timedelta(days=1)
        if current.weekday() < 5 and not hol.is_holiday(current, seat):
            counted += 1
    return current


def deemed_notification(
    available_on: date, consulted_on: date | None = None, *, seat: str = hol.METROPOLE, immediate: bool = False
) -> DeemedNotification:
    """The date a document made available on Télérecours on ``available_on`` counts as notified.

    ``consulted_on``: the first consultation certified by the application, if any. ``immediate``: the judge must
    rule within a month or less, so the document counts as received when made available.
    """
    if consulted_on is not None and consulted_on < available_on:
        raise InvalidInput(_("A document cannot be consulted before it was made available."), field="consulted_on")
    seat = seat if seat in hol.SEATS else hol.normalize_seat(seat)
    fr = [f"Mise à disposition dans Télérecours le {format_date(available_on, 'fr')}."]
    en = [f"Made available in Télérecours on {format_date(available_on, 'en')}."]
    if immediate:
        fr.append(
            "Le juge doit statuer dans un délai d'un mois au plus : la notification est réputée reçue dès la mise "
            "à disposition (CJA R611-8-6 al. 2)."
        )
        en.append(
            "The judge must rule within a month or less: the notification counts as received as soon as it is "
            "made available (CJA R611-8-6 para. 2)."
        )
        return DeemedNotification(available_on, consulted_on, available_on, tuple(fr), tuple(en))
    limit = _working_days_after(available_on, WORKING_DAYS, seat)
    if consulted_on is not None and consulted_on <= limit:
        fr.append(
            f"Première consultation le {format_date(consulted_on, 'fr')}, dans les deux jours ouvrés : "
            "notification réputée reçue ce jour-là (CJA R611-8-6)."
        )
        en.append(
            f"First consulted on {format_date(consulted_on, 'en')}, within two working days: the notification "
            "counts as received that day (CJA R611-8-6)."
        )
        notified = consulted_on
    else:
        why_fr = "pas de consultation" if consulted_on is None else "première consultation plus tardive"
        why_en = "not consulted" if consulted_on is None else "first consulted later"
        fr.append(
            f"{why_fr.capitalize()} dans les deux jours ouvrés : notification réputée reçue à l'issue de ce délai, "
            f"le {format_date(limit, 'fr')} (CJA R611-8-6)."
        )
        en.append(
            f"{why_en.capitalize()} within two working days: the notification counts as received when they end, "
            f"on {format_date(limit, 'en')} (CJA R611-8-6)."
        )
        notified = limit
    return DeemedNotification(available_on, consulted_on, notified, tuple(fr), tuple(en))
