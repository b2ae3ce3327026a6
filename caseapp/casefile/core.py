"""The composition root of the core: one object that knows the database, the file store and who is working."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from caseapp import config
from caseapp.store.database import Database, open_database


@dataclass
class Core:
    """What every service is given: the open database (with its evidence store) and who is working, for the history."""

    db: Database
    author: str

    @property
    def data_dir(self) -> Path:
        return self.db.data_dir

    def close(self) -> None:
        self.db.close()


def open_core(
    *,
    data_dir: Path | None = None,
    url: str | None = None,
    author: str | None = None,
    upgrade: bool = True,
    daily_backup: bool = False,
) -> Core:
    """Open the database and the evidence store. The application's entry points ask for ``daily_backup``:
    the first start of each day copies the database to ``backups/`` (two weeks are kept)."""
    database = open_database(data_dir=data_dir, url=url, upgrade=upgrade, daily_backup=daily_backup)
    return Core(db=database, author=author or config.author_name(database.data_dir))
