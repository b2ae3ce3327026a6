"""A regulator's opinion (CNIL, CADA, Défenseur des droits), and choosing one to link to a case."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from caseapp.domain.enums import Authority, Position
from caseapp.i18n import _
from caseapp.services.views import OpinionView
from ui import spacing
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn, Values, long_text, text_or_none
from ui.formatting import short_date
from ui.i18n import label
from ui.widgets.combos import EnumCombo
from ui.widgets.date_field import DateField


class OpinionDialog(FormDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None, save: SaveFn, opinion: OpinionView | None = None
    ) -> None:
        super().__init__(ctx, _("Edit opinion") if opinion else _("Add an opinion"), parent, save)
        self.authority = self.add_row("authority", _("Authority"), EnumCombo(Authority, parent=self))
        self.reference = self.add_row(
            "reference", _("Reference"), QLineEdit(opinion.reference or "" if opinion else "", self)
        )
        self.title_edit = self.add_row(
            "title", _("Title"), QLineEdit(opinion.title if opinion else "", self), required=True
        )
        self.issued_on = self.add_row("issued_on", _("Issued on"), DateField("issued_on", "date", parent=self))
        self.position = self.add_row("position", _("Position"), EnumCombo(Position, parent=self))
        self.summary = self.add_row("summary", _("Summary"), long_text(self))
        if opinion:
            self.authority.set_value(opinion.authority)
            self.issued_on.set_value(opinion.issued_on)
            self.position.set_value(opinion.position)
            self.summary.setPlainText(opinion.summary or "")
        else:
            self.position.set_value(Position.NONE)

    def collect(self) -> Values:
        return {
            "authority": self.authority.value(),
            "reference": text_or_none(self.reference),
            "title": self.title_edit.text().strip(),
            "issued_on": self.issued_on.value(),
            "position": self.position.value(),
            "summary": text_or_none(self.summary),
        }


def describe_opinion(opinion: OpinionView) -> str:
    parts = [label(Authority, opinion.authority), short_date(opinion.issued_on), opinion.title]
    return " — ".join(part for part in parts if part and part != "—")


class ChooseOpinionDialog(QDialog):
    """Pick an opinion already in the case file to link it to this case."""

    def __init__(self, opinions: list[OpinionView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link an opinion"))
        self.setMinimumSize(560, 360)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(_("Filter"))
        self.list = QListWidget(self)
        for opinion in opinions:
            item = QListWidgetItem(describe_opinion(opinion), self.list)
            item.setData(256, opinion)
            item.setToolTip(opinion.summary or "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = spacing.page(QVBoxLayout(self))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if self.list.count():
            self.list.setCurrentRow(0)

    def _filter(self, text: str) -> None:
        needle = text.casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(needle not in item.text().casefold())

    def chosen(self) -> OpinionView | None:
        item = self.list.currentItem()
        return item.data(256) if item is not None and not item.isHidden() else None
