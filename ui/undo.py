"""Undo and redo of edits: commands that call the services again with the old (or new) values.

Every command runs on the database worker like any other change, so undos happen in the order they were asked
for. A record's version is remembered after each call (``ctx.versions``), so an undo is still checked against
someone else's edit in between: if that happens the person chooses between their colleague's version ("Reload")
and their own ("Keep mine", "Delete anyway": the same command again, against the current version); after
"Reload", or a refusal, the undo history is cleared, since it no longer describes the data.

Records come back with their own identifiers (services accept ``record_id``), so redo after undo, and undo of a
delete, restore the very same record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QWidget

from ui.context import AppContext
from ui.operations.base import Retry, mutate, remember_version
from ui.operations.records import RecordKind, Values, changed_values
from ui.tasks import Failure, Work

if TYPE_CHECKING:
    from caseapp.services.core import Core

Done = Callable[[Any], None]


def _replaying(how: str, work: Work) -> Work:
    """``work`` as an undo or a redo: the history lines it writes say "Undo: …" / "Redo: …"."""

    def run(core: Core) -> Any:
        from caseapp.services.editing import replaying

        with replaying(how):
            return work(core)

    return run


class RecordCommand(QUndoCommand):
    def __init__(
        self,
        ctx: AppContext,
        text: str,
        *,
        case_id: uuid.UUID | None,
        do: Work,
        undo: Work,
        already_done: bool,
        on_done: Done | None = None,
        record_id: uuid.UUID | None = None,
        do_deletes: bool = False,
        undo_deletes: bool = False,
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._record_id = record_id  # the one record both directions check the version of (None: several)
        self._deletes = {"do": do_deletes, "undo": undo_deletes}
        self._case_id = case_id
        self._do = do
        self._undo = undo
        self._skip_first_redo = already_done
        self._ran = already_done  # the next redo() is a redo (not the action itself): its history line says so
        self._on_done = on_done

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            return
        work = _replaying("redo", self._do) if self._ran else self._do
        self._ran = True
        self._run(work, self._on_done, deleting=self._deletes["do"])
        self._on_done = None  # only the first run reports to whoever asked

    def undo(self) -> None:
        self._run(_replaying("undo", self._undo), None, deleting=self._deletes["undo"])

    def _run(self, work: Work, on_done: Done | None, *, deleting: bool) -> None:
        mutate(
            self._ctx,
            work,
            case_id=self._case_id,
            on_success=on_done,
            on_failure=self._failed,
            retry=self._retry(work),
            deleting=deleting,
            on_reload=self._ctx.undo.clear,
        )

    def _retry(self, work: Work) -> Retry | None:
        """The same work against the record's current version (it reads the version from ``ctx.versions``)."""
        record_id = self._record_id
        if record_id is None:
            return None
        versions = self._ctx.versions

        def against(version: int) -> Work:
            def run(core: Core) -> Any:
                versions[record_id] = version
                return work(core)

            return run

        return against

    def _failed(self, error: BaseException) -> None:
        self._ctx.errors.present(error)
        self._ctx.undo.clear()


def save_create(
    ctx: AppContext,
    kind: RecordKind,
    *,
    parent_id: uuid.UUID | None,
    case_id: uuid.UUID | None,
    values: Values,
    text: str,
    owner: QWidget | None,
    on_success: Done,
    on_failure: Failure,
) -> uuid.UUID:
    """Create a record now (errors go to ``on_failure``, e.g. the dialog) and make it undoable."""
    record_id = uuid.uuid4()

    def create(core: Core) -> Any:
        return remember_version(ctx, record_id, kind.create(core, parent_id, record_id, values))

    def delete(core: Core) -> Any:
        return kind.delete(core, record_id, ctx.versions.get(record_id))

    def created(view: Any) -> None:
        ctx.undo.push(
            RecordCommand(
                ctx,
                text,
                case_id=case_id,
                do=create,
                undo=delete,
                already_done=True,
                record_id=record_id,
                undo_deletes=True,
            )
        )
        on_success(view)

    mutate(
        ctx,
        create,
        case_id=case_id,
        owner=owner,
        on_success=created,
        on_failure=on_failure,
        parent=owner,
    )
    return record_id


def save_edit(
    ctx: AppContext,
    kind: RecordKind,
    *,
    record_id: uuid.UUID,
    case_id: uuid.UUID | None,
    version: int | None,
    old_values: Values,
    new_values: Values,
    text: str,
    owner: QWidget | None,
    on_success: Done,
    on_failure: Failure,
) -> None:
    """Save an edit now (checked against ``version``) and make it undoable; nothing changed = nothing saved."""
    old, new = changed_values(kind, old_values, new_values)
    if set(new) <= set(kind.context_keys):
        on_success(None)
        return

    def apply(values: Values, expected: int | None) -> Work:
        return lambda core: remember_version(ctx, record_id, kind.update(core, record_id, values, expected))

    def redo(core: Core) -> Any:
        return apply(new, ctx.versions.get(record_id))(core)

    def undo(core: Core) -> Any:
        return apply(old, ctx.versions.get(record_id))(core)

    def saved(view: Any) -> None:
        ctx.undo.push(
            RecordCommand(
                ctx,
                text,
                case_id=case_id,
                do=redo,
                undo=undo,
                already_done=True,
                record_id=record_id,
            )
        )
        on_success(view)

    mutate(
        ctx,
        apply(new, version),
        case_id=case_id,
        owner=owner,
        on_success=saved,
        on_failure=on_failure,
        parent=owner,
        retry=lambda current: apply(new, current),  # "Keep mine": the same values over theirs
        on_reload=owner.reject if isinstance(owner, QDialog) else None,  # "Reload": the dialog closes
    )


def push_delete(
    ctx: AppContext,
    kind: RecordKind,
    *,
    parent_id: uuid.UUID | None,
    case_id: uuid.UUID | None,
    view: Any,
    text: str,
    on_done: Done | None = None,
) -> None:
    """Delete a record through an undoable command (undo brings it back from ``view``)."""
    record_id: uuid.UUID = view.id
    ctx.versions.setdefault(record_id, view.version)
    snapshot: Values = {}

    def delete(core: Core) -> Any:
        if kind.snapshot is not None:
            snapshot.update(kind.snapshot(core, view))
        return kind.delete(core, record_id, ctx.versions.get(record_id))

    def restore(core: Core) -> Any:
        assert kind.restore is not None
        return remember_version(ctx, record_id, kind.restore(core, parent_id, view, snapshot))

    if kind.restore is None:

        def delete_at(version: int) -> Work:
            return lambda core: kind.delete(core, record_id, version)

        mutate(ctx, delete, case_id=case_id, on_success=on_done, retry=delete_at, deleting=True)
        return
    ctx.undo.push(
        RecordCommand(
            ctx,
            text,
            case_id=case_id,
            do=delete,
            undo=restore,
            already_done=False,
            on_done=on_done,
            record_id=record_id,
            do_deletes=True,
        )
    )


def push_created(
    ctx: AppContext,
    kind: RecordKind,
    *,
    parent_id: uuid.UUID | None,
    case_id: uuid.UUID | None,
    views: list[Any],
    text: str,
) -> None:
    """Make records that were just created (a batch: dropped files…) undoable as one step."""
    if not views or kind.restore is None:
        return
    snapshots: dict[uuid.UUID, Values] = {}
    for view in views:
        ctx.versions.setdefault(view.id, view.version)

    def delete_all(core: Core) -> None:
        for view in views:
            if kind.snapshot is not None:
                snapshots[view.id] = kind.snapshot(core, view)
            kind.delete(core, view.id, ctx.versions.get(view.id))

    def restore_all(core: Core) -> None:
        assert kind.restore is not None
        for view in views:
            remember_version(ctx, view.id, kind.restore(core, parent_id, view, snapshots.get(view.id, {})))

    ctx.undo.push(RecordCommand(ctx, text, case_id=case_id, do=restore_all, undo=delete_all, already_done=True))


def push_action(
    ctx: AppContext,
    text: str,
    *,
    case_id: uuid.UUID | None,
    do: Work,
    undo: Work,
    on_done: Done | None = None,
) -> None:
    """Any other undoable change: ``do`` runs now (on the worker), ``undo`` reverses it."""
    ctx.undo.push(RecordCommand(ctx, text, case_id=case_id, do=do, undo=undo, already_done=False, on_done=on_done))
