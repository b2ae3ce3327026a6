"""Record a filing or a decision: kind, date, by whom, and for a decision its outcome and notification."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from caseapp.domain.enums import FilingKind, Outcome
from caseapp.i18n import _
from caseapp.services.views import FilingView
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, long_text, text_or_none
from ui.widgets.combos import EnumCombo, RecordCombo
from ui.widgets.date_field import DateField


def to_state(value: bool | None) -> Qt.CheckState:
    return {True: Qt.CheckState.Checked, False: Qt.CheckState.Unchecked}.get(value, Qt.CheckState.PartiallyChecked)  # type: ignore[arg-type]


def from_state(box: QCheckBox) -> bool | None:
    """A three-state box: ticked yes, unticked no, half-ticked unknown."""
    return {Qt.CheckState.Checked: True, Qt.CheckState.Unchecked: False}.get(box.checkState())


class FilingDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        filing: FilingView | None = None,
        parties: list[tuple[uuid.UUID, str]] | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit filing") if filing else _("Add a filing or decision"), parent, save)
        self.kind = self.add_row("kind", _("Kind"), EnumCombo(FilingKind, parent=self))
        self.title_edit = self.add_row("title", _("Title"), QLineEdit(filing.title or "" if filing else "", self))
        self.filed_on = self.add_row("filed_on", _("Date"), DateField("filed_on", "date", parent=self))
        self.party = self.add_row("party_id", _("By"), RecordCombo(empty="—", parent=self))
        self.reference = self.add_row(
            "reference", _("Reference"), QLineEdit(filing.reference or "" if filing else "", self)
        )
        self.outcome = self.add_row("outcome", _("Outcome"), EnumCombo(Outcome, empty="—", parent=self))
        self.notified_on = self.add_row("notified_on", _("Notified on"), DateField("notified_on", "date", parent=self))
        self.received_on = self.add_row(
            "received_on", _("Received by the administration on"), DateField("received_on", "date", parent=self)
        )
        self.acknowledged = QCheckBox(_("An acknowledgement of receipt was sent"), self)
        self.acknowledged.setTristate(True)
        self.add_row("acknowledged", "", self.acknowledged)
        self.routes = QCheckBox(_("The decision states the routes and time limits of appeal"), self)
        self.routes.setTristate(True)
        self.add_row("appeal_routes_stated", "", self.routes)
        self.summary = self.add_row("summary", _("Summary"), long_text(self))
        self.party.set_choices(parties or [], filing.party_id if filing else None)
        if filing:
            self.kind.set_value(filing.kind)
            self.filed_on.set_value(filing.filed_on)
            self.outcome.set_value(filing.outcome)
            self.notified_on.set_value(filing.notified_on)
            self.summary.setPlainText(filing.summary or "")
            self.received_on.set_value(filing.received_on)
            self.routes.setCheckState(to_state(filing.appeal_routes_stated))
            self.acknowledged.setCheckState(to_state(filing.acknowledged))
        else:
            self.routes.setCheckState(Qt.CheckState.PartiallyChecked)
            self.acknowledged.setCheckState(Qt.CheckState.PartiallyChecked)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        value = self.kind.value()
        decision = bool(value) and FilingKind(value).is_decision
        request = bool(value) and FilingKind(value).is_request
        for widget in (self.outcome, self.notified_on, self.routes):
            widget.setEnabled(decision)
        for widget in (self.received_on, self.acknowledged):
            widget.setEnabled(request)

    def collect(self) -> Values:
        kind = self.kind.value()
        decision = bool(kind) and FilingKind(kind).is_decision
        request = bool(kind) and FilingKind(kind).is_request
        return {
            "kind": kind,
            "title": text_or_none(self.title_edit),
            "filed_on": self.filed_on.value(),
            "party_id": self.party.value(),
            "reference": text_or_none(self.reference),
            "outcome": self.outcome.value() if decision else None,
            "notified_on": self.notified_on.value() if decision else None,
            "received_on": self.received_on.value() if request else None,
            "appeal_routes_stated": from_state(self.routes) if decision else None,
            "acknowledged": from_state(self.acknowledged) if request else None,
            "summary": text_or_none(self.summary),
        }
