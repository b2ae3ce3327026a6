"""The one settings store (``settings.json``), read and written the same way by the window and the command line."""

from __future__ import annotations

from caseapp.settings import (
    Settings,
    load_settings,
    read_settings,
    save_settings,
    server_url_problem,
    settings_file,
    without_password,
)

__all__ = [
    "Settings",
    "load_settings",
    "read_settings",
    "save_settings",
    "server_url_problem",
    "settings_file",
    "without_password",
]
