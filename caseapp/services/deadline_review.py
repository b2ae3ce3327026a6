"""When the deadline rules or the route matrix change (a new version of CaseApp), existing cases follow — but only
once the user has seen what would change, case by case and deadline by deadline.

The case file records the fingerprint of the rules its deadlines were computed with (``app_state``). A new
version with other rules finds a different fingerprint: ``preview_recompute`` computes every deadline again
inside a transaction that is rolled back, and lists what would be added, changed and removed; ``apply_recompute``
does it for real only if the result is still the one the user approved (its ``token``). Done, missed and
cancelled deadlines are never changed; a deadline overridden by hand keeps its date, and the preview says when
its computed date would move.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select

from caseapp.casefile.core import Core
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.domain.deadline_rules import RULES
from caseapp.domain.fingerprint import STATE_KEY, rules_fingerprint
from caseapp.errors import Conflict
from caseapp.i18n import _, current_language
from caseapp.services.deadline_bulk import resync_everything
from caseapp.services.deadline_events import DeadlineChange
from caseapp.store import models as m


def rules_changed(core: Core) -> bool:
    """True when this case file's deadlines were computed with other rules than this CaseApp's. A case file with
    no computed deadline simply takes the current rules."""
    current = rules_fingerprint()
    with reading(core) as session:
        stored = session.scalar(select(m.AppState.value).where(m.AppState.key == STATE_KEY))
        if stored == current:
            return False
        if stored is None:
            computed = session.scalar(
                select(func.count()).select_from(m.Deadline).where(m.Deadline.rule_id.is_not(None))
            )
            if not computed:
                _record(core, current)
                return False
    return True


def _record(core: Core, fingerprint: str) -> None:
    with UnitOfWork(core) as uow:
        _store(uow, fingerprint)
        uow.commit()


def _store(uow: UnitOfWork, fingerprint: str) -> None:
    state = uow.session.get(m.AppState, STATE_KEY)
    if state is None:
        uow.session.add(m.AppState(key=STATE_KEY, value=fingerprint))
    else:
        state.value = fingerprint


@dataclass(frozen=True)
class CaseChanges:
    """What recomputing the deadlines changes in one case (``case_id`` None: deadlines of no case), in date order."""

    case_id: uuid.UUID | None
    case_title: str
    changes: tuple[DeadlineChange, ...]


@dataclass(frozen=True)
class RecomputePreview:
    """What recomputing every deadline would add, change and remove, case by case (or did, once applied);
    ``rules_changed``: the rules differ from those the deadlines were computed with."""

    cases: tuple[CaseChanges, ...]
    added: int
    changed: int
    removed: int
    token: str  # what the user approves: ``apply_recompute`` refuses if the result is no longer this
    rules_changed: bool

    @property
    def total(self) -> int:
        return self.added + self.changed + self.removed


def _token(changes: list[DeadlineChange]) -> str:
    key = sorted((c.action, str(c.case_id), c.rule_id or "", str(c.old_due), str(c.new_due), c.title) for c in changes)
    return hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:16]


def _preview(core: Core, changes: list[DeadlineChange], rules_moved: bool) -> RecomputePreview:
    ids = {c.case_id for c in changes if c.case_id is not None}
    with reading(core) as session:
        titles = dict(session.execute(select(m.Case.id, m.Case.title).where(m.Case.id.in_(ids))).all()) if ids else {}
    grouped: dict[uuid.UUID | None, list[DeadlineChange]] = {}
    lang = current_language()
    for change in changes:
        rule = RULES.get(change.rule_id or "")
        if rule is not None:  # named in the reader's language, like every rule deadline
            change = replace(change, title=rule.label(lang))
        grouped.setdefault(change.case_id, []).append(change)
    cases = tuple(
        CaseChanges(
            case_id,
            titles.get(case_id, _("(no case)")) if case_id else _("(no case)"),
            tuple(sorted(items, key=lambda c: (c.new_due or c.old_due or date.min, c.title))),
        )
        for case_id, items in sorted(grouped.items(), key=lambda kv: titles.get(kv[0], "") if kv[0] else "")
    )
    return RecomputePreview(
        cases=cases,
        added=sum(c.action == "add" for c in changes),
        changed=sum(c.action == "change" for c in changes),
        removed=sum(c.action == "remove" for c in changes),
        token=_token(changes),
        rules_changed=rules_moved,
    )


def preview_recompute(core: Core) -> RecomputePreview:
    """What recomputing every deadline would add, change and remove — nothing is written."""
    moved = rules_changed(core)
    changes: list[DeadlineChange] = []
    with UnitOfWork(core) as uow, uow.session.no_autoflush:
        resync_everything(uow, report=changes)
        # leaving without commit rolls everything back
    return _preview(core, changes, moved)


def apply_recompute(core: Core, token: str) -> RecomputePreview:
    """Recompute every deadline, as previewed with ``token``; refuse if the result would differ from what the
    user approved (someone changed a case meanwhile). Records the rules the deadlines now follow."""
    changes: list[DeadlineChange] = []
    with UnitOfWork(core) as uow:
        resync_everything(uow, report=changes)
        if _token(changes) != token:
            raise Conflict(
                _("The deadlines changed since the preview was made: look at the new preview before applying it.")
            )
        _store(uow, rules_fingerprint())
        uow.commit()
    return _preview(core, changes, False)
