"""Where CaseApp keeps its data, and which database it opens.

``CASEAPP_DATA_DIR`` moves the whole data folder (database, evidence store, backups, settings);
``CASEAPP_DB_URL`` points at another database (a team's PostgreSQL server); ``CASEAPP_AUTHOR`` names who is
working, for the history (default: the login name).
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from platformdirs import user_data_dir

DB_FILE = "caseapp.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("CASEAPP_DATA_DIR")
    return Path(override).expanduser() if override else Path(user_data_dir("CaseApp", appauthor=False))


def database_url(folder: Path | None = None) -> str:
    override = os.environ.get("CASEAPP_DB_URL")
    if override:
        return override
    return f"sqlite:///{(folder or data_dir()) / DB_FILE}"


def author_name() -> str:
    name = os.environ.get("CASEAPP_AUTHOR")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
