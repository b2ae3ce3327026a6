"""Linking opinions to cases, and the dated steps of an access request."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from caseapp.i18n import _
from ui.context import AppContext
from ui.operations.base import mutate
from ui.tasks import Work
from ui.undo import push_action

if TYPE_CHECKING:
    from caseapp.services.core import Core


def _link(opinion_id: uuid.UUID, case_id: uuid.UUID) -> Work:
    def work(core: Core) -> Any:
        from caseapp.services import opinions

        return opinions.link_opinion(core, opinion_id, case_id)

    return work


def _unlink(opinion_id: uuid.UUID, case_id: uuid.UUID) -> Work:
    def work(core: Core) -> Any:
        from caseapp.services import opinions

        return opinions.unlink_opinion(core, opinion_id, case_id)

    return work


def link_opinion(ctx: AppContext, opinion_id: uuid.UUID, case_id: uuid.UUID) -> None:
    push_action(
        ctx,
        _("Link opinion"),
        case_id=case_id,
        do=_link(opinion_id, case_id),
        undo=_unlink(opinion_id, case_id),
    )


def unlink_opinion(ctx: AppContext, opinion_id: uuid.UUID, case_id: uuid.UUID) -> None:
    push_action(
        ctx,
        _("Unlink opinion"),
        case_id=case_id,
        do=_unlink(opinion_id, case_id),
        undo=_link(opinion_id, case_id),
    )


def record_step(
    ctx: AppContext,
    request_id: uuid.UUID,
    case_id: uuid.UUID | None,
    values: dict[str, Any],
    *,
    owner: QWidget,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    """A step is part of the request's legal record: it is kept (there is no undo for it)."""
    status: str = values["status"]
    on: date = values["on"]
    note: str | None = values.get("note")

    def work(core: Core) -> Any:
        from caseapp.services import access

        return access.record_step(core, request_id, status, on, note=note)

    mutate(
        ctx,
        work,
        case_id=case_id,
        owner=owner,
        on_success=on_success,
        on_failure=on_failure,
        parent=owner,
    )
