"""The Télérecours exhibit set: first every problem of the register (blocking ones clearly apart), then where to
write the set — a new folder or a .zip file — and the export itself off the GUI thread."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caseapp.i18n import _, ngettext
from ui import spacing, style
from ui.context import AppContext
from ui.icons import icon
from ui.operations import documents as ops
from ui.operations.documents import ExhibitSetCheck, safe_file_name


def set_name(check: ExhibitSetCheck) -> str:
    detail = check.detail
    return safe_file_name(f"Pieces {detail.court_number or detail.title}")


class TelerecoursDialog(QDialog):
    def __init__(self, ctx: AppContext, check: ExhibitSetCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("telerecours_dialog")
        self.ctx = ctx
        self.check = check
        self.result_value: Any = None
        self.setWindowTitle(_("Télérecours exhibit set"))
        self.setMinimumWidth(620)
        detail = check.detail
        blocking = check.blocking
        intro = QLabel(
            _(
                "One PDF per exhibit, named with its number and label as Télérecours expects, and the bordereau, "
                "for “{title}”."
            ).format(title=detail.title),
            self,
        )
        intro.setWordWrap(True)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("telerecours_verdict")
        self.verdict.setWordWrap(True)
        if not check.problems:
            self.verdict.setText(_("The exhibit register has no problem: it is ready to export."))
        elif blocking:
            self.verdict.setText(
                ngettext(
                    "{count} problem blocks the export (in red below). Solve it in the Evidence tab, or export "
                    "anyway: exhibits without a usable file are then left out, and the bordereau lists only the "
                    "exhibits exported.",
                    "{count} problems block the export (in red below). Solve them in the Evidence tab, or export "
                    "anyway: exhibits without a usable file are then left out, and the bordereau lists only the "
                    "exhibits exported.",
                    len(blocking),
                ).format(count=len(blocking))
            )
            style.set_error_style(self.verdict)
        else:
            self.verdict.setText(
                ngettext(
                    "{count} warning: the set can be exported, but check it first.",
                    "{count} warnings: the set can be exported, but check them first.",
                    len(check.problems),
                ).format(count=len(check.problems))
            )
        self.problems = QListWidget(self)
        self.problems.setObjectName("telerecours_problems")
        self.problems.setWordWrap(True)
        self.problems.setVisible(bool(check.problems))
        for problem in check.problems:
            prefix = _("Blocking") if problem.blocking else _("Warning")
            item = QListWidgetItem(icon("error" if problem.blocking else "warning"), f"{prefix} — {problem.message}")
            if problem.blocking:
                item.setForeground(style.error_colour(self.palette()))
            item.setData(Qt.ItemDataRole.UserRole, problem.blocking)
            self.problems.addItem(item)
        self.force = QCheckBox(_("Export anyway, leaving out the exhibits without a usable file"), self)
        self.force.setObjectName("telerecours_force")
        self.force.setVisible(bool(blocking))
        self.as_folder = QRadioButton(_("Into a new folder"), self)
        self.as_folder.setObjectName("telerecours_folder")
        self.as_zip = QRadioButton(_("Into a .zip file"), self)
        self.as_zip.setObjectName("telerecours_zip")
        self.as_folder.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.as_folder)
        group.addButton(self.as_zip)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("telerecours_export")
        self.export_button.setEnabled(not blocking)
        self.force.toggled.connect(lambda on: self.export_button.setEnabled(on or not blocking))
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(intro)
        layout.addWidget(self.verdict)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.force)
        layout.addSpacing(spacing.SPACING)
        layout.addWidget(self.as_folder)
        layout.addWidget(self.as_zip)
        layout.addStretch(0)
        layout.addWidget(self.buttons)

    def export(self) -> None:
        folder = self.ctx.settings.last_folder("documents") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = set_name(self.check)
        target: Path | None
        if self.as_zip.isChecked():
            target = self.ctx.prompts.save_file(
                self, _("Save the exhibit set as"), Path(folder) / f"{name}.zip", _("Zip files (*.zip)")
            )
            if target is not None:
                self.ctx.settings.set_last_folder("documents", str(target.parent))
        else:
            chosen = self.ctx.prompts.choose_folder(
                self, _("Choose where to create the folder “{name}”").format(name=name), folder
            )
            target = chosen / name if chosen is not None else None
            if chosen is not None:
                self.ctx.settings.set_last_folder("documents", str(chosen))
        if target is None:
            return
        self.export_button.setEnabled(False)
        ops.export_exhibit_set(
            self.ctx,
            self.check.detail,
            target,
            force=self.force.isChecked(),
            parent=self,
            on_success=self._exported,
            on_failure=self._failed,
        )

    def _exported(self, result: Any) -> None:
        self.result_value = result
        text = ngettext(
            "The exhibit set was written to {path} ({count} file).",
            "The exhibit set was written to {path} ({count} files).",
            len(result.files),
        ).format(path=result.path, count=len(result.files))
        if result.skipped:
            text += "\n" + _("Left out of the set and of its bordereau (no usable file): exhibits {numbers}.").format(
                numbers=", ".join(str(n) for n in result.skipped)
            )
        self.ctx.prompts.inform(self.parentWidget(), _("Télérecours exhibit set"), text, "\n".join(result.files))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.ctx.errors.present(error, self)


def start_export(ctx: AppContext, case_id: uuid.UUID, parent: QWidget | None) -> ExportStart:
    """Check the register (on the worker), then show the dialog; returns the object that will own it."""
    holder = ExportStart(parent)

    def checked(check: ExhibitSetCheck) -> None:
        dialog = TelerecoursDialog(ctx, check, parent)
        holder.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    ops.check_exhibit_set(ctx, case_id, owner=holder, on_success=checked)
    return holder


class ExportStart(QObject):
    """Owns the check's callback and lets callers (and tests) find the dialog once it opens."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.dialog: TelerecoursDialog | None = None
