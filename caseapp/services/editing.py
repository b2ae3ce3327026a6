"""What the window needs to edit any kind of record and undo it: the fields a kind's form edits, read from its one
description (``caseapp.casefile.kinds``), so a field added there is carried by every edit and every undo."""

from __future__ import annotations

from typing import Any

from caseapp.casefile.kinds import kind_of
from caseapp.casefile.uow import replaying as replaying  # undo and redo name themselves in the history


def fields_of(entity: str) -> tuple[str, ...]:
    """The fields a person edits for this kind of record (the history's name: "hearing", "filing"…)."""
    return kind_of(entity).editable


def values_of(entity: str, view: Any, *extra: str) -> dict[str, Any]:
    """The editable values of a record as read (its read model), plus ``extra`` attributes: what an undo restores."""
    names = [*fields_of(entity), *extra]
    return {name: getattr(view, name) for name in names if hasattr(view, name)}


def field_label(name: str) -> str:
    """A field's name as a person reads it, in the interface language."""
    from caseapp.domain.fields import field_label as label

    return label(name)
