"""Read models built from a record's values: an ORM object (``loaders``) or a Core row (``core_reads``) alike.

Both have the columns as same-named attributes, with the same Python values (the Core tables use the models'
types), so a read model is filled the same way from either, and the two read paths cannot drift apart here.
Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from caseapp.casefile import views
from caseapp.domain.enums import DeadlineStatus, FilingKind, HearingStatus
from caseapp.i18n import current_language

V = TypeVar("V")


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(view: type) -> tuple[str, ...]:
    names = _NAMES.get(view)
    if names is None:
        names = _NAMES[view] = tuple(item.name for item in dataclasses.fields(view))
    return names


def filled(view: type[V], record: Any, **given: Any) -> V:
    """A read model whose fields are the record's same-named attributes (an enum gives its value), except those
    ``given``: a column added to a model and to its read model needs nothing here.

    A Core row is read as one mapping of its columns (``_fields``, as a named tuple has them): looking each name up
    on the row cost the agenda a third of its time."""
    columns = getattr(record, "_fields", None)
    if columns is not None:
        values = dict(zip(columns, record, strict=True))
        return view(**given, **{n: _plain(values[n]) for n in _names(view) if n not in given and n in values})
    return view(
        **given, **{n: _plain(getattr(record, n)) for n in _names(view) if n not in given and hasattr(record, n)}
    )


def case_detail(
    case: Any,
    *,
    hearings: tuple[views.HearingView, ...],
    deadlines: tuple[views.DeadlineView, ...],
    head: Any,
    **parts: Any,
) -> views.CaseDetail:
    """The whole case as the window and the documents read it, from the case's record (an ORM object or a Core
    row) and the read models of what hangs from it; the next hearing and deadline and the history's head said
    here once for both read paths (``loaders`` and ``core_reads``)."""
    now = datetime.now(UTC)
    upcoming = [h for h in hearings if h.starts_at >= now and h.status == HearingStatus.SCHEDULED.value]
    open_deadlines = [d for d in deadlines if d.status == DeadlineStatus.OPEN.value]
    return filled(
        views.CaseDetail,
        case,
        hearings=hearings,
        deadlines=deadlines,
        next_hearing=upcoming[0] if upcoming else None,
        next_deadline=open_deadlines[0] if open_deadlines else None,
        history_head=head[0] if head else None,
        history_seq=head[1] if head else None,
        **parts,
    )


def case_row(case: Any, tags: tuple[str, ...] = (), taken_offline: views.TakenOffline | None = None) -> views.CaseRow:
    return filled(views.CaseRow, case, tags=tags, taken_offline=taken_offline)


def filing_view(filing: Any, party_names: dict[uuid.UUID, str]) -> views.FilingView:
    return filled(
        views.FilingView,
        filing,
        is_decision=FilingKind(filing.kind).is_decision,
        party_name=party_names.get(filing.party_id) if filing.party_id else None,
    )


def hearing_view(hearing: Any, notes: tuple[views.NoteView, ...] = ()) -> views.HearingView:
    return filled(views.HearingView, hearing, notes=notes)


def opinion_view(opinion: Any, case_ids: tuple[uuid.UUID, ...]) -> views.OpinionView:
    return filled(views.OpinionView, opinion, case_ids=case_ids)


def deadline_view(deadline: Any) -> views.DeadlineView:
    title = deadline.title
    date_kind = "act"
    if deadline.rule_id:  # a rule's deadline is named in the language of whoever reads it
        from caseapp.domain.deadline_rules import RULES

        rule = RULES.get(deadline.rule_id)
        title = rule.label(current_language()) if rule else title
        date_kind = rule.date_kind if rule else date_kind
    return filled(views.DeadlineView, deadline, title=title, date_kind=date_kind, flags=tuple(deadline.flags or ()))


def case_checks(procedure: Any, main_status: Any, has_main: bool) -> tuple[views.CaseCheck, ...]:
    """What a lawyer must look at in this case: a référé-suspension needs a pending main action (CJA L521-1).
    ``has_main``: the case is attached to a main action (as its référé) that exists; ``main_status`` its status."""
    from caseapp.domain.enums import CaseStatus, Procedure

    checks: list[views.CaseCheck] = []
    if procedure == Procedure.REFERE_SUSPENSION:
        if not has_main:
            checks.append(
                views.CaseCheck(
                    "refere_without_main_action",
                    "Un référé-suspension suppose une requête au fond pendante (CJA L521-1) : rattachez ce référé "
                    "à l'affaire au fond (« Référé rattaché à »), ou introduisez-la.",
                    "A suspension application needs a pending main action (CJA L521-1): attach this référé to the "
                    "main case (“Urgent application attached to”), or file one.",
                )
            )
        elif main_status in (CaseStatus.DECIDED, CaseStatus.CLOSED):
            checks.append(
                views.CaseCheck(
                    "refere_main_action_ended",
                    "L'affaire au fond à laquelle ce référé-suspension est rattaché est jugée ou close : la "
                    "suspension suppose une requête au fond pendante (CJA L521-1).",
                    "The main case this suspension application is attached to is decided or closed: suspension "
                    "needs a pending main action (CJA L521-1).",
                )
            )
    return tuple(checks)
