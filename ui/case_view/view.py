"""The case view: header and tabs, kept fresh after every change, and a drop target for evidence files."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from caseapp.errors import NotFound
from caseapp.i18n import N_, _
from caseapp.services.views import CaseDetail, Changes
from ui import spacing, style
from ui.case_view import TABS
from ui.case_view.access import AccessTab
from ui.case_view.base import CaseTab
from ui.case_view.header import CaseHeader
from ui.case_view.hearings import HearingsTab
from ui.case_view.history import HistoryTab
from ui.case_view.opinions import OpinionsTab
from ui.case_view.overview import OverviewTab
from ui.case_view.records import DeadlinesTab, FilingsTab, PartiesTab
from ui.context import AppContext
from ui.dialogs.case_dialog import CaseDialog
from ui.dialogs.form import Values
from ui.evidence import EvidenceTab
from ui.operations import cases as case_ops
from ui.operations import records
from ui.undo import save_edit

TAB_TITLES = {
    "overview": (N_("Overview"), "overview"),
    "parties": (N_("Parties"), "party"),
    "filings": (N_("Filings"), "filing"),
    "hearings": (N_("Hearings"), "hearing"),
    "deadlines": (N_("Deadlines"), "deadline"),
    "evidence": (N_("Evidence"), "evidence"),
    "opinions": (N_("Opinions"), "opinion"),
    "access": (N_("CADA requests"), "access"),
    "history": (N_("History"), "history"),
}


def local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class CaseView(QWidget):
    case_did_load = Signal(object)  # CaseDetail
    case_did_close = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_view")
        self.ctx = ctx
        self.case: CaseDetail | None = None
        self.dialog: CaseDialog | None = None
        self._pending: tuple[str | None, uuid.UUID | None] = (None, None)
        self.header = CaseHeader(self)
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setObjectName("case_tabs")
        self.tab_widget.setDocumentMode(True)
        self.tab_widget.setUsesScrollButtons(True)
        self.tabs: dict[str, CaseTab] = {
            "overview": OverviewTab(ctx, self),
            "parties": PartiesTab(ctx, self),
            "filings": FilingsTab(ctx, self),
            "hearings": HearingsTab(ctx, self),
            "deadlines": DeadlinesTab(ctx, self),
            "evidence": EvidenceTab(ctx, self),
            "opinions": OpinionsTab(ctx, self),
            "access": AccessTab(ctx, self),
            "history": HistoryTab(ctx, self),
        }
        for tab_id in TABS:
            title, _icon_name = TAB_TITLES[tab_id]
            self.tab_widget.addTab(self.tabs[tab_id], _(title))
        overview = self.tabs["overview"]
        assert isinstance(overview, OverviewTab)
        overview.edit_requested.connect(self.edit_case)
        overview.delete_requested.connect(self.delete_case)
        content = QWidget(self)
        content_layout = spacing.flush(QVBoxLayout(content), spacing.SPACING)
        content_layout.addWidget(self.header)
        content_layout.addWidget(self.tab_widget, 1)
        self.placeholder = QLabel(_("Choose a case in the list, or create one with Ctrl+N."), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        style.set_muted_style(self.placeholder)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(content)
        layout = spacing.flush(QVBoxLayout(self))
        layout.addWidget(self.stack)
        self.setAcceptDrops(True)
        ctx.events.operation_did_execute.connect(self._changed)

    # -- which case, which tab ----------------------------------------------------------------------------------

    def show_case(self, case_id: uuid.UUID, tab: str | None = None, record_id: uuid.UUID | None = None) -> None:
        self._pending = (tab, record_id)
        case_ops.load_case(self.ctx, case_id, owner=self, on_success=self._loaded, on_failure=self._load_failed)

    def reload(self) -> None:
        if self.case is not None:
            case_ops.load_case(
                self.ctx, self.case.id, owner=self, on_success=self._loaded, on_failure=self._load_failed
            )

    def clear(self) -> None:
        self.case = None
        self.stack.setCurrentIndex(0)
        self.case_did_close.emit()

    def _loaded(self, case: CaseDetail) -> None:
        self.case = case
        self.header.show_case(case)
        for tab in self.tabs.values():
            tab.show_case(case)
        self._update_tab_titles(case)
        self.stack.setCurrentIndex(1)
        tab_id, record_id = self._pending
        self._pending = (None, None)
        if tab_id:
            self.set_tab(tab_id)
        if record_id is not None and tab_id in self.tabs:
            self.tabs[tab_id].select_record(record_id)
        self.case_did_load.emit(case)

    def _load_failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.clear()
        else:
            self.ctx.errors.present(error, self)

    def _update_tab_titles(self, case: CaseDetail) -> None:
        counts = {
            "parties": len(case.parties),
            "filings": len(case.filings),
            "hearings": len(case.hearings),
            "deadlines": len([d for d in case.deadlines if d.status == "open"]),
            "evidence": len(case.evidence),
            "opinions": len(case.opinions),
            "access": len(case.access_requests),
        }
        for index, tab_id in enumerate(TABS):
            title = _(TAB_TITLES[tab_id][0])
            count = counts.get(tab_id, 0)
            self.tab_widget.setTabText(index, f"{title} ({count})" if count else title)

    def current_tab(self) -> str:
        return TABS[max(0, self.tab_widget.currentIndex())]

    def set_tab(self, tab_id: str) -> None:
        if tab_id in TABS:
            self.tab_widget.setCurrentIndex(TABS.index(tab_id))

    def tab(self, tab_id: str) -> Any:
        return self.tabs[tab_id]

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if self.case is None:
            return
        if changes.case_id is None or changes.case_id == self.case.id or "opinion" in changes.kinds:
            self.reload()

    # -- the case itself ----------------------------------------------------------------------------------------

    def edit_case(self) -> None:
        if self.case is not None:
            case_ops.parent_choices(self.ctx, owner=self, on_success=self._open_edit)

    def _open_edit(self, choices: list[tuple[uuid.UUID, str]]) -> None:
        case = self.case
        if case is None:
            return

        def save(values: Values, ok: Any, fail: Any) -> None:
            save_edit(
                self.ctx,
                records.CASE,
                record_id=case.id,
                case_id=case.id,
                version=case.version,
                old_values=records.case_values(case),
                new_values=values,
                text=_("Edit case"),
                owner=dialog,
                on_success=ok,
                on_failure=fail,
            )

        dialog = CaseDialog(self.ctx, self, save, case, choices)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()

    def delete_case(self) -> None:
        case = self.case
        if case is None:
            return
        question = _(
            "Delete the case “{title}” with its parties' roles, filings, hearings and notes, deadlines, exhibits and "
            "requests? This cannot be undone. (Shared opinions and parties stay.)"
        ).format(title=case.title)
        if self.ctx.prompts.confirm(self, _("Delete case"), question, action=_("Delete case")):
            case_ops.delete_case(self.ctx, case, parent=self, on_success=lambda _result: self.clear())

    # -- dropping files -----------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.case is not None and local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.case is not None and local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [p for p in local_files(event) if p.exists()]
        if self.case is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_tab("evidence")
        evidence_tab = self.tabs["evidence"]
        assert isinstance(evidence_tab, EvidenceTab)
        evidence_tab.take_in(paths)
