"""Schema migrations, run from code at start-up: back up first, refuse a database newer than the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from caseapp.errors import StorageError
from caseapp.i18n import _

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations have no head"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, *, before: Callable[[str | None], None] | None = None) -> bool:
    """Bring the schema to the head. ``before(current)`` runs first (the caller's backup) when work is due.

    Returns True when a migration ran. Raises StorageError for a database from a newer CaseApp.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise StorageError(
            _(
                "This database was written by a newer version of CaseApp (schema {revision}). "
                "Install the newer version to open it; nothing was changed."
            ).format(revision=current)
        )
    if before is not None:
        before(current)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True
