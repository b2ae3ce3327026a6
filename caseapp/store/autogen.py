"""What Alembic's comparison of models and migrations should ignore or render specially (shared by the
migration environment and the test that checks models and migrations agree)."""

from __future__ import annotations

from typing import Literal

from caseapp.store.models import UTCDateTime

# Tables the models do not describe on purpose: SQLite's FTS5 index and its shadow tables.
UNMODELLED_PREFIXES = ("search_fts",)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIXES))


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    # Our UTC type is a Python-side wrapper: the column itself is a plain timezone-aware DATETIME.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
