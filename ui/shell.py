"""The application shell: owns the main window, rebuilds it when the language changes, runs the settings dialog,
and handles a case file that cannot be opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from caseapp.i18n import _
from ui.context import AppContext, location_from, opener
from ui.errors import explain
from ui.i18n import QtTranslations, choose_language
from ui.main_window import MainWindow

if TYPE_CHECKING:
    from ui.dialogs.settings_dialog import SettingsDialog


class Shell(QObject):
    def __init__(self, app: QApplication, ctx: AppContext, translations: QtTranslations) -> None:
        super().__init__()
        self.app = app
        self.ctx = ctx
        self.translations = translations
        self.window: MainWindow | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.quit: Callable[[], None] = app.quit
        ctx.tasks.core_did_fail.connect(self._core_failed)

    def start(self) -> MainWindow:
        self.window = MainWindow(self.ctx, self)
        self.window.show()
        return self.window

    # -- language -----------------------------------------------------------------------------------------------

    def switch_language(self, lang: str) -> MainWindow:
        """Apply a new interface language by rebuilding the window where it was (layouts are code: cheap)."""
        self.translations.apply(self.app, lang)
        old = self.window
        if old is not None:
            old.save_state()
            for child in old.findChildren(QWidget):
                if child.isWindow() and child.isVisible() and child is not old:
                    child.close()
            old.hide()
            old.deleteLater()
        self.window = MainWindow(self.ctx, self)
        self.window.show()
        self.ctx.events.language_did_change.emit(lang)
        return self.window

    # -- settings -----------------------------------------------------------------------------------------------

    def open_settings(self, parent: QWidget | None) -> SettingsDialog:
        from ui.dialogs.settings_dialog import SettingsDialog
        from ui.operations.cases import login_name

        prefs = self.ctx.settings.preferences()
        dialog = SettingsDialog(prefs, self.ctx.prompts, parent, default_author=login_name())
        self.settings_dialog = dialog

        def finished(result: int) -> None:
            dialog.deleteLater()
            if result:
                self.apply_preferences(dialog.preferences())

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def apply_preferences(self, new: object) -> None:
        from ui.settings import Preferences

        assert isinstance(new, Preferences)
        old = self.ctx.settings.preferences()
        self.ctx.settings.save_preferences(new)
        if new.author_name != old.author_name:
            from ui.operations.cases import set_author

            set_author(self.ctx, new.author_name)
        if (new.data_dir, new.server_url) != (old.data_dir, old.server_url) and self.window is not None:
            self.window.statusBar().showMessage(_("The new case file location is used when CaseApp restarts."), 8000)
        lang = choose_language(new.language)
        if lang != choose_language(old.language) or new.language != old.language:
            self.switch_language(lang)

    # -- a case file that cannot be opened ----------------------------------------------------------------------

    def _core_failed(self, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        explanation = explain(error)
        box = QMessageBox(self.window)
        box.setObjectName("open_failed")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(_("The case file cannot be opened"))
        box.setText(explanation.text)
        box.setInformativeText(_("Choose another data folder, or quit and fix the problem first."))
        box.setDetailedText(explanation.details)
        backup = getattr(error, "backup", None)
        restore = None
        if backup is not None:  # a damaged case file: put its newest good backup back
            restore = box.addButton(_("Restore this backup"), QMessageBox.ButtonRole.YesRole)
            box.setInformativeText(
                _(
                    "Restore the backup named above (the damaged file is kept aside), choose another data folder, "
                    "or quit."
                )
            )
        choose = box.addButton(_("Choose another folder…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if restore is not None and box.clickedButton() is restore and self.window is not None:
            self.window.safekeeping.restore(backup)
            return
        if box.clickedButton() is not choose:
            self.quit()
            return
        folder = self.ctx.prompts.choose_folder(self.window, _("Choose the data folder"))
        if folder is None:
            self.quit()
            return
        prefs = self.ctx.settings.preferences()
        from ui.settings import Preferences

        self.ctx.settings.save_preferences(Preferences(prefs.author_name, str(folder), "", prefs.language))
        import os

        env = dict(os.environ)
        env.pop("CASEAPP_DATA_DIR", None)
        env.pop("CASEAPP_DB_URL", None)
        self.ctx.location = location_from(self.ctx.settings, env)
        self.ctx.tasks.open_core(opener(self.ctx.location))
