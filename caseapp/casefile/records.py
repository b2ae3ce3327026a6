"""The create / edit / delete pattern shared by every kind of record that belongs to a case.

Each kind declares its model, form, how to describe a record in the history and how to index it for search;
the three operations below then give every kind the same guarantees: validation before anything is written,
a version check against stale edits, one transaction with its audit event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from caseapp.casefile import fields as f
from caseapp.casefile import loaders
from caseapp.casefile.core import Core
from caseapp.casefile.kinds import RecordKind
from caseapp.casefile.search import created_here, unindex
from caseapp.casefile.uow import UnitOfWork
from caseapp.errors import InvalidInput
from caseapp.i18n import _
from caseapp.store import models as m

Hook = Callable[[UnitOfWork, Any], None]
R = TypeVar("R", bound=m.Record)


def get_or_404(session: Session, model: type[R], record_id: uuid.UUID, what: str) -> R:
    """The record of ``model`` with this id, or ``NotFound`` (``loaders.get_or_404``, typed by the model asked for)."""
    record = loaders.get_or_404(session, model, record_id, what)
    assert isinstance(record, model)  # the session returns an instance of the model asked for
    return record


@dataclass(frozen=True)
class Kind:
    """A kind of record (its ``description``, said once in ``caseapp.casefile.kinds``) with the business rules the
    services attach to it: ``checks`` run after the values are set, before the flush; ``after`` runs after the
    flush, inside the same transaction (deadlines follow their event, for instance)."""

    description: RecordKind
    checks: tuple[Hook, ...] = field(default=())
    after: tuple[Hook, ...] = field(default=())

    @property
    def entity(self) -> str:
        return self.description.entity

    @property
    def label(self) -> str:
        return self.description.label

    @property
    def model(self) -> Any:
        return self.description.model

    @property
    def form(self) -> f.Form:
        return self.description.form

    def describe(self, record: Any) -> str:
        return self.description.describe(record)

    def case_of(self, session: Session, record: Any) -> uuid.UUID | None:
        return self.description.case_of(session, record)

    @property
    def index(self) -> Callable[[Session, Any], None] | None:
        return self.description.index


def require_case(session: Session, case_id: uuid.UUID | None) -> None:
    if case_id is None or session.get(m.Case, case_id) is None:
        raise InvalidInput(_("The case does not exist (it may have been deleted)."), field="case_id")


def _run(uow: UnitOfWork, hooks: tuple[Hook, ...], record: Any) -> None:
    with uow.session.no_autoflush:
        for hook in hooks:
            hook(uow, record)


def create(
    core: Core, kind: Kind, values: dict[str, Any], *, record_id: uuid.UUID | None = None, **fixed: Any
) -> uuid.UUID:
    """Validate and insert a record, in its own transaction. ``record_id`` fixes its identifier (example data,
    bundles, an undone deletion)."""
    cleaned = kind.form.clean(values)
    with UnitOfWork(core) as uow:
        record_id = insert(uow, kind, cleaned, record_id=record_id, **fixed)
        uow.commit()
        return record_id


def insert(
    uow: UnitOfWork, kind: Kind, cleaned: dict[str, Any], *, record_id: uuid.UUID | None = None, **fixed: Any
) -> uuid.UUID:
    """Insert a record with values already cleaned by its form, inside a unit of work that may do more (an action
    made of several records is still one transaction)."""
    if "case_id" in fixed:
        require_case(uow.session, fixed["case_id"])
    record = kind.model(id=record_id or uuid.uuid4(), **fixed, **cleaned)
    uow.session.add(record)
    created_here(uow.session, record.id)
    _run(uow, kind.checks, record)
    uow.flush()
    if kind.index:
        kind.index(uow.session, record)
    _run(uow, kind.after, record)
    uow.audit(
        "create",
        kind.entity,
        record.id,
        _("{what} added: {description}").format(what=_(kind.label).capitalize(), description=kind.describe(record)),
        case_id=kind.case_of(uow.session, record),
        changes={k: f.stored(v) for k, v in (fixed | cleaned).items() if v is not None},
    )
    return record.id  # type: ignore[no-any-return]


def update(
    core: Core, kind: Kind, record_id: uuid.UUID, values: dict[str, Any], *, expected_version: int | None
) -> uuid.UUID:
    with UnitOfWork(core) as uow:
        if change(uow, kind, record_id, values, expected_version=expected_version):
            uow.commit()
        return record_id


def change(
    uow: UnitOfWork, kind: Kind, record_id: uuid.UUID, values: dict[str, Any], *, expected_version: int | None
) -> bool:
    """Edit a record inside a unit of work; False when nothing changed."""
    record = get_or_404(uow.session, kind.model, record_id, kind.label)
    f.check_version(record, expected_version, kind.label)
    diff = kind.form.apply(record, values)
    if not diff:
        return False
    _run(uow, kind.checks, record)
    uow.flush()
    if kind.index:
        kind.index(uow.session, record)
    _run(uow, kind.after, record)
    uow.audit(
        "update",
        kind.entity,
        record.id,
        _("{what} edited: {description}").format(what=_(kind.label).capitalize(), description=kind.describe(record)),
        case_id=kind.case_of(uow.session, record),
        changes=diff,
    )
    return True


def delete(
    core: Core,
    kind: Kind,
    record_id: uuid.UUID,
    *,
    expected_version: int | None,
    before: Hook | None = None,
    after: Hook | None = None,
) -> uuid.UUID | None:
    """Delete a record; returns the case it belonged to. ``before`` and ``after`` run in the same transaction."""
    with UnitOfWork(core) as uow:
        record = get_or_404(uow.session, kind.model, record_id, kind.label)
        f.check_version(record, expected_version, kind.label)
        case_id = kind.case_of(uow.session, record)
        description = kind.describe(record)
        if before is not None:
            before(uow, record)
        if kind.index:
            unindex(uow.session, kind.entity, [record.id])
        uow.session.delete(record)
        if after is not None:
            uow.flush()
            after(uow, record)
        uow.audit(
            "delete",
            kind.entity,
            record_id,
            _("{what} deleted: {description}").format(what=_(kind.label).capitalize(), description=description),
            case_id=case_id,
        )
        uow.commit()
        return case_id
