"""The questions the interface asks (confirmations, file pickers, passphrases, conflicts), behind one small object.

Controllers ask ``ctx.prompts``; tests swap in an object with the same methods that answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from caseapp.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# how a conflict is settled (``settle_conflict``); "" = neither (the person closed the question)
RELOAD = "reload"
OVERWRITE = "overwrite"


class Prompts:
    # Qt's dialog classes are imported on first use: the window paints without them.

    def confirm(self, parent: QWidget | None, title: str, text: str, *, action: str | None = None) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        accept = box.addButton(action or _("Continue"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def inform(self, parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.open()

    def open_files(self, parent: QWidget | None, title: str) -> list[Path]:
        from PySide6.QtWidgets import QFileDialog

        names, _filter = QFileDialog.getOpenFileNames(parent, title)
        return [Path(name) for name in names]

    def open_file(self, parent: QWidget | None, title: str, name_filter: str = "", *, start: str = "") -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(parent, title, start, name_filter)
        return Path(name) if name else None

    def save_file(self, parent: QWidget | None, title: str, suggested: Path, name_filter: str = "") -> Path | None:
        """Where to write a new file; the suggested name's extension is added when the person leaves it out."""
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), name_filter)
        if not name:
            return None
        path = Path(name)
        if suggested.suffix and path.suffix.lower() != suggested.suffix.lower():
            path = path.with_name(path.name + suggested.suffix)
        return path

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name = QFileDialog.getExistingDirectory(parent, title, start)
        return Path(name) if name else None

    def passphrase(self, parent: QWidget | None, title: str, text: str, *, confirm: bool = False) -> str | None:
        """A passphrase typed hidden (twice when ``confirm``); None when the person cancels."""
        from ui.bundles.passphrase import PassphraseDialog

        dialog = PassphraseDialog(parent, title, text, confirm=confirm)
        return dialog.passphrase() if dialog.exec() else None

    def settle_conflict(self, parent: QWidget | None, title: str, text: str, *, deleting: bool) -> str:
        """Someone else changed the record: ``RELOAD`` (theirs), ``OVERWRITE`` (mine, knowingly) or ''."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("conflict_box")
        box.setInformativeText(
            _("Reload keeps their version and shows it; Delete anyway deletes the record with their changes.")
            if deleting
            else _("Reload discards your edit and shows their version; Keep mine saves yours over theirs.")
        )
        reload = box.addButton(_("Reload"), QMessageBox.ButtonRole.RejectRole)
        overwrite = box.addButton(
            _("Delete anyway") if deleting else _("Keep mine"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(reload)
        box.exec()
        clicked = box.clickedButton()
        if clicked is reload:
            return RELOAD
        if clicked is overwrite:
            return OVERWRITE
        return ""
