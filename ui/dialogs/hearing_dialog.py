"""Schedule or edit a hearing: when ("demain 14h", "mardi prochain 9h30"), where, what kind, what came of it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from caseapp.domain.enums import HearingKind, HearingStatus, Procedure
from caseapp.i18n import _
from caseapp.services.views import HearingView
from ui.context import AppContext
from ui.dialogs.case_dialog import court_combo
from ui.dialogs.form import FormDialog, SaveFn, Values, long_text, text_or_none
from ui.widgets.combos import EnumCombo
from ui.widgets.date_field import DateField


def default_kind(procedure: str | None) -> HearingKind:
    """The hearing a case of this procedure has: a référé's is the référé hearing, an appeal's the appeal hearing."""
    try:
        chosen = Procedure(procedure) if procedure else None
    except ValueError:
        chosen = None
    if chosen is not None and chosen.is_refere:
        return HearingKind.URGENT
    if chosen in (Procedure.APPEL, Procedure.CASSATION):
        return HearingKind.APPEAL
    return HearingKind.MERITS


class HearingDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        hearing: HearingView | None = None,
        default_court: str | None = None,
        procedure: str | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit hearing") if hearing else _("Add a hearing"), parent, save)
        self.starts_at = self.add_row(
            "starts_at", _("Date and time"), DateField("starts_at", "datetime", required=True, parent=self)
        )
        self.court = self.add_row("court", _("Court"), court_combo(self, hearing.court if hearing else default_court))
        self.room = self.add_row("room", _("Room"), QLineEdit(hearing.room or "" if hearing else "", self))
        self.kind = self.add_row("kind", _("Kind"), EnumCombo(HearingKind, parent=self))
        self.status = self.add_row("status", _("Status"), EnumCombo(HearingStatus, parent=self))
        self.urgent = QCheckBox(_("Urgent"), self)
        self.add_row("urgent", "", self.urgent)
        self.outcome = self.add_row("outcome", _("Outcome"), long_text(self, lines=3))
        if hearing:
            self.starts_at.set_value(hearing.starts_at)
            self.kind.set_value(hearing.kind)
            self.status.set_value(hearing.status)
            self.urgent.setChecked(hearing.urgent)
            self.outcome.setPlainText(hearing.outcome or "")
        else:
            self.kind.set_value(default_kind(procedure))
            self.status.set_value(HearingStatus.SCHEDULED)
        self.starts_at.setFocus()

    def collect(self) -> Values:
        return {
            "starts_at": self.starts_at.value(),
            "court": self.court.currentText().strip() or None,
            "room": text_or_none(self.room),
            "kind": self.kind.value(),
            "status": self.status.value(),
            "urgent": self.urgent.isChecked(),
            "outcome": text_or_none(self.outcome),
        }
