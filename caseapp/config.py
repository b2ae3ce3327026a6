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
    """The database to open: ``CASEAPP_DB_URL``, else the server chosen in the settings (its password comes
    from the keyring), else the local SQLite file of the data folder."""
    override = os.environ.get("CASEAPP_DB_URL")
    if override:
        return with_password(override)
    from caseapp.settings import load_settings

    folder = folder or data_dir()
    server = load_settings(folder).server_url
    if server:
        return with_password(server)
    return f"sqlite:///{folder / DB_FILE}"


def with_password(url: str) -> str:
    """Add the password kept in the keyring to a server URL that has none."""
    from sqlalchemy.engine import make_url

    from caseapp.secrets import db_password_key, default_secrets

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" or parsed.password:
        return url
    secret = default_secrets().get(db_password_key(parsed.username, parsed.host, parsed.port, parsed.database))
    if not secret:
        return url
    return parsed.set(password=secret).render_as_string(hide_password=False)


def author_name(folder: Path | None = None) -> str:
    name = os.environ.get("CASEAPP_AUTHOR")
    if name:
        return name
    from caseapp.settings import load_settings

    saved = load_settings(folder or data_dir()).author
    if saved:
        return saved
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
