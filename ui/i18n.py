"""The interface language: which one to use, Qt's own translations, and labels for the core's enums.

Strings are English in the source and go through ``_()`` from :mod:`caseapp.i18n` (one mechanism for the core and
the UI: gettext catalogues); the French for the interface is ``resources/locale/fr/LC_MESSAGES/ui.po``, for the
vocabularies and the rules ``domain.po``. The language chosen in the Settings dialog is kept in the settings file
the command line reads too (``caseapp.settings``). Qt's standard dialogs (file pickers, "OK"/"Cancel" buttons) are
translated by ``qtbase_fr.qm`` shipped with PySide6.
"""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from caseapp.i18n import SUPPORTED, current_language, set_language, system_language

if TYPE_CHECKING:
    from caseapp.domain.enums import LabelledEnum

SYSTEM = "system"


def choose_language(preference: str | None) -> str:
    """``CASEAPP_LANG`` wins (it is set for one run on purpose), then the settings, then the system language."""
    forced = os.environ.get("CASEAPP_LANG", "")[:2].lower()
    if forced in SUPPORTED:
        return forced
    if preference in SUPPORTED:
        return preference
    return system_language()


class QtTranslations:
    """Installs Qt's own catalogue for the chosen language, and removes it again when the language changes."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None

    def apply(self, app: QApplication, lang: str) -> bool:
        set_language(lang)
        QLocale.setDefault(QLocale(QLocale.Language.French if lang == "fr" else QLocale.Language.English))
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if lang == "en":
            return True
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not translator.load(f"qtbase_{lang}", folder):
            return False
        app.installTranslator(translator)
        self._translator = translator
        return True


def label(enum_cls: type[LabelledEnum], value: str | Enum | None, empty: str = "—") -> str:
    """The label of a stored enum value in the interface language."""
    if value is None or value == "":
        return empty
    try:
        return enum_cls(value).label(current_language())
    except ValueError:
        return str(value)
