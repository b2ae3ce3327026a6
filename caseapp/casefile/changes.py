"""What an action changed: the kinds of records and the cases its transactions touched, collected as they commit.

Every unit of work reports, when it commits, the kinds of records its history events are about and the cases
they belong to. ``tracking()`` collects those reports for whatever runs inside it on this thread — one service
call, or a batch of them — so a caller learns what changed from the changes themselves, never from a list typed
by hand.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from caseapp.casefile.views import Changes

_local = threading.local()


@dataclass
class Changed:
    """What the transactions run so far have changed (it grows as they commit)."""

    kinds: set[str] = field(default_factory=set)
    case_ids: set[uuid.UUID] = field(default_factory=set)

    def as_changes(self, case_id: uuid.UUID | None = None) -> Changes:
        """The read model the screens receive; ``case_id`` defaults to the one case touched, if there is one."""
        if case_id is None and len(self.case_ids) == 1:
            case_id = next(iter(self.case_ids))
        return Changes(frozenset(self.kinds), case_id, frozenset(self.case_ids))

    def __bool__(self) -> bool:
        return bool(self.kinds)


@contextmanager
def tracking() -> Iterator[Changed]:
    """Collect what the transactions committed inside the block (on this thread) changed."""
    seen = Changed()
    stack: list[Changed] = getattr(_local, "stack", None) or []
    _local.stack = stack
    stack.append(seen)
    try:
        yield seen
    finally:
        stack.remove(seen)


def committed(kinds: Iterable[str], case_ids: Iterable[uuid.UUID | None]) -> None:
    """Called by a unit of work once it has committed."""
    for seen in getattr(_local, "stack", ()):
        seen.kinds.update(kinds)
        seen.case_ids.update(case_id for case_id in case_ids if case_id is not None)
