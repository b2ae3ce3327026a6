"""Running reads and changes on the database worker, with success and failure callbacks on the GUI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.progress import Progress
from ui.tasks import Failure, Success, Work


def _alive(obj: QObject | None) -> bool:
    return obj is None or shiboken6.isValid(obj)


def query(
    ctx: AppContext,
    work: Work,
    *,
    on_success: Success,
    owner: QObject | None = None,
    on_failure: Failure | None = None,
    progress: Progress | None = None,
    parent: QWidget | None = None,
) -> None:
    """Read something; ``on_success`` gets the result on the GUI thread (if ``owner`` still exists)."""
    ctx.tasks.run(work, on_success=on_success, on_failure=on_failure, owner=owner, progress=progress, parent=parent)


def mutate(
    ctx: AppContext,
    work: Work,
    *,
    kinds: Iterable[str],
    case_id: uuid.UUID | None,
    owner: QObject | None = None,
    on_success: Success | None = None,
    on_failure: Failure | None = None,
    initiator: object = None,
    progress: Progress | None = None,
    parent: QWidget | None = None,
) -> None:
    """Change something; the change is broadcast once it is committed, whether or not ``owner`` is still open."""
    kind_set = frozenset(kinds)

    def succeeded(result: Any) -> None:
        if on_success is not None and _alive(owner):
            on_success(result)
        ctx.events.changed(kind_set, case_id, initiator)

    def failed(error: BaseException) -> None:
        if on_failure is not None and _alive(owner):
            on_failure(error)
        else:
            ctx.errors.present(error, parent if _alive(parent) else None)
        # a failed change may still have changed something (a batch that stopped half-way): refresh
        ctx.events.changed(kind_set, case_id, initiator)

    ctx.tasks.run(work, on_success=succeeded, on_failure=failed, progress=progress, parent=parent)


def remember_version(ctx: AppContext, record_id: object, view: Any) -> Any:
    """Keep the version a service returned, so the next edit or undo of that record is checked against it."""
    version = getattr(view, "version", None)
    if isinstance(version, int):
        ctx.versions[record_id] = version
    return view


def bound(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Work:
    """``fn(core, *args, **kwargs)`` as a work function."""
    return lambda core: fn(core, *args, **kwargs)
