"""The marks of cases taken offline (the table ``checkouts``): read, set and cleared, each change one transaction with
its history event ("checkout", "checkin").

A mark is this database's own bookkeeping: it says to colleagues that someone took the case to a laptop, by whom and
when; it locks nothing and never travels in a bundle. ``services.checkouts`` takes cases offline and brings them
back with these functions; ``services.bundles.apply`` calls ``clear_if_brought_back`` after every import, so that
the laptop's bundle imported the ordinary way clears the mark too. (The actions are in ``checkouts``, the
bookkeeping here, so that ``bundles`` can use it without an import cycle.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from caseapp.casefile.loaders import offline_marks
from caseapp.casefile.uow import UnitOfWork, reading
from caseapp.casefile.views import TakenOffline
from caseapp.errors import InvalidInput, NotFound
from caseapp.i18n import _, current_language
from caseapp.store import models as m

if TYPE_CHECKING:
    from caseapp.casefile.core import Core

ENTITY = "checkout"  # the history's name for these events (no record kind: the merge of bundles ignores them)
CHECKOUT = "checkout"
CHECKIN = "checkin"


class TakenAlready(InvalidInput):
    """The case is already taken offline: taking it again is done only knowingly (``again``)."""

    def __init__(self, mark: TakenOffline) -> None:
        super().__init__(
            _("This case is already taken offline by {who} since {when}: nothing was done.").format(
                who=mark.taken_by, when=moment(mark)
            )
        )
        self.mark = mark


def moment(mark: TakenOffline, lang: str | None = None) -> str:
    """When the case was taken, in Paris time, in words ("Tuesday 3 March 2026 at 14:30")."""
    from caseapp.dates import format_datetime

    return format_datetime(mark.taken_at, lang or current_language())


def describe(mark: TakenOffline, lang: str | None = None) -> str:
    """The line colleagues read: "Taken offline by Alice on Tuesday 3 March 2026 at 14:30"."""
    return _("Taken offline by {who} on {when}").format(who=mark.taken_by, when=moment(mark, lang))


def mark_of(core: Core, case_id: uuid.UUID) -> TakenOffline | None:
    """The case's mark, or None when it is not taken offline from this database."""
    with reading(core) as session:
        return offline_marks(session, [case_id]).get(case_id)


def marks(core: Core) -> dict[uuid.UUID, TakenOffline]:
    """Every case taken offline from this database, by case."""
    with reading(core) as session:
        return offline_marks(session)


def take(core: Core, case_id: uuid.UUID, bundle_name: str | None, *, again: bool = False) -> TakenOffline:
    """Mark the case as taken offline now by this person (one "checkout" event in the same transaction). A case
    already taken is taken again only with ``again`` (the mark is then replaced)."""
    with UnitOfWork(core) as uow:
        case = uow.session.get(m.Case, case_id)
        if case is None:
            raise NotFound(_("No case with the identifier {id}.").format(id=case_id))
        existing = uow.session.scalar(select(m.Checkout).where(m.Checkout.case_id == case_id))
        previous = (
            TakenOffline(case_id, existing.taken_by, existing.taken_at, existing.bundle_name) if existing else None
        )
        if previous is not None and not again:
            raise TakenAlready(previous)
        now = datetime.now(UTC)
        name = (bundle_name or "")[:255] or None
        if existing is None:
            uow.session.add(m.Checkout(case_id=case_id, taken_by=core.author, taken_at=now, bundle_name=name))
        else:
            existing.taken_by, existing.taken_at, existing.bundle_name = core.author, now, name
        changes: dict[str, object] = {"taken_by": core.author, "taken_at": now.isoformat(), "bundle": name}
        if previous is not None:
            changes["previously"] = {"taken_by": previous.taken_by, "taken_at": previous.taken_at.isoformat()}
        uow.audit(
            CHECKOUT,
            ENTITY,
            case_id,
            _("Case taken offline by {who} ({file})").format(who=core.author, file=name or "—"),
            case_id=case_id,
            changes=changes,
        )
        uow.commit()
        return TakenOffline(case_id, core.author, now, name)


def clear(
    core: Core,
    case_id: uuid.UUID,
    *,
    exported_by: str | None = None,
    exported_at: datetime | None = None,
    only_if: Callable[[TakenOffline], bool] | None = None,
) -> TakenOffline | None:
    """Remove the case's mark (one "checkin" event in the same transaction); the mark removed, or None when the case
    was not taken offline (or ``only_if`` said no, read in the same transaction). ``exported_by``/``exported_at``
    name the bundle that brought it back, for the history."""
    with UnitOfWork(core) as uow:
        existing = uow.session.scalar(select(m.Checkout).where(m.Checkout.case_id == case_id))
        if existing is None:
            return None
        mark = TakenOffline(case_id, existing.taken_by, existing.taken_at, existing.bundle_name)
        if only_if is not None and not only_if(mark):
            return None
        uow.session.delete(existing)
        changes: dict[str, object] = {"taken_by": mark.taken_by, "taken_at": mark.taken_at.isoformat()}
        if exported_by is not None:
            changes["exported_by"] = exported_by
        if exported_at is not None:
            changes["exported_at"] = exported_at.isoformat()
        uow.audit(
            CHECKIN,
            ENTITY,
            case_id,
            _("Case brought back (taken offline by {who})").format(who=mark.taken_by),
            case_id=case_id,
            changes=changes,
        )
        uow.commit()
        return mark


def brought_back(mark: TakenOffline, exported_by: str, exported_at: datetime) -> bool:
    """Whether a bundle is the laptop's copy coming back: written after the case was taken, by whoever took it."""
    return exported_by == mark.taken_by and exported_at > mark.taken_at


def clear_if_brought_back(
    core: Core, case_id: uuid.UUID, exported_by: str, exported_at: datetime
) -> TakenOffline | None:
    """After an import: clear the case's mark when the bundle imported is the laptop's copy (``brought_back``);
    the mark cleared, or None."""
    if mark_of(core, case_id) is None:  # the usual import: no write at all
        return None
    return clear(
        core,
        case_id,
        exported_by=exported_by,
        exported_at=exported_at,
        only_if=lambda mark: brought_back(mark, exported_by, exported_at),
    )
