"""The questions the interface asks (confirmations, file pickers), behind one small object.

Controllers ask ``ctx.prompts``; tests swap in an object with the same methods that answers at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from caseapp.i18n import _


class Prompts:
    def confirm(self, parent: QWidget | None, title: str, text: str, *, action: str | None = None) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
        accept = box.addButton(action or _("Continue"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def inform(self, parent: QWidget | None, title: str, text: str, details: str | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.open()

    def open_files(self, parent: QWidget | None, title: str) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(parent, title)
        return [Path(name) for name in names]

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, start)
        return Path(name) if name else None
