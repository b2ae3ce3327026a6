"""Alembic environment: always run from code, with a connection handed in by caseapp.store.migrate."""

from __future__ import annotations

from alembic import context

from caseapp.store.models import Base, UTCDateTime

# Tables the models do not describe on purpose: SQLite's FTS5 index and its shadow tables.
UNMODELLED_PREFIXES = ("search_fts",)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIXES))


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Our UTC type is a Python-side wrapper: the column itself is a plain timezone-aware DATETIME.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("CaseApp migrations run from code: use caseapp.store.migrate")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
