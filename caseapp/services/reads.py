"""Reading with no ORM: the case list, one case, the search and the agenda (``caseapp.casefile.core_reads``).

The same results as ``services.cases.list_cases`` / ``get_case`` / ``resolve_case``, ``services.search.search``
and ``services.agenda.agenda``, without importing ``sqlalchemy.orm`` or mapping the models: what the commands that
only read and the window's first agenda use, so that they cost what their statements cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from caseapp.casefile.core_reads import (
    agenda,
    connected,
    count_cases,
    get_case,
    list_cases,
    resolve_case,
    search,
)
from caseapp.store import tables as t

if TYPE_CHECKING:
    from caseapp.casefile.core import Core


def rules_changed(core: Core) -> bool:
    """``services.deadline_review.rules_changed``, read without the ORM (the rare first record of the rules'
    fingerprint in a case file with no computed deadline is written by that function)."""
    from caseapp.domain.fingerprint import STATE_KEY, rules_fingerprint

    current = rules_fingerprint()
    with connected(core) as connection:
        stored = connection.scalar(select(t.app_state.c.value).where(t.app_state.c.key == STATE_KEY))
        if stored == current:
            return False
        computed = None
        if stored is None:
            computed = connection.scalar(
                select(func.count()).select_from(t.deadlines).where(t.deadlines.c.rule_id.is_not(None))
            )
    if stored is None and not computed:
        from caseapp.services import deadline_review

        return deadline_review.rules_changed(core)
    return True


__all__ = ["agenda", "count_cases", "get_case", "list_cases", "resolve_case", "rules_changed", "search"]
