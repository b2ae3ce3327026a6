"""Small reads for the interface: the agenda, search results, known parties, opinions, one hearing, the routes of
appeal against a decision being typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from ui.context import AppContext
from ui.operations.base import query

if TYPE_CHECKING:
    import uuid

    from caseapp.services.core import Core
    from caseapp.services.routes import RoutesView
    from caseapp.services.views import HearingView, OpinionView, SearchHit


def _local_folder(ctx: AppContext) -> Any:
    """The data folder of a local case file (None on a database server)."""
    from caseapp.services.environment import data_dir as default_data_dir

    return None if ctx.location.url else (ctx.location.data_dir or default_data_dir())


def kept_agenda(ctx: AppContext, days: int, *, overdue_days: int = 90) -> Any | None:
    """The agenda the last start kept, if nothing changed since (``services.agenda_cache``): shown while the case
    file opens, read with sqlite3 alone on the GUI thread (a few milliseconds)."""
    from caseapp.services import agenda_cache

    folder = _local_folder(ctx)
    return agenda_cache.load(folder, days=days, overdue_days=overdue_days) if folder is not None else None


def load_agenda(
    ctx: AppContext, days: int, *, overdue_days: int = 90, owner: QObject, on_success: Callable[[Any], None]
) -> None:
    """The agenda, read on the worker, and kept for the next start (``kept_agenda``)."""
    folder = _local_folder(ctx)

    def work(core: Core) -> Any:
        from caseapp.services import agenda_cache, reads  # no ORM: the first agenda is not kept waiting for it

        key = agenda_cache.key(folder, days=days, overdue_days=overdue_days, limit=500) if folder else None
        found = reads.agenda(core, days=days, overdue_days=overdue_days)
        if folder is not None:
            agenda_cache.save(folder, found, key)
        return found

    query(ctx, work, on_success=on_success, owner=owner)


def search(
    ctx: AppContext,
    text: str,
    *,
    owner: QObject,
    on_success: Callable[[list[SearchHit]], None],
    limit: int = 100,
) -> None:
    def work(core: Core) -> list[SearchHit]:
        from caseapp.services import search as search_service

        return search_service.search(core, text, limit=limit)

    query(ctx, work, on_success=on_success, owner=owner)


def known_parties(
    ctx: AppContext, *, owner: QObject, on_success: Callable[[list[tuple[uuid.UUID, str]]], None]
) -> None:
    def work(core: Core) -> list[tuple[uuid.UUID, str]]:
        from caseapp.services import parties

        return [(party_id, name) for party_id, name in parties.known_parties(core)]

    query(ctx, work, on_success=on_success, owner=owner)


def all_opinions(ctx: AppContext, *, owner: QObject, on_success: Callable[[list[OpinionView]], None]) -> None:
    def work(core: Core) -> list[OpinionView]:
        from caseapp.services import opinions

        return opinions.list_opinions(core)

    query(ctx, work, on_success=on_success, owner=owner)


def opinion_cases(
    ctx: AppContext, opinion_id: uuid.UUID, *, owner: QObject, on_success: Callable[[tuple[uuid.UUID, ...]], None]
) -> None:
    def work(core: Core) -> tuple[uuid.UUID, ...]:
        from caseapp.services import opinions

        return opinions.get_opinion(core, opinion_id).case_ids

    query(ctx, work, on_success=on_success, owner=owner)


def load_hearing(
    ctx: AppContext,
    hearing_id: uuid.UUID,
    *,
    owner: QObject,
    on_success: Callable[[HearingView], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    def work(core: Core) -> HearingView:
        from caseapp.services import hearings

        return hearings.get_hearing(core, hearing_id)

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)


def decision_routes(
    ctx: AppContext,
    case_id: uuid.UUID | None,
    values: dict[str, Any],
    *,
    owner: QObject,
    on_success: Callable[[RoutesView], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """What can be done against a decision as it is being typed (its kind, court, nature and dates)."""

    def work(core: Core) -> RoutesView:
        from caseapp.services import routes

        return routes.decision_routes(core, case_id, **values)

    query(ctx, work, on_success=on_success, owner=owner, on_failure=on_failure)
