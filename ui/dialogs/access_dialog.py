"""An access-to-documents request (demande CADA), and recording the steps it goes through."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from caseapp.domain.enums import AccessStatus
from caseapp.i18n import _
from caseapp.services.views import AccessRequestView
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, from_state, long_text, text_or_none, tri_state
from ui.formatting import today
from ui.widgets.combos import EnumCombo
from ui.widgets.date_field import DateField


class AccessRequestDialog(FormDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None, save: SaveFn, request: AccessRequestView | None = None
    ) -> None:
        super().__init__(ctx, _("Edit access request") if request else _("Add an access request"), parent, save)
        self.administration = self.add_row(
            "administration", _("Administration"), QLineEdit(request.administration if request else "", self)
        )
        self.documents = self.add_row("documents", _("Documents asked for"), long_text(self, lines=3))
        self.sent_on = self.add_row("sent_on", _("Sent on"), DateField("sent_on", "date", parent=self))
        self.received_on = self.add_row(
            "received_on", _("Received by the administration on"), DateField("received_on", "date", parent=self)
        )
        self.status = self.add_row("status", _("Status"), EnumCombo(AccessStatus, parent=self))
        # whether the confirmed refusal can still be challenged in time depends on it (CE 11 March 2024 n° 488227)
        self.routes_informed = self.add_row(
            "routes_informed",
            "",
            tri_state(
                self,
                _("The requester was told of the CADA referral and of the routes of appeal"),
                request.routes_informed if request else None,
            ),
        )
        self.notes = self.add_row("notes", _("Notes"), long_text(self, lines=3))
        if request:
            self.documents.setPlainText(request.documents)
            self.sent_on.set_value(request.sent_on)
            self.received_on.set_value(request.received_on)
            self.status.set_value(request.status)
            self.notes.setPlainText(request.notes or "")
        else:
            self.status.set_value(AccessStatus.DRAFT)

    def collect(self) -> Values:
        return {
            "administration": self.administration.text().strip(),
            "documents": self.documents.toPlainText().strip(),
            "sent_on": self.sent_on.value(),
            "received_on": self.received_on.value(),
            "status": self.status.value(),
            "routes_informed": from_state(self.routes_informed),
            "notes": text_or_none(self.notes),
        }


class StepDialog(FormDialog):
    """Record that a request reached a step on a date (its status follows the latest step)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, save: SaveFn, current: str | None = None) -> None:
        super().__init__(ctx, _("Record a step"), parent, save)
        self.status = self.add_row("status", _("Step"), EnumCombo(AccessStatus, parent=self))
        self.on = self.add_row("on", _("On"), DateField("on", "date", required=True, parent=self))
        self.note = self.add_row("note", _("Note"), long_text(self, lines=2))
        if current:
            self.status.set_value(current)
        self.on.set_value(today())

    def collect(self) -> Values:
        return {"status": self.status.value(), "on": self.on.value(), "note": text_or_none(self.note)}
