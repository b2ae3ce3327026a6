"""Backups and restores from the window (File › Back up now, File › Restore a backup…), a restore offered when the
case file is damaged, and the warnings of an opening (a daily backup that could not be written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from caseapp.i18n import _
from ui.operations.base import query

if TYPE_CHECKING:
    from caseapp.services.core import Core
    from ui.backups_dialog import BackupsDialog
    from ui.context import AppContext
    from ui.main_window import MainWindow


def restoring_opener(ctx: AppContext, backup: Path, done: dict[str, Any]) -> Callable[[], Core]:
    """Open the case file after putting ``backup`` in its place (the worker closes the open one first)."""
    from ui.context import opener

    reopen = opener(ctx.location)

    def open_it() -> Core:
        from caseapp.services import safekeeping

        done["aside"] = safekeeping.restore(ctx.location.data_dir, backup)
        return reopen()

    return open_it


class Safekeeping(QObject):
    """Installs the backup actions in a window's File menu and says what an opening could not do."""

    def __init__(self, window: MainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.dialog: BackupsDialog | None = None
        self._restored: dict[str, Any] = {}
        local = not ctx.location.url
        self.back_up_action = window.new_action(_("Back up now"), self.back_up, icon_name="save", name="back_up")
        self.restore_action = window.new_action(_("Restore a backup…"), self.choose_backup, name="restore_backup")
        for action in (self.back_up_action, self.restore_action):
            action.setEnabled(local)
            window.file_menu.insertAction(window.recompute_action, action)
        ctx.tasks.core_did_open.connect(self._opened)

    def back_up(self) -> None:
        def work(core: Core) -> Path:
            from caseapp.services import safekeeping

            return safekeeping.back_up(core)

        def done(path: Path) -> None:
            self.window.statusBar().showMessage(_("Backup written: {path}").format(path=path), 10000)

        query(self.ctx, work, on_success=done, owner=self)

    def _data_dir(self) -> Path:
        from caseapp.services import environment

        return self.ctx.location.data_dir or environment.data_dir()

    def choose_backup(self) -> BackupsDialog:
        from caseapp.services import safekeeping
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(safekeeping.list_backups(self._data_dir()), self.window)
        self.dialog = dialog

        def finished(result: int) -> None:
            chosen = dialog.chosen()
            dialog.deleteLater()
            self.dialog = None
            if result and chosen is not None:
                self.restore(chosen)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def restore(self, backup: Path) -> None:
        """Close the case file, put the backup in its place, open it again (on the worker)."""
        self._restored = {"backup": backup}
        self.window.statusBar().showMessage(_("Restoring the backup…"))
        self.ctx.undo.clear()
        self.ctx.tasks.open_core(restoring_opener(self.ctx, backup, self._restored))

    def _opened(self) -> None:
        core = self.ctx.core
        for warning in core.db.warnings:
            self.ctx.prompts.inform(self.window, _("CaseApp"), warning)
        aside = self._restored.pop("aside", None)
        if aside is not None:
            self.ctx.prompts.inform(
                self.window,
                _("Backup restored"),
                _("The backup was put back. The case file it replaced was kept as {path}.").format(path=aside),
            )
