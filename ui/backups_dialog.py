"""The list of backups to choose one to restore (File › Restore a backup…)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from caseapp.i18n import _
from ui import spacing
from ui.formatting import long_date, short_time


class BackupsDialog(QDialog):
    """The backups of the data folder, newest first; the one chosen is restored."""

    def __init__(self, backups: list[Any], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore a backup"))
        self.setMinimumWidth(520)
        layout = spacing.page(QVBoxLayout(self))
        intro = QLabel(
            _(
                "Choose the backup to put back. The case file as it is now is kept aside, never deleted; what was "
                "saved after the backup is not in it. Evidence files are not touched."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("backups")
        kinds = {"daily": _("daily"), "before-migration": _("before an upgrade"), "manual": _("by hand")}
        for info in backups:
            text = _("{when} — {kind} — {size} KB").format(
                when=f"{long_date(info.taken_at)} {short_time(info.taken_at)}",
                kind=kinds.get(info.kind, info.kind),
                size=max(1, info.size // 1024),
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            item.setToolTip(str(info.path))
        if backups:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = self.buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
