"""The shape of every record dialog: labelled fields, each with room for its own error right under it.

A required field says so before anything is saved: its label ends with an asterisk, a line above the buttons says
what the asterisk means, and its accessible name says "required" for a screen reader. A field's error goes away as
soon as the field is changed.

Saving collects the values (a date that cannot be understood stops here, with its reason), hands them to the
caller's save function (which runs the service on the worker), and either closes on success or shows the
service's refusal under the field it names (``InvalidInput.field``), keeping everything that was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseapp.errors import CaseAppError, InvalidInput
from caseapp.i18n import _
from ui import spacing, style
from ui.context import AppContext
from ui.widgets.date_field import DateField

Values = dict[str, Any]
SaveFn = Callable[[Values, Callable[[Any], None], Callable[[BaseException], None]], None]


def text_or_none(widget: QLineEdit | QPlainTextEdit) -> str | None:
    text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    return text.strip() or None


def to_state(value: bool | None) -> Qt.CheckState:
    """How a yes / no / not known value shows in a three-state box."""
    return {True: Qt.CheckState.Checked, False: Qt.CheckState.Unchecked}.get(value, Qt.CheckState.PartiallyChecked)  # type: ignore[arg-type]


def from_state(box: QCheckBox) -> bool | None:
    """A three-state box: ticked yes, unticked no, half-ticked unknown."""
    return {Qt.CheckState.Checked: True, Qt.CheckState.Unchecked: False}.get(box.checkState())


def tri_state(parent: QWidget, text: str, value: bool | None) -> QCheckBox:
    """A box for a fact that may not be known yet (half-ticked until someone says yes or no)."""
    box = QCheckBox(text, parent)
    box.setTristate(True)
    box.setCheckState(to_state(value))
    return box


def long_text(parent: QWidget, *, lines: int = 4) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class FormDialog(QDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None, save: SaveFn) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._save = save
        self.result_view: Any = None
        # where the focus goes back when the dialog closes (Esc, Enter, a click): the widget that opened it
        self._opener = QApplication.focusWidget()
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._rows: dict[str, tuple[QWidget, QLabel | None]] = {}
        self.general_error = QLabel(self)
        self.general_error.setObjectName("general_error")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        style.set_error_style(self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(spacing.SPACING)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.required_legend = QLabel(_("* required"), self)
        self.required_legend.setObjectName("required_legend")
        self.required_legend.setVisible(False)
        style.set_muted_style(self.required_legend)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout()  # the form at the top, the room left under it
        spacing.flush(column)
        column.addLayout(self.form)
        column.addStretch(1)
        self.body = QHBoxLayout()  # the form, and a side panel (full height) where a dialog has one
        spacing.flush(self.body, spacing.SECTION)
        self.body.addLayout(column, 1)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(self.general_error)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.required_legend)
        layout.addWidget(self.buttons)

    # -- building -----------------------------------------------------------------------------------------------

    def add_row(self, name: str, label: str, widget: QWidget, *, required: bool = False) -> QWidget:
        """A field named like the service's field, so the service's refusal lands under it. A ``required`` one is
        marked before saving (an asterisk, and "required" in its accessible name)."""
        widget.setObjectName(name)
        error: QLabel | None = None
        if isinstance(widget, DateField):
            field_widget: QWidget = widget
        else:
            field_widget = QWidget(self)
            box = spacing.tight(QVBoxLayout(field_widget))
            box.addWidget(widget)
            error = QLabel(field_widget)
            error.setObjectName(f"{name}_error")
            error.setWordWrap(True)
            error.setVisible(False)
            style.set_error_style(error)
            box.addWidget(error)
        required = required or (isinstance(widget, DateField) and widget.required)
        text = QLabel(f"{label} *" if required and label else label, self)
        text.setObjectName(f"{name}_label")
        text.setBuddy(widget)
        if label:
            spoken = _("{label} (required)").format(label=label) if required else label
            text.setAccessibleName(spoken)
            (widget.edit if isinstance(widget, DateField) else widget).setAccessibleName(spoken)
        if required:
            self.required_legend.setVisible(True)
        self.form.addRow(text, field_widget)
        self._rows[name] = (widget, error)
        if error is not None:
            self._clear_when_changed(widget, error)
        return widget

    @staticmethod
    def _clear_when_changed(widget: QWidget, error: QLabel) -> None:
        """The field's error goes as soon as the person changes the field ("cannot be empty" once it is filled)."""

        def clear(*_args: object) -> None:
            error.setVisible(False)

        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            widget.textChanged.connect(clear)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(clear)
            widget.editTextChanged.connect(clear)
        elif isinstance(widget, QCheckBox):
            widget.stateChanged.connect(clear)

    def add_check(self, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text, self)
        self.add_row(name, "", box)
        return box

    def field(self, name: str) -> QWidget:
        return self._rows[name][0]

    def set_row_visible(self, name: str, visible: bool) -> None:
        """Show or hide a field with its label (and its error)."""
        widget, _error = self._rows[name]
        self.form.setRowVisible(widget if isinstance(widget, DateField) else widget.parentWidget(), visible)

    # -- errors -------------------------------------------------------------------------------------------------

    def field_error(self, name: str) -> str:
        """The message shown under a field ('' when none): tests and screen readers read it."""
        widget, error = self._rows[name]
        if isinstance(widget, DateField):
            return widget.echo.text() if widget._error_shown or not widget.is_valid() else ""
        return error.text() if error is not None and error.isVisible() else ""

    def clear_errors(self) -> None:
        self.general_error.setVisible(False)
        for widget, error in self._rows.values():
            if isinstance(widget, DateField):
                widget.show_error(None)
            elif error is not None:
                error.setVisible(False)

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, InvalidInput) and error.field in self._rows:
            widget, label = self._rows[error.field]
            if isinstance(widget, DateField):
                widget.show_error(error.message)
            elif label is not None:
                label.setText(error.message)
                label.setVisible(True)
            widget.setFocus()
            return
        if isinstance(error, CaseAppError):
            self.general_error.setText(error.message)
            self.general_error.setVisible(True)
            return
        self.ctx.errors.present(error, self)

    # -- saving -------------------------------------------------------------------------------------------------

    def collect(self) -> Values:
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        button.setEnabled(not busy)
        button.setText(_("Saving…") if busy else _("Save"))

    def save(self) -> None:
        self.clear_errors()
        try:
            values = self.collect()
        except InvalidInput as exc:
            self.show_error(exc)
            return
        self.set_busy(True)
        self._save(values, self._saved, self._failed)

    def done(self, result: int) -> None:
        opener = self._opener
        super().done(result)
        target = opener if opener is not None and shiboken6.isValid(opener) and opener.isVisible() else None
        target = target or self.parentWidget()
        if target is not None:
            target.activateWindow()
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _saved(self, view: Any) -> None:
        self.result_view = view
        self.set_busy(False)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.show_error(error)
