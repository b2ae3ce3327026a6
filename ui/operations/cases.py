"""Reading and changing cases: the page-by-page list, one case in full, its history, example data."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.operations.base import mutate, query

if TYPE_CHECKING:
    import uuid

    from caseapp.services.core import Core
    from caseapp.services.views import AuditView, CaseDetail, CaseRow
    from ui.models.case_list import CaseFilter


def load_case(
    ctx: AppContext,
    case_id: uuid.UUID,
    *,
    owner: QObject,
    on_success: Callable[[CaseDetail], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    def work(core: Core) -> CaseDetail:
        from caseapp.services import cases

        return cases.get_case(core, case_id)

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)


def case_page(
    ctx: AppContext,
    case_filter: CaseFilter,
    offset: int,
    limit: int,
    *,
    owner: QObject,
    on_success: Callable[[list[CaseRow]], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    def work(core: Core) -> list[CaseRow]:
        from caseapp.services import reads  # no ORM: the list of a start does not load it (the agenda is painting)

        return reads.list_cases(
            core, status=case_filter.status, text=case_filter.text or None, limit=limit, offset=offset
        )

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)


def count_cases(ctx: AppContext, *, owner: QObject, on_success: Callable[[int], None]) -> None:
    def work(core: Core) -> int:
        from caseapp.services import reads

        return reads.count_cases(core)

    query(ctx, work, on_success=on_success, owner=owner)


def parent_choices(
    ctx: AppContext, *, owner: QObject, on_success: Callable[[list[tuple[uuid.UUID, str]]], None], limit: int = 500
) -> None:
    """The most recently changed cases, to choose the case a new one follows (an appeal, a référé…)."""

    def work(core: Core) -> list[tuple[uuid.UUID, str]]:
        from caseapp.services import cases

        rows = cases.list_cases(core, limit=limit)
        return [(row.id, f"{row.title} ({row.court_number})" if row.court_number else row.title) for row in rows]

    query(ctx, work, on_success=on_success, owner=owner)


def case_history(
    ctx: AppContext, case_id: uuid.UUID, *, owner: QObject, on_success: Callable[[list[AuditView]], None]
) -> None:
    def work(core: Core) -> list[AuditView]:
        from caseapp.services import history

        return history.case_history(core, case_id)

    query(ctx, work, on_success=on_success, owner=owner)


def delete_case(
    ctx: AppContext, case: CaseDetail, *, parent: QWidget, on_success: Callable[[Any], None] | None = None
) -> None:
    """Deleting a whole case cannot be undone from the undo history (it takes everything in it with it)."""

    def delete_at(version: int) -> Any:
        def work(core: Core) -> Any:
            from caseapp.services import cases

            return cases.delete_case(core, case.id, expected_version=version)

        return work

    def deleted(result: Any) -> None:
        ctx.undo.clear()
        if on_success is not None:
            on_success(result)

    mutate(
        ctx,
        delete_at(case.version),
        case_id=case.id,
        on_success=deleted,
        parent=parent,
        retry=delete_at,
        deleting=True,
    )


def load_demo(ctx: AppContext, *, parent: QWidget | None, on_success: Callable[[Any], None]) -> None:
    def work(core: Core) -> Any:
        from caseapp.services import demo

        return demo.load_demo(core)

    mutate(
        ctx,
        work,
        case_id=None,
        on_success=on_success,
        parent=parent,
    )


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def set_author(ctx: AppContext, name: str) -> None:
    """Who is working, for the history of every change from now on (an empty name = the login name)."""

    def work(core: Core) -> None:
        core.author = name.strip() or login_name()

    query(ctx, work, on_success=lambda _result: None)
