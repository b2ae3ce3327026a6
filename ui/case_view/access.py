"""The CADA requests tab: access-to-documents requests for the case and the dated steps of each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from caseapp.domain.enums import AccessStatus
from caseapp.i18n import N_, _
from caseapp.services.views import AccessRequestView, CaseDetail, StepView
from ui import spacing, style
from ui.actions import make_action
from ui.case_view.base import RecordTab
from ui.context import AppContext
from ui.dialogs.access_dialog import AccessRequestDialog, StepDialog
from ui.dialogs.form import FormDialog, SaveFn, Values
from ui.formatting import one_line, short_date
from ui.i18n import label
from ui.models.table import Column, RecordTableModel
from ui.operations import links, records
from ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from caseapp.services.evidence import IntakeResult


class AccessTab(RecordTab):
    tab_id = "access"
    kind = records.ACCESS
    texts: ClassVar[dict[str, str]] = {
        "add": N_("Add access request"),
        "edit": N_("Edit access request"),
        "delete": N_("Delete access request"),
        "confirm": N_("Delete the request to {name} and its steps?"),
        "empty": N_("No access-to-documents requests for this case."),
    }

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        columns: list[Column[AccessRequestView]] = [
            Column(N_("Sent on"), lambda r: short_date(r.sent_on), sort=lambda r: r.sent_on),
            Column(N_("Administration"), lambda r: r.administration),
            Column(N_("Documents"), lambda r: one_line(r.documents, 120), tooltip=lambda r: r.documents, stretch=True),
            Column(N_("Status"), lambda r: label(AccessStatus, r.status)),
            Column(N_("Received on"), lambda r: short_date(r.received_on), sort=lambda r: r.received_on),
        ]
        super().__init__(ctx, columns, parent)
        self.step_action = self.extra_action(
            make_action(self, _("Record a step…"), self.record_step, icon="step", name="access_step")
        )
        self.document_action = self.extra_action(
            make_action(
                self,
                _("Documents received → exhibits…"),
                self.documents_to_exhibits,
                icon="evidence",
                name="access_documents",
                tip=_("Add documents obtained through this request as exhibits of the case, with their provenance"),
            )
        )
        step_columns: list[Column[StepView]] = [
            Column(N_("On"), lambda s: short_date(s.on), sort=lambda s: s.on),
            Column(N_("Step"), lambda s: label(AccessStatus, s.status)),
            Column(N_("Note"), lambda s: one_line(s.note, 200), tooltip=lambda s: s.note, stretch=True),
        ]
        self.steps = RecordTable(
            RecordTableModel(step_columns, self), name="access_steps", settings=ctx.settings, parent=self
        )
        caption = QLabel(_("Steps of the selected request"), self)
        style.set_muted_style(caption)
        steps_box = QWidget(self)
        steps_layout = spacing.flush(QVBoxLayout(steps_box), spacing.TIGHT)
        steps_layout.addWidget(caption)
        steps_layout.addWidget(self.steps)
        self.layout_.removeWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("access_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(steps_box)
        self.layout_.addWidget(self.splitter, 1)
        self.table.selection_did_change.connect(self._show_steps)

    def rows(self, case: CaseDetail) -> list[Any]:
        return list(case.access_requests)

    def describe(self, record: AccessRequestView) -> str:
        return record.administration

    def make_dialog(self, record: AccessRequestView | None, save: SaveFn) -> FormDialog:
        return AccessRequestDialog(self.ctx, self, save, record)

    def show_case(self, case: CaseDetail) -> None:
        super().show_case(case)
        if self.selected() is None and case.access_requests:
            self.table.select_row(0)
        self._show_steps(self.selected())

    def _show_steps(self, request: AccessRequestView | None) -> None:
        self.steps.set_rows(sorted(request.steps, key=lambda s: s.on) if request else [])

    def update_actions(self) -> None:
        super().update_actions()
        if hasattr(self, "document_action"):
            self.step_action.setEnabled(self.selected() is not None)
            self.document_action.setEnabled(self.selected() is not None)

    def record_step(self) -> None:
        request = self.selected()
        if request is None or self.case is None:
            return
        case_id = self.case.id

        def save(values: Values, ok: Any, fail: Any) -> None:
            links.record_step(self.ctx, request.id, case_id, values, owner=dialog, on_success=ok, on_failure=fail)

        dialog = StepDialog(self.ctx, self, save, request.status)
        self._open(dialog)

    def documents_to_exhibits(self) -> None:
        request = self.selected()
        if request is None or self.case is None:
            return
        paths = self.ctx.prompts.open_files(self, _("Documents received from {who}").format(who=request.administration))
        if not paths:
            return
        from ui.operations.evidence import take_in_files

        def done(result: IntakeResult) -> None:
            lines = [f"{name}: {why}" for name, why in result.refused]
            if result.cancelled:
                lines.insert(0, _("Cancelled: no exhibit was added."))
            if lines:
                self.ctx.prompts.inform(self, _("Adding exhibits"), "\n".join(lines))
            if result.added:
                self.ctx.events.open_case(result.added[-1].case_id, "evidence", result.added[-1].id)

        take_in_files(self.ctx, self.case.id, paths, parent=self.window(), from_request=request.id, on_done=done)
