"""Where CaseApp's own files are: the data folder, the settings file, the configuration and cache folders.

The lowest module of all (it imports nothing of CaseApp), so that the translations, the settings and the
configuration can all ask where things are without importing one another. Reading the settings file here is
deliberately small: a JSON object, or nothing; ``caseapp.settings`` is the store with its rules.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Literal

APP_NAME = "CaseApp"
SETTINGS_FILE = "settings.json"
CONFIG_ENV = "CASEAPP_CONFIG_DIR"
DATA_ENV = "CASEAPP_DATA_DIR"


def user_folder(kind: Literal["config", "cache"]) -> Path:
    """CaseApp's folder for its configuration or its cache in the user's home, where platformdirs puts it (the
    XDG folders on Linux are worked out here: importing platformdirs would cost every start of the command line
    a few milliseconds)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, default = ("XDG_CONFIG_HOME", "~/.config") if kind == "config" else ("XDG_CACHE_HOME", "~/.cache")
        base = os.environ.get(variable, "").strip() or os.path.expanduser(default)
        return Path(base) / APP_NAME
    import platformdirs

    found = platformdirs.user_config_dir if kind == "config" else platformdirs.user_cache_dir
    return Path(found(APP_NAME, appauthor=False))


def settings_file() -> Path:
    """The one settings file: in ``CASEAPP_CONFIG_DIR``; else, with ``CASEAPP_DATA_DIR`` (a portable or a test data
    folder), that folder's own; else the user's configuration folder."""
    config_dir = os.environ.get(CONFIG_ENV)
    if config_dir:
        return Path(config_dir).expanduser() / SETTINGS_FILE
    data_dir = os.environ.get(DATA_ENV)
    if data_dir:
        return Path(data_dir).expanduser() / SETTINGS_FILE
    return user_folder("config") / SETTINGS_FILE


def read_object(path: Path) -> dict[str, Any] | None:
    """The JSON object in a settings file; None when there is none; {} when it is damaged (a damaged settings file
    must not stop the app: defaults, and it is rewritten on save)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def chosen(name: str) -> str | None:
    """One setting as chosen (a string), or None; cheap, never fails, never copies anything."""
    raw = read_object(settings_file())
    value = raw.get(name) if raw else None
    return value if isinstance(value, str) and value else None


def data_dir() -> Path:
    """The data folder: ``CASEAPP_DATA_DIR`` for this run, else the one chosen in the settings (in the window or
    by hand), else the user's data folder."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    picked = chosen("data_dir")
    if picked:
        return Path(picked).expanduser()
    from platformdirs import user_data_dir  # only when needed: `caseapp --version` must start at once

    return Path(user_data_dir(APP_NAME, appauthor=False))
