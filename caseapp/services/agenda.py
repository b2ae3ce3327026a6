"""The agenda: what is coming across all cases — hearings and open deadlines, overdue ones first — and the
cases that have nothing coming (no next hearing, no open deadline), which deserve a look.

Not every deadline's date is a last day to act (``DeadlineView.date_kind``): the day an implicit decision is born
and the court's own duty (sending the hearing notice) are never overdue, and are said as what they are
(``date_phrase``) wherever a deadline is shown to people: the agenda, ``caseapp show``, the calendar export and
the documents.
"""

from __future__ import annotations

from datetime import date

# The agenda's read models, and its one implementation, read with Core (``casefile.core_reads``): the window,
# ``caseapp agenda``, the reminders and the calendar read the same.
from caseapp.casefile.agenda_model import ACTIVE as ACTIVE
from caseapp.casefile.agenda_model import PARIS as PARIS
from caseapp.casefile.agenda_model import Agenda as Agenda
from caseapp.casefile.agenda_model import AgendaItem as AgendaItem
from caseapp.casefile.core import Core


def agenda(
    core: Core, *, days: int = 60, overdue_days: int = 90, limit: int = 500, today: date | None = None
) -> Agenda:
    """Hearings from today and open deadlines up to ``days`` ahead; open deadlines overdue by up to
    ``overdue_days`` come first, and the older ones are counted (a case file kept for years would otherwise
    bury this week under every deadline never marked done)."""
    from caseapp.casefile import core_reads

    return core_reads.agenda(core, days=days, overdue_days=overdue_days, limit=limit, today=today)
