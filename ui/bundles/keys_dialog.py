"""Bundle keys: your own fingerprint (to read to a colleague), your public card to give them, and the colleagues
whose bundles you trust — added by fingerprint or from their card file, removed when they leave."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import CaseAppError
from caseapp.i18n import _
from ui import spacing, style
from ui.context import AppContext
from ui.icons import icon
from ui.operations import bundles as ops
from ui.operations.bundles import KeyInfo


class TrustDialog(QDialog):
    """A colleague's key: their fingerprint, typed (read to you over the phone), or their public card file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("trust_dialog")
        self.ctx = ctx
        self.card_file: Path | None = None
        self.setWindowTitle(_("Trust a colleague's key"))
        self.setMinimumWidth(520)
        explanation = QLabel(
            _(
                "Type the fingerprint your colleague reads to you, or choose the public key file they gave you "
                "(it also lets you encrypt bundles for them)."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("trust_fingerprint")
        self.fingerprint.setPlaceholderText("3F2A 9C11 0B7D E4A2 5566  81C0 77AB 0D1E 9F00 4C3B")
        self.card_button = QPushButton(icon("open"), _("Choose a public key file…"), self)
        self.card_button.setObjectName("trust_card")
        self.card_button.clicked.connect(self.choose_card)
        self.name = QLineEdit(self)
        self.name.setObjectName("trust_name")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        style.set_error_style(self.error)
        form = QFormLayout()
        key_row = QHBoxLayout()
        key_row.addWidget(self.fingerprint, 1)
        key_row.addWidget(self.card_button)
        form.addRow(_("Fingerprint:"), key_row)
        form.addRow(_("Whose key:"), self.name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.trust_button = self.buttons.addButton(_("Trust"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.trust)
        self.buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.info: KeyInfo | None = None

    def choose_card(self) -> None:
        path = self.ctx.prompts.open_file(
            self, _("Choose a public key file"), _("CaseApp public keys (*.txt *.key);;All files (*)")
        )
        if path is None:
            return
        self.card_file = path
        self.fingerprint.setText("")
        self.fingerprint.setPlaceholderText(_("From the file {name}").format(name=path.name))

    def trust(self) -> None:
        typed = self.fingerprint.text().strip()
        if not typed and self.card_file is None:
            self.error.setText(_("Type a fingerprint or choose a public key file."))
            self.error.setVisible(True)
            return
        self.trust_button.setEnabled(False)
        ops.trust(
            self.ctx,
            fingerprint=typed or None,
            card_file=None if typed else self.card_file,
            name=self.name.text().strip(),
            owner=self,
            on_success=self._trusted,
            on_failure=self._failed,
        )

    def _trusted(self, info: KeyInfo) -> None:
        self.info = info
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.trust_button.setEnabled(True)
        if isinstance(error, CaseAppError):
            self.error.setText(error.message)
            self.error.setVisible(True)
        else:
            self.ctx.errors.present(error, self)


class KeysDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keys_dialog")
        self.ctx = ctx
        self.info: KeyInfo | None = None
        self.trust_dialog: TrustDialog | None = None
        self.setWindowTitle(_("Bundle keys"))
        self.setMinimumSize(640, 460)
        mine = QLabel(_("Your signing key"), self)
        mine.setFont(style.scaled_font(self, 1.1, bold=True))
        explanation = QLabel(
            _(
                "Bundles you export are signed with it. Read its fingerprint to a colleague (or give them your "
                "public key file) so that their CaseApp recognises your bundles."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setObjectName("own_fingerprint")
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setFont(style.scaled_font(self, 1.05, bold=True))
        self.copy_button = QPushButton(icon("copy"), _("Copy"), self)
        self.copy_button.setObjectName("copy_fingerprint")
        self.copy_button.clicked.connect(self.copy_fingerprint)
        self.create_button = QPushButton(icon("key"), _("Create my key"), self)
        self.create_button.setObjectName("create_key")
        self.create_button.clicked.connect(lambda: ops.create_keys(ctx, owner=self, on_success=self.show_info))
        self.card_button = QPushButton(icon("save"), _("Export my public key…"), self)
        self.card_button.setObjectName("export_card")
        self.card_button.clicked.connect(self.export_card)
        self.warning = QLabel(self)
        self.warning.setObjectName("keys_warning")
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        style.set_error_style(self.warning)
        own_row = QHBoxLayout()
        own_row.addWidget(self.fingerprint, 1)
        own_row.addWidget(self.copy_button)
        own_row.addWidget(self.create_button)
        own_row.addWidget(self.card_button)

        theirs = QLabel(_("Colleagues you trust"), self)
        theirs.setFont(style.scaled_font(self, 1.1, bold=True))
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("trusted_keys")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Fingerprint"), _("Encryption")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update)
        self.trust_button = QPushButton(icon("add"), _("Trust a colleague…"), self)
        self.trust_button.setObjectName("trust_key")
        self.trust_button.clicked.connect(self.trust)
        self.remove_button = QPushButton(icon("delete"), _("Remove"), self)
        self.remove_button.setObjectName("remove_key")
        self.remove_button.clicked.connect(self.remove_selected)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.trust_button)
        table_buttons.addWidget(self.remove_button)
        table_buttons.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(mine)
        layout.addWidget(explanation)
        layout.addLayout(own_row)
        layout.addWidget(self.warning)
        layout.addSpacing(spacing.SECTION)
        layout.addWidget(theirs)
        layout.addWidget(self.table, 1)
        layout.addLayout(table_buttons)
        layout.addWidget(buttons)
        self._update()
        ops.key_info(ctx, owner=self, on_success=self.show_info)

    def show_info(self, info: KeyInfo) -> None:
        self.info = info
        has_key = info.fingerprint is not None
        self.fingerprint.setText(info.shown or "")
        self.fingerprint.setPlaceholderText(_("No key yet: create it to sign your bundles."))
        self.copy_button.setVisible(has_key)
        self.create_button.setVisible(not has_key)
        self.warning.setText(info.warning or "")
        self.warning.setVisible(bool(info.warning))
        self.table.setRowCount(len(info.colleagues))
        for row, colleague in enumerate(info.colleagues):
            name = QTableWidgetItem(colleague.name or "—")
            name.setData(Qt.ItemDataRole.UserRole, colleague.fingerprint)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(colleague.shown))
            self.table.setItem(
                row, 2, QTableWidgetItem(_("can receive encrypted bundles") if colleague.recipient else "—")
            )
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedItems()))

    def copy_fingerprint(self) -> None:
        if self.info is not None and self.info.shown:
            QGuiApplication.clipboard().setText(self.info.shown)

    def export_card(self) -> None:
        folder = self.ctx.settings.last_folder("bundles") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        target = self.ctx.prompts.save_file(
            self, _("Export my public key"), Path(folder) / "caseapp-public-key.txt", _("Text files (*.txt)")
        )
        if target is None:
            return
        ops.export_card(self.ctx, target, owner=self, on_success=self._card_written)

    def _card_written(self, path: Path) -> None:
        self.ctx.prompts.inform(
            self,
            _("Export my public key"),
            _("Your public key was written to {path}. Give it to your colleagues: it holds no secret.").format(
                path=path
            ),
        )
        ops.key_info(self.ctx, owner=self, on_success=self.show_info)

    def trust(self) -> None:
        dialog = TrustDialog(self.ctx, self)
        self.trust_dialog = dialog

        def finished(result: int) -> None:
            if result and dialog.info is not None:
                self.show_info(dialog.info)
            dialog.deleteLater()
            self.trust_dialog = None

        dialog.finished.connect(finished)
        dialog.open()

    def remove_selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        row = items[0].row()
        name_item = self.table.item(row, 0)
        fingerprint = str(name_item.data(Qt.ItemDataRole.UserRole))
        question = _("Stop trusting the key of {name} ({fingerprint})?").format(
            name=name_item.text(), fingerprint=self.table.item(row, 1).text()
        )
        if self.ctx.prompts.confirm(self, _("Remove"), question, action=_("Remove")):
            ops.forget(self.ctx, fingerprint, owner=self, on_success=self.show_info)
