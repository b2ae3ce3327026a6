"""Three-way merge of one record, field by field, from the two histories.

Both sides of an import have a history of the record: the events written here, and the bundle's. Events are
copied with their identifiers when a bundle is imported, so the events both sides hold are what they have in
common, and the events only one side holds are what that side did since: the merge base of each field is its value
before the first event of either side that the other lacks. Every event says which fields it changed and to what
(``{field: value}`` when a record is created, ``{field: [old, new]}`` afterwards), so for each field that differs:

- changed only in the bundle → the bundle's value is taken, without asking;
- changed only here → the value here is kept (an older bundle replayed never reverts a newer edit);
- changed on both sides → a conflict *for that field*, with mine, theirs and the base;
- a value that the side's own history does not account for (edited behind CaseApp's back, or a bundle whose
  history was cut) is treated as changed there — and when that side is the bundle, it is never taken without
  asking (``UNTRACED``).

Nothing here reads the database: ``caseapp.bundle.merge`` gives the events and the two copies.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MINE, THEIRS, BOTH = "mine", "theirs", "both"  # who changed a field since the base ("both": a conflict)
UNTRACED = "untraced"  # the bundle's value is not accounted for by its history: a conflict


class _Unknown:
    """A base value nobody can tell (no history event shows it)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class Edit:
    """One history event about a record, as the merge sees it."""

    id: uuid.UUID
    order: int  # its place in its side's history
    action: str
    changes: Mapping[str, Any]

    def touches(self, name: str) -> bool:
        return name in self.changes

    def _pair(self, name: str) -> list[Any] | tuple[Any, ...] | None:
        change = self.changes[name]
        if self.action == "create" or not isinstance(change, list | tuple):
            return None
        if len(change) == 2 or (self.action == "merge" and len(change) == 3):
            return change
        return None

    def before(self, name: str) -> Any:
        """The field's value before this event (UNKNOWN when the event created the record)."""
        pair = self._pair(name)
        return pair[0] if pair is not None else UNKNOWN

    def after(self, name: str) -> Any:
        pair = self._pair(name)
        return pair[1] if pair is not None else self.changes[name]

    def adopted(self, name: str) -> bool:
        """A merge decision that took the other side's value for this field: no change of this side's own
        (merge events say ``[value not chosen, value chosen, "mine" | "theirs"]``)."""
        pair = self._pair(name)
        return self.action == "merge" and pair is not None and len(pair) == 3 and pair[2] == THEIRS


@dataclass(frozen=True)
class FieldMerge:
    """What the merge says of one field that differs."""

    name: str
    mine: Any
    theirs: Any
    base: Any  # UNKNOWN when no event shows it
    changed: str  # MINE, THEIRS, BOTH or UNTRACED
    brought: bool = False  # the bundle brings events about this field (then keeping ours is an event too)

    @property
    def recorded(self) -> bool:
        """Whether the outcome must be written in the history as a decision of its own: every conflict, and a
        value kept here although the bundle's events about it are copied (else the last event about the field
        would not say its value)."""
        return self.conflict or (self.changed == MINE and self.brought)

    @property
    def automatic(self) -> bool:
        return self.changed in (MINE, THEIRS)

    @property
    def conflict(self) -> bool:
        return not self.automatic


def canonical(value: Any) -> Any:
    """A JSON value in one form for comparison: moments as UTC datetimes, whatever precision or zone they were
    written with (the history and bundles write them slightly differently); lists compared as lists."""
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(value, tuple):
        return list(value)
    return value


def same(a: Any, b: Any) -> bool:
    if a is UNKNOWN or b is UNKNOWN:
        return False
    return bool(canonical(a) == canonical(b))


@dataclass(frozen=True)
class _Side:
    """What one side's history says of one field: whether that side changed it since what both sides hold, whether its
    value is accounted for by its history (``traced``), and the field's value in what both hold (``base``; UNKNOWN when
    no event shows it)."""

    changed: bool
    traced: bool
    base: Any
    fresh: bool = False  # it has events about the field the other side lacks (a change or not)


def _side(name: str, current: Any, edits: Sequence[Edit], other: set[uuid.UUID]) -> _Side:
    """Whether one side changed a field since what both sides hold, and the field's value in what both hold: after
    the last event about it that both sides have (in this side's order, which follows cause and effect)."""
    ordered = sorted(edits, key=lambda edit: edit.order)
    touching = [edit for edit in ordered if edit.touches(name)]
    shared = [edit for edit in touching if edit.id in other]
    created = [edit for edit in ordered if edit.action == "create"]
    # The value must be one the history gave it (events copied from a colleague come last, though they may be
    # older than ours, so not necessarily the last event's); when no event names the field, it is as the record
    # was created (older versions did not list every field).
    traced = any(same(edit.after(name), current) for edit in touching) if touching else bool(created)
    if shared:
        base = shared[-1].after(name)
    elif touching:  # only this side's events name it: it was what the first of them found
        base = touching[0].before(name)
    elif created and created[0].id in other:
        base = current  # both hold the record's creation, and nothing since
    else:
        base = UNKNOWN
    # This side's own events count only after the last one both hold: earlier ones were settled when that one came
    # in — and a decision that took the other side's value is no change of this side's either.
    since = touching[touching.index(shared[-1]) + 1 :] if shared else touching
    own = [edit for edit in since if edit.id not in other and not edit.adopted(name)]
    fresh = any(edit.id not in other for edit in touching)  # events about it the other side lacks
    return _Side(bool(own) or not traced, traced, base, fresh)


def merge_fields(
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    differing: Iterable[str],
    local_edits: Sequence[Edit],
    bundle_edits: Sequence[Edit],
) -> list[FieldMerge]:
    """Decide each differing field of a record present on both sides."""
    local_ids = {edit.id for edit in local_edits}
    bundle_ids = {edit.id for edit in bundle_edits}
    result = []
    for name in differing:
        here = _side(name, mine.get(name), local_edits, bundle_ids)
        there = _side(name, theirs.get(name), bundle_edits, local_ids)
        base = here.base if here.base is not UNKNOWN else there.base
        if not there.traced:
            changed = UNTRACED
        elif there.changed and here.changed:
            changed = BOTH
        elif there.changed:
            changed = THEIRS
        elif here.changed:
            changed = MINE
        else:  # both histories say nothing changed, yet the values differ: ask
            changed = UNTRACED
        if changed == BOTH and same(base, theirs.get(name)):
            changed = MINE  # their edits only brought it back to what both last held: ours stands
        elif changed == BOTH and same(base, mine.get(name)):
            changed = THEIRS  # ... or ours did: theirs stands
        result.append(FieldMerge(name, mine.get(name), theirs.get(name), base, changed, there.fresh))
    return result
