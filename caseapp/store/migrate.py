"""Schema migrations, run from code at start-up: back up first, refuse a database newer than the app.

Alembic is only imported when there is work to do: reading the revision files and the database's current
revision takes a few milliseconds, importing Alembic a few hundred, and most starts have nothing to migrate.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from caseapp.errors import StorageError
from caseapp.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
# A revision that changes nothing a bundle carries (an index, a table of this database's own bookkeeping) says so
# with this line; bundles then keep naming the revision before it, so a colleague one version behind reads them.
_BUNDLES_UNCHANGED = re.compile(r"^BUNDLES_UNCHANGED\s*(?::[^=]*)?=\s*True\s*$", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def _revision_graph(folder: Path) -> dict[str, str | None]:
    """``{revision: down_revision}`` read straight from the migration files."""
    graph: dict[str, str | None] = {}
    for path in sorted((folder / "versions").glob("*.py")):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            down = found.get("down_revision", "None").strip()
            graph[found["revision"].strip().strip("'\"")] = None if down == "None" else down.strip("'\"")
    return graph


@cache
def _bundles_unchanged(folder: Path) -> frozenset[str]:
    marked: set[str] = set()
    for path in (folder / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = dict(_ASSIGNMENT.findall(source))
        if "revision" in found and _BUNDLES_UNCHANGED.search(source):
            marked.add(found["revision"].strip().strip("'\""))
    return frozenset(marked)


def known_revisions() -> set[str]:
    return set(_revision_graph(MIGRATIONS))


def head_revision() -> str:
    graph = _revision_graph(MIGRATIONS)
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise StorageError(_("The application's migrations are broken (heads: {heads}).").format(heads=sorted(heads)))
    return heads.pop()


def records_revision() -> str:
    """The newest revision that changed what a bundle carries: the schema a bundle written here declares.

    Any CaseApp that knows this revision reads the bundle, even one older than this database's schema."""
    graph = _revision_graph(MIGRATIONS)
    unchanged = _bundles_unchanged(MIGRATIONS)
    revision: str | None = head_revision()
    while revision is not None and revision in unchanged:
        revision = graph[revision]
    if revision is None:
        raise StorageError(_("The application's migrations are broken (heads: {heads}).").format(heads=[]))
    return revision


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


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
    from alembic import command

    log = logging.getLogger(__name__)
    log.info("Migrating the database %s from schema %s to %s", engine.url, current or "(none: a new case file)", head)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if current is None:  # a new case file: its deadlines will follow this version's rules
                from caseapp.domain.fingerprint import STATE_KEY, rules_fingerprint

                connection.execute(
                    text("INSERT INTO app_state (key, value) VALUES (:key, :value)"),
                    {"key": STATE_KEY, "value": rules_fingerprint()},
                )
    except Exception:
        log.exception("The migration from schema %s to %s failed; nothing was changed", current, head)
        raise
    log.info("Database migrated to schema %s", head)
    return True
