"""Exporting a case as a bundle for a colleague: signed (by default once a key exists), with or without the case
summary, optionally encrypted with a passphrase (typed twice) or for trusted colleagues' keys."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import Cancelled, CaseAppError
from caseapp.i18n import _
from ui import spacing, style
from ui.bundles.passphrase import passphrase_field, passphrase_problem
from ui.context import AppContext
from ui.operations import bundles as ops
from ui.operations.bundles import ExportOptions, KeyInfo
from ui.operations.documents import safe_file_name


class ExportBundleDialog(QDialog):
    def __init__(
        self, ctx: AppContext, case_id: uuid.UUID, title: str, court_number: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_bundle_dialog")
        self.ctx = ctx
        self.case_id = case_id
        self.case_title = title
        self.court_number = court_number
        self.keys: KeyInfo | None = None
        self.report: Any = None
        self.setWindowTitle(_("Export case bundle"))
        self.setMinimumWidth(560)
        intro = QLabel(
            _(
                "A single file holding the whole case — records, history and exhibits — that a colleague imports "
                "into their CaseApp. Sending it again later updates their copy, never duplicates it."
            ),
            self,
        )
        intro.setWordWrap(True)
        case_label = QLabel(f"<b>{_('Case:')}</b> {title}", self)
        case_label.setWordWrap(True)
        case_label.setTextFormat(Qt.TextFormat.RichText)
        self.sign = QCheckBox(_("Sign with my key"), self)
        self.sign.setObjectName("bundle_sign")
        self.sign_note = QLabel(self)
        self.sign_note.setWordWrap(True)
        style.set_muted_style(self.sign_note)
        self.include_pdf = QCheckBox(_("Include the case summary (PDF)"), self)
        self.include_pdf.setObjectName("bundle_pdf")
        self.include_pdf.setChecked(True)
        self.no_encryption = QRadioButton(_("Do not encrypt"), self)
        self.no_encryption.setObjectName("bundle_plain")
        self.by_passphrase = QRadioButton(_("Encrypt with a passphrase"), self)
        self.by_passphrase.setObjectName("bundle_passphrase")
        self.for_colleagues = QRadioButton(_("Encrypt for trusted colleagues"), self)
        self.for_colleagues.setObjectName("bundle_recipients")
        self.no_encryption.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.no_encryption, self.by_passphrase, self.for_colleagues):
            group.addButton(button)
            button.toggled.connect(self._update)
        self.passphrase = passphrase_field(self, "bundle_passphrase_1")
        self.passphrase_again = passphrase_field(self, "bundle_passphrase_2")
        self.passphrase_box = QWidget(self)
        form = QFormLayout(self.passphrase_box)
        form.setContentsMargins(spacing.SECTION, 0, 0, 0)
        form.addRow(_("Passphrase:"), self.passphrase)
        form.addRow(_("Again:"), self.passphrase_again)
        hint = QLabel(_("Give the passphrase to your colleague by another channel than the bundle."), self)
        hint.setWordWrap(True)
        style.set_muted_style(hint)
        form.addRow(hint)
        self.colleagues = QListWidget(self)
        self.colleagues.setObjectName("bundle_colleagues")
        self.colleagues.setMaximumHeight(110)
        self.error = QLabel(self)
        self.error.setObjectName("bundle_error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        style.set_error_style(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(_("Export…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("bundle_export")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(intro)
        layout.addWidget(case_label)
        layout.addSpacing(spacing.SPACING)
        layout.addWidget(self.sign)
        layout.addWidget(self.sign_note)
        layout.addWidget(self.include_pdf)
        layout.addSpacing(spacing.SPACING)
        layout.addWidget(self.no_encryption)
        layout.addWidget(self.by_passphrase)
        layout.addWidget(self.passphrase_box)
        layout.addWidget(self.for_colleagues)
        layout.addWidget(self.colleagues)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.export_button.setEnabled(False)  # until the keys are known
        self._update()
        ops.key_info(ctx, owner=self, on_success=self._keys_known)

    def _keys_known(self, keys: KeyInfo) -> None:
        self.keys = keys
        self.sign.setChecked(keys.fingerprint is not None)
        if keys.fingerprint is not None:
            self.sign_note.setText(_("Your key: {fingerprint}").format(fingerprint=keys.shown))
        else:
            self.sign_note.setText(
                _(
                    "You have no key yet: signing creates one (see File › Bundle keys…). Unsigned bundles can be "
                    "imported only after an explicit confirmation."
                )
            )
        if keys.warning:
            self.sign_note.setText(self.sign_note.text() + "\n" + keys.warning)
        self.colleagues.clear()
        for colleague in keys.colleagues:
            if not colleague.recipient:
                continue
            item = QListWidgetItem(f"{colleague.name or '—'}  ({colleague.shown})", self.colleagues)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, colleague.recipient)
        if self.colleagues.count() == 0:
            self.for_colleagues.setEnabled(False)
            self.for_colleagues.setToolTip(
                _("No trusted colleague has given an encryption key yet: trust their public key file first.")
            )
        self.export_button.setEnabled(True)
        self._update()
        self.fit_height()

    def _update(self) -> None:
        self.passphrase_box.setVisible(self.by_passphrase.isChecked())
        self.colleagues.setVisible(self.for_colleagues.isChecked())
        self.error.setVisible(False)
        self.fit_height()

    def fit_height(self) -> None:
        """Tall enough for every wrapped line at the dialog's width (the key's note arrives once the dialog is
        open, in French often over several lines): a dialog does not grow by itself for text that wraps."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        screen = self.screen()
        if screen is not None:
            needed = min(needed, int(screen.availableGeometry().height() * 0.9))
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(width, needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()

    def chosen_recipients(self) -> list[str]:
        found = []
        for row in range(self.colleagues.count()):
            item = self.colleagues.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found

    def options(self) -> ExportOptions | None:
        """The options chosen, or None (with the reason shown) when they cannot be used yet."""
        problem = None
        passphrase = None
        recipients: list[str] = []
        if self.by_passphrase.isChecked():
            problem = passphrase_problem(self.passphrase.text(), self.passphrase_again.text())
            passphrase = self.passphrase.text()
        elif self.for_colleagues.isChecked():
            recipients = self.chosen_recipients()
            if not recipients:
                problem = _("Tick at least one colleague to encrypt the bundle for.")
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            self.fit_height()
            return None
        return ExportOptions(self.sign.isChecked(), self.include_pdf.isChecked(), passphrase, tuple(recipients))

    def export(self) -> None:
        options = self.options()
        if options is None:
            return
        folder = self.ctx.settings.last_folder("bundles") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = safe_file_name(self.court_number or self.case_title) + ops.BUNDLE_SUFFIX
        target = self.ctx.prompts.save_file(
            self, _("Save the case bundle as"), Path(folder) / name, _("Case bundles (*.casebundle)")
        )
        if target is None:
            return
        self.ctx.settings.set_last_folder("bundles", str(target.parent))
        self.export_button.setEnabled(False)
        ops.export(self.ctx, self.case_id, target, options, parent=self, on_success=self._done, on_failure=self._failed)

    def _done(self, report: Any) -> None:
        from caseapp.services.bundles import written_sentence

        self.report = report
        lines = [written_sentence(report)]
        lines.append(_("Signed with your key.") if report.signed_by else _("Not signed."))
        if report.encryption == "passphrase":
            lines.append(_("Encrypted with a passphrase: give it to your colleague by another channel."))
        elif report.encryption:
            lines.append(_("Encrypted for the colleagues you chose."))
        self.ctx.prompts.inform(self.parentWidget(), _("Export case bundle"), "\n".join(lines))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(error, Cancelled):
            return
        if isinstance(error, CaseAppError):
            self.error.setText(error.message)
            self.error.setVisible(True)
            self.fit_height()
        else:
            self.ctx.errors.present(error, self)
