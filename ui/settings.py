"""The interface's settings: the person's preferences, shared with the command line, and the window's state.

Preferences (name, data folder, server, language) live in the one settings file of ``caseapp.settings``, which the
command line reads and writes too: ``caseapp db connect`` and the Settings dialog agree, and a language chosen
here is the one the command line speaks (unless ``CASEAPP_LANG`` says otherwise). ``Preferences`` is the dialog's
view of them.

The window's state — geometry, splitters, column widths, the page, case and tab last open, the folders last used,
the agenda's span — is not a preference the command line needs: it stays in a QSettings file, next to the data when
``CASEAPP_DATA_DIR`` is set (a portable or test data folder keeps its own), otherwise in the user's configuration
folder. Earlier versions kept the preferences there too: they are moved to the settings file the first time this
one opens it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

from caseapp.services import preferences as store

FILE_NAME = "caseapp-ui.ini"
_OLD_PREFERENCES = "preferences"  # the QSettings group earlier versions kept the preferences in


class Preferences(NamedTuple):
    """What the settings dialog edits."""

    author_name: str
    data_dir: str  # "" = the default data folder
    server_url: str  # "" = the SQLite database in the data folder
    language: str  # "system", "en" or "fr"


def _preferences(saved: dict[str, str | None]) -> Preferences:
    return Preferences(
        author_name=saved["author"] or "",
        data_dir=saved["data_dir"] or "",
        server_url=saved["server_url"] or "",
        language=saved["language"] or "system",
    )


class Settings:
    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings
        self._move_old_preferences()

    @classmethod
    def open(cls, path: Path | None = None) -> Settings:
        if path is None:
            override = os.environ.get("CASEAPP_DATA_DIR")
            if override:
                path = Path(override).expanduser() / FILE_NAME
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(QSettings(str(path), QSettings.Format.IniFormat))
        return cls(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "CaseApp", "CaseApp"))

    @property
    def file_name(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        self._q.sync()

    # -- typed access -------------------------------------------------------------------------------------------

    def _str(self, key: str, default: str = "") -> str:
        value = self._q.value(key, default)
        return str(value) if value is not None else default

    def _bool(self, key: str, default: bool = False) -> bool:
        value = self._q.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def _bytes(self, key: str) -> QByteArray | None:
        value: Any = self._q.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes) and value:
            return QByteArray(value)
        return None

    # -- preferences (the settings file shared with the command line) -----------------------------------------------

    @property
    def preferences_file(self) -> Path:
        return store.settings_file()

    def preferences(self) -> Preferences:
        return _preferences(store.read_settings(self._data_dir()))

    def save_preferences(self, prefs: Preferences) -> None:
        """Save what the dialog edits (``InvalidInput`` for a server address with a password in it)."""
        chosen = {
            "author": prefs.author_name.strip() or None,
            "data_dir": prefs.data_dir.strip() or None,
            "server_url": prefs.server_url.strip() or None,
            "language": None if prefs.language in ("", "system") else prefs.language,
        }
        store.save_settings(self._data_dir(), store.Settings(**(store.read_settings(self._data_dir()) | chosen)))

    def _data_dir(self) -> Path | None:
        """The data folder whose older ``settings.json`` is moved into the settings file the first time."""
        folder = os.environ.get("CASEAPP_DATA_DIR") or self._str(f"{_OLD_PREFERENCES}/data_dir")
        return Path(folder).expanduser() if folder else None

    def _move_old_preferences(self) -> None:
        """Move the preferences earlier versions kept in this QSettings file to the settings file (once: the group
        is removed; what the settings file already says is kept)."""
        if _OLD_PREFERENCES not in self._q.childGroups():
            return
        old = {
            "author": self._str(f"{_OLD_PREFERENCES}/author_name").strip(),
            "data_dir": self._str(f"{_OLD_PREFERENCES}/data_dir").strip(),
            "server_url": self._str(f"{_OLD_PREFERENCES}/server_url").strip(),
            "language": self._str(f"{_OLD_PREFERENCES}/language"),
        }
        if old["language"] not in ("en", "fr"):
            old["language"] = ""
        if store.server_url_problem(old["server_url"]):  # never a password in the settings file
            old["server_url"] = store.without_password(old["server_url"])
        current = store.read_settings(self._data_dir())
        missing = {key: value for key, value in old.items() if value and current[key] is None}
        if missing:
            store.save_settings(self._data_dir(), store.Settings(**(current | missing)))
        self._q.remove(_OLD_PREFERENCES)
        self._q.sync()

    # -- window state -------------------------------------------------------------------------------------------

    def geometry(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/{name}_geometry")

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"window/{name}_geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self._q.setValue("window/state", value)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"splitters/{name}", value)

    def header(self, name: str) -> QByteArray | None:
        return self._bytes(f"headers/{name}")

    def set_header(self, name: str, value: QByteArray) -> None:
        self._q.setValue(f"headers/{name}", value)

    @property
    def last_page(self) -> str:
        return self._str("view/page", "agenda")

    @last_page.setter
    def last_page(self, value: str) -> None:
        self._q.setValue("view/page", value)

    @property
    def last_case_id(self) -> str:
        return self._str("view/case_id")

    @last_case_id.setter
    def last_case_id(self, value: str) -> None:
        self._q.setValue("view/case_id", value)

    @property
    def last_tab(self) -> str:
        return self._str("view/tab", "overview")

    @last_tab.setter
    def last_tab(self, value: str) -> None:
        self._q.setValue("view/tab", value)

    def last_folder(self, purpose: str) -> str:
        """The folder last used to save or open a kind of file ("documents", "bundles"…); '' = none yet."""
        return self._str(f"folders/{purpose}")

    def set_last_folder(self, purpose: str, folder: str) -> None:
        self._q.setValue(f"folders/{purpose}", folder)

    @property
    def agenda_days(self) -> int:
        try:
            return int(self._str("view/agenda_days", "60"))
        except ValueError:
            return 60

    @agenda_days.setter
    def agenda_days(self, value: int) -> None:
        self._q.setValue("view/agenda_days", str(value))
