"""What Alembic's comparison of models and migrations should ignore or render specially (shared by the
migration environment and the test that checks models and migrations agree)."""

from __future__ import annotations

from typing import Literal

from caseapp.store.models import UTCDateTime

# What the models do not describe on purpose: SQLite's FTS5 indexes and their shadow tables, and PostgreSQL's
# stored text vector of the search entries with its index (migrations 0004 and 0009).
UNMODELLED_PREFIXES = ("search_fts", "search_titles_fts")
UNMODELLED_COLUMNS = frozenset({"search_vector"})
UNMODELLED_INDEXES = frozenset({"ix_search_entries_vector", "ix_search_entries_fts"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(UNMODELLED_PREFIXES)
    if type_ == "column":
        return name not in UNMODELLED_COLUMNS
    if type_ == "index":
        return name not in UNMODELLED_INDEXES
    return True


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    # Our UTC type is a Python-side wrapper: the column itself is a plain timezone-aware DATETIME.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
