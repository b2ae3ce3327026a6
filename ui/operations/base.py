"""Running reads and changes on the database worker, with success and failure callbacks on the GUI thread.

A change that someone else beat to the record (``Conflict``) is settled here, once for every kind of record: when
the helper says how to redo its work against the record's current version (``retry``), the person is asked —
"Reload" (drop mine, show theirs) or "Keep mine" / "Delete anyway" (redo it knowingly over theirs) — with who
changed the record and when.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from caseapp.errors import Conflict
from ui.context import AppContext
from ui.progress import Progress
from ui.prompts import OVERWRITE, RELOAD
from ui.tasks import Failure, Success, Work

if TYPE_CHECKING:
    import uuid

    from caseapp.services.core import Core

T = TypeVar("T")
Retry = Callable[[int], Work[T]]  # the same change, checked against this version instead


def _alive(obj: QObject | None) -> bool:
    return obj is None or shiboken6.isValid(obj)


def query(
    ctx: AppContext,
    work: Work[T],
    *,
    on_success: Success[T],
    owner: QObject | None = None,
    on_failure: Failure | None = None,
    progress: Progress | None = None,
    parent: QWidget | None = None,
) -> None:
    """Read something; ``on_success`` gets the result on the GUI thread (if ``owner`` still exists)."""
    ctx.tasks.run(work, on_success=on_success, on_failure=on_failure, owner=owner, progress=progress, parent=parent)


def mutate(
    ctx: AppContext,
    work: Work[T],
    *,
    case_id: uuid.UUID | None,
    owner: QObject | None = None,
    on_success: Success[T] | None = None,
    on_failure: Failure | None = None,
    initiator: object = None,
    progress: Progress | None = None,
    parent: QWidget | None = None,
    retry: Retry[T] | None = None,
    deleting: bool = False,
    on_reload: Callable[[], None] | None = None,
) -> None:
    """Change something; what the change's transactions committed (the kinds of records and the cases, as they
    report it) is broadcast once it is done, whether or not ``owner`` is still open — never a list typed here.

    ``retry(version)``: the same change against the record's current version, offered when someone else changed
    the record in between (``deleting`` words the question for a deletion). If the person chooses "Reload",
    the screens refresh and ``on_reload`` runs (an edit dialog closes); if they close the question, the
    conflict goes to ``on_failure`` like any other refusal.
    """
    from caseapp.services.changes import Changed

    seen = Changed()  # what the work's transactions committed, filled on the worker as they commit

    def tracked(core: Core) -> T:
        from caseapp.services.changes import tracking

        with tracking() as changed:
            try:
                return work(core)
            finally:
                seen.kinds |= changed.kinds
                seen.case_ids |= changed.case_ids

    def broadcast() -> None:
        if seen:
            ctx.events.broadcast(seen.as_changes(case_id), initiator)

    def succeeded(result: T) -> None:
        if on_success is not None and _alive(owner):
            on_success(result)
        broadcast()

    def refuse(error: BaseException) -> None:
        if on_failure is not None and _alive(owner):
            on_failure(error)
        else:
            ctx.errors.present(error, parent if _alive(parent) else None)

    def failed(error: BaseException) -> None:
        # a failed change may still have changed something (a batch that stopped half-way): refresh
        broadcast()
        if retry is None or not isinstance(error, Conflict) or error.current_version is None:
            refuse(error)
            return
        choice = settle_conflict(ctx, error, parent=parent if _alive(parent) else None, deleting=deleting)
        if choice == OVERWRITE:
            mutate(
                ctx,
                retry(error.current_version),
                case_id=case_id,
                owner=owner,
                on_success=on_success,
                on_failure=on_failure,
                initiator=initiator,
                progress=progress,
                parent=parent,
                retry=retry,
                deleting=deleting,
                on_reload=on_reload,
            )
        elif choice == RELOAD:  # show their version: every screen of the case reloads
            from caseapp.services.changes import everything

            ctx.events.broadcast(everything(case_id), initiator)
            if on_reload is not None and _alive(owner):
                on_reload()
        else:
            refuse(error)

    ctx.tasks.run(tracked, on_success=succeeded, on_failure=failed, progress=progress, parent=parent)


def settle_conflict(ctx: AppContext, error: Conflict, *, parent: QWidget | None, deleting: bool) -> str:
    """Ask how to settle a conflict: ``RELOAD``, ``OVERWRITE`` or '' (neither)."""
    from ui.errors import describe_conflict

    title, text = describe_conflict(error, deleting=deleting)
    return ctx.prompts.settle_conflict(parent or ctx.window(), title, text, deleting=deleting)


def remember_version(ctx: AppContext, record_id: object, view: Any) -> Any:
    """Keep the version a service returned, so the next edit or undo of that record is checked against it."""
    version = getattr(view, "version", None)
    if isinstance(version, int):
        ctx.versions[record_id] = version
    return view


def bound(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Work[T]:
    """``fn(core, *args, **kwargs)`` as a work function."""
    return lambda core: fn(core, *args, **kwargs)
