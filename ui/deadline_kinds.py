"""What a deadline's date is, for people: a last day to act, the day an implicit decision is born, the court's own
duty, or the close of the investigation (``DeadlineView.date_kind``).

Only a last day to act (and the close of the investigation, after which nothing more can be filed) is the user's
task: it is the one shown bold and "overdue" once past. A birth is never a last day — it is shown as "Implicit
decision born on …" — and the court's duty (sending the hearing notice) is not the user's overdue task.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from caseapp.i18n import _

ACT = "act"
BIRTH = "birth"
COURT = "court"
CLOSING = "closing"
EXPECTED = "expected"  # an authority's answer expected by then (the CADA's opinion)
USERS_TASKS = (ACT, CLOSING)


def date_kind_of(record: Any) -> str:
    """The date kind of a deadline read model, or of an agenda item (which may carry it or hold its deadline)."""
    kind = getattr(record, "date_kind", None)
    if kind:
        return str(kind)
    deadline = getattr(record, "deadline", None)
    return str(getattr(deadline, "date_kind", None) or ACT)


def is_users_task(record: Any) -> bool:
    return date_kind_of(record) in USERS_TASKS


def is_overdue(record: Any, due_on: date, today: date) -> bool:
    """Past and still the user's to do (a birth or the court's duty is never overdue)."""
    return is_users_task(record) and due_on < today


def born_on(day: str) -> str:
    """ "Implicit decision born on {day}" with the day already formatted."""
    return _("Implicit decision born on {day}").format(day=day)


def titled(record: Any, title: str, day: str) -> str:
    """A deadline's title as a list shows it: a birth says so with its day; the court's duty says whose it is."""
    kind = date_kind_of(record)
    if kind == BIRTH:
        return f"{born_on(day)} — {title}"
    if kind == COURT:
        return _("For the court: {title}").format(title=title)
    if kind == EXPECTED:
        return _("Answer expected by {day}").format(day=day) + f" — {title}"
    return title
