"""What an action changed, for the window and the command line (see ``caseapp.casefile.changes``)."""

from __future__ import annotations

from caseapp.casefile.changes import Changed, tracking
from caseapp.casefile.views import Changes

__all__ = ["Changed", "Changes", "everything", "tracking"]


def everything(case_id: object = None) -> Changes:
    """Every kind of record, of one case (or of all): what screens reload when someone else's change is shown."""
    import uuid

    from caseapp.casefile.kinds import BY_ENTITY

    case_ids = frozenset({case_id}) if isinstance(case_id, uuid.UUID) else frozenset()
    return Changes(frozenset(BY_ENTITY), case_id if isinstance(case_id, uuid.UUID) else None, case_ids)
