"""The case view: header and tabs, kept fresh after every change, and a drop target for evidence files.

Each tab is built the first time it is shown (or asked for): a case opens on its overview, and the tabs nobody
looks at cost nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabBar, QTabWidget, QVBoxLayout, QWidget

from caseapp.errors import NotFound
from caseapp.i18n import N_, _
from ui import spacing, style
from ui.case_view import TABS
from ui.case_view.header import CaseHeader
from ui.context import AppContext
from ui.icons import icon
from ui.operations import cases as case_ops

if TYPE_CHECKING:
    from caseapp.services.views import CaseDetail, Changes
    from ui.case_view.base import CaseTab
    from ui.dialogs.case_dialog import CaseDialog
    from ui.dialogs.form import Values

TAB_TITLES = {
    "overview": (N_("Overview"), "overview"),
    "parties": (N_("Parties"), "party"),
    "filings": (N_("Filings"), "filing"),
    "hearings": (N_("Hearings"), "hearing"),
    "deadlines": (N_("Deadlines"), "deadline"),
    "evidence": (N_("Evidence"), "evidence"),
    "opinions": (N_("Opinions"), "opinion"),
    "access": (N_("CADA requests"), "access"),
    "chronology": (N_("Chronology"), "chronology"),
    "history": (N_("History"), "history"),
}
# where each tab's class lives (imported when the tab is first built)
TAB_CLASSES = {
    "overview": ("ui.case_view.overview", "OverviewTab"),
    "parties": ("ui.case_view.records", "PartiesTab"),
    "filings": ("ui.case_view.records", "FilingsTab"),
    "hearings": ("ui.case_view.hearings", "HearingsTab"),
    "deadlines": ("ui.case_view.records", "DeadlinesTab"),
    "evidence": ("ui.evidence", "EvidenceTab"),
    "opinions": ("ui.case_view.opinions", "OpinionsTab"),
    "access": ("ui.case_view.access", "AccessTab"),
    "chronology": ("ui.case_view.chronology", "ChronologyTab"),
    "history": ("ui.case_view.history", "HistoryTab"),
}


def local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files being dropped, leaving out case bundles (the main window imports those)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if not path.name.lower().endswith(".casebundle")]


class CaseTabBar(QTabBar):
    """The case's tabs: when their titles do not all fit, the current one keeps its title and the others their
    icon (the title is in its tooltip), so that no tab scrolls out of sight."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compact = False
        self.currentChanged.connect(lambda _index: self.refit())

    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        if self.compact and index != self.currentIndex():
            size.setWidth(self.iconSize().width() + 20)
        return size

    def minimumTabSizeHint(self, index: int) -> QSize:
        return self.tabSizeHint(index) if self.compact else super().minimumTabSizeHint(index)

    def natural_width(self) -> int:
        return sum(QTabBar.tabSizeHint(self, index).width() for index in range(self.count()))

    def refit(self) -> None:
        parent = self.parentWidget()
        room = parent.width() if parent is not None else self.width()
        compact = self.count() > 0 and self.natural_width() > room
        if compact != self.compact:
            self.compact = compact
        self.setIconSize(self.iconSize())  # lays the tabs out again
        self.updateGeometry()

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self.refit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.refit()


class CaseView(QWidget):
    case_did_load = Signal(object)  # CaseDetail
    case_did_close = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_view")
        self.ctx = ctx
        self.case: CaseDetail | None = None
        self._wanted: uuid.UUID | None = None  # the case asked for last: a load of another one arriving late is dropped
        self.dialog: CaseDialog | None = None
        self._pending: tuple[str | None, uuid.UUID | None] = (None, None)
        self.header = CaseHeader(self)
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setObjectName("case_tabs")
        self.tab_widget.setTabBar(CaseTabBar(self.tab_widget))
        self.tab_widget.setDocumentMode(True)
        # every tab in sight at 1024 pixels (none scrolls away): when the titles do not all fit, the tabs other
        # than the current one show their icon alone, and each says its title in its tooltip
        self.tab_widget.setUsesScrollButtons(False)
        self.tab_widget.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs: dict[str, CaseTab] = {}  # the tabs built so far
        self._pages: dict[str, QWidget] = {}  # each tab's page in the tab widget (the tab goes in when built)
        for tab_id in TABS:
            title, icon_name = TAB_TITLES[tab_id]
            page = QWidget(self.tab_widget)
            page.setObjectName(f"{tab_id}_page")
            spacing.flush(QVBoxLayout(page))
            self._pages[tab_id] = page
            self.tab_widget.addTab(page, icon(icon_name), _(title))
            self.tab_widget.setTabToolTip(self.tab_widget.count() - 1, _(title))
        self.tab_widget.currentChanged.connect(lambda index: self.tab(TABS[index]) if index >= 0 else None)
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
        self._wanted = case_id
        case_ops.load_case(self.ctx, case_id, owner=self, on_success=self._loaded, on_failure=self._load_failed)

    def reload(self) -> None:
        """Read again the case shown, or the one on its way (a case just opened that has not arrived yet)."""
        case_id = self._wanted or (self.case.id if self.case is not None else None)
        if case_id is not None:
            case_ops.load_case(self.ctx, case_id, owner=self, on_success=self._loaded, on_failure=self._load_failed)

    def clear(self) -> None:
        self.case = None
        self._wanted = None
        self.stack.setCurrentIndex(0)
        self.case_did_close.emit()

    def _loaded(self, case: CaseDetail) -> None:
        if self._wanted is not None and case.id != self._wanted:
            return  # an earlier case read again while another was being opened: the one opened last is shown
        self._wanted = case.id
        self.case = case
        self.header.show_case(case)
        for tab in self.tabs.values():
            tab.show_case(case)
        self.tab(self.current_tab())
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
            self.tab_widget.setTabToolTip(index, f"{title} ({count})" if count else title)
        cast(CaseTabBar, self.tab_widget.tabBar()).refit()

    def current_tab(self) -> str:
        return TABS[max(0, self.tab_widget.currentIndex())]

    def set_tab(self, tab_id: str) -> None:
        if tab_id in TABS:
            self.tab_widget.setCurrentIndex(TABS.index(tab_id))

    def tab(self, tab_id: str) -> Any:
        """The tab, built now if it was not yet."""
        tab = self.tabs.get(tab_id)
        if tab is None:
            tab = self._build_tab(tab_id)
        return tab

    def _build_tab(self, tab_id: str) -> CaseTab:
        import importlib

        module, name = TAB_CLASSES[tab_id]
        page = self._pages[tab_id]
        tab: CaseTab = getattr(importlib.import_module(module), name)(self.ctx, page)
        self.tabs[tab_id] = tab
        page.layout().addWidget(tab)
        if tab_id == "overview":
            tab.edit_requested.connect(self.edit_case)
            tab.delete_requested.connect(self.delete_case)
        splitter = getattr(tab, "splitter", None)
        if splitter is not None:
            saved = self.ctx.settings.splitter(splitter.objectName())
            if saved is not None:
                splitter.restoreState(saved)
        if self.case is not None:
            tab.show_case(self.case)
        return tab

    def save_state(self) -> None:
        """Remember the splitters of the tabs that have one (those that were built)."""
        for tab in self.tabs.values():
            splitter = getattr(tab, "splitter", None)
            if splitter is not None:
                self.ctx.settings.set_splitter(splitter.objectName(), splitter.saveState())

    def _changed(self, changes: Changes, _initiator: object) -> None:
        shown = self._wanted or (self.case.id if self.case is not None else None)
        if shown is None:
            return
        concerned = shown in changes.case_ids or changes.case_id == shown
        if concerned or not changes.case_ids or changes.kinds & {"opinion", "party"}:  # shared records show here
            self.reload()

    # -- the case itself ----------------------------------------------------------------------------------------

    def edit_case(self) -> None:
        if self.case is not None:
            case_ops.parent_choices(self.ctx, owner=self, on_success=self._open_edit)

    def _open_edit(self, choices: list[tuple[uuid.UUID, str]]) -> None:
        from ui.dialogs.case_dialog import CaseDialog
        from ui.operations import records
        from ui.undo import save_edit

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
        self.tab("evidence").take_in(paths)
