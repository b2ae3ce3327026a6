"""The interface's preferences and window state, declared once, typed, stored with QSettings.

Where: next to the data when ``CASEAPP_DATA_DIR`` is set (a portable or test data folder keeps its own
preferences), otherwise in the user's configuration folder. The data folder itself is one of the preferences, so
it cannot live inside it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSettings

FILE_NAME = "caseapp-ui.ini"


class Preferences(NamedTuple):
    """What the settings dialog edits."""

    author_name: str
    data_dir: str  # "" = the default data folder
    server_url: str  # "" = the SQLite database in the data folder
    language: str  # "system", "en" or "fr"


class Settings:
    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings

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

    # -- preferences --------------------------------------------------------------------------------------------

    def preferences(self) -> Preferences:
        return Preferences(
            author_name=self._str("preferences/author_name"),
            data_dir=self._str("preferences/data_dir"),
            server_url=self._str("preferences/server_url"),
            language=self._str("preferences/language", "system") or "system",
        )

    def save_preferences(self, prefs: Preferences) -> None:
        self._q.setValue("preferences/author_name", prefs.author_name.strip())
        self._q.setValue("preferences/data_dir", prefs.data_dir.strip())
        self._q.setValue("preferences/server_url", prefs.server_url.strip())
        self._q.setValue("preferences/language", prefs.language)
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
