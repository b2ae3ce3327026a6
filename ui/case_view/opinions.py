"""The opinions tab: regulator opinions linked to the case (an opinion can bear on several cases)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget

from caseapp.domain.enums import Authority, Position
from caseapp.i18n import N_, _
from caseapp.services.views import CaseDetail, OpinionView
from ui.actions import make_action
from ui.case_view.base import RecordTab
from ui.context import AppContext
from ui.dialogs.form import FormDialog, SaveFn
from ui.dialogs.opinion_dialog import ChooseOpinionDialog, OpinionDialog
from ui.formatting import short_date
from ui.i18n import label
from ui.models.table import Column
from ui.operations import links, records
from ui.operations.lookups import all_opinions


class OpinionsTab(RecordTab):
    tab_id = "opinions"
    kind = records.OPINION
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add opinion"),
        "edit": N_("Edit opinion"),
        "delete": N_("Delete opinion"),
        "confirm": N_(
            "Delete the opinion “{name}” everywhere? It is also removed from the other cases it is linked "
            "to. To take it off this case only, use Unlink."
        ),
        "empty": N_(
            "No opinions linked. Add a CNIL, CADA or Défenseur des droits opinion, or link one already recorded."
        ),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[OpinionView]] = [
            Column(N_("Issued on"), lambda o: short_date(o.issued_on), sort=lambda o: o.issued_on),
            Column(N_("Authority"), lambda o: label(Authority, o.authority)),
            Column(N_("Reference"), lambda o: o.reference or "—"),
            Column(N_("Title"), lambda o: o.title, stretch=True),
            Column(N_("Position"), lambda o: label(Position, o.position)),
            Column(N_("Cases"), lambda o: str(len(o.case_ids)), sort=lambda o: len(o.case_ids), align_right=True),
        ]
        super().__init__(ctx, columns, parent)
        self.link_action = self.extra_action(
            make_action(self, _("Link existing…"), self.link_existing, icon="link", name="opinions_link")
        )
        self.unlink_action = self.extra_action(
            make_action(self, _("Unlink"), self.unlink_selected, icon="unlink", name="opinions_unlink")
        )
        self.chooser: ChooseOpinionDialog | None = None

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.opinions)

    def make_dialog(self, record: OpinionView | None, save: SaveFn) -> FormDialog:
        return OpinionDialog(self.ctx, self, save, record)

    def update_actions(self) -> None:
        super().update_actions()
        if hasattr(self, "unlink_action"):
            self.unlink_action.setEnabled(self.selected() is not None)
            self.link_action.setEnabled(self.case is not None)

    def link_existing(self) -> None:
        all_opinions(self.ctx, owner=self, on_success=self._choose)

    def _choose(self, opinions: list[OpinionView]) -> None:
        if self.case is None:
            return
        case_id = self.case.id
        candidates = [o for o in opinions if case_id not in o.case_ids]
        dialog = ChooseOpinionDialog(candidates, self)
        self.chooser = dialog

        def chosen(result: int) -> None:
            opinion = dialog.chosen()
            if result and opinion is not None:
                links.link_opinion(self.ctx, opinion.id, case_id)
            dialog.deleteLater()

        dialog.finished.connect(chosen)
        dialog.open()

    def unlink_selected(self) -> None:
        record = self.selected()
        if record is not None and self.case is not None:
            links.unlink_opinion(self.ctx, record.id, self.case.id)
