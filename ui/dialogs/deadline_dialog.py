"""Add a deadline by hand, or change one: its status (done, missed…), or — for a deadline computed by a rule —
its date, with the reason kept in the history (an empty reason goes back to the computed date)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from caseapp.domain.enums import DeadlineStatus
from caseapp.errors import InvalidInput
from caseapp.i18n import _, current_language
from caseapp.services.views import DeadlineView
from ui import style
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, text_or_none
from ui.formatting import long_date
from ui.widgets.combos import EnumCombo
from ui.widgets.date_field import DateField


class DeadlineDialog(FormDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None, save: SaveFn, deadline: DeadlineView | None = None
    ) -> None:
        super().__init__(ctx, _("Edit deadline") if deadline else _("Add a deadline"), parent, save)
        self._deadline = deadline
        self.title_edit = self.add_row(
            "title", _("What"), QLineEdit(deadline.title if deadline else "", self), required=True
        )
        self.due_on = self.add_row("due_on", _("Due on"), DateField("due_on", "date", required=True, parent=self))
        self.reason: QLineEdit | None = None
        if deadline is not None and deadline.rule_id:
            self.reason = self.add_row(
                "override_reason", _("Why it moves"), QLineEdit(deadline.override_reason or "", self)
            )
            self.reason.setPlaceholderText(_("required to move a computed deadline; kept in the history"))
        self.legal_basis = self.add_row(
            "legal_basis", _("Legal basis"), QLineEdit(deadline.legal_basis or "" if deadline else "", self)
        )
        self.status = self.add_row("status", _("Status"), EnumCombo(DeadlineStatus, parent=self))
        if deadline:
            self.due_on.set_value(deadline.due_on)
            self.status.set_value(deadline.status)
            explanation = deadline.explanation_fr if current_language() == "fr" else deadline.explanation_en
            if deadline.computed_due_on and deadline.override_reason:
                explanation = (
                    (explanation or "")
                    + "\n"
                    + _("Computed date: {day}. Empty the reason to go back to it.").format(
                        day=long_date(deadline.computed_due_on)
                    )
                )
            if explanation:
                note = QLabel(explanation.strip(), self)
                note.setWordWrap(True)
                style.set_muted_style(note)
                self.form.addRow(_("How it was computed"), note)
        else:
            self.status.set_value(DeadlineStatus.OPEN)
        self.title_edit.setFocus()

    def collect(self) -> Values:
        values: Values = {
            "title": self.title_edit.text().strip(),
            "due_on": self.due_on.value(),
            "legal_basis": text_or_none(self.legal_basis),
            "status": self.status.value(),
        }
        deadline = self._deadline
        if deadline is not None and deadline.rule_id and self.reason is not None:
            reason = self.reason.text().strip() or None
            if reason is None and deadline.override_reason and deadline.computed_due_on:
                values["due_on"] = deadline.computed_due_on  # back to the computed date
            elif reason is None and values["due_on"] != deadline.due_on:
                raise InvalidInput(
                    _("Say why this computed deadline moves: the reason is kept in the history."),
                    field="override_reason",
                )
            values["rule_id"] = deadline.rule_id
            values["override_reason"] = reason
        return values
