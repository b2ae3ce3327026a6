"""Create or edit a case: its court and number, procedure, matter, status, dates, the case it follows, and tags."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from caseapp.domain.enums import CaseStatus, Matter, ParentRelation, Procedure
from caseapp.i18n import _, current_language
from caseapp.services.views import CaseDetail
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, long_text, text_or_none
from ui.widgets.combos import EnumCombo, RecordCombo
from ui.widgets.date_field import DateField

COURTS = (
    "Tribunal administratif de Marseille",
    "Tribunal administratif de Nice",
    "Tribunal administratif de Toulon",
    "Tribunal administratif de Paris",
    "Cour administrative d'appel de Marseille",
    "Cour administrative d'appel de Paris",
    "Conseil d'État",
)


def court_combo(parent: QWidget, current: str | None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.addItems(COURTS)
    combo.setCurrentText(current or "")
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class CaseDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        save: SaveFn,
        case: CaseDetail | None = None,
        parent_choices: list[tuple[uuid.UUID, str]] | None = None,
    ) -> None:
        super().__init__(ctx, _("Edit case") if case else _("New case"), parent, save)
        self.title_edit = self.add_row("title", _("Title"), QLineEdit(case.title if case else "", self), required=True)
        self.court = self.add_row("court", _("Court"), court_combo(self, case.court if case else None))
        self.court_number = self.add_row(
            "court_number", _("Case number"), QLineEdit(case.court_number or "" if case else "", self)
        )
        self.reference = self.add_row(
            "reference", _("Our reference"), QLineEdit(case.reference or "" if case else "", self)
        )
        self.procedure = self.add_row("procedure", _("Procedure"), EnumCombo(Procedure, empty="—", parent=self))
        # the matter decides whether a tribunal's judgment can be appealed (CJA R811-1); empty is the general one
        self.matter = self.add_row(
            "matter",
            _("Matter"),
            EnumCombo(
                Matter,
                empty=Matter.GENERAL.label(current_language()),
                only=[m for m in Matter if m != Matter.GENERAL],
                parent=self,
            ),
        )
        self._stored_matter = case.matter if case else None
        self.status = self.add_row("status", _("Status"), EnumCombo(CaseStatus, parent=self))
        self.opened_on = self.add_row("opened_on", _("Opened on"), DateField("opened_on", "date", parent=self))
        self.closed_on = self.add_row("closed_on", _("Closed on"), DateField("closed_on", "date", parent=self))
        self.parent_case = self.add_row("parent_id", _("Follows the case"), RecordCombo(empty="—", parent=self))
        self.relation = self.add_row(
            "parent_relation", _("Relation"), EnumCombo(ParentRelation, empty="—", parent=self)
        )
        self.tags = self.add_row("tags", _("Tags"), QLineEdit(", ".join(case.tags) if case else "", self))
        self.tags.setPlaceholderText(_("separated by commas"))
        self.subject = self.add_row("subject", _("Subject"), long_text(self, lines=3))
        self.summary = self.add_row("summary", _("Summary"), long_text(self, lines=4))
        choices = [(cid, title) for cid, title in (parent_choices or []) if not case or cid != case.id]
        self.parent_case.set_choices(choices, case.parent_id if case else None)
        if case:
            self.procedure.set_value(case.procedure)
            self.matter.set_value(None if case.matter == Matter.GENERAL.value else case.matter)
            self.status.set_value(case.status)
            self.opened_on.set_value(case.opened_on)
            self.closed_on.set_value(case.closed_on)
            self.relation.set_value(case.parent_relation)
            self.subject.setPlainText(case.subject or "")
            self.summary.setPlainText(case.summary or "")
        else:
            self.status.set_value(CaseStatus.OPEN)
        self.title_edit.setFocus()

    def collect(self) -> Values:
        parent_id = self.parent_case.value()
        return {
            "title": self.title_edit.text().strip(),
            "court": self.court.currentText().strip() or None,
            "court_number": text_or_none(self.court_number),
            "reference": text_or_none(self.reference),
            "procedure": self.procedure.value(),
            "matter": self._matter(),
            "status": self.status.value(),
            "opened_on": self.opened_on.value(),
            "closed_on": self.closed_on.value(),
            "parent_id": parent_id,
            "parent_relation": self.relation.value() if parent_id else None,
            "tags": [tag.strip() for tag in self.tags.text().split(",") if tag.strip()],
            "subject": text_or_none(self.subject),
            "summary": text_or_none(self.summary),
        }

    def _matter(self) -> str | None:
        """The matter chosen; the empty choice is the general one (kept as it was stored, so nothing changes)."""
        general = Matter.GENERAL.value
        return self.matter.value() or (general if self._stored_matter == general else None)
