"""The sidebar (Agenda, Cases, Search) and the pages it switches between, with going to a case.

Each page is built the first time it is shown or asked for, with its modules: the one the window opens on right
after the first frame (``MainWindow.finish_start``), the others when first needed. Until then a page is an empty
slot in the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QSplitter, QStackedWidget, QWidget

from caseapp.i18n import _
from ui import spacing
from ui.icons import icon

if TYPE_CHECKING:
    import uuid

    from caseapp.services.views import CaseDetail
    from ui.agenda import AgendaPage
    from ui.case_list import CaseListPanel
    from ui.case_view.view import CaseView
    from ui.main_window import MainWindow
    from ui.search import SearchPage
    from ui.settings import Settings

PAGES = ("agenda", "cases", "search")


class Pages:
    """The window's pages (a plain class, like the others on the way to the first paint)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.started = False  # the first frame has painted: a page is built when shown
        self.core_ready = False  # the case file is open: a page built now loads its data at once
        self._default_split = False
        self._agenda: AgendaPage | None = None
        self._case_list: CaseListPanel | None = None
        self._case_view: CaseView | None = None
        self._cases_splitter: QSplitter | None = None
        self._search: SearchPage | None = None
        self.stack = QStackedWidget(window)
        self._slots: dict[str, QWidget] = {}
        self._layouts: dict[str, QHBoxLayout] = {}
        for name in PAGES:  # an empty slot per page; the page goes in when first shown
            slot = QWidget(self.stack)
            slot.setObjectName(f"{name}_slot")
            self._layouts[name] = QHBoxLayout(slot)
            spacing.flush(self._layouts[name], 0)
            self._slots[name] = slot
            self.stack.addWidget(slot)
        self.sidebar = self._sidebar()

    def _sidebar(self) -> QListWidget:
        sidebar = QListWidget(self.window)
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(spacing.SIDEBAR_WIDTH)
        sidebar.setIconSize(QSize(22, 22))
        sidebar.setSpacing(2)
        sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        for text, icon_name in ((_("Agenda"), "agenda"), (_("Cases"), "cases"), (_("Search"), "search")):  # PAGES
            item = QListWidgetItem(icon(icon_name), text, sidebar)
            item.setSizeHint(QSize(spacing.SIDEBAR_WIDTH - 8, 40))
        sidebar.currentRowChanged.connect(self._chosen)
        return sidebar

    def finish_start(self) -> None:
        """Build the page the window opened on (once the first frame is on screen)."""
        if not self.started:
            self.started = True
            self._chosen(self.sidebar.currentRow())

    # -- the pages, built when first needed ------------------------------------------------------------------------

    @property
    def agenda(self) -> AgendaPage:
        if self._agenda is None:
            from ui.agenda import AgendaPage

            window = self.window
            page = AgendaPage(self.ctx, self._slots["agenda"])
            self._layouts["agenda"].addWidget(page)
            page.demo_button.clicked.connect(window.load_demo)
            page.new_case_button.clicked.connect(window.new_case)
            page.hearing_mode_requested.connect(window.hearing_mode_for)
            self._agenda = page
            self._restore_splitter(page.splitter)
            if self.core_ready:
                page.refresh()
            else:
                page.show_kept()  # the last start's agenda, if still true, while the case file opens
        return self._agenda

    def _build_cases(self) -> None:
        from PySide6.QtCore import Qt

        from ui.case_list import CaseListPanel
        from ui.case_view.view import CaseView

        window = self.window
        slot = self._slots["cases"]
        self._case_list = CaseListPanel(self.ctx, slot)
        self._case_view = CaseView(self.ctx, slot)
        splitter = QSplitter(Qt.Orientation.Horizontal, slot)
        splitter.setObjectName("cases_splitter")
        splitter.addWidget(self._case_list)
        splitter.addWidget(self._case_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self._cases_splitter = splitter
        spacing.page(self._layouts["cases"]).addWidget(splitter)
        if not self._restore_splitter(splitter):
            self._default_split = True
            if window.isVisible():
                QTimer.singleShot(0, self._split_cases)
        self._case_list.case_selected.connect(lambda case_id: self.case_view.show_case(case_id))
        self._case_view.case_did_load.connect(self._case_loaded)
        self._case_view.case_did_close.connect(window.update_case_actions)
        self._case_view.header.set_actions(window.document_actions, window.export_bundle_action)
        if self.core_ready:
            self._start_cases()

    @property
    def case_list(self) -> CaseListPanel:
        if self._case_list is None:
            self._build_cases()
        assert self._case_list is not None
        return self._case_list

    @property
    def case_view(self) -> CaseView:
        if self._case_view is None:
            self._build_cases()
        assert self._case_view is not None
        return self._case_view

    @property
    def cases_splitter(self) -> QSplitter:
        if self._cases_splitter is None:
            self._build_cases()
        assert self._cases_splitter is not None
        return self._cases_splitter

    @property
    def search(self) -> SearchPage:
        if self._search is None:
            from ui.search import SearchPage

            self._search = SearchPage(self.ctx, self._slots["search"])
            self._layouts["search"].addWidget(self._search)
        return self._search

    def _page(self, name: str) -> QWidget:
        if name == "agenda":
            return self.agenda
        if name == "cases":
            return self.cases_splitter
        return self.search

    def current_case(self) -> CaseDetail | None:
        """The case open in the cases page (None before that page is built)."""
        return self._case_view.case if self._case_view is not None else None

    # -- going from page to page, and to a case ------------------------------------------------------------------

    def show(self, name: str) -> None:
        self.sidebar.setCurrentRow(PAGES.index(name))

    def current(self) -> str:
        return PAGES[max(0, self.stack.currentIndex())]

    def _chosen(self, row: int) -> None:
        if row < 0:
            return
        if self.started:
            self._page(PAGES[row])
        self.stack.setCurrentIndex(row)
        self.ctx.settings.last_page = PAGES[row]
        if PAGES[row] == "search" and self.started:
            self.search.focus_field()
        self.window.update_case_actions()

    def open_case(self, case_id: uuid.UUID, tab: str = "overview", record_id: uuid.UUID | None = None) -> None:
        self.show("cases")
        self.case_list.select_case(case_id)
        self.case_view.show_case(case_id, tab, record_id)

    def _case_loaded(self, case: CaseDetail) -> None:
        self.case_list.select_case(case.id)
        self.ctx.settings.last_case_id = str(case.id)
        self.window.update_case_actions()

    def new_case(self) -> None:
        self.show("cases")
        self.case_list.new_case()

    def find(self) -> None:
        self.show("search")
        self.search.focus_field()

    def refresh(self) -> None:
        """Read again what the built pages show."""
        if self._agenda is not None:
            self._agenda.refresh()
        if self._case_list is not None and self._case_view is not None:
            self._case_list.model.reload()
            self._case_view.reload()

    # -- the case file opened --------------------------------------------------------------------------------------

    def core_opened(self) -> None:
        self.core_ready = True
        if self._agenda is not None:
            self._agenda.refresh()
        if self._case_list is not None:
            self._start_cases()

    def _start_cases(self) -> None:
        """The case list's first page, and the case that was open last time."""
        assert self._case_list is not None and self._case_view is not None
        self._case_list.start()
        last = self.ctx.settings.last_case_id
        if last and self._case_view.case is None:
            import uuid

            try:
                case_id = uuid.UUID(last)
            except ValueError:
                return
            self._case_view.show_case(case_id, self.ctx.settings.last_tab)

    # -- remembered state ------------------------------------------------------------------------------------------

    def _restore_splitter(self, splitter: QSplitter) -> bool:
        saved = self.ctx.settings.splitter(splitter.objectName())
        return saved is not None and splitter.restoreState(saved)

    def _split_cases(self) -> None:
        if self._default_split and self._cases_splitter is not None:
            self._default_split = False
            # the list gets a third of a wide window (long titles read whole at 1440), never less than 300
            listed = min(480, max(300, self.window.width() * 3 // 10))
            self._cases_splitter.setSizes([listed, max(600, self.window.width() - listed)])

    def window_shown(self) -> None:
        if self._default_split:  # first start: give the list room once the window has its real size
            QTimer.singleShot(0, self._split_cases)

    def save_state(self, settings: Settings) -> None:
        """The splitters, the case view's columns, the page and the case open (the caller syncs)."""
        for splitter in (self._cases_splitter, self._agenda.splitter if self._agenda else None):
            if splitter is not None:
                settings.set_splitter(splitter.objectName(), splitter.saveState())
        if self._case_view is not None:
            self._case_view.save_state()
        settings.last_page = self.current()
        case = self.current_case()
        if case is not None:
            settings.last_case_id = str(case.id)
            settings.last_tab = self.case_view.current_tab()
