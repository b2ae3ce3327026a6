"""Typing a passphrase: hidden, and twice when it protects something new (a typo would lock the bundle for good)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from caseapp.i18n import _
from ui import spacing, style


def passphrase_field(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(260)
    return edit


def passphrase_problem(first: str, second: str | None) -> str | None:
    """Why two typed passphrases cannot be used (None: they can)."""
    if not first:
        return _("Type a passphrase.")
    if second is not None and first != second:
        return _("The two passphrases differ.")
    return None


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, text: str, *, confirm: bool) -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle(title)
        explanation = QLabel(text, self)
        explanation.setWordWrap(True)
        self.first = passphrase_field(self, "passphrase")
        self.second = passphrase_field(self, "passphrase_again") if confirm else None
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        style.set_error_style(self.error)
        form = QFormLayout()
        form.addRow(_("Passphrase:"), self.first)
        if self.second is not None:
            form.addRow(_("Again:"), self.second)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _check(self) -> None:
        problem = passphrase_problem(self.first.text(), self.second.text() if self.second is not None else None)
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        self.accept()

    def passphrase(self) -> str:
        return self.first.text()
