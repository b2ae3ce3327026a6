"""Which tables a case bundle carries, in which order, and how their rows belong to the case — derived from the
kinds of records (``caseapp.casefile.kinds``) and the models' foreign keys, never listed by hand.

A table is **owned** by the case when its rows point at the case, or at a row owned by it (a hearing's notes, a
request's steps); a record kind no owned row points at but that owned rows refer to is **shared** (parties,
opinions, stored files): the bundle carries the ones its case refers to. Link tables without an identifier of
their own (a case's tags, the opinions linked to it) travel with the case. The history comes last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Table, UniqueConstraint

from caseapp.casefile import kinds
from caseapp.store import models as m

CASES = "cases"
HISTORY = "audit_events"
LINK_TABLES = ("case_tags", "opinion_cases")  # no identifier of their own
LINK_LABELS = {"case_tags": "tag", "opinion_cases": "opinion link"}  # for people, marked in the callers


def table(name: str) -> Table:
    return m.Base.metadata.tables[name]


@dataclass(frozen=True)
class Reference:
    """A foreign key of a table: the column that holds it, the table it points at, and whether it may be empty."""

    column: str
    target: str  # the table it points at
    nullable: bool


def references(name: str) -> list[Reference]:
    """The foreign keys of a table, except one pointing at its own table (a case's parent case)."""
    found = []
    for column in table(name).columns:
        for key in column.foreign_keys:
            target = key.column.table.name
            if target != name:
                found.append(Reference(column.name, target, bool(column.nullable)))
    return found


def record_tables() -> tuple[str, ...]:
    """The tables of record kinds, in the order their rows can be inserted."""
    return tuple(kind.table for kind in kinds.KINDS)


def tables() -> tuple[str, ...]:
    """Every table a bundle carries, in insertion order: record kinds, each link table right after what it links,
    the history last."""
    order = list(record_tables())
    for link in LINK_TABLES:
        targets = {ref.target for ref in references(link)}
        position = max(order.index(target) for target in targets) + 1
        order.insert(position, link)
    return (*order, HISTORY)


def owned_tables() -> list[str]:
    """The tables whose rows belong to one case, parents before children (the case first)."""
    owned = [CASES]
    for name in [*record_tables(), *LINK_TABLES]:
        if name != CASES and any(ref.target in owned for ref in references(name)):
            owned.append(name)
    return owned


def shared_tables() -> list[str]:
    """Record kinds that several cases share: carried when an owned row refers to them."""
    owned = set(owned_tables())
    return [name for name in record_tables() if name not in owned]


def unique_keys(name: str) -> Iterator[tuple[str, ...]]:
    """The column sets that must not repeat in a table (its unique constraints and unique columns)."""
    source = table(name)
    for constraint in source.constraints:
        if isinstance(constraint, UniqueConstraint):
            yield tuple(column.name for column in constraint.columns)
    for column in source.columns:
        if column.unique:
            yield (column.name,)
    if name in LINK_TABLES:
        yield tuple(column.name for column in source.primary_key.columns)
