"""Recomputing every deadline after the rules changed: whether they did, what would change, and doing it once
approved (``caseapp.services.deadline_review``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.operations.base import mutate, query

if TYPE_CHECKING:
    from caseapp.services.core import Core
    from caseapp.services.deadline_review import RecomputePreview


def rules_changed(ctx: AppContext, *, owner: QObject, on_success: Callable[[bool], None]) -> None:
    def work(core: Core) -> bool:
        from caseapp.services import deadline_review

        return deadline_review.rules_changed(core)

    query(ctx, work, on_success=on_success, owner=owner)


def preview(
    ctx: AppContext,
    *,
    owner: QObject,
    on_success: Callable[[RecomputePreview], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """What recomputing every deadline would add, change and remove (nothing is written)."""

    def work(core: Core) -> RecomputePreview:
        from caseapp.services import deadline_review

        return deadline_review.preview_recompute(core)

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)


def apply(
    ctx: AppContext,
    token: str,
    *,
    owner: QObject | None,
    parent: QWidget | None = None,
    on_success: Callable[[RecomputePreview], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """Recompute as previewed (``Conflict`` if the result is no longer the one approved); every screen showing
    deadlines refreshes."""

    def work(core: Core) -> RecomputePreview:
        from caseapp.services import deadline_review

        return deadline_review.apply_recompute(core, token)

    mutate(
        ctx,
        work,
        case_id=None,
        owner=owner,
        parent=parent,
        on_success=on_success,
        on_failure=on_failure,
    )
