"""Alembic environment: always run from code, with a connection handed in by caseapp.store.migrate."""

from __future__ import annotations

from alembic import context

from caseapp.store.autogen import include_object, render_item
from caseapp.store.models import Base


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
